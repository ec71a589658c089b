"""A tab's dressing as Sheets API requests, and the worker's times as date-time cells (pure).

Dressing (``TabFormat``: widths, wrap, frozen header, shaded worker columns, date-time columns)
goes into a ``spreadsheets.batchUpdate`` the write already sends, once per tab: each dressed tab
carries a developer metadata mark (``aidsync.dressed``) that the metadata read already fetches,
so a tab without it is dressed by the next write and never again. A time the worker writes is
sent (RAW) as a serial number in a column whose number format is ``MOMENT_PATTERN``: people sort
and filter it as a date, and it reads back (UNFORMATTED_VALUE, SERIAL_NUMBER) as a number that
becomes the same ``datetime`` again. People's text never goes through USER_ENTERED.

References: RepeatCellRequest, UpdateDimensionPropertiesRequest, UpdateSheetPropertiesRequest,
CreateDeveloperMetadataRequest (developers.google.com/sheets/api/reference/rest/v4/spreadsheets/
request), CellFormat.numberFormat and DATE_TIME patterns (developers.google.com/sheets/api/
guides/formats).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sync.model import MOMENT_PATTERN, CellValue, SheetRow, Snapshot, TabFormat, Table

DRESSED_KEY = "aidsync.dressed"  # developer metadata on a sheet aidsync has dressed
DRESSED_VALUE = "1"
DRESSED_FIELDS = "developerMetadata(metadataKey,metadataValue)"
CHAR_PIXELS = 7  # one character of Arial 10, the default font; a CJK character counts two
CELL_PADDING = 10  # the cell's padding, left and right
SHADE = {"red": 0.93, "green": 0.95, "blue": 0.99}  # worker columns: a pale blue
_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (20_000, 80_000)  # 1954 .. 2119: what parse_datetime takes for a serial date
MOMENT_FORMAT = {"type": "DATE_TIME", "pattern": MOMENT_PATTERN}


def pixels(width: int) -> int:
    """A width in characters as the column's pixel size."""
    return max(width, 1) * CHAR_PIXELS + CELL_PADDING


def serial(moment: datetime) -> float:
    """A zone-less date-time as a spreadsheet serial number (days since 1899-12-30)."""
    delta = moment.replace(tzinfo=None) - _EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def moment_of_serial(value: float) -> datetime:
    """The date-time a serial number stands for, to the second (a float's rounding dropped)."""
    return _EPOCH + timedelta(seconds=round(float(value) * 86400))


def is_dressed(sheet: Mapping[str, Any]) -> bool:
    """Whether a Sheet resource carries aidsync's dressing mark."""
    return any(m.get("metadataKey") == DRESSED_KEY for m in sheet.get("developerMetadata") or ())


def dress(
    fmt: TabFormat, sheet_id: int, frozen: bool = True, cols: int | None = None
) -> list[dict[str, Any]]:
    """The requests that dress one tab and mark it dressed (`frozen`: also freeze its header;
    `cols`: the grid's columns by then — a request past the grid would fail the batch)."""
    requests: list[dict[str, Any]] = []
    columns = [c for c in fmt.columns if cols is None or c.col < cols]
    if fmt.frozen_rows and frozen:
        requests.append(
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": sheet_id,
                        "gridProperties": {"frozenRowCount": fmt.frozen_rows},
                    },
                    "fields": "gridProperties.frozenRowCount",
                }
            }
        )
    runs: list[tuple[int, int, int]] = []  # (first, last, pixels): neighbours of one width
    for column in columns:
        size = pixels(column.width)
        if runs and runs[-1][1] == column.col - 1 and runs[-1][2] == size:
            runs[-1] = (runs[-1][0], column.col, size)
        else:
            runs.append((column.col, column.col, size))
    for first, last, size in runs:
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": first,
                        "endIndex": last + 1,
                    },
                    "properties": {"pixelSize": size},
                    "fields": "pixelSize",
                }
            }
        )
    for column in columns:
        cell: dict[str, Any] = {}
        if column.wrap:
            cell["wrapStrategy"] = "WRAP"
        if column.shaded:
            cell["backgroundColor"] = SHADE
        if column.moments:
            cell["numberFormat"] = MOMENT_FORMAT
        if cell:  # the whole column, header included: only the fields named are changed
            requests.append(
                _repeat(sheet_id, column.col, cell, None if column.shaded else fmt.frozen_rows)
            )
    requests.append(
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": DRESSED_KEY,
                    "metadataValue": DRESSED_VALUE,
                    "location": {"sheetId": sheet_id},
                    "visibility": "DOCUMENT",
                }
            }
        }
    )
    return requests


def _repeat(
    sheet_id: int, col: int, fmt: Mapping[str, Any], first: int | None, end: int | None = None
) -> dict[str, Any]:
    grid: dict[str, Any] = {"sheetId": sheet_id, "startColumnIndex": col, "endColumnIndex": col + 1}
    if first:
        grid["startRowIndex"] = first
    if end is not None:
        grid["endRowIndex"] = end
    return {
        "repeatCell": {
            "range": grid,
            "cell": {"userEnteredFormat": dict(fmt)},
            "fields": "userEnteredFormat(" + ",".join(fmt) + ")",
        }
    }


def grown_moments(sheet_id: int, cols: Iterable[int], start: int, end: int) -> list[dict[str, Any]]:
    """The date-time number format over grid rows [start, end) a write appends: a format set on
    a column covers the rows the grid had then, so new rows get it in the same request."""
    fmt = {"numberFormat": MOMENT_FORMAT}
    return [_repeat(sheet_id, col, fmt, start, end) for col in sorted(set(cols))]


def moment_columns(table: Table) -> list[int]:
    """0-based columns of a tab where the worker's times are date-time cells."""
    cols = []
    for column in table.tab.columns:
        col = table.col(column.key)
        if col is not None and column.type == "datetime" and column.owner != "human":
            cols.append(col)
    return cols


def with_moments(snapshot: Snapshot, unformatted: Iterable[str]) -> Snapshot:
    """The snapshot with serial numbers in date-time columns read as datetimes, the tabs found
    undressed, and `moments` set (this store keeps the worker's times as date-time cells)."""
    tables = dict(snapshot.tables)
    for key, table in snapshot.tables.items():
        cols = moment_columns(table)
        if cols:
            tables[key] = _read_moments(table, cols)
    return replace(
        snapshot,
        tables=tables,
        unformatted=frozenset(k for k in unformatted if k in tables),
        moments=True,
    )


def _read_moments(table: Table, cols: Sequence[int]) -> Table:
    rows: list[SheetRow] = []
    changed = False
    low, high = _SERIAL_RANGE
    for row in table.rows:
        values = row.values
        hit = [
            c
            for c in cols
            if c < len(values)
            and isinstance(values[c], int | float)
            and not isinstance(values[c], bool)
            and low < values[c] < high  # type: ignore[operator]
        ]
        if hit:
            cells: list[CellValue] = list(values)
            for c in hit:
                cells[c] = moment_of_serial(cells[c])  # type: ignore[arg-type]
            row = replace(row, values=tuple(cells))
            changed = True
        rows.append(row)
    return replace(table, rows=tuple(rows)) if changed else table
