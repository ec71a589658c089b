"""The Summary's per-day chart on Google: spreadsheets.batchUpdate requests, only when needed.

The chart points at fixed cells of the Summary (sync.chart), which the normal values write
rewrites; so once the chart exists a pass sends nothing for it. The pass's first request
(spreadsheets.get) also asks for the Summary's charts: when the chart is missing it is added
(addChart), a chart pointing elsewhere is corrected (updateChartSpec, or deleted and added
again when it moved), and any second copy is removed (deleteEmbeddedObject). These go in the
same spreadsheets.batchUpdate as new tabs and grid growth, so creating the chart costs one
extra request on that pass only, and none when the pass adds a tab anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sync.model import SummaryChart

#: what the metadata read asks for, per sheet, to find the charts already there
CHART_FIELDS = (
    "charts(chartId,spec(title,basicChart(chartType,stackedType,domains,series)),position)"
)
WIDTH, HEIGHT = 640, 320


def _range(sheet_id: int, rows: tuple[int, int], cols: tuple[int, int]) -> dict[str, Any]:
    return {
        "sources": [
            {
                "sheetId": sheet_id,
                "startRowIndex": rows[0],
                "endRowIndex": rows[1],
                "startColumnIndex": cols[0],
                "endColumnIndex": cols[1],
            }
        ]
    }


def chart_spec(chart: SummaryChart, sheet_id: int) -> dict[str, Any]:
    """A stacked column ChartSpec over the per-day table (dates down, one series per status)."""
    rows = (chart.row, chart.row + chart.days + 1)  # the header row names the series
    series = [
        {
            "series": {"sourceRange": _range(sheet_id, rows, (chart.col + i, chart.col + i + 1))},
            "targetAxis": "LEFT_AXIS",
        }
        for i in range(1, chart.series + 1)
    ]
    return {
        "title": chart.title,
        "basicChart": {
            "chartType": "COLUMN",
            "stackedType": "STACKED",
            "legendPosition": "BOTTOM_LEGEND",
            "headerCount": 1,
            "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
            "domains": [
                {"domain": {"sourceRange": _range(sheet_id, rows, (chart.col, chart.col + 1))}}
            ],
            "series": series,
        },
    }


def chart_position(chart: SummaryChart, sheet_id: int) -> dict[str, Any]:
    """Float the chart below the per-day table."""
    return {
        "overlayPosition": {
            "anchorCell": {
                "sheetId": sheet_id,
                "rowIndex": chart.row + chart.days + 2,
                "columnIndex": chart.col,
            },
            "widthPixels": WIDTH,
            "heightPixels": HEIGHT,
        }
    }


def _sources(part: Any) -> list[tuple[int, ...]]:
    found = []
    for source in ((part or {}).get("sourceRange") or {}).get("sources") or []:
        found.append(
            tuple(
                int(source.get(k, 0))
                for k in (
                    "sheetId",
                    "startRowIndex",
                    "endRowIndex",
                    "startColumnIndex",
                    "endColumnIndex",
                )
            )
        )
    return found


def signature(spec: Mapping[str, Any]) -> tuple[Any, ...]:
    """What matters of a ChartSpec (Google echoes it with defaults added and zero ids left out)."""
    basic = spec.get("basicChart") or {}
    return (
        spec.get("title", ""),
        basic.get("chartType"),
        basic.get("stackedType"),
        tuple(tuple(_sources(d.get("domain"))) for d in basic.get("domains") or []),
        tuple(tuple(_sources(s.get("series"))) for s in basic.get("series") or []),
    )


def _anchor(position: Mapping[str, Any]) -> tuple[int, int, int]:
    cell = (position.get("overlayPosition") or {}).get("anchorCell") or {}
    return (
        int(cell.get("sheetId", 0)),
        int(cell.get("rowIndex", 0)),
        int(cell.get("columnIndex", 0)),
    )


def chart_requests(
    chart: SummaryChart | None, sheet_id: int, existing: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """batchUpdate requests that leave the Summary with exactly this chart ([] when it has it)."""
    if chart is None:
        return []
    spec = chart_spec(chart, sheet_id)
    position = chart_position(chart, sheet_id)
    add = {"addChart": {"chart": {"spec": spec, "position": position}}}
    if not existing:
        return [add]
    first, *extra = existing
    requests: list[dict[str, Any]] = [
        {"deleteEmbeddedObject": {"objectId": int(other["chartId"])}} for other in extra
    ]
    if _anchor(first.get("position") or {}) != _anchor(position):
        requests += [{"deleteEmbeddedObject": {"objectId": int(first["chartId"])}}, add]
    elif signature(first.get("spec") or {}) != signature(spec):
        requests.append({"updateChartSpec": {"chartId": int(first["chartId"]), "spec": spec}})
    return requests
