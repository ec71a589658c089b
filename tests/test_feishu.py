"""The Feishu backend through sync.worker.run_pass against the emulator: request counts,
verify-before-write, text that stays text, dates, retries and the messages of Feishu's errors."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator.feishu import DateValue, FeishuEmulator, Formula, serial_of
from emulator.feishu.world import FeishuWorld
from gsheets_fixtures import (
    LOG,
    NOW,
    REQUESTS,
    SCHEMA,
    STOCK,
    SUMMARY,
    VOLUNTEERS,
    by_name,
    column,
    grid,
    headers,
    request,
    volunteer,
    workbook,
)

from sync.backends.feishu.http import RetryPolicy
from sync.backends.feishu.settings import spreadsheet_token
from sync.errors import BackendError, ConfigError
from sync.writes import tab_format

STATUS = column("requests", "status")
VOLUNTEER = column("requests", "volunteer")
NOTE = column("requests", "sync_note")
ID = column("requests", "id")
NAME = column("requests", "name")
PHONE = column("requests", "phone")
COMMUNITIES = ("创意社区", "海兴社区", "彩霞社区", "新北社区")
STEADY = ["GET sheets/query", "GET values_batch_get", "GET values_batch_get",
          "POST values_batch_update"]  # fmt: skip


@pytest.fixture
def emulator() -> Iterator[FeishuEmulator]:
    """A running emulator."""
    with FeishuEmulator() as emu:
        yield emu


def label(list_name: str, key: str) -> str:
    """A choice's Chinese label."""
    return SCHEMA.choice_list(list_name).label(key, "zh")


def small() -> dict[str, list[list[Any]]]:
    """Two requests and one volunteer."""
    return workbook(
        [request("王秀英", household="独居", urgency="紧急"), request("赵大妈")],
        [volunteer("张伟", max_open=1)],
    )


def many(n: int) -> dict[str, list[list[Any]]]:
    """n requests over four communities, and 40 volunteers."""
    rows = [request(f"居民{i}", phone=f"138{i:08d}", community=COMMUNITIES[i % 4],
                    urgency="紧急" if i % 7 == 0 else "一般") for i in range(n)]  # fmt: skip
    vols = [volunteer(f"志愿者{i}", phone=f"139{i:08d}", communities=COMMUNITIES[i % 4])
            for i in range(40)]  # fmt: skip
    return workbook(rows, vols)


def calls_since(world: FeishuWorld, start: int) -> list[str]:
    """'METHOD endpoint' of the API calls after the first `start`."""
    return world.requests_made()[start:]


# -- request budget ---------------------------------------------------------------------------
def test_a_steady_pass_costs_four_calls_at_100_and_at_10000_rows(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    counts: dict[int, list[str]] = {}
    for n in (100, 10_000):
        folder = tmp_path / str(n)
        folder.mkdir()
        world = FeishuWorld(emulator, folder, many(n))
        for title in (REQUESTS, LOG):
            emulator.sheet(world.token, title).row_count = 3 * n + 100  # room for the log
        world.run()  # the first pass writes every id: the ids are 10,000 rows of one column
        new = grid("requests", [request("新居民", phone="13911112222")])[1]
        world.edit(REQUESTS, lambda rows, new=new: rows.append(new))  # a new request
        start = len(world.requests_made())
        result = world.run(NOW.replace(minute=5))
        assert result.applied is not None and result.applied.written > 0
        counts[n] = calls_since(world, start)
        assert len(world.values(REQUESTS)) == n + 2
    assert counts[100] == counts[10_000] == STEADY


def test_the_first_pass_on_10000_rows_grows_with_the_5000_row_write_limit(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, many(10_000))
    for title in (REQUESTS, LOG):
        emulator.sheet(world.token, title).row_count = 30_100
    world.run()
    writes = [r for r in emulator.sheets_requests() if r.endpoint == "values_batch_update"]
    rows = [sum(len(v["values"]) for v in w.body["valueRanges"]) for w in writes]
    assert all(n <= 5000 for n in rows)
    assert len(writes) == -(-sum(rows) // 5000)  # as few requests as the limit allows
    assert world.values(REQUESTS)[-1][ID] == "R-10000"


def test_a_pass_with_nothing_new_reads_and_writes_nothing(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    world.run()
    world.run()
    start = len(world.requests_made())
    result = world.run()
    assert result.plan.is_empty()
    assert calls_since(world, start) == ["GET sheets/query", "GET values_batch_get"]


def test_missing_worker_tabs_cost_two_calls_more(emulator: FeishuEmulator, tmp_path: Path) -> None:
    """addSheet takes no grid size: the new Summary, wider than a new sheet's 20 columns,
    gets its columns with one dimension_range call; after the write the new tabs are dressed
    (a width call per run of equal widths, one for the shading, one to freeze the Log's header)."""
    world = FeishuWorld(emulator, tmp_path, workbook([request("周明")], [volunteer("张伟")],
                                                     worker_tabs=False))  # fmt: skip
    for title in (REQUESTS, VOLUNTEERS, STOCK):  # the people's tabs as init left them
        emulator.sheet(world.token, title).frozen_rows = 1
    start = len(world.requests_made())
    world.run()
    made = calls_since(world, start)
    widths = made.count("PUT dimension_range")
    assert made == [
        "GET sheets/query", "GET values_batch_get", "GET values_batch_get",
        "POST sheets_batch_update", "POST dimension_range", "POST values_batch_update",
        *["PUT dimension_range"] * widths, "PUT styles_batch_update", "POST sheets_batch_update",
    ]  # fmt: skip
    runs = sum(  # one call per run of equal widths side by side, on each of the two new tabs
        len(list(itertools.groupby(c.width for c in tab_format(SCHEMA, key, title, "zh").columns)))
        for key, title in (("log", LOG), ("summary", SUMMARY))
    )
    assert widths == runs
    assert emulator.sheet(world.token, LOG).frozen_rows == 1
    assert world.values(LOG)[0] == headers("log")
    assert world.values(SUMMARY)[0][0]


def test_a_read_past_10_mb_is_split_and_still_complete(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, many(300))
    emulator.max_answer_bytes = 40_000  # as if each tab were megabytes long
    snapshot = world.backend.read(SCHEMA)
    reads = [r for r in emulator.requests if r.endpoint == "values_batch_get"]
    assert len(reads) > 2 and any(r.code == 90221 for r in reads)
    assert len(snapshot.table("requests").rows) == 300  # type: ignore[union-attr]


# -- verify before writing -----------------------------------------------------------------------
def _before_write(emulator: FeishuEmulator, fn: Any, endpoint: str = "values_batch_get") -> None:
    """Run fn once, just before the second call to endpoint (the check before writing)."""
    seen: list[int] = []

    def hook(record: Any) -> None:
        if record.endpoint == endpoint:
            seen.append(1)
            if len(seen) == 2:
                fn()

    emulator.before_request(hook)


def test_a_person_sorting_inserting_and_claiming_between_read_and_write_loses_nothing(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, workbook(
        [request("王秀英", household="独居", urgency="紧急"), request("赵大妈"),
         request("周明", urgency="紧急")],
        [volunteer("张伟", max_open=3), volunteer("李娜", max_open=3)]))  # fmt: skip

    def person() -> None:
        def edit(rows: list[list[Any]]) -> None:
            body = rows[1:]
            body.sort(key=lambda r: str(r[NAME]), reverse=True)  # sort by name
            body.insert(1, [""] * len(rows[0]))  # insert an empty row
            claimed = next(r for r in body if r and r[NAME] == "赵大妈")
            claimed.extend([""] * (VOLUNTEER + 1 - len(claimed)))
            claimed[VOLUNTEER] = "李娜"  # a volunteer claims a request
            rows[1:] = body

        emulator.human_edit(world.token, REQUESTS, edit)

    _before_write(emulator, person)
    result = world.run()
    emulator.before_request(None)
    rows = by_name(world.values(REQUESTS))
    assert rows["赵大妈"][VOLUNTEER] == "李娜"  # the claim is kept
    assert rows["王秀英"][STATUS] == label("request_status", "assigned")
    for name in ("王秀英", "赵大妈", "周明"):  # every row kept its own id and phone
        assert rows[name][PHONE] == "13840001005"
    ids = [r[ID] for r in world.values(REQUESTS)[1:] if len(r) > ID and r[ID]]
    assert len(ids) == len(set(ids))
    assert result.applied is not None


def test_a_sort_in_the_instant_of_the_write_is_put_back(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    """The write's revision says someone edited between the check and the write: one read
    looks at the rows written, and cells that landed on another resident's row go back."""
    world = FeishuWorld(emulator, tmp_path, small())
    world.run()  # ids and first assignments
    world.edit(REQUESTS, lambda rows: rows[1].__setitem__(VOLUNTEER, ""))  # unassign 王秀英

    def sort() -> None:
        emulator.human_edit(world.token, REQUESTS,
                            lambda rows: rows.__setitem__(slice(1, None), rows[:0:-1]))  # fmt: skip

    emulator.before_request(_once_on(emulator, "values_batch_update", sort))
    start = len(world.requests_made())
    result = world.run(NOW.replace(minute=5))
    emulator.before_request(None)
    assert calls_since(world, start) == [
        *STEADY,
        "GET values_batch_get",
        "POST values_batch_update",
    ]
    rows = by_name(world.values(REQUESTS))
    assert rows["赵大妈"][VOLUNTEER] == ""  # nothing meant for 王秀英 stayed on 赵大妈's row
    assert rows["赵大妈"][STATUS] != label("request_status", "assigned")
    assert result.applied is not None and result.applied.deferred
    moved = [line for line in world.values(LOG) if "被人移动" in str(line)]
    assert moved  # the Log says which row went back
    world.run(NOW.replace(minute=10))  # the next pass does what was left
    assert by_name(world.values(REQUESTS))["王秀英"][VOLUNTEER] == "张伟"


def _once_on(emulator: FeishuEmulator, endpoint: str, fn: Any) -> Any:
    done: list[int] = []

    def hook(record: Any) -> None:
        if record.endpoint == endpoint and not done:
            done.append(1)
            fn()

    return hook


# -- values -----------------------------------------------------------------------------------------
def test_text_that_looks_like_a_formula_or_a_number_stays_text(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    world.type_text(REQUESTS, 2, column("requests", "items"), "=HYPERLINK(1)")
    world.type_text(REQUESTS, 3, column("requests", "items"), "@张伟 +1 -2")
    world.run()
    sheet = emulator.sheet(world.token, SUMMARY)
    cells = [v for row in sheet.cells for v in row]
    assert not any(isinstance(v, Formula) for v in cells)
    notes = [emulator.sheet(world.token, REQUESTS).get(r, NOTE) for r in (1, 2)]
    assert not any(isinstance(v, Formula) for v in notes)
    ids = [emulator.sheet(world.token, REQUESTS).get(r, ID) for r in (1, 2)]
    assert ids == ["R-0001", "R-0002"]
    body = next(r.body for r in emulator.requests if r.endpoint == "values_batch_update")
    sent = [v for item in body["valueRanges"] for row in item["values"] for v in row]
    risky = [v for v in sent if isinstance(v, str) and v and v[0] in "=+-@"]
    assert not risky  # every such text goes as a text segment


def test_a_date_typed_in_feishu_reads_as_a_date(emulator: FeishuEmulator, tmp_path: Path) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    at = column("requests", "submitted_at")
    serial = serial_of(NOW.date()) + 14.5 / 24  # 2022-12-20 14:30 typed as a date
    emulator.type_cell(world.token, REQUESTS, 2, at, DateValue(serial))
    snapshot = world.backend.read(SCHEMA)
    row = snapshot.table("requests").rows[0]  # type: ignore[union-attr]
    assert row.cell(at) == pytest.approx(serial)
    result = world.run()
    assert by_name(world.values(REQUESTS))["王秀英"][STATUS] == label("request_status", "assigned")
    assert result.plan.problems == () or all("王秀英" not in p for p in result.plan.problems)


# -- failures ---------------------------------------------------------------------------------------
def test_a_429_burst_is_waited_out_with_the_reset_header(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    emulator.inject(429, times=3, reset=7)
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    assert len(world.sleeps) == 3 and all(s >= 7 for s in world.sleeps)
    limited = [r for r in emulator.requests if r.status == 429]
    assert len(limited) == 3 and limited[0].headers["x-ogw-ratelimit-reset"] == "7"


def test_a_service_that_stays_down_gives_up_after_bounded_retries(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, small(), policy=RetryPolicy(attempts=4))
    emulator.down = True
    with pytest.raises(BackendError) as caught:
        world.run()
    assert caught.value.exit_code == 1
    assert "4" in str(caught.value) and "503" in str(caught.value)
    assert len(world.sleeps) == 3
    assert len(emulator.sheets_requests()) == 4


def test_an_expired_token_is_renewed_once(emulator: FeishuEmulator, tmp_path: Path) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    world.run()
    emulator.expire_tokens()
    result = world.run(NOW.replace(minute=5))
    assert result.snapshot.tables
    tokens = [r for r in emulator.requests if r.is_token]
    assert len(tokens) == 2
    assert any(r.code == 99991663 for r in emulator.requests)


def test_the_token_is_cached_and_renewed_in_its_last_half_hour(tmp_path: Path) -> None:
    now = [1000.0]
    with FeishuEmulator(clock=lambda: now[0]) as emu:
        world = FeishuWorld(emu, tmp_path, small())
        world.backend.client.clock = lambda: now[0]
        world.run()
        world.run(NOW.replace(minute=5))
        assert sum(r.is_token for r in emu.requests) == 1
        now[0] += 7200 - 1700  # 28 minutes left: ask again, get a new one
        world.run(NOW.replace(minute=10))
        assert sum(r.is_token for r in emu.requests) == 2
        assert not any(r.code == 99991663 for r in emu.requests)


@pytest.mark.parametrize(
    ("setup", "exit_code", "words"),
    [
        ("not_shared", 2, "添加文档应用"),
        ("unknown_sheet", 2, "--feishu"),
        ("locked", 1, "protected"),
        ("wrong_secret", 2, "凭证与基础信息"),
        ("monthly", 1, "1st"),
    ],
)
def test_feishu_errors_say_the_fix(
    emulator: FeishuEmulator, tmp_path: Path, setup: str, exit_code: int, words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("AIDSYNC_LANG", "en")
    world = FeishuWorld(emulator, tmp_path, small())
    book = emulator.book(world.token)
    if setup == "not_shared":
        book.editors.clear()
    elif setup == "unknown_sheet":
        emulator._books.pop(world.token)
    elif setup == "locked":
        from emulator.feishu.model import Protection

        sheet = emulator.sheet(world.token, REQUESTS)
        sheet.protections.append(Protection("1", "COLUMNS", 1, 30, "person"))
    elif setup == "wrong_secret":
        emulator.apps[emulator.app_id] = "another-secret"
    elif setup == "monthly":
        emulator.monthly_limit = 0
    with pytest.raises((ConfigError, BackendError)) as caught:
        world.run()
    assert caught.value.exit_code == exit_code
    assert words in str(caught.value)
    assert emulator.app_secret not in str(caught.value)
    assert "emulator-secret" not in str(caught.value)
    if setup == "locked":  # nothing was written
        assert by_name(world.values(REQUESTS))["王秀英"][STATUS] == ""


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("shtcnABCDEFGHIJ0123456789", "shtcnABCDEFGHIJ0123456789"),
        ("https://acme.feishu.cn/sheets/shtcnABCDEFGHIJ0123456789", "shtcnABCDEFGHIJ0123456789"),
        ("https://acme.larksuite.com/sheets/Iow7sNNEphp3WbtnbCscPqabcef?sheet=x1",
         "Iow7sNNEphp3WbtnbCscPqabcef"),
    ],
)  # fmt: skip
def test_the_spreadsheet_is_named_by_token_or_link(text: str, token: str) -> None:
    assert spreadsheet_token(text) == token


@pytest.mark.parametrize(
    "text",
    [
        "https://acme.feishu.cn/wiki/wikcnABCDEFGHIJ0123456789",
        "https://x.com/sheets/abcdefghijk",
        "a b",
    ],
)
def test_a_link_that_is_no_spreadsheet_is_a_bad_setting(text: str) -> None:
    with pytest.raises(ConfigError):
        spreadsheet_token(text)


def test_volunteers_tab_is_read_too(emulator: FeishuEmulator, tmp_path: Path) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    snapshot = world.backend.read(SCHEMA)
    assert snapshot.table("volunteers").title == VOLUNTEERS  # type: ignore[union-attr]


# -- init -----------------------------------------------------------------------------------------
def test_init_builds_the_tabs_and_a_second_run_changes_nothing(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    from sync.sample import sample_rows

    world = FeishuWorld(emulator, tmp_path, {"Sheet1": []})
    done = world.backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "en"))
    assert "added tab Requests" in done and "added 14 sample rows to Requests" in done
    tab = emulator.sheet(world.token, "Requests")
    assert world.values("Requests")[0] == headers("requests", "en")
    assert tab.frozen_rows == 1
    assert tab.validations and all("," not in v for d in tab.validations for v in d["values"])
    worker = SCHEMA.tab("requests").owned_by("worker")
    locked = sum(p.end - p.start + 1 for p in tab.protections)
    assert locked == len(worker)  # the worker's columns, and only those
    assert emulator.sheet(world.token, "Log").protections  # a worker tab: all its columns
    start = len(world.requests_made())
    assert world.backend.initialise(SCHEMA, "en", None) == []
    assert calls_since(world, start) == ["GET sheets/query", "GET values_batch_get"]
    result = world.run(NOW)
    assert result.applied is not None and result.applied.written > 0


def test_init_never_touches_existing_data(emulator: FeishuEmulator, tmp_path: Path) -> None:
    from sync.sample import sample_rows

    people = [["居民姓名", "联系电话", "社区", "地址", "类别"],
              ["王秀英", "13840001001", "创意社区", "海兴花园", "药品"]]  # fmt: skip
    world = FeishuWorld(emulator, tmp_path, {"需求": people, "备忘": [["别动我"]]})
    done = world.backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "zh"))
    assert "「需求」表已有内容，保持原样，没有加示例行" in done
    assert "添加了「志愿者」表" in done  # the sheet's language, not --locale
    after = world.values("需求")
    assert [r[:5] for r in after] == people
    assert "编号" in after[0][5:] and len(after) == 2
    assert world.values("备忘") == [["别动我"]]
    again = world.backend.initialise(SCHEMA, "en", sample_rows(SCHEMA, "zh"))
    assert again and all(line.endswith("保持原样，没有加示例行") for line in again)


def test_a_row_inserted_above_in_the_instant_of_an_append_pushes_nothing_over(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    """The pass appends this Monday's vegetables for 赵桂兰 (a recurring request); a person
    inserts a row at the top at that instant, which pushes 周明 down onto the appended row:
    周明's cells go back and the occurrence is written again below."""
    origin = request("赵桂兰", id="R-0001", submitted_at="2022-12-13 09:00", household="独居",
                     repeat="每周一", volunteer="张伟", status="已送达",
                     assigned_at="2022-12-13 09:05", delivered_at="2022-12-13 10:00")  # fmt: skip
    others = [request(n, phone=f"1384000101{i}", status="已送达", volunteer="张伟")
              for i, n in enumerate(["钱芳", "吴强", "郑丽", "冯军"])]  # fmt: skip
    world = FeishuWorld(emulator, tmp_path, workbook(
        [origin, *others, request("周明", phone="13840001009")], [volunteer("张伟")]))  # fmt: skip
    typed = grid("requests", [request("孙秀英", phone="13840001004")])[1]

    def insert() -> None:
        emulator.human_edit(world.token, REQUESTS, lambda rows: rows.insert(1, list(typed)))

    emulator.before_request(_once_on(emulator, "values_batch_update", insert))
    world.run()
    emulator.before_request(None)
    rows = world.values(REQUESTS)[1:]
    names = [r[NAME] for r in rows if len(r) > NAME]
    assert names.count("赵桂兰") == 2 and names.count("周明") == 1 and "孙秀英" in names
    zhou = next(r for r in rows if len(r) > NAME and r[NAME] == "周明")
    assert zhou[PHONE] == "13840001009"
    assert any("上方插入了行" in str(line) for line in world.values(LOG))


def test_passing_5xx_answers_are_retried_with_backoff(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    world = FeishuWorld(emulator, tmp_path, small())
    emulator.inject(503, times=2)
    result = world.run()
    assert result.applied is not None and result.applied.written > 0
    assert len(world.sleeps) == 2 and world.sleeps[0] >= 1 and world.sleeps[1] >= 2  # it grows
    assert [r.status for r in emulator.requests if r.status >= 500] == [503, 503]


def test_random_faults_leave_the_sheet_done_or_untouched(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    """Thirty passes with a third of the calls failing (429, 500, 503): each either finishes
    with the sheet as a fault-free pass leaves it, or fails (exit 1) with it untouched."""

    def dressed(world: FeishuWorld) -> FeishuWorld:
        """As init leaves it: the faults hit a steady pass, not the one-off dressing calls."""
        for title in (REQUESTS, VOLUNTEERS, STOCK, LOG):
            emulator.sheet(world.token, title).frozen_rows = 1
        return world

    clean = dressed(FeishuWorld(emulator, tmp_path, small()))
    clean.run()
    expected = clean.values(REQUESTS)
    done = failed = 0
    for seed in range(30):
        world = dressed(FeishuWorld(emulator, tmp_path, small(), policy=RetryPolicy(attempts=3)))
        before = world.values(REQUESTS)
        emulator.fail_randomly(0.35, seed=seed)
        try:
            world.run()
            done += 1
            assert world.values(REQUESTS) == expected, seed
        except BackendError as exc:
            failed += 1
            assert exc.exit_code == 1
            assert world.values(REQUESTS) == before, seed
        finally:
            emulator.fail_randomly(0.0)
    assert done and failed  # both outcomes were seen
