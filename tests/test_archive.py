"""The Archive: requests closed long enough ago move, whole, out of the live Requests tab."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from builders import (
    NOW,
    RULES,
    SCHEMA,
    TZ,
    apply_in_memory,
    grid,
    headers,
    request,
    snapshot_of,
    volunteer,
    zh_tabs,
)
from gsheets_fixtures import World
from gsheets_fixtures import request as sheet_request
from gsheets_fixtures import volunteer as sheet_volunteer
from gsheets_fixtures import workbook as sheet_workbook

from sync.model import Plan
from sync.planner import build_plan
from sync.rules import Rules
from sync.worker import run_pass

ARCHIVE_30 = dataclasses.replace(RULES, archive_days=30)
LATER = NOW + timedelta(days=31)
ARCHIVE = "归档"


def plan_of(tabs: dict[str, list[list[Any]]], rules: Rules = ARCHIVE_30, now: Any = LATER) -> Plan:
    return build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)


def closed(name: str, status: str = "已送达", **fields: Any) -> dict[str, Any]:
    row = request(name, status=status, volunteer="段珊珊", assigned_at="2022-12-20 14:40",
                  delivered_at="2022-12-20 15:00" if status == "已送达" else None,
                  notes="门口有狗")  # fmt: skip
    row.update(fields)
    return row


def with_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r, id=f"R-{n:04d}") for n, r in enumerate(rows, start=1)]


def book(rows: list[dict[str, Any]], archive: bool = True) -> dict[str, list[list[Any]]]:
    tabs = zh_tabs(with_ids(rows), [volunteer("段珊珊")])
    if archive:
        tabs[ARCHIVE] = [headers("archive")]
    return tabs


def live(tabs: dict[str, list[list[Any]]]) -> list[list[Any]]:
    """Requests rows that still hold something."""
    return [r for r in tabs["需求登记"][1:] if any(v not in (None, "") for v in r)]


def column(tab: str, key: str) -> int:
    return SCHEMA.tab(tab).keys().index(key)


def test_an_old_closed_request_moves_whole_to_the_archive() -> None:
    tabs = book([closed("王奶奶"), closed("李爷爷", "已取消"), request("张三", status="已派单",
                 volunteer="段珊珊")])  # fmt: skip
    plan = plan_of(tabs)
    after = apply_in_memory(tabs, plan)
    archived = after[ARCHIVE][1:]
    assert [r[column("archive", "id")] for r in archived] == ["R-0001", "R-0002"]
    first = archived[0]
    assert first[column("archive", "name")] == "王奶奶"
    assert first[column("archive", "phone")] == "13840001005"
    assert first[column("archive", "notes")] == "门口有狗"
    assert first[column("archive", "status")] == "已送达"
    assert first[column("archive", "delivered_at")] == "2022-12-20 15:00"
    # The live tab keeps only the open request; the moved rows are empty, not deleted.
    assert [r[column("requests", "name")] for r in live(after)] == ["张三"]
    assert plan.stats["archived"] == 2
    assert [line.ref for line in plan.log if line.action == "归档"] == ["R-0001", "R-0002"]
    again = plan_of(after)
    assert again.is_empty(), again.changes[:3]


def test_the_first_pass_adds_the_tab_and_the_next_moves_the_rows() -> None:
    tabs = book([closed("王奶奶")], archive=False)
    first = plan_of(tabs)
    assert "archive" in first.new_tabs and first.new_rows == ()
    assert not [c for c in first.changes if c.column == "name"]
    after = apply_in_memory(tabs, first)
    assert after[ARCHIVE] == [headers("archive")]
    moved = apply_in_memory(after, plan_of(after))
    assert len(moved[ARCHIVE]) == 2 and live(moved) == []


@pytest.mark.parametrize(
    "row",
    [
        closed("王奶奶", repeat="每周二"),  # still repeating: the series' template
        request("王奶奶", status="已派单", volunteer="段珊珊"),  # open
        request("王奶奶", status="信息不全", phone=""),  # open
    ],
)
def test_open_or_repeating_requests_stay_however_old(row: dict[str, Any]) -> None:
    plan = plan_of(book([row]), now=NOW + timedelta(days=400))
    assert [r for r in plan.new_rows if r.tab == "archive"] == []
    assert plan.stats.get("archived") is None


def test_nothing_moves_before_the_period_or_when_the_rules_leave_it_off() -> None:
    tabs = book([closed("王奶奶")])
    assert plan_of(tabs, now=NOW + timedelta(days=29)).new_rows == ()
    assert plan_of(tabs, rules=RULES).new_rows == ()


def test_an_id_already_in_the_archive_is_left_in_place_and_reported() -> None:
    tabs = book([closed("王奶奶")])
    tabs[ARCHIVE].append(grid("archive", [dict(closed("王奶奶"), id="R-0001")])[1])
    plan = plan_of(tabs)
    assert plan.new_rows == () and not [c for c in plan.changes if c.new == ""]
    assert any("R-0001 已在「归档」表中" in p for p in plan.problems)


def test_an_archive_without_a_column_the_row_fills_takes_nothing() -> None:
    tabs = book([closed("王奶奶")])
    tabs[ARCHIVE] = [[h for h in headers("archive") if h != "备注"]]
    plan = plan_of(tabs)
    assert plan.new_rows == ()
    assert any("缺少「备注」列" in p for p in plan.problems)


def test_a_row_is_never_emptied_when_its_copy_cannot_land() -> None:
    """The Archive tab loses a column between the read and the write: the row stays whole."""
    from sync.placement import place_plan

    tabs = book([closed("王奶奶")])
    plan = plan_of(tabs)
    tabs[ARCHIVE] = [[h for h in headers("archive") if h != "备注"]]
    targets, deferred, cells, _skipped = place_plan(plan, snapshot_of(tabs), {})
    assert cells == [] and deferred
    assert not [t for t in targets if t.change.tab == "requests" and t.change.new == ""]


# -- both backends -------------------------------------------------------------------------------
def sheet_book() -> dict[str, list[list[Any]]]:
    old = {"status": "已送达", "volunteer": "张伟", "assigned_at": "2022-12-20 14:40",
           "delivered_at": "2022-12-20 15:00", "notes": "门口有狗"}  # fmt: skip
    return sheet_workbook(
        [
            dict(sheet_request("王秀英", **old), id="R-0001"),
            dict(sheet_request("陈建国", status="已派单", volunteer="张伟"), id="R-0002"),
            dict(sheet_request("刘芳", **old), id="R-0003"),
        ],
        [sheet_volunteer("张伟")],
    )


def names(rows: list[list[Any]], tab: str) -> list[Any]:
    col = SCHEMA.tab(tab).keys().index("name")
    return [r[col] for r in rows[1:] if len(r) > col and r[col] not in (None, "")]


def run(world: World) -> Any:
    return run_pass(world.backend, world.settings, LATER, schema=SCHEMA, rules=ARCHIVE_30)


def test_both_backends_move_rows_in_one_write_and_then_rest(make: Any) -> None:
    world = make(sheet_book())
    run(world)  # adds the Archive tab
    run(world)  # moves the two old deliveries
    assert names(world.values("需求登记"), "requests") == ["陈建国"]
    assert names(world.values(ARCHIVE), "archive") == ["王秀英", "刘芳"]
    settled = run(world)
    assert settled.plan.new_rows == () and not settled.plan.changes


def test_a_human_edit_during_the_pass_is_kept_on_both_backends(make: Any) -> None:
    """Someone adds a note to a closed request while the pass that archives it runs."""
    world = make(sheet_book())
    run(world)
    notes = SCHEMA.tab("requests").keys().index("notes")
    original = world.backend.apply

    def edit_then_apply(snapshot: Any, plan: Any, schema: Any) -> Any:
        world.backend.apply = original  # once

        def add_note(rows: list[list[Any]]) -> None:
            rows[1][notes] = "门口有狗；钥匙在邻居家"

        world.edit("需求登记", add_note)
        return original(snapshot, plan, schema)

    world.backend.apply = edit_then_apply
    run(world)
    run(world)
    requests, archive = world.values("需求登记"), world.values(ARCHIVE)
    everywhere = [*requests, *archive]
    kept = [r for r in everywhere if "门口有狗；钥匙在邻居家" in [str(v) for v in r]]
    assert len(kept) == 1, "the note is in exactly one place, never lost or doubled"
    assert names(archive, "archive").count("王秀英") <= 1
    assert sorted(names(requests, "requests") + names(archive, "archive")) == sorted(
        ["王秀英", "陈建国", "刘芳"]
    )


def test_the_summary_totals_and_the_reports_running_totals_include_archived_requests() -> None:
    """Moved rows still count where people expect totals: dispatches completed and residents
    served (each resident once), in the Summary and the daily report's running totals."""
    old = [closed("王秀英", phone="13840001001", household="独居"),
           closed("李建国", phone="13840001002"), closed("李建国", phone="13840001002")]  # fmt: skip
    tabs = book([*old, closed("赵桂兰", phone="13840001003", delivered_at="2023-01-20 10:00",
                              assigned_at="2023-01-20 09:00")])  # fmt: skip
    moved = apply_in_memory(tabs, plan_of(tabs))
    assert len(moved[ARCHIVE]) == 4  # three moved, under the header
    plan = plan_of(moved)
    rows = [tuple(r) for r in plan.summary]
    at = rows.index(("累计（含「归档」表里的需求）",))
    assert rows[at + 1][:3] == ("完成派单", 4, "其中已归档 3")
    assert rows[at + 2][:2] == ("服务居民", 3)  # 李建国 asked twice
    assert "累计完成派单 4 次，服务居民 3 位（其中老人 1 位）" in plan.report
