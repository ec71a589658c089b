"""A Google spreadsheet people can read: widths, wrap, frozen header, shaded worker columns and
the worker's times as real date-time cells, sent once per tab within the request budget, and
read back from the emulator's state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import gspread
import pytest
from emulator import RecordedRequest, SheetsEmulator
from gsheets_dressing import mark_dressed
from gsheets_fixtures import (
    LOG,
    NOW,
    REQUESTS,
    SCHEMA,
    SUMMARY,
    SheetsWorld,
    by_name,
    column,
    headers,
    request,
    volunteer,
    workbook,
)

from sync.backends.gsheets import GSheetsBackend
from sync.backends.gsheets.dress import DRESSED_KEY, SHADE, pixels
from sync.config import Settings
from sync.model import MOMENT_PATTERN
from sync.sample import sample_rows
from sync.writes import column_width, tab_format

NOTE, ASSIGNED, NAME = (column("requests", k) for k in ("sync_note", "assigned_at", "name"))
VOLUNTEER, ITEMS, PRIORITY = (column("requests", k) for k in ("volunteer", "items", "priority"))
MOMENTS = {"type": "DATE_TIME", "pattern": MOMENT_PATTERN}


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    """A running Sheets emulator."""
    with SheetsEmulator() as emu:
        yield emu


def _workbook(worker_tabs: bool = True) -> dict[str, list[list[Any]]]:
    return workbook(
        [
            request("王秀英", household="独居", urgency="紧急", category="药品"),
            request("陈建国"),
            request("吴兰", items="鸡蛋"),
        ],
        [volunteer("张伟"), volunteer("李娜", phone="13904121002")],
        worker_tabs=worker_tabs,
    )


def _kinds(emulator: SheetsEmulator, since: int = 0) -> list[str]:
    out = []
    for call in emulator.sheets_requests[since:]:
        tail = call.path.rsplit("/", 1)[-1]
        if not tail.startswith("values:"):
            tail = tail.split(":", 1)[1] if ":" in tail else "get"
        out.append(f"{call.method} {tail}")
    return out


def _dressing_sent(emulator: SheetsEmulator, since: int = 0) -> list[str]:
    """The formatting requests among the batchUpdates sent since `since`."""
    kinds = ("repeatCell", "updateDimensionProperties", "createDeveloperMetadata")
    return [
        kind
        for call in emulator.sheets_requests[since:]
        if call.path.endswith(":batchUpdate") and not call.path.endswith("values:batchUpdate")
        for r in (call.body or {}).get("requests") or []
        for kind in r
        if kind in kinds
    ]


def _shown(world: SheetsWorld, title: str) -> list[list[str]]:
    """What a person sees: the tab read with gspread's defaults (FORMATTED_VALUE)."""
    book = world.backend.client.open_by_key(world.sid)  # type: ignore[attr-defined]
    return book.worksheet(title).get_all_values()  # type: ignore[no-any-return]


def test_the_first_pass_dresses_the_tabs_within_four_requests_and_never_again(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, _workbook())
    world.seed_chart()
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    assert _kinds(emulator) == [
        "GET get", "GET values:batchGet", "POST batchUpdate", "POST values:batchUpdate",
    ]  # fmt: skip
    sheet = emulator.sheet(world.sid, REQUESTS)
    assert sheet.frozen_row_count == 1
    note = SCHEMA.tab("requests").columns[NOTE]
    assert sheet.column_pixels[NOTE] == pixels(column_width(note, "zh")) > 300
    assert sheet.format_at(2, NOTE)["wrapStrategy"] == "WRAP"
    assert "wrapStrategy" not in sheet.format_at(2, NAME)
    assert sheet.format_at(0, PRIORITY)["backgroundColor"] == SHADE  # header and rows below
    assert sheet.format_at(40, PRIORITY)["backgroundColor"] == SHADE
    assert "backgroundColor" not in sheet.format_at(2, VOLUNTEER)
    assert sheet.format_at(2, ASSIGNED)["numberFormat"] == MOMENTS
    assert any(m["metadataKey"] == DRESSED_KEY for m in sheet.developer_metadata)

    # the worker's times are date-time cells: a number under the hood, shown as its text
    rows = by_name(world.values(REQUESTS))
    assert rows["王秀英"][ASSIGNED] == datetime(2022, 12, 20, 15, 0)
    shown = {r[NAME]: r for r in _shown(world, REQUESTS)}
    assert shown["王秀英"][ASSIGNED] == "2022-12-20 15:00"
    log = emulator.get_values(world.sid, LOG)
    assert log[0] == headers("log") and isinstance(log[1][0], datetime)
    assert _shown(world, LOG)[1][0] == "2022-12-20 15:00"
    summary = emulator.sheet(world.sid, SUMMARY)
    wanted = tab_format(SCHEMA, "summary", SUMMARY, "zh")  # labels, values, the day table
    assert [summary.column_pixels[c.col] for c in wanted.columns] == [
        pixels(c.width) for c in wanted.columns
    ]

    assert world.run().plan.is_empty()  # the Summary now reports the quiet pass
    start = len(emulator.sheets_requests)
    again = world.run()  # the same --now: the times read back equal the worker's text
    assert again.plan.is_empty()
    assert _kinds(emulator, start) == ["GET get", "GET values:batchGet"]

    world.edit(REQUESTS, lambda r: r[3].__setitem__(VOLUNTEER, "李娜"))
    start = len(emulator.sheets_requests)
    later = world.run(NOW + timedelta(minutes=5))
    assert later.applied is not None and later.applied.written > 0
    assert _kinds(emulator, start) == [
        "GET get", "GET values:batchGet", "GET values:batchGet", "POST values:batchUpdate",
    ]  # fmt: skip
    assert _dressing_sent(emulator, start) == []


def test_a_person_editing_during_the_dressing_pass_keeps_their_edit(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """The request that dresses the tabs also answers with the tabs as they are after it: a
    person's typing in that moment is what the write is placed on, and it survives."""
    world = SheetsWorld(emulator, tmp_path, _workbook())
    world.seed_chart()

    def typing(rows: list[list[Any]]) -> None:
        for row in rows[1:]:
            if row[NAME] == "吴兰":
                row.extend([""] * (VOLUNTEER + 1 - len(row)))
                row[VOLUNTEER], row[ITEMS] = "李娜", "鸡蛋两盒"

    def hook(call: RecordedRequest) -> None:
        if call.method == "POST" and not call.path.endswith("values:batchUpdate"):
            emulator.before_request(None)
            world.edit(REQUESTS, typing)

    emulator.before_request(hook)
    result = world.run()
    emulator.before_request(None)
    assert result.applied is not None
    assert _dressing_sent(emulator)  # it was the dressing pass
    row = by_name(world.values(REQUESTS))["吴兰"]
    assert (row[VOLUNTEER], row[ITEMS]) == ("李娜", "鸡蛋两盒")
    assert emulator.sheet(world.sid, REQUESTS).format_at(1, NOTE)["wrapStrategy"] == "WRAP"


def test_a_tab_the_pass_adds_is_dressed_in_the_same_request(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, _workbook(worker_tabs=False))
    world.run()
    assert _kinds(emulator) == [
        "GET get", "GET values:batchGet", "POST batchUpdate", "POST values:batchUpdate",
    ]  # fmt: skip
    log = emulator.sheet(world.sid, LOG)
    assert log.frozen_row_count == 1
    assert log.format_at(1, 0)["numberFormat"] == MOMENTS
    detail = column("log", "detail")
    assert log.format_at(1, detail)["wrapStrategy"] == "WRAP"
    assert log.column_pixels[detail] == pixels(60)
    assert world.run().plan.is_empty()


def test_rows_a_pass_adds_to_the_grid_get_the_date_time_format(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, _workbook())
    world.seed_chart()
    mark_dressed(emulator, world.sid)
    emulator.sheet(world.sid, LOG).row_count = 2  # the Log's grid ends right below its header
    start = len(emulator.sheets_requests)
    world.run()
    assert _kinds(emulator, start)[2] == "POST batchUpdate"  # the grid grows
    assert _dressing_sent(emulator, start) == ["repeatCell"]  # the format over the new rows
    assert _shown(world, LOG)[3][0] == "2022-12-20 15:00"


def test_init_dresses_every_tab_and_nothing_dresses_them_again(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    emulator.make_service_account_key(tmp_path / "key.json")
    sid = emulator.create_spreadsheet("新表", {"Sheet1": []}, locale="en_US")
    settings = Settings(
        spreadsheet=sid,
        credentials=tmp_path / "key.json",
        sheets_endpoint=emulator.base_url,
        state_dir=tmp_path / "state",
    )
    backend = GSheetsBackend.from_settings(settings)
    done = backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "en"))
    assert any(line.startswith("set column widths") and "Requests" in line for line in done)
    requests_tab = emulator.sheet(sid, "Requests")
    note = column("requests", "sync_note")
    assert requests_tab.column_pixels[note] == pixels(44)
    assert requests_tab.format_at(3, column("requests", "delivered_at"))["numberFormat"] == MOMENTS
    for title in ("Requests", "Volunteers", "Stock", "Summary", "Log"):
        marks = emulator.sheet(sid, title).developer_metadata
        assert [m["metadataKey"] for m in marks] == [DRESSED_KEY], title
    start = len(emulator.sheets_requests)
    assert backend.initialise(SCHEMA, "en", None) == []
    from sync.worker import run_pass

    run_pass(backend, settings, NOW, schema=SCHEMA)
    assert _dressing_sent(emulator, start) == []


# -- the emulator refuses what Google refuses ----------------------------------------------------
@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"repeatCell": {"range": {"sheetId": 0}, "cell": {"userEnteredFormat": {}}}}, "field"),
        (
            {
                "repeatCell": {
                    "range": {"sheetId": 0},
                    "cell": {"userEnteredFormat": {"wrapStrategy": "WRAPPED"}},
                    "fields": "userEnteredFormat.wrapStrategy",
                }
            },
            "wrap_strategy",
        ),
        (
            {
                "repeatCell": {
                    "range": {"sheetId": 0},
                    "cell": {"userEnteredFormat": {"numberFormat": {"type": "DATETIME"}}},
                    "fields": "userEnteredFormat.numberFormat",
                }
            },
            "number_format",
        ),
        (
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": 0,
                        "dimension": "COLUMNS",
                        "startIndex": 0,
                        "endIndex": 30,
                    },
                    "properties": {"pixelSize": 100},
                    "fields": "pixelSize",
                }
            },
            "Invalid range",
        ),
        (
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {"metadataKey": "k", "location": {"sheetId": 0}}
                }
            },
            "visibility",
        ),
    ],
)
def test_a_wrong_formatting_request_is_refused_and_changes_nothing(
    emulator: SheetsEmulator, tmp_path: Path, request_: dict[str, Any], message: str
) -> None:
    world = SheetsWorld(emulator, tmp_path, {"Sheet1": [["a"]]})
    sheet = emulator.spreadsheet(world.sid).sheets[0]
    sheet.sheet_id = 0
    good = {
        "updateDimensionProperties": {
            "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
            "properties": {"pixelSize": 222},
            "fields": "pixelSize",
        }
    }
    book = world.backend.client.open_by_key(world.sid)  # type: ignore[attr-defined]
    with pytest.raises(gspread.exceptions.APIError, match=message):
        book.batch_update({"requests": [good, request_]})
    after = emulator.spreadsheet(world.sid).sheets[0]  # the batch is undone as a whole
    assert after.column_pixels == {}
