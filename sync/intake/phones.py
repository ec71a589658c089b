"""Phone numbers in a message: mobile and landline, with spaces, dashes, +86 (phonenumbers)."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class FoundPhone:
    """A phone number read from the text: where it stood and how the Phone cell gets it."""

    start: int
    end: int
    number: str  # 13812345678, or 010-65529988 for a landline


def find_phones(text: str, region: str = "CN") -> list[FoundPhone]:
    """Every valid phone number in a folded text, in reading order, each number once."""
    found: list[FoundPhone] = []
    seen: set[str] = set()
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        number = _cell_text(match.number)
        if number not in seen:
            seen.add(number)
            found.append(FoundPhone(match.start, match.end, number))
    return found


def _cell_text(number: phonenumbers.PhoneNumber) -> str:
    """Digits as people type them in this country; a landline keeps its area code apart."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = national.replace(" ", "").replace("-", "")
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        area = phonenumbers.length_of_geographical_area_code(number)
        if area:
            prefix = len(digits) - len(str(number.national_number))  # the trunk 0
            return digits[: prefix + area] + "-" + digits[prefix + area :]
    return digits
