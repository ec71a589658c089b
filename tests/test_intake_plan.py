"""The Inbox planning step: new messages become request rows, planned and written with the pass.

build_plan hooks it in: plan_inbox adds the rows, the pass plans over them, fold turns them into
NewRows and links the Inbox rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import (
    NOW,
    RULES,
    SCHEMA,
    TZ,
    apply_in_memory,
    grid,
    read_workbook,
    request,
    save_workbook,
    snapshot_of,
    volunteer,
    zh_tabs,
)
from emulator import SheetsEmulator
from gsheets_fixtures import SheetsWorld
from gsheets_fixtures import volunteer as gvolunteer
from gsheets_fixtures import workbook as gworkbook

from sync.backends.xlsx import XlsxBackend
from sync.intake.plan import plan_inbox
from sync.model import Plan, Snapshot
from sync.placement import place_plan
from sync.planner import build_plan

STORY = "能帮我们买点退烧药吗?家里没有了。"
FULL = "海兴花园2号楼3单元101 李素文阿姨，独居，急需布洛芬，电话 138 4000 1005"


def pass_plan(snapshot: Snapshot) -> Plan:
    return build_plan(snapshot, RULES, NOW, TZ, SCHEMA)


def tabs_with(
    messages: list[dict[str, Any]], requests: list[dict[str, Any]] | None = None
) -> dict[str, list[list[Any]]]:
    tabs = zh_tabs(requests or [], [volunteer("段珊珊", categories="", max_open=5)])
    tabs["群消息"] = grid("inbox", messages)
    return tabs


def rows_of(tabs: dict[str, list[list[Any]]], tab: str) -> list[dict[str, Any]]:
    snapshot = snapshot_of(tabs)
    table = snapshot.tables[tab]
    return [{k: table.get(r, k) for k in table.header.columns} for r in table.data_rows]


def test_a_full_message_becomes_one_request_assigned_in_the_same_pass() -> None:
    tabs = tabs_with([{"message": FULL, "source": "网格员邱瑾"}])
    plan = pass_plan(snapshot_of(tabs))
    assert [r.tab for r in plan.new_rows] == ["requests"]
    after = apply_in_memory(tabs, plan)
    (made,) = rows_of(after, "requests")
    assert (made["name"], made["phone"], made["community"]) == ("李素文", "13840001005", "创意社区")
    assert (made["address"], made["household"], made["category"]) == (
        "海兴花园2号楼3单元101",
        "独居",
        "药品",
    )
    assert (made["items"], made["urgency"], made["status"]) == ("布洛芬", "紧急", "已派单")
    assert made["volunteer"] == "段珊珊" and made["priority"]
    assert made["sync_note"].startswith("由「群消息」第 2 行的消息生成\n")
    assert made["sync_note"].count("由「群消息」") == 1
    assert "13840001005" not in made["notes"]  # the message is kept, its phone masked
    (inbox,) = rows_of(after, "inbox")
    assert inbox["request"] == made["id"] == "R-0001"
    assert inbox["sync_note"].startswith("已生成需求 R-0001\n从消息读到：居民姓名「李素文」")
    assert inbox["received_at"] == "2022-12-20 15:00"
    assert inbox["message"] == FULL  # the message stays as pasted


def test_the_story_message_waits_in_needs_info_saying_what_to_fill_in() -> None:
    tabs = tabs_with([{"message": STORY, "received_at": "2022-12-20 14:10"}])
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    (made,) = rows_of(after, "requests")
    assert made["status"] == "信息不全"
    assert (made["category"], made["items"], made["submitted_at"]) == (
        "药品",
        "退烧药",
        "2022-12-20 14:10",
    )
    assert made["name"] is None and made["phone"] is None
    assert "缺少居民姓名" in made["sync_note"]
    (inbox,) = rows_of(after, "inbox")
    assert "消息里没有：居民姓名、联系电话、社区、地址" in inbox["sync_note"]


def test_a_second_pass_makes_nothing_more_and_editing_the_message_changes_nothing() -> None:
    tabs = tabs_with([{"message": FULL}])
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    again = pass_plan(snapshot_of(after))
    assert again.new_rows == ()
    assert not [c for c in again.changes if c.tab == "inbox"]
    title = "群消息"
    after[title][1][0] = "其实要降压药，电话 139 0000 1111"
    edited = pass_plan(snapshot_of(after))
    assert edited.new_rows == () and not [c for c in edited.changes if c.tab == "inbox"]


def test_a_message_asking_for_nothing_makes_no_request_and_says_why() -> None:
    tabs = tabs_with([{"message": "谢谢志愿者！药已经收到了🙏"}, {"message": "   "}])
    plan = pass_plan(snapshot_of(tabs))
    assert plan.new_rows == ()
    after = apply_in_memory(tabs, plan)
    notes = [r["sync_note"] for r in rows_of(after, "inbox")]
    assert notes == ["这条消息是道谢或回复，没有求助，不生成需求"]
    assert pass_plan(snapshot_of(after)).changes == ()  # and says it once


def test_the_request_and_the_inbox_link_are_one_write_a_deferred_link_holds_the_request() -> None:
    tabs = tabs_with([{"message": FULL}])
    plan = pass_plan(snapshot_of(tabs))
    (new,) = plan.new_rows
    assert new.depends_tab == "inbox" and new.depends_on is not None
    tabs["群消息"][1][0] = FULL + " 谢谢"  # the message edited between the read and the write
    now = snapshot_of(tabs)
    targets, deferred, new_cells, skipped = place_plan(plan, now, {})
    assert new_cells == [] and skipped == {new.id}
    assert {c.column for c in deferred if c.tab == "inbox"} >= {"request", "sync_note"}
    assert not [t for t in targets if t.change.tab == "inbox"]
    rerun = pass_plan(now)  # the next pass reads the edited message and makes it, once
    assert len(rerun.new_rows) == 1


def test_a_pass_that_stops_before_its_write_leaves_the_message_new_and_the_rerun_makes_one(
    tmp_path: Path,
) -> None:
    path = save_workbook(tmp_path / "book.xlsx", tabs_with([{"message": FULL}, {"message": STORY}]))
    backend = XlsxBackend(path)
    first = backend.read(SCHEMA)
    pass_plan(first)  # planned, then the process dies before apply: nothing on disk changed
    snapshot = backend.read(SCHEMA)
    backend.apply(snapshot, pass_plan(snapshot), SCHEMA)
    book = read_workbook(path)
    assert [r[0] for r in book["需求登记"][1:]] == ["R-0001", "R-0002"]
    assert [r[3] for r in book["群消息"][1:]] == ["R-0001", "R-0002"]
    snapshot = backend.read(SCHEMA)
    backend.apply(snapshot, pass_plan(snapshot), SCHEMA)
    assert [r[0] for r in read_workbook(path)["需求登记"][1:]] == ["R-0001", "R-0002"]


def test_formula_looking_text_stays_text_in_the_request(tmp_path: Path) -> None:
    message = '=HYPERLINK("http://x") 帮买退烧药 海兴花园5号楼'
    path = save_workbook(tmp_path / "book.xlsx", tabs_with([{"message": message}]))
    backend = XlsxBackend(path)
    snapshot = backend.read(SCHEMA)
    backend.apply(snapshot, pass_plan(snapshot), SCHEMA)
    import openpyxl

    ws = openpyxl.load_workbook(path)["需求登记"]
    notes = ws.cell(row=2, column=SCHEMA.tab("requests").keys().index("notes") + 1)
    assert notes.value == message and notes.data_type == "s"


def test_a_duplicate_of_an_open_request_is_flagged_as_duplicates_are() -> None:
    open_one = request("李素文", phone="13840001005", category="药品", items="布洛芬")
    tabs = tabs_with([{"message": FULL}], [open_one])
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    made = rows_of(after, "requests")[1]
    assert made["id"] == "R-0002"
    assert "R-0001" in made["sync_note"]


def test_two_residents_make_one_request_and_a_note_asking_to_split_it() -> None:
    message = "海兴花园5号楼 王奶奶要降压药 13840001101；6号楼 李素文阿姨要买菜 13840001102"
    tabs = tabs_with([{"message": message}])
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    (made,) = rows_of(after, "requests")
    assert made["name"] == "王奶奶"
    assert "请把其余的另登一行" in made["sync_note"]
    assert "请把其余的另登一行" in rows_of(after, "inbox")[0]["sync_note"]


def test_a_workbook_without_an_inbox_plans_as_with_an_empty_one() -> None:
    tabs = zh_tabs([request("张桂芳")], [volunteer("段珊珊")])
    with_inbox = {**tabs, "群消息": grid("inbox", [])}
    plain, empty = pass_plan(snapshot_of(tabs)), pass_plan(snapshot_of(with_inbox))
    assert (plain.changes, plain.new_rows, plain.log) == (empty.changes, empty.new_rows, empty.log)


def test_an_inbox_without_its_request_column_makes_nothing() -> None:
    tabs = tabs_with([])
    tabs["群消息"] = [["消息内容", "来源"], [FULL, ""]]
    plan = pass_plan(snapshot_of(tabs))
    assert plan.new_rows == ()
    assert any("生成需求" in p for p in plan.problems)


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    """A running Sheets emulator."""
    with SheetsEmulator() as emu:
        yield emu


def test_on_google_the_request_and_its_link_land_together_and_once(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    tabs = gworkbook([], [gvolunteer("段珊珊", max_open=5)])
    tabs["群消息"] = grid("inbox", [{"message": FULL}, {"message": "收到"}])
    world = SheetsWorld(emulator, tmp_path, tabs)
    for _ in range(2):  # the second pass makes nothing more
        snapshot = world.backend.read(SCHEMA)
        world.backend.apply(snapshot, pass_plan(snapshot), SCHEMA)
    requests = world.values("需求登记")
    assert [r[0] for r in requests[1:]] == ["R-0001"]
    inbox = world.values("群消息")
    assert [r[3] for r in inbox[1:]] == ["R-0001", ""]
    assert inbox[2][4] == "这条消息是道谢或回复，没有求助，不生成需求"


def test_check_previews_what_each_new_message_becomes_before_anything_is_made() -> None:
    tabs = tabs_with(
        [{"message": STORY}, {"message": "收到"}, {"message": FULL, "request": "R-0009"}]
    )
    intake = plan_inbox(snapshot_of(tabs), RULES, SCHEMA, NOW, TZ)
    assert intake.preview() == (
        "群消息第 2 行：从消息读到：类别「药品」，物品明细「退烧药」；消息里没有：居民姓名、联系电话、社区、地址，请在需求行补上",
        "群消息第 3 行：这条消息是道谢或回复，没有求助，不生成需求",
    )


def test_an_english_sheet_gets_english_labels_and_notes() -> None:
    tabs = {
        "Requests": grid("requests", [], "en"),
        "Volunteers": grid(
            "volunteers", [volunteer("段珊珊", role="resident", hours="24h", active="yes")], "en"
        ),
        "Inbox": grid("inbox", [{"message": FULL}], "en"),
    }
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    (made,) = rows_of(after, "requests")
    assert (made["household"], made["category"], made["urgency"]) == (
        "living alone",
        "medicine",
        "urgent",
    )
    assert made["sync_note"].startswith("made from the message on Inbox row 2\n")
    assert rows_of(after, "inbox")[0]["sync_note"].startswith(
        "request R-0001 made from this message\nread from the message: Resident '李素文'"
    )


def test_the_sample_messages_tell_the_story_a_request_to_fill_one_assigned_one_thanks() -> None:
    from sync.intake.sample import sample_inbox_rows

    tabs = tabs_with(sample_inbox_rows())
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    made = rows_of(after, "requests")
    assert [r["status"] for r in made] == ["信息不全", "已派单"]
    assert made[1]["name"] == "张桂芳" and made[1]["volunteer"] == "段珊珊"
    assert [r["request"] for r in rows_of(after, "inbox")] == ["R-0001", "R-0002", None]


@pytest.mark.parametrize(
    "message",
    [STORY, FULL, "海兴花园5号楼 王奶奶要降压药 13840001101；6号楼 李素文阿姨要买菜 13840001102"],
)
def test_a_second_pass_keeps_the_note_a_message_made_and_plans_nothing(message: str) -> None:
    """The request's note starts with where it came from (and what to check) on every pass,
    whether it waits for details, is assigned or asks to be split."""
    tabs = tabs_with([{"message": message}])
    after = apply_in_memory(tabs, pass_plan(snapshot_of(tabs)))
    (made,) = rows_of(after, "requests")
    assert made["sync_note"].startswith("由「群消息」第 2 行的消息生成")
    again = pass_plan(snapshot_of(after))
    assert again.changes == () and again.new_rows == () and again.log == ()
