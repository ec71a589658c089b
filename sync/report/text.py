"""The report as text for the terminal: a heading, then each table under its name (pure)."""

from __future__ import annotations

import pandas as pd

from sync.messages import say
from sync.report.tables import PeriodReport, ReportTable
from sync.schema import Locale
from sync.values import display_width


def report_lines(report: PeriodReport, office: str, locale: Locale) -> list[str]:
    """Every table of the report, aligned for a terminal (Chinese counted double-width)."""
    period = report.period
    lines = [say(locale, "rp_heading", office=office, start=period.start, end=period.end)]
    if report.empty:
        span = ""
        if report.first_day is not None:
            span = say(locale, "rp_data_span", first=report.first_day, last=report.last_day)
        lines.append(say(locale, "rp_no_data", start=period.start, end=period.end, span=span))
    for table in report.tables:
        lines += ["", f"【{say(locale, table.code)}】" if locale == "zh" else
                  f"[{say(locale, table.code)}]", *table_lines(table, locale)]  # fmt: skip
    return lines


def table_lines(table: ReportTable, locale: Locale) -> list[str]:
    """One table's rows under its headers; a figure nobody could compute is left blank."""
    frame = table.frame.copy()
    frame.columns = pd.Index(table.headers(locale))
    shown = frame.astype(object).where(frame.notna(), "")
    headers = list(shown.columns)
    for n, name in enumerate(headers):  # names read best flush left; pandas right-aligns all
        values = list(shown.iloc[:, n])
        if all(isinstance(v, str) for v in values):
            width = max(display_width(v) for v in [*values, name])
            shown.iloc[:, n] = [v + " " * (width - display_width(v)) for v in values]
            headers[n] = name + " " * (width - display_width(name))
    shown.columns = pd.Index(headers)
    with pd.option_context("display.unicode.east_asian_width", True,
                           "display.max_rows", None, "display.max_columns", None,
                           "display.width", 10_000):  # fmt: skip
        text = shown.to_string(index=False)
    return [line.rstrip() for line in text.splitlines()]
