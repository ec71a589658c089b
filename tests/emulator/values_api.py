"""spreadsheets.values.* endpoints: get, batchGet, update, batchUpdate, append, clear."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .a1 import A1Error, column_letters, format_range, parse_range
from .errors import bad_request, invalid_value
from .model import Sheet, Spreadsheet, parse_input

Query = dict[str, list[str]]
VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")


@dataclass
class Effects:
    """Side effects of a write that the emulator records once the request succeeds."""

    formulas: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class Target:
    """A resolved range: the sheet and its open bounds."""

    sheet: Sheet
    start_row: int | None
    start_col: int | None
    end_row: int | None
    end_col: int | None

    def bounded(self) -> tuple[int, int, int, int]:
        """Close open bounds against the sheet's grid."""
        return (
            self.start_row if self.start_row is not None else 0,
            self.start_col if self.start_col is not None else 0,
            self.end_row if self.end_row is not None else self.sheet.row_count,
            self.end_col if self.end_col is not None else self.sheet.column_count,
        )


def _param(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[-1] if values else default


def _enum(query: Query, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = _param(query, name, default) or default
    if value not in allowed:
        raise invalid_value(name, value, "TYPE_ENUM")
    return value


def resolve(spreadsheet: Spreadsheet, text: str) -> Target:
    """Resolve an A1 range string against a spreadsheet (400 'Unable to parse range')."""
    try:
        parsed = parse_range(text)
    except A1Error as exc:
        raise bad_request(f"Unable to parse range: {text}") from exc
    if parsed.sheet is None:
        sheet: Sheet | None = min(spreadsheet.sheets, key=lambda s: s.index)
    else:
        sheet = spreadsheet.sheet_by_title(parsed.sheet)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {text}")
    return Target(sheet, parsed.start_row, parsed.start_col, parsed.end_row, parsed.end_col)


def _check_grid(target: Target, text: str) -> tuple[int, int, int, int]:
    sr, sc, er, ec = target.bounded()
    sheet = target.sheet
    if er > sheet.row_count or ec > sheet.column_count or sr >= er or sc >= ec:
        raise bad_request(
            f"Range ({text}) exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.column_count}"
        )
    return sr, sc, er, ec


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    out = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == "":
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def read_range(spreadsheet: Spreadsheet, text: str, query: Query) -> dict[str, Any]:
    """Build a ValueRange for one range string."""
    value_render = _enum(query, "valueRenderOption", VALUE_RENDER, "FORMATTED_VALUE")
    date_render = _enum(query, "dateTimeRenderOption", DATE_RENDER, "SERIAL_NUMBER")
    major = _enum(query, "majorDimension", ("ROWS", "COLUMNS"), "ROWS")
    target = resolve(spreadsheet, text)
    sr, sc, er, ec = _check_grid(target, text)
    sheet = target.sheet
    last_row = min(er, len(sheet.rows))
    grid = [
        [sheet.render(r, c, value_render, date_render) for c in range(sc, ec)]
        for r in range(sr, last_row)
    ]
    if major == "COLUMNS":
        grid = [list(col) for col in zip(*grid, strict=False)] if grid else []
    result: dict[str, Any] = {
        "range": format_range(sheet.title, sr, sc, er, ec),
        "majorDimension": major,
    }
    values = _trim(grid)
    if values:
        result["values"] = values
    return result


def values_get(spreadsheet: Spreadsheet, text: str, query: Query) -> dict[str, Any]:
    """GET /values/{range}."""
    return read_range(spreadsheet, text, query)


def values_batch_get(spreadsheet: Spreadsheet, query: Query) -> dict[str, Any]:
    """GET /values:batchGet?ranges=...&ranges=..."""
    ranges = query.get("ranges", [])
    return {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "valueRanges": [read_range(spreadsheet, text, query) for text in ranges],
    }


def _input_option(value: str | None) -> bool:
    if value is None or value == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise bad_request("'valueInputOption' is required but not specified")
    if value not in ("RAW", "USER_ENTERED"):
        raise invalid_value("value_input_option", value, "TYPE_ENUM")
    return value == "USER_ENTERED"


def _matrix(body: dict[str, Any], field_name: str) -> list[list[Any]]:
    values = body.get("values")
    if values is None:
        return []
    if not isinstance(values, list):
        raise invalid_value(field_name, values, "type.googleapis.com/google.protobuf.ListValue")
    rows = []
    for row in values:
        if not isinstance(row, list):
            raise invalid_value(field_name, row, "type.googleapis.com/google.protobuf.ListValue")
        rows.append(row)
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[col[i] if i < len(col) else None for col in rows] for i in range(width)]
    return rows


def write_block(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    origin: tuple[int, int],
    rows: list[list[Any]],
    user_entered: bool,
    effects: Effects,
) -> dict[str, Any]:
    """Write a block of JSON values at origin; return the UpdateValuesResponse counts."""
    r0, c0 = origin
    width = max((len(r) for r in rows), default=0)
    cells = 0
    for dr, row in enumerate(rows):
        for dc, raw in enumerate(row):
            cells += 1
            if raw is None:
                continue
            if isinstance(raw, dict | list):
                raise invalid_value("data.values", raw, "type.googleapis.com/google.protobuf.Value")
            cell = parse_input(raw, user_entered)
            sheet.set_cell(r0 + dr, c0 + dc, cell)
            if cell is not None and cell.formula is not None:
                name = f"{column_letters(c0 + dc)}{r0 + dr + 1}"
                effects.formulas.append(
                    (spreadsheet.spreadsheet_id, sheet.title, name, cell.formula)
                )
    result: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if cells:
        result["updatedRange"] = format_range(sheet.title, r0, c0, r0 + len(rows), c0 + width)
        result.update(updatedRows=len(rows), updatedColumns=width, updatedCells=cells)
    return result


def _fit(target: Target, text: str, rows: list[list[Any]]) -> tuple[int, int]:
    sr, sc, er, ec = target.bounded()
    single = (
        target.end_row == (target.start_row or 0) + 1
        and target.end_col == (target.start_col or 0) + 1
    )
    width = max((len(r) for r in rows), default=0)
    sheet = target.sheet
    shown = format_range(sheet.title, sr, sc, er, ec)
    if not single:
        if len(rows) > er - sr:
            raise bad_request(
                f"Requested writing within range [{shown}], but tried writing to row "
                f"[{sr + len(rows)}]"
            )
        if width > ec - sc:
            raise bad_request(
                f"Requested writing within range [{shown}], but tried writing to column "
                f"[{column_letters(sc + width - 1)}]"
            )
    if sr + len(rows) > sheet.row_count or sc + width > sheet.column_count:
        wanted = format_range(sheet.title, sr, sc, sr + max(len(rows), 1), sc + max(width, 1))
        raise bad_request(
            f"Range ({wanted}) exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.column_count}"
        )
    return sr, sc


def _response_values(
    spreadsheet: Spreadsheet,
    result: dict[str, Any],
    query: Query,
    prefix: str,
    requested: str | None = None,
) -> None:
    """updatedData: the values written, or, when the range asked for was larger than what was
    written (nulls skip cells), every value of the requested range (trailing empties trimmed),
    as the API reference describes includeValuesInResponse."""
    if (_param(query, "includeValuesInResponse", "false") or "").lower() != "true":
        return
    if "updatedRange" not in result:
        return
    sub = {
        "valueRenderOption": [_param(query, f"{prefix}ValueRenderOption", "FORMATTED_VALUE") or ""],
        "dateTimeRenderOption": [
            _param(query, f"{prefix}DateTimeRenderOption", "SERIAL_NUMBER") or ""
        ],
    }
    result["updatedData"] = read_range(spreadsheet, requested or result["updatedRange"], sub)


def values_update(
    spreadsheet: Spreadsheet, text: str, query: Query, body: Any, effects: Effects
) -> dict[str, Any]:
    """PUT /values/{range}?valueInputOption=..."""
    user_entered = _input_option(_param(query, "valueInputOption"))
    body = body if isinstance(body, dict) else {}
    rows = _matrix(body, "data.values")
    target = resolve(spreadsheet, text)
    origin = _fit(target, text, rows)
    result = write_block(spreadsheet, target.sheet, origin, rows, user_entered, effects)
    _response_values(spreadsheet, result, query, "response")
    return result


def values_batch_update(spreadsheet: Spreadsheet, body: Any, effects: Effects) -> dict[str, Any]:
    """POST /values:batchUpdate."""
    body = body if isinstance(body, dict) else {}
    user_entered = _input_option(body.get("valueInputOption"))
    query: Query = {
        key: [str(body[key])]
        for key in ("includeValuesInResponse", "responseValueRenderOption")
        if key in body
    }
    responses = []
    sheets: set[int] = set()
    totals = {"rows": 0, "columns": 0, "cells": 0}
    for i, item in enumerate(body.get("data") or []):
        rows = _matrix(item, f"data[{i}].values")
        target = resolve(spreadsheet, str(item.get("range", "")))
        origin = _fit(target, str(item.get("range", "")), rows)
        result = write_block(spreadsheet, target.sheet, origin, rows, user_entered, effects)
        sr, sc, er, ec = target.bounded()
        requested = format_range(target.sheet.title, sr, sc, er, ec)
        _response_values(spreadsheet, result, query, "response", requested)
        responses.append(result)
        if "updatedRange" in result:
            sheets.add(target.sheet.sheet_id)
            totals["rows"] += result["updatedRows"]
            totals["columns"] = max(totals["columns"], result["updatedColumns"])
            totals["cells"] += result["updatedCells"]
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if totals["cells"]:
        answer.update(
            totalUpdatedRows=totals["rows"],
            totalUpdatedColumns=totals["columns"],
            totalUpdatedCells=totals["cells"],
            totalUpdatedSheets=len(sheets),
        )
    answer["responses"] = responses
    return answer


def _find_table(
    sheet: Sheet, bounds: tuple[int, int, int, int]
) -> tuple[int, int, int, int] | None:
    """Heuristic table detection: the last connected block of data inside the range."""
    sr, sc, er, ec = bounds
    filled = {
        (r, c)
        for r in range(sr, min(er, len(sheet.rows)))
        for c in range(sc, min(ec, len(sheet.rows[r])))
        if sheet.rows[r][c] is not None
    }
    seen: set[tuple[int, int]] = set()
    best: tuple[int, int, int, int] | None = None
    for start in sorted(filled):
        if start in seen:
            continue
        stack, block = [start], []
        seen.add(start)
        while stack:
            r, c = stack.pop()
            block.append((r, c))
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if (nr, nc) in filled and (nr, nc) not in seen:
                    seen.add((nr, nc))
                    stack.append((nr, nc))
        box = (
            min(r for r, _ in block),
            min(c for _, c in block),
            max(r for r, _ in block) + 1,
            max(c for _, c in block) + 1,
        )
        if best is None or (box[2], box[1]) >= (best[2], best[1]):
            best = box
    return best


def values_append(
    spreadsheet: Spreadsheet, text: str, query: Query, body: Any, effects: Effects
) -> dict[str, Any]:
    """POST /values/{range}:append (OVERWRITE or INSERT_ROWS); the grid grows as needed."""
    user_entered = _input_option(_param(query, "valueInputOption"))
    insert = _enum(query, "insertDataOption", ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE")
    rows = _matrix(body if isinstance(body, dict) else {}, "data.values")
    target = resolve(spreadsheet, text)
    sheet = target.sheet
    bounds = _check_grid(target, text)
    table = _find_table(sheet, bounds)
    answer: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if table is None:
        origin = (bounds[0], bounds[1])
    else:
        answer["tableRange"] = format_range(sheet.title, *table)
        origin = (table[2], table[1])
    width = max((len(r) for r in rows), default=0)
    if insert == "INSERT_ROWS" and rows:
        sheet.insert("ROWS", origin[0], len(rows))
    if origin[0] + len(rows) > sheet.row_count:
        sheet.row_count = origin[0] + len(rows)
    if origin[1] + width > sheet.column_count:
        sheet.column_count = origin[1] + width
    updates = write_block(spreadsheet, sheet, origin, rows, user_entered, effects)
    _response_values(spreadsheet, updates, query, "response")
    answer["updates"] = updates
    return answer


def values_clear(spreadsheet: Spreadsheet, text: str) -> dict[str, Any]:
    """POST /values/{range}:clear."""
    target = resolve(spreadsheet, text)
    sr, sc, er, ec = _check_grid(target, text)
    target.sheet.clear(sr, sc, er, ec)
    return {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "clearedRange": format_range(target.sheet.title, sr, sc, er, ec),
    }


def values_batch_clear(spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    """POST /values:batchClear."""
    ranges = (body or {}).get("ranges") or []
    cleared = [values_clear(spreadsheet, str(text))["clearedRange"] for text in ranges]
    return {"spreadsheetId": spreadsheet.spreadsheet_id, "clearedRanges": cleared}
