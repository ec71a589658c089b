"""Is the worker alive? The last successful pass, as recorded in the Summary tab (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sync.messages import say
from sync.model import Snapshot
from sync.values import format_time, parse_datetime

_LABELS = frozenset({say("zh", "summary_last_pass"), say("en", "summary_last_pass")})


@dataclass(frozen=True)
class Health:
    """The verdict of `aidsync status`."""

    ok: bool
    last_pass: datetime | None
    age: timedelta | None
    message: str


def last_pass(snapshot: Snapshot, tz: ZoneInfo, now: datetime) -> datetime | None:
    """When the last successful pass ran, read off the Summary tab; None if never recorded."""
    table = snapshot.table("summary")
    if table is None:
        return None
    # the Summary has no header row of its own: its first line was read as one
    rows = [tuple(table.header.headers), *(tuple(r.values) for r in table.rows)]
    for row in rows:
        if len(row) >= 2 and str(row[0] or "").strip() in _LABELS:
            return parse_datetime(row[1], tz, now)
    return None


def _ago(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute ago"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"


def judge(snapshot: Snapshot, tz: ZoneInfo, now: datetime, max_age: timedelta) -> Health:
    """OK when the last pass is no older than max_age; otherwise say what to look at."""
    when = last_pass(snapshot, tz, now)
    if when is None:
        return Health(
            False,
            None,
            None,
            f"{snapshot.source}: no successful pass is recorded in the Summary tab; run "
            "`aidsync sync` once, and check the cron job or timer that should run it",
        )
    age = now - when
    stamp = format_time(when)
    if age > max_age:
        return Health(
            False,
            when,
            age,
            f"{snapshot.source}: STALE: the last successful pass was at {stamp} ({_ago(age)}), "
            f"longer ago than {_span(max_age)}; check the cron job or timer and its log",
        )
    return Health(
        True, when, age, f"{snapshot.source}: OK: last successful pass at {stamp} ({_ago(age)})"
    )


def _span(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    return f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"
