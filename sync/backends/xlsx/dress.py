"""How a local workbook's tabs look: widths, wrapped text, the frozen header row, the worker's
columns shaded down the whole column and date-time cells with a visible format (openpyxl).

A dressed column carries its look as the column's own style (``<col style=…>``), so a cell
added later takes it: office suites give it to what people type below, the changed-rows writer
(xlsx_patch) to the cells it adds, and `put` here to the cells openpyxl adds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import copy
from datetime import datetime

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.xlsx.rows import fitted_height
from sync.model import MOMENT_PATTERN, CellValue, TabFormat

WORKER_FILL = PatternFill("solid", fgColor="E8EEF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

# the mark of a tab aidsync has dressed, in a sheet part's XML before its cells: a column with a
# style of its own (LibreOffice writes style="0" on plain columns; aidsync's earlier versions
# styled no column). A frozen pane is no mark: a person may unfreeze it, and LibreOffice's
# headless conversion drops it, neither of which should bring the dressing back.
STYLED_COLUMN = re.compile(rb"<(?:\w+:)?col\b[^>]*\bstyle=\"[1-9]")
ANY_COLUMN = re.compile(rb"<(?:\w+:)?col\b")


def dressed_part(xml_head: bytes, key: str) -> bool:
    """Whether a sheet part's XML (up to its cells) shows aidsync's dressing for this tab."""
    if key == "summary":  # no header row and nothing shaded: its widths are the mark
        return ANY_COLUMN.search(xml_head) is not None
    return STYLED_COLUMN.search(xml_head) is not None


def dressed_sheet(ws: Worksheet, key: str) -> bool:
    """The same test on a tab openpyxl loaded."""
    dims = list(ws.column_dimensions.values())
    if key == "summary":
        return any(d.customWidth for d in dims)
    return any(d.has_style for d in dims)


def dress(ws: Worksheet, tab: TabFormat) -> None:
    """Give a tab its look: column widths (never narrowing one), wrap, shading and date-time
    format down each column (header and every row, and through the column's own style, rows
    added later), frozen header rows. Cell values are untouched."""
    _split_ranges(ws)
    ws.freeze_panes = f"A{tab.frozen_rows + 1}" if tab.frozen_rows else None
    last = ws.max_row
    for column in tab.columns:
        letter = get_column_letter(column.col + 1)
        dim = ws.column_dimensions[letter]
        # never narrower than someone made it: a width people chose is theirs to keep
        dim.width = max(column.width, dim.width if dim.customWidth else 0)
        if tab.frozen_rows == 0:
            continue  # the Summary: widths only
        # every column's cells sit at the top, level with the first line of a wrapped note
        dim.alignment = _WRAP if column.wrap else _TOP
        if column.shaded:
            dim.fill = WORKER_FILL
        if column.moments:
            dim.number_format = MOMENT_PATTERN
        for row in range(1, last + 1):
            cell = ws.cell(row=row, column=column.col + 1)
            if column.shaded:
                cell.fill = WORKER_FILL
            if row <= tab.frozen_rows:
                continue  # a header keeps its own alignment and text
            cell.alignment = _aligned(cell.alignment, column.wrap)
            if column.moments and (cell.value is None or isinstance(cell.value, datetime)):
                cell.number_format = MOMENT_PATTERN  # a number someone typed stays a number
    fit_rows(ws, range(tab.frozen_rows + 1, last + 1))


def wrapped_columns(ws: Worksheet) -> dict[int, float]:
    """The columns whose own style wraps text (1-based) and their widths."""
    found: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.has_style and dim.alignment.wrap_text and dim.min:
            for index in range(dim.min, (dim.max or dim.min) + 1):
                found[index] = float(dim.width or 13)
    return found


def fit_rows(ws: Worksheet, rows: Iterable[int]) -> None:
    """Give rows the height their wrapped cells need (see xlsx_rows), the default when one line
    is enough; a tab with no wrapped column is left alone."""
    wrapped = wrapped_columns(ws)
    if not wrapped:
        return
    cells = ws._cells  # read without creating cells
    for row in rows:
        found = ((cells.get((row, c)), w) for c, w in wrapped.items())
        ws.row_dimensions[row].height = fitted_height(
            (cell.value if cell is not None else None, w) for cell, w in found
        )


def put(ws: Worksheet, row: int, col: int, value: CellValue) -> Cell:
    """Set a cell (1-based row and column): text stays text, a date-time shows as one, and a
    cell without a style of its own takes its column's."""
    cell = ws.cell(row=row, column=col)
    if not cell.has_style:
        dim = ws.column_dimensions.get(get_column_letter(col))
        if isinstance(dim, ColumnDimension) and dim.has_style:
            cell._style = copy(dim._style)
    set_text_safe(cell, value)
    return cell


def set_text_safe(cell: Cell, value: CellValue) -> None:
    """Write a value so that text stays text ('=…' never becomes a formula), a date-time shows
    as `yyyy-mm-dd hh:mm`, and a number never shows as a date in a cell that held one."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = MOMENT_PATTERN
    elif isinstance(value, int | float) and not isinstance(value, bool) and cell.is_date:
        cell.number_format = "General"


def _aligned(alignment: Alignment, wrap: bool) -> Alignment:
    result = copy(alignment)
    if wrap:
        result.wrap_text = True
    if result.vertical is None:
        result.vertical = "top"
    return result


def _split_ranges(ws: Worksheet) -> None:
    """One column dimension per column: office suites save runs of alike columns as one
    ``<col min max>``, which a width set on one of them would otherwise overlap."""
    for letter, dim in list(ws.column_dimensions.items()):
        low, high = dim.min or 0, dim.max or 0
        if high <= low:
            continue
        dim.max = low
        for index in range(low + 1, high + 1):
            twin = copy(dim)
            twin.index = get_column_letter(index)
            twin.min = twin.max = index
            ws.column_dimensions[twin.index] = twin
        ws.column_dimensions[letter] = dim
