"""A cell's value: blank or not, the same for compare-and-set, and the worker's text for a time."""

from __future__ import annotations

import re
from datetime import datetime

CellValue = str | int | float | bool | datetime | None


def is_blank(value: object) -> bool:
    """True for an empty cell (None, or text of only spaces)."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def same_value(a: object, b: object) -> bool:
    """Whether two cell values are the same for compare-and-set (blank equals blank; a real
    date-time cell equals the worker's text for the same minute, `2022-12-20 15:00`)."""
    if (a is None or (isinstance(a, str) and not a.strip())) and (  # is_blank, inlined
        b is None or (isinstance(b, str) and not b.strip())
    ):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (type(a) is type(b) and a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    if isinstance(a, datetime) and isinstance(b, str):
        return moment_text(a) == b.strip()
    if isinstance(b, datetime) and isinstance(a, str):
        return moment_text(b) == a.strip()
    return type(a) is type(b) and a == b


MOMENT_FORMAT = "%Y-%m-%d %H:%M"  # how the worker writes a time, as text
_MOMENT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def moment_text(moment: datetime) -> str | None:
    """The worker's text for a whole-minute, zone-less date-time (None for any other moment)."""
    if moment.tzinfo is not None or moment.second or moment.microsecond:
        return None
    return moment.strftime(MOMENT_FORMAT)


def moment_of(text: object) -> datetime | None:
    """The date-time the worker's own text `2022-12-20 15:00` stands for (None for other text)."""
    if not isinstance(text, str) or not _MOMENT_TEXT.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, MOMENT_FORMAT)
    except ValueError:
        return None
