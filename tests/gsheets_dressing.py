"""A spreadsheet in the emulator dressed as init or an earlier pass leaves it (for tests whose
topic is not the dressing, so that their first pass stays the steady one)."""

from __future__ import annotations

import random

from emulator import SheetsEmulator
from emulator.batch_update import batch_update

from sync.backends.gsheets.dress import dress
from sync.layout import build_snapshot
from sync.schema import Schema
from sync.writes import tab_format


def mark_dressed(emulator: SheetsEmulator, sid: str, schema: Schema | None = None) -> None:
    """Apply every known tab's dressing requests (widths, wrap, shading, date-time columns,
    the mark) straight to the emulator's model: no API request is counted."""
    if schema is None:
        from gsheets_fixtures import SCHEMA

        schema = SCHEMA
    spreadsheet = emulator.spreadsheet(sid)
    grids = {s.title: emulator.get_values(sid, s.title) for s in spreadsheet.sheets}
    snapshot = build_snapshot("emulator", grids, schema)
    requests = []
    for key, table in snapshot.tables.items():
        sheet = emulator.sheet(sid, table.title)
        columns = None if key == "summary" else dict(table.header.columns)
        fmt = tab_format(schema, key, table.title, snapshot.locale, columns)
        requests += dress(fmt, sheet.sheet_id)
    if requests:
        batch_update(spreadsheet, {"requests": requests}, "tests", random.Random(0))
