"""spreadsheets.get: the Spreadsheet resource, includeGridData and `fields` masks."""

from __future__ import annotations

from typing import Any

from .model import Sheet, Spreadsheet

Mask = dict[str, "Mask"]


def parse_fields(text: str) -> Mask:
    """Parse a field mask like 'sheets.properties,sheets(data(columnMetadata))' into a tree."""
    mask: Mask = {}
    pos = 0

    def parse_list(stop: str | None) -> Mask:
        nonlocal pos
        out: Mask = {}
        while pos < len(text):
            start = pos
            while pos < len(text) and text[pos] not in ",()":
                pos += 1
            keys = [k for k in text[start:pos].strip().replace("/", ".").split(".") if k]
            node = out
            for key in keys:
                node = node.setdefault(key, {})
            if pos < len(text) and text[pos] == "(":
                pos += 1
                _merge(node, parse_list(")"))
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            if pos < len(text) and text[pos] == ")":
                pos += 1
                if stop == ")":
                    return out
            if pos >= len(text):
                break
        return out

    mask = parse_list(None)
    return mask


def _merge(into: Mask, other: Mask) -> None:
    for key, sub in other.items():
        _merge(into.setdefault(key, {}), sub)


def project(value: Any, mask: Mask) -> Any:
    """Keep only the masked fields of a JSON value ('*' or a leaf keeps everything)."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [project(item, mask) for item in value]
    if isinstance(value, dict):
        return {k: project(v, mask[k]) for k, v in value.items() if k in mask}
    return value


def _cell_data(sheet: Sheet, row: int, col: int) -> dict[str, Any]:
    cell = sheet.cell(row, col)
    if cell is None:
        return {}
    data: dict[str, Any] = {}
    if cell.formula is not None:
        data["userEnteredValue"] = {"formulaValue": cell.formula}
    data["effectiveValue"] = _extended(sheet.render(row, col, "UNFORMATTED_VALUE", "SERIAL_NUMBER"))
    if cell.formula is None:
        data["userEnteredValue"] = data["effectiveValue"]
    data["formattedValue"] = sheet.render(row, col, "FORMATTED_VALUE", "FORMATTED_STRING")
    return data


def _extended(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, str) and value.startswith("#") and value.endswith(("!", "?", "A")):
        return {"errorValue": {"type": "ERROR", "message": value}}
    return {"stringValue": value}


def _grid_data(sheet: Sheet) -> list[dict[str, Any]]:
    rows = [
        {"values": [_cell_data(sheet, r, c) for c in range(len(line))]}
        for r, line in enumerate(sheet.rows)
    ]
    data: dict[str, Any] = {
        "rowMetadata": [{"pixelSize": 21} for _ in range(sheet.row_count)],
        "columnMetadata": sheet.column_metadata(),
    }
    if any(row["values"] for row in rows):
        data["rowData"] = rows
    return [data]


def sheet_resource(sheet: Sheet, grid_data: bool) -> dict[str, Any]:
    """Return one Sheet resource."""
    resource: dict[str, Any] = {"properties": sheet.properties()}
    if grid_data:
        resource["data"] = _grid_data(sheet)
    if sheet.conditional_formats:
        resource["conditionalFormats"] = sheet.conditional_formats
    if sheet.protected_ranges:
        resource["protectedRanges"] = [
            {
                **p,
                "range": {**p["range"], **({"sheetId": sheet.sheet_id} if sheet.sheet_id else {})},
            }
            for p in sheet.protected_ranges
        ]
    if sheet.charts:
        resource["charts"] = sheet.charts
    if sheet.developer_metadata:
        resource["developerMetadata"] = sheet.developer_metadata
    return resource


def spreadsheet_resource(ss: Spreadsheet, query: dict[str, list[str]]) -> dict[str, Any]:
    """Return the Spreadsheet resource for GET /v4/spreadsheets/{id}."""
    fields = ",".join(query.get("fields", []))
    mask = parse_fields(fields) if fields else {}
    wants_data = (query.get("includeGridData", ["false"])[-1].lower() == "true") or (
        "data" in mask.get("sheets", {})
    )
    resource: dict[str, Any] = {
        "spreadsheetId": ss.spreadsheet_id,
        "properties": ss.properties(),
        "sheets": [sheet_resource(s, wants_data) for s in sorted(ss.sheets, key=lambda s: s.index)],
    }
    if ss.named_ranges:
        resource["namedRanges"] = ss.named_ranges
    resource["spreadsheetUrl"] = ss.url()
    projected: dict[str, Any] = project(resource, mask)
    return projected


def updated_spreadsheet(
    ss: Spreadsheet, ranges: list[str], grid_data: bool, mask: Mask
) -> dict[str, Any]:
    """A batchUpdate's updatedSpreadsheet: the resource after the requests. With
    responseRanges, grid data covers only those ranges; whole tabs are modelled, a range of
    cells inside a tab is refused so that a test cannot rely on an answer Google might not give.
    """
    from .a1 import A1Error, parse_range
    from .errors import bad_request

    titles: set[str] = set()
    for text in ranges:
        try:
            parsed = parse_range(text)
        except A1Error:
            raise bad_request(f"Unable to parse range: {text}") from None
        bounds = (parsed.start_row, parsed.start_col, parsed.end_row, parsed.end_col)
        if parsed.sheet is None or any(b is not None for b in bounds):
            raise bad_request(f"the emulator models whole-tab responseRanges only, not {text}")
        if ss.sheet_by_title(parsed.sheet) is None:
            raise bad_request(f"Unable to parse range: {text}")
        titles.add(parsed.sheet)
    wants_data = (
        ("data" in mask.get("updatedSpreadsheet", {}).get("sheets", {})) if mask else grid_data
    )
    return {
        "spreadsheetId": ss.spreadsheet_id,
        "properties": ss.properties(),
        "sheets": [
            sheet_resource(s, wants_data and (not titles or s.title in titles))
            for s in sorted(ss.sheets, key=lambda s: s.index)
        ],
        "spreadsheetUrl": ss.url(),
    }
