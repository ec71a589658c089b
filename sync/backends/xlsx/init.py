"""`aidsync init` on a local workbook: tabs, headers, dropdowns, every tab's look (xlsx_format);
never existing data."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.xlsx.cells import mark_header, put, sheet_grid, write_headers
from sync.backends.xlsx.chart import place_chart
from sync.backends.xlsx.dress import dress
from sync.chart import summary_chart
from sync.layout import build_snapshot
from sync.model import moment_of
from sync.schema import Locale, Schema, Tab
from sync.writes import lay_out_init

_MULTI_TYPES = {"communities", "categories"}


def initialise_workbook(
    workbook: Workbook,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, list[dict[str, object]]] | None,
) -> list[str]:
    """Add missing tabs and headers (and sample rows to empty tabs); return what was done."""
    grids = {ws.title: sheet_grid(ws) for ws in workbook.worksheets}
    snapshot = build_snapshot("init", grids, schema, locale=locale if not grids else None)
    layout, done = lay_out_init(snapshot, schema, locale, sample)
    locale = snapshot.locale if grids else locale
    for new in layout.tabs:  # its header row, marked, with dropdowns below it
        tab = schema.tab(new.key)
        ws = workbook.create_sheet(new.title)
        write_headers(ws, tab, locale)
        if tab.key == "summary":  # drawn once here, so that passes write changed rows only
            place_chart(ws, summary_chart(locale))
        _add_dropdowns(ws, tab, schema, locale, {c.key: i for i, c in enumerate(tab.columns)})
    for cell in layout.headers:
        target = put(workbook[cell.title], cell.row, cell.col + 1, cell.value)
        mark_header(target, schema.tab(cell.tab).column(cell.column).owner, locale)
    moments = {(f.title, c.col) for f in layout.formats for c in f.columns if c.moments}
    for cell in layout.rows:  # sample times as date-time cells, as a pass writes them
        value = (
            moment_of(cell.value) or cell.value if (cell.title, cell.col) in moments else cell.value
        )
        put(workbook[cell.title], cell.row, cell.col + 1, value)
    if done:  # a workbook that lacks nothing is left exactly as it is
        for look in layout.formats:
            dress(workbook[look.title], look)
    return list(done)


def _add_dropdowns(
    ws: Worksheet, tab: Tab, schema: Schema, locale: Locale, columns: Mapping[str, int]
) -> None:
    """Dropdowns on choice columns; a warning, not a refusal, for other text (either language)."""
    for column in tab.columns:
        if not column.choices or column.type in _MULTI_TYPES:
            continue
        labels = [o.label(locale) for o in schema.choice_list(column.choices).options]
        formula = '"' + ",".join(labels) + '"'
        if len(formula) > 255:
            continue
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=True, errorStyle="warning"
        )
        validation.showErrorMessage = True
        validation.error = "不在选项中 / not one of the options"
        letter = get_column_letter(columns[column.key] + 1)
        validation.add(f"{letter}2:{letter}5000")
        ws.add_data_validation(validation)
