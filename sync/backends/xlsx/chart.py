"""The Summary's per-day chart in a local workbook: an openpyxl stacked column chart."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.model import SummaryChart


def place_chart(ws: Worksheet, chart: SummaryChart | None) -> bool:
    """Give the (worker-owned) Summary tab exactly this chart; True when it lacked one.

    openpyxl reads a workbook's charts back, so the chart drawn by the last pass is replaced,
    never duplicated.
    """
    had = len(ws._charts)
    ws._charts = []
    if chart is None:
        return had > 0
    bar = BarChart()
    bar.type = "col"
    bar.grouping = "stacked"
    bar.overlap = 100
    bar.title = chart.title
    bar.width, bar.height = 18, 8
    header = chart.row + 1  # 1-based
    data = Reference(
        ws,
        min_col=chart.col + 2,
        max_col=chart.col + 1 + chart.series,
        min_row=header,
        max_row=header + chart.days,
    )
    dates = Reference(ws, min_col=chart.col + 1, min_row=header + 1, max_row=header + chart.days)
    bar.add_data(data, titles_from_data=True)
    bar.set_categories(dates)
    ws.add_chart(bar, f"{get_column_letter(chart.col + 1)}{header + chart.days + 2}")
    return had != 1
