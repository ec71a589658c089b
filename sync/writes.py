"""A plan laid out on the store as it is now: the WriteSet every backend sends (pure).

`lay_out(plan, current, schema)` decides everything a write puts down, once for all backends:
the tabs to add under titles no tab has, new columns' headers after each table's width, the
changes placed by compare-and-set (`placement.place_plan`), appended rows, the Log block
below the last filled row, the Summary rewritten from A1 with the extent to clear, and the Log
lines that will really be written. A backend then only translates it into its own calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sync.messages import say
from sync.model import (
    Block,
    CellValue,
    CellWrite,
    ColumnFormat,
    LogBlock,
    NewTab,
    Plan,
    Snapshot,
    SummaryBlock,
    TabFormat,
    Table,
    WriteSet,
    moment_of,
    same_value,
)
from sync.placement import filled, place_plan, surviving_log, table_last_row
from sync.schema import Column, Locale, Schema
from sync.values import display_width

# the tabs the worker itself may add, in the order they are added
_OWN_TABS = ("summary", "log", "archive")


def last_filled_row(rows: Sequence[Sequence[object]]) -> int:
    """The 1-based number of the last row of a grid holding anything (0: none does)."""
    for number in range(len(rows), 0, -1):
        if any(filled(v) for v in rows[number - 1]):
            return number
    return 0


def table_extent(table: Table | None) -> tuple[int, int]:
    """Rows and columns of a tab's grid as read (what a rewrite from A1 has to clear)."""
    if table is None:
        return 0, 0
    width = max([table.width, len(table.header.headers), *(len(r.values) for r in table.rows)])
    height = max([table_last_row(table), *(r.number for r in table.rows if r.values)], default=0)
    return height, width


def free_title(taken: Iterable[str], title: str) -> str:
    """title, or title 2, 3 … whichever no tab has (Excel and Sheets compare ignoring case)."""
    used = {t.casefold() for t in taken}
    candidate, n = title, 2
    while candidate.casefold() in used:
        candidate, n = f"{title} {n}", n + 1
    return candidate


def trimmed(rows: Iterable[Sequence[CellValue]]) -> list[tuple[CellValue, ...]]:
    """Rows with None read as blank and trailing blank cells and rows dropped."""
    result: list[tuple[CellValue, ...]] = []
    for row in rows:
        cells: list[CellValue] = ["" if v is None else v for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        result.append(tuple(cells))
    while result and not result[-1]:
        result.pop()
    return result


def same_summary(table: Table | None, rows: Sequence[Sequence[CellValue]]) -> bool:
    """Whether the Summary tab as read already shows exactly these rows."""
    if table is None:
        return False
    # the Summary has no header row of its own: its first line was read as one
    current = trimmed([tuple(table.header.headers), *(tuple(r.values) for r in table.rows)])
    wanted = trimmed(rows)
    return len(current) == len(wanted) and all(
        len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
        for a, b in zip(current, wanted, strict=True)
    )


def as_moment(value: CellValue) -> CellValue:
    """The worker's text for a time (`2022-12-20 15:00`) as a real date-time cell; else as is."""
    return moment_of(value) or value


# the columns of each type that are drawn at a fixed width, in characters
_TYPE_WIDTHS = {"datetime": 17, "date": 12, "phone": 14, "id": 10, "number": 8, "integer": 8}
# the Summary has no columns of its own: labels (longer ones run on into the blank cells beside
# them), the last pass's time (B), the tables' columns (C-N, each as wide as the longest header
# that lands in it in either language, e.g. "Dispatches completed", "Median min to deliver"),
# a gap, and the per-day table from P (chart.MIN_COLUMN)
_SUMMARY_WIDTHS = (18, 18, 12, 20, 17, 20, 21, 12, 12, 20, 17, 20, 21, 15, 4, 10) + (12,) * 7


def column_width(column: Column, locale: Locale) -> int:
    """How wide a column is drawn: the template's width, else its type's, never under its label."""
    label = display_width(column.label(locale)) + 2
    return max(column.width or _TYPE_WIDTHS.get(column.type, 12), min(label, 30))


def tab_format(
    schema: Schema, key: str, title: str, locale: Locale, columns: Mapping[str, int] | None = None
) -> TabFormat:
    """How a tab is dressed, its columns where they stand (`columns`: key → 0-based column;
    None for a tab laid out in the template's order)."""
    if key == "summary":
        widths = tuple(ColumnFormat(c, w) for c, w in enumerate(_SUMMARY_WIDTHS))
        return TabFormat(key, title, 0, widths)
    tab = schema.tab(key)
    where = columns if columns is not None else {c.key: i for i, c in enumerate(tab.columns)}
    formats = tuple(
        sorted(
            (
                ColumnFormat(
                    where[column.key],
                    column_width(column, locale),
                    wrap=column.wrap,
                    shaded=column.owner == "worker",
                    moments=column.type == "datetime" and column.owner != "human",
                )
                for column in tab.columns
                if column.key in where
            ),
            key=lambda f: f.col,
        )
    )
    return TabFormat(key, title, 1, formats)


def _formats(
    schema: Schema, current: Snapshot, titles: Mapping[str, str], new: Iterable[str],
    added: Mapping[tuple[str, str], int],
) -> tuple[TabFormat, ...]:  # fmt: skip
    """The tabs a pass dresses: those it adds, and those its read found undressed."""
    result: list[TabFormat] = []
    wanted = {*new, *(k for k in current.unformatted if k in current.tables)}
    for key in sorted(wanted):
        table = current.table(key)
        if table is None:
            if key not in titles:
                continue
            result.append(tab_format(schema, key, titles[key], current.locale))
            continue
        columns = dict(table.header.columns)
        columns.update({k: c for (t, k), c in added.items() if t == key})
        result.append(tab_format(schema, key, table.title, current.locale, columns))
    return tuple(result)


def _moment_columns(schema: Schema) -> frozenset[tuple[str, str]]:
    """(tab, column) pairs whose worker-written times are stored as date-time cells."""
    return frozenset(
        (tab.key, column.key)
        for tab in schema.tabs
        for column in tab.columns
        if column.type == "datetime" and column.owner != "human"
    )


def header_labels(schema: Schema, key: str, locale: Locale) -> tuple[str, ...]:
    """The header row a tab starts with, in the sheet's language."""
    return tuple(c.label(locale) for c in schema.tab(key).columns)


def lay_out(plan: Plan, current: Snapshot, schema: Schema) -> WriteSet:
    """Everything writing this plan puts down on the store as it is now (`current`)."""
    locale = current.locale
    headers, added = _new_headers(plan, current)
    targets, deferred, new_cells, skipped = place_plan(plan, current, added)
    title_of = {key: table.title for key, table in current.tables.items()}
    moments = _moment_columns(schema) if current.moments else frozenset()
    changes = tuple(
        CellWrite(
            title_of[c.tab],
            t.row,
            t.col,
            as_moment(c.new) if (c.tab, c.column) in moments else c.new,
            c,
            c.tab,
            c.column,
        )
        for t in targets
        for c in (t.change,)
    )
    key_at: dict[str, dict[int, str]] = {}
    for tab in {tab for tab, *_ in new_cells}:
        key_at[tab] = {col: key for key, col in current.tables[tab].header.columns.items()}
        key_at[tab].update({col: key for (t, key), col in added.items() if t == tab})
    rows = tuple(
        CellWrite(
            title_of[tab],
            row,
            col,
            as_moment(value) if (tab, key_at[tab].get(col, "")) in moments else value,
            None,
            tab,
            key_at[tab].get(col, ""),
        )
        for tab, row, col, value in new_cells
    )
    lines = tuple(surviving_log(plan, deferred, plan.time, locale, skipped))
    titles, tabs = _titles(plan, current, schema, bool(lines))
    new = {tab.key for tab in tabs}

    tab_headers: list[Block] = []
    for key, title in titles.items():
        if key in ("summary", "log") or not schema.tab(key).columns:
            continue
        if key in new or table_last_row(current.table(key)) == 0:
            # a new (or emptied) tab gets its header row, so that rows can land under it
            tab_headers.append(Block(key, title, 1, 0, (header_labels(schema, key, locale),)))

    log: LogBlock | None = None
    if "log" in titles:
        last = table_last_row(current.table("log"))
        if lines or "log" in new or last == 0:
            header = header_labels(schema, "log", locale) if last == 0 else ()
            log = LogBlock(titles["log"], last + 1, header, lines, current.moments)

    table = current.table("summary")
    clear_rows, clear_cols = table_extent(table)
    unchanged = same_summary(table, plan.summary)
    shown = plan.summary
    if current.moments:
        shown = tuple(tuple(as_moment(v) for v in row) for row in plan.summary)
    summary = SummaryBlock(titles["summary"], shown, clear_rows, clear_cols, unchanged)
    return WriteSet(
        tabs=tabs,
        headers=headers,
        changes=changes,
        rows=rows,
        tab_headers=tuple(tab_headers),
        log=log,
        summary=summary,
        chart=plan.chart,
        deferred=tuple(deferred),
        skipped=skipped,
        formats=_formats(schema, current, titles, new, added),
    )


def _new_headers(
    plan: Plan, current: Snapshot
) -> tuple[tuple[CellWrite, ...], dict[tuple[str, str], int]]:
    """Header cells of the worker's missing columns, after each table's width, and where
    each column went ((tab, column key) → 0-based column)."""
    headers: list[CellWrite] = []
    added: dict[tuple[str, str], int] = {}
    next_col: dict[str, int] = {}
    for column in plan.new_columns:
        table = current.table(column.tab)
        if table is None or table.col(column.key) is not None:
            continue  # added meanwhile (by a person, or by an earlier attempt of this write)
        col = next_col.get(column.tab, table.width)
        next_col[column.tab] = col + 1
        row = table.header.header_row
        headers.append(
            CellWrite(table.title, row, col, column.header, tab=column.tab, column=column.key)
        )
        added[(column.tab, column.key)] = col
    return tuple(headers), added


def _titles(
    plan: Plan, current: Snapshot, schema: Schema, logging: bool
) -> tuple[dict[str, str], tuple[NewTab, ...]]:
    """The titles of the tabs the write puts things in (key → title), and those it adds: the
    Summary always, the Log when a line is written, any tab the plan asks for."""
    taken = list(current.titles)
    titles: dict[str, str] = {}
    tabs: list[NewTab] = []
    for key in [*_OWN_TABS, *(k for k in plan.new_tabs if k not in _OWN_TABS)]:
        table = current.table(key)
        if table is not None:
            titles[key] = table.title
        elif key == "summary" or (key == "log" and logging) or key in plan.new_tabs:
            title = free_title(taken, schema.tab(key).title(current.locale))
            taken.append(title)
            titles[key] = title
            tabs.append(NewTab(key, title, header_labels(schema, key, current.locale)))
    return titles, tuple(tabs)


def lay_out_init(
    current: Snapshot,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> tuple[WriteSet, tuple[str, ...]]:
    """What `aidsync init` adds to a store as it is now, and the lines that say so: missing tabs
    with their header rows, missing headers after a tab's last, sample rows into empty tabs.
    Every tab's dressing (`formats`: widths, wrap, frozen header, shading, date-time cells) is
    in the WriteSet; dropdowns and protection stay each backend's own, optional capability."""
    if current.titles:
        locale = current.locale  # an existing workbook keeps its language
    taken = list(current.titles)
    tabs: list[NewTab] = []
    tab_headers: list[Block] = []
    headers: list[CellWrite] = []
    rows: list[CellWrite] = []
    done: list[str] = []
    title_of: dict[str, str] = {}
    where: dict[str, dict[str, int]] = {}
    for tab in schema.tabs:
        table = current.table(tab.key)
        if table is None and tab.on_demand:
            continue  # made by the pass that first needs it (the Archive)
        if table is None:
            title = free_title(taken, tab.title(locale))
            taken.append(title)
            labels = header_labels(schema, tab.key, locale)
            tabs.append(NewTab(tab.key, title, labels))
            tab_headers.append(Block(tab.key, title, 1, 0, (labels,)))
            done.append(say(locale, "init_added_tab", tab=title))
            columns = {c.key: i for i, c in enumerate(tab.columns)}
            header_row, empty = 1, True
            title_of[tab.key], where[tab.key] = title, columns
        else:
            title, header_row = table.title, table.header.header_row
            columns = dict(table.header.columns)
            col = table.width
            for column in tab.columns:
                if column.key in columns:
                    continue
                label = column.label(locale)
                headers.append(CellWrite(title, header_row, col, label, tab=tab.key,
                                         column=column.key))  # fmt: skip
                done.append(say(locale, "init_added_column", tab=title, column=label))
                columns[column.key] = col
                col += 1
            empty = not table.data_rows
        title_of[tab.key], where[tab.key] = title, columns
        wanted = (sample or {}).get(tab.key)
        if not wanted:
            continue
        if not empty:
            done.append(say(locale, "init_kept_rows", tab=title))
            continue
        for number, values in enumerate(wanted, start=header_row + 1):
            for key, value in values.items():
                rows.append(CellWrite(title, number, columns[key], value, tab=tab.key,  # type: ignore[arg-type]
                                      column=key))  # fmt: skip
        done.append(say(locale, "init_sample_rows", tab=title, n=len(wanted)))
    formats = (
        [tab_format(schema, "summary", title_of["summary"], locale)]
        if "summary" in title_of
        else []
    )
    formats += [
        tab_format(schema, key, t, locale, where[key])
        for key, t in title_of.items()
        if key != "summary"
    ]
    writes = WriteSet(
        tabs=tuple(tabs),
        headers=tuple(headers),
        rows=tuple(rows),
        tab_headers=tuple(tab_headers),
        formats=tuple(formats),
    )
    return writes, tuple(done)
