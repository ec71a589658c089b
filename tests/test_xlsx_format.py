"""The local workbook as people see it: widths, wrapped notes, a frozen header, the worker's
columns shaded down the whole column, and the worker's times as real date-time cells."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import NOW, SCHEMA, TZ, request, save_workbook, settings_for, volunteer, zh_tabs
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.xlsx import XlsxBackend
from sync.backends.xlsx import backend as xlsx
from sync.backends.xlsx.patch import Unpatchable, patch_workbook
from sync.backends.xlsx.rows import LINE_HEIGHT, MOST_LINES
from sync.model import MOMENT_PATTERN
from sync.worker import run_pass

SHADE = "E8EEF7"
AT = "2022-12-20T15:00"


def aidsync(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=180,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def col_of(ws: Worksheet, header: str) -> int:
    """1-based column of a header in row 1."""
    return [c.value for c in ws[1]].index(header) + 1


def shaded(cell: Any) -> bool:
    return str(cell.fill.fgColor.rgb).endswith(SHADE)


def sample(tmp_path: Path) -> Path:
    book = tmp_path / "w.xlsx"
    out = aidsync("init", "--workbook", str(book), "--sample", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return book


def test_init_dresses_every_tab_as_people_read_it(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample(tmp_path))
    ws = book["需求登记"]
    assert ws.freeze_panes == "A2"
    note = col_of(ws, "系统提示")
    letter = ws.cell(row=1, column=note).column_letter
    assert ws.column_dimensions[letter].width == 44  # the "why": wide, and wrapped
    assert all(ws.cell(row=r, column=note).alignment.wrap_text for r in range(2, ws.max_row + 1))
    address = ws.cell(row=1, column=col_of(ws, "地址")).column_letter
    assert ws.column_dimensions[address].width == 24
    assert ws.cell(row=2, column=col_of(ws, "地址")).alignment.wrap_text
    # the worker's columns are shaded down the whole column: header, every row, and (through
    # the column's own style) rows people add later; people's columns are not
    for header in ("编号", "优先级", "派单时间", "系统提示"):
        c = col_of(ws, header)
        assert all(shaded(ws.cell(row=r, column=c)) for r in range(1, ws.max_row + 1)), header
        assert shaded(ws.column_dimensions[ws.cell(row=1, column=c).column_letter])
    assert not shaded(ws.cell(row=2, column=col_of(ws, "居民姓名")))
    # a column of times shows them as times
    for header in ("派单时间", "送达时间", "登记时间"):
        letter = ws.cell(row=1, column=col_of(ws, header)).column_letter
        assert ws.column_dimensions[letter].number_format == MOMENT_PATTERN
    # a Chinese team name fits its column (a Chinese character counts two)
    team = book["志愿者"].cell(row=1, column=col_of(book["志愿者"], "所属团队")).column_letter
    assert book["志愿者"].column_dimensions[team].width >= 14
    log = book["同步日志"]
    assert log.freeze_panes == "A2" and log.column_dimensions["A"].number_format == MOMENT_PATTERN
    summary = book["汇总"]
    assert summary.column_dimensions["A"].width >= 16 and summary.column_dimensions["B"].width >= 17


def test_the_worker_writes_real_times_and_a_second_pass_writes_nothing(tmp_path: Path) -> None:
    path = sample(tmp_path)
    first = aidsync("sync", "--workbook", str(path), "--now", AT, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    book = openpyxl.load_workbook(path)
    ws = book["需求登记"]
    assigned = [ws.cell(row=r, column=col_of(ws, "派单时间")) for r in range(2, ws.max_row + 1)]
    stamped = [c for c in assigned if c.value is not None]
    assert stamped, "the pass assigned someone"
    assert all(isinstance(c.value, datetime) and c.number_format == MOMENT_PATTERN
               for c in stamped)  # fmt: skip
    assert datetime(2022, 12, 20, 15, 0) in [c.value for c in stamped]
    volunteers = book["志愿者"]
    last = [volunteers.cell(row=r, column=col_of(volunteers, "最近派单"))
            for r in range(2, volunteers.max_row + 1)]  # fmt: skip
    assert any(c.value == datetime(2022, 12, 20, 15, 0) for c in last)
    log = book["同步日志"]
    times = [log.cell(row=r, column=1) for r in range(2, log.max_row + 1)]
    assert times and all(isinstance(c.value, datetime) for c in times)
    assert all(c.number_format == MOMENT_PATTERN for c in times)
    summary = book["汇总"]
    moments = [c for row in summary.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert [c.value for c in moments] == [datetime(2022, 12, 20, 15, 0)]  # the last pass
    assert moments[0].number_format == MOMENT_PATTERN
    dry = aidsync("sync", "--workbook", str(path), "--now", AT, "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "派单时间" not in dry.stdout and "最近派单" not in dry.stdout  # no time to rewrite
    second = aidsync("sync", "--workbook", str(path), "--now", AT, cwd=tmp_path)
    assert second.returncode == 0, second.stderr  # only the Summary's "this pass" line changes
    before = digest(path)
    third = aidsync("sync", "--workbook", str(path), "--now", AT, cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert digest(path) == before  # the times read back as the minutes written


@pytest.mark.parametrize("path_taken", ["changed rows", "openpyxl"])
def test_times_read_back_equal_on_either_write_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str
) -> None:
    path = sample(tmp_path)
    run_pass(XlsxBackend(path), settings_for(path), NOW)  # dressed, the chart drawn
    later = NOW.replace(hour=18)
    used: list[int] = []

    def counted(source: bytes, out: Any, cells: Any) -> None:
        used.append(1)
        patch_workbook(source, out, cells)

    def refuse(*args: object) -> None:
        raise Unpatchable("forced")

    monkeypatch.setattr(xlsx, "patch_workbook", counted if path_taken == "changed rows" else refuse)
    result = run_pass(XlsxBackend(path), settings_for(path), later)
    assert result.applied is not None and result.applied.written > 0
    assert bool(used) == (path_taken == "changed rows")
    summary = openpyxl.load_workbook(path)["汇总"]
    moments = [c for row in summary.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert [c.value for c in moments] == [datetime(2022, 12, 20, 18, 0)]
    assert moments[0].number_format == MOMENT_PATTERN
    log = openpyxl.load_workbook(path)["同步日志"]
    last = log.cell(row=log.max_row, column=1)
    assert last.value == datetime(2022, 12, 20, 18, 0) and last.number_format == MOMENT_PATTERN
    again = run_pass(XlsxBackend(path), settings_for(path), later)
    assert again.plan.is_empty()  # nothing to rewrite: the times read back as written
    before = digest(path)
    run_pass(XlsxBackend(path), settings_for(path), later)
    assert digest(path) == before


@pytest.mark.parametrize("path_taken", ["changed rows", "openpyxl"])
def test_rows_grow_to_show_the_whole_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_taken: str
) -> None:
    """Office suites wrap a note but open a file with rows one line tall: the writer sets the
    height each written row's wrapped cells need, so the "why" shows whole."""
    path = sample(tmp_path)
    if path_taken == "openpyxl":
        monkeypatch.setattr(xlsx, "patch_workbook", _refuse)
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    ws = openpyxl.load_workbook(path)["需求登记"]
    note = col_of(ws, "系统提示")
    tall = 0
    for r in range(2, ws.max_row + 1):
        text = ws.cell(row=r, column=note).value or ""
        lines = text.count("\n") + 1
        height = ws.row_dimensions[r].height
        if lines > 1:
            assert height is not None and height >= LINE_HEIGHT * min(lines, MOST_LINES), r
            tall += 1
    assert tall >= 3


def _refuse(*args: object) -> None:
    raise Unpatchable("forced")


def test_a_row_people_add_later_is_shaded_and_shows_its_times(tmp_path: Path) -> None:
    path = sample(tmp_path)
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    book = openpyxl.load_workbook(path)
    ws = book["需求登记"]
    row = ws.max_row + 1
    typed = request("新来的", phone="13840001999")
    for key, value in typed.items():
        ws.cell(row=row, column=SCHEMA.tab("requests").keys().index(key) + 1, value=value)
    book.save(path)  # typed by a tool that gives new cells no style
    used: list[int] = []
    original = xlsx.patch_workbook

    def counted(source: bytes, out: Any, cells: Any) -> None:
        used.append(1)
        original(source, out, cells)

    mp = pytest.MonkeyPatch()
    mp.setattr(xlsx, "patch_workbook", counted)
    try:
        run_pass(XlsxBackend(path), settings_for(path), NOW.replace(minute=5))
    finally:
        mp.undo()
    assert used  # the changed-rows writer added the worker's cells
    ws = openpyxl.load_workbook(path)["需求登记"]
    for header in ("编号", "优先级", "系统提示"):
        cell = ws.cell(row=row, column=col_of(ws, header))
        assert cell.value is not None and shaded(cell), header
    assert ws.cell(row=row, column=col_of(ws, "系统提示")).alignment.wrap_text


def test_a_workbook_without_the_dressing_gets_it_once_keeping_peoples_widths(
    tmp_path: Path,
) -> None:
    path = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    book = openpyxl.load_workbook(path)
    book["需求登记"].column_dimensions["C"].width = 33  # someone widened 居民姓名
    book.save(path)
    assert XlsxBackend(path).read(SCHEMA).unformatted >= {"requests", "volunteers"}
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    assert XlsxBackend(path).read(SCHEMA).unformatted == frozenset()
    ws = openpyxl.load_workbook(path)["需求登记"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width == 33
    note = ws.cell(row=1, column=col_of(ws, "系统提示")).column_letter
    assert ws.column_dimensions[note].width == 44
    assert shaded(ws.cell(row=2, column=col_of(ws, "系统提示")))
    assert isinstance(ws.cell(row=2, column=col_of(ws, "派单时间")).value, datetime)


def test_a_human_edit_during_a_pass_that_writes_times_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample(tmp_path)
    run_pass(XlsxBackend(path), settings_for(path), NOW)
    original = XlsxBackend.apply
    rounds = {"n": 0}

    def human_saves_first(self: XlsxBackend, *args: Any) -> Any:
        rounds["n"] += 1
        if rounds["n"] == 1:  # someone saves between the read and the write
            book = openpyxl.load_workbook(path)
            ws = book["需求登记"]
            ws.cell(row=2, column=col_of(ws, "备注")).value = "门口放着就行"
            book.save(path)
        return original(self, *args)

    monkeypatch.setattr(XlsxBackend, "apply", human_saves_first)
    result = run_pass(XlsxBackend(path), settings_for(path), NOW.replace(hour=17))
    assert rounds["n"] == 2 and result.applied is not None
    ws = openpyxl.load_workbook(path)["需求登记"]
    assert ws.cell(row=2, column=col_of(ws, "备注")).value == "门口放着就行"
    summary = openpyxl.load_workbook(path)["汇总"]
    assert datetime(2022, 12, 20, 17, 0) in [c.value for row in summary.iter_rows() for c in row]


def test_time_zone_of_the_pass_is_the_offices(tmp_path: Path) -> None:
    """A naive date-time cell is the office's wall clock: the pass at 15:00 Shanghai writes 15:00."""
    path = sample(tmp_path)
    run_pass(XlsxBackend(path), settings_for(path), NOW.astimezone(TZ))
    log = openpyxl.load_workbook(path)["同步日志"]
    assert log.cell(row=2, column=1).value == datetime(2022, 12, 20, 15, 0)


def test_a_time_lands_as_one_in_a_workbook_with_no_date_style(tmp_path: Path) -> None:
    """The changed-rows writer adds the date-time twin of a cell's style when the workbook has
    none (an office suite's own file), instead of writing a number that shows as 44915.625."""
    book = openpyxl.Workbook()
    book.active.title = "日志"
    book.active["A1"] = "时间"
    book.active["B1"].font = openpyxl.styles.Font(bold=True)
    source = tmp_path / "plain.xlsx"
    book.save(source)
    out = tmp_path / "patched.xlsx"
    moment = datetime(2022, 12, 20, 15, 0)
    with out.open("wb") as handle:
        patch_workbook(source.read_bytes(), handle, {"日志": {(2, 0): moment, (1, 1): moment,
                                                               (3, 0): 7}})  # fmt: skip
    ws = openpyxl.load_workbook(out)["日志"]
    assert ws["A2"].value == moment and ws["A2"].number_format == MOMENT_PATTERN
    assert ws["B1"].value == moment and ws["B1"].number_format == MOMENT_PATTERN
    assert ws["B1"].font.b  # the cell's own look kept
    assert ws["A3"].value == 7 and not ws["A3"].is_date


def test_the_dressing_is_told_by_styled_columns_as_office_suites_save_them() -> None:
    """LibreOffice writes style="0" on every plain column and may drop a frozen pane (its
    headless conversion does); aidsync's earlier versions styled no column."""
    from sync.backends.xlsx.dress import dressed_part

    plain_lo = (b'<sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col collapsed="false"'
                b' customWidth="true" max="1" min="1" style="0" width="13"/></cols>')  # fmt: skip
    dressed_lo = plain_lo.replace(b'style="0"', b'style="15"')
    old_init = (b'<sheetViews><sheetView><pane ySplit="1" topLeftCell="A2" state="frozen"/>'
                b'</sheetView></sheetViews><cols><col width="10" customWidth="1" min="1" max="1"/>'
                b"</cols>")  # fmt: skip
    assert not dressed_part(plain_lo, "requests")
    assert dressed_part(dressed_lo, "requests")
    assert not dressed_part(old_init, "requests")  # dressed again by the next pass
    assert dressed_part(plain_lo, "summary") and not dressed_part(b"<sheetViews/>", "summary")
