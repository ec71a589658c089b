"""Cells of a local workbook in openpyxl: values read, text kept text, headers dressed."""

from __future__ import annotations

from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.messages import say
from sync.model import CellValue
from sync.schema import Locale, Tab
from sync.writes import last_filled_row

WORKER_FILL = PatternFill("solid", fgColor="E8EEF7")
HEADER_FONT = Font(bold=True)


def set_text_safe(cell: Any, value: CellValue) -> None:
    """Write a value so that text stays text: '=…' never becomes a formula."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def sheet_grid(ws: Worksheet) -> list[list[CellValue]]:
    """A tab's values, row 1 first, trailing blank cells and rows trimmed."""
    rows: list[list[CellValue]] = []
    for raw in ws.iter_rows(values_only=True):
        rows.append(list(raw))
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    for row in rows:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
    return rows


def last_row(ws: Worksheet) -> int:
    """The last filled row of a tab (0: none)."""
    return last_filled_row(list(ws.iter_rows(values_only=True)))


def mark_header(cell: Any, owner: str, locale: Locale) -> None:
    """Bold; a worker's column shaded with a note to leave it alone, a shared one noted."""
    cell.font = HEADER_FONT
    if owner == "worker":
        cell.fill = WORKER_FILL
        cell.comment = Comment(say(locale, "header_worker"), "aidsync")
    elif owner == "shared":
        cell.comment = Comment(say(locale, "header_shared"), "aidsync")


def write_headers(ws: Worksheet, tab: Tab, locale: Locale) -> None:
    """A tab's header row, marked, with widths to fit and frozen below it."""
    for col, column in enumerate(tab.columns, start=1):
        cell = ws.cell(row=1, column=col)
        set_text_safe(cell, column.label(locale))
        mark_header(cell, column.owner, locale)
        ws.column_dimensions[get_column_letter(col)].width = max(
            10, len(column.label(locale)) * 2 + 2
        )
    if tab.columns:
        ws.freeze_panes = "A2"
