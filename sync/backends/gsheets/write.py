"""A WriteSet as Sheets API request bodies: value ranges and structural requests (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.backends.gsheets.chart import chart_requests
from sync.backends.gsheets.dress import dress, grown_moments, moment_columns
from sync.backends.gsheets.sheets import (
    NEW_TAB_COLUMNS,
    NEW_TAB_ROWS,
    Grid,
    SheetInfo,
    cell_json,
    column_letters,
    quote_title,
    text_json,
)
from sync.backends.guard import (
    Append,
    Checked,
    Watch,
    append_block,
    appends,
    mend_append,
    misplaced,
    probe_blocks,
    restore,
    rows_seen,
    watches,
)
from sync.messages import say
from sync.model import (
    ApplyResult,
    CellChange,
    CellValue,
    LogLine,
    Snapshot,
    SummaryChart,
    TabFormat,
    WriteSet,
    is_blank,
    moment_of,
)
from sync.placement import Target

GROW_ROWS = 500
GROW_PASSES = 10  # a tab that has to grow gets room for this many more passes like this one
GROW_MAX = 5000  # but no more: empty rows count against the spreadsheet's cell limit


@dataclass
class Write:
    """One prepared write: structural requests, value ranges, and what it will report."""

    structure: list[dict[str, Any]] = field(default_factory=list)
    new_sheets: list[str] = field(default_factory=list)
    frozen: set[str] = field(default_factory=set)  # new tabs whose first row is a header
    cells: dict[tuple[str, int, int], object] = field(default_factory=dict)  # (title, r, c)
    blocks: list[tuple[str, int, int, list[list[object]]]] = field(default_factory=list)
    result: ApplyResult = field(default_factory=lambda: ApplyResult(0))
    new_ids: dict[str, int] = field(default_factory=dict)  # new tab title → its sheetId
    charts: list[dict[str, Any]] = field(default_factory=list)  # chart requests (Summary)
    chart_sheet: str = ""  # the tab they concern
    watches: list[Watch] = field(default_factory=list)  # rows to look at right after writing
    appends: list[Append] = field(default_factory=list)  # rows added below people's rows
    answers: list[dict[str, Any]] = field(default_factory=list)  # what that look saw
    checked: Snapshot | None = None  # the read the write was placed on
    time: str = ""  # the pass's time, for Log lines
    log_title: str = ""  # where the Log block goes, and the first row after it
    log_next: int = 0
    dressing: list[TabFormat] = field(default_factory=list)  # tabs dressed by this write
    moment_cols: dict[str, list[int]] = field(default_factory=dict)  # title → date-time columns

    def data(self) -> list[dict[str, Any]]:
        """The values:batchUpdate data: single cells merged into vertical runs per column."""
        runs: dict[tuple[str, int], list[tuple[int, object]]] = {}
        for (title, row, col), value in sorted(self.cells.items(), key=lambda i: i[0]):
            runs.setdefault((title, col), []).append((row, value))
        data: list[dict[str, Any]] = []
        for (title, col), cells in runs.items():
            start = prev = cells[0][0]
            values: list[list[object]] = []
            for row, value in cells:
                if row != prev + 1 and values:
                    data.append(_block(title, start, col, values))
                    start, values = row, []
                values.append([value])
                prev = row
            data.append(_block(title, start, col, values))
        for title, row, col, rows in self.blocks:
            data.append(_block(title, row, col, rows))
        return data

    def landed(self, grids: Mapping[str, Grid]) -> bool:
        """Whether every cell of this write already holds what it writes (it reached Google)."""
        for title, row, col, value in self.every_cell():
            grid = grids.get(title)
            if grid is None:
                return False
            held = grid[row - 1][col] if row - 1 < len(grid) and col < len(grid[row - 1]) else ""
            if not _same_written(held, value):
                return False
        return True

    def every_cell(self) -> Iterable[tuple[str, int, int, object]]:
        """Every (title, 1-based row, 0-based column, value) this write sets."""
        for (title, row, col), value in self.cells.items():
            yield title, row, col, value
        for title, row0, col0, rows in self.blocks:
            for dr, values in enumerate(rows):
                for dc, value in enumerate(values):
                    yield title, row0 + dr, col0 + dc, value


def _same_written(held: object, wrote: object) -> bool:
    if is_blank(held) and is_blank(wrote):
        return True
    if isinstance(held, bool) or isinstance(wrote, bool):
        return held is wrote
    if isinstance(held, int | float) and isinstance(wrote, int | float):
        return float(held) == float(wrote)
    return type(held) is type(wrote) and held == wrote


def _block(title: str, row: int, col: int, values: list[list[object]]) -> dict[str, Any]:
    width = max((len(r) for r in values), default=1)
    end = f"{column_letters(col + width - 1)}{row + len(values) - 1}"
    return {
        "range": f"{quote_title(title)}!{column_letters(col)}{row}:{end}",
        "majorDimension": "ROWS",
        "values": values,
    }


def translate(
    layout: WriteSet, current: Snapshot, sheets: Mapping[str, SheetInfo], time: str
) -> Write:
    """The WriteSet laid out on `current` as request bodies: value ranges, and addSheet /
    appendDimension / chart requests where it needs them; the guard's look at its rows."""
    write = Write()
    for cell in layout.cells():
        write.cells[(cell.title, cell.row, cell.col)] = cell_json(cell.value)
    targets = [Target(c.change, c.row, c.col) for c in layout.changes if c.change]
    new_cells = [(c.tab, c.row, c.col, c.value) for c in layout.rows]
    write.watches = watches(targets, current, write.cells)
    write.appends = appends(new_cells, current, write.cells)
    write.checked, write.time = current, time
    write.new_sheets = [tab.title for tab in layout.tabs]
    for block in layout.tab_headers:
        write.blocks.append((block.title, block.row, block.col, _rows(block.rows)))
        write.frozen.add(block.title)
    if layout.log is not None:
        log = layout.log
        if log.header:
            write.frozen.add(log.title)
        write.blocks.append((log.title, log.row, 0, _rows(log.rows())))
        write.log_title, write.log_next = log.title, log.next_row
    if layout.summary is not None:
        grid = layout.summary.grid()
        if grid:  # its rows move from pass to pass: no column format, so times stay text
            write.blocks.append(
                (layout.summary.title, 1, 0, [[text_json(v) for v in r] for r in grid])
            )
        _chart(write, layout.chart, layout.summary.title, sheets)
    write.dressing = [f for f in layout.formats if not _dressed(f.title, sheets, write)]
    for fmt in write.dressing:
        if fmt.title in write.new_sheets and fmt.title not in write.new_ids:
            write.new_ids[fmt.title] = _free_id(sheets, write.new_ids.values())
    for table in current.tables.values():
        cols = moment_columns(table)
        if cols:
            write.moment_cols[table.title] = cols
    write.structure = structure(write, sheets)
    write.result = ApplyResult.sent(layout)
    return write


def _chart(
    write: Write, chart: SummaryChart | None, title: str, sheets: Mapping[str, SheetInfo]
) -> None:
    """The requests that leave the Summary with its chart (a new Summary gets its id now)."""
    if chart is None:
        return
    info = sheets.get(title)
    if title in write.new_sheets or info is None:
        sheet_id = write.new_ids.get(title) or _free_id(sheets, write.new_ids.values())
        write.new_ids[title] = sheet_id
        existing: tuple[Mapping[str, Any], ...] = ()
    else:
        sheet_id, existing = info.sheet_id, info.charts
    write.charts = chart_requests(chart, sheet_id, existing)
    write.chart_sheet = title if write.charts else ""


def _free_id(sheets: Mapping[str, SheetInfo], taken: Iterable[int]) -> int:
    """A sheetId no tab has, for a tab this write adds (so its dressing can name it)."""
    used = {s.sheet_id for s in sheets.values()} | set(taken)
    return next(i for i in range(1 + max(used, default=0) % 2_000_000_000, 2**31)
                if i not in used)  # fmt: skip


def _dressed(title: str, sheets: Mapping[str, SheetInfo], write: Write) -> bool:
    info = sheets.get(title)
    return info is not None and info.dressed and title not in write.new_sheets


def structure(write: Write, sheets: Mapping[str, SheetInfo]) -> list[dict[str, Any]]:
    """addSheet for new tabs, appendDimension where the writes pass a tab's grid (with the
    date-time format over the rows added), then the dressing of tabs not dressed yet."""
    need: dict[str, tuple[int, int]] = {}
    appended: dict[str, int] = {}
    for title, start, _col, block in write.blocks:
        if start > 1:  # rows added below the last (the Log), not the Summary rewritten
            appended[title] = appended.get(title, 0) + len(block)
    for title, row, col, _value in write.every_cell():
        rows, cols = need.get(title, (0, 0))
        need[title] = (max(rows, row), max(cols, col + 1))
    requests: list[dict[str, Any]] = []
    for title in write.new_sheets:
        rows, cols = need.get(title, (0, 0))
        grid: dict[str, Any] = {
            "rowCount": max(NEW_TAB_ROWS, rows),
            "columnCount": max(NEW_TAB_COLUMNS, cols),
        }
        if title in write.frozen:
            grid["frozenRowCount"] = 1
        props: dict[str, Any] = {"title": title, "gridProperties": grid}
        if title in write.new_ids:
            props["sheetId"] = write.new_ids[title]
        requests.append({"addSheet": {"properties": props}})
    for title, (rows, cols) in need.items():
        info = sheets.get(title)
        if info is None or title in write.new_sheets:
            continue
        if rows > info.rows:
            # Room for the next passes' log, so that growing the grid (one more request)
            # stays rare: a busy office appends hundreds of log rows every pass.
            room = min(max(GROW_ROWS, GROW_PASSES * appended.get(title, 0)), GROW_MAX)
            grow = rows - info.rows + room
            requests.append(
                {
                    "appendDimension": {
                        "sheetId": info.sheet_id,
                        "dimension": "ROWS",
                        "length": grow,
                    }
                }
            )
            moments = write.moment_cols.get(title, [])
            if moments and info.dressed:  # an undressed tab gets the format over every row below
                requests += grown_moments(info.sheet_id, moments, info.rows, info.rows + grow)
        if cols > info.cols:
            requests.append(
                {
                    "appendDimension": {
                        "sheetId": info.sheet_id,
                        "dimension": "COLUMNS",
                        "length": cols - info.cols,
                    }
                }
            )
    for fmt in write.dressing:
        info = sheets.get(fmt.title)
        sheet_id = write.new_ids.get(fmt.title, info.sheet_id if info else None)
        if sheet_id is not None:  # a header people froze themselves is left as it is
            cols = max(info.cols if info else NEW_TAB_COLUMNS, need.get(fmt.title, (0, 0))[1])
            requests += dress(fmt, sheet_id, info is None or info.frozen_rows == 0, cols)
    return requests + write.charts


def _rows(rows: Sequence[Sequence[CellValue]]) -> list[list[object]]:
    return [[cell_json(v) for v in row] for row in rows]


def chart_kept(chart: Mapping[str, Any], requests: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a chart survives these requests (not deleted by deleteEmbeddedObject)."""
    deleted = {
        r["deleteEmbeddedObject"]["objectId"] for r in requests if "deleteEmbeddedObject" in r
    }
    return chart.get("chartId") not in deleted


def repair(write: Write) -> tuple[Write, tuple[LogLine, ...], tuple[CellChange, ...]] | None:
    """The cells that put back rows someone moved between the check and the write (seen in the
    write's own answer), the Log lines that say so, and the changes that wait; None when every
    row stayed put. A row whose earlier values cannot be told has its written cells emptied
    (better blank than another resident's assignment), and the Log asks people to check it."""
    if not (write.watches or write.appends) or write.checked is None:
        return None
    blocks = probe_blocks(write.watches) + [append_block(a) for a in write.appends]
    seen = rows_seen(blocks, write.answers) if len(write.answers) == len(blocks) else None
    if seen is None:
        return None  # the answer did not include the rows: nothing to go on
    moved = misplaced(write.watches, seen)
    by_title = {t.title: t for t in write.checked.tables.values()}
    cells: dict[tuple[str, int, int], object] = {}
    unknown: list[str] = []
    lines_first: list[str] = []  # appended rows to check by hand
    pushed: list[Append] = []
    for append in write.appends:
        fixes, known = mend_append(append, seen, by_title.get(append.title))
        if not known:
            last = append.first + append.count - 1
            lines_first.append(say(write.checked.locale, "check_appended_rows",
                                   where=f"{append.title} {append.first}-{last}"))  # fmt: skip
        if fixes:
            pushed.append(append)
            cells.update({k: cell_json(v) for k, v in fixes.items()})
    if not moved and not pushed and not lines_first:
        return None
    checked = {title: Checked(table) for title, table in by_title.items()}
    for watch in moved:
        line = seen.get((watch.title, watch.row), [])
        before, sure = restore(watch, line, checked.get(watch.title))
        if not sure:
            unknown.append(f"{watch.title} row {watch.row}")
        for col, value in before.items():
            cells[(watch.title, watch.row, col)] = cell_json(value)
    locale = write.checked.locale
    lines = [
        LogLine(
            write.time,
            next((c.anchor.id for c in w.changes if c.anchor.id), "") or f"#{w.row}",
            say(locale, "log_deferred"),
            "",
            say(locale, "moved_during_write", row=w.row),
        )
        for w in moved
    ]
    lines += [
        LogLine(
            write.time,
            "",
            say(locale, "log_deferred"),
            "",
            say(locale, "pushed_during_write", where=f"{a.title} {a.first}"),
        )
        for a in pushed
    ]
    lines += [LogLine(write.time, "", say(locale, "log_deferred"), "", t) for t in lines_first]
    for where in unknown:  # emptied, since what they held cannot be told: say so
        check = say(locale, "check_moved_row", where=where)
        lines.append(LogLine(write.time, "", say(locale, "log_deferred"), "", check))
    fix = Write(cells=cells)
    if write.log_title:
        rows = [log_row(line) for line in lines]
        fix.blocks.append((write.log_title, write.log_next, 0, rows))
    deferred = tuple(c for w in moved for c in w.changes)
    return fix, tuple(lines), deferred


def log_row(line: LogLine) -> list[object]:
    """A Log line as written: its time a date-time cell (the Log's time column shows it)."""
    cells = line.cells()
    return [cell_json(moment_of(cells[0]) or cells[0]), *(cell_json(v) for v in cells[1:])]
