"""The fast reads of a row (Table.cells, Table.fingerprint) say what the cell-by-cell reads say,
and the stock note's merge keeps a person's note as it was."""

from __future__ import annotations

import hashlib
from datetime import datetime

from builders import request, snapshot_of, zh_tabs

from sync.model import SheetRow, Table
from sync.stock.cells import merge_note


def _table(rows: list[dict[str, object]]) -> Table:
    table = snapshot_of(zh_tabs(rows, [])).table("requests")
    assert table is not None
    return table


def _reference_fingerprint(table: Table, row: SheetRow) -> str:
    """The digest as the write has always found rows by it: one cell at a time."""
    parts = []
    for key in table.tab.owned_by("human"):
        value = table.get(row, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            parts.append("None")
        elif isinstance(value, float) and value.is_integer():
            parts.append(repr(int(value)))
        else:
            parts.append(repr(value))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def test_a_rows_cells_in_one_go_are_what_get_reads_cell_by_cell_short_rows_included() -> None:
    table = _table([request("张三"), request("李四", notes="楼下放门口")])
    width = len(table.header.columns)
    rows = [
        *table.data_rows,
        SheetRow(9, ("R-0009", "2022-12-20 14:30")),  # a row the store cut short
        SheetRow(10, ()),
        SheetRow(11, tuple(f"v{i}" for i in range(width + 3))),  # cells past the last header
    ]
    for row in rows:
        cells = table.cells(row)
        assert set(cells) == set(table.header.columns)
        assert all(cells[key] == table.get(row, key) for key in table.header.columns)


def test_a_rows_fingerprint_is_the_digest_writes_have_always_matched_rows_by() -> None:
    table = _table([request("张三")])
    full = table.data_rows[0]
    variants = [
        full,
        SheetRow(full.number, full.values[:3]),  # short: the missing cells count as blank
        SheetRow(full.number, tuple(3.0 if v == "白菜" else v for v in full.values)),
        SheetRow(full.number, tuple("  " if v == "张三" else v for v in full.values)),
        SheetRow(
            full.number, (*full.values[:2], True, datetime(2022, 12, 20, 15), *full.values[4:])
        ),
    ]
    for row in variants:
        assert table.fingerprint(row) == _reference_fingerprint(table, row)
    # blank is blank, and a whole float is the integer it shows
    blank = SheetRow(full.number, tuple("  " if v == "张三" else v for v in full.values))
    none = SheetRow(full.number, tuple(None if v == "张三" else v for v in full.values))
    assert table.fingerprint(blank) == table.fingerprint(none)


def test_a_one_line_note_that_is_not_the_stock_steps_stays_exactly_as_it_was() -> None:
    assert merge_note("已电话联系", []) == "已电话联系"
    assert merge_note("", []) == ""
    # the stock step's own line goes when it has nothing to say, other lines stay
    assert merge_note("【物资】S-0001 已预留", []) == ""
    assert merge_note("已电话联系\n【物资】S-0001 已预留", []) == "已电话联系"
    assert merge_note("已电话联系\n\n再联系", []) == "已电话联系\n再联系"
    assert (
        merge_note("已电话联系", ["【物资】S-0002 已预留"]) == "已电话联系\n【物资】S-0002 已预留"
    )
