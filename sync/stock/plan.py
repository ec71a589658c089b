"""Every stock decision of a pass: reservations, hand-outs, statuses, in priority order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sync.model import StockItem
from sync.outcome import RequestOutcome
from sync.placement import id_key
from sync.rules import Rules
from sync.schema import Locale, Schema, load_schema
from sync.stock.cells import ELIGIBLE, EPS, HOLDING, natural_key, parse_entries
from sync.stock.items import Wanted, parse_items
from sync.stock.ledger import Claim, Lot, LotPlan, RequestPlan, StockLog, StockPlan
from sync.stock.lots import lock_of, refusal_reasons, status_headers
from sync.stock.matching import Matcher
from sync.stock.render import Render

__all__ = ["LotPlan", "RequestPlan", "StockLog", "StockPlan", "plan_stock"]


def plan_stock(
    outcomes: Sequence[RequestOutcome],
    request_ids: Mapping[int, str],
    stock: Sequence[StockItem],
    stock_ids: Mapping[int, str],
    rules: Rules,
    locale: Locale,
    now: datetime,
    donors: Mapping[int, str] | None = None,
    schema: Schema | None = None,
) -> StockPlan:
    """Decide every lot's reservations, hand-outs and status, and each request's stock.

    ``outcomes`` are the requests after the pass's own decisions, in priority order (the first
    is served first); ``request_ids`` / ``stock_ids`` map sheet rows to ids (new ones included);
    ``now`` is local to the workbook; ``donors`` maps stock rows to their Donor cell.
    """
    schema = schema or load_schema()
    headers = status_headers(schema)
    donors = donors or {}
    lots: list[Lot] = []
    lots_by_key: dict[str, Lot] = {}
    for item in stock:
        lot_id = stock_ids.get(item.row.number) or item.id or f"#{item.row.number}"
        lot = Lot(
            item=item,
            id=lot_id,
            order=(item.expiry or date.max, item.row.number),
            reasons=refusal_reasons(item, rules, now),
            lock=lock_of(item, headers),
            quantity=max(0.0, item.quantity or 0.0),
        )
        for entry in parse_entries(item.reserved_for):
            book = lot.read_handed if entry.handed_out else lot.read_reserved
            lot.add(book, id_key(entry.ref), entry.ref, entry.quantity)
        lots.append(lot)
        lots_by_key.setdefault(lot.key, lot)

    reqs: list[Claim] = []
    reqs_by_key: dict[str, Claim] = {}
    reaches: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        request = outcome.request
        rid = request_ids.get(request.row.number) or request.id or ""
        if not rid or id_key(rid) in reqs_by_key:
            continue
        reach: dict[str, int] = {}
        if request.community:
            reach = reaches.get(request.community, {})
            if not reach:
                for rank, name in enumerate(
                    (request.community, *rules.neighbours(request.community))
                ):
                    reach.setdefault(name, rank)
                reaches[request.community] = reach
        wants = parse_items(request.items) if outcome.status in ELIGIBLE else ()
        req = Claim(outcome, rid, outcome.status, wants, reach)
        reqs.append(req)
        reqs_by_key[req.key] = req

    # 1. What each lot's ledger says, judged by the request's status now.
    frozen: list[tuple[Lot, str, float, float]] = []
    for lot in lots:
        for key in sorted(set(lot.read_reserved) | set(lot.read_handed), key=natural_key):
            units = lot.read_reserved.get(key, 0.0) + lot.read_handed.get(key, 0.0)
            found = reqs_by_key.get(key)
            if found is None:  # a request no longer on the sheet: keep the hand-outs only
                lot.add(lot.handed, key, lot.refs[key], lot.read_handed.get(key, 0.0))
            elif found.status == "delivered":
                lot.add(lot.handed, key, found.id, units)
            elif found.status is None:
                r, h = lot.read_reserved.get(key, 0.0), lot.read_handed.get(key, 0.0)
                frozen.append((lot, key, r if lot.holdable else 0.0, h))
            elif found.status in HOLDING:
                found.held[lot.key] = found.held.get(lot.key, 0.0) + units
    for lot, key, r, h in frozen:
        lot.add(lot.handed, key, reqs_by_key[key].id, h)
        lot.add(lot.reserved, key, reqs_by_key[key].id, min(r, lot.capacity()))

    # 2. Repair from the requests' own cells (a lot row whose write was deferred).
    for req in reqs:
        if req.status != "delivered" and req.status not in HOLDING:
            continue
        for entry in parse_entries(req.outcome.request.stock):
            named = lots_by_key.get(id_key(entry.ref))
            if named is None or req.key in named.read_reserved or req.key in named.read_handed:
                continue
            if req.key in named.handed:
                continue
            if req.status == "delivered":
                named.add(named.handed, req.key, req.id, min(entry.quantity, named.capacity()))
            else:
                req.held[named.key] = req.held.get(named.key, 0.0) + entry.quantity

    matcher = Matcher(lots, rules)
    index = {id(lot): i for i, lot in enumerate(lots)}

    def fits(req: Claim, want: Wanted, lot: Lot) -> bool:
        item, asked = lot.item, req.outcome.request.category
        return (
            item.community in req.reach
            and (asked is None or item.category is None or asked == item.category)
            and index[id(lot)] in matcher.names(want)
        )

    def preference(req: Claim, lot: Lot) -> tuple[int, date, int]:
        return (req.reach.get(lot.item.community or "", 99), *lot.order)

    # 3. Requests that hold stock keep it, in priority order, while the lot allows it.
    for req in reqs:
        if req.status not in ELIGIBLE:
            continue
        req.unmet = [w.quantity for w in req.wants]
        if req.status not in HOLDING:
            continue
        left = dict(req.held)
        held = sorted((lots_by_key[k] for k in left), key=lambda lot: preference(req, lot))
        for i, want in enumerate(req.wants):
            for lot in held:
                if req.unmet[i] <= EPS:
                    break
                if not lot.holdable or not fits(req, want, lot):
                    continue
                take = min(left[lot.key], req.unmet[i], lot.capacity())
                if take > EPS:
                    lot.add(lot.reserved, req.key, req.id, take)
                    left[lot.key] -= take
                    req.unmet[i] -= take

    # 4. Everything still needed, in priority order: own community first, earliest expiry first.
    by_community: dict[str, list[Lot]] = {}
    for lot in sorted(lots, key=lambda lot: lot.order):
        if lot.offerable and lot.item.community:
            by_community.setdefault(lot.item.community, []).append(lot)
    candidates: dict[tuple[str, str], list[Lot]] = {}
    for req in reqs:
        if req.status not in ELIGIBLE:
            continue
        for i, want in enumerate(req.wants):
            for community in req.reach:
                if req.unmet[i] <= EPS:
                    break
                pool = candidates.get((want.key, community))
                if pool is None:
                    names = matcher.names(want)
                    pool = [x for x in by_community.get(community, ()) if index[id(x)] in names]
                    candidates[(want.key, community)] = pool
                used_up = 0
                for lot in pool:
                    if req.unmet[i] <= EPS:
                        break
                    take = min(req.unmet[i], lot.capacity())
                    if take > EPS and fits(req, want, lot):
                        lot.add(lot.reserved, req.key, req.id, take)
                        req.unmet[i] -= take
                    used_up += lot.capacity() <= EPS
                if used_up * 8 > len(pool):  # drop lots with nothing left from this list
                    pool[:] = [x for x in pool if x.capacity() > EPS]

    return Render(lots, reqs, reqs_by_key, matcher, rules, locale, schema, donors).plan()
