"""The Feishu emulator answers as the Open Platform's documentation says (plain HTTP, no
aidsync code). Pages are those of the riba2534/feishu-open-docs mirror:

- token: authentication-management/access-token/tenant_access_token_internal.md
- read: uUDN04SN0QjL1QDN/sheets-v3/data/ukTMzUjL5EzM14SOxMTN.md (读取多个范围)
- write: uUDN04SN0QjL1QDN/sheets-v3/data/uEjMzUjLxIzM14SMyMTN.md (向多个范围写入数据)
- value types: uUDN04SN0QjL1QDN/sheets-v3/data/ugjN1UjL4YTN14CO2UTN.md (支持写入的数据类型)
- tabs: uUDN04SN0QjL1QDN/sheets-v3/spreadsheet-sheet/query.md (获取工作表)
- codes: api-call-guide/ugjM14COyUjL4ITN.md; rate limits: api-call-guide/uUzN04SN3QjL1cDN.md
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from emulator.feishu import DateValue, FeishuEmulator, Formula
from emulator.feishu.model import Protection

TOKEN_URL = "/open-apis/auth/v3/tenant_access_token/internal"


class Api:
    """Plain requests to the emulator, as the documentation's cURL examples send them."""

    def __init__(self, emu: FeishuEmulator, token: str) -> None:
        self.emu, self.token = emu, token
        answer = requests.post(emu.base_url + TOKEN_URL, timeout=5,
                               json={"app_id": emu.app_id, "app_secret": emu.app_secret})  # fmt: skip
        self.auth = {"Authorization": f"Bearer {answer.json()['tenant_access_token']}"}

    def v2(self, method: str, endpoint: str, **kw: Any) -> requests.Response:
        url = f"{self.emu.base_url}/open-apis/sheets/v2/spreadsheets/{self.token}/{endpoint}"
        return requests.request(method, url, headers=self.auth, timeout=5, **kw)

    def v3(self, endpoint: str) -> requests.Response:
        url = f"{self.emu.base_url}/open-apis/sheets/v3/spreadsheets/{self.token}/{endpoint}"
        return requests.get(url, headers=self.auth, timeout=5)

    def sheet_id(self, title: str) -> str:
        return self.emu.sheet(self.token, title).sheet_id

    def read(self, ranges: str, **params: str) -> requests.Response:
        return self.v2("GET", "values_batch_get", params={"ranges": ranges, **params})

    def write(self, *value_ranges: tuple[str, list[list[Any]]]) -> requests.Response:
        body = {"valueRanges": [{"range": r, "values": v} for r, v in value_ranges]}
        return self.v2("POST", "values_batch_update", json=body)


@pytest.fixture
def emu() -> Iterator[FeishuEmulator]:
    """A running emulator."""
    with FeishuEmulator() as emulator:
        yield emulator


@pytest.fixture
def api(emu: FeishuEmulator) -> Api:
    """One spreadsheet with a tab 'A' and the app added to it."""
    token = emu.create_spreadsheet("表", {"A": [["id", "名字", "数量"], ["R1", "王", 3],
                                               [None, None, None], ["R3", None, 5.5]]})  # fmt: skip
    return Api(emu, token)


def test_the_token_lives_two_hours_and_is_renewed_in_its_last_half_hour() -> None:
    """'tenant_access_token 的最大有效期是 2 小时… 剩余有效期小于 30 分钟时，调用本接口会返回
    一个新的 tenant_access_token'."""
    now = [0.0]
    with FeishuEmulator(clock=lambda: now[0]) as emu:
        body = {"app_id": emu.app_id, "app_secret": emu.app_secret}

        def ask() -> dict[str, Any]:
            return requests.post(emu.base_url + TOKEN_URL, json=body, timeout=5).json()  # type: ignore[no-any-return]

        first = ask()
        assert first["code"] == 0 and first["expire"] == 7200
        assert first["tenant_access_token"].startswith("t-")
        now[0] = 3600
        assert ask()["tenant_access_token"] == first["tenant_access_token"]
        now[0] = 7200 - 1000
        second = ask()
        assert second["tenant_access_token"] != first["tenant_access_token"]
        token = emu.create_spreadsheet("x", {"A": [["a"]]})
        url = f"{emu.base_url}/open-apis/sheets/v3/spreadsheets/{token}/sheets/query"
        old = {"Authorization": f"Bearer {first['tenant_access_token']}"}
        assert requests.get(url, headers=old, timeout=5).json()["code"] == 0  # both valid
        now[0] = 7201
        expired = requests.get(url, headers=old, timeout=5)
        assert expired.json()["code"] == 99991663


def test_a_wrong_secret_is_refused(emu: FeishuEmulator) -> None:
    answer = requests.post(emu.base_url + TOKEN_URL, timeout=5,
                           json={"app_id": emu.app_id, "app_secret": "nope"})  # fmt: skip
    assert answer.json()["code"] != 0 and "tenant_access_token" not in answer.json()


def test_sheets_query_lists_ids_titles_and_grids(api: Api) -> None:
    answer = api.v3("sheets/query").json()
    assert answer["code"] == 0
    sheet = answer["data"]["sheets"][0]
    assert sheet["title"] == "A" and sheet["index"] == 0 and sheet["resource_type"] == "sheet"
    assert set(sheet["grid_properties"]) >= {"row_count", "column_count", "frozen_row_count"}


def test_a_read_is_the_envelope_with_revision_nulls_and_no_trailing_rows(api: Api) -> None:
    sid = api.sheet_id("A")
    answer = api.read(f"{sid}!A1:C100", valueRenderOption="UnformattedValue").json()
    assert set(answer) == {"code", "msg", "data"} and answer["code"] == 0
    data = answer["data"]
    assert data["revision"] == 0 and data["spreadsheetToken"] == api.token
    vr = data["valueRanges"][0]
    assert vr["majorDimension"] == "ROWS" and vr["revision"] == 0
    assert vr["range"] == f"{sid}!A1:C4"  # ends at the last row holding data
    assert vr["values"] == [["id", "名字", "数量"], ["R1", "王", 3], [None, None, None],
                            ["R3", None, 5.5]]  # fmt: skip
    empty = api.read(f"{sid}!E1:F9").json()["data"]["valueRanges"][0]
    assert empty["range"] == ""  # "为空时表示查询范围没有数据"


def test_open_ended_reads_reach_the_last_row_and_at_most_100_columns(api: Api) -> None:
    sid = api.sheet_id("A")
    api.emu.sheet(api.token, "A").column_count = 150
    vr = api.read(f"{sid}!A1:EZ").json()["data"]["valueRanges"][0]
    assert len(vr["values"]) == 4 and len(vr["values"][0]) == 100


def test_dates_read_as_serial_days_unless_formatted(api: Api) -> None:
    api.emu.type_cell(api.token, "A", 2, 1, DateValue(44915.5))
    sid = api.sheet_id("A")
    serial = api.read(f"{sid}!B2:B2").json()["data"]["valueRanges"][0]["values"]
    shown = api.read(f"{sid}!B2:B2", dateTimeRenderOption="FormattedString").json()
    assert serial == [[44915.5]]
    assert shown["data"]["valueRanges"][0]["values"] == [["2022/12/20"]]


def test_a_write_overwrites_and_counts_a_revision(api: Api) -> None:
    sid = api.sheet_id("A")
    answer = api.write((f"{sid}!D1:D2", [["备注"], ["x"]]), (f"{sid}!A5:B5", [["R5", 7]])).json()
    assert answer["code"] == 0 and answer["data"]["revision"] == 1
    first = answer["data"]["responses"][0]
    assert first["updatedRange"] == f"{sid}!D1:D2" and first["updatedCells"] == 2
    assert api.emu.values(api.token, "A")[4] == ["R5", 7]


def test_text_segments_stay_text_and_formulas_need_their_own_type(api: Api) -> None:
    """The v2 write gives formulas their own value type ({"type": "formula"}) and text segments
    theirs ({"type": "text"}); what a plain '=…' string becomes is not documented, so the
    emulator assumes the worst: a formula."""
    sid = api.sheet_id("A")
    api.write((f"{sid}!E1:E4", [[{"type": "text", "text": "=1+1"}], ["=1+1"],
                                [{"type": "formula", "text": "=A1"}], ["007"]]))  # fmt: skip
    sheet = api.emu.sheet(api.token, "A")
    assert sheet.get(0, 4) == "=1+1"
    assert isinstance(sheet.get(1, 4), Formula) and isinstance(sheet.get(2, 4), Formula)
    assert sheet.get(3, 4) == 7  # a plain string of digits is assumed to become a number


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("wrong_range", 400, 90202),
        ("unknown_sheet", 400, 90215),
        ("too_many_rows", 400, 90226),
        ("too_many_cols", 400, 90226),
        ("too_long", 400, 90222),
        ("locked", 400, 90218),
        ("past_grid", 400, 90202),
    ],
)
def test_write_errors_carry_feishus_codes(api: Api, case: str, status: int, code: int) -> None:
    sid = api.sheet_id("A")
    sheet = api.emu.sheet(api.token, "A")
    if case == "wrong_range":
        answer = api.write((f"{sid}!1A:B", [["x"]]))
    elif case == "unknown_sheet":
        answer = api.write(("zzzzzz!A1:A1", [["x"]]))
    elif case == "too_many_rows":
        sheet.row_count = 6000
        answer = api.write((f"{sid}!A1:A3000", [["x"]] * 3000), (f"{sid}!B1:B2001", [["y"]] * 2001))
    elif case == "too_many_cols":
        sheet.column_count = 200
        answer = api.write((f"{sid}!A1:CW1", [["x"] * 101]))
    elif case == "too_long":
        answer = api.write((f"{sid}!A1:A1", [["字" * 50_001]]))
    elif case == "locked":
        sheet.protections.append(Protection("1", "COLUMNS", 2, 2, "person"))
        answer = api.write((f"{sid}!A2:B2", [["R1", "李"]]))
    else:
        answer = api.write((f"{sid}!A201:A201", [["x"]]))
    assert answer.status_code == status and answer.json()["code"] == code
    assert api.emu.book(api.token).revision == 0  # nothing was written


def test_an_answer_past_10_mb_is_refused(api: Api) -> None:
    api.emu.max_answer_bytes = 200
    answer = api.read(f"{api.sheet_id('A')}!A1:C4")
    assert answer.json()["code"] == 90221


def test_an_app_not_added_to_the_document_may_not_open_it(api: Api) -> None:
    """v2 answers 403 (90213); v3 answers 400 with 1310213 (获取工作表 error table)."""
    api.emu.book(api.token).editors.clear()
    v2 = api.read(f"{api.sheet_id('A')}!A1:A1")
    v3 = api.v3("sheets/query")
    assert (v2.status_code, v2.json()["code"]) == (403, 90213)
    assert (v3.status_code, v3.json()["code"]) == (400, 1310213)


def test_a_reader_app_may_read_but_not_write(api: Api) -> None:
    book = api.emu.book(api.token)
    book.editors.clear()
    book.readers.add(api.emu.app_id)
    assert api.read(f"{api.sheet_id('A')}!A1:A1").json()["code"] == 0
    assert api.write((f"{api.sheet_id('A')}!A1:A1", [["x"]])).json()["code"] == 90213


def test_rate_limits_answer_429_with_the_reset_header(api: Api) -> None:
    """'HTTP/1.1 429 … x-ogw-ratelimit-reset: 52 … {"code": 99991400}'; sheets/query is limited
    to 100 a minute."""
    answers = [api.v3("sheets/query") for _ in range(101)]
    limited = answers[-1]
    assert limited.status_code == 429 and limited.json()["code"] == 99991400
    assert int(limited.headers["x-ogw-ratelimit-reset"]) >= 1
    assert limited.headers["x-ogw-ratelimit-limit"] == "100"


def test_the_monthly_quota_answers_99991403_and_failures_do_not_count(api: Api) -> None:
    api.emu.monthly_limit = 2
    assert api.v3("sheets/query").json()["code"] == 0
    assert api.read("zzzzzz!A1:A1").json()["code"] == 90215  # a failure is not counted
    assert api.v3("sheets/query").json()["code"] == 0
    over = api.v3("sheets/query")
    assert (over.status_code, over.json()["code"]) == (429, 99991403)


def test_structure_endpoints(api: Api) -> None:
    sid = api.sheet_id("A")
    added = api.v2("POST", "sheets_batch_update",
                   json={"requests": [{"addSheet": {"properties": {"title": "B", "index": 1}}}]})  # fmt: skip
    new_id = added.json()["data"]["replies"][0]["addSheet"]["properties"]["sheetId"]
    same = api.v2("POST", "sheets_batch_update",
                  json={"requests": [{"addSheet": {"properties": {"title": "B"}}}]})  # fmt: skip
    assert same.json()["code"] == 90210
    frozen = api.v2("POST", "sheets_batch_update", json={"requests": [
        {"updateSheet": {"properties": {"sheetId": new_id, "frozenRowCount": 1}}}]})  # fmt: skip
    assert frozen.json()["code"] == 0 and api.emu.sheet(api.token, "B").frozen_rows == 1
    grow = api.v2("POST", "dimension_range",
                  json={"dimension": {"sheetId": sid, "majorDimension": "ROWS", "length": 5000}})  # fmt: skip
    assert grow.json()["data"] == {"addCount": 5000, "majorDimension": "ROWS"}
    too_far = api.v2("POST", "dimension_range",
                     json={"dimension": {"sheetId": sid, "majorDimension": "ROWS", "length": 5001}})  # fmt: skip
    assert too_far.json()["code"] != 0
    drop = api.v2("POST", "dataValidation", json={"range": f"{sid}!C2:C100",
                  "dataValidationType": "list", "dataValidation": {"conditionValues": ["a,b"]}})  # fmt: skip
    assert drop.json()["code"] != 0  # an option may not hold a comma
    lock = api.v2("POST", "protected_dimension", json={"addProtectedDimension": [
        {"dimension": {"sheetId": sid, "majorDimension": "COLUMNS", "startIndex": 3,
                       "endIndex": 3}, "lockInfo": "aidsync"}]})  # fmt: skip
    assert lock.json()["data"]["addProtectedDimension"][0]["protectId"]
    assert api.write((f"{sid}!C2:C2", [[9]])).json()["code"] == 0  # the app's own protection


def test_a_sheet_holds_at_most_five_million_cells(api: Api) -> None:
    sid = api.sheet_id("A")
    api.emu.sheet(api.token, "A").row_count = 249_000  # 20 columns: 4,980,000 cells
    answer = api.v2("POST", "dimension_range",
                    json={"dimension": {"sheetId": sid, "majorDimension": "ROWS", "length": 1001}})  # fmt: skip
    assert answer.json()["code"] == 90219
