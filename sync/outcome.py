"""A pass's outcome: each request's state once the plan is applied (what the Summary, chart and
stock count), and what the pass did in a few words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sync.locale import Locale
from sync.messages import join, say
from sync.model import Request

#: request statuses in the order the Summary and the chart show them
STATUS_ORDER = (
    "new",
    "needs_info",
    "escalated",
    "assigned",
    "in_progress",
    "delivered",
    "cancelled",
)


@dataclass(frozen=True)
class RequestOutcome:
    """A request's state once the pass's plan is applied."""

    request: Request
    status: str | None
    volunteer_id: str
    assigned_at: datetime | None
    delivered_at: datetime | None


def describe_stats(stats: Mapping[str, int], locale: Locale) -> str:
    """What a pass did, in a few words."""
    parts = [
        say(locale, f"summary_stat_{key}", n=stats[key])
        for key in (
            "assigned",
            "claimed",
            "escalated",
            "needs_info",
            "reminders",
            "delivered",
            "ids",
            "recurring",
            "retention",
            "archived",
        )
        if stats.get(key)
    ]
    parts.append(say(locale, "summary_stat_changes", n=stats.get("changes", 0)))
    return join(locale, parts)
