"""A plan placed on the spreadsheet as it is now: every cell, block and tab one write needs.

``place_plan`` (backends/base.py) maps each change to its row by id on the verifying read and
defers what moved ambiguously or what a person touched; this module turns the placed cells
into ranges, and adds the new headers, the Log lines, the rewritten Summary and the tabs or
grid rows the write needs first. Pure: no request is made here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sync.backends.base import Target, place_plan, surviving_log
from sync.backends.feishu.sheets import Grid, SheetInfo, cell_json
from sync.model import ApplyResult, CellValue, LogLine, Plan, Snapshot, is_blank
from sync.schema import Locale, Schema

GROW_ROWS = 500  # room added with the rows a write needs, so growing stays rare
NEW_TAB_ROWS = 200  # a new Feishu sheet has 200 rows and 20 columns


@dataclass
class Write:
    """One prepared write: tabs to add, grid growth, cells and blocks, and its result."""

    new_tabs: list[str] = field(default_factory=list)
    cells: dict[tuple[str, int, int], object] = field(default_factory=dict)  # (title, r, c)
    blocks: list[tuple[str, int, int, list[list[object]]]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    result: ApplyResult = field(default_factory=lambda: ApplyResult(0))
    log_title: str = ""
    log_next: int = 0
    log: list[LogLine] = field(default_factory=list)

    def ranges(self) -> list[tuple[str, int, int, list[list[object]]]]:
        """Single cells merged into runs of one row (adjacent columns), then rows of the same
        columns stacked: (title, 1-based row, 0-based column, rows)."""
        spans: dict[tuple[str, int], list[tuple[int, list[object]]]] = {}
        for (title, row, col), value in sorted(self.cells.items(), key=lambda i: i[0]):
            line = spans.setdefault((title, row), [])
            if line and line[-1][0] + len(line[-1][1]) == col:
                line[-1][1].append(value)
            else:
                line.append((col, [value]))
        out: list[tuple[str, int, int, list[list[object]]]] = []
        open_blocks: dict[tuple[str, int, int], tuple[int, list[list[object]]]] = {}
        for (title, row), runs in sorted(spans.items()):
            for col, values in runs:
                key = (title, col, len(values))
                start = open_blocks.get(key)
                if start is not None and start[0] + len(start[1]) == row:
                    start[1].append(values)
                else:
                    if start is not None:
                        out.append((title, start[0], col, start[1]))
                    open_blocks[key] = (row, [values])
        for (title, col, _w), (row, rows) in open_blocks.items():
            out.append((title, row, col, rows))
        return out + list(self.blocks)

    def every_cell(self) -> Iterable[tuple[str, int, int]]:
        """Every (title, 1-based row, 0-based column) this write sets."""
        yield from self.cells
        for title, row0, col0, rows in self.blocks:
            for dr, values in enumerate(rows):
                for dc in range(len(values)):
                    yield title, row0 + dr, col0 + dc

    def growth(self, sheets: Mapping[str, SheetInfo]) -> dict[str, tuple[int, int]]:
        """Rows and columns to add to existing tabs before writing (title → (rows, cols))."""
        need: dict[str, tuple[int, int]] = {}
        for title, row, col in self.every_cell():
            rows, cols = need.get(title, (0, 0))
            need[title] = (max(rows, row), max(cols, col + 1))
        grow: dict[str, tuple[int, int]] = {}
        for title, (rows, cols) in need.items():
            info = sheets.get(title)
            size = (info.rows, info.cols) if info else (NEW_TAB_ROWS, 20)
            extra_rows = rows - size[0] + GROW_ROWS if rows > size[0] else 0
            extra_cols = cols - size[1] if cols > size[1] else 0
            if extra_rows or extra_cols:
                grow[title] = (extra_rows, extra_cols)
        return grow


def free_title(taken: Iterable[str], title: str) -> str:
    """title, or title 2, 3 … whichever no tab has."""
    used = {t.casefold() for t in taken}
    candidate, n = title, 2
    while candidate.casefold() in used:
        candidate, n = f"{title} {n}", n + 1
    return candidate


def last_used_row(grid: Grid) -> int:
    """1-based number of the last row holding anything (0 for an empty tab)."""
    for number in range(len(grid), 0, -1):
        if any(not is_blank(v) for v in grid[number - 1]):
            return number
    return 0


def prepare(
    plan: Plan,
    current: Snapshot,
    sheets: Mapping[str, SheetInfo],
    grids: Mapping[str, Grid],
    schema: Schema,
) -> Write:
    """Place the plan on the spreadsheet as `current` shows it; build cells and blocks."""
    write = Write()
    locale = current.locale
    added: dict[tuple[str, str], int] = {}
    next_col: dict[str, int] = {}
    for column in plan.new_columns:
        table = current.table(column.tab)
        if table is None or table.col(column.key) is not None:
            continue
        col = next_col.get(column.tab, table.width)
        next_col[column.tab] = col + 1
        write.cells[(table.title, table.header.header_row, col)] = cell_json(column.header)
        added[(column.tab, column.key)] = col
    targets, deferred, new_cells, skipped = place_plan(plan, current, added)
    for target in targets:
        title = current.tables[target.change.tab].title
        write.cells[(title, target.row, target.col)] = cell_json(target.change.new)
    for tab, row, col, value in new_cells:
        write.cells[(current.tables[tab].title, row, col)] = cell_json(value)
    write.targets = targets
    log = surviving_log(plan, deferred, plan.time, locale, skipped)
    taken = list(sheets)
    titles: dict[str, str] = {}
    for key in ("summary", "log", "archive"):
        table = current.table(key)
        if table is not None:
            titles[key] = table.title
        elif key == "summary" or (key == "log" and log) or key in plan.new_tabs:
            title = free_title(taken, schema.tab(key).title(locale))
            taken.append(title)
            titles[key] = title
            write.new_tabs.append(title)
    archive = titles.get("archive")
    if archive and (archive in write.new_tabs or not grids.get(archive)):
        headers: list[object] = [c.label(locale) for c in schema.tab("archive").columns]
        write.blocks.append((archive, 1, 0, [[cell_json(h) for h in headers]]))
    if "log" in titles and (log or titles["log"] in write.new_tabs or not grids.get(titles["log"])):
        log_block(write, titles["log"], grids.get(titles["log"], []), log, schema, locale)
    summary_block(write, titles["summary"], grids.get(titles["summary"], []), plan.summary)
    write.log = log
    write.result = ApplyResult(
        written=len(targets) + len(new_cells), deferred=tuple(deferred), log_lines=len(log)
    )
    return write


def log_block(
    write: Write, title: str, grid: Grid, log: Sequence[LogLine], schema: Schema, locale: Locale
) -> None:
    """The Log lines below the Log's last row (with the header on an empty Log)."""
    rows: list[list[object]] = []
    start = last_used_row(grid) + 1
    if start == 1:
        rows.append([cell_json(c.label(locale)) for c in schema.tab("log").columns])
    rows.extend([cell_json(v) for v in line.cells()] for line in log)
    if rows:
        write.blocks.append((title, start, 0, rows))
    write.log_title, write.log_next = title, start + len(rows)


def summary_block(write: Write, title: str, old: Grid, new: Sequence[Sequence[CellValue]]) -> None:
    """The whole Summary rewritten (old cells past the new table emptied)."""
    height = max(len(old), len(new))
    width = max([1, *(len(r) for r in old), *(len(r) for r in new)])
    if height == 0:
        return
    rows: list[list[object]] = []
    for r in range(height):
        line = list(new[r]) if r < len(new) else []
        rows.append([cell_json(line[c]) if c < len(line) else "" for c in range(width)])
    write.blocks.append((title, 1, 0, rows))


def same_summary(snapshot: Snapshot, plan: Plan) -> bool:
    """Whether the Summary tab already shows exactly what the plan would write."""
    table = snapshot.table("summary")
    if table is None:
        return False
    current = [tuple(table.header.headers), *(tuple(r.values) for r in table.rows)]
    return _trimmed(current) == _trimmed(plan.summary)


def _trimmed(rows: Iterable[Sequence[CellValue]]) -> list[tuple[CellValue, ...]]:
    result: list[tuple[CellValue, ...]] = []
    for row in rows:
        cells: list[CellValue] = ["" if v is None else v for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        result.append(tuple(cells))
    while result and not result[-1]:
        result.pop()
    return result
