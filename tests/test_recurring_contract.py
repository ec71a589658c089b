"""Recurring requests, the daily report and the Summary chart on both backends (.xlsx and the
Sheets emulator through real gspread/google-auth), including crash-and-rerun of the write."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
from emulator import RecordedRequest, SheetsEmulator
from gsheets_dressing import mark_dressed
from gsheets_fixtures import (
    LOG,
    NOW,
    REQUESTS,
    RULES,
    SCHEMA,
    SUMMARY,
    TZ,
    SheetsWorld,
    World,
    XlsxWorld,
    column,
    request,
    volunteer,
    workbook,
)
from shown import shown

from sync.planner import build_plan

ID = column("requests", "id")
NAME = column("requests", "name")
STATUS = column("requests", "status")
SUBMITTED = column("requests", "submitted_at")
NOTE = column("requests", "sync_note")


def weekly_workbook() -> dict[str, list[list[Any]]]:
    """赵桂兰's first request (delivered) asks for vegetables every Monday."""
    origin = request("赵桂兰", id="R-0001", submitted_at="2022-12-13 09:00", household="独居",
                     repeat="每周一", volunteer="张伟", status="已送达",
                     assigned_at="2022-12-13 09:05", delivered_at="2022-12-13 10:00")  # fmt: skip
    return workbook([origin, request("周明", phone="13840001009")], [volunteer("张伟")])


def occurrences(world: World) -> list[tuple[Any, ...]]:
    return [
        (r[ID], shown(r[SUBMITTED]), r[STATUS])
        for r in world.values(REQUESTS)[1:]
        if len(r) > NAME and r[NAME] == "赵桂兰"
    ]


def test_an_occurrence_is_opened_once_whatever_the_number_of_passes(make: Any) -> None:
    world = make(weekly_workbook())
    first = world.run()
    assert [r.id for r in first.plan.new_rows] == ["R-0001/2022-12-19"]
    for minutes in (0, 5, 60):
        again = world.run(NOW + timedelta(minutes=minutes))
        assert not again.plan.new_rows
    rows = occurrences(world)
    assert rows == [
        ("R-0001", "2022-12-13 09:00", "已送达"),
        ("R-0001/2022-12-19", "2022-12-19 08:00", "已派单"),
    ]
    new = next(r for r in world.values(REQUESTS)[1:] if r[ID] == "R-0001/2022-12-19")
    assert "由 R-0001 定期生成" in new[NOTE]
    # appended below the last row, the other request untouched
    assert world.values(REQUESTS)[-1][ID] == "R-0001/2022-12-19"
    log = [line for line in world.values(LOG) if len(line) > 2 and line[2] == "定期生成"]
    assert len(log) == 1 and log[0][1] == "R-0001/2022-12-19"
    assert world.run().plan.is_empty()


def test_a_row_people_appended_meanwhile_is_not_overwritten(make: Any) -> None:
    world = make(weekly_workbook())
    original = world.backend.apply

    def person_appends_first(*args: Any) -> Any:
        world.backend.apply = original  # type: ignore[method-assign]
        world.edit(REQUESTS, lambda rows: rows.append(
            [None, "2022-12-20 14:58", "孙秀英", "13840001004", "创意社区", "x", "其他",
             "蔬菜食品", "白菜", "一般"]))  # fmt: skip
        return original(*args)

    world.backend.apply = person_appends_first  # type: ignore[method-assign]
    world.run()
    names = [r[NAME] for r in world.values(REQUESTS)[1:]]
    assert names.count("赵桂兰") == 2 and "孙秀英" in names
    assert world.run(NOW + timedelta(minutes=5)).plan.new_rows == ()


def test_the_daily_report_falls_due_once_after_the_set_time(make: Any) -> None:
    world = make(weekly_workbook())
    assert world.run().plan.report_due == ""  # 15:00, before 18:00
    evening = NOW.replace(hour=18, minute=5)
    due = world.run(evening)
    assert due.plan.report_due == "2022-12-20"
    assert not world.run(evening + timedelta(hours=1)).plan.report_due
    assert world.run(evening + timedelta(days=1)).plan.report_due == "2022-12-21"
    lines = [line for line in world.values(LOG) if len(line) > 2 and line[2] == "日报"]
    assert [line[1] for line in lines] == ["2022-12-20", "2022-12-21"]
    assert "重工街道2022-12-20互助日报" in lines[0][4]


def test_the_summary_has_one_chart_after_many_passes(make: Any) -> None:
    world = make(weekly_workbook())
    for minutes in (0, 5, 10):
        world.run(NOW + timedelta(minutes=minutes))
    summary = world.values(SUMMARY)
    assert summary[1][15:] == ["日期", "待派单", "信息不全", "待协调", "已派单", "配送中",
                               "已送达", "已取消"]  # fmt: skip
    assert summary[8][15] == "12-20"
    if isinstance(world, XlsxWorld):
        charts = openpyxl.load_workbook(world.path)[SUMMARY]._charts
        assert len(charts) == 1
        assert charts[0].grouping == "stacked" and len(charts[0].series) == 7
    else:
        assert isinstance(world, SheetsWorld)
        charts = world.emulator.sheet(world.sid, SUMMARY).charts
        assert len(charts) == 1
        basic = charts[0]["spec"]["basicChart"]
        assert basic["stackedType"] == "STACKED" and len(basic["series"]) == 7


def test_sheets_chart_is_added_within_the_four_requests(tmp_path: Path) -> None:
    """addChart goes in a structural request, which also answers with the tabs: the check
    before writing needs no batchGet of its own on that pass."""
    with SheetsEmulator() as emu:
        world = SheetsWorld(emu, tmp_path, weekly_workbook())
        mark_dressed(emu, world.sid)  # as init leaves it: this pass's topic is the chart alone
        start = len(emu.sheets_requests)
        world.run()
        kinds = [r.path.rsplit(":", 1)[-1] if ":" in r.path else "get" for r in
                 emu.sheets_requests[start:]]  # fmt: skip
        assert kinds == ["get", "batchGet", "batchUpdate", "batchUpdate"]
        assert [next(iter(r)) for r in emu.sheets_requests[start + 2].body["requests"]] == [
            "addChart"
        ]
        world.edit(REQUESTS, lambda rows: rows[2].__setitem__(NAME, "周明明"))
        start = len(emu.sheets_requests)
        world.run(NOW + timedelta(minutes=5))
        assert len(emu.sheets_requests[start:]) == 4  # the chart is there: back to four

        # someone moved the chart's data elsewhere and pasted a copy: fixed, not duplicated
        sheet = emu.sheet(world.sid, SUMMARY)
        chart = sheet.charts[0]
        chart["spec"]["basicChart"]["series"] = chart["spec"]["basicChart"]["series"][:2]
        sheet.charts.append({**chart, "chartId": 777})
        result = world.run(NOW + timedelta(minutes=10))
        assert result.applied is not None
        assert len(sheet.charts) == 1 and len(sheet.charts[0]["spec"]["basicChart"]["series"]) == 7
        requests = [next(iter(r)) for r in emu.sheets_requests[-2].body["requests"]]
        assert requests == ["deleteEmbeddedObject", "updateChartSpec"]
        # a new Summary tab gets its chart in the same request that adds the tab
        emu.spreadsheet(world.sid).sheets.remove(sheet)
        start = len(emu.sheets_requests)
        world.run(NOW + timedelta(minutes=15))
        batch = [r for r in emu.sheets_requests[start:] if r.path.endswith(":batchUpdate")
                 and "values" not in r.path]  # fmt: skip
        assert len(batch) == 1
        kinds = [next(iter(r)) for r in batch[0].body["requests"]]
        # the new tab is dressed in the same request (widths and the mark), then gets its chart
        assert kinds[0] == "addSheet" and kinds[-1] == "addChart"
        assert set(kinds[1:-1]) == {"updateDimensionProperties", "createDeveloperMetadata"}
        assert len(emu.sheet(world.sid, SUMMARY).charts) == 1


def test_sheets_write_that_landed_without_an_answer_does_not_duplicate_the_row(
    tmp_path: Path,
) -> None:
    with SheetsEmulator() as emu:
        world = SheetsWorld(emu, tmp_path, weekly_workbook(), timeout=0.5)
        world.seed_chart()
        mark_dressed(emu, world.sid)  # a steady pass: the one POST is the write itself
        world.backend.caller.sleep = lambda seconds: time.sleep(2.5)  # let the late write land

        def slow_write(call: RecordedRequest) -> None:
            if call.method == "POST":
                emu.before_request(None)
                emu.inject(delay=1.0)

        emu.before_request(slow_write)
        result = world.run()
        assert result.applied is not None
        assert [r.method for r in emu.sheets_requests].count("POST") == 1
        assert len(occurrences(world)) == 2
        assert not world.run(NOW + timedelta(minutes=1)).plan.new_rows
        assert len(occurrences(world)) == 2


def test_sheets_rerun_of_a_stale_plan_skips_the_row_already_written(tmp_path: Path) -> None:
    """A pass that crashed after its write landed, replayed from its old snapshot."""
    with SheetsEmulator() as emu:
        world = SheetsWorld(emu, tmp_path, weekly_workbook())
        snapshot = world.backend.read(SCHEMA)
        plan = build_plan(snapshot, RULES, NOW, TZ, SCHEMA)
        world.backend.apply(snapshot, plan, SCHEMA)
        again = world.backend.apply(snapshot, plan, SCHEMA)  # the same stale plan, rerun
        assert len(occurrences(world)) == 2
        assert again.log_lines < len(plan.log)  # the opening was not logged twice
        opened = [line for line in world.values(LOG) if len(line) > 2 and line[2] == "定期生成"]
        assert len(opened) == 1
