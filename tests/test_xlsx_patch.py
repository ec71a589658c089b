"""Writing only the rows that change gives the same workbook as openpyxl's whole-file save."""

from __future__ import annotations

import io
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import RULES, SCHEMA, TZ

from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx import backend as xlsx
from sync.backends.xlsx.patch import Unpatchable, patch_sheet, patch_workbook
from sync.planner import build_plan
from sync.sample import SAMPLE_NOW as NOW
from sync.sample import sample_rows


def sample_workbook(path: Path) -> Path:
    """What `aidsync init --sample` makes: headers, dropdowns, marked columns, sample rows."""
    XlsxBackend(path).initialise(SCHEMA, "zh", sample_rows(SCHEMA, "zh"))
    return path


def values(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def looks(path: Path) -> dict[str, Any]:
    """What people see besides values: dropdowns, frozen panes, header comments and fills."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [(v.sqref, v.formula1) for v in ws.data_validations.dataValidation],
            ws.freeze_panes,
            [(c.comment.text if c.comment else None, c.fill.fgColor.rgb) for c in ws[1]],
        )
        for ws in book.worksheets
    }


def one_pass(path: Path, now: Any = NOW) -> None:
    backend = XlsxBackend(path)
    snapshot = backend.read(SCHEMA)
    backend.apply(snapshot, build_plan(snapshot, RULES, now, TZ, SCHEMA), SCHEMA)


def test_changed_rows_only_matches_a_whole_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patched = sample_workbook(tmp_path / "patched.xlsx")
    one_pass(patched)  # the first pass draws the Summary's chart, which only openpyxl does
    whole = shutil.copy(patched, tmp_path / "whole.xlsx")
    before = looks(patched)
    later = NOW + timedelta(hours=3)  # reminders, escalations and new figures to write
    calls: list[int] = []

    def counted(source: bytes, out: Any, cells: Any) -> None:
        calls.append(len(cells))
        patch_workbook(source, out, cells)

    monkeypatch.setattr(xlsx, "patch_workbook", counted)
    one_pass(patched, later)
    assert calls  # the pass took the changed-rows path
    with monkeypatch.context() as m:
        m.setattr(xlsx, "patch_workbook", _refuse)
        one_pass(whole, later)
    assert values(patched) == values(whole)
    after = looks(patched)
    assert after == looks(whole)
    assert {k: v for k, v in after.items() if k != "汇总"} == {
        k: v for k, v in before.items() if k != "汇总"
    }  # the Summary's first row grows: it is written
    styles = [[c.style_id for c in row] for row in openpyxl.load_workbook(patched)["需求登记"]]
    assert styles == [
        [c.style_id for c in row] for row in openpyxl.load_workbook(whole)["需求登记"]
    ]
    one_pass(patched)  # a second pass over a patched file: still the same as openpyxl's
    assert len(calls) == 2
    with monkeypatch.context() as m:
        m.setattr(xlsx, "patch_workbook", _refuse)
        one_pass(whole)
    assert values(patched) == values(whole)


def _refuse(*args: object) -> None:
    raise Unpatchable("forced")


def test_text_stays_text_and_styles_are_kept() -> None:
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:B2"/><sheetData><row r="1" spans="1:2"><c r="A1" s="3" t="s">'
        b'<v>0</v></c><c r="B1" s="4"/></row><row r="2"><c r="A2"><v>5</v></c></row>'
        b"</sheetData></worksheet>"
    )
    out = patch_sheet(xml, {(1, 1): "=1+1", (1, 0): None, (4, 2): 7, (3, 0): True})
    assert b'<c r="B1" s="4" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c>' in out
    assert b'<c r="A1" s="3"/>' in out
    assert b'<row r="3"><c r="A3" t="b"><v>1</v></c></row>' in out
    assert out.index(b'<row r="2">') < out.index(b'<row r="3">') < out.index(b'<row r="4">')
    assert b'<dimension ref="A1:C4"/>' in out
    assert b"spans" not in out


def test_what_it_cannot_write_goes_back_to_openpyxl(tmp_path: Path) -> None:
    path = sample_workbook(tmp_path / "t.xlsx")
    data = path.read_bytes()
    with pytest.raises(Unpatchable):
        patch_workbook(data, io.BytesIO(), {"需求登记": {(2, 0): NOW}})
    with pytest.raises(Unpatchable):
        patch_workbook(data, io.BytesIO(), {"no such tab": {(2, 0): "x"}})


def test_a_save_by_someone_else_during_a_changed_rows_pass_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The changed-rows write keeps the whole-file write's promise: a human save wins."""
    from sync.config import Settings
    from sync.resources import default_rules_dir
    from sync.worker import run_pass

    path = sample_workbook(tmp_path / "w.xlsx")
    settings = Settings(workbook=path, rules=default_rules_dir(), timezone=TZ)
    run_pass(XlsxBackend(path), settings, NOW)  # the chart is drawn: later passes can patch
    used: list[int] = []

    def counted(source: bytes, out: Any, cells: Any) -> None:
        used.append(len(cells))
        patch_workbook(source, out, cells)

    monkeypatch.setattr(xlsx, "patch_workbook", counted)
    original = XlsxBackend.apply
    rounds = {"n": 0}

    def human_saves_first(self: XlsxBackend, *args: Any) -> Any:
        rounds["n"] += 1
        if rounds["n"] == 1:  # another program saves the file between our read and our write
            book = openpyxl.load_workbook(path)
            ws = book["需求登记"]
            notes = [c.value for c in ws[1]].index("备注") + 1
            ws.cell(row=2, column=notes, value="钥匙在邻居家")
            book.save(path)
        return original(self, *args)

    monkeypatch.setattr(XlsxBackend, "apply", human_saves_first)
    result = run_pass(XlsxBackend(path), settings, NOW + timedelta(hours=3))
    assert result.attempts == 2 and used  # re-read, re-planned, written by the patch path
    rows = values(path)["需求登记"]
    notes = rows[0].index("备注")
    assert rows[1][notes] == "钥匙在邻居家"


def log_lines(n: int, tag: str = "") -> list[Any]:
    from sync.model import LogLine

    return [
        LogLine("2022-12-20 15:05", f"R-{i:04d}", "已通知", "", f"{tag}第 {i} 条") for i in range(n)
    ]


def test_log_lines_are_appended_without_loading_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notifier's Log lines go in as new rows of the file's XML; the rest stays as it was."""
    path = sample_workbook(tmp_path / "w.xlsx")
    one_pass(path)
    before_values, before_looks = values(path), looks(path)
    snapshot = XlsxBackend(path).read(SCHEMA)

    def no_load(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the append loaded the whole workbook")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", no_load)
    XlsxBackend(path).append_log(snapshot, log_lines(3), SCHEMA)
    monkeypatch.undo()
    after = values(path)
    log = before_values["同步日志"]
    assert after["同步日志"][: len(log)] == log
    assert [row[1:5] for row in after["同步日志"][len(log) :]] == [
        ["R-0000", "已通知", None, "第 0 条"],
        ["R-0001", "已通知", None, "第 1 条"],
        ["R-0002", "已通知", None, "第 2 条"],
    ]
    assert {t: v for t, v in after.items() if t != "同步日志"} == {
        t: v for t, v in before_values.items() if t != "同步日志"
    }
    assert looks(path) == before_looks


def test_a_save_by_someone_else_during_a_log_append_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves the file while Log lines are being added: their edit stays, and the lines
    are added once, to the file as they left it."""
    path = sample_workbook(tmp_path / "w.xlsx")
    one_pass(path)
    snapshot = XlsxBackend(path).read(SCHEMA)
    calls = {"n": 0}

    def human_saves_meanwhile(source: bytes, out: Any, cells: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            book = openpyxl.load_workbook(path)
            ws = book["需求登记"]
            notes = [c.value for c in ws[1]].index("备注") + 1
            ws.cell(row=2, column=notes, value="钥匙在邻居家")
            book["同步日志"].append(["2022-12-20 15:04", "", "人工记录", "", "电话已回访"])
            book.save(path)
        patch_workbook(source, out, cells)

    monkeypatch.setattr(xlsx, "patch_workbook", human_saves_meanwhile)
    XlsxBackend(path).append_log(snapshot, log_lines(2), SCHEMA)
    assert calls["n"] == 2  # the first write was refused (the file changed), the second landed
    after = values(path)
    notes = after["需求登记"][0].index("备注")
    assert after["需求登记"][1][notes] == "钥匙在邻居家"
    tail = [row[2:5] for row in after["同步日志"][-3:]]
    assert tail == [
        ["人工记录", None, "电话已回访"],
        ["已通知", None, "第 0 条"],
        ["已通知", None, "第 1 条"],
    ]


def test_a_log_tab_without_its_header_is_appended_by_openpyxl(tmp_path: Path) -> None:
    path = sample_workbook(tmp_path / "w.xlsx")
    one_pass(path)
    book = openpyxl.load_workbook(path)
    book.remove(book["同步日志"])
    book.create_sheet("同步日志")
    book.save(path)
    snapshot = XlsxBackend(path).read(SCHEMA)
    XlsxBackend(path).append_log(snapshot, log_lines(1), SCHEMA)
    log = values(path)["同步日志"]
    assert log[0][:3] == ["时间", "编号", "动作"] and log[1][1:3] == ["R-0000", "已通知"]


def test_a_log_append_to_a_missing_workbook_says_how_to_create_it(tmp_path: Path) -> None:
    from sync.errors import BackendError

    with pytest.raises(BackendError, match="no such workbook; create one with"):
        XlsxBackend(tmp_path / "gone.xlsx").append_log(None, log_lines(1), SCHEMA)  # type: ignore[arg-type]
