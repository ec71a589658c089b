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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sync.backends.gsheets.dress import DRESSED_FIELDS, dress, serial
from sync.backends.gsheets.http import BadRange, SheetsCaller
from sync.backends.gsheets.sheets import (
    NEW_TAB_COLUMNS,
    NEW_TAB_ROWS,
    Grid,
    SheetInfo,
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


class Spreadsheet(Protocol):
    """What init uses of the Google backend (sync.backends.gsheets.GSheetsBackend)."""

    spreadsheet_id: str
    http: Any  # gspread's HTTPClient
    caller: SheetsCaller

    def describe(self) -> str:
        """The spreadsheet's name."""
        ...

    def raw_metadata(self, fields: str) -> dict[str, Any]:
        """spreadsheets.get with a field mask."""
        ...

    def known_titles(self, sheets: Mapping[str, SheetInfo], schema: Schema) -> list[str]:
        """Titles of the tabs the schema knows."""
        ...

    def read_grids(
        self, sheets: Mapping[str, SheetInfo], titles: Sequence[str]
    ) -> tuple[dict[str, Grid], dict[str, SheetInfo]]:
        """One batchGet of whole tabs."""
        ...


INIT_FIELDS = (
    "spreadsheetId,properties(title,locale),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,"
    "frozenRowCount)),protectedRanges(protectedRangeId,description),conditionalFormats,"
    + DRESSED_FIELDS
    + ")"
)
_MULTI_TYPES = {"communities", "categories"}
_MARK = "aidsync"
_URGENT_FORMAT = {
    "backgroundColor": {"red": 1.0, "green": 0.9, "blue": 0.9},
    "textFormat": {"bold": True},
}
_ESCALATED_FORMAT = {"backgroundColor": {"red": 1.0, "green": 0.95, "blue": 0.8}}


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
    backend: Spreadsheet,
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
        _dropdowns(plan, tab, schema, locale, info.sheet_id, header_row, columns, new_keys)
        _protect(plan, tab, info.sheet_id, header_row, columns, extra, table.title, locale)
        if tab.key == "requests":
            _highlights(plan, schema, info.sheet_id, header_row, columns, extra)
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


def _send(backend: Spreadsheet, plan: _Plan) -> None:
    http, sid = backend.http, backend.spreadsheet_id
    try:
        if plan.structure:
            body = {"requests": plan.structure}
            backend.caller.call("adding tabs and formatting", lambda: http.batch_update(sid, body))
        if plan.values:
            data = {"valueInputOption": "RAW", "data": plan.values}
            backend.caller.call(
                "writing headers",
                lambda: http.values_batch_update(sid, data),
                "Tabs and formatting may have been added, but no header was written; "
                "run aidsync init again.",
            )
    except BadRange as exc:
        raise BackendError(
            f"{exc} — the spreadsheet changed while init ran; nothing was lost, run aidsync "
            "init again"
        ) from None


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
    _dropdowns(plan, tab, schema, locale, sheet_id, 1, columns, set(columns))
    _protect(plan, tab, sheet_id, 1, columns, {}, title, locale)
    if tab.key == "requests":
        _highlights(plan, schema, sheet_id, 1, columns, {})
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


def _dropdowns(
    plan: _Plan,
    tab: Tab,
    schema: Schema,
    locale: Locale,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    only: set[str],
) -> None:
    """Dropdowns (a warning, not a refusal) on choice columns that init itself adds."""
    count = 0
    for column in tab.columns:
        if column.key not in only or not column.choices or column.type in _MULTI_TYPES:
            continue
        labels = [o.label(locale) for o in schema.choice_list(column.choices).options]
        col = columns[column.key]
        plan.structure.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": header_row,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": label} for label in labels],
                        },
                        "strict": False,
                        "showCustomUi": True,
                    },
                }
            }
        )
        count += 1
    if count:
        plan.say("init_dropdowns", tab=tab.title(locale), n=count)


def _protect(
    plan: _Plan,
    tab: Tab,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    extra: Mapping[str, Any],
    title: str,
    locale: Locale,
) -> None:
    """Warning-only protection over worker-owned columns (the whole tab for Summary/Log)."""
    existing = {str(p.get("description", "")) for p in extra.get("protectedRanges") or []}
    ranges: list[tuple[str, dict[str, Any]]] = []
    if tab.worker_tab:
        ranges.append((f"{_MARK}: {tab.key}", {"sheetId": sheet_id}))
    else:
        for column in tab.columns:
            if column.owner != "worker" or column.key not in columns:
                continue
            col = columns[column.key]
            grid = {
                "sheetId": sheet_id,
                "startRowIndex": header_row - 1,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            }
            ranges.append((f"{_MARK}: {tab.key}.{column.key}", grid))
    count = 0
    for description, grid in ranges:
        if _matches(description, existing):
            continue
        plan.structure.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": grid,
                        "description": f"{description} — {say(locale, 'header_worker')}",
                        "warningOnly": True,
                    }
                }
            }
        )
        count += 1
    if count:
        if tab.worker_tab:
            plan.say("init_protected_tab", tab=title)
        else:
            plan.say("init_protected_columns", tab=title, n=count)


def _matches(description: str, existing: set[str]) -> bool:
    return any(d == description or d.startswith(description + " ") for d in existing)


def _highlights(
    plan: _Plan,
    schema: Schema,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    extra: Mapping[str, Any],
) -> None:
    """Conditional formats: urgent rows bold on pink, escalated rows on amber."""
    existing = set()
    for rule in extra.get("conditionalFormats") or []:
        for value in ((rule.get("booleanRule") or {}).get("condition") or {}).get("values") or []:
            existing.add(str(value.get("userEnteredValue", "")))
    width = max(columns.values()) + 1
    first = header_row + 1
    added = 0
    for key, list_name, option, fmt in (
        ("urgency", "urgency", "urgent", _URGENT_FORMAT),
        ("status", "request_status", "escalated", _ESCALATED_FORMAT),
    ):
        if key not in columns:
            continue
        choice = schema.choice_list(list_name).get(option)
        cell = f"${column_letters(columns[key])}{first}"
        tests = ",".join(f'{cell}="{label}"' for label in dict.fromkeys((choice.zh, choice.en)))
        formula = f"=OR({tests})"
        if formula in existing:
            continue
        plan.structure.append(
            {
                "addConditionalFormatRule": {
                    "index": 0,
                    "rule": {
                        "ranges": [
                            {
                                "sheetId": sheet_id,
                                "startRowIndex": header_row,
                                "startColumnIndex": 0,
                                "endColumnIndex": width,
                            }
                        ],
                        "booleanRule": {
                            "condition": {
                                "type": "CUSTOM_FORMULA",
                                "values": [{"userEnteredValue": formula}],
                            },
                            "format": fmt,
                        },
                    },
                }
            }
        )
        added += 1
    if added:
        plan.say("init_highlighted", n=added)


__all__ = ["INIT_FIELDS", "SheetInfo", "initialise_spreadsheet"]
