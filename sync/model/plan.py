"""What a pass plans: cell changes and the rows they find again, Log lines, new rows and columns.

The records a pass makes by the ten thousand (RowAnchor, CellChange, LogLine) have slots: made
faster and smaller without a __dict__ each, and quick_init sets those slots directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sync.model.quick import quick_init
from sync.model.values import CellValue


@quick_init
@dataclass(frozen=True, slots=True)
class RowAnchor:
    """How a write finds its row again: by id, or (no id yet) by position and content."""

    id: str | None
    row: int
    fingerprint: str


@quick_init
@dataclass(frozen=True, slots=True)
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


@quick_init
@dataclass(frozen=True, slots=True)
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
