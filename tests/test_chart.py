"""The Summary's per-day table and chart, and when the daily report falls due (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import NOW, RULES, SCHEMA, TZ, grid, request, snapshot_of, volunteer, zh_tabs

from sync.errors import RuleError
from sync.output import summary_text
from sync.planner import build_plan
from sync.resources import default_rules_dir
from sync.rules import load_rules


def test_requests_per_day_by_status_sit_beside_the_summary() -> None:
    tabs = zh_tabs(
        [
            request("甲", submitted_at="2022-12-18 09:00", status="已送达", volunteer="段珊珊"),
            request("乙", submitted_at="2022-12-20 10:00", phone="13840001006"),
            request("丙", submitted_at="2022-12-20 11:00", phone="", urgency="紧急"),
            request("丁", submitted_at="2022-11-01 11:00", phone="13840001007"),  # too old
        ],
        [volunteer("段珊珊", max_open=1)],
    )
    plan = build_plan(snapshot_of(tabs), RULES, NOW, TZ, SCHEMA)
    chart = plan.chart
    assert chart is not None and (chart.row, chart.col, chart.days, chart.series) == (1, 15, 7, 7)
    table = [row[chart.col :] for row in plan.summary[: chart.row + chart.days + 1]]
    assert table[0] == ("每日需求（按状态）",)
    assert table[1][:4] == ("日期", "待派单", "信息不全", "待协调")
    by_day = {row[0]: row[1:] for row in table[2:]}
    assert list(by_day) == ["12-14", "12-15", "12-16", "12-17", "12-18", "12-19", "12-20"]
    assert by_day["12-18"] == (0, 0, 0, 0, 0, 1, 0)  # delivered
    assert by_day["12-20"] == (0, 1, 1, 0, 0, 0, 0)  # needs info; escalated (丁 took the one slot)
    text = summary_text(plan)
    assert text[0].startswith("aidsync 汇总") and "每日需求" not in text[0]
    assert "12-20  0  1  1  0  0  0  0" in text


def _log_tab(*lines: list[Any]) -> list[list[Any]]:
    return grid("log", []) + [list(line) for line in lines]


@pytest.mark.parametrize(
    ("hour", "minute", "log", "due"),
    [
        (17, 59, [], ""),
        (18, 0, [], "2022-12-20"),
        (23, 30, [], "2022-12-20"),
        (18, 30, [["2022-12-20 18:05", "2022-12-20", "日报", "每天 18:00", "…"]], ""),
        (18, 30, [["2022-12-20 18:05", "2022-12-20", "daily report", "", "…"]], ""),
        (18, 30, [["2022-12-19 18:05", "2022-12-19", "日报", "", "…"]], "2022-12-20"),
        (18, 30, [["2022-12-20 18:05", "2022-12-20", "派单", "", "…"]], "2022-12-20"),
    ],
)
def test_the_daily_report_is_due_once_a_day_after_the_set_time(
    hour: int, minute: int, log: list[list[Any]], due: str
) -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["同步日志"] = _log_tab(*log)
    plan = build_plan(snapshot_of(tabs), RULES, NOW.replace(hour=hour, minute=minute), TZ, SCHEMA)
    assert plan.report_due == due
    lines = [line for line in plan.log if line.action == "日报"]
    assert [(line.ref, line.rule) for line in lines] == ([(due, "每天 18:00")] if due else [])
    if due:
        assert lines[0].detail == plan.report  # the text notifiers send, as the Summary shows it


def test_no_daily_report_time_means_never_due() -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    rules = replace(RULES, daily_report_at=None)
    assert (
        build_plan(snapshot_of(tabs), rules, NOW + timedelta(hours=5), TZ, SCHEMA).report_due == ""
    )


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("report.yaml", 'report:\n  office: x\n  daily_at: "25:00"\n', "report.yaml:3"),
        ("report.yaml", "report:\n  daily_at: 6pm\n", "daily_at should be a time of day"),
        ("recurring.yaml", "recurring:\n  enabled: maybe\n", "enabled should be true or false"),
        ("recurring.yaml", "recurring:\n  open_hours_before: 500\n", "between 0 and 168"),
        ("recurring.yaml", "recurring:\n  every: 3\n", "unknown setting 'every'"),
    ],
)
def test_bad_recurring_and_report_settings_name_the_file_and_line(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in default_rules_dir().glob("*.yaml"):
        (rules / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / file).write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(rules, SCHEMA)
    assert message in str(info.value)


def test_the_shipped_rules_set_the_report_time_and_recurring_defaults() -> None:
    assert RULES.daily_report_at == 18 * 60
    assert (RULES.recurring_on, RULES.recurring_wait, RULES.recurring_ahead_hours,
            RULES.recurring_time) == (True, True, 0.0, 8 * 60)  # fmt: skip
