"""The Google Sheets backend against the in-process emulator, through real gspread/google-auth:
request budget, retries, races with people editing, text safety, errors, init and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from emulator import RecordedRequest, SheetsEmulator
from emulator.auth import private_key_pem
from gsheets_dressing import mark_dressed
from gsheets_fixtures import (
    AIDSYNC,
    LOG,
    NOW,
    REQUESTS,
    SCHEMA,
    STOCK,
    SUMMARY,
    VOLUNTEERS,
    SheetsWorld,
    by_name,
    cli_env,
    column,
    headers,
    human_cells,
    request,
    volunteer,
    workbook,
)

from sync.backends.gsheets import GSheetsBackend, spreadsheet_key
from sync.backends.gsheets import http as gsheets_http
from sync.backends.gsheets.http import RetryPolicy, SheetsCaller, Transient, retry_after
from sync.config import Settings
from sync.errors import BackendError, ConfigError, SyncError
from sync.sample import SAMPLE_NOW, sample_rows
from sync.worker import run_pass

STATUS = column("requests", "status")
VOLUNTEER = column("requests", "volunteer")
NOTE = column("requests", "sync_note")
NAME = column("requests", "name")
ID = column("requests", "id")
COMMUNITIES = ("创意社区", "建设社区", "乐园社区", "兴华社区")


class FakeClock:
    """A clock the emulator's quotas follow and the backend's sleeps advance."""

    def __init__(self) -> None:
        """Start at t=1000."""
        self.now = 1000.0

    def __call__(self) -> float:
        """The current fake time."""
        return self.now


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    """A running Sheets emulator."""
    with SheetsEmulator() as emu:
        yield emu


def small_workbook() -> dict[str, list[list[Any]]]:
    """Four requests and two volunteers."""
    return workbook(
        [
            request("王秀英", household="独居", urgency="紧急", category="药品", items="布洛芬"),
            request("陈建国", volunteer="李娜"),
            request("刘芳", phone=""),
            request("周明", items="大米"),
            request("吴兰", items="鸡蛋", urgency="紧急"),
        ],
        [volunteer("张伟"), volunteer("李娜", phone="13904121002")],
    )


def many_requests(n: int) -> dict[str, list[list[Any]]]:
    """n requests over four communities, and 40 volunteers."""
    requests_ = [
        request(f"居民{i}", phone=f"138{i:08d}", community=COMMUNITIES[i % 4],
                urgency="紧急" if i % 7 == 0 else "一般")
        for i in range(n)
    ]  # fmt: skip
    volunteers = [
        volunteer(f"志愿者{i}", phone=f"139{i:08d}", communities=COMMUNITIES[i % 4])
        for i in range(40)
    ]
    return workbook(requests_, volunteers)


def sheets_calls(emu: SheetsEmulator, since: int) -> list[RecordedRequest]:
    """Sheets API requests after the first `since` (token requests excluded)."""
    return emu.sheets_requests[since:]


def kinds(calls: list[RecordedRequest]) -> list[str]:
    """'GET get', 'GET values:batchGet', 'POST values:batchUpdate', 'POST batchUpdate'."""
    out = []
    for call in calls:
        tail = call.path.rsplit("/", 1)[-1]
        if not tail.startswith("values:"):
            tail = tail.split(":", 1)[1] if ":" in tail else "get"
        out.append(f"{call.method} {tail}")
    return out


# -- the request budget -----------------------------------------------------------------------
def test_a_pass_costs_the_same_four_requests_for_100_or_10000_rows(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    counts: dict[int, list[str]] = {}
    for n in (100, 10_000):
        folder = tmp_path / str(n)
        folder.mkdir()
        world = SheetsWorld(emulator, folder, many_requests(n))
        world.seed_chart()  # the pass that first draws the chart costs one more (test_chart.py)
        mark_dressed(emulator, world.sid)  # and the one that first dresses the tabs (below)
        emulator.sheet(world.sid, LOG).row_count = 3 * n + 100  # room for the first pass's log
        start = len(emulator.sheets_requests)
        result = world.run()
        assert result.applied is not None and result.applied.written >= 4 * n  # ids, notes…
        counts[n] = kinds(sheets_calls(emulator, start))
        rows = world.values(REQUESTS)
        assert len(rows) == n + 1 and rows[-1][ID] == f"R-{n:04d}"
    expected = ["GET get", "GET values:batchGet", "GET values:batchGet", "POST values:batchUpdate"]
    assert counts[100] == counts[10_000] == expected
    assert emulator.sheets_requests[-1].body["valueInputOption"] == "RAW"


def test_a_pass_with_nothing_new_reads_twice_and_writes_nothing(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.run()
    world.run()  # the Summary now reports the quiet pass
    start = len(emulator.sheets_requests)
    result = world.run()
    assert result.plan.is_empty()
    assert kinds(sheets_calls(emulator, start)) == ["GET get", "GET values:batchGet"]


def test_missing_worker_tabs_are_added_within_the_four_requests(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """The request that adds the tabs (and the chart) also answers with the tabs as they are
    after it: that answer is the check before writing, so no fifth request is needed."""
    world = SheetsWorld(emulator, tmp_path, workbook([request("周明")], [volunteer("张伟")], (),
                                                     worker_tabs=False))  # fmt: skip
    start = len(emulator.sheets_requests)
    world.run()
    assert kinds(sheets_calls(emulator, start)) == [
        "GET get", "GET values:batchGet", "POST batchUpdate", "POST values:batchUpdate",
    ]  # fmt: skip
    assert world.values(LOG)[0] == headers("log")
    assert emulator.sheet(world.sid, LOG).frozen_row_count == 1
    assert world.values(SUMMARY)[0][0]
    world.edit(REQUESTS, lambda rows: rows[1].__setitem__(VOLUNTEER, "张伟"))
    start = len(emulator.sheets_requests)
    world.run(NOW.replace(minute=5))
    assert len(sheets_calls(emulator, start)) == 4
    # someone deletes the Log tab of a sheet with nothing new: it comes back, then all is quiet
    spreadsheet = emulator.spreadsheet(world.sid)
    spreadsheet.sheets.remove(emulator.sheet(world.sid, LOG))
    assert world.run(NOW.replace(minute=5)).plan.new_tabs == ("log",)
    assert world.values(LOG) == [headers("log")]
    assert world.run(NOW.replace(minute=5)).plan.is_empty()


def test_missing_worker_columns_are_added_after_the_last_header(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    keep = ["name", "phone", "community", "address", "category", "items", "notes"]
    tab = SCHEMA.tab("requests")
    rows = [[tab.column(k).zh for k in keep] + ["自己的列"],
            ["王秀英", "13840001001", "创意社区", "海兴花园2号楼", "蔬菜食品", "白菜", "", "x"]]  # fmt: skip
    tabs = workbook([], [volunteer("张伟")])
    tabs[REQUESTS] = rows
    world = SheetsWorld(emulator, tmp_path, tabs)
    emulator.sheet(world.sid, REQUESTS).column_count = 10  # the new columns need a wider grid
    start = len(emulator.sheets_requests)
    world.run()
    assert "POST batchUpdate" in kinds(sheets_calls(emulator, start))  # appendDimension
    after = world.values(REQUESTS)
    assert after[0][:8] == rows[0]
    assert after[1][:8] == rows[1]
    added = after[0][8:]
    assert "编号" in added and "系统提示" in added and "状态" in added
    assert after[1][8 + added.index("编号")] == "R-0001"
    assert world.run().plan.is_empty()


# -- retries, backoff, timeouts ---------------------------------------------------------------
def test_a_pass_survives_bursts_of_429_and_5xx(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    emulator.inject(status=429, times=2)
    emulator.inject(status=503, times=1)
    emulator.inject(status=500, times=1)
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    statuses = [r.status for r in emulator.sheets_requests]
    assert statuses[:4] == [429, 429, 503, 500] and statuses[-1] == 200
    assert len(world.sleeps) == 4
    assert world.sleeps == sorted(world.sleeps)  # exponential: 1, 2, 4, 8 s (+ jitter)
    assert 1 <= world.sleeps[0] <= 2 and 8 <= world.sleeps[3] <= 9
    assert by_name(world.values(REQUESTS))["王秀英"][STATUS] == "已派单"


def test_a_failed_write_is_checked_again_before_it_is_retried(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.seed_chart()
    mark_dressed(emulator, world.sid)
    failures = {"left": 2}

    def fail_writes(call: RecordedRequest) -> None:
        if call.method == "POST" and failures["left"]:
            failures["left"] -= 1
            emulator.inject(status=503)

    emulator.before_request(fail_writes)
    result = world.run()
    emulator.before_request(None)
    assert kinds(emulator.sheets_requests) == [
        "GET get", "GET values:batchGet",
        "GET values:batchGet", "POST values:batchUpdate",  # 503
        "GET values:batchGet", "POST values:batchUpdate",  # 503
        "GET values:batchGet", "POST values:batchUpdate",
    ]  # fmt: skip
    assert result.applied is not None
    log = world.values(LOG)
    assert len(log) == 1 + result.applied.log_lines  # the log was written once
    assert world.run().plan.is_empty()


def test_tabs_added_before_a_failed_write_are_not_added_twice(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    tabs = workbook([request("周明")], [volunteer("张伟")], (), worker_tabs=False)
    world = SheetsWorld(emulator, tmp_path, tabs)
    failed = {"done": False}

    def fail_first_values_write(call: RecordedRequest) -> None:
        if call.path.endswith("values:batchUpdate") and not failed["done"]:
            failed["done"] = True
            emulator.inject(status=502)

    emulator.before_request(fail_first_values_write)
    result = world.run()
    emulator.before_request(None)
    assert result.attempts == 1
    assert kinds(emulator.sheets_requests)[2:] == [
        "POST batchUpdate",  # tabs added; its answer is the check before writing
        "POST values:batchUpdate",  # then 502
        "GET values:batchGet", "POST values:batchUpdate",  # the new tabs are read this time
    ]  # fmt: skip
    assert [s.title for s in emulator.spreadsheet(world.sid).sheets].count(LOG) == 1
    assert world.values(LOG)[0] == headers("log")


def test_a_tab_renamed_during_the_pass_makes_it_plan_again(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.seed_chart()  # no structural request: the check before writing is a batchGet
    mark_dressed(emulator, world.sid)

    def rename() -> None:
        emulator.sheet(world.sid, REQUESTS).title = "需求"  # an accepted alias

    _edit_before(emulator, 2, rename)
    result = world.run()
    emulator.before_request(None)
    assert result.attempts == 2
    assert by_name(world.values("需求"))["王秀英"][STATUS] == "已派单"


def test_a_tab_renamed_before_the_structural_request_makes_it_plan_again(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """The structural request names the tabs it reads back; one renamed meanwhile makes Google
    refuse the whole request (nothing changed), and the pass is planned again from a new read."""
    world = SheetsWorld(emulator, tmp_path, small_workbook())  # no chart yet: a structural pass

    def rename() -> None:
        emulator.sheet(world.sid, REQUESTS).title = "需求"

    _edit_before(emulator, 1, rename, method="POST")
    result = world.run()
    emulator.before_request(None)
    assert result.attempts == 2
    assert by_name(world.values("需求"))["王秀英"][STATUS] == "已派单"
    assert len(emulator.sheet(world.sid, SUMMARY).charts) == 1


def test_a_write_that_landed_without_an_answer_is_not_written_twice(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook(), timeout=0.5)
    world.seed_chart()
    mark_dressed(emulator, world.sid)
    world.backend.caller.sleep = lambda seconds: time.sleep(2.5)  # let the late write land

    def slow_write(call: RecordedRequest) -> None:
        if call.method == "POST":
            emulator.before_request(None)
            emulator.inject(delay=1.0)

    emulator.before_request(slow_write)
    result = world.run()
    assert kinds(emulator.sheets_requests)[-2:] == [
        "POST values:batchUpdate",
        "GET values:batchGet",
    ]
    assert [r.method for r in emulator.sheets_requests].count("POST") == 1
    assert result.applied is not None
    assert len(world.values(LOG)) == 1 + result.applied.log_lines


def test_timeouts_are_retried(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook(), timeout=0.3)
    emulator.inject(delay=0.6)
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    assert len(world.sleeps) == 1


def test_quota_errors_wait_for_the_quota_window(tmp_path: Path) -> None:
    clock = FakeClock()
    with SheetsEmulator(clock=clock) as emu:
        emu.quota.read_per_user = 4
        world = SheetsWorld(emu, tmp_path, small_workbook())

        def sleep(seconds: float) -> None:
            world.sleeps.append(seconds)
            clock.now += seconds

        world.backend.caller.sleep = sleep
        world.run()  # three reads
        world.run()  # a fourth read, then 429 until a minute has passed
        assert 429 in [r.status for r in emu.sheets_requests]
        assert 60 <= sum(world.sleeps) < 130
        assert emu.sheets_requests[-1].status == 200


def test_when_google_stays_down_the_pass_fails_clearly_and_writes_nothing(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    before = {t: world.values(t) for t in small_workbook()}
    emulator.fail_randomly(rate=1.0, statuses=(503,))
    with pytest.raises(BackendError) as failed:
        world.run()
    message = str(failed.value)
    assert f"Google spreadsheet {world.sid}" in message  # the metadata read never succeeded
    assert "gave up" in message and "503" in message and "Nothing was written" in message
    assert len(emulator.sheets_requests) == RetryPolicy().attempts
    assert len(world.sleeps) == RetryPolicy().attempts - 1
    emulator.clear_faults()
    assert {t: world.values(t) for t in before} == before


def test_when_writes_keep_failing_nothing_is_half_written(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook(), policy=RetryPolicy(attempts=3))
    before = {t: world.values(t) for t in small_workbook()}

    def fail_writes(call: RecordedRequest) -> None:
        if call.method == "POST":
            emulator.inject(status=500)

    emulator.before_request(fail_writes)
    with pytest.raises(BackendError, match=r"gave up writing after 3 attempts.*No cell") as e:
        world.run()
    emulator.before_request(None)
    assert {t: world.values(t) for t in before} == before
    assert str(e.value).startswith("Google spreadsheet '互助登记' (")


def test_retry_after_is_honoured_and_bounded() -> None:
    def failing(status: int, after: str | None) -> gspread.exceptions.APIError:
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(
            {"error": {"code": status, "message": "slow down", "status": "RESOURCE_EXHAUSTED"}}
        ).encode()
        if after is not None:
            response.headers["Retry-After"] = after
        return gspread.exceptions.APIError(response)

    slept: list[float] = []
    caller = SheetsCaller(lambda: "sheet X", "a@b", RetryPolicy(attempts=3), slept.append)
    answers: list[Any] = [failing(429, "7"), failing(503, None), "ok"]

    def call() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    assert caller.call("gs_act_reading_tabs", call) == "ok"
    assert slept[0] >= 7 and 2 <= slept[1] <= 3
    assert retry_after(failing(429, "Wed, 21 Oct 2015 07:28:00 GMT").response) == 0.0
    # a Retry-After longer than the policy allows ends the retries at once
    slept.clear()
    answers[:] = [failing(429, "3600")]
    with pytest.raises(BackendError, match="quota exceeded 429"):
        caller.call("gs_act_reading_tabs", call)
    assert slept == []
    # 400s are not retried
    answers[:] = [failing(400, None)]
    with pytest.raises(BackendError, match="refused a request"):
        caller.call("gs_act_reading_tabs", call)
    assert isinstance(caller.classify(requests.exceptions.ReadTimeout()), Transient)


# -- people editing during the pass --------------------------------------------------------------
def _reference(emulator: SheetsEmulator, folder: Path) -> dict[str, tuple[Any, ...]]:
    """The Requests rows (by resident) after an undisturbed pass over small_workbook."""
    folder.mkdir()
    world = SheetsWorld(emulator, folder, small_workbook())
    mark_dressed(emulator, world.sid)
    world.run()
    return by_name(world.values(REQUESTS))


def _mover(how: str) -> Any:
    """A person moving Requests rows: a sort by name, a row inserted at the top, or the
    fourth request (周明) deleted."""

    def move(rows: list[list[Any]]) -> None:
        if how == "sort":
            rows[1:] = sorted(rows[1:], key=lambda r: str(r[NAME]), reverse=True)
        elif how == "insert above":
            rows[1:1] = [["", "", "新居民", "13840009999", "创意社区", "新楼", "", "蔬菜食品"]]
        else:
            del rows[4]  # 周明

    return move


def _edit_before(emulator: SheetsEmulator, nth_get: int, edit: Any, method: str = "GET") -> None:
    """Run edit() just before the nth values:batchGet (2 = the verifying read) or the write."""
    seen = {"n": 0}

    def hook(call: RecordedRequest) -> None:
        if call.method == method and (method == "POST" or call.path.endswith("batchGet")):
            seen["n"] += 1
            if seen["n"] == nth_get:
                edit()

    emulator.before_request(hook)


@pytest.mark.parametrize("check", ["batchGet", "structural request"])
@pytest.mark.parametrize("how", ["sort", "insert above", "delete"])
def test_rows_moving_before_the_write_never_misplace_it(
    emulator: SheetsEmulator, tmp_path: Path, how: str, check: str
) -> None:
    reference = _reference(emulator, tmp_path / "reference")
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    if check == "batchGet":
        world.seed_chart()  # no structural request: the check before writing is a batchGet
        mark_dressed(emulator, world.sid)
    typed = human_cells(world.values(REQUESTS), "requests")

    move = _mover(how)

    if check == "batchGet":
        _edit_before(emulator, 2, lambda: world.edit(REQUESTS, move))
    else:  # the chart is missing: the structural request that adds it carries the check
        _edit_before(emulator, 1, lambda: world.edit(REQUESTS, move), method="POST")
    result = world.run()
    emulator.before_request(None)
    after = by_name(world.values(REQUESTS))
    expected = {k: v for k, v in reference.items() if not (how == "delete" and k == "周明")}
    if how == "insert above":
        assert after.pop("新居民")[ID] == ""  # a row the plan never saw is left alone
    assert after == expected
    assert result.applied is not None
    deferred_rows = {c.anchor.row for c in result.applied.deferred}
    assert deferred_rows == ({5} if how == "delete" else set())  # 周明's row is gone
    now_typed = human_cells(world.values(REQUESTS), "requests")
    if how == "insert above":
        assert set(typed) < set(now_typed)
    elif how == "delete":
        assert set(now_typed) < set(typed)
    else:
        assert now_typed == typed


def test_a_claim_typed_during_the_pass_wins(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.run()
    # 周明 and 吴兰 are waiting; 吴兰 types a claim while the next pass is planning
    world.edit(REQUESTS, lambda rows: rows[4].__setitem__(VOLUNTEER, ""))
    world.edit(REQUESTS, lambda rows: rows[4].__setitem__(STATUS, "待派单"))

    def claim(rows: list[list[Any]]) -> None:
        row = next(r for r in rows if r[NAME] == "周明")
        row[VOLUNTEER] = "李娜"

    _edit_before(emulator, 2, lambda: world.edit(REQUESTS, claim))
    result = world.run(NOW.replace(minute=30))
    emulator.before_request(None)
    row = by_name(world.values(REQUESTS))["周明"]
    assert row[VOLUNTEER] == "李娜"
    assert result.applied is not None
    assert {c.anchor.id for c in result.applied.deferred} == {row[ID]}
    assert any("延后" in " ".join(map(str, line)) for line in world.values(LOG))
    world.run(NOW.replace(minute=31))
    assert by_name(world.values(REQUESTS))["周明"][VOLUNTEER] == "李娜"
    assert "李娜 已认领" in by_name(world.values(REQUESTS))["周明"][NOTE]


def test_a_sort_while_a_write_fails_is_seen_before_the_retry(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    reference = _reference(emulator, tmp_path / "reference")
    world = SheetsWorld(emulator, tmp_path, small_workbook())

    def sort_and_fail() -> None:
        world.edit(REQUESTS, lambda rows: rows[1:].sort(key=lambda r: str(r[NAME])))
        emulator.inject(status=503)

    _edit_before(emulator, 1, sort_and_fail, method="POST")
    world.run()
    emulator.before_request(None)
    assert by_name(world.values(REQUESTS)) == reference


# -- text stays text ------------------------------------------------------------------------------
def test_text_that_looks_like_a_formula_is_written_as_text(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    formula = '=IMPORTXML("http://x","//a")'
    tabs = workbook(
        [request("王秀英", urgency="紧急", items="+1 555 0100"), request("周明", items="大米")],
        [volunteer("占位", max_open=1), volunteer("+李 @home", max_open=1)],
    )
    world = SheetsWorld(emulator, tmp_path, tabs)
    world.type_text(VOLUNTEERS, 2, column("volunteers", "name"), formula)
    world.type_text(REQUESTS, 2, column("requests", "notes"), "@everyone +1 555 0100")
    world.run()
    rows = by_name(world.values(REQUESTS))
    assert rows["王秀英"][VOLUNTEER] == formula  # the worker typed the volunteer's "name"
    assert formula in rows["王秀英"][NOTE]
    assert rows["周明"][VOLUNTEER] == "+李 @home"  # never a formula
    assert "+李 @home" in rows["周明"][NOTE]
    log_text = " ".join(str(v) for line in world.values(LOG) for v in line)
    assert formula in log_text
    assert emulator.formulas_created == []
    raw = emulator.get_values(world.sid, REQUESTS, formulas=True)
    assert {r[VOLUNTEER] for r in raw[1:]} == {formula, "+李 @home"}
    assert world.run().plan.is_empty()


# -- settings and errors --------------------------------------------------------------------------
def _settings(emulator: SheetsEmulator, tmp_path: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "spreadsheet": "1" + "a" * 43,
        "credentials": tmp_path / "key.json",
        "sheets_endpoint": emulator.base_url,
        "state_dir": tmp_path / "state",
        "request_timeout": 5.0,
    }
    values.update(kw)
    return Settings(**values)


def test_keys_and_urls(tmp_path: Path) -> None:
    key = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
    assert spreadsheet_key(key) == key
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0") == key
    with pytest.raises(ConfigError, match="not a spreadsheet key"):
        spreadsheet_key("my sheet")
    with pytest.raises(ConfigError, match="no spreadsheet key in this URL"):
        spreadsheet_key("https://example.com/sheet")


def test_lock_is_per_spreadsheet_in_the_state_folder(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    assert world.backend.lock_path() == tmp_path / "state" / "locks" / f"{world.sid}.lock"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not a JSON key file"),
        ('{"type": "authorized_user"}', "not a service-account key"),
        ('{"type": "service_account", "client_email": "a@b"}', "lacks private_key, token_uri"),
        ('["x"]', "expected a JSON object"),
    ],
)
def test_unusable_key_files_are_configuration_errors(
    emulator: SheetsEmulator, tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "key.json").write_text(content)
    with pytest.raises(ConfigError, match=message):
        GSheetsBackend.from_settings(_settings(emulator, tmp_path))


def test_a_broken_private_key_is_reported_without_quoting_it(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    key = emulator.make_service_account_key(tmp_path / "good.json")
    secret = key["private_key"].splitlines()[1]
    key["private_key"] = key["private_key"].replace(secret[:20], "A" * 5)
    (tmp_path / "key.json").write_text(json.dumps(key))
    with pytest.raises(ConfigError) as failed:
        GSheetsBackend.from_settings(_settings(emulator, tmp_path))
    assert "private key" in str(failed.value)
    assert secret[20:40] not in str(failed.value) and "AAAAA" not in str(failed.value)


def test_not_shared_missing_and_refused(emulator: SheetsEmulator, tmp_path: Path) -> None:
    email = emulator.make_service_account_key(tmp_path / "key.json")["client_email"]
    private = emulator.create_spreadsheet("私有", {REQUESTS: []}, readers=["boss@example.com"])
    backend = GSheetsBackend.from_settings(_settings(emulator, tmp_path, spreadsheet=private))
    with pytest.raises(
        ConfigError,
        match=r"share the spreadsheet with the service account \(its address is client_email "
        r"in key.json\)",
    ) as not_shared:
        backend.read(SCHEMA)
    assert email not in str(not_shared.value)
    missing = GSheetsBackend.from_settings(_settings(emulator, tmp_path))
    with pytest.raises(ConfigError, match="no such spreadsheet"):
        missing.read(SCHEMA)
    other = dict(json.loads((tmp_path / "key.json").read_text()))
    other["private_key"] = private_key_pem(rsa.generate_private_key(65537, 2048))
    (tmp_path / "other.json").write_text(json.dumps(other))
    refused = GSheetsBackend.from_settings(
        _settings(emulator, tmp_path, spreadsheet=private, credentials=tmp_path / "other.json")
    )
    with pytest.raises(ConfigError, match="refused the service account's key") as failed:
        refused.read(SCHEMA)
    assert "PRIVATE KEY" not in str(failed.value)


def test_the_scope_is_spreadsheets_only(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.run()
    backend = world.backend
    assert isinstance(backend, GSheetsBackend)
    assert backend.client.http_client.session.credentials.scopes == [
        "https://www.googleapis.com/auth/spreadsheets"
    ]
    assert backend.client.http_client.timeout == 10.0


# -- init ----------------------------------------------------------------------------------------
def test_init_builds_a_spreadsheet_and_a_second_run_changes_nothing(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    emulator.make_service_account_key(tmp_path / "key.json")
    sid = emulator.create_spreadsheet("新表", {"Sheet1": []}, locale="en_US")
    backend = GSheetsBackend.from_settings(_settings(emulator, tmp_path, spreadsheet=sid))
    done = backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "en"))
    assert "added tab Requests" in done and "added 14 sample rows to Requests" in done
    assert kinds(emulator.sheets_requests) == ["GET get", "POST batchUpdate",
                                               "POST values:batchUpdate"]  # fmt: skip
    requests_tab = emulator.sheet(sid, "Requests")
    assert emulator.get_values(sid, "Requests")[0] == headers("requests", "en")
    assert requests_tab.frozen_row_count == 1
    rules = [rule for _grid, rule in requests_tab.data_validations]
    assert rules and all(r["condition"]["type"] == "ONE_OF_LIST" for r in rules)
    assert all(r["strict"] is False for r in rules)
    status_values = [v["userEnteredValue"] for v in rules[-1]["condition"]["values"]]
    assert "escalated" in status_values
    protected = requests_tab.protected_ranges
    assert len(protected) == len(SCHEMA.tab("requests").owned_by("worker"))
    assert all(p["warningOnly"] for p in protected)
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                for r in requests_tab.conditional_formats]  # fmt: skip
    assert any("urgent" in f for f in formulas) and any("escalated" in f for f in formulas)
    assert emulator.sheet(sid, "Log").protected_ranges[0]["warningOnly"] is True
    assert emulator.formulas_created == []

    start = len(emulator.sheets_requests)
    assert backend.initialise(SCHEMA, "en", None) == []
    assert kinds(sheets_calls(emulator, start)) == ["GET get", "GET values:batchGet"]
    assert len(requests_tab.protected_ranges) == len(protected)
    assert len(requests_tab.conditional_formats) == 2

    settings = _settings(emulator, tmp_path, spreadsheet=sid)
    result = run_pass(backend, settings, SAMPLE_NOW, schema=SCHEMA)
    assert result.applied is not None and result.applied.written > 0


def test_init_never_touches_existing_data(emulator: SheetsEmulator, tmp_path: Path) -> None:
    emulator.make_service_account_key(tmp_path / "key.json")
    people = [["居民姓名", "联系电话", "社区", "地址", "类别"],
              ["王秀英", "13840001001", "创意社区", "海兴花园", "药品"]]  # fmt: skip
    sid = emulator.create_spreadsheet("旧表", {"需求": people, "备忘": [["别动我"]]})
    backend = GSheetsBackend.from_settings(_settings(emulator, tmp_path, spreadsheet=sid))
    done = backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "zh"))
    assert "「需求」表已有内容，保持原样，没有加示例行" in done
    assert "添加了「志愿者」表" in done  # the sheet's language, not --locale
    after = emulator.get_values(sid, "需求")
    assert [r[:5] for r in after] == people
    assert "编号" in after[0][5:] and len(after) == 2
    assert emulator.get_values(sid, "备忘") == [["别动我"]]
    assert len(emulator.get_values(sid, "志愿者")) == 13  # sample rows into the new, empty tab
    start = len(emulator.sheets_requests)
    again = backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "zh"))
    assert again and all(line.endswith("保持原样，没有加示例行") for line in again)
    assert kinds(sheets_calls(emulator, start)) == ["GET get", "GET values:batchGet"]


# -- the command line ------------------------------------------------------------------------------
def _aidsync(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AIDSYNC), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_init_sync_and_check_on_a_spreadsheet(emulator: SheetsEmulator, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    emulator.make_service_account_key(key)
    sid = emulator.create_spreadsheet("互助", {"工作表1": []})
    env = cli_env(emulator, tmp_path / "state")
    where = ["--spreadsheet", f"https://docs.google.com/spreadsheets/d/{sid}/edit",
             "--credentials", str(key)]  # fmt: skip
    init = _aidsync(["init", *where, "--locale", "zh", "--sample"], env, tmp_path)
    assert init.returncode == 0, init.stderr
    assert "添加了「需求登记」表" in init.stdout and sid in init.stdout
    again = _aidsync(["init", *where], env, tmp_path)
    assert again.returncode == 0 and "各表和表头都已齐全，没有改动" in again.stdout

    dry = _aidsync(["sync", *where, "--now", "2022-12-20T15:00", "--dry-run"], env, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "没有写入" in dry.stdout  # a Chinese workbook: the dry run says so in Chinese
    assert emulator.get_values(sid, "需求登记")[1][0] == ""

    env["AIDSYNC_SPREADSHEET"] = sid
    env["GOOGLE_APPLICATION_CREDENTIALS"] = str(key)
    synced = _aidsync(["sync", "--now", "2022-12-20T15:00"], env, tmp_path)
    assert synced.returncode == 0, synced.stderr
    assert emulator.get_values(sid, "需求登记")[1][0] == "R-0001"
    assert emulator.formulas_created == []
    check = _aidsync(["check", "--now", "2022-12-20T15:00"], env, tmp_path)
    assert check.returncode == 1  # the sample has rows for people to fix
    assert "处需要人工处理" in check.stdout  # the words of a Chinese workbook
    assert "PRIVATE KEY" not in check.stdout + check.stderr + synced.stdout + synced.stderr


def test_cli_configuration_errors_exit_2(emulator: SheetsEmulator, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    emulator.make_service_account_key(key)
    private = emulator.create_spreadsheet("私有", {REQUESTS: []}, readers=["boss@example.com"])
    env = cli_env(emulator, tmp_path / "state")
    missing = _aidsync(["sync", "--spreadsheet", private, "--credentials", "nope.json"], env,
                       tmp_path)  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
    shared = _aidsync(["sync", "--spreadsheet", private, "--credentials", str(key)], env, tmp_path)
    assert shared.returncode == 2
    assert "client_email in key.json" in shared.stderr
    assert "aidsync@test-project.iam.gserviceaccount.com" not in shared.stderr
    assert "PRIVATE KEY" not in shared.stderr


def test_cli_exits_1_when_google_stays_down(
    emulator: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Through sync.cli.main in-process, so the backoff's sleeps can be skipped."""
    from sync import cli

    key = tmp_path / "key.json"
    emulator.make_service_account_key(key)
    sid = emulator.create_spreadsheet("互助", small_workbook())
    before = emulator.get_values(sid, REQUESTS)
    slept: list[float] = []
    monkeypatch.setattr(gsheets_http, "SLEEP", slept.append)
    for name, value in cli_env(emulator, tmp_path / "state").items():
        if name.startswith("AIDSYNC_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(
        sys, "argv", ["aidsync", "sync", "--spreadsheet", sid, "--credentials", str(key)]
    )
    emulator.fail_randomly(rate=1.0, statuses=(500, 503, 429))
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert f"Google spreadsheet {sid}" in err and "Nothing was written" in err
    assert len(slept) == RetryPolicy().attempts - 1
    emulator.clear_faults()
    assert emulator.get_values(sid, REQUESTS) == before


def test_sync_errors_carry_their_exit_codes() -> None:
    assert issubclass(BackendError, SyncError) and BackendError.exit_code == 1
    assert ConfigError.exit_code == 2


def test_other_tabs_and_stock_survive_a_pass(emulator: SheetsEmulator, tmp_path: Path) -> None:
    tabs = small_workbook()
    tabs["备忘"] = [["=1+1", "自己的笔记"]]
    world = SheetsWorld(emulator, tmp_path, tabs)
    world.run()
    assert emulator.get_values(world.sid, "备忘", formulas=True) == [["=1+1", "自己的笔记"]]
    assert world.values(STOCK)[0] == headers("stock")


@pytest.mark.parametrize(
    ("log_rows", "grow"),
    [(30, 19 + 500), (300, 289 + 3000), (2000, 1989 + 5000)],
)
def test_a_log_that_outgrows_its_grid_gets_room_for_ten_more_passes(
    log_rows: int, grow: int
) -> None:
    from sync.backends.gsheets.sheets import SheetInfo
    from sync.backends.gsheets.write import Write as _Write

    write = _Write()
    write.blocks.append((SUMMARY, 1, 0, [["x"]] * 2000))  # rewritten in place: no room asked
    write.blocks.append((LOG, 990, 0, [["t", "ref", "action", "rule", "detail"]] * log_rows))
    sheets = {
        SUMMARY: SheetInfo(1, SUMMARY, 3, 5000, 26),
        LOG: SheetInfo(2, LOG, 4, 1000, 26),
    }
    (request,) = GSheetsBackend._structure(write, sheets)
    assert request == {"appendDimension": {"sheetId": 2, "dimension": "ROWS", "length": grow}}


@pytest.mark.parametrize("how", ["sort", "insert above", "delete"])
def test_rows_moving_in_the_instant_before_the_write_are_put_back(
    emulator: SheetsEmulator, tmp_path: Path, how: str
) -> None:
    """A sort, insert or delete after the verifying read and before the write: the write's own
    answer shows the rows that slid under it, their cells are put back, and the next pass
    writes them where they belong."""
    world = SheetsWorld(emulator, tmp_path, small_workbook())
    world.run()  # ids, tabs and the chart exist: the next pass is a plain four-request pass
    world.edit(REQUESTS, lambda rows: [r.__setitem__(VOLUNTEER, "") for r in rows[1:]])
    world.edit(REQUESTS, lambda rows: [r.__setitem__(STATUS, "") for r in rows[1:]])
    before = by_name(world.values(REQUESTS))
    (tmp_path / "reference").mkdir()
    undisturbed = SheetsWorld(
        emulator, tmp_path / "reference", {t: world.values(t) for t in (REQUESTS, VOLUNTEERS)}
    )
    undisturbed.run()
    reference = by_name(undisturbed.values(REQUESTS))
    typed = human_cells(world.values(REQUESTS), "requests")

    move = _mover(how)

    def hook(call: RecordedRequest) -> None:
        if call.method == "POST" and call.path.endswith("values:batchUpdate"):
            emulator.before_request(None)
            world.edit(REQUESTS, move)

    emulator.before_request(hook)
    result = world.run()
    emulator.before_request(None)
    assert result.applied is not None and result.applied.deferred
    after = by_name(world.values(REQUESTS))
    after.pop("新居民", None)
    for name, row in after.items():
        # every row holds either what it held before the pass or what the pass meant for it
        assert row in (before[name], reference[name]) or row[STATUS] in ("", before[name][STATUS])
        if row[VOLUNTEER]:
            assert row[VOLUNTEER] == reference[name][VOLUNTEER], name
    now_typed = human_cells(world.values(REQUESTS), "requests")
    if how == "sort":
        assert now_typed == typed
    log = [" ".join(map(str, line)) for line in world.values(LOG)]
    assert any("moved" in line or "被人移动" in line for line in log)
    world.run()
    settled = by_name(world.values(REQUESTS))
    settled.pop("新居民", None)
    for name, row in settled.items():
        assert row[VOLUNTEER] == reference[name][VOLUNTEER], name
        assert row[STATUS] == reference[name][STATUS], name


def test_a_row_inserted_above_while_rows_are_appended_is_not_covered(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """The pass appends a recurring request's next occurrence below the last row; someone
    inserts a row at the top in that instant, pushing the last row onto the appended one."""
    from gsheets_fixtures import grid

    from sync.sample import sample_rows

    rows = sample_rows(SCHEMA, "zh")
    tabs = {REQUESTS: grid("requests", rows["requests"]),
            VOLUNTEERS: grid("volunteers", rows["volunteers"])}  # fmt: skip
    world = SheetsWorld(emulator, tmp_path, tabs)
    world.run(NOW - timedelta(days=1))  # ids given; the weekly request is not due yet
    typed = human_cells(world.values(REQUESTS), "requests")
    newcomer = ["", "", "新居民", "13840009999", "创意社区", "新楼", "", "蔬菜食品"]

    def hook(call: RecordedRequest) -> None:
        if call.method == "POST" and call.path.endswith("values:batchUpdate"):
            emulator.before_request(None)
            world.edit(REQUESTS, lambda grid_rows: grid_rows.insert(1, list(newcomer)))

    emulator.before_request(hook)
    world.run()
    emulator.before_request(None)
    after = world.values(REQUESTS)
    now_typed = human_cells(after, "requests")
    assert set(typed) <= set(now_typed), "every row people typed is still there"
    ids = [r[ID] for r in after[1:] if r and r[ID]]
    occurrences = [i for i in ids if "/" in str(i)]
    assert len(occurrences) == 1 and len(set(ids)) == len(ids)
    log = " ".join(" ".join(map(str, line)) for line in world.values(LOG))
    assert "上方插入了行" in log
    world.run()
    again = world.values(REQUESTS)
    assert set(typed) <= set(human_cells(again, "requests"))
    assert [i for i in (r[ID] for r in again[1:] if r) if "/" in str(i)] == occurrences


def test_the_structural_answer_reads_the_tabs_as_batch_get_does(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """The check that rides on the structural request must see each tab exactly as a
    values:batchGet would: numbers, dates as serial numbers, booleans, an error's text, empty
    cells inside a row, trailing blanks trimmed; tabs it was not asked for are not read."""
    from sync.backends.gsheets import READ_OPTIONS, quote_title

    tabs = {
        REQUESTS: [["编号", "登记时间", "居民姓名", "备注"],
                   ["R-0001", 44915.604166666664, "王秀英", ""],
                   ["", "", "", ""],
                   [3, True, "=1/0", "  "],
                   ["R-0004", "2022-12-20 14:30", "=1+1", "", "", ""]],
        "自己的表": [["别的", "东西"], [1, 2]],
    }  # fmt: skip
    world = SheetsWorld(emulator, tmp_path, tabs)
    backend = world.backend
    read = backend.http.values_batch_get(world.sid, [quote_title(REQUESTS)], dict(READ_OPTIONS))
    expected = [list(r) for r in read["valueRanges"][0]["values"]]
    sheets = (
        GSheetsBackend.fetch_sheets(backend) if hasattr(GSheetsBackend, "fetch_sheets") else None
    )
    from sync.backends.gsheets.sheets import parse_sheets
    from sync.backends.gsheets.write import Write as _Write

    info = parse_sheets(backend.http.fetch_sheet_metadata(world.sid))
    write = _Write()
    write.structure = [{"appendDimension": {"sheetId": info[REQUESTS].sheet_id,
                                            "dimension": "ROWS", "length": 10}}]  # fmt: skip
    sheets = dict(info)
    grids = backend.change_and_read(write, sheets, [REQUESTS])
    assert grids == {REQUESTS: expected}
    assert expected[3] == [3, True, "#DIV/0!", "  "] and expected[2] == []
    assert sheets[REQUESTS].rows == info[REQUESTS].rows + 10  # the grid as it is after it
