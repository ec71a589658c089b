"""`aidsync init` on a local workbook: tabs, headers, dropdowns; never existing data."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.xlsx import _grid, _mark, _write_headers, set_text_safe
from sync.backends.xlsx_chart import place_chart
from sync.chart import summary_chart
from sync.layout import build_snapshot
from sync.schema import Locale, Schema, Tab

_MULTI_TYPES = {"communities", "categories"}


def initialise_workbook(
    workbook: Workbook,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, list[dict[str, object]]] | None,
) -> list[str]:
    """Add missing tabs and headers (and sample rows to empty tabs); return what was done."""
    grids = {ws.title: _grid(ws) for ws in workbook.worksheets}
    snapshot = build_snapshot("init", grids, schema, locale=locale if not grids else None)
    locale = snapshot.locale if grids else locale
    done: list[str] = []
    for tab in schema.tabs:
        table = snapshot.table(tab.key)
        if table is None and tab.on_demand:
            continue
        if table is None:
            ws = workbook.create_sheet(tab.title(locale))
            _write_headers(ws, tab, locale)
            if tab.key == "summary":  # drawn once here, so that passes write changed rows only
                place_chart(ws, summary_chart(locale))
            _add_dropdowns(ws, tab, schema, locale, {c.key: i for i, c in enumerate(tab.columns)})
            done.append(f"added tab {ws.title}")
            columns = {c.key: i for i, c in enumerate(tab.columns)}
            header_row = 1
            empty = True
        else:
            ws = workbook[table.title]
            columns = dict(table.header.columns)
            header_row = table.header.header_row
            col = table.width
            for column in tab.columns:
                if column.key in columns:
                    continue
                cell = ws.cell(row=header_row, column=col + 1)
                set_text_safe(cell, column.label(snapshot.locale))
                _mark(cell, column.owner, snapshot.locale)
                columns[column.key] = col
                done.append(f"added column {column.label(snapshot.locale)} to {ws.title}")
                col += 1
            empty = not any(not table.is_blank_row(r) for r in table.rows)
        rows = (sample or {}).get(tab.key)
        if rows:
            if not empty:
                done.append(
                    f"kept {ws.title} as it is: it already has rows, so no sample was added"
                )
                continue
            for offset, values in enumerate(rows, start=header_row + 1):
                for key, value in values.items():
                    set_text_safe(ws.cell(row=offset, column=columns[key] + 1), value)  # type: ignore[arg-type]
            done.append(f"added {len(rows)} sample rows to {ws.title}")
    return done


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
