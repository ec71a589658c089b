"""Retention: personal details of closed requests are blanked after the period the rules set."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import (
    NOW,
    RULES,
    SCHEMA,
    TZ,
    apply_in_memory,
    read_workbook,
    request,
    save_workbook,
    settings_for,
    snapshot_of,
    volunteer,
    zh_tabs,
)

from sync.model import Plan
from sync.planner import PERSONAL, build_plan
from sync.rules import Rules

KEEP_30 = dataclasses.replace(RULES, retention_days=30)
LATER = NOW + timedelta(days=31)


def plan_of(tabs: dict[str, list[list[Any]]], rules: Rules = KEEP_30, now: Any = LATER) -> Plan:
    return build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)


def closed(name: str, status: str, phone: str = "13840001005", **fields: Any) -> dict[str, Any]:
    return request(
        name,
        status=status,
        phone=phone,
        volunteer="段珊珊",
        assigned_at="2022-12-20 14:40",
        delivered_at="2022-12-20 15:00" if status == "已送达" else None,
        notes="门口有狗，先打电话",
        **fields,
    )


def request_rows(tabs: dict[str, list[list[Any]]]) -> list[dict[str, Any]]:
    keys = SCHEMA.tab("requests").keys()
    rows = tabs["需求登记"]
    return [
        dict(zip(keys, row + [None] * (len(keys) - len(row)), strict=False)) for row in rows[1:]
    ]


@pytest.mark.parametrize("status", ["已送达", "已取消"])
def test_closed_request_loses_its_personal_details_after_the_period(status: str) -> None:
    tabs = zh_tabs([closed("王奶奶", status)], [volunteer("段珊珊")])
    plan = plan_of(tabs)
    after = request_rows(apply_in_memory(tabs, plan))[0]
    for key in PERSONAL:
        assert after[key] in (None, ""), key
    # The row, its status, its volunteer and its times stay for the figures.
    assert after["status"] == status
    assert after["volunteer"] == "段珊珊"
    assert after["community"] == "创意社区"
    assert after["category"] == "蔬菜食品"
    assert after["id"]
    assert "个人信息已按规定清除" in after["sync_note"]
    logged = [line for line in plan.log if line.ref == after["id"]]
    assert any(line.action == "清除个人信息" for line in logged)
    # Nothing personal goes into the log line that records the erasure.
    assert all("王奶奶" not in str(line) and "13840001005" not in str(line) for line in plan.log)


def test_nothing_is_blanked_before_the_period_or_when_the_rules_leave_it_off() -> None:
    tabs = zh_tabs([closed("王奶奶", "已送达")], [volunteer("段珊珊")])
    early = plan_of(tabs, now=NOW + timedelta(days=29))
    off = plan_of(tabs, rules=RULES)
    for plan in (early, off):
        touched = {c.column for c in plan.changes if c.tab == "requests"}
        assert not touched & set(PERSONAL)


@pytest.mark.parametrize("status", ["新需求", "已分配", "配送中", "待协调"])
def test_open_requests_are_never_blanked_however_old(status: str) -> None:
    tabs = zh_tabs([closed("王奶奶", status)], [volunteer("段珊珊")])
    plan = plan_of(tabs, now=NOW + timedelta(days=400))
    touched = {c.column for c in plan.changes if c.tab == "requests"}
    assert not touched & set(PERSONAL)


def test_blanking_is_done_once_and_later_passes_plan_nothing() -> None:
    tabs = zh_tabs(
        [closed("王奶奶", "已送达"), closed("李爷爷", "已取消", phone="13840001006")],
        [volunteer("段珊珊")],
    )
    once = apply_in_memory(tabs, plan_of(tabs))
    again = plan_of(once)
    assert again.is_empty(), again.changes[:3]
    assert not again.log


def test_figures_still_count_the_served_residents_after_blanking() -> None:
    """Two deliveries to one resident, one to another: 2 residents served, before and after."""
    rows = [
        closed("王奶奶", "已送达"),
        closed("王奶奶", "已送达", items="药"),
        closed("李爷爷", "已送达", phone="13840001006"),
    ]
    tabs = zh_tabs(rows, [volunteer("段珊珊", max_open=5)])
    before = plan_of(tabs, now=NOW + timedelta(days=1))
    once = apply_in_memory(tabs, plan_of(tabs))
    after = plan_of(once)

    def residents(plan: Plan) -> Any:
        for row in plan.summary:
            if row and row[0] == "合计":
                return row
        raise AssertionError("no total row")

    assert residents(before) == residents(after)


def test_a_blanked_row_is_not_reported_as_missing_its_details() -> None:
    tabs = zh_tabs([closed("王奶奶", "已送达")], [volunteer("段珊珊")])
    once = apply_in_memory(tabs, plan_of(tabs))
    assert plan_of(once).problems == ()
    # A closed row missing a phone for no recorded reason is still reported.
    bare = zh_tabs([closed("王奶奶", "已送达", phone="")], [volunteer("段珊珊")])
    assert any("联系电话" in p for p in plan_of(bare, rules=RULES).problems)


def test_the_local_pass_blanks_details_in_the_saved_workbook(tmp_path: Path) -> None:
    import shutil

    from sync.backends.xlsx import XlsxBackend
    from sync.resources import default_rules_dir
    from sync.worker import run_pass

    path = save_workbook(
        tmp_path / "aid.xlsx", zh_tabs([closed("王奶奶", "已送达")], [volunteer("段珊珊")])
    )
    rules_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules_dir)
    report = rules_dir / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace(
            "blank_personal_after_days:   # e.g. 90", "blank_personal_after_days: 30"
        ),
        encoding="utf-8",
    )
    run_pass(XlsxBackend(path), settings_for(path, rules_dir), LATER)
    saved = read_workbook(path)
    row = request_rows(saved)[0]
    assert all(row[key] in (None, "") for key in PERSONAL)
    assert row["status"] == "已送达"
    everything = "\n".join(str(v) for rows in saved.values() for r in rows for v in r)
    assert "13840001005" not in everything
    assert "王奶奶" not in everything


def test_a_request_that_still_repeats_keeps_its_details() -> None:
    tabs = zh_tabs([closed("王奶奶", "已送达", repeat="每周二")], [volunteer("段珊珊")])
    plan = plan_of(tabs)
    touched = {c.column for c in plan.changes if c.tab == "requests" and c.anchor.row == 2}
    assert not touched & set(PERSONAL)
