"""Plain data passed between the read, the planner and the write."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sync.schema import HeaderMap, Locale, Tab

CellValue = str | int | float | bool | datetime | None


def is_blank(value: object) -> bool:
    """True for an empty cell (None, or text of only spaces)."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def same_value(a: object, b: object) -> bool:
    """Whether two cell values are the same for compare-and-set (blank equals blank; a real
    date-time cell equals the worker's text for the same minute, `2022-12-20 15:00`)."""
    if (a is None or (isinstance(a, str) and not a.strip())) and (  # is_blank, inlined
        b is None or (isinstance(b, str) and not b.strip())
    ):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (type(a) is type(b) and a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    if isinstance(a, datetime) and isinstance(b, str):
        return moment_text(a) == b.strip()
    if isinstance(b, datetime) and isinstance(a, str):
        return moment_text(b) == a.strip()
    return type(a) is type(b) and a == b


MOMENT_FORMAT = "%Y-%m-%d %H:%M"  # how the worker writes a time, as text
_MOMENT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def moment_text(moment: datetime) -> str | None:
    """The worker's text for a whole-minute, zone-less date-time (None for any other moment)."""
    if moment.tzinfo is not None or moment.second or moment.microsecond:
        return None
    return moment.strftime(MOMENT_FORMAT)


def moment_of(text: object) -> datetime | None:
    """The date-time the worker's own text `2022-12-20 15:00` stands for (None for other text)."""
    if not isinstance(text, str) or not _MOMENT_TEXT.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, MOMENT_FORMAT)
    except ValueError:
        return None


@dataclass(frozen=True)
class SheetRow:
    """One data row as read: its 1-based sheet row number and its cells."""

    number: int
    values: tuple[CellValue, ...]

    def cell(self, col: int | None) -> CellValue:
        """The value in a 0-based column, None past the end or for an unmapped column."""
        if col is None or col >= len(self.values):
            return None
        return self.values[col]


@dataclass(frozen=True)
class Table:
    """One tab as read: where its columns are and its data rows (blank rows included)."""

    tab: Tab
    title: str
    header: HeaderMap
    rows: tuple[SheetRow, ...]
    width: int  # columns in use, headers included

    def col(self, key: str) -> int | None:
        """The 0-based column of a key, or None when the tab lacks it."""
        return self.header.columns.get(key)

    def get(self, row: SheetRow, key: str) -> CellValue:
        """The cell of a row under a column key."""
        col = self.header.columns.get(key)  # col() and row.cell() inlined: the hottest read
        values = row.values
        return values[col] if col is not None and col < len(values) else None

    @cached_property
    def _people_columns(self) -> tuple[int | None, ...]:
        return tuple(self.col(k) for k in self.tab.owned_by("human", "shared"))

    @cached_property
    def _human_columns(self) -> tuple[int | None, ...]:
        return tuple(self.col(k) for k in self.tab.owned_by("human"))

    def is_blank_row(self, row: SheetRow) -> bool:
        """True when no known human or shared column holds anything."""
        return all(is_blank(row.cell(c)) for c in self._people_columns)

    @cached_property
    def data_rows(self) -> tuple[SheetRow, ...]:
        """The rows that are not blank (see is_blank_row), in sheet order; worked out once."""
        return tuple(row for row in self.rows if not self.is_blank_row(row))

    def fingerprint(self, row: SheetRow) -> str:
        """A digest of a row's human-owned cells; identifies rows that have no id yet."""
        values = row.values
        width = len(values)
        parts = []
        for c in self._human_columns:  # blank is None and 3.0 is 3; inline: runs per row
            value = values[c] if c is not None and c < width else None
            if value is None or (value.__class__ is str and not value.strip()):
                parts.append("None")
            elif value.__class__ is float and value.is_integer():
                parts.append(repr(int(value)))
            else:
                parts.append(repr(value))
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Snapshot:
    """Every tab of one workbook, read in one go."""

    source: str  # a human-readable name of the workbook, for messages
    locale: Locale
    tables: Mapping[str, Table]
    titles: tuple[str, ...]  # every tab title present, known or not
    # tabs (keys) the backend found without aidsync's formatting: the next write dresses them
    unformatted: frozenset[str] = frozenset()
    # the store keeps the worker's times as real date-time cells (lay_out then sends datetimes)
    moments: bool = False
    token: object = field(default=None, compare=False, repr=False)  # backend's private handle

    def table(self, key: str) -> Table | None:
        """The tab with this key, or None when the workbook lacks it."""
        return self.tables.get(key)


@dataclass(frozen=True)
class RowAnchor:
    """How a write finds its row again: by id, or (no id yet) by position and content."""

    id: str | None
    row: int
    fingerprint: str


@dataclass(frozen=True)
class CellChange:
    """One cell the worker wants to write, with what it held when read and why."""

    tab: str
    anchor: RowAnchor
    column: str
    old: CellValue
    new: CellValue
    reason: str


@dataclass(frozen=True)
class NewColumn:
    """A worker-owned column missing from a tab; added after its last header."""

    tab: str
    key: str
    header: str


@dataclass(frozen=True)
class LogLine:
    """One line appended to the Log tab."""

    time: str
    ref: str
    action: str
    rule: str
    detail: str
    routine: bool = field(default=False, compare=False)  # e.g. a new id: logged, not printed

    def cells(self) -> tuple[str, ...]:
        """The cells of the line, in Log column order."""
        return (self.time, self.ref, self.action, self.rule, self.detail)


@dataclass(frozen=True)
class NewRow:
    """A row the worker appends to a tab (a recurring request's next occurrence).

    Its id is derived from what it repeats, so a backend appends it only while no row holds
    that id: a retried or repeated write never adds it twice.
    """

    tab: str
    id: str
    cells: tuple[tuple[str, CellValue], ...]  # (column key, value)
    reason: str = ""
    depends_on: RowAnchor | None = None  # written only if this row's changes are (its id)
    depends_tab: str = ""  # the tab of depends_on when not this row's own (an archived request)

    def get(self, key: str) -> CellValue:
        """The value planned for a column, None when the row leaves it blank."""
        return dict(self.cells).get(key)


@dataclass(frozen=True)
class SummaryChart:
    """A chart of the Summary's per-day table: where the table is (0-based) and its title."""

    title: str
    row: int  # the table's header row (dates go down the first column below it)
    col: int  # the dates' column; one column per series follows
    days: int
    series: int


@dataclass(frozen=True)
class Plan:
    """Everything one pass would write, computed before anything is written."""

    changes: tuple[CellChange, ...] = ()
    new_columns: tuple[NewColumn, ...] = ()
    new_tabs: tuple[str, ...] = ()  # tab keys to create
    log: tuple[LogLine, ...] = ()
    summary: tuple[tuple[CellValue, ...], ...] = ()
    report: str = ""
    problems: tuple[str, ...] = ()  # row problems found, for `check`
    time: str = ""  # the pass's moment as written into the sheet
    stats: Mapping[str, int] = field(default_factory=dict)
    new_rows: tuple[NewRow, ...] = ()  # rows to append (recurring requests)
    report_due: str = ""  # the date (YYYY-MM-DD) whose daily report fell due this pass
    chart: SummaryChart | None = None  # the per-day chart over a table inside `summary`
    intake: tuple[str, ...] = ()  # what each new Inbox message becomes (check, --dry-run)

    def is_empty(self) -> bool:
        """True when the pass would change no working cell and log nothing."""
        return not (self.changes or self.new_columns or self.new_tabs or self.log or self.new_rows)


@dataclass(frozen=True)
class ColumnFormat:
    """How one column is dressed: width in characters (a CJK character counts two), wrapped,
    shaded as the worker's (header and every row below), holding real date-time cells."""

    col: int  # 0-based
    width: int
    wrap: bool = False
    shaded: bool = False
    moments: bool = False  # shown with MOMENT_PATTERN


MOMENT_PATTERN = "yyyy-mm-dd hh:mm"  # the number format of a date-time cell the worker writes


@dataclass(frozen=True)
class TabFormat:
    """A tab's dressing: frozen header rows and each column's format. Sent by `init` for every
    tab, and by a pass for the tabs it adds and those its read found undressed."""

    key: str
    title: str
    frozen_rows: int
    columns: tuple[ColumnFormat, ...]


@dataclass(frozen=True)
class NewTab:
    """A tab the write adds: its key, a title no tab has (ignoring case) and its header row.

    The header's cells are also among the WriteSet's blocks (the Log block, `tab_headers`), so a
    backend that only writes cells need not look here; it says which row to dress as a header.
    """

    key: str
    title: str
    header: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellWrite:
    """One cell the write sets: tab title, 1-based row, 0-based column, value, and the change
    it places when it is one (tab and column keys too, for backends that dress cells)."""

    title: str
    row: int
    col: int
    value: CellValue
    change: CellChange | None = None
    tab: str = ""
    column: str = ""


@dataclass(frozen=True)
class Block:
    """Rows of cells written from one corner of a tab (1-based row, 0-based column)."""

    tab: str
    title: str
    row: int
    col: int
    rows: tuple[tuple[CellValue, ...], ...]

    def cells(self) -> Iterator[CellWrite]:
        """Every cell of the block."""
        for dr, values in enumerate(self.rows):
            for dc, value in enumerate(values):
                yield CellWrite(self.title, self.row + dr, self.col + dc, value, tab=self.tab)


@dataclass(frozen=True)
class LogBlock:
    """The Log lines the write appends below the tab's last filled row (a header row first
    when the Log tab is new or empty)."""

    title: str
    row: int  # the first row written
    header: tuple[str, ...]
    lines: tuple[LogLine, ...]
    moments: bool = False  # each line's time sent as a date-time (Snapshot.moments)

    def rows(self) -> tuple[tuple[CellValue, ...], ...]:
        """The rows written, header first when there is one."""
        header = (self.header,) if self.header else ()
        if not self.moments:
            return header + tuple(line.cells() for line in self.lines)
        return header + tuple(
            (moment_of(c[0]) or c[0], *c[1:]) for c in map(LogLine.cells, self.lines)
        )

    def block(self) -> Block:
        """The same rows as a Block from column A."""
        return Block("log", self.title, self.row, 0, self.rows())

    @property
    def next_row(self) -> int:
        """The first row after the block."""
        return self.row + len(self.rows())


@dataclass(frozen=True)
class SummaryBlock:
    """The Summary rewritten from A1, and the extent of what it held before, to clear."""

    title: str
    rows: tuple[tuple[CellValue, ...], ...]
    clear_rows: int  # rows and columns the Summary held as read (0: empty or new)
    clear_cols: int
    unchanged: bool  # it already shows exactly these rows

    def grid(self) -> tuple[tuple[CellValue, ...], ...]:
        """The rectangle from A1 covering old and new rows: new values, None where cleared."""
        height = max(self.clear_rows, len(self.rows))
        if height == 0:
            return ()
        width = max([1, self.clear_cols, *(len(r) for r in self.rows)])
        grid: list[tuple[CellValue, ...]] = []
        for r in range(height):
            line = self.rows[r] if r < len(self.rows) else ()
            grid.append(tuple(line[c] if c < len(line) else None for c in range(width)))
        return tuple(grid)


@dataclass(frozen=True)
class WriteSet:
    """A plan laid out on the store as it is now: every tab, cell and line a write puts down."""

    tabs: tuple[NewTab, ...] = ()
    headers: tuple[CellWrite, ...] = ()  # new columns' header cells, after the table's width
    changes: tuple[CellWrite, ...] = ()  # changes placed by compare-and-set
    rows: tuple[CellWrite, ...] = ()  # appended rows' cells
    tab_headers: tuple[Block, ...] = ()  # header rows of a new or empty tab (the Archive)
    log: LogBlock | None = None
    summary: SummaryBlock | None = None
    chart: SummaryChart | None = None
    deferred: tuple[CellChange, ...] = ()  # left for the next pass (their row moved or changed)
    skipped: frozenset[str] = frozenset()  # new rows' ids already present or waiting
    formats: tuple[TabFormat, ...] = ()  # tabs to dress (a capability: a backend may skip it)

    @property
    def log_lines(self) -> tuple[LogLine, ...]:
        """The Log lines the write adds (the plan's, minus deferred rows', plus deferrals)."""
        return self.log.lines if self.log is not None else ()

    @property
    def written(self) -> int:
        """Working cells written: placed changes and appended rows' cells."""
        return len(self.changes) + len(self.rows)

    def cells(self) -> tuple[CellWrite, ...]:
        """New headers, placed changes and appended rows' cells, in that order."""
        return self.headers + self.changes + self.rows

    def is_empty(self) -> bool:
        """True when there is nothing to write: no tab, no cell, no Log line, Summary unchanged."""
        return not (self.tabs or self.cells() or self.log_lines) and (
            self.summary is None or self.summary.unchanged
        )


@dataclass(frozen=True)
class ApplyResult:
    """What a write actually did."""

    written: int
    deferred: tuple[CellChange, ...] = ()
    log_lines: int = 0
    detail: Mapping[str, Any] = field(default_factory=dict)
    write_set: WriteSet | None = field(default=None, compare=False)  # what was sent
    logged: tuple[LogLine, ...] = ()  # the Log lines really written (repairs included)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a row, rendered in the sheet's language by messages.say."""

    code: str
    column: str = ""
    value: str = ""


@dataclass(frozen=True)
class Request:
    """One row of the Requests tab, read and checked."""

    row: SheetRow
    id: str | None
    submitted_at: datetime | None
    name: str
    phone: str | None  # E.164 when valid
    phone_masked: str
    community: str | None
    address: str
    household: str | None
    category: str | None
    items: str
    urgency: str
    notes: str
    volunteer_text: str
    status: str | None  # option key; None when blank or unreadable
    status_text: str
    priority: CellValue
    assigned_at: datetime | None
    delivered_at: datetime | None
    stock: str
    note: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Volunteer:
    """One row of the Volunteers tab, read and checked."""

    row: SheetRow
    id: str | None
    name: str
    phone_masked: str
    communities: frozenset[str]  # canonical names; "*" for every community
    team: str
    role: str | None
    categories: frozenset[str] | None  # None: takes every category
    hours: tuple[tuple[int, int], ...] | None  # () blank, None unreadable
    max_open: int | None
    active: bool
    note: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class StockItem:
    """One row of the Stock tab, read and checked."""

    row: SheetRow
    id: str | None
    item: str
    category: str | None
    quantity: float | None
    unit: str
    community: str | None
    expiry: date | None
    sealed: bool | None
    disinfected: bool | None
    status: str | None
    reserved_for: str
    note: str
    problems: tuple[Problem, ...] = ()
