"""Invariants over random workbooks (Hypothesis): capacity, eligibility, human cells, idempotence."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from builders import (
    NOW,
    RULES,
    SCHEMA,
    TZ,
    apply_in_memory,
    grid,
    save_workbook,
    settings_for,
    snapshot_of,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sync.backends.xlsx import XlsxBackend
from sync.planner import build_plan
from sync.values import on_duty, parse_hours
from sync.worker import run_pass

COMMUNITIES = ["创意社区", "建设社区", "乐园社区", "兴华社区", "火星社区", ""]
CATEGORIES = ["药品", "蔬菜食品", "生活物资", "防疫用品", "其他", "medicine", "玩具", ""]
HOUSEHOLDS = ["独居", "孤寡", "失独", "困难", "其他", "living alone", ""]
STATUSES = ["", "待派单", "已派单", "配送中", "已送达", "已取消", "待协调", "信息不全", "乱写"]
HOURS = ["全天", "08:00-20:00", "22:00-06:00", "8-12, 14:00-18:00", "", "随便", "14:00-15:30"]
NAMES = ["段珊珊", "邱瑾", "张伟", "张伟", "李娜", "赵强"]

weird_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['=IMPORTXML("http://x","//a")', "+1 555 0100", "-5", "@SUM(A1)", "=1+1",
                     "😀🙏", "\x00\x07\x1b", "  ", "全角　空格"]),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)  # fmt: skip
phones = st.one_of(
    st.sampled_from(
        ["13840001001", "138 4000 1002", "+86 13840001003", "１３８４０００１００４", ""]
    ),
    st.integers(min_value=13_000_000_000, max_value=13_999_999_999),
    weird_text,
)


def maybe(strategy: st.SearchStrategy[Any], values: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(values), strategy)


volunteer_rows = st.lists(
    st.fixed_dictionaries({
        "name": st.sampled_from([*NAMES, ""]),
        "phone": phones,
        "communities": maybe(weird_text, ["创意社区", "建设社区、乐园社区", "全部", "兴华"]),
        "team": st.sampled_from(["向日葵能量团", "党员先锋队", ""]),
        "categories": maybe(weird_text, ["", "药品", "蔬菜食品、生活物资"]),
        "hours": maybe(weird_text, HOURS),
        "max_open": maybe(weird_text, [None, 0, 1, 2, 3]),
        "active": maybe(weird_text, ["是", "否", "", "yes"]),
    }),
    max_size=6,
)  # fmt: skip
request_rows = st.lists(
    st.fixed_dictionaries({
        "submitted_at": maybe(weird_text, ["2022-12-20 14:30", "12月20日 13:00", "", None]),
        "name": maybe(weird_text, ["甲", "乙", ""]),
        "phone": phones,
        "community": maybe(weird_text, COMMUNITIES),
        "address": maybe(weird_text, ["海兴花园", ""]),
        "household": maybe(weird_text, HOUSEHOLDS),
        "category": maybe(weird_text, CATEGORIES),
        "items": maybe(weird_text, ["退烧药", ""]),
        "urgency": maybe(weird_text, ["紧急", "一般", ""]),
        "notes": weird_text,
        "volunteer": maybe(weird_text, ["", "", "", "段珊珊", "张伟", "不认识"]),
        "status": maybe(weird_text, STATUSES),
    }),
    max_size=10,
)  # fmt: skip


def tabs_of(requests: list[dict[str, Any]], volunteers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"需求登记": grid("requests", requests), "志愿者": grid("volunteers", volunteers)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request_rows, volunteer_rows)
def test_worker_assignments_respect_eligibility_and_capacity(
    requests: list[dict[str, Any]], volunteers: list[dict[str, Any]]
) -> None:
    tabs = tabs_of(requests, volunteers)
    plan = build_plan(snapshot_of(tabs), RULES, NOW, TZ, SCHEMA)
    after = apply_in_memory(tabs, plan)
    vol_table = snapshot_of(after).tables["volunteers"]
    by_display: dict[str, Any] = {}
    for row in vol_table.rows:
        name, vid = vol_table.get(row, "name"), vol_table.get(row, "id")
        if name:
            by_display[str(name)] = row
            by_display[f"{name} ({vid})"] = row
    for change in plan.changes:
        if change.tab != "requests" or change.column != "volunteer":
            continue
        row = by_display[str(change.new)]
        get = lambda key: vol_table.get(row, key)  # noqa: B023, E731
        assert get("active") != "否"
        hours = parse_hours(get("hours"))
        assert hours is not None and (hours == () or on_duty(hours, NOW))
        capacity = get("max_open") if isinstance(get("max_open"), int) else RULES.default_max_open
        assigned = sum(
            1 for c in plan.changes
            if c.column == "volunteer" and by_display.get(str(c.new)) is row
        )  # fmt: skip
        assert assigned <= capacity
        assert get("open") <= max(capacity, get("open") - assigned)
        takes = str(get("categories") or "")
        request_row = snapshot_of(tabs).tables["requests"].rows[change.anchor.row - 2]
        category = SCHEMA.choice_list("category").parse(
            snapshot_of(tabs).tables["requests"].get(request_row, "category")
        )
        if takes and takes not in ("全部",):
            labels = SCHEMA.choice_list("category")
            allowed = {labels.parse(p) for p in takes.replace("、", ",").split(",")}
            assert category in allowed
    assert build_plan(snapshot_of(after), RULES, NOW, TZ, SCHEMA).is_empty()


xlsx_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=40
).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
xlsx_cell = st.one_of(
    xlsx_text,
    st.sampled_from(['=IMPORTXML("http://x","//a")', "+1 555 0100", "@x", "-1", "😀", "x" * 50_000]),
    st.integers(min_value=-10**9, max_value=10**9),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.booleans(),
    st.none(),
)  # fmt: skip


def _snapshot_cells(path: Path) -> dict[tuple[str, str], tuple[Any, str]]:
    workbook = openpyxl.load_workbook(path)
    return {
        (ws.title, cell.coordinate): (cell.value, cell.data_type)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(xlsx_cell, min_size=12, max_size=12), max_size=6),
    st.lists(st.lists(xlsx_cell, min_size=9, max_size=9), max_size=4),
)
def test_random_cells_never_crash_never_become_formulas_and_human_cells_survive(
    request_cells: list[list[Any]], volunteer_cells: list[list[Any]]
) -> None:
    human_requests = SCHEMA.tab("requests").owned_by("human")
    human_volunteers = SCHEMA.tab("volunteers").owned_by("human")
    request_keys = [k for k in SCHEMA.tab("requests").keys() if k != "id"][:12]  # noqa: SIM118
    requests = [dict(zip(request_keys, row,
                         strict=True)) for row in request_cells]  # fmt: skip
    volunteers = [dict(zip(human_volunteers, row, strict=True)) for row in volunteer_cells]
    with tempfile.TemporaryDirectory() as folder:
        path = save_workbook(Path(folder) / "w.xlsx", tabs_of(requests, volunteers))
        workbook = openpyxl.load_workbook(path)
        for ws in workbook.worksheets:  # what people typed is text, never a formula
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        workbook.save(path)
        before = _snapshot_cells(path)
        headers = {ws.title: [c.value for c in ws[1]] for ws in workbook.worksheets}
        run_pass(XlsxBackend(path), settings_for(path), NOW)
        after = _snapshot_cells(path)
        for (title, coordinate), (value, data_type) in after.items():
            assert data_type != "f", (title, coordinate, value)
        human = {"需求登记": human_requests, "志愿者": human_volunteers}
        for (title, coordinate), old in before.items():
            column = openpyxl.utils.cell.column_index_from_string(coordinate.rstrip(string.digits))
            key_names = human.get(title, ())
            header = headers[title][column - 1] if column <= len(headers[title]) else None
            keys = {c.key for c in SCHEMA.tab("requests" if title == "需求登记" else "volunteers").columns
                    if c.label("zh") == header}  # fmt: skip
            if keys & set(key_names):
                assert after.get((title, coordinate), (None, "n")) == old, (title, coordinate)
        second = run_pass(XlsxBackend(path), settings_for(path), NOW)
        assert second.plan.is_empty()


pool_volunteers = st.lists(
    st.fixed_dictionaries({
        "name": st.sampled_from(NAMES),
        "communities": st.sampled_from(["创意社区", "建设社区", "乐园社区", "全部", "建设社区、兴华社区"]),
        "team": st.sampled_from(["向日葵能量团", "党员先锋队"]),
        "role": st.sampled_from(["居民", "商户", "党员", ""]),
        "categories": st.sampled_from(["", "药品", "蔬菜食品、生活物资", "生活物资"]),
        "hours": st.sampled_from(["全天", "全天", "22:00-06:00", ""]),
        "max_open": st.sampled_from([None, 0, 1, 2]),
        "active": st.sampled_from(["是", "是", "否"]),
    }),
    min_size=1,
    max_size=12,
)  # fmt: skip
pool_requests = st.lists(
    st.fixed_dictionaries({
        "submitted_at": st.sampled_from(["2022-12-20 09:00", "2022-12-20 14:30", "2022-12-20 14:58"]),
        "community": st.sampled_from(["创意社区", "建设社区", "乐园社区", "兴华社区"]),
        "category": st.sampled_from(["药品", "蔬菜食品", "生活物资"]),
        "urgency": st.sampled_from(["紧急", "一般"]),
        "household": st.sampled_from(["独居", "其他"]),
        "volunteer": st.sampled_from([None, None, None, "张伟", "李娜"]),
    }),
    min_size=1,
    max_size=30,
)  # fmt: skip
rankings = st.permutations(["same_community", "fewer_open", "least_recently_assigned", "role"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_requests, pool_volunteers, rankings, st.booleans())
def test_queued_assignment_picks_whom_a_full_scan_picks(
    requests: list[dict[str, Any]],
    volunteers: list[dict[str, Any]],
    ranking: list[str],
    neighbours_later: bool,
) -> None:
    """Each pick comes from a per-category queue kept over the pass; it must be the volunteer
    (and the 'nobody' reason) that ranking every candidate afresh gives, request after request."""
    from dataclasses import replace
    from unittest import mock

    from builders import request, volunteer

    from sync.assign import Pool

    rules = replace(
        RULES,
        ranking=tuple(ranking),
        role_order=("party_member", "resident", "merchant"),
        neighbours_after_minutes=20.0 if neighbours_later else 0.0,
    )
    tabs = tabs_of(
        [request(f"居民{i}", **fields) for i, fields in enumerate(requests)],
        [volunteer(**fields) for fields in volunteers],
    )

    def full_scan(pool: Pool, group: Any, category: Any, fields: Any) -> Any:
        """Rank every candidate with room afresh and take the first the pair rules allow."""
        eligible = [
            (pool._rank(entry, relation), relation, entry)
            for relation, entry in group.live
            if entry.load.open < entry.capacity
            and (entry.volunteer.categories is None or category in entry.volunteer.categories)
        ]
        for candidate in sorted(eligible, key=lambda item: item[0]):
            if not pool._pair_rule_failing(candidate[2], candidate[1], fields):
                return candidate
        return None

    queued = build_plan(snapshot_of(tabs), rules, NOW, TZ, SCHEMA)
    with mock.patch.object(Pool, "_first_fit", full_scan):
        scanned = build_plan(snapshot_of(tabs), rules, NOW, TZ, SCHEMA)
    assert queued.changes == scanned.changes
    assert queued.log == scanned.log


sheet_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["None", "nan", "NaN", "inf", "-0", "0.0", " 3", "3", "3.0", "True", "1e3", " ",
                     0, -0.0, 0.0, 3, 3.0, True]),
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(sheet_values, st.data())
def test_cells_the_write_guard_takes_for_the_same_share_their_lookup_key(
    a: Any, data: st.DataObject
) -> None:
    """The guard finds where a moved row came from through an index on cell_key, then compares
    exactly; a row it takes for the same must never be missing from the index's answer."""
    from sync.backends.guard import _same, cell_key

    b = data.draw(st.one_of(sheet_values, st.sampled_from([str(a), repr(a), a])))
    if _same(a, b):
        assert cell_key(a) == cell_key(b), (a, b)
