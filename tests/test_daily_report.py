"""The daily report counts the day's work by the rows' own times, labels totals, reads well at zero."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import (
    RULES,
    SCHEMA,
    TZ,
    apply_in_memory,
    request,
    save_workbook,
    snapshot_of,
    volunteer,
    zh_tabs,
)

from sync.planner import build_plan
from sync.summary import check_template, report_figures

EVENING = datetime(2022, 12, 20, 18, 30, tzinfo=TZ)
PHONES = iter(f"1384000{n:04d}" for n in range(1000, 2000))


def delivered(name: str, at: str | None, household: str = "其他", **fields: Any) -> dict[str, Any]:
    return request(name, status="已送达", volunteer="段珊珊", phone=next(PHONES),
                   household=household, assigned_at="2022-12-13 09:00", delivered_at=at,
                   **fields)  # fmt: skip


def several_days() -> list[dict[str, Any]]:
    """Deliveries on 13, 19 and 20 December; the last one just marked delivered, with no time."""
    return [
        delivered("周一", "2022-12-13 10:00", "独居"),
        delivered("周二", "2022-12-19 16:00", "孤寡"),
        delivered("今甲", "2022-12-20 09:15", "独居"),
        delivered("今乙", "2022-12-20 11:40", "困难"),  # hardship is not an elderly household
        delivered("今丙", "2022-12-20 12:05", "失独"),
        delivered("今丁", None, "其他"),  # the pass writes 18:30 into it: it counts today
        request("等待", phone="", submitted_at="2022-12-20 18:00"),  # needs info: waits
    ]


def report_at(rows: list[dict[str, Any]], now: datetime, rules: Any = RULES) -> tuple[str, Any]:
    tabs = zh_tabs(rows, [volunteer("段珊珊", max_open=1), volunteer("邱瑾", active="否")])
    plan = build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)
    return plan.report, apply_in_memory(tabs, plan)


def test_a_report_dated_a_day_counts_that_days_deliveries_and_labels_the_totals() -> None:
    text, _ = report_at(several_days(), EVENING)
    assert text.startswith("重工街道2022-12-20互助日报：在岗志愿者 1 人。")
    # today: four deliveries, four residents, two of them elderly by household (独居, 失独)
    assert "今日完成派单 4 次，服务居民 4 位，其中为 2 位独居、孤寡、失独老人送去生活急需" in text
    assert "累计完成派单 6 次，服务居民 6 位（其中老人 4 位）" in text
    assert "尚有 1 单待处理" in text


def test_a_second_pass_over_the_written_rows_reports_the_same_figures() -> None:
    first, once = report_at(several_days(), EVENING)
    again = build_plan(snapshot_of(once), RULES, EVENING + timedelta(minutes=5), TZ, SCHEMA)
    assert again.report == first


def test_the_next_day_counts_only_its_own_deliveries() -> None:
    _, once = report_at(several_days(), EVENING)
    next_day = build_plan(snapshot_of(once), RULES, EVENING + timedelta(days=1), TZ, SCHEMA)
    assert "2022-12-21互助日报" in next_day.report
    assert "今日暂无完成的派单。" in next_day.report
    assert "累计完成派单 6 次" in next_day.report


def test_a_quiet_day_reads_naturally_with_no_zero_figures() -> None:
    rows = [delivered("周一", "2022-12-13 10:00", "独居")]
    text, _ = report_at(rows, EVENING)
    assert "今日暂无完成的派单。" in text
    assert "累计完成派单 1 次，服务居民 1 位（其中老人 1 位）" in text
    assert "流动药站暂无药品。" in text
    assert "目前没有待处理的需求。" in text
    assert " 0 " not in text and "为 0" not in text


def test_the_english_report_counts_the_day_with_plurals() -> None:
    rows = [delivered("a", "2022-12-20 09:00", "独居"), delivered("b", "2022-12-12 09:00")]
    en = dataclasses.replace(RULES, office="Chongqing Street")
    english = dataclasses.replace(snapshot_of(zh_tabs(rows, [volunteer("段珊珊")])), locale="en")
    text = build_plan(english, en, EVENING, TZ, SCHEMA).report
    assert "Chongqing Street mutual aid, 2022-12-20: 1 active volunteer." in text
    assert "Today 1 dispatch completed for 1 resident, 1 of them elderly" in text
    assert "Running total: 2 dispatches completed, 2 residents served (1 elderly)." in text


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_the_shipped_templates_and_every_field_the_readme_lists_render(locale: str) -> None:
    listed = ["office", "date", "volunteers_total", "volunteers_active", "dispatches_completed",
              "residents_served", "requests_total", "waiting", "escalated", "open_tasks",
              "medicine_in_stock", "residents_helped_by_stock", "dispatches_completed_total",
              "residents_served_total", "elderly_served", "elderly_served_total",
              "residents_helped_by_stock_total"]  # fmt: skip
    assert set(listed) <= set(report_figures([], {}, [], RULES, EVENING))
    assert check_template(" ".join("{{ " + name + " }}" for name in listed)) is None
    assert check_template(RULES.report_templates[locale]) is None
    assert check_template("{{ elderly_servd }}") is not None


def test_the_report_command_prints_the_days_figures(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs(several_days(), [volunteer("段珊珊")]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    out = subprocess.run(
        [sys.executable, "-m", "sync", "report", "--workbook", str(book),
         "--now", "2022-12-20T18:30:00+08:00"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "今日完成派单 4 次" in out.stdout
    assert "累计完成派单 6 次" in out.stdout
