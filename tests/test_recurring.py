"""Recurring requests: reading the Repeat cell, opening each occurrence once, crash and rerun."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from builders import NOW, RULES, SCHEMA, TZ, apply_in_memory, grid, request, snapshot_of, volunteer

from sync.messages import say
from sync.model import Plan
from sync.planner import build_plan
from sync.recurrence import describe, is_readable, parse_repeat
from sync.rules import Rules

REQUESTS = "需求登记"


# -- the Repeat cell ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("每周一", "每周一", "every Mon"),
        ("每星期一", "每周一", "every Mon"),
        ("周一", "每周一", "every Mon"),
        ("每周一、四", "每周一、四", "every Mon, Thu"),
        ("每周一和周四", "每周一、四", "every Mon, Thu"),
        ("每周一,周四", "每周一、四", "every Mon, Thu"),
        ("每天", "每天", "daily"),
        ("每日", "每天", "daily"),
        ("每3天", "每3天", "every 3 days"),
        ("每隔三天", "每3天", "every 3 days"),
        ("每两周", "每2周的周二", "every 2 weeks on Tue"),  # the first request was a Tuesday
        ("每周", "每周二", "every Tue"),
        ("每月1日", "每月1日", "monthly on day 1"),
        ("每月15号", "每月15日", "monthly on day 15"),
        ("周末", "每周六、日", "every Sat, Sun"),
        ("每周一 9:00", "每周一 09:00", "every Mon 09:00"),
        ("每天下午3点半", "每天 15:30", "daily 15:30"),
        ("ＥＶＥＲＹ　ＭＯＮＤＡＹ", "每周一", "every Mon"),  # full-width
        ("every Monday", "每周一", "every Mon"),
        ("Mondays", "每周一", "every Mon"),
        ("weekly on Monday", "每周一", "every Mon"),
        ("every Monday and Thursday", "每周一、四", "every Mon, Thu"),
        ("every Mon, Thu", "每周一、四", "every Mon, Thu"),
        ("daily", "每天", "daily"),
        ("every day", "每天", "daily"),
        ("every 3 days", "每3天", "every 3 days"),
        ("every other day", "每2天", "every 2 days"),
        ("monthly on the 1st", "每月1日", "monthly on day 1"),
        ("every Monday at 9pm", "每周一 21:00", "every Mon 21:00"),
        ("every monday 9am", "每周一 09:00", "every Mon 09:00"),
    ],
)
def test_repeat_cells_people_type(text: str, zh: str, en: str) -> None:
    schedule = parse_repeat(text, date(2022, 12, 20))
    assert schedule is not None
    assert (describe(schedule, "zh"), describe(schedule, "en")) == (zh, en)
    assert is_readable(text)


@pytest.mark.parametrize(
    "text", ["每周八", "每月32日", "每周一 25:00", "sometimes", "every blue moon", "每0天", 3]
)
def test_unreadable_repeat_cells(text: Any) -> None:
    assert parse_repeat(text, date(2022, 12, 20)) is None
    assert not is_readable(text)


@pytest.mark.parametrize(
    ("text", "until", "latest"),
    [
        ("每周一", date(2022, 12, 20), date(2022, 12, 19)),
        ("每周一", date(2022, 12, 19), date(2022, 12, 19)),
        ("每周一", date(2022, 12, 18), None),  # the first request was on 12-13, nothing since
        ("每3天", date(2022, 12, 20), date(2022, 12, 19)),
        ("每天", date(2022, 12, 13), None),
        ("每月31日", date(2023, 2, 28), date(2023, 2, 28)),  # a short month: its last day
        ("每两周", date(2022, 12, 30), date(2022, 12, 27)),
    ],
)
def test_latest_occurrence(text: str, until: date, latest: date | None) -> None:
    schedule = parse_repeat(text, date(2022, 12, 13))
    assert schedule is not None
    assert schedule.latest(until, date(2022, 12, 13)) == latest


# -- opening occurrences ------------------------------------------------------------------------
def tabs_with(*requests: dict[str, Any], locale: str = "zh") -> dict[str, list[list[Any]]]:
    volunteers = [volunteer("段珊珊", max_open=5)]
    if locale == "en":
        volunteers = [volunteer("Duan", communities="创意社区", role="resident", active="yes",
                                hours="24h", max_open=5)]  # fmt: skip
        return {
            "Requests": grid("requests", requests, "en"),
            "Volunteers": grid("volunteers", volunteers, "en"),
            "Stock": grid("stock", [], "en"),
        }
    return {"需求登记": grid("requests", requests), "志愿者": grid("volunteers", volunteers),
            "共享物资": grid("stock", [])}  # fmt: skip


def weekly(**fields: Any) -> dict[str, Any]:
    """赵桂兰 lives alone and needs vegetables every Monday; her first request was delivered."""
    row = request("赵桂兰", id="R-0001", submitted_at="2022-12-13 09:00", household="独居",
                  items="白菜、土豆", notes="请敲门", repeat="每周一", volunteer="段珊珊",
                  status="已送达", assigned_at="2022-12-13 09:05",
                  delivered_at="2022-12-13 10:00")  # fmt: skip
    row.update(fields)
    return row


def plan_of(tabs: dict[str, list[list[Any]]], now: Any = NOW, rules: Rules = RULES) -> Plan:
    return build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)


def rows_named(
    tabs: dict[str, list[list[Any]]], name: str, title: str = REQUESTS
) -> list[dict[str, Any]]:
    header = tabs[title][0]
    keys = SCHEMA.tab("requests").keys()
    found = []
    for row in tabs[title][1:]:
        cells = dict(zip(keys, row + [None] * (len(keys) - len(row)), strict=False))
        if cells.get("name") == name:
            found.append(cells)
    assert header
    return found


def test_a_weekly_request_opens_its_next_monday_once_with_the_residents_details() -> None:
    tabs = tabs_with(weekly())
    plan = plan_of(tabs)
    assert [r.id for r in plan.new_rows] == ["R-0001/2022-12-19"]
    new = plan.new_rows[0]
    assert new.get("name") == "赵桂兰" and new.get("phone") == "13840001005"
    assert new.get("items") == "白菜、土豆" and new.get("notes") == "请敲门"
    assert new.get("household") == "独居" and new.get("repeat") is None
    assert new.get("submitted_at") == "2022-12-19 08:00"  # the occurrence's time, not the pass's
    # planned like any request in the same pass: scored, assigned, noted
    assert new.get("status") == "已派单" and new.get("volunteer") == "段珊珊"
    note = str(new.get("sync_note"))
    assert "由 R-0001 定期生成" in note and "独居 +50" in note
    assert any(line.ref == "R-0001/2022-12-19" and line.action == "定期生成" for line in plan.log)
    assert plan.stats["recurring"] == 1
    origin_note = {c.column: c.new for c in plan.changes if c.anchor.id == "R-0001"}["sync_note"]
    assert "定期需求：每周一" in str(origin_note) and "R-0001/2022-12-19" in str(origin_note)

    once = apply_in_memory(tabs, plan)
    assert len(rows_named(once, "赵桂兰")) == 2
    for later in (NOW, NOW + timedelta(hours=3), NOW + timedelta(days=2)):
        again = plan_of(once, later)
        assert not again.new_rows, later
    assert plan_of(once).is_empty(), plan_of(once).changes[:3]


def test_the_next_occurrence_waits_for_the_previous_one_to_close() -> None:
    tabs = tabs_with(weekly())
    once = apply_in_memory(tabs, plan_of(tabs))
    next_monday = NOW + timedelta(days=6)  # 2022-12-26 15:00; R-0001/2022-12-19 is still assigned
    waiting = plan_of(once, next_monday)
    assert not waiting.new_rows
    origin = {c.column: c.new for c in waiting.changes if c.anchor.id == "R-0001"}
    assert "等 R-0001/2022-12-19 办结后生成" in str(origin["sync_note"])
    # once delivered, the Monday occurrence opens (late, still dated Monday 08:00)
    status = SCHEMA.tab("requests").keys().index("status")
    for row in once[REQUESTS][1:]:
        if row[0] == "R-0001/2022-12-19":
            row[status] = "已送达"
    opened = plan_of(once, next_monday)
    assert [(r.id, r.get("submitted_at")) for r in opened.new_rows] == [
        ("R-0001/2022-12-26", "2022-12-26 08:00")
    ]


def test_without_waiting_each_due_occurrence_opens_even_if_the_last_is_open() -> None:
    from dataclasses import replace

    tabs = tabs_with(weekly(status="已派单", delivered_at=""))
    assert not plan_of(tabs).new_rows
    eager = replace(RULES, recurring_wait=False)
    assert [r.id for r in plan_of(tabs, rules=eager).new_rows] == ["R-0001/2022-12-19"]
    assert not plan_of(tabs, rules=replace(RULES, recurring_on=False)).new_rows


def test_opening_ahead_of_time() -> None:
    from dataclasses import replace

    tabs = tabs_with(weekly(repeat="每周三 09:00", submitted_at="2022-12-15 09:00"))
    assert not plan_of(tabs).new_rows  # Wednesday 09:00 is tomorrow
    early = replace(RULES, recurring_ahead_hours=24)
    assert [r.get("submitted_at") for r in plan_of(tabs, rules=early).new_rows] == [
        "2022-12-21 09:00"
    ]


def test_missed_occurrences_are_not_back_filled() -> None:
    tabs = tabs_with(weekly(repeat="每天", submitted_at="2022-12-01 09:00"))
    assert [r.id for r in plan_of(tabs).new_rows] == ["R-0001/2022-12-20"]


def test_a_deleted_occurrence_is_not_opened_again() -> None:
    tabs = tabs_with(weekly())
    once = apply_in_memory(tabs, plan_of(tabs))
    once[REQUESTS] = [r for r in once[REQUESTS] if r[0] != "R-0001/2022-12-19"]
    assert not plan_of(once).new_rows  # the Log remembers it


def test_a_request_numbered_this_pass_opens_at_once_but_only_with_its_id() -> None:
    from sync.placement import place_new_rows

    tabs = tabs_with(weekly(id=None))
    first = plan_of(tabs)
    assert [r.id for r in first.new_rows] == ["R-0001/2022-12-19"]
    numbering = [c for c in first.changes if c.column == "id" and c.new == "R-0001"]
    assert first.new_rows[0].depends_on == numbering[0].anchor
    # when the origin's changes are deferred (a person edited it meanwhile), so is the new row
    cells, skipped = place_new_rows(first, snapshot_of(tabs), {}, numbering)
    assert not cells and skipped == {"R-0001/2022-12-19"}
    once = apply_in_memory(tabs, first)
    assert plan_of(once).is_empty()


def test_an_unreadable_repeat_cell_is_a_row_problem_in_the_sheets_language() -> None:
    tabs = tabs_with(request("钱德明", repeat="每周八"))
    plan = plan_of(tabs)
    got = {c.column: c.new for c in plan.changes if c.anchor.row == 2}
    assert got["status"] == "信息不全"
    assert "重复「每周八」无法识别" in str(got["sync_note"])
    assert any("每周八" in p for p in plan.problems)
    assert not plan.new_rows

    en = tabs_with(request("Qian", repeat="every blue moon", community="创意社区",
                           household="other", category="food", urgency="normal"),
                   locale="en")  # fmt: skip
    note = {c.column: c.new for c in plan_of(en).changes if c.anchor.row == 2}["sync_note"]
    assert "Repeat 'every blue moon' not readable" in str(note)


def test_an_english_sheet_opens_mondays_and_thursdays() -> None:
    origin = weekly(repeat="every Monday and Thursday", household="living alone",
                    category="food", urgency="normal", status="delivered")  # fmt: skip
    origin["volunteer"] = "Duan"
    tabs = tabs_with(origin, locale="en")
    plan = plan_of(tabs, NOW + timedelta(days=2))  # Thursday 2022-12-22 15:00
    assert [r.id for r in plan.new_rows] == ["R-0001/2022-12-22"]
    new = plan.new_rows[0]
    assert new.get("status") == "assigned"
    assert "Opened by the schedule of R-0001" in str(new.get("sync_note"))
    assert plan.log[0].action == "repeat opened"


def test_a_crash_after_the_new_row_landed_does_not_open_it_twice() -> None:
    tabs = tabs_with(weekly())
    plan = plan_of(tabs)
    # the row landed but nothing else did (the worst case a partial write could leave)
    partial = apply_in_memory(
        tabs, Plan(new_rows=plan.new_rows, new_tabs=plan.new_tabs, time=plan.time)
    )
    assert len(rows_named(partial, "赵桂兰")) == 2
    rerun = plan_of(partial)
    assert not rerun.new_rows
    # and a stale plan written again over it skips the row that is already there
    from sync.placement import place_new_rows

    cells, skipped = place_new_rows(plan, snapshot_of(partial), {})
    assert not cells and skipped == {"R-0001/2022-12-19"}
    converged = apply_in_memory(partial, rerun)
    assert len(rows_named(converged, "赵桂兰")) == 2
    assert plan_of(converged).is_empty()


def test_two_series_open_side_by_side_and_the_plan_is_deterministic() -> None:
    tabs = tabs_with(
        weekly(),
        weekly(id="R-0002", name="孙秀英", phone="13840001004", repeat="每3天"),
    )
    plan = plan_of(tabs)
    assert [r.id for r in plan.new_rows] == ["R-0001/2022-12-19", "R-0002/2022-12-19"]
    assert plan == plan_of(tabs)


def test_dry_run_shows_the_row_it_would_append() -> None:
    from sync.output import describe_changes

    tabs = tabs_with(weekly())
    lines = describe_changes(snapshot_of(tabs), plan_of(tabs))
    start = lines.index("「需求登记」表：新增一行 R-0001/2022-12-19（定期生成）")
    shown = "\n".join(lines[start:])
    assert "居民姓名：「赵桂兰」" in shown and "登记时间：「2022-12-19 08:00」" in shown
    assert "原因：由 R-0001 定期生成" in shown


def test_opening_an_occurrence_keeps_the_summary_row_it_restates_whole() -> None:
    """The "this pass" line counts the occurrence opened; the cells beside it on that row (the
    per-day table and the chart's first day) stay as the Summary laid them out."""
    tabs = tabs_with(weekly())
    plan = plan_of(tabs)
    assert plan.new_rows
    did = say("zh", "summary_did")
    row = next(r for r in plan.summary if r and r[0] == did)
    quiet = plan_of(tabs_with(weekly(repeat=None)))
    before = next(r for r in quiet.summary if r and r[0] == did)
    assert len(row) == len(before) and len(row) > 2
    assert row[15] == before[15] != ""  # the per-day table's first date


def test_an_opened_occurrence_lands_below_a_row_someone_left_with_only_spaces() -> None:
    from sync.placement import place_new_rows, table_last_row

    tabs = tabs_with(weekly())
    width = len(tabs[REQUESTS][0])
    tabs[REQUESTS].append([None] * (width - 2) + ["  ", None])  # a space typed at row 3
    plan = plan_of(tabs)
    assert [r.id for r in plan.new_rows] == ["R-0001/2022-12-19"]
    current = snapshot_of(tabs)
    cells, _ = place_new_rows(plan, current, {})
    # the Log lands by the same rule, so the two never disagree about the last row
    assert table_last_row(current.table("requests")) == 3
    assert {row for _, row, _, _ in cells} == {4}  # the spaces row is not written over
