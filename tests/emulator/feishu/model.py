"""What the Feishu emulator holds: spreadsheets, their sheets, and typed cells.

Cell values are what a sheet holds after an edit: text (str), numbers (int/float), booleans,
a ``Formula`` (its text and the value it shows) or a ``DateValue`` (a serial day number shown as
a date). Ranges are Feishu's ``<sheetId>!A1:B5`` forms (sheets-v3/overview).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .errors import FeishuError, wrong_range

EPOCH = date(1899, 12, 30)  # serial day 0 (values_batch_get, dateTimeRenderOption)
NEW_SHEET_ROWS = 200  # a new sheet's grid, as sheets/query shows one (row_count 200)
NEW_SHEET_COLS = 20
MAX_SHEET_CELLS = 5_000_000  # sheets-faq: at most 5,000,000 cells in one sheet
OPEN_END_COLUMNS = 100  # values_batch_get: "<sheetId>!A1:<col>" reads at most 100 columns

_CELL = re.compile(r"^([A-Za-z]+)?(\d+)?$")


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text and the value it shows."""

    text: str
    value: Any = None


@dataclass(frozen=True)
class DateValue:
    """A date typed in the UI: a serial day number with a date format."""

    serial: float

    def formatted(self) -> str:
        """The date as the UI shows it (yyyy/MM/dd)."""
        day = EPOCH + timedelta(days=int(self.serial))
        return day.strftime("%Y/%m/%d")


def serial_of(day: date) -> int:
    """Serial day number of a date (days since 1899-12-30)."""
    return (day - EPOCH).days


def typed(value: Any) -> Any:
    """What a person typing this value leaves in a cell (dates and times as dates)."""
    if value == "":
        return None
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return DateValue(serial_of(value.date()) + seconds / 86400)
    if isinstance(value, date):
        return DateValue(serial_of(value))
    return value


def column_index(letters: str) -> int:
    """0-based column of A1 letters."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(col: int) -> str:
    """A1 letters of a 0-based column."""
    letters, col = "", col + 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Protection:
    """Whole rows or columns protected by someone (sheets protected_dimension)."""

    protect_id: str
    dimension: str  # ROWS or COLUMNS
    start: int  # 1-based, inclusive
    end: int
    owner: str  # an app id, or "person"
    users: tuple[str, ...] = ()


@dataclass
class Sheet:
    """One worksheet: its grid size and its cells (row-major, 0-based)."""

    sheet_id: str
    title: str
    row_count: int = NEW_SHEET_ROWS
    column_count: int = NEW_SHEET_COLS
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    cells: list[list[Any]] = field(default_factory=list)
    protections: list[Protection] = field(default_factory=list)
    validations: list[dict[str, Any]] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)  # 0-based column → pixels
    # styles_batch_update, in the order set: ((row0, col0, row1, col1), style) — the last wins
    styles: list[tuple[tuple[int, int, int, int], dict[str, Any]]] = field(default_factory=list)

    def style_at(self, row: int, col: int) -> dict[str, Any]:
        """A cell's style: every style set over it, in order, key by key."""
        merged: dict[str, Any] = {}
        for (r0, c0, r1, c1), style in self.styles:
            if r0 <= row < r1 and c0 <= col < c1:
                merged = {} if style.get("clean") else merged
                merged.update({k: v for k, v in style.items() if k != "clean"})
        return merged

    def get(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col), None when empty."""
        if row < len(self.cells) and col < len(self.cells[row]):
            return self.cells[row][col]
        return None

    def put(self, row: int, col: int, value: Any) -> None:
        """Store a value at 0-based (row, col); None or '' empties the cell."""
        while len(self.cells) <= row:
            self.cells.append([])
        line = self.cells[row]
        while len(line) <= col:
            line.append(None)
        line[col] = typed(value)

    def rows(self) -> list[list[Any]]:
        """A copy of the cells, trailing empty cells and rows trimmed."""
        out: list[list[Any]] = []
        for line in self.cells:
            cells = list(line)
            while cells and cells[-1] is None:
                cells.pop()
            out.append(cells)
        while out and not out[-1]:
            out.pop()
        return out

    def set_rows(self, rows: list[list[Any]]) -> None:
        """Replace every cell (a person's edit); the grid grows to hold them."""
        self.cells = [[typed(v) for v in r] for r in rows]
        self.row_count = max(self.row_count, len(rows))
        self.column_count = max(self.column_count, max((len(r) for r in rows), default=0))

    def locked_for(self, app_id: str, row: int, col: int) -> bool:
        """Whether a protection someone else set covers 0-based (row, col) for this app."""
        for p in self.protections:
            if p.owner == app_id or app_id in p.users:
                continue
            index = row + 1 if p.dimension == "ROWS" else col + 1
            if p.start <= index <= p.end:
                return True
        return False


@dataclass
class Spreadsheet:
    """One spreadsheet: its token, title, sheets and revision."""

    token: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    revision: int = 0
    editors: set[str] = field(default_factory=set)  # apps added with edit rights
    readers: set[str] = field(default_factory=set)  # apps added with read rights only

    def sheet(self, sheet_id: str) -> Sheet | None:
        """The sheet with this id, if any."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def by_title(self, title: str) -> Sheet:
        """The sheet with this title (KeyError if none)."""
        for s in self.sheets:
            if s.title == title:
                return s
        raise KeyError(title)


@dataclass(frozen=True)
class Area:
    """A parsed range: the sheet and 0-based bounds (end exclusive)."""

    sheet: Sheet
    row0: int
    col0: int
    row1: int
    col1: int


def parse_range(book: Spreadsheet, text: str, reading: bool = False) -> Area:
    """A range in one of Feishu's four forms: sheetId, sheetId!A1:B5, sheetId!A:B, sheetId!A1:B.

    Raises 90215 for an unknown sheet id and 90202 for a range that does not parse.
    """
    sheet_id, bang, cells = text.partition("!")
    sheet = book.sheet(sheet_id)
    if sheet is None:
        raise FeishuError(400, 90215, "SheetIdNotFound", f"sheetId {sheet_id!r} not found")
    if not bang:
        width = min(sheet.column_count, OPEN_END_COLUMNS) if reading else sheet.column_count
        return Area(sheet, 0, 0, sheet.row_count, width)
    start, colon, end = cells.partition(":")
    a, b = _CELL.match(start), _CELL.match(end if colon else start)
    if not a or not b or not a.group(1) or not b.group(1):
        raise wrong_range(text)
    col0, col1 = column_index(a.group(1)), column_index(b.group(1)) + 1
    row0 = int(a.group(2)) - 1 if a.group(2) else 0
    if b.group(2):
        row1 = int(b.group(2))
    else:
        row1 = sheet.row_count
        if reading and a.group(2):  # "A1:B": the open-ended form reads at most 100 columns
            col1 = min(col1, col0 + OPEN_END_COLUMNS)
    if row0 < 0 or row1 <= row0 or col1 <= col0:
        raise wrong_range(text)
    return Area(sheet, row0, col0, row1, col1)
