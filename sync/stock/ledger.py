"""The working state of one stock pass: each lot's books and each request's claim (mutable)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sync.model import StockItem
from sync.model.quick import quick_init
from sync.outcome import RequestOutcome
from sync.placement import id_key
from sync.stock.cells import EPS
from sync.stock.items import Wanted
from sync.stock.lots import Reason


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class LotPlan:
    """What one Stock row should show after the pass."""

    row: int
    id: str
    status: str  # the status key the lot has after the pass
    status_label: str | None  # text for the Status cell; None: leave the cell as it is
    reserved_for: str
    note_lines: tuple[str, ...]
    reserved: float
    handed_out: float
    remaining: float  # units that could still be offered (0 when the lot is not offered)


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class RequestPlan:
    """What one request's Stock matched cell and note should say about stock."""

    row: int
    id: str
    stock: str
    note_lines: tuple[str, ...]


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class StockLog:
    """A Log line: the lot id, the action, the rule (blank) and a detail."""

    ref: str
    action: str
    rule: str
    detail: str


@dataclass(frozen=True)
class StockPlan:
    """Every stock decision of a pass."""

    lots: tuple[LotPlan, ...] = ()
    requests: tuple[RequestPlan, ...] = ()
    log: tuple[StockLog, ...] = ()
    stats: Mapping[str, int] = field(default_factory=dict)
    _lots: dict[int, LotPlan] = field(default_factory=dict, compare=False, repr=False)
    _requests: dict[int, RequestPlan] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._lots.update((p.row, p) for p in self.lots)
        self._requests.update((p.row, p) for p in self.requests)

    def lot(self, row: int) -> LotPlan | None:
        """The plan of a Stock row (by sheet row number)."""
        return self._lots.get(row)

    def request(self, row: int) -> RequestPlan | None:
        """The plan of a Requests row (by sheet row number)."""
        return self._requests.get(row)


@dataclass
class Lot:
    """One Stock row during the pass: its books as read and as decided."""

    item: StockItem
    id: str
    order: tuple[date, int]
    reasons: tuple[Reason, ...]
    lock: str | None
    quantity: float
    read_reserved: dict[str, float] = field(default_factory=dict)
    read_handed: dict[str, float] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # request key → id as written
    reserved: dict[str, float] = field(default_factory=dict)
    handed: dict[str, float] = field(default_factory=dict)
    used: float = 0.0  # units reserved or handed out after the pass so far
    key: str = ""

    def __post_init__(self) -> None:
        self.key = id_key(self.id)

    @property
    def holdable(self) -> bool:
        """Whether existing reservations may stay."""
        return not self.reasons and self.lock != "unusable"

    @property
    def offerable(self) -> bool:
        """Whether new reservations may be made."""
        return not self.reasons and self.lock is None

    def capacity(self) -> float:
        """Units not yet reserved or handed out."""
        return max(0.0, self.quantity - self.used)

    def add(self, book: dict[str, float], key: str, ref: str, quantity: float) -> None:
        """Book units for a request in one of the lot's books."""
        if quantity > EPS:
            book[key] = book.get(key, 0.0) + quantity
            self.refs.setdefault(key, ref)
            if book is self.reserved or book is self.handed:
                self.used += quantity


@dataclass
class Claim:
    """One request during the pass: what it wants, where it may take from, what it holds."""

    outcome: RequestOutcome
    id: str
    status: str | None
    wants: tuple[Wanted, ...]
    reach: dict[str, int]
    held: dict[str, float] = field(default_factory=dict)  # lot key → units it may keep
    unmet: list[float] = field(default_factory=list)
    key: str = ""

    def __post_init__(self) -> None:
        self.key = id_key(self.id)
