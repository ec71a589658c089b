"""A request's state once the pass's plan is applied: what the Summary, chart and stock count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
