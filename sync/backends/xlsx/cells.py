"""Cells of a local workbook in openpyxl: values read, text kept text, headers dressed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.xlsx.dress import WORKER_FILL, put, set_text_safe
from sync.messages import say
from sync.model import CellValue
from sync.schema import Locale, Tab
from sync.writes import last_filled_row

HEADER_FONT = Font(bold=True)


def sheet_grid(ws: Worksheet) -> list[list[CellValue]]:
    """A tab's values, row 1 first, trailing blank cells and rows trimmed."""
    rows: list[list[CellValue]] = []
    for raw in ws.iter_rows(values_only=True):
        rows.append([whole_second(v) if isinstance(v, datetime) else v for v in raw])
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
    """A tab's header row, marked and frozen below it (widths and the rest: xlsx_format)."""
    for col, column in enumerate(tab.columns, start=1):
        mark_header(put(ws, 1, col, column.label(locale)), column.owner, locale)
    if tab.columns:
        ws.freeze_panes = "A2"


def whole_second(moment: datetime) -> datetime:
    """A date-time cell's value without the float noise of its serial number (a cell written
    as 15:00 may come back as 14:59:59.999996)."""
    if not moment.microsecond:
        return moment
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


__all__ = [
    "WORKER_FILL",
    "last_row",
    "mark_header",
    "put",
    "set_text_safe",
    "sheet_grid",
    "whole_second",
    "write_headers",
]
