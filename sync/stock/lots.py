"""Whether a lot may be offered now, and whether a person's Status cell overrides the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sync.model import StockItem
from sync.rules import Rules
from sync.schema import Locale, Schema, load_schema
from sync.stock.cells import say

_AUTO_UNUSABLE = ("不发放：", "not offered:")
_AUTO_HANDED = ("已全部发放", "all handed out")


@dataclass(frozen=True)
class Reason:
    """Why a lot is not offered: a code and the values its text needs."""

    code: str
    date: str = ""
    days: str = ""

    def text(self, locale: Locale) -> str:
        """The reason in the sheet's language."""
        return say(locale, self.code, date=self.date, days=self.days)


def refusal_reasons(item: StockItem, rules: Rules, now: datetime) -> tuple[Reason, ...]:
    """Every reason a lot may not be offered at ``now`` (empty: it may be)."""
    reasons: list[Reason] = []
    today = now.date()
    if item.expiry is not None:
        limit = (now + timedelta(days=rules.expiry_margin_days)).date()
        if item.expiry < today:
            reasons.append(Reason("expired", item.expiry.isoformat()))
        elif item.expiry <= limit:
            reasons.append(
                Reason("near_expiry", item.expiry.isoformat(), f"{rules.expiry_margin_days:g}")
            )
    elif any(p.code == "bad_date" for p in item.problems):
        reasons.append(Reason("bad_expiry"))
    if item.sealed is False:
        reasons.append(Reason("opened"))
    elif item.sealed is None:
        reasons.append(Reason("sealed_unknown"))
    if item.disinfected is not True:
        reasons.append(Reason("not_disinfected"))
    if item.quantity is None or item.quantity <= 0:
        reasons.append(Reason("no_quantity"))
    return tuple(reasons)


def _has_line(note: str, markers: tuple[str, ...]) -> bool:
    return any(line.startswith(markers) for line in note.split("\n"))


def human_lock(item: StockItem, schema: Schema | None = None) -> str | None:
    """A status a person set that the worker must honour: unusable, handed_out or unreadable."""
    return lock_of(item, status_headers(schema or load_schema()))


def status_headers(schema: Schema) -> frozenset[str]:
    """The Status column's headers in both languages (what a problem names)."""
    column = schema.tab("stock").column("status")
    return frozenset({column.label("zh"), column.label("en")})


def lock_of(item: StockItem, status_headers: frozenset[str]) -> str | None:
    """A status a person set (unusable, handed_out, unreadable), given the headers."""
    if item.status == "unusable" and not _has_line(item.note, _AUTO_UNUSABLE):
        return "unusable"
    if item.status == "handed_out" and not _has_line(item.note, _AUTO_HANDED):
        return "handed_out"
    if item.status is None and any(
        p.code == "unknown_choice" and p.column in status_headers for p in item.problems
    ):
        return "unreadable"
    return None
