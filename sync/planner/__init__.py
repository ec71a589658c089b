"""(snapshot, rules, now) → Plan: every cell the pass would write, and why (pure).

Same input, same plan; a second pass over the plan's own output plans nothing new. One module
per step: ids, roster (volunteers), settle and assignment (requests), explain (why nobody could
take it), retention (blanking and the Archive), lots (stock), series (notes other steps own),
the writer every step plans its cells through, and passes, which runs them in order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sync.intake.plan import plan_inbox
from sync.layout import check_layout
from sync.model import Plan, Snapshot
from sync.planner.collector import FewerCollections, fewer_collections
from sync.planner.ids import number_rows
from sync.planner.passes import Pass
from sync.planner.roster import OPEN_WORK
from sync.recurring import plan_series
from sync.rules import Rules
from sync.schema import Schema, load_schema
from sync.validate import PERSONAL
from sync.values import format_time

UNASSIGNED = frozenset({"new", "needs_info", "escalated"})
_Pass = Pass  # the names tests and older callers use
_FewerCollections = FewerCollections


def build_plan(
    snapshot: Snapshot,
    rules: Rules,
    now: datetime,
    tz: ZoneInfo,
    schema: Schema | None = None,
) -> Plan:
    """Plan one pass over a snapshot at a moment; raises SchemaError on a missing column."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    with fewer_collections:
        return _build_plan(snapshot, rules, now, tz, schema)


def _build_plan(
    snapshot: Snapshot, rules: Rules, now: datetime, tz: ZoneInfo, schema: Schema | None
) -> Plan:
    schema = schema or load_schema()
    new_tabs, new_columns = check_layout(snapshot, schema)
    local = now.astimezone(tz)
    requests = snapshot.table("requests")
    numbered = number_rows(requests) if requests is not None else ({}, [])
    series = plan_series(snapshot, rules, schema, local, tz, format_time(local), numbered[0])
    # new Inbox messages become request rows below those, planned like any request this pass
    intake = plan_inbox(series.snapshot, rules, schema, local, tz)
    planner = Pass(intake.snapshot, rules, local, tz, schema)
    if requests is not None and intake.snapshot.table("requests") is requests:
        planner.numbered[requests.tab.key] = numbered  # no new rows: the same numbering
    planner.series_notes = series.notes
    plan = intake.fold(series.fold(planner.run(new_tabs, new_columns)))
    return replace(plan, intake=intake.preview()) if intake.origins or intake.changes else plan


__all__ = ["OPEN_WORK", "PERSONAL", "UNASSIGNED", "build_plan", "number_rows"]
