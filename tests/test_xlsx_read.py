"""The fast reader gives exactly the values openpyxl gives, or stands aside."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from builders import NOW, RULES, SCHEMA, save_workbook, settings_for, zh_tabs

from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx.cells import sheet_grid as _grid
from sync.backends.xlsx.read import chart_count, fast_grids
from sync.sample import sample_rows
from sync.worker import run_pass


def openpyxl_grids(data: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: _grid(ws) for ws in book.worksheets}


def test_values_of_every_type_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "需求登记"
    ws.append(["整数", 60, 3.5, -7, 10**12])
    ws.append(["日期", datetime(2022, 12, 20, 14, 30), date(2022, 12, 20), time(8, 0)])
    ws.append(["布尔", True, False, None, "  空格  "])
    ws.append([None, None, "末尾", None])
    path = tmp_path / "types.xlsx"
    book.save(path)
    data = path.read_bytes()
    assert fast_grids(data) == openpyxl_grids(data)


def test_a_workbook_holding_a_formula_is_left_to_openpyxl(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["=SUM(1,2)", "text"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    assert fast_grids(path.read_bytes()) is None  # openpyxl gives the formula's text instead
    assert fast_grids(b"not a zip") is None


def test_a_pass_and_its_workbook_read_the_same_either_way(tmp_path: Path) -> None:
    rows = sample_rows(SCHEMA, "zh")
    path = save_workbook(
        tmp_path / "book.xlsx", zh_tabs(rows["requests"], rows["volunteers"], rows["stock"])
    )
    backend = XlsxBackend(path)
    run_pass(backend, settings_for(path), NOW, schema=SCHEMA, rules=RULES)
    data = path.read_bytes()  # after a pass: ids, notes, times, the Summary and its chart
    assert fast_grids(data) == openpyxl_grids(data)
    assert chart_count(data, "汇总") == 1
    assert chart_count(data, "需求登记") == 0
    assert chart_count(data, "no such tab") is None


def test_init_draws_the_summary_chart_so_the_first_pass_writes_only_changed_rows(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from sync.backends.xlsx import backend as xlsx

    path = tmp_path / "new.xlsx"
    backend = XlsxBackend(path)
    backend.initialise(SCHEMA, "zh", sample_rows(SCHEMA, "zh"))
    assert chart_count(path.read_bytes(), "汇总") == 1

    def no_full_save(*args: object, **kwargs: object) -> None:
        raise AssertionError("the first pass loaded the whole workbook to save it")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", no_full_save)
    result = run_pass(backend, settings_for(path), NOW, schema=SCHEMA, rules=RULES)
    assert result.applied is not None and result.applied.written > 0
    assert chart_count(path.read_bytes(), "汇总") == 1
