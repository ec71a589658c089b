"""The mobile pharmacy (sync/stock.py): lifecycle, refusals, matching, hand-outs, alerts (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.layout import build_snapshot
from sync.model import StockItem
from sync.resources import default_rules_dir
from sync.rules import LowStock, Rules, load_rules
from sync.schema import Locale, load_schema
from sync.stock import (
    Entry,
    StockPlan,
    donor_texts,
    format_entries,
    human_lock,
    merge_note,
    parse_entries,
    parse_items,
    plan_stock,
    refusal_reasons,
    stock_alerts,
)
from sync.summary import RequestOutcome
from sync.validate import read_requests, read_stock

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 12, 20, 15, 0, tzinfo=TZ)
SCHEMA = load_schema()
RULES: Rules = load_rules(default_rules_dir(), SCHEMA)
LOCALES: tuple[Locale, ...] = ("zh", "en")
_CHOICE_COLUMNS = {
    ("stock", "category"): "category",
    ("stock", "sealed"): "yes_no",
    ("stock", "disinfected"): "yes_no",
    ("stock", "status"): "stock_status",
    ("requests", "category"): "category",
    ("requests", "status"): "request_status",
    ("requests", "urgency"): "urgency",
}


def lot(
    lot_id: str, item: str = "布洛芬缓释胶囊", quantity: Any = 6, **fields: Any
) -> dict[str, Any]:
    """A stock row: sealed, disinfected, far from expiry, in 创意社区 unless told otherwise."""
    row = {"id": lot_id, "item": item, "category": "medicine", "quantity": quantity, "unit": "盒",
           "donor": "海兴花园 王先生", "community": "创意社区", "expiry": "2024-06-30",
           "sealed": "yes", "disinfected": "yes"}  # fmt: skip
    row.update(fields)
    return row


def req(
    req_id: str, items: str = "布洛芬", status: str = "assigned", **fields: Any
) -> dict[str, Any]:
    """A complete request row in 创意社区 (status given as an option key)."""
    row = {"id": req_id, "submitted_at": "2022-12-20 14:30", "name": "李素文",
           "phone": "13840001005", "community": "创意社区", "address": "海兴花园2号楼",
           "category": "medicine", "items": items, "urgency": "urgent",
           "status": status}  # fmt: skip
    row.update(fields)
    return row


@dataclass
class Book:
    """A workbook held as rows of column key → value; choices typed as option keys."""

    locale: Locale
    stock: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    log: list[tuple[str, str, str, str]] = field(default_factory=list)

    def cell(self, tab: str, key: str, value: Any) -> Any:
        name = _CHOICE_COLUMNS.get((tab, key))
        if name and isinstance(value, str) and value in SCHEMA.choice_list(name).option_keys():
            return SCHEMA.choice_list(name).label(value, self.locale)
        return value

    def grid(self, tab: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
        columns = SCHEMA.tab(tab).columns
        head = [c.label(self.locale) for c in columns]
        return [head] + [[self.cell(tab, c.key, r.get(c.key)) for c in columns] for r in rows]

    def read(self, now: datetime) -> tuple[list[StockItem], list[RequestOutcome], dict[int, str]]:
        grids = {
            SCHEMA.tab("stock").title(self.locale): self.grid("stock", self.stock),
            SCHEMA.tab("requests").title(self.locale): self.grid("requests", self.requests),
        }
        snap = build_snapshot("test", grids, SCHEMA, locale=self.locale)
        stock_table, request_table = snap.tables["stock"], snap.tables["requests"]
        stock = read_stock(stock_table, SCHEMA, RULES, self.locale, TZ, now)
        requests = read_requests(request_table, SCHEMA, RULES, self.locale, TZ, now)
        outcomes = [RequestOutcome(r, _outcome_status(r), "", None, None) for r in requests]
        return stock, outcomes, donor_texts(stock_table)

    def plan(
        self, now: datetime = NOW, order: Sequence[str] = (), rules: Rules = RULES
    ) -> StockPlan:
        stock, outcomes, donors = self.read(now)
        if order:
            outcomes.sort(key=lambda o: list(order).index(o.request.id or ""))
        return plan_stock(
            outcomes,
            {o.request.row.number: o.request.id or "" for o in outcomes},
            stock,
            {s.row.number: s.id or "" for s in stock},
            rules,
            self.locale,
            now,
            donors,
        )

    def apply(self, plan: StockPlan, lots: bool = True, requests: bool = True) -> int:
        """Write a plan's cells (optionally only one side, as a deferred row would); count them."""
        changes = 0

        def put(row: dict[str, Any], key: str, value: Any) -> None:
            nonlocal changes
            old = row.get(key) or ""
            row[key] = value
            changes += old != (value or "")

        if lots:
            for p in plan.lots:
                row = self.stock[p.row - 2]
                if p.status_label is not None:
                    put(row, "status", p.status_label)
                put(row, "reserved_for", p.reserved_for)
                put(row, "sync_note", "\n".join(p.note_lines))
        if requests:
            for q in plan.requests:
                row = self.requests[q.row - 2]
                put(row, "stock", q.stock)
                put(row, "sync_note", merge_note(row.get("sync_note") or "", q.note_lines))
        self.log.extend((x.ref, x.action, x.rule, x.detail) for x in plan.log)
        return changes

    def run(self, now: datetime = NOW, order: Sequence[str] = ()) -> StockPlan:
        plan = self.plan(now, order)
        self.apply(plan)
        return plan

    def lot(self, lot_id: str) -> dict[str, Any]:
        return next(r for r in self.stock if r["id"] == lot_id)

    def req(self, req_id: str) -> dict[str, Any]:
        return next(r for r in self.requests if r["id"] == req_id)

    def status(self, lot_id: str) -> str | None:
        value = self.lot(lot_id).get("status")
        return SCHEMA.choice_list("stock_status").parse(value) if value else None


def _outcome_status(request: Any) -> str | None:
    if request.status is None and request.status_text:
        return None  # unreadable: the planner leaves the row alone
    return str(request.status or "new")


def label(list_name: str, key: str, locale: Locale) -> str:
    return SCHEMA.choice_list(list_name).label(key, locale)


def assert_stable(book: Book, now: datetime = NOW, order: Sequence[str] = ()) -> None:
    """A pass over the book's own output plans no change and logs nothing."""
    plan = book.plan(now, order)
    assert plan.log == ()
    assert book.apply(plan) == 0


# ---------------------------------------------------------------------------------------------
# Cell formats and item parsing


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("", ()),
        ("R-0005×2", (Entry("R-0005", 2),)),
        ("R-0005×2, R-0009×1 ✓", (Entry("R-0005", 2), Entry("R-0009", 1, True))),
        (
            "R-0005 x 2；R-0009*1√、R-7",
            (Entry("R-0005", 2), Entry("R-0009", 1, True), Entry("R-7", 1)),
        ),
        ("Ｒ－０００５×２", (Entry("R-0005", 2),)),
        ("S-0001×1.5\nS-0002 ✔", (Entry("S-0001", 1.5), Entry("S-0002", 1, True))),
        ("Box1", (Entry("Box1", 1),)),
    ],
)
def test_entries_are_read(text: str, entries: tuple[Entry, ...]) -> None:
    assert parse_entries(text) == entries


def test_entries_round_trip() -> None:
    text = "R-0005×2, R-0009×1 ✓, R-0010×0.5"
    assert format_entries(parse_entries(text)) == text


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("布洛芬 2盒", [("布洛芬", 2)]),
        ("2 boxes of ibuprofen", [("ibuprofen", 2)]),
        ("ibuprofen, 2 boxes", [("ibuprofen", 2)]),
        ("N95口罩 5个、退烧药", [("N95口罩", 5), ("退烧药", 1)]),
        ("两盒布洛芬", [("布洛芬", 2)]),
        ("十二个口罩", [("口罩", 12)]),
        ("大米一袋", [("大米", 1)]),
        ("口罩x10", [("口罩", 10)]),
        ("3M口罩", [("3M口罩", 1)]),
        ("paracetamol and masks ×3", [("paracetamol", 1), ("masks", 3)]),
        ("退烧药 布洛芬", [("退烧药 布洛芬", 1)]),
        ("", []),
    ],
)
def test_items_name_what_and_how_many(text: str, wanted: list[tuple[str, float]]) -> None:
    assert [(w.name, w.quantity) for w in parse_items(text)] == wanted


def test_merge_note_replaces_only_stock_lines() -> None:
    note = "优先级 80：独居 +50\n【物资】S-0001 布洛芬 ×1盒：到创意社区领取"
    assert merge_note(note, ["[stock] S-0002 x"]) == "优先级 80：独居 +50\n[stock] S-0002 x"
    assert merge_note(note, []) == "优先级 80：独居 +50"


# ---------------------------------------------------------------------------------------------
# Refusals: every reason, in both languages


REFUSALS: list[tuple[dict[str, Any], str, str]] = [
    ({"expiry": "2022-10-01"}, "不发放：已过期 2022-10-01", "not offered: expired 2022-10-01"),
    (
        {"expiry": "2022-12-25"},
        "不发放：2022-12-25 到期（7 天内不发放）",
        "not offered: expires 2022-12-25 (not offered within 7 days)",
    ),
    ({"expiry": "明年春天"}, "不发放：有效期无法识别", "not offered: expiry not readable"),
    ({"sealed": "no"}, "不发放：已开封", "not offered: opened"),
    ({"sealed": None}, "不发放：未填是否开封", "not offered: not marked unopened"),
    ({"disinfected": "no"}, "不发放：未消杀", "not offered: not disinfected"),
    ({"disinfected": None}, "不发放：未消杀", "not offered: not disinfected"),
    ({"quantity": None}, "不发放：无有效数量", "not offered: no usable quantity"),
    ({"quantity": 0}, "不发放：无有效数量", "not offered: no usable quantity"),
    (
        {"expiry": "2022-10-01", "sealed": "no", "disinfected": "no"},
        "不发放：已过期 2022-10-01，已开封，未消杀",
        "not offered: expired 2022-10-01, opened, not disinfected",
    ),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("fields", "zh", "en"), REFUSALS)
def test_every_refusal_reason_is_named(
    locale: Locale, fields: dict[str, Any], zh: str, en: str
) -> None:
    book = Book(locale, [lot("S-0001", **fields)], [req("R-0001", "布洛芬")])
    plan = book.run()
    row = book.lot("S-0001")
    assert row["status"] == label("stock_status", "unusable", locale)
    assert (zh if locale == "zh" else en) in row["sync_note"].split("\n")
    assert row["reserved_for"] == ""
    assert book.req("R-0001")["stock"] == ""
    assert plan.lot(2) is not None and plan.lot(2).remaining == 0  # type: ignore[union-attr]
    assert_stable(book)


def test_expiry_margin_comes_from_the_rules() -> None:
    item = Book("zh", [lot("S-0001", expiry="2022-12-25")], []).read(NOW)[0][0]
    assert [r.code for r in refusal_reasons(item, RULES, NOW)] == ["near_expiry"]
    relaxed = Rules(communities=RULES.communities, expiry_margin_days=3)
    assert refusal_reasons(item, relaxed, NOW) == ()


# ---------------------------------------------------------------------------------------------
# The lifecycle, step by step, in both languages


@pytest.mark.parametrize("locale", LOCALES)
def test_lifecycle_received_disinfected_reserved_handed_out(locale: Locale) -> None:
    community = "创意社区" if locale == "zh" else "Chuangyi"
    book = Book(
        locale,
        [lot("S-0001", quantity=3, disinfected="no", community=community,
             donor="王先生 13904129001")],
        [req("R-0001", "布洛芬 2盒", status="new"), req("R-0002", "退烧药", status="assigned")],
    )  # fmt: skip
    s = book.lot("S-0001")
    r1, r2 = book.req("R-0001"), book.req("R-0002")

    # received: waiting for disinfection
    book.run()
    assert book.status("S-0001") == "unusable"
    assert s["sync_note"] == (
        "不发放：未消杀" if locale == "zh" else "not offered: not disinfected"
    )
    assert r1["stock"] == r2["stock"] == ""
    assert_stable(book)

    # disinfected: offered and reserved by priority (list order), quantities respected
    s["disinfected"] = "yes"
    plan = book.run()
    assert book.status("S-0001") == "reserved"
    assert s["reserved_for"] == "R-0001×2, R-0002×1"
    assert r1["stock"] == "S-0001×2" and r2["stock"] == "S-0001×1"
    if locale == "zh":
        assert s["sync_note"] == "剩余 0盒（预留 3，已发放 0）"
        pickup = "【物资】S-0001 布洛芬缓释胶囊 ×2盒：到创意社区领取（捐赠：王先生 139****9001）"
    else:
        assert s["sync_note"] == "0 盒 left (3 reserved, 0 handed out)"
        pickup = (
            "[stock] S-0001 布洛芬缓释胶囊 ×2 盒: pick up at 创意社区 (donor: 王先生 139****9001)"
        )
    assert r1["sync_note"] == pickup
    assert "13904129001" not in str(plan)
    assert_stable(book)

    # delivered: the reserved units become handed out
    r1["status"] = "delivered"
    book.run()
    assert s["reserved_for"] == "R-0001×2 ✓, R-0002×1"
    assert r1["stock"] == "S-0001×2 ✓"
    assert r1["sync_note"] == ""  # nothing left to pick up
    assert book.status("S-0001") == "reserved"
    assert_stable(book)

    # cancelled: the reservation is released, the lot is available again
    r2["status"] = "cancelled"
    book.run()
    assert s["reserved_for"] == "R-0001×2 ✓"
    assert r2["stock"] == "" and r2["sync_note"] == ""
    assert book.status("S-0001") == "available"
    assert_stable(book)

    # a new request takes the last unit; once delivered, nothing is left: handed out
    book.requests.append(req("R-0003", "ibuprofen", status="in_progress"))
    book.run()
    assert s["reserved_for"] == "R-0001×2 ✓, R-0003×1"
    book.req("R-0003")["status"] = "delivered"
    book.run()
    assert s["reserved_for"] == "R-0001×2 ✓, R-0003×1 ✓"
    assert book.status("S-0001") == "handed_out"
    assert s["sync_note"] == ("已全部发放（3盒）" if locale == "zh" else "all handed out (3 盒)")
    assert_stable(book)


LOG_ACTIONS = {"zh": ("预留物资", "释放预留", "发放物资"), "en": ("reserve stock", "release stock",
               "hand out stock")}  # fmt: skip


@pytest.mark.parametrize("locale", LOCALES)
def test_every_step_is_logged_once(locale: Locale) -> None:
    reserve, release, hand_out = LOG_ACTIONS[locale]
    book = Book(locale, [lot("S-0001", quantity=2)], [req("R-0001"), req("R-0002")])
    plan = book.run()
    assert [(x.ref, x.action, x.detail) for x in plan.log] == [
        ("S-0001", reserve, "R-0001 ×1"),
        ("S-0001", reserve, "R-0002 ×1"),
    ]
    assert plan.stats["stock_reserved"] == 2
    book.req("R-0001")["status"] = "delivered"
    book.req("R-0002")["status"] = "cancelled"
    plan = book.run()
    why = "需求已取消" if locale == "zh" else "request cancelled"
    sep = "，" if locale == "zh" else ", "
    actions = [(x.action, x.detail) for x in plan.log]
    assert (hand_out, "R-0001 ×1") in actions
    assert (release, f"R-0002 ×1{sep}{why}") in actions
    assert_stable(book)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("status", ["cancelled", "needs_info", "new"])
def test_leaving_the_open_states_releases(locale: Locale, status: str) -> None:
    book = Book(locale, [lot("S-0001", quantity=1)], [req("R-0001"), req("R-0002", status="new")])
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1"
    book.req("R-0001")["status"] = status
    # a request back to new is re-decided in priority order: here R-0002 comes first
    book.run(order=["R-0002", "R-0001"])
    holder = "R-0002"
    assert book.lot("S-0001")["reserved_for"] == f"{holder}×1"
    assert book.req("R-0001")["stock"] == ""
    assert_stable(book, order=["R-0002", "R-0001"])


@pytest.mark.parametrize("locale", LOCALES)
def test_a_lot_that_becomes_unusable_releases_and_the_request_moves(locale: Locale) -> None:
    book = Book(
        locale,
        [lot("S-0001", quantity=1, expiry="2024-01-31"), lot("S-0002", quantity=1)],
        [req("R-0001")],
    )
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1"  # earliest expiry first
    book.lot("S-0001")["sealed"] = "no"  # someone opened the box
    book.run()
    assert book.lot("S-0001")["reserved_for"] == ""
    assert book.status("S-0001") == "unusable"
    assert book.lot("S-0002")["reserved_for"] == "R-0001×1"
    assert book.req("R-0001")["stock"] == "S-0002×1"
    book.lot("S-0001")["sealed"] = "yes"  # a typo fixed: the worker's own "unusable" is undone
    book.run()
    assert book.status("S-0001") == "available"
    assert book.lot("S-0002")["reserved_for"] == "R-0001×1"  # held stock does not move back
    assert_stable(book)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_human_unusable_is_authoritative_and_releases(locale: Locale) -> None:
    book = Book(locale, [lot("S-0001", quantity=2)], [req("R-0001")])
    book.run()
    book.lot("S-0001")["status"] = label("stock_status", "unusable", locale)
    plan = book.run()
    assert book.lot("S-0001")["reserved_for"] == ""
    assert book.req("R-0001")["stock"] == ""
    assert book.status("S-0001") == "unusable"
    manual = (
        "已手动标为不可用，不再预留" if locale == "zh" else "marked unusable by hand; not reserved"
    )
    assert book.lot("S-0001")["sync_note"] == manual
    assert plan.stats["stock_released"] == 1
    assert_stable(book)
    book.lot("S-0001")["disinfected"] = "yes"  # nothing the worker sees makes it usable again
    assert_stable(book)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_human_handed_out_keeps_holds_and_takes_no_new(locale: Locale) -> None:
    book = Book(locale, [lot("S-0001", quantity=3)], [req("R-0001")])
    book.run()
    book.lot("S-0001")["status"] = label("stock_status", "handed_out", locale)
    book.requests.append(req("R-0002"))
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1"
    assert book.req("R-0002")["stock"] == ""
    assert book.status("S-0001") == "handed_out"
    assert_stable(book)


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unreadable_lot_status_is_left_alone(locale: Locale) -> None:
    book = Book(locale, [lot("S-0001", quantity=3, status="乱写")], [req("R-0001")])
    plan = book.run()
    assert book.lot("S-0001")["status"] == "乱写"
    assert book.req("R-0001")["stock"] == ""
    assert plan.lot(2).status_label is None  # type: ignore[union-attr]


def test_status_is_written_only_when_it_changes() -> None:
    book = Book("zh", [lot("S-0001", status="在库")], [])  # an alias of 可领用
    plan = book.plan()
    assert plan.lot(2).status_label is None  # type: ignore[union-attr]
    book = Book("zh", [lot("S-0001", status="reserved")], [])  # a person typed a wrong state
    assert book.plan().lot(2).status_label == "可领用"  # type: ignore[union-attr]
    assert [x.action for x in book.plan().log] == ["物资状态 已预留 → 可领用"]


def test_a_request_with_an_unreadable_status_keeps_what_it_holds() -> None:
    book = Book("zh", [lot("S-0001", quantity=2)], [req("R-0001", "布洛芬 2盒")])
    book.run()
    book.req("R-0001")["status"] = "乱写"
    book.req("R-0001")["items"] = "布洛芬 5盒"
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×2"
    assert_stable(book)


def test_a_request_no_longer_on_the_sheet_holds_nothing_but_hand_outs_stay() -> None:
    book = Book("zh", [lot("S-0001", quantity=3)], [req("R-0001"), req("R-0002")])
    book.run()
    book.req("R-0001")["status"] = "delivered"
    book.run()
    book.requests.clear()
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1 ✓"
    assert book.status("S-0001") == "available"


# ---------------------------------------------------------------------------------------------
# Matching


MATCHING: list[tuple[str, str, str, list[dict[str, Any]], str]] = [
    # (what the request says, its category, its community, the lots, the expected Stock matched)
    ("退烧药", "medicine", "创意社区", [lot("S-0001", "布洛芬缓释胶囊")], "S-0001×1"),
    ("退烧药", "medicine", "创意社区", [lot("S-0001", "对乙酰氨基酚片")], "S-0001×1"),
    ("fever medicine, 2 boxes", "medicine", "创意社区", [lot("S-0001", "布洛芬")], "S-0001×2"),
    ("masks", "protective", "创意社区", [lot("S-0001", "N95口罩", category="protective")],
     "S-0001×1"),
    ("ibuprofen", "medicine", "创意社区", [lot("S-0001", "布洛芬")], "S-0001×1"),
    ("口罩 3个", "protective", "创意社区",
     [lot("S-0001", "N95口罩", 40, category="protective", unit="个")], "S-0001×3"),
    ("口罩", "protective", "创意社区", [lot("S-0001", "布洛芬")], ""),
    ("布洛芬", "food", "创意社区", [lot("S-0001", "布洛芬")], ""),  # category must agree
    ("布洛芬", "medicine", "创意社区", [lot("S-0001", "布洛芬", category=None)], "S-0001×1"),
    # own community first, then neighbours (建设, 乐园), never others (兴华)
    ("布洛芬", "medicine", "创意社区",
     [lot("S-0001", "布洛芬", community="建设社区", expiry="2023-06-30"),
      lot("S-0002", "布洛芬", expiry="2024-06-30")], "S-0002×1"),
    ("布洛芬", "medicine", "创意社区", [lot("S-0001", "布洛芬", community="乐园社区")], "S-0001×1"),
    ("布洛芬", "medicine", "创意社区", [lot("S-0001", "布洛芬", community="兴华社区")], ""),
    ("布洛芬", "medicine", "兴华社区", [lot("S-0001", "布洛芬", community="建设社区")], "S-0001×1"),
    # earliest expiry first; blank expiry last
    ("布洛芬", "medicine", "创意社区",
     [lot("S-0001", "布洛芬", expiry=None), lot("S-0002", "布洛芬", expiry="2025-01-01"),
      lot("S-0003", "布洛芬", expiry="2023-03-31")], "S-0003×1"),
    # a quantity spread over lots, earliest expiry first
    ("布洛芬 5盒", "medicine", "创意社区",
     [lot("S-0001", "布洛芬", 2, expiry="2024-01-01"), lot("S-0002", "布洛芬", 9),
      lot("S-0003", "布洛芬", 1, expiry="2023-06-01")], "S-0001×2, S-0002×2, S-0003×1"),
    # more than there is: what there is
    ("布洛芬 5盒", "medicine", "创意社区", [lot("S-0001", "布洛芬", 2)], "S-0001×2"),
    ("白菜", "food", "创意社区", [lot("S-0001", "大米", category="food")], ""),
    ("大米一袋", "food", "创意社区", [lot("S-0001", "大米", category="food", unit="袋")],
     "S-0001×1"),
    ("", "medicine", "创意社区", [lot("S-0001", "布洛芬")], ""),
]  # fmt: skip


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("items", "category", "community", "lots", "expected"), MATCHING)
def test_matching(
    locale: Locale,
    items: str,
    category: str,
    community: str,
    lots: list[dict[str, Any]],
    expected: str,
) -> None:
    book = Book(locale, lots, [req("R-0001", items, category=category, community=community)])
    book.run()
    assert book.req("R-0001")["stock"] == expected
    assert_stable(book)


def test_short_stock_is_said_and_topped_up_when_stock_arrives() -> None:
    book = Book("zh", [lot("S-0001", "布洛芬", 1)], [req("R-0001", "布洛芬 3盒")])
    book.run()
    assert (
        book.req("R-0001")["sync_note"].split("\n")[-1]
        == "【物资】布洛芬 还差 2：附近暂无可领用库存"
    )
    book.stock.append(lot("S-0002", "布洛芬", 5))
    book.run()
    assert book.req("R-0001")["stock"] == "S-0001×1, S-0002×2"
    assert "还差" not in book.req("R-0001")["sync_note"]
    assert_stable(book)


def test_priority_order_decides_who_gets_scarce_stock() -> None:
    requests = [req("R-0001", status="new"), req("R-0002", status="new")]
    book = Book("zh", [lot("S-0001", quantity=1)], requests)
    book.run(order=["R-0002", "R-0001"])
    assert book.lot("S-0001")["reserved_for"] == "R-0002×1"


def test_held_stock_is_not_taken_by_a_later_higher_priority_request() -> None:
    book = Book("zh", [lot("S-0001", quantity=1)], [req("R-0001", status="assigned")])
    book.run()
    book.requests.append(req("R-0002", status="new"))
    book.run(order=["R-0002", "R-0001"])
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1"


def test_fewer_items_wanted_trims_the_hold() -> None:
    book = Book("zh", [lot("S-0001", quantity=5)], [req("R-0001", "布洛芬 3盒")])
    book.run()
    book.req("R-0001")["items"] = "布洛芬 1盒"
    plan = book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1"
    assert [x.detail for x in plan.log] == ["R-0001 ×2，需求不再需要"]


def test_a_quantity_lowered_by_hand_never_leaves_more_reserved_than_there_is() -> None:
    book = Book("zh", [lot("S-0001", quantity=5)], [req("R-0001", "布洛芬 3盒"), req("R-0002")])
    book.run()
    book.lot("S-0001")["quantity"] = 2
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×2"


# ---------------------------------------------------------------------------------------------
# Crashes and deferred rows converge (all state is in the cells)


@pytest.mark.parametrize("side", ["lots", "requests"])
def test_a_deferred_row_converges(side: str) -> None:
    book = Book("zh", [lot("S-0001", quantity=2)], [req("R-0001"), req("R-0002", status="new")])
    book.apply(book.plan(), lots=side != "lots", requests=side != "requests")
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×1, R-0002×1"
    assert book.req("R-0001")["stock"] == "S-0001×1"
    assert_stable(book)


def test_a_delivery_whose_lot_row_was_deferred_is_recorded_as_handed_out() -> None:
    book = Book("zh", [lot("S-0001", quantity=2)], [req("R-0001", "布洛芬 2盒")])
    book.apply(book.plan(), lots=False)  # the request says S-0001×2, the lot does not
    book.req("R-0001")["status"] = "delivered"
    book.run()
    assert book.lot("S-0001")["reserved_for"] == "R-0001×2 ✓"
    assert book.status("S-0001") == "handed_out"
    assert_stable(book)


# ---------------------------------------------------------------------------------------------
# Summary alerts


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "zh",
            [
                "药品库存偏低：可领用 3（低于 10）",
                "创意社区 防疫用品库存偏低：可领用 0（低于 5）",
                "S-0002 布洛芬 将于 2023-01-10 过期，剩余 1盒",
                "S-0003 N95口罩 待消杀（40个，创意社区）",
            ],
        ),
        (
            "en",
            [
                "low stock of medicine: 3 available (below 10)",
                "low stock of protective in 创意社区: 0 available (below 5)",
                "S-0002 布洛芬 expires on 2023-01-10, 1 盒 left",
                "S-0003 N95口罩 waiting for disinfection (40 个, 创意社区)",
            ],
        ),
    ],
)
def test_alerts(locale: Locale, expected: list[str]) -> None:
    rules = Rules(
        communities=RULES.communities,
        low_stock=(LowStock("medicine", 10), LowStock("protective", 5, "创意")),
        expiring_soon_days=30,
    )
    book = Book(
        locale,
        [
            lot("S-0001", "布洛芬", 2, expiry="2024-06-30"),
            lot("S-0002", "布洛芬", 2, expiry="2023-01-10"),
            lot("S-0003", "N95口罩", 40, category="protective", unit="个", disinfected="no"),
            lot("S-0004", "口罩", 10, category="protective", sealed="no"),
        ],
        [req("R-0001", "布洛芬 1盒")],
    )
    plan = book.plan(rules=rules)
    stock = book.read(NOW)[0]
    assert stock_alerts(stock, rules, locale, NOW, plan) == expected
    book.apply(plan)  # without a plan, the cells as read give the same figures
    assert stock_alerts(book.read(NOW)[0], rules, locale, NOW) == expected


def test_no_alerts_when_all_is_well() -> None:
    rules = Rules(communities=RULES.communities, low_stock=(LowStock("medicine", 1),))
    book = Book("zh", [lot("S-0001", quantity=2)], [])
    assert stock_alerts(book.read(NOW)[0], rules, "zh", NOW) == []


# ---------------------------------------------------------------------------------------------
# A property over random passes and human changes

# (item, category) pairs; mostly usable values, so that stock is contended, while every refusal,
# category mismatch and out-of-reach community still comes up
ITEMS = [("布洛芬缓释胶囊", "medicine"), ("对乙酰氨基酚片", "medicine"), ("布洛芬", "medicine"),
         ("N95口罩", "protective"), ("大米", "food")]  # fmt: skip
WANTS = [("退烧药", "medicine"), ("退烧药 2盒", "medicine"), ("布洛芬 2盒", "medicine"),
         ("ibuprofen, 2 boxes", "medicine"), ("对乙酰氨基酚", "medicine"),
         ("口罩 3个", "protective"), ("大米一袋", "food"), ("白菜", "food"),
         ("退烧药、口罩", None)]  # fmt: skip
COMMUNITIES = ["创意社区", "建设社区", "乐园社区", "兴华社区"]
REQUEST_STATUSES = ["new", "assigned", "in_progress", "escalated", "delivered", "cancelled",
                    "needs_info", "乱写"]  # fmt: skip
EXPIRIES = [*["2024-06-30"] * 8, None, "2022-10-01", "2022-12-24", "2023-01-15"]
YES_NO = [*["yes"] * 10, "no", None]
CATEGORY_NOISE = st.sampled_from([None, "medicine", "food"])

lots_strategy = st.lists(
    st.builds(
        lambda pair, noise, swap, **rest: {"item": pair[0],
                                           "category": noise if swap else pair[1], **rest},
        pair=st.sampled_from(ITEMS),
        noise=CATEGORY_NOISE,
        swap=st.sampled_from([False] * 5 + [True]),
        quantity=st.sampled_from([*[2, 1, 3, 5] * 3, 0, None]),
        community=st.sampled_from([*COMMUNITIES[:2] * 3, *COMMUNITIES[2:]]),
        expiry=st.sampled_from(EXPIRIES),
        sealed=st.sampled_from(YES_NO),
        disinfected=st.sampled_from(YES_NO),
    ),
    min_size=2,
    max_size=5,
)  # fmt: skip
requests_strategy = st.lists(
    st.builds(
        lambda pair, noise, swap, **rest: {"items": pair[0],
                                           "category": noise if swap else pair[1], **rest},
        pair=st.sampled_from(WANTS),
        noise=CATEGORY_NOISE,
        swap=st.sampled_from([False] * 5 + [True]),
        community=st.sampled_from([*COMMUNITIES[:2] * 3, *COMMUNITIES[2:]]),
        status=st.sampled_from([*REQUEST_STATUSES, "new", "assigned", "in_progress"]),
    ),
    min_size=2,
    max_size=6,
)  # fmt: skip
PASS_MODES = ["all", "all", "defer_lots", "defer_requests", "crash"]
# each step: a person changes something, then a pass runs (fully written, or with the lot or the
# request rows deferred by compare-and-set, or crashing before its write)
steps_strategy = st.lists(
    st.tuples(
        st.one_of(
            st.tuples(st.just("request"), st.sampled_from([0, 1, 0, 1, 2, 3, 4, 5]),
                      st.sampled_from([*REQUEST_STATUSES, *["delivered"] * 3, "cancelled", "new"])),
            st.tuples(st.just("lot_status"), st.integers(0, 4),
                      st.sampled_from(["unusable", "handed_out", "available", None])),
            st.tuples(st.just("lot_flag"), st.integers(0, 4),
                      st.sampled_from(["sealed", "disinfected"]),
                      st.sampled_from(["yes", "no", None])),
            st.tuples(st.just("days"), st.integers(1, 40)),
            st.tuples(st.just("priority"), st.randoms(use_true_random=False)),
            st.tuples(st.just("nothing")),
        ),
        st.sampled_from(PASS_MODES),
    ),
    min_size=1,
    max_size=10,
)  # fmt: skip


def check_invariants(book: Book, plan: StockPlan, now: datetime) -> None:
    stock, outcomes, _ = book.read(now)
    by_row = {s.row.number: s for s in stock}
    status_of = {o.request.id: o.status for o in outcomes}
    held: dict[tuple[str, str], Entry] = {}
    for p in plan.lots:
        item = by_row[p.row]
        entries = parse_entries(p.reserved_for)
        reserved = sum(e.quantity for e in entries if not e.handed_out)
        handed = sum(e.quantity for e in entries if e.handed_out)
        # reserved plus handed out never exceeds the lot's quantity
        assert reserved + handed <= max(0.0, item.quantity or 0.0) + 1e-9
        # no expired, opened or undisinfected lot (or one a person marked unusable) is reserved
        if refusal_reasons(item, RULES, now) or human_lock(item) == "unusable":
            assert reserved == 0, (p, item)
        for e in entries:
            held[(e.ref, p.id)] = e
            # a cancelled request holds no stock; only open ones hold reservations
            assert status_of.get(e.ref) != "cancelled"
            if not e.handed_out:
                assert status_of.get(e.ref) in ("new", "assigned", "in_progress", "escalated", None)
        if p.status_label is not None:
            assert item.status != p.status
    # the request's cell is the lots' ledgers seen from the other side
    for q in plan.requests:
        mine = {(q.id, e.ref): e for e in parse_entries(q.stock)}
        theirs = {k: v for k, v in held.items() if k[0] == q.id}
        assert {k: (v.quantity, v.handed_out) for k, v in mine.items()} == {
            k: (v.quantity, v.handed_out) for k, v in theirs.items()
        }
        if status_of.get(q.id) == "cancelled":
            assert q.stock == "" and q.note_lines == ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    locale=st.sampled_from(LOCALES),
    lots=lots_strategy,
    requests=requests_strategy,
    steps=steps_strategy,
)
def test_random_passes_and_human_changes_keep_the_invariants(
    locale: Locale,
    lots: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    steps: list[tuple[Any, ...]],
) -> None:
    book = Book(
        locale,
        [lot(f"S-{i + 1:04d}", **x) for i, x in enumerate(lots)],
        [req(f"R-{i + 1:04d}", **x) for i, x in enumerate(requests)],
    )
    now = NOW
    order = [r["id"] for r in book.requests]
    for change, mode in [(("nothing",), "all"), *steps, (("nothing",), "all")]:
        kind = change[0]
        if kind == "request" and change[1] < len(book.requests):
            book.requests[change[1]]["status"] = change[2]
        elif kind == "lot_status" and change[1] < len(book.stock):
            book.stock[change[1]]["status"] = change[2] and label("stock_status", change[2], locale)
        elif kind == "lot_flag" and change[1] < len(book.stock):
            book.stock[change[1]][change[2]] = change[3]
        elif kind == "days":
            now += timedelta(days=change[1])
        elif kind == "priority":
            change[1].shuffle(order)
        plan = book.plan(now, order)
        check_invariants(book, plan, now)
        book.apply(
            plan, lots=mode in ("all", "defer_requests"), requests=mode in ("all", "defer_lots")
        )
    # the pass over its own output (same moment, same order) plans nothing: it has converged
    assert_stable(book, now, order)
