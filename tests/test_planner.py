"""Planning one pass: priorities, eligibility, claims, needs-info, escalation, ids (pure)."""

from __future__ import annotations

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
    request,
    snapshot_of,
    volunteer,
    zh_tabs,
)

from sync.errors import SchemaError
from sync.model import Plan
from sync.planner import build_plan


def plan_of(tabs: dict[str, list[list[Any]]], now: Any = NOW) -> Plan:
    return build_plan(snapshot_of(tabs), RULES, now, TZ, SCHEMA)


def cells(plan: Plan, tab: str = "requests") -> dict[tuple[int, str], Any]:
    """(sheet row, column key) → new value."""
    return {(c.anchor.row, c.column): c.new for c in plan.changes if c.tab == tab}


def converge(tabs: dict[str, list[list[Any]]], now: Any = NOW) -> dict[str, list[list[Any]]]:
    return apply_in_memory(tabs, plan_of(tabs, now))


def test_urgent_living_alone_is_served_first_when_capacity_is_short() -> None:
    tabs = zh_tabs(
        [
            request("普通", submitted_at="2022-12-20 14:20"),
            request("独居急", household="独居", urgency="紧急", phone="13840001006"),
        ],
        [volunteer("段珊珊", max_open=1)],
    )
    got = cells(plan_of(tabs))
    assert got[(3, "volunteer")] == "段珊珊"
    assert got[(3, "status")] == "已派单"
    assert (2, "volunteer") not in got
    assert got[(2, "status")] == "待派单"
    note = got[(3, "sync_note")]
    assert "独居 +50" in note and "紧急 +30" in note and "派给 段珊珊" in note
    assert "1 人已满单" in got[(2, "sync_note")]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"active": "否"}, "1 人不在岗"),
        ({"hours": "18:00-22:00"}, "1 人不在值班时间"),
        ({"categories": "药品"}, "1 人不接此类别"),
        ({"communities": "兴华社区"}, "无人服务此社区"),
        ({"hours": "8点到晚上"}, "1 人不在值班时间"),
    ],
)
def test_ineligible_volunteer_is_not_assigned_and_the_note_says_why(
    change: dict[str, Any], reason: str
) -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊", **change)])
    got = cells(plan_of(tabs))
    assert (2, "volunteer") not in got
    assert reason in got[(2, "sync_note")]


def test_night_window_crossing_midnight_is_on_duty_at_night() -> None:
    tabs = zh_tabs([request("甲")], [volunteer("周敏", hours="22:00-06:00")])
    night = NOW.replace(hour=23, minute=30)
    assert cells(plan_of(tabs, night))[(2, "volunteer")] == "周敏"
    assert (2, "volunteer") not in cells(plan_of(tabs, NOW))


def test_same_community_before_neighbour_and_fewer_open_tasks_first() -> None:
    tabs = zh_tabs(
        [request("甲"), request("乙", phone="13840001006")],
        [
            volunteer("邻居", communities="建设社区"),
            volunteer("本社区", max_open=1),
        ],
    )
    got = cells(plan_of(tabs))
    assert got[(2, "volunteer")] == "本社区"
    assert got[(3, "volunteer")] == "邻居"
    assert "相邻社区 建设社区" in got[(3, "sync_note")]


def test_least_recently_assigned_goes_first_among_equals() -> None:
    tabs = zh_tabs(
        [
            request("旧", volunteer="甲", status="已送达", assigned_at="2022-12-20 09:00",
                    delivered_at="2022-12-20 10:00"),
            request("新", phone="13840001006"),
        ],
        [volunteer("甲"), volunteer("乙")],
    )  # fmt: skip
    got = cells(plan_of(tabs))
    assert got[(3, "volunteer")] == "乙"  # 乙 was never assigned; 甲 was at 09:00


def test_a_volunteers_claim_stands_and_is_never_overwritten() -> None:
    tabs = zh_tabs([request("甲", volunteer="冯玉杰")], [volunteer("段珊珊")])
    got = cells(plan_of(tabs))
    assert (2, "volunteer") not in got
    assert got[(2, "status")] == "已派单"
    assert "冯玉杰 已认领" in got[(2, "sync_note")]
    assert "不在志愿者名单中" in got[(2, "sync_note")]  # unknown name flagged, kept


def test_claim_by_id_or_name_with_id_resolves_to_the_volunteer() -> None:
    tabs = zh_tabs(
        [request("甲", volunteer="V-0002"), request("乙", volunteer="张伟 (V-0001)")],
        [volunteer("张伟", id="V-0001"), volunteer("张伟", id="V-0002")],
    )
    plan = plan_of(tabs)
    assert cells(plan, "volunteers")[(2, "open")] == 1
    assert cells(plan, "volunteers")[(3, "open")] == 1


def test_missing_phone_needs_info_then_returns_to_new_once_fixed() -> None:
    tabs = zh_tabs([request("甲", phone=None)], [volunteer("段珊珊", active="否")])
    first = converge(tabs)
    requests = first["需求登记"]
    status_col = requests[0].index("状态")
    note_col = requests[0].index("系统提示")
    assert requests[1][status_col] == "信息不全"
    assert "缺少联系电话" in requests[1][note_col]
    requests[1][requests[0].index("联系电话")] = "138 0013 8000"
    second = converge(first)["需求登记"]
    assert second[1][status_col] == "待派单"
    assert "缺少" not in second[1][note_col]


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"phone": "12345"}, "电话号码无效"),
        ({"community": "火星社区"}, "社区「火星社区」不在规则的社区名单里"),
        ({"category": "玩具"}, "类别「玩具」无法识别"),
        ({"address": "  "}, "缺少地址"),
        ({"category": "药品", "items": None}, "缺少物品明细"),
        ({"submitted_at": "昨天下午"}, "登记时间「昨天下午」无法识别"),
    ],
)
def test_each_problem_is_named_in_the_note(fields: dict[str, Any], text: str) -> None:
    got = cells(plan_of(zh_tabs([request("甲", **fields)], [volunteer("段珊珊")])))
    assert got[(2, "status")] == "信息不全"
    assert text in got[(2, "sync_note")]


@pytest.mark.parametrize("status", ["已送达", "已取消", "配送中"])
def test_human_final_statuses_are_never_undone(status: str) -> None:
    tabs = zh_tabs([request("甲", status=status, phone=None)], [volunteer("段珊珊")])
    got = cells(plan_of(tabs))
    assert (2, "status") not in got
    assert (2, "volunteer") not in got


def test_delivered_gets_its_time_and_counts_for_the_volunteer() -> None:
    tabs = zh_tabs(
        [request("甲", status="已送达", volunteer="段珊珊", assigned_at="2022-12-20 13:00")],
        [volunteer("段珊珊")],
    )
    plan = plan_of(tabs)
    assert cells(plan)[(2, "delivered_at")] == "2022-12-20 15:00"
    vol = cells(plan, "volunteers")
    assert vol[(2, "delivered")] == 1
    assert vol[(2, "open")] == 0
    assert vol[(2, "last_assigned")] == "2022-12-20 13:00"


def test_unassigned_urgent_request_escalates_with_the_rule_and_reason() -> None:
    tabs = zh_tabs([request("甲", urgency="紧急", submitted_at="2022-12-20 14:40")],
                   [volunteer("段珊珊", active="否")])  # fmt: skip
    got = cells(plan_of(tabs))
    assert got[(2, "status")] == "待协调"
    assert "急单15分钟无人接" in got[(2, "sync_note")]
    assert "1 人不在岗" in got[(2, "sync_note")]
    not_yet = cells(plan_of(tabs, NOW - timedelta(minutes=10)))
    assert not_yet[(2, "status")] == "待派单"


def test_backup_team_takes_an_escalated_request_after_the_wait() -> None:
    tabs = zh_tabs(
        [request("甲", urgency="紧急", submitted_at="2022-12-20 14:00")],
        [
            volunteer("段珊珊", active="否"),
            volunteer("赵强", communities="兴华社区", team="党员先锋队"),
        ],
    )
    got = cells(plan_of(tabs))
    assert got[(2, "volunteer")] == "赵强"
    assert "后备团队 党员先锋队" in got[(2, "sync_note")]


def test_reminder_for_an_assignment_not_delivered_in_time_is_added_once() -> None:
    tabs = zh_tabs(
        [request("甲", volunteer="段珊珊", status="已派单", assigned_at="2022-12-20 08:00")],
        [volunteer("段珊珊")],
    )
    plan = plan_of(tabs)
    assert "6小时未送达" in cells(plan)[(2, "sync_note")]
    assert [line.action for line in plan.log if not line.routine] == ["提醒"]
    assert plan_of(apply_in_memory(tabs, plan)).is_empty()


def test_ids_for_new_rows_skip_blank_rows_and_renumber_copies() -> None:
    tabs = zh_tabs(
        [request("甲", id="R-0007"), {}, request("乙"), request("丙", id="R-0007")],
        [volunteer("段珊珊")],
    )
    got = cells(plan_of(tabs))
    assert (2, "id") not in got
    assert (3, "id") not in got and (3, "status") not in got  # blank row left alone
    assert got[(4, "id")] == "R-0008"
    assert got[(5, "id")] == "R-0009"


def test_the_log_line_of_a_new_id_names_its_row_the_workbooks_way() -> None:
    tabs = zh_tabs([request("甲"), request("乙")], [volunteer("段珊珊")])
    lines = {line.ref: line.detail for line in plan_of(tabs).log if line.action == "编号"}
    assert lines == {
        "R-0001": "需求登记第 2 行",
        "R-0002": "需求登记第 3 行",
        "V-0001": "志愿者第 2 行",
    }


def test_possible_duplicate_is_noted_not_cancelled() -> None:
    tabs = zh_tabs(
        [request("甲", submitted_at="2022-12-20 14:00"), request("甲", items="再来点白菜")],
        [volunteer("段珊珊")],
    )
    got = cells(plan_of(tabs))
    assert got[(3, "status")] == "已派单"
    assert "可能与 R-0001 重复" in got[(3, "sync_note")]


def test_english_workbook_gets_english_statuses_and_notes() -> None:
    tabs = {
        "Requests": grid("requests", [request("Ann", household="living alone", urgency="urgent",
                                              category="food")], "en"),
        "Volunteers": grid("volunteers", [volunteer("Bob", active="yes", hours="24h")], "en"),
    }  # fmt: skip
    got = cells(plan_of(tabs))
    assert got[(2, "status")] == "assigned"
    assert "living alone +50" in got[(2, "sync_note")]
    assert "assigned to Bob: same community" in got[(2, "sync_note")]


def test_second_pass_over_its_own_output_plans_nothing() -> None:
    from sync.sample import sample_rows

    rows = sample_rows(SCHEMA, "zh")
    tabs = zh_tabs(rows["requests"], rows["volunteers"], rows["stock"])
    once = converge(tabs)
    again = plan_of(once)
    assert again.is_empty(), again.changes[:3]
    assert plan_of(tabs) == plan_of(tabs)  # same input, same plan


def test_missing_required_column_stops_with_the_tab_column_and_accepted_headers() -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["需求登记"] = [row[:3] + row[4:] for row in tabs["需求登记"]]  # drop 联系电话
    with pytest.raises(SchemaError) as info:
        plan_of(tabs)
    text = str(info.value)
    assert "需求登记" in text and "Phone (联系电话)" in text and "手机" in text


def test_missing_worker_columns_and_tabs_are_added() -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["需求登记"] = [row[:13] for row in tabs["需求登记"]]  # up to 状态
    plan = plan_of(tabs)
    assert [c.key for c in plan.new_columns if c.tab == "requests"] == [
        "priority", "assigned_at", "delivered_at", "stock", "sync_note",
    ]  # fmt: skip
    assert set(plan.new_tabs) == {"summary", "log"}
    assert cells(plan)[(2, "volunteer")] == "段珊珊"


def test_hand_laid_sheet_with_title_row_reordered_columns_and_stray_spaces() -> None:
    requests = [
        ["重工街道 居民需求登记表（请勿删除此行）"],
        [
            "备注 ",
            "社区",
            " 居 民 姓 名",
            "自留列",
            "联系电话",
            "地址",
            "类别",
            "紧急程度",
            "家庭情况",
        ],
        [
            "",
            "创意社区",
            "赵桂兰",
            "x",
            "１３８４０００１００２",
            "海兴花园",
            "生活物资 ",
            "紧急",
            "独居",
        ],
        [None] * 9,
        ["", "创意", "钱德明", "y", 13840001003, "海兴花园", "蔬菜", "一般", "其他"],
    ]
    tabs = {"需求登记 ": requests, "志愿者": grid("volunteers", [volunteer("段珊珊")])}
    plan = plan_of(tabs)
    got = cells(plan)
    assert got[(3, "volunteer")] == "段珊珊"
    assert got[(3, "id")] == "R-0001" and got[(5, "id")] == "R-0002"
    assert (4, "id") not in got
    assert got[(5, "status")] == "已派单"
    assert not any(c.column in ("name", "notes", "phone") for c in plan.changes)


def test_a_request_is_matched_to_donated_stock_and_told_where_to_collect_it() -> None:
    stock = [
        {"item": "布洛芬缓释胶囊", "category": "药品", "quantity": 3, "unit": "盒",
         "donor": "王先生 13904129001", "community": "创意社区", "expiry": "2024-06-30",
         "sealed": "是", "disinfected": "是", "status": "可领用"},
        {"item": "布洛芬混悬液", "category": "药品", "quantity": 2, "unit": "瓶",
         "community": "创意社区", "expiry": "2022-11-30", "sealed": "是", "disinfected": "是"},
    ]  # fmt: skip
    tabs = zh_tabs([request("甲", category="药品", items="退烧药")], [volunteer("段珊珊")], stock)
    plan = plan_of(tabs)
    got = cells(plan)
    assert got[(2, "stock")] == "S-0001×1"
    assert "到创意社区领取" in got[(2, "sync_note")]
    assert "13904129001" not in got[(2, "sync_note")] and "139****9001" in got[(2, "sync_note")]
    lots = cells(plan, "stock")
    assert lots[(2, "reserved_for")] == "R-0001×1"
    assert lots[(2, "status")] == "已预留"
    assert lots[(3, "status")] == "不可用" and "已过期 2022-11-30" in lots[(3, "sync_note")]
    assert plan_of(apply_in_memory(tabs, plan)).is_empty()


def test_volunteer_names_that_look_like_phone_numbers_are_copied_unmasked() -> None:
    tabs = zh_tabs([request("甲")], [volunteer("+1 555 0100 李")])
    once = apply_in_memory(tabs, plan_of(tabs))
    assert cells(plan_of(tabs))[(2, "volunteer")] == "+1 555 0100 李"
    assert plan_of(once).is_empty()


def test_a_claim_on_a_request_assigned_long_ago_gets_its_reminder_in_the_same_pass() -> None:
    """Found by reliability/fuzz.py: the reminder came one pass later, so a second pass over
    the worker's own output still planned a change."""
    tabs = zh_tabs(
        [request("王秀英", volunteer="段珊珊", status="待派单", assigned_at="2022-12-20 08:00")],
        [volunteer("段珊珊")],
    )
    after = converge(tabs)
    assert plan_of(after).changes == ()
    note = after["需求登记"][1][SCHEMA.tab("requests").keys().index("sync_note")]
    assert "段珊珊 已认领" in note and "6小时未送达" in note


def test_planning_leaves_the_garbage_collector_as_it_found_it() -> None:
    """Planning raises the collector's threshold while it runs (fewer pauses); the process's own
    setting comes back after a plan, after a failed plan, after plans in parallel threads, and a
    collector the caller switched off stays off."""
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from sync import planner

    tabs = zh_tabs([request("甲"), request("乙")], [volunteer("段珊珊")])
    broken = {**tabs, "需求登记": [row[:3] + row[4:] for row in tabs["需求登记"]]}
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    real = planner._Pass.run

    def watching(self: Any, *args: Any) -> Plan:
        seen.append(gc.get_threshold())
        return real(self, *args)

    try:
        planner._Pass.run = watching  # type: ignore[method-assign]
        plan_of(tabs)
        assert seen[-1][0] == planner._FewerCollections.THRESHOLD
        assert gc.get_threshold() == before
        with pytest.raises(SchemaError):
            plan_of(broken)
        assert gc.get_threshold() == before
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: plan_of(tabs), range(40)))
        assert gc.get_threshold() == before
        gc.set_threshold(0)
        plan_of(tabs)
        assert seen[-1][0] == 0 and gc.get_threshold()[0] == 0
    finally:
        planner._Pass.run = real  # type: ignore[method-assign]
        gc.set_threshold(*before)
