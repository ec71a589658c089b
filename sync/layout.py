"""From raw grids to a Snapshot, and what the workbook's layout lacks (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sync.errors import SchemaError
from sync.messages import say
from sync.model import CellValue, NewColumn, SheetRow, Snapshot, Table
from sync.schema import Locale, Schema, map_headers, normalise

WORKING_TABS = ("requests", "volunteers", "stock")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def build_snapshot(
    source: str,
    grids: Mapping[str, Sequence[Sequence[CellValue]]],
    schema: Schema,
    token: object = None,
    locale: Locale | None = None,
) -> Snapshot:
    """Turn every tab's grid (rows of cell values, row 1 first) into a Snapshot."""
    found = schema.find_tab(grids.keys())
    tables: dict[str, Table] = {}
    for key, title in found.items():
        tab = schema.tab(key)
        grid = grids[title]
        header = map_headers(tab, grid)
        rows = tuple(
            SheetRow(number, tuple(cells))
            for number, cells in enumerate(grid[header.header_row :], start=header.header_row + 1)
        )
        width = max((len(r) for r in grid[: header.header_row]), default=0)
        tables[key] = Table(tab, title, header, rows, width)
    return Snapshot(
        source=source,
        locale=locale or detect_locale(tables),
        tables=tables,
        titles=tuple(grids.keys()),
        token=token,
    )


def detect_locale(tables: Mapping[str, Table]) -> Locale:
    """The sheet's language: Chinese when its tab names or headers are mostly Chinese."""
    zh = en = 0
    for table in tables.values():
        texts = [table.title, *(table.header.headers[i] for i in table.header.columns.values())]
        for text in texts:
            if _HAN.search(text):
                zh += 1
            elif text.strip():
                en += 1
    return "en" if en > zh else "zh"


def check_layout(
    snapshot: Snapshot, schema: Schema
) -> tuple[tuple[str, ...], tuple[NewColumn, ...]]:
    """Tabs and worker columns to add; raise SchemaError when people's columns are missing."""
    problems: list[tuple[str, dict[str, str]]] = []  # catalogue codes and their fields
    for key in ("requests", "volunteers"):
        if key not in snapshot.tables:
            tab = schema.tab(key)
            found = ", ".join(snapshot.titles) if snapshot.titles else ""
            code = "schema_no_tab" if found else "schema_no_tabs"
            problems.append((code, {"en": tab.en, "zh": tab.zh, "found": found}))
    new_columns: list[NewColumn] = []
    for key in WORKING_TABS:
        table = snapshot.tables.get(key)
        if table is None:
            continue
        for column in table.tab.columns:
            if column.key in table.header.columns:
                continue
            if column.owner == "human" and column.required:
                accepted = ", ".join(dict.fromkeys((column.en, column.zh, *column.aliases)))
                fields = {
                    "tab": table.title,
                    "en": column.en,
                    "zh": column.zh,
                    "accepted": accepted,
                }
                problems.append(("schema_no_column", fields))
            elif column.owner in ("worker", "shared"):
                new_columns.append(NewColumn(key, column.key, column.label(snapshot.locale)))
    if problems:
        said = {
            f"problems_{locale}": "\n  - ".join(
                say(locale, code, **fields) for code, fields in problems
            )
            for locale in ("zh", "en")
        }
        raise SchemaError.worded(
            "schema_nothing_written", source=snapshot.source, **said
        ).in_language(snapshot.locale)
    new_tabs = tuple(k for k in ("summary", "log") if k not in snapshot.tables)
    return new_tabs, tuple(new_columns)


def header_matches(text: object, names: Sequence[str]) -> bool:
    """Whether a header cell names one of these labels."""
    return normalise(text) in {normalise(n) for n in names}


def with_appended_rows(
    snapshot: Snapshot, table: Table, rows: Mapping[int, Iterable[tuple[str, CellValue]]]
) -> Snapshot:
    """The snapshot with rows (sheet row number → (column key, value) cells) appended to a tab,
    as a pass that adds them should see them (recurring occurrences, requests from messages)."""
    width = max([table.width, *(c + 1 for c in table.header.columns.values())])
    added = []
    for number, cells in sorted(rows.items()):
        values: list[CellValue] = [None] * width
        for key, value in cells:
            col = table.col(key)
            if col is not None:
                values[col] = value
        added.append(SheetRow(number, tuple(values)))
    grown = Table(table.tab, table.title, table.header, table.rows + tuple(added), table.width)
    return replace(snapshot, tables={**snapshot.tables, table.tab.key: grown})
