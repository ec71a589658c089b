"""Behaviour of the Sheets emulator, driven through unmodified gspread and google-auth."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import google.auth.exceptions
import gspread
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from emulator import RecordedRequest, SheetsEmulator, emulator_client
from emulator.auth import private_key_pem
from gspread.utils import DateTimeOption, InsertDataOption
from gspread.utils import ValueInputOption as VIO
from gspread.utils import ValueRenderOption as VRO

TITLE = "需求登记"


class FakeClock:
    """A manually advanced clock for quota windows."""

    def __init__(self) -> None:
        """Start at t=1000."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock."""
    return FakeClock()


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[SheetsEmulator]:
    """A running emulator on the fake clock."""
    with SheetsEmulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture
def keyfile(emu: SheetsEmulator, tmp_path: Path) -> Path:
    """A trusted service-account key file."""
    path = tmp_path / "key.json"
    emu.make_service_account_key(path)
    return path


@pytest.fixture
def gc(emu: SheetsEmulator, keyfile: Path) -> gspread.Client:
    """An unmodified gspread client talking to the emulator."""
    return emulator_client(emu, keyfile)


@pytest.fixture
def sid(emu: SheetsEmulator) -> str:
    """A spreadsheet with a Chinese-titled sheet holding typed values."""
    rows: list[list[Any]] = [
        ["编号", "数量", "比例", "完成", "日期", "合计"],
        ["A-1", 3, 1.5, True, dt.date(2024, 1, 5), "=B2*2"],
    ]
    return emu.create_spreadsheet("aidsync", {TITLE: rows, "Sheet1": []})


def _api_error(exc: pytest.ExceptionInfo[gspread.exceptions.APIError]) -> dict[str, Any]:
    return dict(exc.value.response.json()["error"])


# -- OAuth -------------------------------------------------------------------------------------
def test_key_file_points_at_emulator(emu: SheetsEmulator, tmp_path: Path) -> None:
    key = emu.make_service_account_key(tmp_path / "k.json")
    assert key["token_uri"] == emu.token_uri
    assert json.loads((tmp_path / "k.json").read_text())["client_email"] == key["client_email"]


def test_token_flow_and_bearer_use(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    assert gc.open_by_key(sid).title == "aidsync"
    token_calls = [r for r in emu.requests if r.is_token]
    assert [r.status for r in token_calls] == [200]
    assert all(
        r.user == "aidsync@test-project.iam.gserviceaccount.com" for r in emu.sheets_requests
    )


def test_untrusted_key_is_rejected(emu: SheetsEmulator, keyfile: Path, tmp_path: Path) -> None:
    key = json.loads(keyfile.read_text())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key["private_key"] = private_key_pem(other)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(key))
    sid = emu.create_spreadsheet("x")
    with pytest.raises(google.auth.exceptions.RefreshError, match="invalid_grant"):
        emulator_client(emu, bad).open_by_key(sid)
    assert [r.status for r in emu.requests if r.is_token] == [400]


def test_missing_or_bad_token_is_401(emu: SheetsEmulator, sid: str) -> None:
    url = f"{emu.base_url}/v4/spreadsheets/{sid}"
    missing = requests.get(url, timeout=5)
    assert missing.status_code == 401
    assert missing.json()["error"]["status"] == "UNAUTHENTICATED"
    bad = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401
    assert "invalid authentication credential." in bad.json()["error"]["message"]


def test_revoked_token_is_refreshed_by_google_auth(
    emu: SheetsEmulator, gc: gspread.Client, sid: str
) -> None:
    gc.open_by_key(sid)
    emu.revoke_tokens()
    gc.open_by_key(sid)
    assert [r.status for r in emu.requests if r.is_token] == [200, 200]
    assert 401 in [r.status for r in emu.sheets_requests]


# -- values: typed cells and render options ---------------------------------------------------
def test_render_options(gc: gspread.Client, sid: str) -> None:
    ws = gc.open_by_key(sid).worksheet(TITLE)
    assert ws.get("A2:F2") == [["A-1", "3", "1.5", "TRUE", "2024-01-05", "6"]]
    unformatted = ws.get("A2:F2", value_render_option=VRO.unformatted)
    assert unformatted == [["A-1", 3, 1.5, True, 45296, 6]]
    formula = ws.get("A2:F2", value_render_option=VRO.formula)
    assert formula == [["A-1", 3, 1.5, True, 45296, "=B2*2"]]
    as_text = ws.get(
        "E2",
        value_render_option=VRO.unformatted,
        date_time_render_option=DateTimeOption.formatted_string,
    )
    assert as_text == [["2024-01-05"]]


def test_raw_vs_user_entered(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    ws = gc.open_by_key(sid).worksheet("Sheet1")
    ws.update([["=1+1", "0042", "'=x", "TRUE"]], "A1", value_input_option=VIO.raw)
    assert emu.formulas_created == []
    ws.update([["=1+1", "0042", "'=x", "TRUE"]], "A2", value_input_option=VIO.user_entered)
    assert emu.formulas_created == [(sid, "Sheet1", "A2", "=1+1")]
    assert ws.get("A1:D2", value_render_option=VRO.unformatted) == [
        ["=1+1", "0042", "'=x", "TRUE"],
        [2, 42, "=x", True],
    ]
    assert emu.get_values(sid, "Sheet1") == [["=1+1", "0042", "'=x", "TRUE"], [2, 42, "=x", True]]
    assert emu.get_values(sid, "Sheet1", formulas=True)[1][0] == "=1+1"


def test_trimming_and_empty_ranges(gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    ws = sh.worksheet("Sheet1")
    ws.update([["a", "", ""], ["", "", ""], ["", "b", ""], ["", "", ""]], "A1")
    response = sh.values_get("Sheet1!A1:D6")
    assert response == {
        "range": "Sheet1!A1:D6",
        "majorDimension": "ROWS",
        "values": [["a"], [], ["", "b"]],
    }
    assert "values" not in sh.values_get("Sheet1!E1:F2")
    columns = sh.values_get("Sheet1!A1:C3", params={"majorDimension": "COLUMNS"})
    assert columns["values"] == [["a"], ["", "", "b"]]


def test_range_strings(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    assert sh.values_get(TITLE)["range"] == "'需求登记'!A1:Z1000"
    assert sh.values_get(f"'{TITLE}'!B:C")["range"] == "'需求登记'!B1:C1000"
    assert sh.values_get(f"{TITLE}!A2:2")["range"] == "'需求登记'!A2:Z2"
    assert sh.values_get("Sheet1!D4:A1")["range"] == "Sheet1!A1:D4"
    assert sh.values_get("A1")["range"] == "'需求登记'!A1"
    other = emu.create_spreadsheet("q", {"It's": [["x"]]})
    assert gc.open_by_key(other).values_get("'It''s'!A1:B1")["range"] == "'It''s'!A1:B1"


def test_range_errors(gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    with pytest.raises(gspread.exceptions.APIError) as exceeded:
        sh.values_get("'Sheet1'!A1:ZZ5")
    assert _api_error(exceeded) == {
        "code": 400,
        "message": "Range ('Sheet1'!A1:ZZ5) exceeds grid limits. Max rows: 1000, max columns: 26",
        "status": "INVALID_ARGUMENT",
    }
    with pytest.raises(gspread.exceptions.APIError) as unknown:
        sh.values_get("Nope!A1")
    assert _api_error(unknown)["message"] == "Unable to parse range: Nope!A1"
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key("missing")


# -- values: batch endpoints and append -------------------------------------------------------
def test_batch_get_and_batch_update(gc: gspread.Client, sid: str) -> None:
    ws = gc.open_by_key(sid).worksheet("Sheet1")
    result = ws.batch_update(
        [{"range": "A1:B1", "values": [["x", "y"]]}, {"range": "C3", "values": [["=A1&B1"]]}],
        value_input_option=VIO.user_entered,
    )
    assert result["totalUpdatedCells"] == 3
    assert result["totalUpdatedSheets"] == 1
    assert [r["updatedRange"] for r in result["responses"]] == ["Sheet1!A1:B1", "Sheet1!C3"]
    assert ws.batch_get(["A1:B1", "C3"]) == [[["x", "y"]], [["xy"]]]


def test_append_detects_table_and_inserts_rows(
    emu: SheetsEmulator, gc: gspread.Client, sid: str
) -> None:
    ws = gc.open_by_key(sid).worksheet(TITLE)
    answer = ws.append_row(["A-2", 4], value_input_option=VIO.raw)
    assert answer["tableRange"] == "'需求登记'!A1:F2"
    assert answer["updates"]["updatedRange"] == "'需求登记'!A3:B3"
    ws.append_rows([["z"]], table_range="A1", insert_data_option=InsertDataOption.insert_rows)
    assert emu.sheet(sid, TITLE).row_count == 1001
    # like Google: the range A1 holds the one-cell table A1, so "z" is inserted as row 2
    assert [row[0] for row in emu.get_values(sid, TITLE)] == ["编号", "z", "A-1", "A-2"]


def test_append_grows_a_full_sheet(emu: SheetsEmulator, gc: gspread.Client) -> None:
    sid = emu.create_spreadsheet("small", {"S": [["h"]]})
    ws = gc.open_by_key(sid).worksheet("S")
    ws.resize(rows=1, cols=1)
    ws.append_row(["v"])
    assert emu.sheet(sid, "S").row_count == 2
    assert emu.get_values(sid, "S") == [["h"], ["v"]]


def test_update_beyond_grid_is_rejected(gc: gspread.Client, sid: str) -> None:
    ws = gc.open_by_key(sid).worksheet("Sheet1")
    with pytest.raises(gspread.exceptions.APIError, match="exceeds grid limits"):
        ws.update([["x"]], "AA1")
    with pytest.raises(gspread.exceptions.APIError, match="tried writing to row"):
        ws.update([["a"], ["b"]], "A1:B1")


# -- quotas and faults ------------------------------------------------------------------------
def test_read_quota_per_user_follows_clock(
    emu: SheetsEmulator, gc: gspread.Client, sid: str, clock: FakeClock
) -> None:
    emu.quota.read_per_user = 2
    sh = gc.open_by_key(sid)  # 1 read
    ws = sh.worksheet(TITLE)  # 2 reads
    with pytest.raises(gspread.exceptions.APIError) as exc:
        ws.get("A1")
    error = _api_error(exc)
    assert error["code"] == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"].startswith(
        "Quota exceeded for quota metric 'Read requests' and limit "
        "'Read requests per minute per user' of service 'sheets.googleapis.com'"
    )
    ws.update([["writes are counted separately"]], "A5")
    clock.now += 61
    assert ws.get("A1") == [["编号"]]


def test_project_write_quota(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    emu.quota.write_per_project = 1
    ws = gc.open_by_key(sid).worksheet("Sheet1")
    ws.update([["1"]], "A1")
    with pytest.raises(gspread.exceptions.APIError, match="Write requests per minute'"):
        ws.update([["2"]], "A1")


def test_injected_faults(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    emu.inject(status=503, times=2)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as exc:
            sh.values_get("A1")
        assert _api_error(exc)["status"] == "UNAVAILABLE"
    assert sh.values_get("A1")["values"] == [["编号"]]
    emu.inject(delay=0.3)
    started = time.monotonic()
    sh.values_get("A1")
    assert time.monotonic() - started >= 0.3
    emu.inject(status=429)
    with pytest.raises(gspread.exceptions.APIError) as limited:
        sh.values_get("A1")
    assert limited.value.code == 429


def test_random_faults_are_seeded(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)

    def pattern() -> list[int]:
        emu.fail_randomly(rate=0.5, statuses=(500, 503), seed=7)
        codes = []
        for _ in range(12):
            try:
                sh.values_get("A1")
                codes.append(200)
            except gspread.exceptions.APIError as exc:
                codes.append(exc.code)
        return codes

    first = pattern()
    assert first == pattern()
    assert {200, 500} <= set(first) or {200, 503} <= set(first)
    emu.clear_faults()
    sh.values_get("A1")


# -- humans, hooks and batchUpdate ------------------------------------------------------------
def test_human_edit_between_read_and_write(
    emu: SheetsEmulator, gc: gspread.Client, sid: str
) -> None:
    ws = gc.open_by_key(sid).worksheet(TITLE)
    rows = ws.get_all_values()
    target_row = 1 + next(i for i, r in enumerate(rows) if r[0] == "A-1")
    seen: list[RecordedRequest] = []

    def hook(request: RecordedRequest) -> None:
        seen.append(request)
        if request.method == "PUT":
            emu.human_edit(sid, TITLE, lambda grid: grid.insert(1, ["B-7", 9]))

    emu.before_request(hook)
    ws.update([["A-1 done"]], f"A{target_row}")
    emu.before_request(None)
    values = emu.get_values(sid, TITLE)
    assert values[1][0] == "A-1 done"  # the human's row was overwritten: a stale coordinate
    assert values[2][0] == "A-1"
    assert [r.method for r in seen] == ["PUT"]


def test_human_sort_keeps_types_and_formulas(emu: SheetsEmulator, sid: str) -> None:
    emu.human_edit(sid, TITLE, lambda grid: grid.append(["A-0", 1]))
    emu.human_edit(sid, TITLE, lambda grid: grid[1:].__setitem__(slice(None), []))
    emu.human_edit(sid, TITLE, lambda grid: grid.sort(key=lambda r: str(r[0])))
    values = emu.get_values(sid, TITLE, formulas=True)
    assert [r[0] for r in values] == ["A-0", "A-1", "编号"]
    assert values[1][4] == dt.date(2024, 1, 5)
    assert values[1][5] == "=B2*2"


def test_structural_batch_update(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    ws = sh.add_worksheet("日志", rows=5, cols=3)
    assert ws.id != 0 and ws.index == 2
    ws.freeze(rows=1)
    ws.add_protected_range("A1:C1", warning_only=True)
    ws.add_validation("A2", gspread.utils.ValidationConditionType.one_of_list, ["y", "n"])
    meta = sh.fetch_sheet_metadata()["sheets"][2]
    assert meta["properties"]["gridProperties"] == {
        "rowCount": 5,
        "columnCount": 3,
        "frozenRowCount": 1,
    }
    protected = meta["protectedRanges"][0]
    assert protected["warningOnly"] is True
    assert protected["range"]["sheetId"] == ws.id
    assert len(emu.sheet(sid, "日志").data_validations) == 1
    reply = sh.batch_update(
        {"requests": [{"addChart": {"chart": {"spec": {"title": "t"}, "position": {}}}}]}
    )
    assert isinstance(reply["replies"][0]["addChart"]["chart"]["chartId"], int)
    ws.insert_row(["new"], 2)
    ws.delete_rows(3)
    sh.del_worksheet(ws)
    assert [w.title for w in sh.worksheets()] == [TITLE, "Sheet1"]


def test_batch_update_is_atomic(emu: SheetsEmulator, gc: gspread.Client, sid: str) -> None:
    sh = gc.open_by_key(sid)
    body = {
        "requests": [
            {"addSheet": {"properties": {"title": "half"}}},
            {"deleteSheet": {"sheetId": 424242}},
        ]
    }
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sh.batch_update(body)
    assert _api_error(exc)["message"] == "Invalid requests[1].deleteSheet: No grid with id: 424242"
    assert [s.title for s in emu.spreadsheet(sid).sheets] == [TITLE, "Sheet1"]
    with pytest.raises(gspread.exceptions.APIError, match='Unknown name "fooBar"'):
        sh.batch_update({"requests": [{"fooBar": {}}]})


def test_sort_range_and_requests_log(emu: SheetsEmulator, gc: gspread.Client) -> None:
    sid = emu.create_spreadsheet("s", {"S": [["b", 2], ["a", 10], ["c", 1]]}, locale="en_US")
    ws = gc.open_by_key(sid).worksheet("S")
    ws.sort((2, "des"), range="A1:B3")
    assert emu.get_values(sid, "S") == [["a", 10], ["b", 2], ["c", 1]]
    last = emu.sheets_requests[-1]
    assert (last.method, last.path, last.status) == (
        "POST",
        f"/v4/spreadsheets/{sid}:batchUpdate",
        200,
    )
    assert last.body["requests"][0]["sortRange"]["sortSpecs"][0]["sortOrder"] == "DESCENDING"


def test_charts_are_added_found_updated_and_deleted(
    emu: SheetsEmulator, gc: gspread.Client, sid: str
) -> None:
    sh = gc.open_by_key(sid)
    ws = sh.sheet1
    source = {"sourceRange": {"sources": [{"sheetId": ws.id, "startRowIndex": 0,
                                           "endRowIndex": 5, "startColumnIndex": 0,
                                           "endColumnIndex": 1}]}}  # fmt: skip
    spec = {"title": "per day", "basicChart": {"chartType": "COLUMN", "stackedType": "STACKED",
                                               "domains": [{"domain": source}]}}  # fmt: skip
    position = {"overlayPosition": {"anchorCell": {"sheetId": ws.id, "rowIndex": 2,
                                                   "columnIndex": 3}}}  # fmt: skip
    reply = sh.batch_update({"requests": [{"addChart": {"chart": {"spec": spec,
                                                                  "position": position}}}]})  # fmt: skip
    chart = reply["replies"][0]["addChart"]["chart"]
    chart_id = chart["chartId"]
    assert chart["spec"]["title"] == "per day" and chart["position"] == position
    meta = sh.fetch_sheet_metadata({"fields": "sheets(charts(chartId,spec(title),position))"})
    found = [c for s in meta["sheets"] for c in s.get("charts", [])]
    assert found == [{"chartId": chart_id, "spec": {"title": "per day"}, "position": position}]

    reply = sh.batch_update({"requests": [{"updateChartSpec": {"chartId": chart_id,
                                                               "spec": {**spec, "title": "x"}}}]})  # fmt: skip
    assert reply["replies"] == [{}]
    assert emu.sheet(sid, ws.title).charts[0]["spec"]["title"] == "x"
    reply = sh.batch_update({"requests": [{"deleteEmbeddedObject": {"objectId": chart_id}}]})
    assert reply["replies"] == [{}]
    assert emu.sheet(sid, ws.title).charts == []
    for bad in (
        {"deleteEmbeddedObject": {"objectId": chart_id}},
        {"updateChartSpec": {"chartId": chart_id, "spec": spec}},
        {"addChart": {"chart": {"spec": {"basicChart": {"domains": [{"domain": {
            "sourceRange": {"sources": [{"sheetId": 99}]}}}]}}, "position": position}}},
    ):  # fmt: skip
        with pytest.raises(gspread.exceptions.APIError) as info:
            sh.batch_update({"requests": [bad]})
        assert info.value.response.status_code == 400
    assert emu.sheet(sid, ws.title).charts == []


def test_batch_update_answers_with_the_spreadsheet_after_it(gc: gspread.Client, sid: str) -> None:
    """includeSpreadsheetInResponse: the resource after the requests; grid data only when asked
    (responseIncludeGridData, or a field mask naming it) and only for responseRanges."""
    ss = gc.open_by_key(sid)
    sheet_id = ss.worksheet(TITLE).id
    grow = {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": 5}}
    plain = ss.batch_update({"requests": [grow], "includeSpreadsheetInResponse": True})
    sheets = {s["properties"]["title"]: s for s in plain["updatedSpreadsheet"]["sheets"]}
    assert set(sheets) == {TITLE, "Sheet1"} and "data" not in sheets[TITLE]
    rows_now = sheets[TITLE]["properties"]["gridProperties"]["rowCount"]
    with_data = ss.batch_update({"requests": [grow], "includeSpreadsheetInResponse": True,
                                 "responseRanges": [f"'{TITLE}'"],
                                 "responseIncludeGridData": True})  # fmt: skip
    sheets = {s["properties"]["title"]: s for s in with_data["updatedSpreadsheet"]["sheets"]}
    assert sheets[TITLE]["properties"]["gridProperties"]["rowCount"] == rows_now + 5
    first = sheets[TITLE]["data"][0]["rowData"][1]["values"]
    assert first[1]["effectiveValue"] == {"numberValue": 3}
    assert first[5]["effectiveValue"] == {"numberValue": 6}  # =B2*2, its value
    assert "data" not in sheets["Sheet1"]
    with pytest.raises(gspread.exceptions.APIError) as exc:
        ss.batch_update({"requests": [grow], "includeSpreadsheetInResponse": True,
                         "responseRanges": [f"'{TITLE}'!A1:B2"]})  # fmt: skip
    assert _api_error(exc)["code"] == 400
