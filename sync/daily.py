"""When the daily report falls due: once a day, after the time the rules set (pure).

The pass that finds it due records it in the Log (ref = the date, action 日报 / daily report),
so every later pass that day sees it recorded; notifiers send the report of a plan whose
``report_due`` is set.
"""

from __future__ import annotations

from datetime import datetime

from sync.messages import say
from sync.model import Snapshot
from sync.rules import Rules
from sync.schema import Locale
from sync.values import format_day, text_of

# the Log action recording a daily report, in each language (notifiers look for both)
ACTIONS: dict[Locale, str] = {locale: say(locale, "daily_action") for locale in ("zh", "en")}


def daily_report_due(snapshot: Snapshot, rules: Rules, now: datetime) -> str:
    """The date (YYYY-MM-DD) whose daily report falls due at `now` (local), or ""."""
    at = rules.daily_report_at
    if at is None or now.hour * 60 + now.minute < at:
        return ""
    day = format_day(now.date())
    log = snapshot.table("log")
    if log is not None and log.col("ref") is not None and log.col("action") is not None:
        actions = set(ACTIONS.values())
        for row in log.rows:
            if text_of(log.get(row, "ref")) == day and text_of(log.get(row, "action")) in actions:
                return ""
    return day


def daily_report_line(rules: Rules, locale: Locale, report: str) -> tuple[str, str, str]:
    """The Log line's action, rule and detail recording a daily report."""
    at = rules.daily_report_at or 0
    clock = f"{at // 60:02d}:{at % 60:02d}"
    rule = say(locale, "daily_rule", clock=clock)
    return ACTIONS[locale], rule, report
