"""spreadsheets.batchUpdate: structural requests, applied atomically by the caller."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from . import metadata
from .errors import ApiError, bad_request
from .model import Cell, Sheet, Spreadsheet, parse_input

Reply = dict[str, Any]


class Context:
    """What a request handler may use: the spreadsheet, the caller and the id generator."""

    def __init__(self, spreadsheet: Spreadsheet, user: str, rng: random.Random) -> None:
        """Bind one batchUpdate call."""
        self.spreadsheet = spreadsheet
        self.user = user
        self.rng = rng
        self.prefix = ""

    def fail(self, message: str) -> ApiError:
        """Return a 400 naming the failing request like Google."""
        return bad_request(f"{self.prefix}{message}")

    def sheet(self, sheet_id: Any) -> Sheet:
        """Return the sheet with this id or fail with 'No grid with id'."""
        sheet = self.spreadsheet.sheet_by_id(int(sheet_id or 0))
        if sheet is None:
            raise self.fail(f"No grid with id: {int(sheet_id or 0)}")
        return sheet

    def new_id(self) -> int:
        """Return a fresh random 31-bit id."""
        return self.rng.randrange(1, 2**31 - 1)


def _grid_range(ctx: Context, grid: dict[str, Any]) -> tuple[Sheet, int, int, int, int]:
    sheet = ctx.sheet(grid.get("sheetId", 0))
    sr, er = int(grid.get("startRowIndex", 0)), int(grid.get("endRowIndex", sheet.row_count))
    sc = int(grid.get("startColumnIndex", 0))
    ec = int(grid.get("endColumnIndex", sheet.column_count))
    if not (0 <= sr <= er <= sheet.row_count and 0 <= sc <= ec <= sheet.column_count):
        raise ctx.fail(
            f"Range ({sheet.title}!R{sr + 1}C{sc + 1}:R{er}C{ec}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
        )
    return sheet, sr, sc, er, ec


def _public_range(grid: dict[str, Any]) -> dict[str, Any]:
    """GridRange as Google echoes it: sheetId 0 (the proto default) is omitted."""
    return {k: v for k, v in grid.items() if v is not None and (k != "sheetId" or v != 0)}


def _apply_fields(target: dict[str, Any], source: dict[str, Any], fields: str) -> None:
    paths = [p.strip() for p in fields.split(",") if p.strip()]
    if paths == ["*"]:
        target.update(source)
        return
    for path in paths:
        keys = path.replace(".", "/").split("/")
        src: Any = source
        dst = target
        for key in keys[:-1]:
            src = src.get(key, {}) if isinstance(src, dict) else {}
            dst = dst.setdefault(key, {})
        dst[keys[-1]] = src.get(keys[-1]) if isinstance(src, dict) else None


def add_sheet(ctx: Context, req: dict[str, Any]) -> Reply:
    """addSheet."""
    props = req.get("properties") or {}
    ss = ctx.spreadsheet
    title = props.get("title") or f"Sheet{len(ss.sheets) + 1}"
    if ss.sheet_by_title(title) is not None:
        raise ctx.fail(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet_id = int(props["sheetId"]) if "sheetId" in props else ctx.new_id()
    if ss.sheet_by_id(sheet_id) is not None:
        raise ctx.fail(f"Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    index = int(props.get("index", len(ss.sheets)))
    for other in ss.sheets:
        if other.index >= index:
            other.index += 1
    sheet = Sheet(
        sheet_id=sheet_id,
        title=title,
        index=index,
        row_count=int(grid.get("rowCount", 1000)),
        column_count=int(grid.get("columnCount", 26)),
        frozen_row_count=int(grid.get("frozenRowCount", 0)),
        frozen_column_count=int(grid.get("frozenColumnCount", 0)),
        hidden=bool(props.get("hidden", False)),
    )
    ss.sheets.append(sheet)
    ss.reindex()
    return {"addSheet": {"properties": sheet.properties()}}


def delete_sheet(ctx: Context, req: dict[str, Any]) -> Reply:
    """deleteSheet."""
    sheet = ctx.sheet(req.get("sheetId"))
    if len(ctx.spreadsheet.sheets) == 1:
        raise ctx.fail("You can't remove all the sheets in a document.")
    ctx.spreadsheet.sheets.remove(sheet)
    ctx.spreadsheet.reindex()
    return {}


def update_sheet_properties(ctx: Context, req: dict[str, Any]) -> Reply:
    """updateSheetProperties (title, index, hidden, gridProperties/*, tab colour...)."""
    props = req.get("properties") or {}
    sheet = ctx.sheet(props.get("sheetId", 0))
    current = sheet.properties()
    _apply_fields(current, props, str(req.get("fields", "")))
    title = current.get("title") or sheet.title
    other = ctx.spreadsheet.sheet_by_title(title)
    if other is not None and other is not sheet:
        raise ctx.fail(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    grid = current.get("gridProperties") or {}
    rows, cols = int(grid.get("rowCount") or 0), int(grid.get("columnCount") or 0)
    if rows < 1 or cols < 1:
        raise ctx.fail("The grid must have at least one row and one column.")
    sheet.title = title
    sheet.resize(rows, cols)
    sheet.frozen_row_count = int(grid.get("frozenRowCount") or 0)
    sheet.frozen_column_count = int(grid.get("frozenColumnCount") or 0)
    sheet.hidden = bool(current.get("hidden"))
    new_index = current.get("index")
    if new_index is not None and int(new_index) != sheet.index:
        ordered = sorted(ctx.spreadsheet.sheets, key=lambda s: s.index)
        ordered.remove(sheet)
        ordered.insert(min(int(new_index), len(ordered)), sheet)
        for i, item in enumerate(ordered):
            item.index = i
        ctx.spreadsheet.reindex()
    for key in ("tabColor", "tabColorStyle", "rightToLeft"):
        if current.get(key) is not None:
            sheet.extra_properties[key] = current[key]
    return {}


def update_spreadsheet_properties(ctx: Context, req: dict[str, Any]) -> Reply:
    """updateSpreadsheetProperties (title, locale, timeZone, autoRecalc...)."""
    ss = ctx.spreadsheet
    current = {"title": ss.title, "locale": ss.locale, "timeZone": ss.time_zone}
    current.update({"autoRecalc": ss.auto_recalc, **ss.extra_properties})
    _apply_fields(current, req.get("properties") or {}, str(req.get("fields", "")))
    ss.title = current.pop("title") or ss.title
    ss.locale = current.pop("locale") or ss.locale
    ss.time_zone = current.pop("timeZone") or ss.time_zone
    ss.auto_recalc = current.pop("autoRecalc") or ss.auto_recalc
    ss.extra_properties = {k: v for k, v in current.items() if v is not None}
    return {}


def _dimension_range(ctx: Context, rng: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    sheet = ctx.sheet(rng.get("sheetId", 0))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ctx.fail("dimension must be ROWS or COLUMNS")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", size))
    if not 0 <= start < end:
        raise ctx.fail("Invalid dimension range")
    return sheet, dimension, start, end


def append_dimension(ctx: Context, req: dict[str, Any]) -> Reply:
    """appendDimension."""
    sheet = ctx.sheet(req.get("sheetId", 0))
    length = int(req.get("length", 0))
    if req.get("dimension") == "ROWS":
        sheet.row_count += length
    else:
        sheet.column_count += length
    return {}


def insert_dimension(ctx: Context, req: dict[str, Any]) -> Reply:
    """insertDimension."""
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > size:
        raise ctx.fail(f"Cannot insert {dimension.lower()} beyond the end of the sheet.")
    sheet.insert(dimension, start, end - start)
    return {}


def delete_dimension(ctx: Context, req: dict[str, Any]) -> Reply:
    """deleteDimension."""
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end > size:
        raise ctx.fail(f"Cannot delete {dimension.lower()} beyond the end of the sheet.")
    if end - start >= size:
        kind = "rows" if dimension == "ROWS" else "columns"
        raise ctx.fail(f"You can't delete all the {kind} on the sheet.")
    sheet.delete(dimension, start, end)
    return {}


def set_data_validation(ctx: Context, req: dict[str, Any]) -> Reply:
    """setDataValidation (stored, not enforced)."""
    grid = req.get("range") or {}
    sheet = _grid_range(ctx, grid)[0]
    sheet.data_validations.append((grid, req.get("rule") or {}))
    return {}


def add_protected_range(ctx: Context, req: dict[str, Any]) -> Reply:
    """addProtectedRange; the caller becomes the editor, warning-only ranges are kept."""
    protected = dict(req.get("protectedRange") or {})
    grid = protected.get("range") or {}
    sheet = _grid_range(ctx, grid)[0]
    stored: dict[str, Any] = {
        "protectedRangeId": int(protected.get("protectedRangeId") or ctx.new_id()),
        "range": _public_range(grid),
    }
    if protected.get("description"):
        stored["description"] = protected["description"]
    if protected.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True
    reply = {**stored, "editors": {}}
    stored["editors"] = {"users": [ctx.user]}
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


def delete_protected_range(ctx: Context, req: dict[str, Any]) -> Reply:
    """deleteProtectedRange."""
    wanted = int(req.get("protectedRangeId", -1))
    for sheet in ctx.spreadsheet.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(item)
                return {}
    raise ctx.fail(f"No protected range with id: {wanted}")


def add_conditional_format_rule(ctx: Context, req: dict[str, Any]) -> Reply:
    """addConditionalFormatRule (stored)."""
    rule = req.get("rule") or {}
    ranges = rule.get("ranges") or [{}]
    sheet = _grid_range(ctx, ranges[0])[0]
    index = int(req.get("index", len(sheet.conditional_formats)))
    public = {**rule, "ranges": [_public_range(r) for r in ranges]}
    sheet.conditional_formats.insert(index, public)
    return {}


def _extended_value(value: dict[str, Any] | None) -> Cell | None:
    if not value:
        return None
    if "formulaValue" in value:
        return Cell(formula=str(value["formulaValue"]))
    if "stringValue" in value:
        return parse_input(str(value["stringValue"]), False)
    for key in ("numberValue", "boolValue"):
        if key in value:
            return parse_input(value[key], False)
    return None


def update_cells(ctx: Context, req: dict[str, Any]) -> Reply:
    """updateCells: rows[].values[].userEnteredValue written from start or range."""
    if "start" in req:
        start = req["start"]
        sheet = ctx.sheet(start.get("sheetId", 0))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    else:
        sheet, r0, c0, _, _ = _grid_range(ctx, req.get("range") or {})
    for dr, row in enumerate(req.get("rows") or []):
        for dc, data in enumerate(row.get("values") or []):
            if r0 + dr >= sheet.row_count or c0 + dc >= sheet.column_count:
                raise ctx.fail("Attempting to write row/column beyond the grid.")
            if "userEnteredValue" in data or "userEnteredValue" in str(req.get("fields")):
                sheet.set_cell(r0 + dr, c0 + dc, _extended_value(data.get("userEnteredValue")))
    return {}


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


def sort_range(ctx: Context, req: dict[str, Any]) -> Reply:
    """sortRange by sortSpecs (numbers < text < booleans, blanks always last)."""
    sheet, sr, sc, er, ec = _grid_range(ctx, req.get("range") or {})
    er = min(er, len(sheet.rows))
    block = [[sheet.cell(r, c) for c in range(sc, ec)] for r in range(sr, er)]
    values = [[sheet.effective(r, c) for c in range(sc, ec)] for r in range(sr, er)]
    order = list(range(len(block)))
    for spec in reversed(req.get("sortSpecs") or []):
        col = int(spec.get("dimensionIndex", 0)) - sc
        blanks = [i for i in order if values[i][col] in (None, "")]
        filled = [i for i in order if values[i][col] not in (None, "")]
        column = [values[i][col] for i in range(len(values))]
        filled.sort(
            key=lambda i: _sort_key(column[i]), reverse=spec.get("sortOrder") == "DESCENDING"
        )
        order = filled + blanks
    for offset, i in enumerate(order):
        for dc, cell in enumerate(block[i]):
            sheet.set_cell(sr + offset, sc + dc, cell)
    return {}


def _chart_sources(ctx: Context, spec: dict[str, Any]) -> None:
    """Every sourceRange of a basic chart must name an existing grid and fit inside it."""
    basic = spec.get("basicChart") or {}
    parts = [d.get("domain") for d in basic.get("domains") or []]
    parts += [s.get("series") for s in basic.get("series") or []]
    for part in parts:
        for source in ((part or {}).get("sourceRange") or {}).get("sources") or []:
            _grid_range(ctx, source)


def _find_chart(ctx: Context, chart_id: int) -> tuple[Sheet, dict[str, Any]] | None:
    for sheet in ctx.spreadsheet.sheets:
        for chart in sheet.charts:
            if int(chart.get("chartId", -1)) == chart_id:
                return sheet, chart
    return None


def add_chart(ctx: Context, req: dict[str, Any]) -> Reply:
    """addChart: sources and anchor checked, stored, returned as the EmbeddedChart with its id.

    Only overlay positions are modelled (a chart on its own sheet is not).
    """
    chart = dict(req.get("chart") or {})
    if "chartId" in chart and _find_chart(ctx, int(chart["chartId"])) is not None:
        raise ctx.fail(f"An object with ID {int(chart['chartId'])} already exists.")
    chart.setdefault("chartId", ctx.new_id())
    _chart_sources(ctx, chart.get("spec") or {})
    anchor = (chart.get("position") or {}).get("overlayPosition", {}).get("anchorCell", {})
    sheet = ctx.sheet(anchor.get("sheetId", ctx.spreadsheet.sheets[0].sheet_id))
    sheet.charts.append(chart)
    return {"addChart": {"chart": chart}}


def update_chart_spec(ctx: Context, req: dict[str, Any]) -> Reply:
    """updateChartSpec: replaces the spec of a chart (not its position); empty reply."""
    chart_id = int(req.get("chartId", -1))
    found = _find_chart(ctx, chart_id)
    if found is None:
        raise ctx.fail(f"No chart with id: {chart_id}")
    spec = dict(req.get("spec") or {})
    _chart_sources(ctx, spec)
    found[1]["spec"] = spec
    return {}


def delete_embedded_object(ctx: Context, req: dict[str, Any]) -> Reply:
    """deleteEmbeddedObject: removes a chart by objectId; empty reply."""
    object_id = int(req.get("objectId", -1))
    found = _find_chart(ctx, object_id)
    if found is None:
        raise ctx.fail(f"No embedded object with id: {object_id}")
    found[0].charts.remove(found[1])
    return {}


def _accepted(ctx: Context, req: dict[str, Any]) -> Reply:
    """Requests accepted without a modelled effect (formatting only)."""
    return {}


# the dressing requests live in their own module; it uses Context and the ranges above
from .formatting import (  # noqa: E402
    create_developer_metadata,
    repeat_cell,
    update_dimension_properties,
)

HANDLERS: dict[str, Callable[[Context, dict[str, Any]], Reply]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "addConditionalFormatRule": add_conditional_format_rule,
    "repeatCell": repeat_cell,
    "updateCells": update_cells,
    "sortRange": sort_range,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "deleteEmbeddedObject": delete_embedded_object,
    "updateDimensionProperties": update_dimension_properties,
    "createDeveloperMetadata": create_developer_metadata,
    "autoResizeDimensions": _accepted,
    "updateBorders": _accepted,
    "mergeCells": _accepted,
    "unmergeCells": _accepted,
}


def batch_update(
    spreadsheet: Spreadsheet,
    body: Any,
    user: str,
    rng: random.Random,
    query: dict[str, list[str]] | None = None,
) -> Reply:
    """Apply every request in order; the server restores a snapshot if any fails. With
    includeSpreadsheetInResponse the answer carries the spreadsheet as it is after them
    (responseRanges, responseIncludeGridData, and the `fields` mask as Google applies it)."""
    ctx = Context(spreadsheet, user, rng)
    requests = (body or {}).get("requests") if isinstance(body, dict) else None
    if not requests:
        raise bad_request("Must specify at least one request.")
    replies = []
    for i, request in enumerate(requests):
        kinds = list(request) if isinstance(request, dict) else []
        if len(kinds) != 1:
            raise bad_request(f"Invalid requests[{i}]: No request set.")
        kind = kinds[0]
        handler = HANDLERS.get(kind)
        if handler is None:
            raise bad_request(
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': "
                "Cannot find field."
            )
        ctx.prefix = f"Invalid requests[{i}].{kind}: "
        replies.append(handler(ctx, request[kind] or {}))
    result: Reply = {"spreadsheetId": spreadsheet.spreadsheet_id, "replies": replies}
    fields = ",".join((query or {}).get("fields", []))
    mask = metadata.parse_fields(fields) if fields else {}
    if body.get("includeSpreadsheetInResponse"):
        ranges = body.get("responseRanges") or []
        grid_data = bool(body.get("responseIncludeGridData"))  # ignored under a field mask
        result["updatedSpreadsheet"] = metadata.updated_spreadsheet(
            spreadsheet, list(ranges), grid_data, mask
        )
    projected: Reply = metadata.project(result, mask)
    return projected
