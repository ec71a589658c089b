"""`aidsync init` on a Google spreadsheet: tabs, headers, dropdowns, protections, highlights.

Costs four requests at most: metadata (with protections and conditional formats), one read of
the known tabs, one ``spreadsheets.batchUpdate`` with every structural request, and one
``values:batchUpdate`` (RAW) for headers and sample rows. Existing cells are never written:
headers only go after a tab's last header, sample rows only into empty tabs. What init added
before is recognised (protections by description, highlights by formula, dropdowns and frozen
rows by being on tabs or columns init adds), so a second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.backends.gsheets.dress import DRESSED_FIELDS, dress, serial
from sync.backends.gsheets.http import BadRange
from sync.backends.gsheets.read import SheetsReader
from sync.backends.gsheets.safeguards import dropdowns, highlights, protections
from sync.backends.gsheets.sheets import (
    NEW_TAB_COLUMNS,
    NEW_TAB_ROWS,
    cell_json,
    column_letters,
    parse_sheets,
    quote_title,
)
from sync.errors import BackendError
from sync.layout import build_snapshot
from sync.messages import join, say
from sync.model import moment_of
from sync.schema import Column, Locale, Schema, Tab
from sync.writes import free_title, tab_format

INIT_FIELDS = (
    "spreadsheetId,properties(title,locale),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,"
    "frozenRowCount)),protectedRanges(protectedRangeId,description),conditionalFormats,"
    + DRESSED_FIELDS
    + ")"
)


@dataclass
class _Plan:
    """What init will send."""

    structure: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    grow: dict[int, tuple[int, int]] = field(default_factory=dict)  # sheetId → rows, cols needed
    dressing: list[dict[str, Any]] = field(default_factory=list)  # after every other request
    dressed: list[str] = field(default_factory=list)  # the tabs they dress
    locale: Locale = "en"  # the workbook's: what `done` says is in its language

    def say(self, code: str, **fields: Any) -> None:
        """Record one thing init did, in the workbook's language."""
        self.done.append(say(self.locale, code, **fields))


def initialise_spreadsheet(
    backend: SheetsReader,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, list[dict[str, object]]] | None,
) -> list[str]:
    """Add what the spreadsheet lacks; return what was done (empty: nothing changed)."""
    meta = backend.raw_metadata(INIT_FIELDS)
    sheets = parse_sheets(meta)
    extras = {
        str((s.get("properties") or {}).get("title", "")): s for s in meta.get("sheets") or []
    }
    known = backend.known_titles(sheets, schema)
    grids, sheets = backend.read_grids(sheets, known)
    every = {title: grids.get(title, []) for title in sheets}
    snapshot = build_snapshot(backend.describe(), every, schema)
    if snapshot.tables:
        locale = snapshot.locale
    else:
        snapshot = build_snapshot(backend.describe(), every, schema, locale=locale)
    plan = _Plan(locale=locale)
    taken = list(sheets)
    used_ids = {s.sheet_id for s in sheets.values()}
    rng = random.Random(backend.spreadsheet_id)
    for tab in schema.tabs:
        table = snapshot.table(tab.key)
        rows = (sample or {}).get(tab.key) or []
        if table is None and tab.on_demand:
            continue
        if table is None:
            sheet_id = rng.randrange(1, 2**31 - 1)
            while sheet_id in used_ids:
                sheet_id = rng.randrange(1, 2**31 - 1)
            used_ids.add(sheet_id)
            title = free_title(taken, tab.title(locale))
            taken.append(title)
            _new_tab(plan, tab, title, sheet_id, schema, locale, rows)
            cols = max(NEW_TAB_COLUMNS, len(tab.columns))
            _dress(plan, schema, tab, title, sheet_id, locale, None, cols)
            continue
        info = sheets[table.title]
        extra = extras.get(table.title) or {}
        columns = dict(table.header.columns)
        col = table.width
        added: list[Column] = []
        headers: list[object] = []
        for column in tab.columns:
            if column.key in columns:
                continue
            columns[column.key] = col
            headers.append(column.label(locale))
            added.append(column)
            plan.say("init_added_column", tab=table.title, column=column.label(locale))
            col += 1
        header_row = table.header.header_row
        if headers:
            start = table.width
            plan.values.append(_range(table.title, header_row, start, [headers]))
            _need(plan, info.sheet_id, header_row, start + len(headers))
        if tab.columns and info.frozen_rows == 0:
            plan.structure.append(_freeze(info.sheet_id, header_row))
            plan.say("init_froze", tab=table.title)
        if not info.dressed:
            where = None if tab.key == "summary" else columns
            cols = max(info.cols, plan.grow.get(info.sheet_id, (0, 0))[1])
            _dress(plan, schema, tab, table.title, info.sheet_id, locale, where, cols)
        new_keys = {c.key for c in added}
        _safeguard(
            plan, tab, schema, info.sheet_id, header_row, columns, extra, table.title, new_keys
        )
        if rows:
            empty = not any(not table.is_blank_row(r) for r in table.rows)
            if not empty:
                plan.say("init_kept_rows", tab=table.title)
                continue
            _sample(plan, tab, table.title, header_row, columns, rows)
            _need(plan, info.sheet_id, header_row + len(rows), max(columns.values()) + 1)
    for sheet_id, (rows_needed, cols_needed) in plan.grow.items():
        info = next(s for s in sheets.values() if s.sheet_id == sheet_id)
        if rows_needed > info.rows:
            plan.structure.insert(0, _append(sheet_id, "ROWS", rows_needed - info.rows))
        if cols_needed > info.cols:
            plan.structure.insert(0, _append(sheet_id, "COLUMNS", cols_needed - info.cols))
    plan.structure += plan.dressing
    if plan.dressed:
        plan.say("init_dressed", tabs=join(plan.locale, plan.dressed))
    _send(backend, plan)
    return plan.done


def _dress(
    plan: _Plan,
    schema: Schema,
    tab: Tab,
    title: str,
    sheet_id: int,
    locale: Locale,
    columns: Mapping[str, int] | None,
    cols: int,
) -> None:
    """A tab's dressing (sync.writes.tab_format) within its `cols` grid columns, sent after the
    requests that add its columns; init freezes header rows itself."""
    fmt = tab_format(schema, tab.key, title, locale, columns)
    plan.dressing += dress(fmt, sheet_id, frozen=False, cols=cols)
    plan.dressed.append(title)


def _send(backend: SheetsReader, plan: _Plan) -> None:
    http, sid = backend.http, backend.spreadsheet_id
    try:
        if plan.structure:
            body = {"requests": plan.structure}
            backend.caller.call("gs_act_adding_tabs", lambda: http.batch_update(sid, body))
        if plan.values:
            data = {"valueInputOption": "RAW", "data": plan.values}
            backend.caller.call(
                "gs_act_headers",
                lambda: http.values_batch_update(sid, data),
                "gs_wrote_headers",
            )
    except BadRange as exc:
        raise BackendError.worded("gs_init_changed", problem=exc) from None


def _need(plan: _Plan, sheet_id: int, rows: int, cols: int) -> None:
    old = plan.grow.get(sheet_id, (0, 0))
    plan.grow[sheet_id] = (max(old[0], rows), max(old[1], cols))


def _append(sheet_id: int, dimension: str, length: int) -> dict[str, Any]:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}


def _freeze(sheet_id: int, rows: int) -> dict[str, Any]:
    return {
        "updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": rows}},
            "fields": "gridProperties.frozenRowCount",
        }
    }


def _range(title: str, row: int, col: int, values: list[list[object]]) -> dict[str, Any]:
    width = max(len(r) for r in values)
    end = f"{column_letters(col + width - 1)}{row + len(values) - 1}"
    return {
        "range": f"{quote_title(title)}!{column_letters(col)}{row}:{end}",
        "majorDimension": "ROWS",
        "values": values,
    }


def _new_tab(
    plan: _Plan,
    tab: Tab,
    title: str,
    sheet_id: int,
    schema: Schema,
    locale: Locale,
    rows: list[dict[str, object]],
) -> None:
    grid: dict[str, Any] = {
        "rowCount": max(NEW_TAB_ROWS, len(rows) + 1),
        "columnCount": max(NEW_TAB_COLUMNS, len(tab.columns)),
    }
    if tab.columns:
        grid["frozenRowCount"] = 1
    plan.structure.append(
        {"addSheet": {"properties": {"sheetId": sheet_id, "title": title, "gridProperties": grid}}}
    )
    plan.say("init_added_tab", tab=title)
    columns = {c.key: i for i, c in enumerate(tab.columns)}
    if tab.columns:
        plan.values.append(_range(title, 1, 0, [[c.label(locale) for c in tab.columns]]))
    _safeguard(plan, tab, schema, sheet_id, 1, columns, {}, title, set(columns))
    if rows:
        _sample(plan, tab, title, 1, columns, rows)


def _sample(
    plan: _Plan,
    tab: Tab,
    title: str,
    header_row: int,
    columns: Mapping[str, int],
    rows: list[dict[str, object]],
) -> None:
    width = max(columns.values()) + 1
    moments = {c.key for c in tab.columns if c.type == "datetime" and c.owner != "human"}
    block: list[list[object]] = []
    for values in rows:
        line: list[object] = [""] * width
        for key, value in values.items():
            if key in columns:
                moment = moment_of(value) if key in moments else None
                line[columns[key]] = serial(moment) if moment else cell_json(value)
        block.append(line)
    plan.values.append(_range(title, header_row + 1, 0, block))
    plan.say("init_sample_rows", tab=title, n=len(rows))


def _safeguard(
    plan: _Plan,
    tab: Tab,
    schema: Schema,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    extra: Mapping[str, Any],
    title: str,
    only: set[str],
) -> None:
    """Dropdowns on the columns `only` names, protections, and highlights on Requests."""
    locale = plan.locale
    added = dropdowns(tab, schema, locale, sheet_id, header_row, columns, only)
    plan.structure += added
    if added:
        plan.say("init_dropdowns", tab=tab.title(locale), n=len(added))
    added = protections(tab, sheet_id, header_row, columns, extra, locale)
    plan.structure += added
    if added and tab.worker_tab:
        plan.say("init_protected_tab", tab=title)
    elif added:
        plan.say("init_protected_columns", tab=title, n=len(added))
    if tab.key == "requests":
        added = highlights(schema, sheet_id, header_row, columns, extra)
        plan.structure += added
        if added:
            plan.say("init_highlighted", n=len(added))


__all__ = ["INIT_FIELDS", "initialise_spreadsheet"]
