"""Grid/values model: typed cells, sheets, spreadsheets, value input parsing and rendering."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import formulas

EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)%$")
_DATE_FORMATS = (
    ("%Y-%m-%d %H:%M:%S", re.compile(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}$")),
    ("%Y-%m-%d %H:%M", re.compile(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}$")),
    ("%Y-%m-%d", re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")),
    ("%Y/%m/%d", re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$")),
)
DEFAULT_PIXEL_SIZE = 100


@dataclass
class Cell:
    """One non-empty cell: a literal value or a formula; date_format marks date numbers."""

    value: Any = None
    formula: str | None = None
    date_format: str | None = None
    percent: bool = False


def to_serial(moment: dt.date) -> float | int:
    """Return the spreadsheet serial number of a date or datetime."""
    if not isinstance(moment, dt.datetime):
        return (dt.datetime(moment.year, moment.month, moment.day) - EPOCH).days
    delta = moment.replace(tzinfo=None) - EPOCH
    serial = delta.days + delta.seconds / 86400
    return int(serial) if float(serial).is_integer() else serial


def from_serial(serial: float) -> dt.datetime:
    """Return the datetime of a spreadsheet serial number."""
    return EPOCH + dt.timedelta(days=serial)


_DEFAULT_PATTERNS = {"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss", "DATE_TIME": "yyyy-mm-dd hh:mm:ss"}
_PATTERN_TOKEN = re.compile(r"yyyy|yy|mm|m|dd|d|hh|h|ss|s|\\.|\"[^\"]*\"|.", re.I)


def render_pattern(moment: dt.datetime, pattern: str) -> str:
    """A date-time as a DATE_TIME number format pattern shows it (the tokens of the Sheets
    API's date and time format guide: yyyy, yy, mm, m, dd, d, hh, h, ss, s; "mm" right after
    hours or before seconds is minutes). https://developers.google.com/sheets/api/guides/formats"""
    tokens = _PATTERN_TOKEN.findall(pattern)
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        after_hours = any(t.lower() in ("h", "hh") for t in tokens[max(0, i - 2) : i])
        before_seconds = any(t.lower() in ("s", "ss") for t in tokens[i + 1 : i + 3])
        if low in ("m", "mm") and (after_hours or before_seconds):
            out.append(f"{moment.minute:0{len(low)}d}")
        elif low in ("m", "mm"):
            out.append(f"{moment.month:0{len(low)}d}")
        elif low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("d", "dd"):
            out.append(f"{moment.day:0{len(low)}d}")
        elif low in ("h", "hh"):
            out.append(f"{moment.hour:0{len(low)}d}")
        elif low in ("s", "ss"):
            out.append(f"{moment.second:0{len(low)}d}")
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith('"'):
            out.append(token[1:-1])
        else:
            out.append(token)
    return "".join(out)


def format_number(value: float | int) -> str:
    """Render a number in Google's automatic ('General') format."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if (isinstance(value, int) or float(value).is_integer()) and abs(value) < 1e15:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1e15 or (magnitude != 0 and magnitude < 1e-9):
        mantissa, exponent = f"{value:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent)):02d}"
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_from_python(value: Any) -> Cell | None:
    """Build a cell from a typed Python value as a person would enter it ('=' is a formula)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
        return Cell(formula=value)
    if isinstance(value, dt.datetime):
        return Cell(value=to_serial(value), date_format="%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return Cell(value=to_serial(value), date_format="%Y-%m-%d")
    if isinstance(value, bool | int | float | str):
        return Cell(value=value)
    raise TypeError(f"unsupported cell value {value!r}")


def parse_input(value: Any, user_entered: bool) -> Cell | None:
    """Apply valueInputOption RAW or USER_ENTERED to one JSON value (None means clear)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Cell(value=value)
    if isinstance(value, int | float):
        return Cell(value=int(value) if float(value).is_integer() and abs(value) < 2**53 else value)
    text = str(value)
    if not user_entered:
        return Cell(value=text)
    if text.startswith("'"):
        return Cell(value=text[1:]) if len(text) > 1 else None
    if text.startswith("=") and len(text) > 1:
        return Cell(formula=text)
    stripped = text.strip()
    if _NUMBER.match(stripped):
        number = float(stripped)
        return Cell(value=int(number) if number.is_integer() and abs(number) < 2**53 else number)
    if _PERCENT.match(stripped):
        return Cell(value=float(stripped[:-1]) / 100, percent=True)
    if stripped.upper() in ("TRUE", "FALSE"):
        return Cell(value=stripped.upper() == "TRUE")
    for fmt, pattern in _DATE_FORMATS:
        if pattern.match(stripped):
            try:
                moment = dt.datetime.strptime(stripped, fmt)
            except ValueError:
                break
            return Cell(value=to_serial(moment), date_format=fmt)
    return Cell(value=text)


@dataclass
class Sheet:
    """One grid sheet and its metadata."""

    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    frozen_row_count: int = 0
    frozen_column_count: int = 0
    hidden: bool = False
    extra_properties: dict[str, Any] = field(default_factory=dict)
    rows: list[list[Cell | None]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    data_validations: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    # repeatCell formats in the order applied: (rows [sr, er), columns [sc, ec), the fields set)
    formats: list[tuple[tuple[int, int, int, int], dict[str, Any]]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    column_pixels: dict[int, int] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> Cell | None:
        """Return the cell at a 0-based position, or None when empty."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def set_cell(self, row: int, col: int, cell: Cell | None) -> None:
        """Store (or clear with None) the cell at a 0-based position."""
        if cell is None and self.cell(row, col) is None:
            return
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= col:
            line.append(None)
        line[col] = cell

    def clear(self, start_row: int, start_col: int, end_row: int, end_col: int) -> None:
        """Clear the values of a bounded block."""
        for r in range(start_row, min(end_row, len(self.rows))):
            for c in range(start_col, min(end_col, len(self.rows[r]))):
                self.rows[r][c] = None

    def resize(self, row_count: int, column_count: int) -> None:
        """Set the grid size, dropping data outside it."""
        self.row_count, self.column_count = row_count, column_count
        del self.rows[row_count:]
        for line in self.rows:
            del line[column_count:]

    def insert(self, dimension: str, start: int, count: int) -> None:
        """Insert empty rows or columns before a 0-based index."""
        if dimension == "ROWS":
            if start < len(self.rows):
                self.rows[start:start] = [[] for _ in range(count)]
            self.row_count += count
        else:
            for line in self.rows:
                if start < len(line):
                    line[start:start] = [None] * count
            self.column_count += count

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete rows or columns [start, end)."""
        if dimension == "ROWS":
            del self.rows[start:end]
            self.row_count -= end - start
        else:
            for line in self.rows:
                del line[start:end]
            self.column_count -= end - start

    def effective(self, row: int, col: int, depth: int = 0) -> Any:
        """Return the effective (computed) value of a cell, None when empty."""
        cell = self.cell(row, col)
        if cell is None:
            return None
        if cell.formula is None:
            return cell.value
        if depth > 50:
            return "#REF!"
        return formulas.evaluate(cell.formula, lambda r, c: self.effective(r, c, depth + 1))

    def render(self, row: int, col: int, value_render: str, date_render: str) -> Any:
        """Render a cell for values.get; '' for empty cells."""
        cell = self.cell(row, col)
        if cell is None:
            return ""
        if value_render == "FORMULA" and cell.formula is not None:
            return cell.formula
        value = self.effective(row, col)
        if value is None:
            return ""
        if cell.date_format and isinstance(value, int | float) and not isinstance(value, bool):
            if value_render == "FORMATTED_VALUE" or date_render == "FORMATTED_STRING":
                return from_serial(value).strftime(cell.date_format)
            return value
        pattern = self.date_pattern(row, col)
        if pattern and isinstance(value, int | float) and not isinstance(value, bool):
            # a number shown through a date-time number format is a date for the render options
            if value_render == "FORMATTED_VALUE" or date_render == "FORMATTED_STRING":
                return render_pattern(from_serial(value), pattern)
            return value
        if value_render != "FORMATTED_VALUE":
            return value
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            if cell.percent:
                return format_number(round(value * 100, 10)) + "%"
            return format_number(value)
        return value

    def python_value(self, row: int, col: int, effective: bool) -> Any:
        """Return a typed Python value: dates as date/datetime, formulas as text or result."""
        cell = self.cell(row, col)
        if cell is None:
            return ""
        if not effective and cell.formula is not None:
            return cell.formula
        value = self.effective(row, col)
        if cell.date_format and isinstance(value, int | float) and not isinstance(value, bool):
            moment = from_serial(value)
            return moment if "%H" in cell.date_format else moment.date()
        pattern = self.date_pattern(row, col)
        if pattern and isinstance(value, int | float) and not isinstance(value, bool):
            moment = from_serial(round(value * 86400) / 86400)
            return moment if "h" in pattern else moment.date()
        return "" if value is None else value

    def format_at(self, row: int, col: int) -> dict[str, Any]:
        """The userEnteredFormat of a cell: every repeatCell over it, in order, field by field."""
        merged: dict[str, Any] = {}
        for (sr, sc, er, ec), fmt in self.formats:
            if sr <= row < er and sc <= col < ec:
                for key, value in fmt.items():
                    if value is None:
                        merged.pop(key, None)
                    else:
                        merged[key] = value
        return merged

    def date_pattern(self, row: int, col: int) -> str | None:
        """The pattern of a cell's DATE, TIME or DATE_TIME number format (None for others)."""
        if not self.formats:
            return None
        number = self.format_at(row, col).get("numberFormat") or {}
        if number.get("type") not in ("DATE", "TIME", "DATE_TIME"):
            return None
        return str(number.get("pattern") or _DEFAULT_PATTERNS[number["type"]])

    def properties(self) -> dict[str, Any]:
        """Return SheetProperties as the API shows them (default-valued fields omitted)."""
        grid: dict[str, Any] = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_row_count:
            grid["frozenRowCount"] = self.frozen_row_count
        if self.frozen_column_count:
            grid["frozenColumnCount"] = self.frozen_column_count
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        props.update(self.extra_properties)
        return props

    def column_metadata(self) -> list[dict[str, Any]]:
        """Return columnMetadata entries for GridData."""
        return [
            {"pixelSize": self.column_pixels.get(c, DEFAULT_PIXEL_SIZE)}
            for c in range(self.column_count)
        ]


@dataclass
class Spreadsheet:
    """A spreadsheet: properties and ordered sheets."""

    spreadsheet_id: str
    title: str
    locale: str
    time_zone: str
    sheets: list[Sheet] = field(default_factory=list)
    auto_recalc: str = "ON_CHANGE"
    extra_properties: dict[str, Any] = field(default_factory=dict)
    readers: frozenset[str] | None = None
    named_ranges: list[dict[str, Any]] = field(default_factory=list)

    def sheet_by_title(self, title: str) -> Sheet | None:
        """Find a sheet by title (exact, then case-insensitive like Google)."""
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        for sheet in self.sheets:
            if sheet.title.casefold() == title.casefold():
                return sheet
        return None

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """Find a sheet by sheetId."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def reindex(self) -> None:
        """Renumber sheet indexes after insertions, deletions or moves."""
        self.sheets.sort(key=lambda s: s.index)
        for i, sheet in enumerate(self.sheets):
            sheet.index = i

    def url(self) -> str:
        """Return the spreadsheet's browser URL."""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"

    def properties(self) -> dict[str, Any]:
        """Return SpreadsheetProperties as the API shows them."""
        props: dict[str, Any] = {
            "title": self.title,
            "locale": self.locale,
            "autoRecalc": self.auto_recalc,
            "timeZone": self.time_zone,
            "defaultFormat": DEFAULT_FORMAT,
            "spreadsheetTheme": DEFAULT_THEME,
        }
        props.update(self.extra_properties)
        return props


def _rgb(red: float, green: float, blue: float) -> dict[str, float]:
    color = {"red": red, "green": green, "blue": blue}
    return {k: v for k, v in color.items() if v}


DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": _rgb(1, 1, 1),
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": _rgb(1, 1, 1)},
}

DEFAULT_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": name, "color": {"rgbColor": _rgb(*rgb)}}
        for name, rgb in (
            ("TEXT", (0, 0, 0)),
            ("BACKGROUND", (1, 1, 1)),
            ("ACCENT1", (0.25882354, 0.52156866, 0.95686275)),
            ("ACCENT2", (0.91764706, 0.2627451, 0.20784314)),
            ("ACCENT3", (0.9843137, 0.7372549, 0.015686275)),
            ("ACCENT4", (0.20392157, 0.65882355, 0.3254902)),
            ("ACCENT5", (1, 0.42745098, 0.003921569)),
            ("ACCENT6", (0.27450982, 0.7411765, 0.7764706)),
            ("LINK", (0.06666667, 0.33333334, 0.8)),
        )
    ],
}


def is_finite_number(value: Any) -> bool:
    """True for JSON numbers usable as cell values."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
