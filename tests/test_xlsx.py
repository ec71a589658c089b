"""The local workbook backend: real .xlsx files, compare-and-set, atomic saves."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import (
    NOW,
    SCHEMA,
    read_workbook,
    request,
    save_workbook,
    settings_for,
    volunteer,
    zh_tabs,
)
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sync.backends.xlsx import XlsxBackend
from sync.errors import WorkbookBusy
from sync.sample import sample_rows
from sync.worker import run_pass


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def column(rows: list[list[Any]], header: str) -> list[Any]:
    index = rows[0].index(header)
    return [r[index] if index < len(r) else None for r in rows[1:]]


def test_pass_keeps_formatting_dropdowns_and_unknown_tabs(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    workbook = openpyxl.load_workbook(path)
    ws = workbook["需求登记"]
    ws["C2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["C"].width = 33
    validation = DataValidation(type="list", formula1='"紧急,一般"')
    validation.add("J2:J100")
    ws.add_data_validation(validation)
    workbook.create_sheet("电话簿")["A1"] = "我们自己的表"
    workbook.save(path)

    run_pass(XlsxBackend(path), settings_for(path), NOW)

    after = openpyxl.load_workbook(path)
    ws = after["需求登记"]
    assert ws["C2"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions["C"].width == 33
    assert any("J2:J100" in str(v.sqref) for v in ws.data_validations.dataValidation)
    assert after["电话簿"]["A1"].value == "我们自己的表"
    assert column(read_workbook(path)["需求登记"], "状态") == ["已派单"]


def test_formula_looking_text_is_written_as_text(tmp_path: Path) -> None:
    evil = '=IMPORTXML("http://x","//a")'
    tabs = zh_tabs([request("甲", volunteer=evil), request("乙", volunteer="+1 555 0100")],
                   [volunteer("段珊珊")])  # fmt: skip
    path = save_workbook(tmp_path / "w.xlsx", tabs)
    workbook = openpyxl.load_workbook(path)
    workbook["需求登记"]["L2"].data_type = "s"  # a human typed it as text
    workbook.save(path)
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    after = openpyxl.load_workbook(path)
    for ws in after.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    notes = column(read_workbook(path)["需求登记"], "系统提示")
    assert evil in notes[0]


def test_office_lock_file_means_nothing_is_written(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    before = digest(path)
    for lock_name in (".~lock.w.xlsx#", "~$w.xlsx"):
        lock = tmp_path / lock_name
        lock.write_text("someone")
        with pytest.raises(WorkbookBusy, match="正在办公软件里打开"):
            run_pass(XlsxBackend(path), settings_for(path), NOW)
        lock.unlink()
        assert digest(path) == before


def test_file_saved_by_someone_else_during_the_pass_is_reread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲"), request("乙", phone="13840001006")],
                                                      [volunteer("段珊珊")]))  # fmt: skip
    original = XlsxBackend.apply
    calls = {"n": 0}

    def human_saves_first(self: XlsxBackend, *args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:  # another program saves the file between our read and our write
            workbook = openpyxl.load_workbook(path)
            workbook["需求登记"]["L3"] = "冯玉杰"
            workbook["需求登记"]["K2"] = "请下午送"
            workbook.save(path)
        return original(self, *args)

    monkeypatch.setattr(XlsxBackend, "apply", human_saves_first)
    result = run_pass(XlsxBackend(path), settings_for(path), NOW)
    assert result.attempts == 2
    rows = read_workbook(path)["需求登记"]
    assert column(rows, "接单志愿者") == ["段珊珊", "冯玉杰"]
    assert column(rows, "备注")[0] == "请下午送"
    assert column(rows, "状态") == ["已派单", "已派单"]


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    leftovers = [p.name for p in tmp_path.iterdir() if "aidsync-tmp" in p.name]
    assert leftovers == []


def test_unchanged_workbook_is_not_rewritten(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    second = run_pass(XlsxBackend(path), settings_for(path), NOW)
    assert second.plan.is_empty()  # only the Summary's "this pass" line changed
    before = digest(path)
    third = run_pass(XlsxBackend(path), settings_for(path), NOW)
    assert third.applied is not None and third.applied.written == 0
    assert digest(path) == before


def test_init_builds_every_tab_and_never_touches_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    backend = XlsxBackend(path)
    done = backend.initialise(SCHEMA, "zh", None)
    assert len([d for d in done if d.startswith("添加了「")]) == 6
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["需求登记", "志愿者", "共享物资", "群消息", "汇总", "同步日志"]
    requests = workbook["需求登记"]
    assert requests.freeze_panes == "A2"
    assert requests["A1"].comment is not None  # worker column marked
    assert requests.data_validations.dataValidation
    assert backend.initialise(SCHEMA, "zh", None) == []

    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["需求登记"] = [row[:12] for row in tabs["需求登记"]]
    existing = save_workbook(tmp_path / "old.xlsx", tabs)
    done = XlsxBackend(existing).initialise(SCHEMA, "zh", sample_rows(SCHEMA, "zh"))
    assert "在「需求登记」表添加了「状态」列" in done
    rows = read_workbook(existing)
    assert rows["需求登记"][1][:12] == tabs["需求登记"][1][:12]
    assert len(rows["需求登记"]) == 2  # no sample rows over real data
    assert len(rows["共享物资"]) > 2  # the empty stock tab got the sample
