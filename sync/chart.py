"""The Summary's chart: a small table of requests per day by status, and where it sits (pure).

The table is written beside the Summary (to the right of its widest row) by the normal
rewrite of the Summary, so the chart, which points at fixed cells, never needs rewriting:
locally an openpyxl stacked bar chart, on Google a chart added once through
spreadsheets.batchUpdate (see the backends).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sync.messages import say
from sync.model import CellValue, SummaryChart
from sync.outcome import STATUS_ORDER, RequestOutcome
from sync.schema import Locale, Schema

DAYS = 7
MIN_COLUMN = 15  # column P: clear of the Summary's widest table (A–N)

Rows = tuple[tuple[CellValue, ...], ...]


def _word(locale: Locale, key: str) -> str:
    return say(locale, f"chart_{key}")


def day_counts(
    outcomes: Sequence[RequestOutcome], schema: Schema, locale: Locale, now: datetime
) -> list[list[CellValue]]:
    """The table: a header row, then one row per day (the last DAYS days) of counts by status."""
    statuses = schema.choice_list("request_status")
    days = [(now - timedelta(days=n)).date() for n in range(DAYS - 1, -1, -1)]
    counts = {day: dict.fromkeys(STATUS_ORDER, 0) for day in days}
    for outcome in outcomes:
        moment = outcome.request.submitted_at
        day = moment.astimezone(now.tzinfo).date() if moment else now.date()
        if day in counts and outcome.status in counts[day]:
            counts[day][outcome.status] += 1
    table: list[list[CellValue]] = [
        [_word(locale, "date"), *(statuses.label(s, locale) for s in STATUS_ORDER)]
    ]
    for day in days:
        table.append([day.strftime("%m-%d"), *(counts[day][s] for s in STATUS_ORDER)])
    return table


def attach_chart(
    summary: Rows, outcomes: Sequence[RequestOutcome], schema: Schema, locale: Locale, now: datetime
) -> tuple[Rows, SummaryChart]:
    """The Summary rows with the per-day table beside them, and the chart over it."""
    col = max([MIN_COLUMN, *(len(row) + 1 for row in summary)])
    block: list[list[CellValue]] = [
        [_word(locale, "title")],
        *day_counts(outcomes, schema, locale, now),
    ]
    rows = [list(row) for row in summary]
    while len(rows) < len(block):
        rows.append([])
    for r, cells in enumerate(block):
        rows[r] = [*rows[r], *([""] * (col - len(rows[r]))), *cells]
    return tuple(tuple(row) for row in rows), summary_chart(locale, col)


def summary_chart(locale: Locale, col: int = MIN_COLUMN) -> SummaryChart:
    """The chart over the per-day table, its dates in a 0-based column (P unless the Summary's
    rows reach further); `init` draws it on a new Summary so the first pass need not."""
    return SummaryChart(_word(locale, "title"), 1, col, DAYS, len(STATUS_ORDER))
