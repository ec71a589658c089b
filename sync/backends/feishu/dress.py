"""A tab's dressing on Feishu: column widths, shaded worker columns, the frozen header.

Sent by init for every tab, and by a pass for the tabs it adds and those whose header row is
not frozen (what sheets/query tells without another call: a dressed tab has its header frozen,
so freezing comes last and marks the tab done). Costs one dimension_range PUT per run of equal
widths, one styles_batch_update for every tab's shading, one sheets_batch_update to freeze.

What Feishu's documented APIs do not allow is left out (docs/feishu.md): the style of
styles_batch_update has no text-wrap field, and its number formats have no
``yyyy-MM-dd HH:mm`` (only ``yyyy/MM/dd HH:mm:ss``), so the worker's times stay text here
(Snapshot.moments is off) and long notes are not wrapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sync.backends.feishu.sheets import MAX_WRITE_ROWS, SheetInfo, column_letters
from sync.model import Snapshot, TabFormat

if TYPE_CHECKING:
    from sync.backends.feishu.sheets import Sheets

CHAR_PIXELS = 7  # one character of the default font; a CJK character counts two
CELL_PADDING = 10
SHADE = "#eef2fc"  # worker columns: a pale blue (backColor takes #rrggbb)


def pixels(width: int) -> int:
    """A width in characters as the column's fixed size in pixels."""
    return max(width, 1) * CHAR_PIXELS + CELL_PADDING


def shade_ranges(fmt: TabFormat, info: SheetInfo) -> list[str]:
    """The ranges of a tab's shaded columns, header and every row of the grid (a range is at
    most 5,000 rows)."""
    ranges = []
    for column in fmt.columns:
        if not column.shaded or column.col >= info.cols:
            continue
        letters = column_letters(column.col)
        for first in range(1, max(info.rows, 1) + 1, MAX_WRITE_ROWS):
            last = min(info.rows, first + MAX_WRITE_ROWS - 1)
            ranges.append(f"{info.sheet_id}!{letters}{first}:{letters}{last}")
    return ranges


def dress_tabs(
    api: Sheets,
    formats: Sequence[TabFormat],
    sheets: Mapping[str, SheetInfo],
    freeze: bool,
    written: str = "",
) -> int:
    """Dress these tabs (`freeze`: also freeze their header rows, last); returns the calls.
    `written` says what a failure leaves behind."""
    calls = 0
    ranges: list[str] = []
    frozen: list[str] = []
    for fmt in formats:
        info = sheets.get(fmt.title)
        if info is None:
            continue
        widths = {c.col: pixels(c.width) for c in fmt.columns if c.col < info.cols}
        calls += api.widths(info.sheet_id, widths, written)
        ranges += shade_ranges(fmt, info)
        if freeze and fmt.frozen_rows and info.frozen_rows == 0:
            frozen.append(info.sheet_id)
    if ranges:
        api.styles(ranges, {"backColor": SHADE}, written)
        calls += 1
    if frozen:
        api.freeze_header(frozen, written)
        calls += 1
    return calls


def undressed(snapshot: Snapshot, sheets: Mapping[str, SheetInfo]) -> frozenset[str]:
    """The tabs with a header row that is not frozen: the next write dresses them."""
    return frozenset(
        key
        for key, table in snapshot.tables.items()
        if table.tab.columns and table.title in sheets and sheets[table.title].frozen_rows == 0
    )
