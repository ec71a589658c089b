"""Cell values as a person sees them: a date-time cell the worker wrote shows as its minute
(`2022-12-20 15:00`), whichever store holds it as a real date-time and which as text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sync.model import moment_text


def shown(value: Any) -> Any:
    """The value, a whole-minute date-time as the worker's text for it."""
    if isinstance(value, datetime):
        return moment_text(value) or value
    return value


def shown_rows(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Every cell of a grid as shown."""
    return [[shown(v) for v in row] for row in rows]
