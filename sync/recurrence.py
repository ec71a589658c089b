"""The Repeat cell of a request: what people type (每周一, every 3 days …) → a Schedule (pure).

Accepted, in either language (full-width forms and spaces ignored):

* every day — 每天, 每日, daily, every day
* every N days / weeks — 每3天, 每隔3天, 每2周, every 3 days, every 2 weeks
* on weekdays — 每周一, 每星期一, 周一, 每周一、四, 每周一和周四, every Monday,
  every Mon and Thu, Mondays, weekly on Monday; 每周 / weekly alone repeats the weekday of
  the first request
* monthly — 每月1日, 每月15号, monthly, monthly on the 1st, every month on day 15
  (a day past the month's end means its last day)
* an optional time of day at the end: 每周一 9:00, every Monday at 09:30, 每天上午9点

Occurrences are whole days: at most one per day, at the schedule's time of day (or the rules'
default time when the cell gives none).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sync.model import CellValue, is_blank
from sync.values import chinese_number

_ZH_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "末": 0}
_EN_WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6,
    "sat": 6, "sunday": 7, "sun": 7, "weekend": 0,
}  # fmt: skip
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "other": 2}  # fmt: skip

_TIME_TAIL = re.compile(
    r"(?:\s*(?:at|@|，|,)?\s*)"
    r"(?P<ampm>上午|早上|早|下午|晚上|中午)?(?P<h>\d{1,2})"
    r"(?:[:：.](?P<m>\d{2})\s*(?P<en>am|pm)?|[点时](?:(?P<m2>\d{1,2})分?|半)?|\s*(?P<en2>am|pm))$"
)
_ZH_DAYS = re.compile(
    r"^每(?:隔)?(?P<n>\d+|[一二两三四五六七八九十])?(?:个)?(?P<unit>天|日|周|星期|礼拜)$"
)
_ZH_WEEK = re.compile(
    r"^(?:每)?(?:周|星期|礼拜)(?P<days>[一二三四五六日天末](?:[、,，和及与/]?(?:周|星期|礼拜)?[一二三四五六日天末])*)$"
)
_ZH_MONTH = re.compile(r"^每(?:个)?月(?:的)?(?P<d>\d{1,2})[日号]?$")
_EN_EVERY = re.compile(
    r"^every(?:\s+(?P<n>\d+|one|two|three|four|five|six|seven|other))?\s+(?P<unit>days?|weeks?)$"
)
_EN_MONTH = re.compile(
    r"^(?:monthly|every\s+month)(?:\s+on)?(?:\s+(?:the|day))?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?$"
)
_EN_DAY_LIST = re.compile(r"^(?:every|weekly(?:\s+on)?|on)?\s*(?P<days>[a-z][a-z ,&/]*)$")


@dataclass(frozen=True)
class Schedule:
    """When a request repeats: every N days, on weekdays, or on a day of the month."""

    kind: str  # "days" (every `every` days from the first), "weekdays", "monthday"
    every: int = 1
    weekdays: frozenset[int] = frozenset()  # ISO 1 = Monday … 7 = Sunday
    monthday: int = 0
    minute: int | None = None  # time of day in minutes after midnight; None: the rules' default

    def is_on(self, day: date, first: date) -> bool:
        """Whether an occurrence falls on this day (the first request was on `first`)."""
        if day <= first:
            return False
        if self.kind == "days":
            return (day - first).days % self.every == 0
        if self.kind == "weekdays":
            if self.every > 1 and ((day - first).days // 7) % self.every:
                return False
            return day.isoweekday() in self.weekdays
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(self.monthday, last)

    def latest(self, until: date, first: date) -> date | None:
        """The last occurrence on or before `until` (after the first request), or None."""
        if until <= first:
            return None
        if self.kind == "days":
            steps = (until - first).days // self.every
            return first + timedelta(days=steps * self.every) if steps else None
        day = until
        horizon = 31 if self.kind == "monthday" else 7 * self.every
        for _ in range(horizon + 1):
            if day <= first:
                return None
            if self.is_on(day, first):
                return day
            day -= timedelta(days=1)
        return None


def _fold(value: CellValue) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return re.sub(r"\s+", " ", text)


def _number(text: str | None) -> int | None:
    if not text:
        return 1
    if text.isdigit():
        return int(text)
    return chinese_number(text) or _EN_NUMBERS.get(text)


def _time_of_day(text: str) -> tuple[str, int | None] | None:
    """Split a trailing time of day off; None when it is there but impossible (25:00)."""
    match = _TIME_TAIL.search(text)
    if not match or match.start() == 0:
        return text, None
    hour = int(match["h"])
    minute = int(match["m"] or match["m2"] or 0)
    if match.group(0).rstrip().endswith("半"):
        minute = 30
    suffix = match["en"] or match["en2"]
    if match["ampm"] in ("下午", "晚上") or suffix == "pm":
        hour = hour + 12 if hour < 12 else hour
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return text[: match.start()].strip(" ,，"), hour * 60 + minute


def parse_repeat(value: CellValue, first: date | None = None) -> Schedule | None:
    """The schedule a Repeat cell describes; None when blank or unreadable (see is_readable)."""
    if is_blank(value) or isinstance(value, bool | int | float):
        return None
    split = _time_of_day(_fold(value))
    if split is None:
        return None
    text, minute = split
    text = text.removesuffix("一次").removesuffix("各一次").strip()
    schedule = _zh(text, first) or _en(text, first)
    if schedule is None:
        return None
    return Schedule(schedule.kind, schedule.every, schedule.weekdays, schedule.monthday, minute)


def is_readable(value: CellValue) -> bool:
    """Whether a Repeat cell is blank or describes a schedule people meant."""
    return is_blank(value) or parse_repeat(value, date(2000, 1, 3)) is not None


def _weekly(days: set[int], every: int = 1) -> Schedule | None:
    if 0 in days:  # 周末 / weekend
        days = (days - {0}) | {6, 7}
    return Schedule("weekdays", every, frozenset(days)) if days else None


def _zh(text: str, first: date | None) -> Schedule | None:
    text = text.replace(" ", "")
    if text in ("每天", "每日", "天天", "日常"):
        return Schedule("days", 1)
    match = _ZH_DAYS.match(text)
    if match:
        n = _number(match["n"])
        if not n or n > 366:
            return None
        if match["unit"] in ("天", "日"):
            return Schedule("days", n)
        if first is None:
            return None
        return _weekly({first.isoweekday()}, n)
    match = _ZH_WEEK.match(text.removeprefix("每"))
    if match:
        days = {_ZH_WEEKDAYS[ch] for ch in match["days"] if ch in _ZH_WEEKDAYS}
        return _weekly(days)
    match = _ZH_MONTH.match(text)
    if match:
        day = int(match["d"])
        return Schedule("monthday", monthday=day) if 1 <= day <= 31 else None
    if text in ("每月", "每个月") and first is not None:
        return Schedule("monthday", monthday=first.day)
    return None


def _en(text: str, first: date | None) -> Schedule | None:
    if text in ("daily", "every day", "each day", "everyday"):
        return Schedule("days", 1)
    if text in ("weekly", "every week", "each week") and first is not None:
        return _weekly({first.isoweekday()})
    if text in ("fortnightly", "biweekly", "every other week") and first is not None:
        return _weekly({first.isoweekday()}, 2)
    if text in ("monthly", "every month", "each month") and first is not None:
        return Schedule("monthday", monthday=first.day)
    match = _EN_EVERY.match(text)
    if match:
        n = _number(match["n"])
        if not n or n > 366:
            return None
        if match["unit"].startswith("day"):
            return Schedule("days", n)
        return _weekly({first.isoweekday()}, n) if first is not None else None
    match = _EN_MONTH.match(text)
    if match:
        day = int(match["d"])
        return Schedule("monthday", monthday=day) if 1 <= day <= 31 else None
    match = _EN_DAY_LIST.match(text)
    if match:
        words = [w for w in re.split(r"[ ,&/]+|\band\b", match["days"]) if w and w != "and"]
        days = set()
        for word in words:
            key = word.rstrip("s") if word.rstrip("s") in _EN_WEEKDAYS else word
            if key not in _EN_WEEKDAYS:
                return None
            days.add(_EN_WEEKDAYS[key])
        return _weekly(days)
    return None


def describe(schedule: Schedule, locale: str) -> str:
    """A schedule in words, for notes: 每周一、四 / every Mon, Thu."""
    zh_days = "一二三四五六日"
    en_days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    if schedule.kind == "days":
        text = (
            ("每天" if schedule.every == 1 else f"每{schedule.every}天")
            if locale == "zh"
            else ("daily" if schedule.every == 1 else f"every {schedule.every} days")
        )
    elif schedule.kind == "weekdays":
        days = sorted(schedule.weekdays)
        if locale == "zh":
            prefix = "每周" if schedule.every == 1 else f"每{schedule.every}周的周"
            text = prefix + "、".join(zh_days[d - 1] for d in days)
        else:
            prefix = "every" if schedule.every == 1 else f"every {schedule.every} weeks on"
            text = prefix + " " + ", ".join(en_days[d - 1] for d in days)
    else:
        text = (
            f"每月{schedule.monthday}日"
            if locale == "zh"
            else f"monthly on day {schedule.monthday}"
        )
    if schedule.minute is not None:
        text += f" {schedule.minute // 60:02d}:{schedule.minute % 60:02d}"
    return text
