"""A1 notation: parsing range strings and rendering Google's normalised range strings."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"^([A-Za-z]{1,3})?([1-9][0-9]*)?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REF_LIKE = re.compile(r"^([A-Za-z]{1,3}[0-9]*|[Rr][0-9]*[Cc][0-9]*)$")


class A1Error(ValueError):
    """Raised when a string is not valid A1 notation."""


@dataclass(frozen=True)
class A1Range:
    """A parsed range; None bounds are open (0-based, end exclusive)."""

    sheet: str | None
    start_row: int | None
    start_col: int | None
    end_row: int | None
    end_col: int | None

    def bounded(self, row_count: int, column_count: int) -> tuple[int, int, int, int]:
        """Close open bounds against a grid size: (start_row, start_col, end_row, end_col)."""
        return (
            self.start_row if self.start_row is not None else 0,
            self.start_col if self.start_col is not None else 0,
            self.end_row if self.end_row is not None else row_count,
            self.end_col if self.end_col is not None else column_count,
        )


def column_letters(index: int) -> str:
    """Return the letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of column letters (A -> 0)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google does in returned ranges."""
    if _PLAIN_TITLE.match(title) and not _REF_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_name(row: int, col: int) -> str:
    """Return the A1 name of a 0-based cell."""
    return f"{column_letters(col)}{row + 1}"


def format_range(title: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """Render a bounded range (end exclusive) as Google's normalised A1 string."""
    first = cell_name(start_row, start_col)
    if end_row - start_row <= 1 and end_col - start_col <= 1:
        return f"{quote_title(title)}!{first}"
    return f"{quote_title(title)}!{first}:{cell_name(end_row - 1, end_col - 1)}"


def _parse_part(part: str) -> tuple[int | None, int | None]:
    match = _PART.match(part)
    if not part or not match:
        raise A1Error(part)
    col = column_index(match.group(1)) if match.group(1) else None
    row = int(match.group(2)) - 1 if match.group(2) else None
    return row, col


def parse_reference(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Parse the cell part ('A1', 'A:C', '2:3', 'A2:C', 'D4:A1') into open bounds."""
    parts = ref.strip().split(":")
    if len(parts) == 1:
        row, col = _parse_part(parts[0])
        if row is None or col is None:
            raise A1Error(ref)
        return row, col, row + 1, col + 1
    if len(parts) != 2:
        raise A1Error(ref)
    (r1, c1), (r2, c2) = _parse_part(parts[0]), _parse_part(parts[1])
    if (c1 is None and c2 is not None and r1 is not None) or (r1 is None and c1 is None):
        raise A1Error(ref)
    if r1 is not None and r2 is not None and r1 > r2:
        r1, r2 = r2, r1
    if c1 is not None and c2 is not None and c1 > c2:
        c1, c2 = c2, c1
    if r1 is None and r2 is not None:
        r1 = 0
    return (
        r1,
        c1,
        None if r2 is None else r2 + 1,
        None if c2 is None else c2 + 1,
    )


def _is_reference(text: str) -> bool:
    try:
        parse_reference(text)
    except A1Error:
        return False
    return True


def parse_range(text: str) -> A1Range:
    """Parse 'Sheet'!A1:B2, Sheet1, A1:B2, 'It''s'!A:A and similar forms."""
    text = text.strip()
    if not text:
        raise A1Error(text)
    title: str | None
    ref: str | None
    if text.startswith("'"):
        chars: list[str] = []
        i = 1
        while True:
            if i >= len(text):
                raise A1Error(text)
            if text[i] == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    chars.append("'")
                    i += 2
                    continue
                break
            chars.append(text[i])
            i += 1
        title, rest = "".join(chars), text[i + 1 :]
        if rest and not rest.startswith("!"):
            raise A1Error(text)
        ref = rest[1:] if rest else None
    elif "!" in text:
        title, _, ref = text.rpartition("!")
    elif _is_reference(text):
        title, ref = None, text
    else:
        title, ref = text, None
    if ref is None:
        return A1Range(title, None, None, None, None)
    return A1Range(title, *parse_reference(ref))
