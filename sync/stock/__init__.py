"""The mobile pharmacy: which donated lots may be offered, and which request holds what (pure).

Modules: ``cells`` (the two ledger cells' format), ``items`` (what a request asks for),
``lots`` (whether a lot may be offered), ``ledger`` and ``matching`` (the working state),
``plan`` (the decisions), ``render`` (cell texts, notes, Log lines), ``alerts`` (the Summary's).

Every pass derives the whole stock state from the cells it read; nothing is kept elsewhere.

Cell formats (both worker-owned, the same in Chinese and English sheets)
-----------------------------------------------------------------------
Stock › Reserved for 预留给 — the lot's ledger, entries separated by ", "::

    R-0005×2, R-0009×1 ✓

  ``ID×N`` means N units are reserved for request ID; a trailing ``✓`` means those N units were
  handed out (the request was delivered). Reading also accepts x / X / * for ×, √ / ✔ for ✓, a
  missing ×N (one unit), full-width forms and the separators , ， 、 ; ； and new lines.

Requests › Stock matched 匹配物资 — the same format naming lots: ``S-0001×2, S-0004×1 ✓``.

Quantity (human) is the lot's count as received and is never decremented by the worker:
remaining = quantity − reserved − handed out.

The lot's ledger is authoritative. A request's own cell is read back only to repair a pass whose
lot row was deferred (compare-and-set): an assigned / in-progress / escalated request keeps a lot
its cell names if the lot still allows it, and a delivered request's lots are recorded as handed
out (never beyond the quantity).

Lifecycle (the Status column, shared; the worker writes one of four labels, only on change)
------------------------------------------------------------------------------------------
received, not yet disinfected → unusable 不可用 with the note "不发放：未消杀"; disinfected,
unopened, not within ``expiry_margin_days`` of expiry → available 可领用; some units reserved →
reserved 已预留; every unit handed out → handed out 已发放; expired / opened / not disinfected /
no quantity → unusable 不可用, the note saying exactly why. A status of unusable or handed out that
a *person* set (the note does not carry the worker's own marker line) is authoritative and never
undone: a lot marked unusable by hand loses its reservations; one marked handed out by hand keeps
the reservations it has (the volunteer may already hold the goods) but takes no new ones.

Which requests hold stock (by the request's status after the pass)
------------------------------------------------------------------
* assigned / in progress / escalated — keep what they hold while the lot still allows it and top
  up what they still need;
* new — reservations are released and decided again every pass in the caller's priority order
  (so "going back to new" releases, and the stock is re-offered by priority);
* delivered — every unit they hold becomes handed out (✓) and stays so;
* cancelled / needs info — hold nothing; a request no longer on the sheet holds nothing either
  (handed-out units stay recorded on the lot);
* unreadable status (the planner leaves the row alone) — keeps what it holds, takes nothing new.
"""

from __future__ import annotations

from sync.stock.alerts import stock_alerts
from sync.stock.cells import (
    ELIGIBLE,
    HOLDING,
    REDECIDED,
    RELEASING,
    REQUEST_LINE_MARKERS,
    Entry,
    donor_texts,
    format_entries,
    merge_note,
    natural_key,
    parse_entries,
    say,
)
from sync.stock.items import Wanted, parse_items
from sync.stock.lots import Reason, human_lock, refusal_reasons
from sync.stock.plan import LotPlan, RequestPlan, StockLog, StockPlan, plan_stock
from sync.values import plain_number as number

__all__ = [
    "ELIGIBLE",
    "HOLDING",
    "REDECIDED",
    "RELEASING",
    "REQUEST_LINE_MARKERS",
    "Entry",
    "LotPlan",
    "Reason",
    "RequestPlan",
    "StockLog",
    "StockPlan",
    "Wanted",
    "donor_texts",
    "format_entries",
    "human_lock",
    "merge_note",
    "natural_key",
    "number",
    "parse_entries",
    "parse_items",
    "plan_stock",
    "refusal_reasons",
    "say",
    "stock_alerts",
]
