"""`aidsync init --feishu`: tabs, headers, dropdowns, protected worker columns, frozen header.

Existing cells are never written: headers only go after a tab's last header, sample rows only
into empty tabs. Dropdowns, protections and column widths go only on tabs and columns init
adds, and a header row is frozen only when none is, so a second run changes nothing. Feishu
protects whole columns (protected_dimension) for everyone but the app and the document's
managers: it has no warning-only protection, so the note on each says what the column is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sync.backends.feishu.sheets import SheetInfo, cell_json
from sync.layout import build_snapshot
from sync.schema import Locale, Schema, Tab
from sync.writes import free_title

if TYPE_CHECKING:
    from sync.backends.feishu.backend import FeishuBackend

_MULTI_TYPES = {"communities", "categories"}  # several choices in one cell: no dropdown
_NOTE = {
    "zh": "aidsync 写入的列：请勿手动修改",
    "en": "written by aidsync: please do not edit by hand",
}
WIDE = 240  # notes and addresses
NARROW = 120


@dataclass
class _Plan:
    """What init will do, gathered before any request."""

    new_tabs: list[Tab] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # tab key → title
    values: list[tuple[str, int, int, list[list[object]]]] = field(default_factory=list)
    freeze: list[str] = field(default_factory=list)  # titles
    dropdowns: list[tuple[str, int, list[str]]] = field(default_factory=list)  # title, col, labels
    protect: list[tuple[str, int, str]] = field(default_factory=list)  # title, col, note
    widths: dict[str, dict[int, int]] = field(default_factory=dict)
    grow: dict[str, tuple[int, int]] = field(default_factory=dict)  # title → rows, cols needed
    done: list[str] = field(default_factory=list)


def initialise_spreadsheet(
    backend: FeishuBackend,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, list[dict[str, object]]] | None,
) -> list[str]:
    """Add what the spreadsheet lacks; return what was done (empty: nothing changed)."""
    sheets = backend.sheets.list_sheets()
    known = [sheets[t] for t in backend.known_titles(sheets, schema)]
    grids = backend.sheets.read_tabs(known)
    every = {title: grids.get(title, []) for title in sheets}
    snapshot = build_snapshot(backend.describe(), every, schema)
    if snapshot.tables:
        locale = snapshot.locale
    plan = _Plan()
    taken = list(sheets)
    for tab in schema.tabs:
        table = snapshot.table(tab.key)
        rows = (sample or {}).get(tab.key) or []
        if table is None:
            if tab.on_demand:
                continue
            title = free_title(taken, tab.title(locale))
            taken.append(title)
            plan.new_tabs.append(tab)
            plan.titles[tab.key] = title
            columns = {c.key: i for i, c in enumerate(tab.columns)}
            plan.done.append(f"added tab {title}")
            if tab.columns:
                plan.values.append(
                    (title, 1, 0, [[cell_json(c.label(locale)) for c in tab.columns]])
                )
                plan.freeze.append(title)
            _marks(plan, tab, schema, locale, title, columns, set(columns))
            if rows:
                _sample(plan, title, 1, columns, rows)
            plan.grow[title] = (1 + len(rows), len(tab.columns))
            continue
        info = sheets[table.title]
        columns = dict(table.header.columns)
        col = table.width
        added: set[str] = set()
        headers: list[object] = []
        for column in tab.columns:
            if column.key in columns:
                continue
            columns[column.key] = col
            headers.append(cell_json(column.label(locale)))
            added.add(column.key)
            plan.done.append(f"added column {column.label(locale)} to {table.title}")
            col += 1
        header_row = table.header.header_row
        if headers:
            plan.values.append((table.title, header_row, table.width, [headers]))
        if tab.columns and info.frozen_rows == 0 and header_row == 1:
            plan.freeze.append(table.title)
            plan.done.append(f"froze the header row of {table.title}")
        _marks(plan, tab, schema, locale, table.title, columns, added)
        if rows:
            if any(not table.is_blank_row(r) for r in table.rows):
                plan.done.append(
                    f"kept {table.title} as it is: it already has rows, so no sample was added"
                )
            else:
                _sample(plan, table.title, header_row, columns, rows)
                rows_needed = header_row + len(rows)
                plan.grow[table.title] = (rows_needed, max(columns.values()) + 1)
        if headers:
            rows_needed, cols_needed = plan.grow.get(table.title, (0, 0))
            plan.grow[table.title] = (max(rows_needed, header_row), max(cols_needed, col))
    _send(backend, plan, sheets)
    return plan.done


def _marks(
    plan: _Plan,
    tab: Tab,
    schema: Schema,
    locale: Locale,
    title: str,
    columns: Mapping[str, int],
    only: set[str],
) -> None:
    """Dropdowns, protection and widths for the columns init adds."""
    dropdowns = protected = 0
    for column in tab.columns:
        if column.key not in only:
            continue
        col = columns[column.key]
        plan.widths.setdefault(title, {})[col] = WIDE if column.type in ("text", "note") else NARROW
        if column.choices and column.type not in _MULTI_TYPES:
            labels = [o.label(locale) for o in schema.choice_list(column.choices).options]
            plan.dropdowns.append((title, col, labels))
            dropdowns += 1
        if column.owner == "worker" or tab.worker_tab:
            plan.protect.append((title, col, _NOTE[locale]))
            protected += 1
    if dropdowns:
        plan.done.append(f"added {dropdowns} dropdowns to {title}")
    if protected:
        plan.done.append(f"protected {protected} worker column(s) of {title}")


def _sample(
    plan: _Plan,
    title: str,
    header_row: int,
    columns: Mapping[str, int],
    rows: list[dict[str, object]],
) -> None:
    width = max(columns.values()) + 1
    block: list[list[object]] = []
    for values in rows:
        line: list[object] = [""] * width
        for key, value in values.items():
            if key in columns:
                line[columns[key]] = cell_json(value)
        block.append(line)
    plan.values.append((title, header_row + 1, 0, block))
    plan.done.append(f"added {len(rows)} sample rows to {title}")


def _send(backend: FeishuBackend, plan: _Plan, sheets: dict[str, SheetInfo]) -> None:
    """Tabs first (their ids are needed), then grid room, values, and the marks."""
    api = backend.sheets
    if plan.new_tabs:
        titles = [plan.titles[t.key] for t in plan.new_tabs]
        ids = api.add_sheets(titles, len(sheets))
        for i, title in enumerate(titles):
            sheets[title] = SheetInfo(ids[title], title, len(sheets) + i, 200, 20)
    for title, (rows, cols) in plan.grow.items():
        info = sheets[title]
        if rows > info.rows:
            api.append(info.sheet_id, "ROWS", rows - info.rows + 100)
        if cols > info.cols:
            api.append(info.sheet_id, "COLUMNS", cols - info.cols)
        sheets[title] = SheetInfo(
            info.sheet_id,
            title,
            info.index,
            max(info.rows, rows + 100),
            max(info.cols, cols),
            info.frozen_rows,
        )
    if plan.values:
        api.write([(sheets[t], r, c, v) for t, r, c, v in plan.values], "writing headers")
    api.freeze_header([sheets[t].sheet_id for t in plan.freeze])
    for title, col, labels in plan.dropdowns:
        info = sheets[title]
        api.dropdown(info, col, 2, max(info.rows, 2), labels)
    if plan.protect:
        runs: list[tuple[str, int, int, str]] = []
        for title, col, note in sorted(plan.protect):
            sid = sheets[title].sheet_id
            if runs and runs[-1][0] == sid and runs[-1][2] == col - 1:
                runs[-1] = (sid, runs[-1][1], col, note)
            else:
                runs.append((sid, col, col, note))
        api.protect_columns(runs)
    for title, widths in plan.widths.items():
        api.widths(sheets[title].sheet_id, widths)
