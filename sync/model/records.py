"""The rows of the Requests, Volunteers and Stock tabs, read and checked, and their problems.

One of each per row, ten thousand a pass at the peak: slots, set directly by quick_init, make
them faster to build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sync.model.quick import quick_init
from sync.model.tables import SheetRow
from sync.model.values import CellValue


@dataclass(frozen=True)
class Problem:
    """Something wrong in a row, rendered in the sheet's language by messages.say."""

    code: str
    column: str = ""
    value: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
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


@quick_init
@dataclass(frozen=True, slots=True)
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


@quick_init
@dataclass(frozen=True, slots=True)
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
