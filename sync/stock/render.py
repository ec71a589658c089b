"""The decided ledgers as cell texts, notes and Log lines, in the sheet's language."""

from __future__ import annotations

from collections.abc import Mapping

from sync.rules import Rules
from sync.schema import Locale, Schema
from sync.stock.cells import (
    ELIGIBLE,
    EPS,
    REDECIDED,
    Entry,
    format_entries,
    natural_key,
    qty_text,
    say,
)
from sync.stock.ledger import Claim, Lot, LotPlan, RequestPlan, StockLog, StockPlan
from sync.stock.matching import Matcher
from sync.values import mask_phones, plain_number


class Render:
    """Turns the decided ledgers into cell texts, notes and log lines."""

    def __init__(
        self,
        lots: list[Lot],
        reqs: list[Claim],
        reqs_by_key: dict[str, Claim],
        matcher: Matcher,
        rules: Rules,
        locale: Locale,
        schema: Schema,
        donors: Mapping[int, str],
    ) -> None:
        self.lots = lots
        self.reqs = reqs
        self.reqs_by_key = reqs_by_key
        self.matcher = matcher
        self.rules = rules
        self.locale = locale
        self.statuses = schema.choice_list("stock_status")
        self.donors = donors
        self.log: list[StockLog] = []
        self.stats = {"stock_reserved": 0, "stock_released": 0, "stock_handed_out": 0}
        self.held: dict[str, list[tuple[Lot, Entry]]] = {}
        self.short: dict[tuple[str, float], str] = {}  # (thing, units short) → its note line
        for lot in lots:
            for key, units in lot.handed.items():
                self.held.setdefault(key, []).append((lot, Entry(lot.id, units, True)))
            for key, units in lot.reserved.items():
                self.held.setdefault(key, []).append((lot, Entry(lot.id, units, False)))

    def say(self, key: str, **fields: object) -> str:
        """A stock text in the sheet's language."""
        return say(self.locale, key, **fields)

    def qty(self, value: float, unit: str) -> str:
        """A quantity with its unit."""
        return qty_text(self.locale, value, unit)

    def plan(self) -> StockPlan:
        """Every lot and request rendered, with the Log lines and counts."""
        lot_plans = [self.lot(lot) for lot in self.lots]
        request_plans = [self.request(req) for req in self.reqs]
        return StockPlan(tuple(lot_plans), tuple(request_plans), tuple(self.log), self.stats)

    def lot(self, lot: Lot) -> LotPlan:
        """What one Stock row shows after the pass (status, ledger, note lines)."""
        reserved = sum(lot.reserved.values())
        handed = sum(lot.handed.values())
        item = lot.item
        unit = item.unit
        lines: list[str] = []
        if lot.lock is not None:
            status = item.status or "unusable"
            lines.append(self.say(f"manual_{lot.lock}"))
        elif lot.quantity > EPS and handed >= lot.quantity - EPS:
            status = "handed_out"
            lines.append(self.say("all_handed", qty=self.qty(handed, unit)))
        elif lot.reasons:
            status = "unusable"
            texts = [r.text(self.locale) for r in lot.reasons]
            lines.append(self.say("not_offered", reasons=self.say("sep").join(texts)))
        else:
            status = "reserved" if reserved > EPS else "available"
        remaining = lot.capacity() if lot.offerable else 0.0
        if lot.lock is None and status in ("available", "reserved"):
            lines.append(
                self.say(
                    "left",
                    left=self.qty(lot.capacity(), unit),
                    reserved=plain_number(reserved),
                    handed=plain_number(handed),
                )
            )
        if handed > lot.quantity + EPS:
            lines.append(
                self.say(
                    "over_handed", handed=plain_number(handed), quantity=plain_number(lot.quantity)
                )
            )
        if item.community is None and (lot.offerable or reserved > EPS):
            lines.append(self.say("no_community"))
        label = None
        if lot.lock is None and item.status != status:
            label = self.statuses.label(status, self.locale)
            if item.status is not None:
                old = self.statuses.label(item.status, self.locale)
                detail = self.say("sep").join(r.text(self.locale) for r in lot.reasons)
                self.log.append(
                    StockLog(lot.id, self.say("log_status", old=old, new=label), "", detail)
                )
        self.log_ledger(lot)
        keys = sorted(set(lot.reserved) | set(lot.handed), key=natural_key)
        entries = []
        for key in keys:
            if lot.handed.get(key, 0.0) > EPS:
                entries.append(Entry(lot.refs[key], lot.handed[key], True))
            if lot.reserved.get(key, 0.0) > EPS:
                entries.append(Entry(lot.refs[key], lot.reserved[key], False))
        return LotPlan(
            row=item.row.number,
            id=lot.id,
            status=status,
            status_label=label,
            reserved_for=format_entries(entries),
            note_lines=tuple(lines),
            reserved=reserved,
            handed_out=handed,
            remaining=remaining,
        )

    def log_ledger(self, lot: Lot) -> None:
        """Log lines for what changed in a lot's ledger."""
        keys = set(lot.read_reserved) | set(lot.read_handed) | set(lot.reserved) | set(lot.handed)
        for key in sorted(keys, key=natural_key):
            old_r, old_h = lot.read_reserved.get(key, 0.0), lot.read_handed.get(key, 0.0)
            new_r, new_h = lot.reserved.get(key, 0.0), lot.handed.get(key, 0.0)
            ref = lot.refs.get(key, key)
            base = old_r
            if new_h > old_h + EPS:
                self.add_log(lot, "log_handout", ref, new_h - old_h)
                self.stats["stock_handed_out"] += 1
                base = max(0.0, old_r - (new_h - old_h))
            if new_r > base + EPS:
                self.add_log(lot, "log_reserve", ref, new_r - base)
                self.stats["stock_reserved"] += 1
            released = max(0.0, base - new_r) + max(0.0, old_h - new_h)
            if released > EPS:
                self.add_log(lot, "log_release", ref, released, self.why(lot, key))
                self.stats["stock_released"] += 1

    def add_log(self, lot: Lot, action: str, ref: str, units: float, why: str = "") -> None:
        """One Log line about a lot."""
        detail = f"{ref} ×{plain_number(units)}" + (f"{self.say('sep')}{why}" if why else "")
        self.log.append(StockLog(lot.id, self.say(action), "", detail))

    def why(self, lot: Lot, key: str) -> str:
        """Why a reservation was released, in words."""
        req = self.reqs_by_key.get(key)
        if req is None:
            return self.say("why_not_found")
        if req.status == "cancelled":
            return self.say("why_cancelled")
        if req.status == "needs_info":
            return self.say("why_needs_info")
        if not lot.holdable or (req.status in REDECIDED and not lot.offerable):
            return self.say("why_lot")
        if req.status in REDECIDED:
            return self.say("why_reallocated")
        return self.say("why_not_needed")

    def request(self, req: Claim) -> RequestPlan:
        """What one request's Stock matched cell and note say."""
        held = self.held.get(req.key)
        if held is None and (req.status not in ELIGIBLE or not req.wants):
            # holds nothing and asks for nothing: most requests at the peak
            return RequestPlan(
                row=req.outcome.request.row.number, id=req.id, stock="", note_lines=()
            )
        if held is None:  # asks, holds nothing (most that ask at the peak): only its shortfall
            return RequestPlan(
                row=req.outcome.request.row.number,
                id=req.id,
                stock="",
                note_lines=self.shortfall(req),
            )
        entries = sorted(held, key=lambda pair: (natural_key(pair[1].ref), not pair[1].handed_out))
        lines = []
        for lot, entry in entries:
            if entry.handed_out:
                continue
            donor = mask_phones(self.donors.get(lot.item.row.number, ""))
            lines.append(
                self.say(
                    "pickup",
                    lot=lot.id,
                    item=mask_phones(lot.item.item),
                    qty=self.qty(entry.quantity, lot.item.unit),
                    community=lot.item.community or "?",
                    donor=self.say("donor", donor=donor) if donor else "",
                )
            )
        lines += self.shortfall(req)
        return RequestPlan(
            row=req.outcome.request.row.number,
            id=req.id,
            stock=format_entries(e for _, e in entries),
            note_lines=tuple(lines),
        )

    def shortfall(self, req: Claim) -> tuple[str, ...]:
        """The "still short of" lines of a request that may take stock (each worded once)."""
        if req.status not in ELIGIBLE:
            return ()
        lines = []
        for want, unmet in zip(req.wants, req.unmet, strict=True):
            if unmet > EPS and self.matcher.names(want):
                line = self.short.get((want.name, unmet))
                if line is None:  # the same few things short by the same units, thousands of times
                    line = self.short[(want.name, unmet)] = self.say(
                        "short", name=mask_phones(want.name), n=plain_number(unmet)
                    )
                lines.append(line)
        return tuple(lines)
