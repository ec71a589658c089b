"""The Summary's stock warnings: low stock, lots expiring soon, lots waiting for disinfection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sync.model import StockItem
from sync.rules import Rules
from sync.schema import Locale, Schema, load_schema
from sync.stock.cells import EPS, parse_entries, qty_text, say
from sync.stock.ledger import StockPlan
from sync.stock.lots import human_lock, refusal_reasons
from sync.values import mask_phones, plain_number


def stock_alerts(
    stock: Sequence[StockItem],
    rules: Rules,
    locale: Locale,
    now: datetime,
    plan: StockPlan | None = None,
    stock_ids: Mapping[int, str] | None = None,
    schema: Schema | None = None,
) -> list[str]:
    """Low stock, lots expiring within ``expiring_soon_days``, lots waiting for disinfection.

    Units counted are those still on offer after the pass (``plan``), or, without a plan, as the
    Reserved for cells read.
    """
    schema = schema or load_schema()
    categories = schema.choice_list("category")
    stock_ids = stock_ids or {}
    planned = {p.row: p for p in plan.lots} if plan else {}
    remaining: dict[int, float] = {}
    for item in stock:
        if item.row.number in planned:
            remaining[item.row.number] = planned[item.row.number].remaining
            continue
        offered = not refusal_reasons(item, rules, now) and human_lock(item, schema) is None
        used = sum(e.quantity for e in parse_entries(item.reserved_for))
        remaining[item.row.number] = max(0.0, (item.quantity or 0.0) - used) if offered else 0.0

    def ref(item: StockItem) -> str:
        known = planned.get(item.row.number)
        return (known.id if known else "") or stock_ids.get(item.row.number) or item.id or "?"

    texts: list[str] = []
    for low in rules.low_stock:
        community = rules.community(low.community) if low.community else None
        n = sum(
            remaining[s.row.number]
            for s in stock
            if s.category == low.category and (community is None or s.community == community)
        )
        if n < low.below:
            where = ""
            if community:
                where = say(locale, "where_low", community=community)
            texts.append(
                say(
                    locale,
                    "alert_low",
                    where=where,
                    category=categories.label(low.category, locale),
                    n=plain_number(n),
                    below=plain_number(low.below),
                )
            )
    soon = (now + timedelta(days=rules.expiring_soon_days)).date()
    expiring = [s for s in stock if s.expiry and s.expiry <= soon and remaining[s.row.number] > EPS]
    for s in sorted(expiring, key=lambda s: (s.expiry or soon, s.row.number)):
        assert s.expiry is not None
        qty = qty_text(locale, remaining[s.row.number], s.unit)
        texts.append(
            say(
                locale,
                "alert_expiring",
                id=ref(s),
                item=mask_phones(s.item),
                date=s.expiry.isoformat(),
                qty=qty,
            )
        )
    for s in stock:
        reasons = refusal_reasons(s, rules, now)
        if [r.code for r in reasons] == ["not_disinfected"] and human_lock(s, schema) is None:
            where = ""
            if s.community:
                where = say(locale, "where_lot", community=s.community)
            texts.append(
                say(
                    locale,
                    "alert_disinfect",
                    id=ref(s),
                    item=mask_phones(s.item),
                    qty=qty_text(locale, s.quantity or 0.0, s.unit),
                    where=where,
                )
            )
    return texts
