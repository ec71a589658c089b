"""A person changes the volunteer on a row: the note follows them (through real passes)."""

from __future__ import annotations

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

from sync.messages.planning import WORDS
from sync.model import Plan
from sync.planner import build_plan

Tabs = dict[str, list[list[Any]]]
KEYS = SCHEMA.tab("requests").keys()


def plan_of(tabs: Tabs) -> Plan:
    return build_plan(snapshot_of(tabs), RULES, NOW, TZ, SCHEMA)


def converge(tabs: Tabs) -> Tabs:
    return apply_in_memory(tabs, plan_of(tabs))


def cell(tabs: Tabs, key: str, row: int = 1, title: str = "需求登记") -> Any:
    return tabs[title][row][KEYS.index(key)]


def typed(tabs: Tabs, key: str, value: Any, row: int = 1, title: str = "需求登记") -> Tabs:
    """The grids after a person typed one cell of a request."""
    grids = {t: [list(r) for r in rows] for t, rows in tabs.items()}
    grids[title][row][KEYS.index(key)] = value
    return grids


def assigned_to_wang() -> Tabs:
    """A request the worker assigned to 王芳 (李四 and 张三 could have taken it too)."""
    tabs = converge(zh_tabs([request("甲")], [volunteer("王芳"), volunteer("李四"),
                                              volunteer("张三")]))  # fmt: skip
    assert cell(tabs, "volunteer") == "王芳" and "派给 王芳：" in cell(tabs, "sync_note")
    return tabs


def test_a_hand_reassignment_is_what_the_note_says_and_a_second_pass_plans_nothing() -> None:
    changed = typed(assigned_to_wang(), "volunteer", "李四")
    after = converge(changed)
    note = cell(after, "sync_note")
    assert "已改派给 李四（原为 王芳，人工修改）" in note.split("\n")
    assert "派给 王芳" not in note
    assert note.startswith("优先级")  # the priority line stays where it was
    assert cell(after, "volunteer") == "李四" and cell(after, "status") == "已派单"
    assert plan_of(after).is_empty()


def test_a_hand_reassignment_gets_one_log_line() -> None:
    changed = typed(assigned_to_wang(), "volunteer", "李四")
    plan = plan_of(changed)
    lines = [(x.ref, x.action, x.detail) for x in plan.log if x.action == "人工改派"]
    assert lines == [("R-0001", "人工改派", "已改派给 李四（原为 王芳，人工修改）")]
    after = apply_in_memory(changed, plan)
    assert not [x for x in plan_of(after).log if x.action == "人工改派"]  # said once


def test_a_second_reassignment_names_the_one_before() -> None:
    once = converge(typed(assigned_to_wang(), "volunteer", "李四"))
    twice = converge(typed(once, "volunteer", "张三"))
    lines = cell(twice, "sync_note").split("\n")
    assert "已改派给 张三（原为 李四，人工修改）" in lines
    assert not any("李四（原为 王芳" in line for line in lines)
    assert plan_of(twice).is_empty()


def test_the_same_person_typed_by_id_leaves_the_note_alone() -> None:
    tabs = assigned_to_wang()
    wang_id = tabs["志愿者"][1][SCHEMA.tab("volunteers").keys().index("id")]
    by_id = typed(tabs, "volunteer", wang_id)
    assert plan_of(by_id).is_empty()


@pytest.mark.parametrize("status", ["配送中", "已送达"])
def test_the_note_follows_on_a_request_under_way_or_delivered(status: str) -> None:
    tabs = typed(assigned_to_wang(), "status", status)
    tabs = converge(typed(tabs, "volunteer", "李四"))
    assert "已改派给 李四（原为 王芳，人工修改）" in cell(tabs, "sync_note").split("\n")
    assert plan_of(tabs).is_empty()


def test_a_claim_changed_by_hand_is_followed_too() -> None:
    claimed = converge(zh_tabs([request("甲", volunteer="王芳")], [volunteer("王芳"),
                                                                 volunteer("李四")]))  # fmt: skip
    assert "王芳 已认领" in cell(claimed, "sync_note")
    after = converge(typed(claimed, "volunteer", "李四"))
    lines = cell(after, "sync_note").split("\n")
    assert "已改派给 李四（原为 王芳，人工修改）" in lines and "王芳 已认领" not in lines
    assert plan_of(after).is_empty()


def test_an_english_workbook_says_it_in_english() -> None:
    tabs = {
        "Requests": grid("requests", [request("Ann", category="food", household="other",
                                              urgency="normal")], "en"),
        "Volunteers": grid("volunteers", [volunteer("Bob", active="yes", hours="24h"),
                                          volunteer("Cy", active="yes", hours="24h")], "en"),
    }  # fmt: skip
    tabs = converge(tabs)
    assert tabs["Requests"][1][KEYS.index("volunteer")] == "Bob"
    tabs = converge(typed(tabs, "volunteer", "Cy", title="Requests"))
    note = tabs["Requests"][1][KEYS.index("sync_note")]
    assert "reassigned by hand to Cy (was Bob)" in note.split("\n")
    assert "assigned to Bob" not in note
    assert plan_of(tabs).is_empty()


def test_the_words_are_in_both_languages_with_chinese_punctuation() -> None:
    zh, en = WORDS["reassigned"]
    assert "（" in zh and "，" in zh and "(" not in zh and "," not in zh
    assert isinstance(en, str) and en.startswith("reassigned")
