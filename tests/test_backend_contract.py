"""One contract, every backend: the same passes through sync.worker.run_pass on a local .xlsx
workbook, on a Google spreadsheet (the in-process emulator, via real gspread/google-auth) and on
the in-memory store (sync/backends/memory.py, the template for a new backend)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from builders import RULES
from emulator import SheetsEmulator
from gsheets_fixtures import (
    LOG,
    NOW,
    REQUESTS,
    SCHEMA,
    VOLUNTEERS,
    SheetsWorld,
    World,
    XlsxWorld,
    by_name,
    column,
    human_cells,
    request,
    volunteer,
    workbook,
)
from shown import shown, shown_rows

from sync.model import WriteSet
from sync.notify.config import parse_channels
from sync.worker import run_pass

STATUS = column("requests", "status")
VOLUNTEER = column("requests", "volunteer")
ASSIGNED_AT = column("requests", "assigned_at")
NOTE = column("requests", "sync_note")
PHONE = column("requests", "phone")
ID = column("requests", "id")


def label(list_name: str, key: str) -> str:
    """A choice's Chinese label."""
    return SCHEMA.choice_list(list_name).label(key, "zh")


def row_of(world: World, name: str) -> tuple[Any, ...]:
    """The Requests row of a resident."""
    return by_name(world.values(REQUESTS))[name]


def test_urgent_request_of_someone_living_alone_is_assigned(make: Any) -> None:
    world = make(
        workbook(
            [
                request("赵大妈", urgency="一般"),
                request(
                    "王秀英", household="独居", urgency="紧急", category="药品", items="布洛芬"
                ),
            ],
            [volunteer("张伟", max_open=1)],
        )
    )
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    urgent = row_of(world, "王秀英")
    assert urgent[STATUS] == label("request_status", "assigned")
    assert urgent[VOLUNTEER] == "张伟"
    assert shown(urgent[ASSIGNED_AT]) == "2022-12-20 15:00"
    assert "独居 +50" in urgent[NOTE] and "紧急 +30" in urgent[NOTE]
    # the one volunteer had room for one: the urgent, living-alone request came first
    assert row_of(world, "赵大妈")[VOLUNTEER] == ""
    ids = [r[ID] for r in world.values(REQUESTS)[1:]]
    assert ids == ["R-0001", "R-0002"]


def test_a_volunteers_typed_claim_is_kept(make: Any) -> None:
    world = make(
        workbook([request("陈建国", volunteer="李娜")], [volunteer("张伟"), volunteer("李娜")])
    )
    world.run()
    claimed = row_of(world, "陈建国")
    assert claimed[VOLUNTEER] == "李娜"
    assert claimed[STATUS] == label("request_status", "assigned")
    assert "李娜 已认领" in claimed[NOTE]


def test_missing_phone_needs_info_then_returns_to_new_once_fixed(make: Any) -> None:
    world = make(workbook([request("刘芳", phone="")], [volunteer("张伟", active="否")]))
    world.run()
    assert row_of(world, "刘芳")[STATUS] == label("request_status", "needs_info")
    assert "缺少联系电话" in row_of(world, "刘芳")[NOTE]

    world.edit(REQUESTS, lambda rows: rows[1].__setitem__(PHONE, "13840001009"))
    world.run(NOW.replace(minute=10))
    fixed = row_of(world, "刘芳")
    assert fixed[STATUS] == label("request_status", "new")
    assert fixed[PHONE] == "13840001009"  # validated, never rewritten
    assert any("信息不全 → 待派单" in " ".join(map(str, line)) for line in world.values(LOG))


def test_second_pass_plans_nothing(make: Any) -> None:
    world = make(
        workbook(
            [request("王秀英", household="独居", urgency="紧急"), request("刘芳", phone="")],
            [volunteer("张伟"), volunteer("李娜")],
        )
    )
    first = world.run()
    assert not first.plan.is_empty()
    after_first = {t: world.values(t) for t in (REQUESTS, VOLUNTEERS)}
    second = world.run()
    assert second.plan.is_empty(), second.plan.changes
    assert second.applied is not None and second.applied.written == 0
    assert {t: world.values(t) for t in (REQUESTS, VOLUNTEERS)} == after_first


def test_cells_people_typed_are_untouched(make: Any) -> None:
    requests = [
        request("王秀英", household="独居", urgency="紧急", notes="请敲门三下"),
        request("陈建国", volunteer="李娜", items="  大米 5kg  "),
        request("刘芳", phone="138-4000-1009", community="创意"),
        request("孙强", phone="", notes="电话见群聊"),
    ]
    volunteers = [volunteer("张伟", team=""), volunteer("李娜", hours="08:00-22:00")]
    world = make(workbook(requests, volunteers))
    before = {t: human_cells(world.values(t), k) for t, k in ((REQUESTS, "requests"),
                                                               (VOLUNTEERS, "volunteers"))}  # fmt: skip
    world.run()
    world.run(NOW.replace(hour=16))
    after = {t: human_cells(world.values(t), k) for t, k in ((REQUESTS, "requests"),
                                                              (VOLUNTEERS, "volunteers"))}  # fmt: skip
    assert after == before
    # and a human's status decision is never undone
    world.edit(REQUESTS, lambda rows: rows[1].__setitem__(STATUS, "已取消"))
    world.run(NOW.replace(hour=17))
    assert row_of(world, "王秀英")[STATUS] == "已取消"


def test_both_backends_write_the_same_cells(tmp_path: Path) -> None:
    tabs = workbook(
        [
            request("王秀英", household="独居", urgency="紧急", category="药品", items="布洛芬"),
            request("陈建国", volunteer="李娜"),
            request("刘芳", phone=""),
            request("周明", community="乐园社区"),
        ],
        [volunteer("张伟"), volunteer("李娜", phone="13904121002")],
        [{"item": "布洛芬", "category": "药品", "quantity": 3, "unit": "盒", "community": "创意社区",
          "expiry": "2024-06-30", "sealed": "是", "disinfected": "是"}],
    )  # fmt: skip
    (tmp_path / "x").mkdir()
    (tmp_path / "g").mkdir()
    local = XlsxWorld(tmp_path / "x", tabs)
    with SheetsEmulator() as emu:
        remote = SheetsWorld(emu, tmp_path / "g", tabs)
        for world in (local, remote):
            world.run()
            world.run(NOW.replace(hour=16))
        for title in tabs:
            assert shown_rows(remote.values(title)) == shown_rows(local.values(title)), title


def _cells(writes: WriteSet | None) -> set[tuple[str, int, int, Any]]:
    """Every cell a WriteSet puts down, Log and Summary included."""
    assert writes is not None and writes.summary is not None
    cells = [*writes.cells(), *(c for b in writes.tab_headers for c in b.cells())]
    if writes.log is not None:
        cells += writes.log.block().cells()
    found = {(c.title, c.row, c.col, c.value) for c in cells}
    for r, line in enumerate(writes.summary.grid(), start=1):
        found |= {(writes.summary.title, r, c, v) for c, v in enumerate(line)}
    return found


def test_a_dry_run_shows_the_summary_and_cells_the_write_puts_down(make: Any) -> None:
    """With a notification channel, whose health the Summary shows, on the dry run too."""
    world = make(
        workbook(
            [request("赵大妈"), request("王秀英", household="独居", urgency="紧急")],
            [volunteer("张伟", max_open=1)],
        )
    )
    hook = {"name": "街道群", "type": "webhook", "url": "http://127.0.0.1:9/", "events": ["report"]}
    world.settings = replace(world.settings, notify=parse_channels([hook], Path(".")))
    dry = run_pass(world.backend, world.settings, NOW, dry_run=True, schema=SCHEMA, rules=RULES)
    assert dry.applied is None and dry.write_set is not None
    wrote = world.run()
    assert wrote.applied is not None and wrote.write_set is wrote.applied.write_set
    assert wrote.write_set is not None and wrote.write_set.summary is not None
    assert dry.write_set.summary == wrote.write_set.summary
    assert any("街道群" in row for row in wrote.write_set.summary.rows)  # the channel's health
    assert _cells(dry.write_set) == _cells(wrote.write_set)
    assert dry.write_set.log_lines == wrote.applied.logged != ()
    assert [t.key for t in dry.write_set.tabs] == [t.key for t in wrote.write_set.tabs]
