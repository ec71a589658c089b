"""How tall a row must be for its wrapped cells to show whole.

Office suites wrap a cell's text but do not grow a row to fit when they open a file (LibreOffice
7.4 shows the wrapped note's last line only; Excel grows a row when a cell is edited), so the
writer sets each row it writes to the lines its wrapped cells need: one line per `width` display
columns (a Chinese character counts two, see values.display_width), and one per line break.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sync.values import display_width

LINE_HEIGHT = 16.5  # points per line of the default 11-point font, Chinese glyphs included
MOST_LINES = 12  # a very long text shows this many lines; the cell holds the rest


def lines_for(text: str, width: float) -> int:
    """Lines a text takes wrapped in a column `width` characters wide."""
    usable = max(width * 0.92 - 1.5, 1.0)  # the cell's padding, and words wrapped whole
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def fitted_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """The height (points) a row needs for these (value, column width) wrapped cells; None
    when one line is enough (the row keeps the default height)."""
    lines = max(
        (lines_for(v, w) for v, w in cells if isinstance(v, str) and v.strip()),
        default=1,
    )
    return LINE_HEIGHT * min(lines, MOST_LINES) if lines > 1 else None
