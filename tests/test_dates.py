"""Dates typed without a year, and Submitted times that are unlikely to be what was meant."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from builders import (
    RULES,
    SCHEMA,
    TZ,
    read_workbook,
    request,
    save_workbook,
    snapshot_of,
    volunteer,
    zh_tabs,
)
from hypothesis import given
from hypothesis import strategies as st

from sync.planner import build_plan
from sync.values import parse_datetime, typed_without_year


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("typed", "now", "expected"),
    [
        # the case: typed on 2 December, this year's 20 December has not come
        ("12月20日", "2022-12-02 10:00", "2021-12-20 00:00"),
        ("12/20 14:40", "2022-12-20 09:00", "2022-12-20 14:40"),  # today, later: still today
        ("12月21日", "2022-12-20 23:59", "2021-12-21 00:00"),  # tomorrow has not come either
        ("12月30日", "2023-01-02 08:00", "2022-12-30 00:00"),  # across new year
        ("1月2日 9:05", "2023-01-02 08:00", "2023-01-02 09:05"),
        ("2月29日", "2023-03-01 12:00", "2020-02-29 00:00"),  # back to the last leap year
        ("2月29日", "2024-03-01 12:00", "2024-02-29 00:00"),
        ("2022年12月25日", "2022-12-20 12:00", "2022-12-25 00:00"),  # a written year is kept
        ("2022-12-25 10:00", "2022-12-20 12:00", "2022-12-25 10:00"),
    ],
)
def test_a_date_without_a_year_is_the_latest_such_day_not_after_today(
    typed: str, now: str, expected: str
) -> None:
    assert parse_datetime(typed, TZ, at(now)) == at(expected)


@pytest.mark.parametrize("typed", ["2月30日", "13/01", "12月20日 25:00"])
def test_a_day_no_year_has_is_unreadable(typed: str) -> None:
    assert parse_datetime(typed, TZ, at("2022-12-20 12:00")) is None


@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)),
    st.dates(min_value=date(2004, 1, 1), max_value=date(2090, 12, 31)),
)
def test_a_yearless_date_is_never_after_today_and_never_further_back_than_needed(
    typed: date, today: date
) -> None:
    now = datetime(today.year, today.month, today.day, 12, 0, tzinfo=TZ)
    read = parse_datetime(f"{typed.month}月{typed.day}日", TZ, now)
    assert read is not None
    assert (read.month, read.day) == (typed.month, typed.day)
    assert read.date() <= today
    # no later year would still be on or before today
    later = read.year + (4 if (typed.month, typed.day) == (2, 29) else 1)
    assert date(later, typed.month, typed.day) > today


def plan_of(rows: list[dict[str, Any]], now: datetime, rules: Any = RULES) -> Any:
    tabs = zh_tabs(rows, [volunteer("段珊珊")])
    return build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)


def notes_of(plan: Any) -> list[str]:
    return [str(c.new) for c in plan.changes if c.tab == "requests" and c.column == "sync_note"]


def test_a_date_typed_without_a_year_read_as_last_year_gets_a_note_not_a_huge_wait() -> None:
    plan = plan_of([request("甲", submitted_at="12月20日 10:00")], at("2022-12-02 10:00"))
    (note,) = notes_of(plan)
    assert "登记时间没写年份，读作 2021-12-20 10:00，已是 30 多天前" in note
    assert "写上年份" in note
    assert "分钟 +" not in note  # no 已等待 500119 分钟 priority line


def test_a_submitted_time_in_the_future_gets_a_note() -> None:
    now = at("2022-12-20 15:00")
    (note,) = notes_of(plan_of([request("甲", submitted_at="2022-12-20 18:00")], now))
    assert "登记时间读作 2022-12-20 18:00，还没到" in note
    # a minute or two ahead is the clock, not a mistake
    (fine,) = notes_of(plan_of([request("甲", submitted_at="2022-12-20 15:02")], now))
    assert "还没到" not in fine and "派给 段珊珊" in fine


def test_an_english_sheet_gets_the_note_in_english() -> None:
    tabs = zh_tabs([request("甲", submitted_at="10/01 09:00")], [volunteer("段珊珊")])
    english = dataclasses.replace(snapshot_of(tabs), locale="en")
    plan = build_plan(english, RULES, at("2022-12-20 15:00"), TZ, SCHEMA)
    (note,) = notes_of(plan)
    assert "has no year and reads as 2022-10-01 09:00, more than 30 days ago" in note


def test_a_request_with_its_year_written_may_have_waited_long_without_a_note() -> None:
    """A written year says what was meant: the request is assigned, not held for a note."""
    plan = plan_of([request("甲", submitted_at="2022-10-01 09:00")], at("2022-12-20 15:00"))
    (note,) = notes_of(plan)
    assert "30 多天前" not in note and "派给 段珊珊" in note


def test_closed_requests_from_long_ago_get_no_note() -> None:
    old = request("甲", submitted_at="9月1日 09:00", status="已送达", volunteer="段珊珊",
                  assigned_at="2022-09-01 09:10", delivered_at="2022-09-01 10:00")  # fmt: skip
    plan = plan_of([old], at("2022-12-20 15:00"))
    assert not any("30 多天前" in n for n in notes_of(plan))
    assert plan.problems == ()


def test_a_recurring_occurrence_opened_ahead_of_time_gets_no_note() -> None:
    ahead = dataclasses.replace(RULES, recurring_ahead_hours=12)
    row = request("甲", id="R-0001/2022-12-21", submitted_at="2022-12-21 08:00", status="待派单")
    plan = plan_of([row], at("2022-12-20 22:00"), ahead)
    assert not any("还没到" in n for n in notes_of(plan))


def test_sync_writes_the_note_into_the_workbook(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx",
                         zh_tabs([request("甲", submitted_at="12月20日")], [volunteer("段珊珊")]))  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    out = subprocess.run(
        [sys.executable, "-m", "sync", "sync", "--workbook", str(book),
         "--now", "2022-12-02T10:00:00+08:00"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = read_workbook(book)["需求登记"]
    note = rows[1][rows[0].index("系统提示")]
    assert "登记时间没写年份，读作 2021-12-20 00:00，已是 30 多天前" in str(note)


@pytest.mark.parametrize(
    ("typed", "yearless"),
    [("12月20日", True), ("12/20 14:40", True), ("１２月２０日", True), ("2022年12月20日", False),
     ("2022-12-20 14:30", False), (datetime(2022, 12, 20), False), ("明天", False)],
)  # fmt: skip
def test_a_date_typed_without_a_year_is_told_apart(typed: Any, yearless: bool) -> None:
    assert typed_without_year(typed) is yearless
