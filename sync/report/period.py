"""The period a report covers: two calendar dates, both included (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sync.errors import ConfigError
from sync.schema import Locale
from sync.values import parse_date


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both whole days in the workbook's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many calendar days the period spans."""
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range(self.days)]


def parse_period(
    start: str | None, end: str | None, tz: ZoneInfo, now: datetime, locale: Locale
) -> Period:
    """The period two flags name; ConfigError (exit 2) for a missing, unreadable or backward one."""
    if not start or not end:
        raise ConfigError.worded("rp_need_both").in_language(locale)
    first = _day("--from", start, tz, now, locale)
    last = _day("--to", end, tz, now, locale)
    if last < first:
        raise ConfigError.worded("rp_backwards", start=first, end=last).in_language(locale)
    return Period(first, last)


def _day(flag: str, text: str, tz: ZoneInfo, now: datetime, locale: Locale) -> date:
    day = parse_date(text.strip(), tz, now)
    if day is None:
        raise ConfigError.worded("rp_bad_date", flag=flag, value=text).in_language(locale)
    return day
