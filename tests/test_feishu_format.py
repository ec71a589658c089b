"""A Feishu spreadsheet people can read: widths, shaded worker columns and a frozen header, sent
once per tab (init, or the first pass over it), read back from the emulator's state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator.feishu import FeishuEmulator
from emulator.feishu.server import Recorded
from emulator.feishu.world import FeishuWorld
from gsheets_fixtures import (
    LOG,
    NOW,
    REQUESTS,
    SCHEMA,
    VOLUNTEERS,
    by_name,
    column,
    request,
    volunteer,
    workbook,
)

from sync.backends.feishu.dress import SHADE, pixels
from sync.writes import column_width, tab_format

NOTE, ASSIGNED, NAME = (column("requests", k) for k in ("sync_note", "assigned_at", "name"))
VOLUNTEER, ITEMS, PRIORITY = (column("requests", k) for k in ("volunteer", "items", "priority"))
DRESSING = ("PUT dimension_range", "PUT styles_batch_update")
STEADY = ["GET sheets/query", "GET values_batch_get", "GET values_batch_get",
          "POST values_batch_update"]  # fmt: skip


@pytest.fixture
def emulator() -> Iterator[FeishuEmulator]:
    """A running emulator."""
    with FeishuEmulator() as emu:
        yield emu


def _workbook() -> dict[str, list[list[Any]]]:
    return workbook(
        [request("王秀英", household="独居", urgency="紧急"), request("陈建国"),
         request("吴兰", items="鸡蛋")],
        [volunteer("张伟"), volunteer("李娜", phone="13904121002")],
    )  # fmt: skip


def _since(world: FeishuWorld, start: int) -> list[str]:
    return world.requests_made()[start:]


def test_the_first_pass_dresses_each_tab_and_later_passes_send_no_formatting(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, _workbook())
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    sheet = emulator.sheet(world.token, REQUESTS)
    assert sheet.frozen_rows == 1
    note = SCHEMA.tab("requests").columns[NOTE]
    assert sheet.widths[NOTE] == pixels(column_width(note, "zh")) > 300
    assert sheet.style_at(0, PRIORITY)["backColor"] == SHADE  # the header and rows below
    assert sheet.style_at(150, PRIORITY)["backColor"] == SHADE
    assert "backColor" not in sheet.style_at(1, VOLUNTEER)
    assert emulator.sheet(world.token, VOLUNTEERS).frozen_rows == 1
    assert emulator.sheet(world.token, LOG).widths
    # no date-time cells on Feishu (docs/feishu.md): the worker's time stays its text
    assert by_name(world.values(REQUESTS))["王秀英"][ASSIGNED] == "2022-12-20 15:00"

    assert world.run().plan.is_empty()
    start = len(world.requests_made())
    assert world.run().plan.is_empty()
    assert _since(world, start) == ["GET sheets/query", "GET values_batch_get"]
    world.edit(REQUESTS, lambda rows: rows[2].__setitem__(VOLUNTEER, "李娜"))
    start = len(world.requests_made())
    world.run(NOW.replace(minute=5))
    assert _since(world, start) == STEADY


def test_a_person_editing_during_the_dressing_keeps_their_edit(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    """The tabs are dressed before the check before writing: what a person types meanwhile
    is what the write is placed on."""
    world = FeishuWorld(emulator, tmp_path, _workbook())

    def typing(rows: list[list[Any]]) -> None:
        for row in rows[1:]:
            if row[NAME] == "吴兰":
                row.extend([""] * (VOLUNTEER + 1 - len(row)))
                row[VOLUNTEER], row[ITEMS] = "李娜", "鸡蛋两盒"

    def hook(call: Recorded) -> None:
        if call.method == "PUT":
            emulator.before_request(None)
            world.edit(REQUESTS, typing)

    emulator.before_request(hook)
    result = world.run()
    emulator.before_request(None)
    assert result.applied is not None
    row = by_name(world.values(REQUESTS))["吴兰"]
    assert (row[VOLUNTEER], row[ITEMS]) == ("李娜", "鸡蛋两盒")
    assert emulator.sheet(world.token, REQUESTS).frozen_rows == 1


def test_init_dresses_every_tab_once(emulator: FeishuEmulator, tmp_path: Path) -> None:
    from sync.sample import sample_rows

    world = FeishuWorld(emulator, tmp_path, {"Sheet1": []})
    done = world.backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "en"))
    assert any(line.startswith("set column widths") for line in done)
    tab = emulator.sheet(world.token, "Requests")
    assert tab.widths[NOTE] == pixels(44)
    assert tab.style_at(5, PRIORITY)["backColor"] == SHADE
    summary = tab_format(SCHEMA, "summary", "Summary", "en")
    assert emulator.sheet(world.token, "Summary").widths[0] == pixels(summary.columns[0].width)
    start = len(world.requests_made())
    assert world.backend.initialise(SCHEMA, "en", None) == []
    world.run(NOW)
    assert not [c for c in _since(world, start) if c in DRESSING]


@pytest.mark.parametrize(
    ("style", "ranges"),
    [
        ({"backColor": "pale blue"}, None),
        ({"textWrap": 2}, None),  # not among the documented style fields
        ({"formatter": "yyyy-MM-dd HH:mm"}, None),  # not among the documented formats
        ({"backColor": "#eef2fc"}, ["A1:A6000"]),  # over 5,000 rows
        ({"backColor": "#eef2fc"}, ["A1:A300"]),  # past the grid
    ],
)
def test_a_wrong_style_request_is_refused_and_changes_nothing(
    emulator: FeishuEmulator, tmp_path: Path, style: dict[str, Any], ranges: list[str] | None
) -> None:
    world = FeishuWorld(emulator, tmp_path, {"Sheet1": [["a"]]})
    sheet = emulator.book(world.token).sheets[0]
    sheet.row_count = 10_000 if ranges == ["A1:A6000"] else sheet.row_count
    good = {"ranges": [f"{sheet.sheet_id}!B1:B2"], "style": {"backColor": "#ffffff"}}
    bad = {"ranges": [f"{sheet.sheet_id}!{r}" for r in ranges or ["A1:A2"]], "style": style}
    with pytest.raises(Exception, match="9020"):
        world.backend.sheets.client.call(
            "PUT",
            f"/open-apis/sheets/v2/spreadsheets/{world.token}/styles_batch_update",
            "styling",
            body={"data": [good, bad]},
        )
    assert sheet.styles == []
