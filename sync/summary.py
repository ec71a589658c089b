"""The Summary tab and the daily report, from the pass's outcome (pure)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sync.messages import say
from sync.model import CellValue, Request, StockItem, Volunteer
from sync.outcome import STATUS_ORDER as STATUS_ORDER
from sync.outcome import RequestOutcome as RequestOutcome
from sync.outcome import describe_stats as describe_stats
from sync.rules import Rules
from sync.rules.template import check_template as check_template
from sync.rules.template import render_template
from sync.schema import Locale, Schema
from sync.stock import StockPlan, stock_alerts
from sync.validate import RETAINED
from sync.values import format_time, minutes_between, plain_number


def word(locale: Locale, key: str, **fields: object) -> str:
    """A Summary label (sync/messages/tables.py, codes ``summary_*``) in the sheet's language."""
    return say(locale, f"summary_{key}", **fields)


def _median_minutes(pairs: Iterable[tuple[datetime | None, datetime | None]]) -> CellValue:
    spans = [minutes_between(a, b) for a, b in pairs if a and b and b >= a]
    return round(statistics.median(spans)) if spans else ""


def _resident(request: Request) -> str:
    """Who was served: the phone, or the resident code left when details were blanked."""
    if request.phone:
        return request.phone
    kept = RETAINED.search(request.note)
    if kept:
        return kept.group(1)
    if request.name or request.address:  # no usable phone: the same name at the same address
        return f"{request.name}|{request.address}"
    return f"#{request.row.number}"  # not the id: a row numbered this pass has none yet


@dataclass(frozen=True)
class OnOffer:
    """A lot and the units it can still offer after the pass."""

    item: StockItem
    remaining: float


def on_offer(stock: Iterable[StockItem], plan: StockPlan | None) -> list[OnOffer]:
    """Lots with units still on offer (unopened, disinfected, in date, not reserved or given)."""
    if plan is None:
        return []
    result = []
    for item in stock:
        lot = plan.lot(item.row.number)
        if lot is not None and lot.remaining > 0:
            result.append(OnOffer(item, lot.remaining))
    return result


def build_summary(
    outcomes: list[RequestOutcome],
    volunteers: Mapping[str, Volunteer],
    stock: list[StockItem],
    stock_plan: StockPlan | None,
    rules: Rules,
    schema: Schema,
    locale: Locale,
    now: datetime,
    stats: Mapping[str, int],
    archived: Sequence[RequestOutcome] = (),
) -> tuple[tuple[tuple[CellValue, ...], ...], str]:
    """The Summary tab's rows and the daily report text; `archived`: the requests on the
    Archive tab, which count in the totals people expect to include them."""

    def w(key: str, **fields: object) -> str:
        return word(locale, key, **fields)

    statuses = schema.choice_list("request_status")
    categories = schema.choice_list("category")
    rows: list[tuple[CellValue, ...]] = [
        (w("title"),),
        (w("last_pass"), format_time(now), w("health")),
        (w("did"), describe_stats(stats, locale)),
        (),
    ]
    usable = on_offer(stock, stock_plan)

    def figures(group: list[RequestOutcome]) -> list[CellValue]:
        counted = Counter(o.status for o in group)  # one walk, not one per status
        by_status = [counted[s] for s in STATUS_ORDER]
        delivered = [o for o in group if o.status == "delivered"]
        return [
            *by_status,
            len(delivered),
            len({_resident(o.request) for o in delivered}),
            _median_minutes((o.request.submitted_at, o.assigned_at) for o in group),
            _median_minutes((o.assigned_at, o.delivered_at) for o in delivered),
        ]

    status_heads = [statuses.label(s, locale) for s in STATUS_ORDER]
    tail = [w("completed"), w("served"), w("median_assign"), w("median_deliver")]
    rows.append((w("by_community"),))
    rows.append((w("community"), w("volunteers_active"), *status_heads, *tail, w("stock")))
    active = [v for v in volunteers.values() if v.active and v.name]
    names = [c.name for c in rules.communities]
    by_community: dict[str | None, list[RequestOutcome]] = {}
    for o in outcomes:  # grouped in one walk, each group in the outcomes' order
        by_community.setdefault(o.request.community, []).append(o)
    for name in names:
        group = by_community.get(name, [])
        serving = sum(1 for v in active if name in v.communities)
        in_stock = sum(s.remaining for s in usable if s.item.community == name)
        rows.append((name, serving, *figures(group), plain_number(in_stock)))
    in_stock_all = sum(s.remaining for s in usable)
    rows.append((w("total"), len(active), *figures(outcomes), plain_number(in_stock_all)))
    rows.append(())

    rows.append((w("by_team"),))
    rows.append((w("team"), w("volunteers_active"), w("open"), *tail))
    teams = sorted({v.team for v in volunteers.values() if v.name})
    team_of = {vid: v.team for vid, v in volunteers.items()}
    by_team: dict[str, list[RequestOutcome]] = {}
    for o in outcomes:  # grouped in one walk, each group in the outcomes' order
        if o.volunteer_id in team_of:
            by_team.setdefault(team_of[o.volunteer_id], []).append(o)
    for team in teams:
        group = by_team.get(team, [])
        delivered = [o for o in group if o.status == "delivered"]
        rows.append(
            (
                team or w("no_team"),
                sum(1 for v in active if v.team == team),
                sum(1 for o in group if o.status in ("assigned", "in_progress")),
                len(delivered),
                len({_resident(o.request) for o in delivered}),
                _median_minutes((o.request.submitted_at, o.assigned_at) for o in group),
                _median_minutes((o.assigned_at, o.delivered_at) for o in delivered),
            )
        )
    rows.append(())

    rows.append((w("by_category"),))
    rows.append((w("category"), w("available"), w("lots")))
    for key in categories.option_keys():
        lots = [s for s in usable if s.item.category == key]
        rows.append(
            (categories.label(key, locale), plain_number(sum(s.remaining for s in lots)), len(lots))
        )
    rows.append(())

    live = [o for o in outcomes if o.status == "delivered"]
    gone = [o for o in archived if o.status == "delivered"]
    rows.append((w("with_archive"),))
    rows.append((w("completed"), len(live) + len(gone), w("of_which_archived", n=len(gone))))
    served = {_resident(o.request) for o in [*live, *gone]}
    rows.append((w("served"), len(served)))
    rows.append(())

    warnings = stock_alerts(stock, rules, locale, now, stock_plan, None, schema)
    rows.append((w("warnings"),))
    rows.extend((text,) for text in (warnings or [w("none")]))
    rows.append(())

    report = render_report(outcomes, volunteers, usable, rules, locale, now, archived)
    rows.append((w("daily"),))
    rows.extend((line,) for line in report.splitlines() if line.strip())
    return tuple(rows), report


ELDERLY = frozenset({"living_alone", "childless", "bereaved"})  # 独居, 孤寡, 失独


def delivered_on(outcome: RequestOutcome, now: datetime) -> date | None:
    """The local day a delivered request was delivered, by its own Delivered time.

    A request just marked delivered has no time yet; the pass writes `now` into it, so it counts
    on now's day, as every later pass (reading the written time) counts it too.
    """
    if outcome.status != "delivered":
        return None
    moment = outcome.delivered_at or outcome.request.delivered_at or now
    return moment.astimezone(now.tzinfo).date() if now.tzinfo else moment.date()


def report_figures(
    outcomes: list[RequestOutcome],
    volunteers: Mapping[str, Volunteer],
    usable: list[OnOffer],
    rules: Rules,
    now: datetime,
    archived: Sequence[RequestOutcome] = (),
) -> dict[str, object]:
    """The numbers the daily report template may use: the day's work, totals named *_total
    (the Archive's deliveries included)."""
    day = now.date()
    delivered = [o for o in outcomes if o.status == "delivered"]
    ever = [*delivered, *(o for o in archived if o.status == "delivered")]
    today = [o for o in delivered if delivered_on(o, now) == day]
    waiting = [o for o in outcomes if o.status in ("new", "needs_info", "escalated")]

    def residents(group: Iterable[RequestOutcome]) -> int:
        return len({_resident(o.request) for o in group})

    def elderly(group: Iterable[RequestOutcome]) -> int:
        return residents(o for o in group if o.request.household in ELDERLY)

    def by_stock(group: Iterable[RequestOutcome]) -> int:
        return residents(o for o in group if o.request.stock)

    return {
        "office": rules.office,
        "date": day.isoformat(),
        "volunteers_total": sum(1 for v in volunteers.values() if v.name),
        "volunteers_active": sum(1 for v in volunteers.values() if v.name and v.active),
        "dispatches_completed": len(today),
        "dispatches_completed_total": len(ever),
        "residents_served": residents(today),
        "residents_served_total": residents(ever),
        "elderly_served": elderly(today),
        "elderly_served_total": elderly(ever),
        "requests_total": len(outcomes),
        "waiting": len(waiting),
        "escalated": sum(1 for o in outcomes if o.status == "escalated"),
        "open_tasks": sum(1 for o in outcomes if o.status in ("assigned", "in_progress")),
        "medicine_in_stock": plain_number(
            sum(s.remaining for s in usable if s.item.category == "medicine")
        ),
        "residents_helped_by_stock": by_stock(today),
        "residents_helped_by_stock_total": by_stock(ever),
    }


def render_report(
    outcomes: list[RequestOutcome],
    volunteers: Mapping[str, Volunteer],
    usable: list[OnOffer],
    rules: Rules,
    locale: Locale,
    now: datetime,
    archived: Sequence[RequestOutcome] = (),
) -> str:
    """The daily report text in the sheet's language."""
    template = rules.report_templates.get(locale) or next(iter(rules.report_templates.values()), "")
    figures = report_figures(outcomes, volunteers, usable, rules, now, archived)
    return render_template(template, figures)
