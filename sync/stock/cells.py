"""The stock cells' formats (Reserved for, Stock matched), the note lines, and the words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sync.messages import say as _say
from sync.model import Table
from sync.model.quick import quick_init
from sync.schema import Locale
from sync.values import mask_phones, plain_number, text_of

HOLDING = frozenset({"assigned", "in_progress", "escalated"})
REDECIDED = frozenset({"new"})
ELIGIBLE = HOLDING | REDECIDED
RELEASING = frozenset({"cancelled", "needs_info"})

#: First words of the note lines this module writes; a line starting so is replaced every pass.
REQUEST_LINE_MARKERS = ("【物资】", "[stock]")
_AUTO_UNUSABLE = ("不发放：", "not offered:")
_AUTO_HANDED = ("已全部发放", "all handed out")
EPS = 1e-9


def say(locale: Locale, key: str, **fields: object) -> str:
    """A stock text (sync/messages/stock.py, codes ``stock_*``) in the sheet's language."""
    return _say(locale, f"stock_{key}", **fields)


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a Reserved for / Stock matched cell: a reference and its units."""

    ref: str
    quantity: float
    handed_out: bool = False


_ENTRY_SPLIT = re.compile(r"[,，、;；\n]+")
_ENTRY = re.compile(
    r"^(?P<ref>.+?)(?:\s*(?:[×*]|(?<=[\d\s])[xX])\s*(?P<n>\d+(?:\.\d+)?))?\s*(?P<done>[✓√✔])?$"
)


def parse_entries(text: str) -> tuple[Entry, ...]:
    """Read a Reserved for / Stock matched cell; unreadable pieces are skipped."""
    folded = unicodedata.normalize("NFKC", text)
    found = []
    for piece in _ENTRY_SPLIT.split(folded):
        match = _ENTRY.match(piece.strip())
        if not match:
            continue
        quantity = float(match["n"]) if match["n"] else 1.0
        if quantity <= 0:
            continue
        found.append(Entry(match["ref"].strip(), quantity, bool(match["done"])))
    return tuple(found)


def format_entries(entries: Iterable[Entry]) -> str:
    """Write entries as the cell shows them: ``R-0005×2, R-0009×1 ✓``."""
    return ", ".join(
        f"{e.ref}×{plain_number(e.quantity)}" + (" ✓" if e.handed_out else "") for e in entries
    )


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort ids as people expect: S-2 before S-10."""
    parts = re.findall(r"\d+|\D+", text.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def merge_note(note: str, lines: Sequence[str]) -> str:
    """A request note with this module's previous lines replaced by the current ones."""
    if not lines and "\n" not in note and not note.startswith(REQUEST_LINE_MARKERS):
        return note  # one line, not ours, nothing to add: most requests, unchanged
    kept = [x for x in note.split("\n") if x and not x.startswith(REQUEST_LINE_MARKERS)]
    return "\n".join([*kept, *(x for x in lines if x)])


def donor_texts(table: Table) -> dict[int, str]:
    """Each stock row's Donor cell (human text, shown in pickup notes with phones masked)."""
    return {row.number: text_of(table.get(row, "donor")) for row in table.rows}


def qty_text(locale: Locale, value: float, unit: str) -> str:
    """A quantity and its unit as a note shows it: 2盒, 2 boxes."""
    unit = mask_phones(unit)
    if locale == "zh" or not unit:
        return f"{plain_number(value)}{unit}"
    return f"{plain_number(value)} {unit}"
