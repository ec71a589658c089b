"""The report as files to send upward: an .xlsx of every table with a chart, a .csv of the days.

Both are built in memory (pure); command.py writes the bytes.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sync.messages import say
from sync.report.tables import PeriodReport, ReportTable
from sync.schema import Locale
from sync.values import display_width

BAR_DAYS = 62  # up to two months a column per day reads well; longer periods draw lines
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_SERIES = ("new", "assigned", "delivered")


def csv_bytes(report: PeriodReport, locale: Locale) -> bytes:
    """The per-day table as CSV, UTF-8 with a byte-order mark so Excel reads the Chinese."""
    daily = report.table("rp_daily")
    frame = daily.frame.copy()
    frame.columns = pd.Index(daily.headers(locale))
    text: str = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def xlsx_bytes(report: PeriodReport, locale: Locale) -> bytes:
    """Every table on a tab of its own (the days first after the overview), with a chart."""
    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(say(locale, table.code))
        _fill(sheet, table, locale)
        if table.code == "rp_daily":
            _chart(sheet, table, report, locale)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    """A plain Python value for openpyxl (numpy numbers and NaN are not)."""
    if value is None or (not isinstance(value, str | date) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _fill(sheet: object, table: ReportTable, locale: Locale) -> None:
    headers = table.headers(locale)
    sheet.append(headers)  # type: ignore[attr-defined]
    for row in table.frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])  # type: ignore[attr-defined]
    widths = [display_width(h) for h in headers]
    for row in table.frame.itertuples(index=False):
        for i, value in enumerate(row):
            text = value.isoformat() if isinstance(value, date) else str(_cell(value) or "")
            widths[i] = max(widths[i], display_width(text))
    for i, width in enumerate(widths, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(48, max(8, width + 3))  # type: ignore[attr-defined]
        head = sheet.cell(row=1, column=i)  # type: ignore[attr-defined]
        head.font = Font(bold=True)
        head.fill = _HEAD_FILL
        head.alignment = Alignment(horizontal="center", wrap_text=True)
    if "date" in table.frame.columns:
        for (cell,) in sheet.iter_rows(min_row=2, max_col=1):  # type: ignore[attr-defined]
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"  # type: ignore[attr-defined]


def _chart(sheet: object, table: ReportTable, report: PeriodReport, locale: Locale) -> None:
    """Requests per day by status beside the per-day table."""
    columns = list(table.frame.columns)
    days = len(table.frame)
    chart = BarChart() if days <= BAR_DAYS else LineChart()
    chart.title = say(locale, "rp_chart_title")
    chart.y_axis.title = say(locale, "rp_axis_requests")
    chart.x_axis.title = say(locale, "rp_col_date")
    chart.x_axis.number_format = "mm-dd"
    chart.height, chart.width = 9, max(18, min(40, days * 0.6))
    for key in _SERIES:
        col = columns.index(key) + 1
        data = Reference(sheet, min_col=col, min_row=1, max_row=days + 1)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=days + 1))
    anchor = get_column_letter(len(columns) + 2) + "2"
    sheet.add_chart(chart, anchor)  # type: ignore[attr-defined]
