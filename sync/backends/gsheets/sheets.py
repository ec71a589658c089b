"""Google Sheets' objects as plain data: sheets, grids, A1 ranges and cell values (pure)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import gspread
from gspread.utils import extract_id_from_url

from sync.backends.gsheets.chart import CHART_FIELDS
from sync.backends.gsheets.dress import DRESSED_FIELDS, is_dressed, serial
from sync.errors import ConfigError
from sync.model import CellValue
from sync.values import format_time

Grid = list[list[CellValue]]
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,}$")
_RANGE_END = re.compile(r"!\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?$")
METADATA_FIELDS = (
    "spreadsheetId,properties(title,locale),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,"
    "frozenRowCount))," + CHART_FIELDS + "," + DRESSED_FIELDS + ")"
)
CHANGE_AND_READ_FIELDS = (
    "replies,updatedSpreadsheet(sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),"
    "data(startRow,startColumn,rowData(values(effectiveValue,formattedValue))),"
    + CHART_FIELDS
    + ","
    + DRESSED_FIELDS
    + "))"
)
READ_OPTIONS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
NEW_TAB_ROWS = 1000
NEW_TAB_COLUMNS = 26


@dataclass(frozen=True)
class SheetInfo:
    """One grid sheet: its id, title and grid size (rows × columns)."""

    sheet_id: int
    title: str
    index: int
    rows: int
    cols: int
    frozen_rows: int = 0
    charts: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)  # embedded charts
    dressed: bool = False  # carries aidsync's dressing mark (gsheets_format)


def column_letters(col: int) -> str:
    """A1 letters of a 0-based column (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """0-based column of A1 letters."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_title(title: str) -> str:
    """A sheet title as an A1 range prefix ('It''s')."""
    return "'" + title.replace("'", "''") + "'"


def cell_json(value: object) -> object:
    """A value as written with RAW input: text stays text, None clears the cell, a date-time
    is its serial number (its column's number format shows it as a date-time)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return serial(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text_json(value: object) -> object:
    """A value as written where no number format shows a date-time: a time as the worker's text."""
    return format_time(value) if isinstance(value, datetime) else cell_json(value)


def spreadsheet_key(text: str) -> str:
    """The spreadsheet id in a key or a browser URL."""
    text = text.strip()
    if "/" in text or text.lower().startswith("http"):
        try:
            return str(extract_id_from_url(text))
        except gspread.exceptions.NoValidUrlKeyFound:
            raise ConfigError.worded("gs_url_no_key", text=text) from None
    if not _KEY.match(text):
        raise ConfigError.worded("gs_not_key", text=text)
    return text


def grid_of(sheet: Mapping[str, Any]) -> Grid:
    """A whole tab's GridData as values:batchGet gives it (unformatted values, dates as serial
    numbers, an error as its text; trailing empty cells and rows trimmed)."""
    rows: Grid = []
    for part in sheet.get("data") or []:
        top, left = int(part.get("startRow", 0)), int(part.get("startColumn", 0))
        for offset, row in enumerate(part.get("rowData") or []):
            while len(rows) <= top + offset:
                rows.append([])
            line: list[CellValue] = [""] * left
            line += [_effective(cell or {}) for cell in (row or {}).get("values") or []]
            while line and line[-1] == "":
                line.pop()
            rows[top + offset] = line
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _effective(cell: Mapping[str, Any]) -> CellValue:
    value = cell.get("effectiveValue") or {}
    if "numberValue" in value:
        return value["numberValue"]  # type: ignore[no-any-return]
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "stringValue" in value:
        return str(value["stringValue"])
    if "errorValue" in value:
        return str(cell.get("formattedValue") or "#ERROR!")
    return ""


def parse_sheets(data: Mapping[str, Any]) -> dict[str, SheetInfo]:
    """Every grid sheet of a Spreadsheet resource (title → info), in tab order."""
    sheets: list[SheetInfo] = []
    for sheet in data.get("sheets") or []:
        props = sheet.get("properties") or {}
        if props.get("sheetType", "GRID") != "GRID":
            continue
        grid = props.get("gridProperties") or {}
        sheets.append(
            SheetInfo(
                sheet_id=int(props.get("sheetId", 0)),
                title=str(props.get("title", "")),
                index=int(props.get("index", 0)),
                rows=int(grid.get("rowCount", 0)),
                cols=int(grid.get("columnCount", 0)),
                frozen_rows=int(grid.get("frozenRowCount", 0)),
                charts=tuple(sheet.get("charts") or ()),
                dressed=is_dressed(sheet),
            )
        )
    sheets.sort(key=lambda s: s.index)
    return {s.title: s for s in sheets}


def range_size(text: str) -> tuple[int, int] | None:
    """Rows and columns of the grid a whole-sheet ValueRange reports ('T'!A1:Z1000)."""
    match = _RANGE_END.search(text)
    if not match or match.group(3) is None:
        return None
    return int(match.group(4)), column_index(match.group(3)) + 1
