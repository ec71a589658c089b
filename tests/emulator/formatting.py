"""spreadsheets.batchUpdate requests that dress a sheet: repeatCell formats, column widths,
developer metadata (each checked as the Sheets API reference describes it)."""

from __future__ import annotations

from typing import Any

from . import metadata
from .batch_update import Context, Reply, _dimension_range, _extended_value, _grid_range
from .errors import bad_request

# CellFormat fields the emulator models, and the enums it checks (the Sheets API reference,
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellFormat)
_WRAP = ("OVERFLOW_CELL", "LEGACY_WRAP", "CLIP", "WRAP")
_NUMBER_TYPES = (
    "TEXT", "NUMBER", "PERCENT", "CURRENCY", "DATE", "TIME", "DATE_TIME", "SCIENTIFIC",
)  # fmt: skip
_FORMAT_FIELDS = (
    "numberFormat", "backgroundColor", "backgroundColorStyle", "borders", "padding",
    "horizontalAlignment", "verticalAlignment", "wrapStrategy", "textDirection", "textFormat",
    "hyperlinkDisplayType", "textRotation",
)  # fmt: skip


def _check_format(ctx: Context, fmt: dict[str, Any], where: str) -> None:
    """Refuse what Google refuses: unknown CellFormat fields and enum values, bad colours."""
    for key in fmt:
        if key not in _FORMAT_FIELDS:
            raise bad_request(
                f"Invalid JSON payload received. Unknown name \"{key}\" at '{where}': "
                "Cannot find field."
            )
    wrap = fmt.get("wrapStrategy")
    if wrap is not None and wrap not in _WRAP:
        raise bad_request(f"Invalid value at '{where}.wrap_strategy' (TYPE_ENUM), \"{wrap}\"")
    number = fmt.get("numberFormat")
    if number is not None:
        kind = (number or {}).get("type")
        if kind not in _NUMBER_TYPES:
            raise bad_request(
                f"Invalid value at '{where}.number_format.type' (TYPE_ENUM), \"{kind}\""
            )
    color = fmt.get("backgroundColor")
    if color is not None:
        for part, value in (color or {}).items():
            if part not in ("red", "green", "blue", "alpha") or not 0 <= float(value) <= 1:
                raise ctx.fail(f"Invalid color: {part}={value}")


def _masked(fields: str, cell: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """The userEnteredFormat fields a `fields` mask names ('userEnteredFormat(a,b)',
    'userEnteredFormat.a', or 'userEnteredFormat' / '*' for all); None: the mask names none.
    A masked field the cell leaves out is cleared (None), as Google does."""
    if not fields.strip():
        raise ctx.fail("At least one field must be specified.")
    fmt = cell.get("userEnteredFormat") or {}
    names: list[str] = []
    for part in metadata.parse_fields(fields).items():
        key, sub = part
        if key == "*" or (key == "userEnteredFormat" and not sub):
            names.extend(_FORMAT_FIELDS)
        elif key == "userEnteredFormat":
            names.extend(sub)
        elif key != "userEnteredValue":
            raise ctx.fail(f"the emulator models userEnteredValue and userEnteredFormat, not {key}")
    if not names:
        return None
    return {name: fmt.get(name) for name in names}


def repeat_cell(ctx: Context, req: dict[str, Any]) -> Reply:
    """repeatCell: the fields mask says what is set (values written, formats kept per range).
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#repeatcellrequest"""
    sheet, sr, sc, er, ec = _grid_range(ctx, req.get("range") or {})
    cell = req.get("cell") or {}
    fields = str(req.get("fields") or "")
    formats = _masked(fields, cell, ctx)
    if formats is not None:
        _check_format(
            ctx,
            cell.get("userEnteredFormat") or {},
            "requests.repeat_cell.cell.user_entered_format",
        )
    if "userEnteredValue" in fields or fields.strip() == "*":
        for r in range(sr, er):
            for c in range(sc, ec):
                sheet.set_cell(r, c, _extended_value(cell.get("userEnteredValue")))
    if formats is not None:
        sheet.formats.append(((sr, sc, er, ec), formats))
    return {}


def create_developer_metadata(ctx: Context, req: dict[str, Any]) -> Reply:
    """createDeveloperMetadata on a sheet (the only location the emulator models).
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata"""
    item = dict(req.get("developerMetadata") or {})
    if not item.get("metadataKey"):
        raise ctx.fail("Developer metadata must always have a key specified.")
    if item.get("visibility") not in ("DOCUMENT", "PROJECT"):
        raise ctx.fail("Developer metadata must always have a visibility specified.")
    location = item.get("location") or {}
    if set(location) - {"sheetId", "locationType"} or "sheetId" not in location:
        raise ctx.fail("the emulator models developer metadata on a sheet (location.sheetId) only")
    sheet = ctx.sheet(location["sheetId"])
    ids = {m["metadataId"] for s in ctx.spreadsheet.sheets for m in s.developer_metadata}
    metadata_id = int(item.get("metadataId") or ctx.new_id())
    if metadata_id <= 0 or metadata_id in ids:
        raise ctx.fail(f"Developer metadata with id {metadata_id} already exists or is invalid.")
    stored = {
        "metadataId": metadata_id,
        "metadataKey": str(item["metadataKey"]),
        "location": {"locationType": "SHEET", "sheetId": sheet.sheet_id},
        "visibility": item["visibility"],
    }
    if item.get("metadataValue") is not None:
        stored["metadataValue"] = str(item["metadataValue"])
    sheet.developer_metadata.append(stored)
    return {"createDeveloperMetadata": {"developerMetadata": stored}}


def update_dimension_properties(ctx: Context, req: dict[str, Any]) -> Reply:
    """updateDimensionProperties: pixelSize of columns is kept for columnMetadata; the fields
    mask is required and the range must lie inside the grid.
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatedimensionpropertiesrequest"""
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    fields = str(req.get("fields") or "")
    if not fields.strip():
        raise ctx.fail("At least one field must be specified.")
    limit = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end > limit:
        raise ctx.fail(f"Invalid range: {dimension.lower()} {start}-{end} past {limit}")
    size = (req.get("properties") or {}).get("pixelSize")
    if size is not None and int(size) < 0:
        raise ctx.fail("pixelSize must be non-negative")
    if "pixelSize" not in fields and fields.strip() != "*":
        size = None
    if dimension == "COLUMNS" and size is not None:
        for c in range(start, end):
            sheet.column_pixels[c] = int(size)
    return {}
