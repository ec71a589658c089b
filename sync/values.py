"""Reading what people type: dates, phone numbers, duty hours, lists; and masking phones."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sync.model import MOMENT_FORMAT, CellValue, is_blank

_EXCEL_EPOCH = datetime(1899, 12, 30)
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2})?$")
_LIST_SPLIT = re.compile(r"[,，、;；/|\n]+")
_PHONE_RUN = re.compile(r"(?<![\d*])(?:\+?\d[\d \-]{5,}\d)(?![\d*])")
_PHONE_HINT = re.compile(r"\d[\d \-]{5,}\d")  # what every _PHONE_RUN holds; twice as quick

_DATE_PATTERNS = (
    # 2022-12-20 14:30[:00], 2022/12/20 14:35, 2022.12.20, 2022-12-20T14:30
    re.compile(
        r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
        r"(?:[ T]+(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2})(?:\.\d+)?)?)?$"
    ),
    # 2022年12月20日 14:40 / 14时40分 / 14点
    re.compile(
        r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"
        r"(?:\s*(?P<H>\d{1,2})(?:[:：]|[时点])(?:(?P<M>\d{1,2})分?)?)?$"
    ),
    # 12/20 14:40 (month first, as typed in China and the US)
    re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:\s+(?P<H>\d{1,2})[:：](?P<M>\d{2}))?$"),
)


def text_of(value: CellValue) -> str:
    """A cell as trimmed text; whole floats lose their '.0' (numbers typed into text columns)."""
    if type(value) is str:  # nearly every cell: skip the checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_time(value)
    return str(value).strip()


def folded_text(value: CellValue) -> str:
    """A cell as text with full-width digits, letters and punctuation made plain (for parsing)."""
    return unicodedata.normalize("NFKC", text_of(value))


def format_time(moment: datetime) -> str:
    """How the worker writes a time: 2022-12-20 15:00 (local to the workbook)."""
    return moment.strftime(MOMENT_FORMAT)


def format_day(day: date) -> str:
    """How the worker writes a day: 2022-12-20 (a Log reference, an occurrence's id)."""
    return day.isoformat()


def day_of(text: str) -> date | None:
    """The day the worker's own text `2022-12-20` stands for (None for other text)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from one moment to a later one (negative when `end` comes first)."""
    return (end - start).total_seconds() / 60


def plain_number(value: float) -> int | float:
    """A count or quantity as people write it: 2, not 2.0; 2.5; at most two decimals."""
    return int(value) if float(value).is_integer() else round(value, 2)


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip


def chinese_number(text: str) -> int | None:
    """A number in Chinese numerals up to 九十九 (三, 两, 十, 十二, 二十五), else None."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(text)


def display_width(text: str) -> int:
    """How many columns a text takes on screen or in a cell (a CJK character counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def parse_datetime(value: CellValue, tz: ZoneInfo, now: datetime) -> datetime | None:
    """A moment from what people type or a real spreadsheet date; None if unreadable or blank."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tz)
    if isinstance(value, int | float):
        if 20_000 < value < 80_000:  # a spreadsheet serial date (days since 1899-12-30)
            return (_EXCEL_EPOCH + timedelta(days=float(value))).replace(tzinfo=tz)
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parsed.astimezone(tz) if parsed.tzinfo else parsed.replace(tzinfo=tz)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            hour, minute, second = (int(parts.get(k) or 0) for k in ("H", "M", "S"))
            clock = time(hour, minute, second)
            if parts.get("y"):
                day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
                return datetime.combine(day, clock, tz)
            return _latest_passed(int(parts["m"]), int(parts["d"]), clock, tz, now)
        except ValueError:
            return None
    return None


def typed_without_year(value: CellValue) -> bool:
    """Whether a cell is a date typed with no year (12月20日, 12/20 14:40), read by guessing one."""
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return not match.groupdict().get("y")
    return False


def _latest_passed(month: int, day: int, clock: time, tz: ZoneInfo, now: datetime) -> datetime:
    """A date typed without a year: the latest such day that is not after today.

    "12月20日" typed on 2 December is last year's 20 December (this year's has not come); on the
    20th it is today, whatever the clock says, so a time later today stays today. 29 February
    goes back to the last leap year. Raises ValueError for a day no year has.
    """
    today = now.astimezone(tz).date()
    for year in range(today.year, today.year - 8, -1):
        try:
            typed = date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue  # not a leap year: look further back
            raise
        if typed <= today:
            return datetime.combine(typed, clock, tz)
    raise ValueError(f"no year has {month}/{day}")


def parse_date(value: CellValue, tz: ZoneInfo, now: datetime) -> date | None:
    """A calendar date (expiry dates); None if unreadable or blank."""
    text = text_of(value) if isinstance(value, str) else ""
    month_only = re.match(r"^(\d{4})[-/.年](\d{1,2})月?$", text)
    if month_only:  # "2023-06" on a medicine box means the end of that month
        year, month = int(month_only[1]), int(month_only[2])
        if 1 <= month <= 12:
            nxt = date(year + month // 12, month % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return None
    moment = parse_datetime(value, tz, now)
    return moment.date() if moment else None


@dataclass(frozen=True)
class Phone:
    """A checked phone number: valid or not, its E.164 form, and a masked display."""

    valid: bool
    e164: str
    masked: str


def parse_phone(value: CellValue, region: str) -> Phone | None:
    """Check a phone cell (full-width digits, spaces, +86, numbers stored as numbers)."""
    text = folded_text(value)
    if not text:
        return None
    return _check_phone(text, region)


@lru_cache(maxsize=65_536)
def _check_phone(text: str, region: str) -> Phone:
    digits = re.sub(r"[\s\-()（）.]", "", text)
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return Phone(False, digits, mask_phone(digits))
    valid = phonenumbers.is_valid_number(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = str(number.national_number)
    return Phone(valid, e164 if valid else digits, mask_phone(national if valid else digits))


def mask_phone(digits: str) -> str:
    """138****5678: keep the first three and last four digits of longer numbers."""
    core = re.sub(r"\D", "", digits)
    if len(core) >= 10:
        return core[:3] + "****" + core[-4:]
    if len(core) >= 7:
        return core[:2] + "*" * (len(core) - 4) + core[-2:]
    return "*" * len(core)


def mask_phones(text: str) -> str:
    """Mask every phone-like run of digits in free text the worker is about to write."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if _DATE_LIKE.match(found):
            return found
        digits = re.sub(r"\D", "", found)
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return mask_phone(digits)

    return _PHONE_RUN.sub(replace, text)


def safe_text(text: str, limit: int = 30_000, mask: bool = True) -> str:
    """Text fit to write into a cell: masked phones, no control characters, bounded length."""
    if not text:
        return ""
    if mask and _PHONE_HINT.search(text):
        text = mask_phones(text)
    cleaned = str(ILLEGAL_CHARACTERS_RE.sub("", text))
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def quote(value: CellValue, limit: int = 80) -> str:
    """A cell's text fit to quote inside a one-line note: one line, bounded."""
    text = " ".join(text_of(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_list(value: CellValue) -> tuple[str, ...]:
    """Split a cell listing several things (, ， 、 ; ； / or new lines)."""
    text = text_of(value)
    return tuple(p.strip() for p in _LIST_SPLIT.split(text) if p.strip())


Window = tuple[int, int]  # minutes after midnight, start inclusive, end exclusive
_ALL_DAY = {"24h", "24小时", "全天", "allday", "always", "any", "随时", "0:00-24:00", "00:00-24:00"}
_WINDOW = re.compile(
    r"^(\d{1,2})(?:[:：.](\d{2}))?(?:点)?\s*[-~～—到至]\s*(\d{1,2})(?:[:：.](\d{2}))?点?$"
)


def parse_hours(value: CellValue) -> tuple[Window, ...] | None:
    """Duty windows from '08:00-20:00', '8-12, 18:00-22:00', '22:00-06:00', '24h' / '全天'.

    Returns () for blank, None when unreadable.
    """
    text = folded_text(value).replace(" ", "")
    if not text:
        return ()
    if text.casefold() in _ALL_DAY:
        return ((0, 24 * 60),)
    windows: list[Window] = []
    for part in re.split(r"[,，、;；/]+", text):
        if not part:
            continue
        if part.casefold() in _ALL_DAY:
            windows.append((0, 24 * 60))
            continue
        match = _WINDOW.match(part)
        if not match:
            return None
        h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            return None
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            return None
        windows.append((start, end))
    return tuple(windows)


def on_duty(windows: tuple[Window, ...], moment: datetime) -> bool:
    """Whether a local moment falls in any window (windows may cross midnight)."""
    minute = moment.hour * 60 + moment.minute
    for start, end in windows:
        if start < end:
            if start <= minute < end:
                return True
        elif minute >= start or minute < end:
            return True
    return False
