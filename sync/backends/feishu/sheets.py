"""Sheet primitives over FeishuClient: tabs, batched reads and writes within Feishu's limits.

Reads: one values_batch_get of every tab (ranges by sheet id, ``<sheetId>!A1:<col>``: to the
last row holding data, whatever rows people added), split only when Feishu says the answer
would pass 10 MB (code 90221): halves of the ranges, then halves of a tab's rows. Writes:
values_batch_update with at most 5,000 rows and 100 columns per request and 50,000 characters
per cell, so a write takes ceil(rows / 5,000) requests. Values use UnformattedValue (computed,
not formatted) and the default date option, under which dates read as serial day numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sync.backends.feishu.http import AnswerTooLarge, FeishuClient
from sync.model import CellValue
from sync.values import format_time

MAX_WRITE_ROWS = 5000
MAX_WRITE_COLS = 100
MAX_READ_COLS = 100  # "<sheetId>!A1:<col>" reads at most 100 columns
MAX_CELL_CHARS = 50_000
MAX_DROPDOWN_ROWS = 5000
MAX_PROTECTIONS = 50
MAX_APPEND = 5000
READ_OPTIONS = {"valueRenderOption": "UnformattedValue"}  # no dateTimeRenderOption: serials
#: text that a write could take for something else: a formula (= + - @) or a number or date
_RISKY = re.compile(r"^[=+\-@]|^\s*[\d.,:/%\s-]+\s*$")

Grid = list[list[CellValue]]


@dataclass(frozen=True)
class SheetInfo:
    """One worksheet: id, title, position and grid size."""

    sheet_id: str
    title: str
    index: int
    rows: int
    cols: int
    frozen_rows: int = 0


def column_letters(col: int) -> str:
    """A1 letters of a 0-based column (0 → A, 26 → AA)."""
    letters, col = "", col + 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_json(value: object) -> object:
    """A value as the v2 write takes it; text that could be parsed as anything else is sent
    as a text segment ({"type": "text"}), which Feishu stores as text (never a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | dict):
        return value  # a dict is a value already in the write's form (a text segment)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        value = format_time(value)
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    if _RISKY.search(text):
        return {"type": "text", "text": text}
    return text


def plain(value: Any) -> CellValue:
    """A read value as the snapshot holds it: rich text, links and mentions as their text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return "".join(str(plain(v)) for v in value)
    if isinstance(value, dict):
        return str(value.get("text") or value.get("link") or "")
    return str(value)


class Sheets:
    """One spreadsheet's primitives (token → requests)."""

    def __init__(self, client: FeishuClient, token: str) -> None:
        """Bind a client to a spreadsheet token."""
        self.client = client
        self.token = token
        self.revision = -1  # the revision the last read or write answered
        self._seen: list[int] = []  # the revisions of the answers of one read

    def _v2(self, endpoint: str) -> str:
        return f"/open-apis/sheets/v2/spreadsheets/{self.token}/{endpoint}"

    def _v3(self, endpoint: str = "") -> str:
        tail = f"/{endpoint}" if endpoint else ""
        return f"/open-apis/sheets/v3/spreadsheets/{self.token}{tail}"

    # -- reading ------------------------------------------------------------------------------
    def title(self) -> str:
        """The spreadsheet's title (v3 spreadsheets/get)."""
        data = self.client.call("GET", self._v3(), "reading the spreadsheet's title")
        return str((data.get("spreadsheet") or {}).get("title") or "")

    def list_sheets(self) -> dict[str, SheetInfo]:
        """Every worksheet (title → info), in tab order (v3 sheets/query)."""
        data = self.client.call("GET", self._v3("sheets/query"), "reading the spreadsheet's tabs")
        found: list[SheetInfo] = []
        for item in data.get("sheets") or []:
            if item.get("resource_type", "sheet") != "sheet":
                continue
            grid = item.get("grid_properties") or {}
            found.append(
                SheetInfo(
                    str(item["sheet_id"]),
                    str(item.get("title", "")),
                    int(item.get("index", 0)),
                    int(grid.get("row_count", 0)),
                    int(grid.get("column_count", 0)),
                    int(grid.get("frozen_row_count", 0)),
                )
            )
        found.sort(key=lambda s: s.index)
        return {s.title: s for s in found}

    def read_tabs(
        self, sheets: Sequence[SheetInfo], action: str = "reading the tabs", written: str = ""
    ) -> dict[str, Grid]:
        """Every given tab, whole, in as few values_batch_get calls as 10 MB answers allow."""
        parts: list[tuple[SheetInfo, int, int | None, int]] = []  # sheet, first row, last, col0
        for info in sheets:
            for col0 in range(0, max(info.cols, 1), MAX_READ_COLS):
                parts.append((info, 1, None, col0))
        grids: dict[str, Grid] = {info.title: [] for info in sheets}
        self._seen = []
        answered = self._read_parts(parts, action, written)
        # a read split over several answers is one picture only if they share a revision
        self.revision = self._seen[0] if len(set(self._seen)) == 1 else -1
        for info, first, _last, col0, rows in answered:
            grid = grids[info.title]
            for offset, line in enumerate(rows):
                r = first - 1 + offset
                while len(grid) <= r:
                    grid.append([])
                cells = grid[r]
                while len(cells) < col0:
                    cells.append("")
                cells[col0 : col0 + len(line)] = [plain(v) for v in line]
        for title, grid in grids.items():
            grids[title] = _trimmed(grid)
        return grids

    def _read_parts(
        self, parts: list[tuple[SheetInfo, int, int | None, int]], action: str, written: str
    ) -> list[tuple[SheetInfo, int, int | None, int, list[list[Any]]]]:
        if not parts:
            return []
        ranges = [_read_range(*p) for p in parts]
        try:
            data = self.client.call(
                "GET",
                self._v2("values_batch_get"),
                action,
                params={"ranges": ",".join(ranges), **READ_OPTIONS},
                written=written,
            )
        except AnswerTooLarge:
            if len(parts) > 1:
                half = len(parts) // 2
                return self._read_parts(parts[:half], action, written) + self._read_parts(
                    parts[half:], action, written
                )
            info, first, last, col0 = parts[0]
            bottom = last or max(info.rows, first)
            if bottom <= first:
                raise
            middle = (first + bottom) // 2
            return self._read_parts(
                [(info, first, middle, col0), (info, middle + 1, bottom, col0)], action, written
            )
        self._seen.append(int(data.get("revision", -1)))
        answers = data.get("valueRanges") or []
        if len(answers) != len(parts):
            raise AnswerTooLarge("Feishu answered an incomplete read")
        out = []
        for (info, first, last, col0), answer in zip(parts, answers, strict=True):
            rows = answer.get("values") or [] if answer.get("range") else []
            out.append((info, first, last, col0, [list(r or []) for r in rows]))
        return out

    # -- writing ------------------------------------------------------------------------------
    def write(
        self,
        blocks: Sequence[tuple[SheetInfo, int, int, list[list[object]]]],
        action: str,
        written: str = "",
    ) -> int:
        """Write (sheet, 1-based row, 0-based column, rows of JSON values) blocks in as few
        values_batch_update calls as 5,000 rows / 100 columns allow; returns the calls made."""
        pieces: list[tuple[SheetInfo, int, int, list[list[object]]]] = []
        for info, row, col, rows in blocks:
            width = max((len(r) for r in rows), default=0)
            for c0 in range(0, max(width, 1), MAX_WRITE_COLS):
                pieces.append(
                    (info, row, col + c0, [list(r[c0 : c0 + MAX_WRITE_COLS]) for r in rows])
                )
        # Rows flow into requests of 5,000: a block that does not fit is cut where the request
        # is full, so n rows take ceil(n / 5,000) requests.
        batches: list[list[dict[str, Any]]] = [[]]
        room = MAX_WRITE_ROWS
        for info, row, col, rows in pieces:
            while rows:
                if room == 0:
                    batches.append([])
                    room = MAX_WRITE_ROWS
                part, rows = rows[:room], rows[room:]
                batches[-1].append(_value_range(info, row, col, part))
                row += len(part)
                room -= len(part)
        batches = [b for b in batches if b]
        for batch in batches:
            data = self.client.call(
                "POST",
                self._v2("values_batch_update"),
                action,
                body={"valueRanges": batch},
                written=written,
            )
            self.revision = int(data.get("revision", self.revision))
        return len(batches)

    # -- structure ----------------------------------------------------------------------------
    def add_sheets(self, titles: Sequence[str], at: int) -> dict[str, str]:
        """Add tabs (title → new sheet id), one sheets_batch_update."""
        requests = [
            {"addSheet": {"properties": {"title": t, "index": at + i}}}
            for i, t in enumerate(titles)
        ]
        data = self.client.call(
            "POST", self._v2("sheets_batch_update"), "adding tabs", body={"requests": requests}
        )
        ids: dict[str, str] = {}
        for reply in data.get("replies") or []:
            props = (reply or {}).get("addSheet", {}).get("properties") or {}
            if props.get("sheetId"):
                ids[str(props.get("title"))] = str(props["sheetId"])
        return ids

    def freeze_header(self, sheet_ids: Sequence[str], written: str = "") -> None:
        """Freeze the first row of these tabs (sheets_batch_update updateSheet)."""
        if not sheet_ids:
            return
        requests = [
            {"updateSheet": {"properties": {"sheetId": s, "frozenRowCount": 1}}} for s in sheet_ids
        ]
        self.client.call(
            "POST",
            self._v2("sheets_batch_update"),
            "freezing header rows",
            body={"requests": requests},
            written=written,
        )

    def append(self, sheet_id: str, major: str, length: int) -> None:
        """Add rows or columns at the end (dimension_range, ≤ 5,000 a call)."""
        while length > 0:
            step = min(length, MAX_APPEND)
            self.client.call(
                "POST",
                self._v2("dimension_range"),
                "adding rows or columns",
                body={"dimension": {"sheetId": sheet_id, "majorDimension": major, "length": step}},
            )
            length -= step

    def widths(self, sheet_id: str, widths: Mapping[int, int], written: str = "") -> int:
        """Set column widths in pixels (dimension_range PUT, one call per run of equal width);
        returns the calls made."""
        runs: list[tuple[int, int, int]] = []
        for col in sorted(widths):
            if runs and runs[-1][1] == col - 1 and runs[-1][2] == widths[col]:
                runs[-1] = (runs[-1][0], col, widths[col])
            else:
                runs.append((col, col, widths[col]))
        for first, last, size in runs:
            self.client.call(
                "PUT",
                self._v2("dimension_range"),
                "setting column widths",
                body={
                    "dimension": {
                        "sheetId": sheet_id,
                        "majorDimension": "COLUMNS",
                        "startIndex": first + 1,
                        "endIndex": last + 1,
                    },
                    "dimensionProperties": {"visible": True, "fixedSize": size},
                },
                written=written,
            )
        return len(runs)

    def styles(self, ranges: Sequence[str], style: Mapping[str, object], written: str = "") -> None:
        """One style over these ranges (styles_batch_update: each range ≤ 5,000 rows)."""
        self.client.call(
            "PUT",
            self._v2("styles_batch_update"),
            "shading worker columns",
            body={"data": [{"ranges": list(ranges), "style": dict(style)}]},
            written=written,
        )

    def dropdown(
        self, info: SheetInfo, col: int, first: int, last: int, values: Sequence[str]
    ) -> None:
        """A list dropdown on rows first..last of a column (≤ 5,000 rows a call)."""
        letters = column_letters(col)
        for start in range(first, last + 1, MAX_DROPDOWN_ROWS):
            end = min(last, start + MAX_DROPDOWN_ROWS - 1)
            self.client.call(
                "POST",
                self._v2("dataValidation"),
                "adding dropdowns",
                body={
                    "range": f"{info.sheet_id}!{letters}{start}:{letters}{end}",
                    "dataValidationType": "list",
                    "dataValidation": {"conditionValues": list(values)},
                },
            )

    def protect_columns(self, items: Sequence[tuple[str, int, int, str]]) -> None:
        """Protect whole columns (sheet id, first and last 0-based column, note), ≤ 50 a call."""
        dims = [
            {
                "dimension": {
                    "sheetId": s,
                    "majorDimension": "COLUMNS",
                    "startIndex": a + 1,
                    "endIndex": b + 1,
                },
                "lockInfo": note,
            }
            for s, a, b, note in items
        ]
        for start in range(0, len(dims), MAX_PROTECTIONS):
            self.client.call(
                "POST",
                self._v2("protected_dimension"),
                "protecting worker columns",
                body={"addProtectedDimension": dims[start : start + MAX_PROTECTIONS]},
            )


def _read_range(info: SheetInfo, first: int, last: int | None, col0: int) -> str:
    end_col = column_letters(min(max(info.cols, 1), col0 + MAX_READ_COLS) - 1)
    end = f"{end_col}{last}" if last else end_col  # open-ended: to the last row with data
    return f"{info.sheet_id}!{column_letters(col0)}{first}:{end}"


def _value_range(info: SheetInfo, row: int, col: int, rows: list[list[object]]) -> dict[str, Any]:
    width = max(1, max((len(r) for r in rows), default=1))
    end = f"{column_letters(col + width - 1)}{row + len(rows) - 1}"
    return {"range": f"{info.sheet_id}!{column_letters(col)}{row}:{end}", "values": rows}


def _trimmed(grid: Grid) -> Grid:
    out: Grid = []
    for line in grid:
        cells = list(line)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out
