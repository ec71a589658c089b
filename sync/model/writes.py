"""A plan laid out on the store (WriteSet and its blocks), tabs' dressing, what a write did."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.model.plan import CellChange, LogLine, SummaryChart
from sync.model.values import CellValue, moment_of


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

    @classmethod
    def sent(cls, layout: WriteSet) -> ApplyResult:
        """The result of a WriteSet sent whole: its cells, its deferred changes, its Log lines."""
        return cls(
            written=layout.written,
            deferred=layout.deferred,
            log_lines=len(layout.log_lines),
            write_set=layout,
            logged=layout.log_lines,
        )

    @classmethod
    def unsent(cls, layout: WriteSet) -> ApplyResult:
        """The result of a WriteSet with nothing to send (its deferred changes still count)."""
        return cls(written=0, deferred=layout.deferred, write_set=layout)
