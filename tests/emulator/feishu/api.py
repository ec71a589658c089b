"""The sheets endpoints, as functions of (spreadsheet, app, query, body) → data.

Each follows its page in the Open Platform documentation (paths under uUDN04SN0QjL1QDN/sheets-v3
in the riba2534/feishu-open-docs mirror): values_batch_get (data/ukTMzUjL5EzM14SOxMTN),
values_batch_update (data/uEjMzUjLxIzM14SMyMTN), the value types a v2 write takes
(data/ugjN1UjL4YTN14CO2UTN), sheets/query (spreadsheet-sheet/query), sheets_batch_update
(spreadsheet-sheet/uYTMzUjL2EzM14iNxMTN), dimension_range (sheet-rowcol/uUjMzUjL1IzM14SNyMTN),
dataValidation (datavalidation/set-dropdown), protected_dimension
(protect-range/ugDNzUjL4QzM14CO0MTN) and styles_batch_update
(data-operation/uAzMzUjLwMzM14CMzMTN, with the number formats of data/uMjM2UjLzIjN14yMyYTN).
"""

from __future__ import annotations

import json
import random
import re
import string
from typing import Any

from .errors import FeishuError, wrong_range
from .model import (
    MAX_SHEET_CELLS,
    Area,
    DateValue,
    Formula,
    Protection,
    Sheet,
    Spreadsheet,
    column_letters,
    parse_range,
)

MAX_WRITE_ROWS = 5000  # values_batch_update: at most 5,000 rows and 100 columns per write
MAX_WRITE_COLS = 100
MAX_CELL_CHARS = 50_000  # … and 50,000 characters per cell
MAX_ANSWER_BYTES = 10 * 1024 * 1024  # values_batch_get: an answer is at most 10 MB
MAX_DROPDOWN_VALUES = 500
MAX_DROPDOWN_CHARS = 100
MAX_PROTECTIONS = 50
MAX_APPEND = 5000
_FORBIDDEN_TITLE = set("/\\?*[]:")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _render(value: Any, option: str, dates: str) -> Any:
    """One cell as values_batch_get gives it under valueRenderOption / dateTimeRenderOption."""
    if isinstance(value, Formula):
        if option == "Formula" or option == "":
            return value.text  # the default returns formulas themselves, not their results
        value = value.value
    if isinstance(value, DateValue):
        return value.formatted() if dates == "FormattedString" else value.serial
    if option == "ToString" and isinstance(value, bool):
        return str(value).upper()
    return value


def values_batch_get(book: Spreadsheet, query: dict[str, list[str]], limit: int) -> Any:
    """Read several ranges; trailing empty rows are not returned, empty cells are null."""
    raw = (query.get("ranges") or [""])[0]
    if not raw:
        raise FeishuError(400, 90204, "WrongRequestBody", "ranges is required")
    option = (query.get("valueRenderOption") or [""])[0]
    dates = (query.get("dateTimeRenderOption") or [""])[0]
    if option not in ("", "ToString", "Formula", "FormattedValue", "UnformattedValue"):
        raise FeishuError(400, 90229, "WrongURLParam", f"valueRenderOption {option!r}")
    value_ranges: list[dict[str, Any]] = []
    total = 0
    for text in raw.split(","):
        area = parse_range(book, text, reading=True)
        sheet = area.sheet
        row1 = min(area.row1, sheet.row_count)
        col1 = min(area.col1, sheet.column_count)
        rows: list[list[Any]] = []
        for r in range(area.row0, row1):
            rows.append([_render(sheet.get(r, c), option, dates) for c in range(area.col0, col1)])
        while rows and all(v is None for v in rows[-1]):
            rows.pop()  # the answer's range ends at the last row holding something
        if rows:
            end = f"{column_letters(col1 - 1)}{area.row0 + len(rows)}"
            answer = f"{sheet.sheet_id}!{column_letters(area.col0)}{area.row0 + 1}:{end}"
        else:
            answer, rows = "", [[None]]  # "empty range: the queried range holds no data"
        total += sum(len(r) for r in rows)
        value_ranges.append({"majorDimension": "ROWS", "range": answer,
                             "revision": book.revision, "values": rows})  # fmt: skip
    data = {"revision": book.revision, "spreadsheetToken": book.token, "totalCells": total,
            "valueRanges": value_ranges}  # fmt: skip
    if len(json.dumps(data, ensure_ascii=False).encode()) > limit:
        raise FeishuError(400, 90221, "TooLargeResponse", "the answer exceeds 10 MB")
    return data


def _cell_from_json(value: Any) -> Any:
    """A written value as the sheet stores it (the types of 'supported data types')."""
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "text":
            return str(value.get("text", ""))
        if kind == "formula":
            return Formula(str(value.get("text", "")), "#FORMULA")
        if kind == "url":
            return str(value.get("text", value.get("link", "")))
        raise FeishuError(400, 90204, "WrongRequestBody", f"unsupported cell type {kind!r}")
    if isinstance(value, list):  # rich text: a list of text segments
        return "".join(str(v.get("text", "")) for v in value if isinstance(v, dict))
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        # Assume the worst about a plain string that looks like a formula: it becomes one.
        return Formula(value, "#NAME?")
    if isinstance(value, str) and _NUMBER.match(value):
        # … and about one that looks like a number: it becomes a number (leading zeros lost).
        return float(value) if "." in value else int(value)
    return value


def _text_length(value: Any) -> int:
    if isinstance(value, dict):
        return len(str(value.get("text", "")))
    return len(value) if isinstance(value, str) else 0


def values_batch_update(book: Spreadsheet, app: str, body: Any) -> Any:
    """Write several ranges; checked whole before any cell changes (all or nothing)."""
    ranges = body.get("valueRanges") if isinstance(body, dict) else None
    if not isinstance(ranges, list) or not ranges:
        raise FeishuError(400, 90204, "WrongRequestBody", "valueRanges is required")
    planned: list[tuple[Area, list[list[Any]]]] = []
    rows_total = 0
    for item in ranges:
        area = parse_range(book, str(item.get("range", "")))
        values = item.get("values")
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise FeishuError(400, 90204, "WrongRequestBody", "values must be rows")
        height, width = len(values), max((len(r) for r in values), default=0)
        if height > area.row1 - area.row0 or width > area.col1 - area.col0:
            raise wrong_range(str(item.get("range")))  # the range must hold the values
        if area.row0 + height > area.sheet.row_count or area.col0 + width > area.sheet.column_count:
            raise wrong_range(str(item.get("range")))  # past the sheet's grid
        if width > MAX_WRITE_COLS:
            raise FeishuError(400, 90226, "ExcessLimit", "at most 100 columns per write")
        rows_total += height
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                if _text_length(value) > MAX_CELL_CHARS:
                    raise FeishuError(400, 90222, "TooLargeCell", "at most 50000 characters")
                if area.sheet.locked_for(app, area.row0 + r, area.col0 + c):
                    raise FeishuError(400, 90218, "LockedCell", "the cell is protected")
        planned.append((area, values))
    if rows_total > MAX_WRITE_ROWS:
        raise FeishuError(400, 90226, "ExcessLimit", "at most 5000 rows per write")
    stored = [[[_cell_from_json(v) for v in line] for line in values] for _, values in planned]
    responses = []
    for (area, values), cells in zip(planned, stored, strict=True):
        for r, line in enumerate(cells):
            for c, value in enumerate(line):
                area.sheet.put(area.row0 + r, area.col0 + c, value)
        width = max((len(r) for r in values), default=0)
        end = f"{column_letters(area.col0 + max(width, 1) - 1)}{area.row0 + max(len(values), 1)}"
        responses.append({
            "spreadsheetToken": book.token,
            "updatedRange": f"{area.sheet.sheet_id}!{column_letters(area.col0)}{area.row0 + 1}:{end}",
            "updatedRows": len(values), "updatedColumns": width,
            "updatedCells": sum(len(r) for r in values),
        })  # fmt: skip
    book.revision += 1
    return {"responses": responses, "revision": book.revision, "spreadsheetToken": book.token}


def sheets_query(book: Spreadsheet) -> Any:
    """Every sheet's id, title, index and grid (v3 sheets/query)."""
    return {
        "sheets": [
            {"sheet_id": s.sheet_id, "title": s.title, "index": i, "hidden": s.hidden,
             "resource_type": "sheet",
             "grid_properties": {"frozen_row_count": s.frozen_rows,
                                 "frozen_column_count": s.frozen_cols,
                                 "row_count": s.row_count, "column_count": s.column_count}}
            for i, s in enumerate(book.sheets)
        ]
    }  # fmt: skip


def spreadsheet_get(book: Spreadsheet, base: str) -> Any:
    """The spreadsheet's title and token (v3 spreadsheets/get)."""
    return {"spreadsheet": {"title": book.title, "owner_id": "ou_emulator", "token": book.token,
                            "url": f"{base}/sheets/{book.token}"}}  # fmt: skip


def new_sheet_id(book: Spreadsheet, rng: random.Random) -> str:
    """A fresh 6-character sheet id."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(rng.choice(alphabet) for _ in range(6))
        if book.sheet(candidate) is None:
            return candidate


def _check_title(book: Spreadsheet, title: str, skip: Sheet | None = None) -> None:
    if not title:
        raise FeishuError(400, 90207, "EmptySheetTitle")
    if len(title) > 100 or _FORBIDDEN_TITLE & set(title):
        raise FeishuError(400, 90204, "WrongRequestBody", f"invalid title {title!r}")
    if any(s.title == title for s in book.sheets if s is not skip):
        raise FeishuError(400, 90210, "ExistSheetTitle", title)


def sheets_batch_update(book: Spreadsheet, body: Any, rng: random.Random) -> Any:
    """addSheet, updateSheet (title, frozen rows) and deleteSheet, checked before applied."""
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list) or not requests:
        raise FeishuError(400, 90204, "WrongRequestBody", "requests is required")
    sheets = list(book.sheets)
    replies: list[dict[str, Any]] = []
    trial = Spreadsheet(book.token, book.title, sheets)
    for req in requests:
        if "addSheet" in req:
            props = req["addSheet"].get("properties") or {}
            title = str(props.get("title", ""))
            _check_title(trial, title)
            sheet = Sheet(new_sheet_id(trial, rng), title)
            index = int(props.get("index", 0))
            sheets.insert(max(0, min(index, len(sheets))), sheet)
            replies.append({"addSheet": {"properties": {"sheetId": sheet.sheet_id,
                                                        "title": title, "index": index}}})  # fmt: skip
        elif "updateSheet" in req:
            props = req["updateSheet"].get("properties") or {}
            target = trial.sheet(str(props.get("sheetId", "")))
            if target is None:
                raise FeishuError(400, 90215, "SheetIdNotFound", str(props.get("sheetId")))
            if "title" in props:
                _check_title(trial, str(props["title"]), skip=target)
                target.title = str(props["title"])
            if "frozenRowCount" in props:
                target.frozen_rows = int(props["frozenRowCount"])
            if "frozenColCount" in props:
                target.frozen_cols = int(props["frozenColCount"])
            replies.append({"updateSheet": {"properties": dict(props)}})
        elif "deleteSheet" in req:
            target = trial.sheet(str(req["deleteSheet"].get("sheetId", "")))
            if target is None:
                raise FeishuError(400, 90215, "SheetIdNotFound")
            sheets.remove(target)
            replies.append({"deleteSheet": {"result": True, "sheetId": target.sheet_id}})
        else:
            raise FeishuError(400, 90204, "WrongRequestBody", f"unknown request {list(req)}")
    book.sheets = sheets
    book.revision += 1
    return {"replies": replies}


def _sheet(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet(str(sheet_id or ""))
    if sheet is None:
        raise FeishuError(400, 90215, "SheetIdNotFound", f"sheetId {sheet_id!r} not found")
    return sheet


def dimension_range(book: Spreadsheet, method: str, body: Any) -> Any:
    """POST: add rows or columns at the end; PUT: set column widths (fixedSize)."""
    dim = (body or {}).get("dimension") or {}
    sheet = _sheet(book, dim.get("sheetId"))
    major = dim.get("majorDimension")
    if major not in ("ROWS", "COLUMNS"):
        raise FeishuError(400, 90204, "WrongRequestBody", "majorDimension ROWS or COLUMNS")
    if method == "PUT":  # 1-based, both ends included, inside the grid
        start, end = int(dim.get("startIndex", 0)), int(dim.get("endIndex", 0))
        size = sheet.column_count if major == "COLUMNS" else sheet.row_count
        if not 1 <= start <= end <= size:
            raise FeishuError(400, 90212, "WrongRowOrCol", "startIndex..endIndex in the grid")
        size = ((body or {}).get("dimensionProperties") or {}).get("fixedSize")
        if major == "COLUMNS" and size:
            for col in range(start - 1, end):
                sheet.widths[col] = int(size)
        book.revision += 1
        return {}
    length = int(dim.get("length", 0))
    if not 0 < length <= MAX_APPEND:
        raise FeishuError(400, 90212, "WrongRowOrCol", "length must be in (0, 5000]")
    rows = sheet.row_count + (length if major == "ROWS" else 0)
    cols = sheet.column_count + (length if major == "COLUMNS" else 0)
    if rows * cols > MAX_SHEET_CELLS:
        raise FeishuError(400, 90219, "CellExcess", "a sheet holds at most 5,000,000 cells")
    sheet.row_count, sheet.column_count = rows, cols
    book.revision += 1
    return {"addCount": length, "majorDimension": major}


# styles_batch_update: the style fields and number formats the documentation lists
_STYLE_KEYS = {
    "font", "textDecoration", "formatter", "hAlign", "vAlign", "foreColor", "backColor",
    "borderType", "borderColor", "clean",
}  # fmt: skip
FORMATTERS = {
    "", "@", "0", "#,##0", "#,##0.00", "0%", "0.00%", "0.00E+00", "¥#,##0", "¥#,##0.00",
    "$#,##0", "$#,##0.00", "yyyy/MM/dd", "yyyy-MM-dd", "HH:mm:ss", "yyyy/MM/dd HH:mm:ss",
}  # fmt: skip
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def styles_batch_update(book: Spreadsheet, body: Any) -> Any:
    """Set styles on ranges (≤ 5,000 rows and 100 columns a range); checked before applied."""
    data = (body or {}).get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not data:
        raise FeishuError(400, 90204, "WrongRequestBody", "data is required")
    planned: list[tuple[Area, dict[str, Any]]] = []
    for item in data:
        ranges, style = (item or {}).get("ranges"), (item or {}).get("style")
        if not isinstance(ranges, list) or not ranges or not isinstance(style, dict) or not style:
            raise FeishuError(400, 90204, "WrongRequestBody", "ranges and style are required")
        unknown = set(style) - _STYLE_KEYS
        if unknown:
            raise FeishuError(400, 90204, "WrongRequestBody", f"unknown style {sorted(unknown)}")
        for key in ("foreColor", "backColor", "borderColor"):
            if key in style and not _COLOR.match(str(style[key])):
                raise FeishuError(400, 90204, "WrongRequestBody", f"{key} must be #rrggbb")
        if "formatter" in style and style["formatter"] not in FORMATTERS:
            raise FeishuError(400, 90204, "WrongRequestBody", "unsupported formatter")
        for text in ranges:
            area = parse_range(book, str(text))
            if area.row1 > area.sheet.row_count or area.col1 > area.sheet.column_count:
                raise wrong_range(str(text))
            if area.row1 - area.row0 > MAX_WRITE_ROWS or area.col1 - area.col0 > MAX_WRITE_COLS:
                raise FeishuError(400, 90204, "WrongRequestBody", "over 5,000 rows or 100 columns")
            planned.append((area, dict(style)))
    responses = []
    for area, style in planned:
        area.sheet.styles.append(((area.row0, area.col0, area.row1, area.col1), style))
        rows, cols = area.row1 - area.row0, area.col1 - area.col0
        responses.append({"spreadsheetToken": book.token, "updatedRange": _area_text(area),
                          "updatedRows": rows, "updatedColumns": cols,
                          "updatedCells": rows * cols})  # fmt: skip
    book.revision += 1
    return {
        "responses": responses,
        "revision": book.revision,
        "spreadsheetToken": book.token,
        "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
        "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
        "totalUpdatedColumns": sum(r["updatedColumns"] for r in responses),
    }


def _area_text(area: Area) -> str:
    first = f"{column_letters(area.col0)}{area.row0 + 1}"
    return f"{area.sheet.sheet_id}!{first}:{column_letters(area.col1 - 1)}{area.row1}"


def data_validation(book: Spreadsheet, body: Any) -> Any:
    """A list dropdown on a range (≤ 500 options of ≤ 100 characters, no commas)."""
    area = parse_range(book, str((body or {}).get("range", "")))
    if body.get("dataValidationType") != "list":
        raise FeishuError(400, 90204, "WrongRequestBody", "dataValidationType must be list")
    values = ((body.get("dataValidation") or {}).get("conditionValues")) or []
    if (
        len(values) > MAX_DROPDOWN_VALUES
        or any(not isinstance(v, str) or "," in v or len(v) > MAX_DROPDOWN_CHARS for v in values)
        or area.row1 - area.row0 > MAX_WRITE_ROWS
        or area.col1 - area.col0 > MAX_WRITE_COLS
    ):
        raise FeishuError(400, 90204, "WrongRequestBody", "invalid dropdown")
    area.sheet.validations.append({"range": body["range"], "values": list(values)})
    book.revision += 1
    return {}


def protected_dimension(book: Spreadsheet, app: str, body: Any, rng: random.Random) -> Any:
    """Protect whole rows or columns (≤ 50 per call)."""
    items = (body or {}).get("addProtectedDimension")
    if not isinstance(items, list) or not items or len(items) > MAX_PROTECTIONS:
        raise FeishuError(400, 90204, "WrongRequestBody", "1 to 50 dimensions")
    added = []
    for item in items:
        dim = item.get("dimension") or {}
        sheet = _sheet(book, dim.get("sheetId"))
        start, end = int(dim.get("startIndex", 0)), int(dim.get("endIndex", 0))
        if start < 1 or end < start:
            raise FeishuError(400, 90212, "WrongRowOrCol", "startIndex and endIndex from 1")
        pid = "".join(rng.choice(string.digits) for _ in range(19))
        sheet.protections.append(Protection(pid, dim.get("majorDimension", "ROWS"), start, end,
                                            app, tuple(item.get("users") or ())))  # fmt: skip
        added.append({"dimension": dim, "lockInfo": item.get("lockInfo", ""), "protectId": pid})
    book.revision += 1
    return {"addProtectedDimension": added}
