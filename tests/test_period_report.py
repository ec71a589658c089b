"""`aidsync report --from --to [--out]`: every table checked against counts made here from the rows.

The workbook is built from a known history (who asked, when each request was registered, first
assigned, delivered; which rows were archived, blanked under retention, or opened by a schedule),
so the test knows each figure without asking aidsync: it counts the history itself.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import struct
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import TZ, grid, headers, save_workbook
from test_cli import aidsync, digest

START, END = date(2022, 12, 12), date(2022, 12, 22)
QUIET = {date(2022, 12, 15), date(2022, 12, 16)}  # nothing at all happens on these days
ELDERLY = {"独居", "孤寡", "失独"}
COMMUNITIES = ["创意社区", "建设社区", "乐园社区", "兴华社区"]
TEAMS = {"段珊珊": "向日葵能量团", "王磊": "建设社区邻里队", "张伟": "乐园志愿队",
         "陈静": "建设社区邻里队"}  # fmt: skip
OUTSIDER = "外援小李"  # typed into a request, not on the Volunteers tab: no team
RESIDENTS = [  # name, phone, community, household
    ("王秀英", "13840001001", "创意社区", "独居"), ("李建国", "13840001002", "建设社区", "孤寡"),
    ("张桂兰", "13840001003", "乐园社区", "失独"), ("刘伟", "13840001004", "兴华社区", "困难"),
    ("陈芳", "13840001005", "创意社区", "其他"), ("杨秀珍", "13840001006", "建设社区", None),
    ("赵德明", "13840001007", "乐园社区", "独居"), ("黄丽", "13840001008", "兴华社区", "其他"),
    ("周淑华", "13840001009", "创意社区", "孤寡"), ("吴强", "13840001010", "建设社区", "困难"),
    ("徐凤英", "13840001011", "乐园社区", "独居"), ("孙磊", "13840001012", "兴华社区", None),
]  # fmt: skip
REPEATER = 0  # 王秀英 gets vegetables every Monday: an origin row and its occurrences
LOTS = [  # id, item, category, quantity, first seen by the worker (None: no Log line)
    ("S-0001", "布洛芬", "药品", 10, datetime(2022, 12, 10, 9, 0, tzinfo=TZ)),
    ("S-0002", "对乙酰氨基酚", "药品", 16, datetime(2022, 12, 12, 10, 5, tzinfo=TZ)),
    ("S-0003", "N95口罩", "防疫用品", 100, datetime(2022, 12, 14, 16, 30, tzinfo=TZ)),
    ("S-0004", "白菜", "蔬菜食品", 7.5, datetime(2022, 12, 20, 8, 0, tzinfo=TZ)),
    ("S-0005", "抗原试剂", "防疫用品", 40, datetime(2022, 12, 23, 9, 0, tzinfo=TZ)),
    ("S-0006", "退烧贴", "药品", 5, None),
]  # fmt: skip


@dataclass
class Req:
    """One request of the history, as it happened."""

    id: str
    resident: int
    submitted: datetime
    assigned: datetime | None = None  # first assignment
    reassigned: datetime | None = None  # a later assignment: the row shows this one
    delivered: datetime | None = None
    cancelled: bool = False
    volunteer: str = ""
    archived: bool = False
    blanked: bool = False
    repeat: str = ""
    handouts: list[tuple[str, float]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.delivered:
            return "已送达"
        if self.cancelled:
            return "已取消"
        return "已派单" if self.assigned else "待派单"

    @property
    def closed(self) -> bool:
        return self.delivered is not None or self.cancelled


def at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(minutes=minute)


def history(seed: int = 16) -> list[Req]:
    """About sixty requests from 6 to 26 December, none of whose events fall on a quiet day."""
    rng = random.Random(seed)
    days = [date(2022, 12, 6) + timedelta(days=n) for n in range(21)]
    found: list[Req] = []
    while len(found) < 60:
        submitted = at(rng.choice(days), rng.randint(8 * 60, 20 * 60))
        req = Req("", rng.randrange(1, len(RESIDENTS)), submitted)
        fate = rng.random()
        if fate < 0.8:
            req.volunteer = rng.choice([*TEAMS, OUTSIDER])
            req.assigned = submitted + timedelta(minutes=rng.randint(1, 400))
            if rng.random() < 0.25:
                req.reassigned = req.assigned + timedelta(minutes=rng.randint(5, 90))
            last = req.reassigned or req.assigned
            if fate < 0.6:
                req.delivered = last + timedelta(minutes=rng.randint(10, 900))
            elif fate < 0.68:
                req.cancelled = True
        elif fate < 0.88:
            req.cancelled = True
        moments = [req.submitted, req.assigned, req.reassigned, req.delivered]
        if any(m and m.date() in QUIET for m in moments):
            continue
        found.append(req)
    origin = Req("", REPEATER, at(date(2022, 12, 5), 9 * 60), repeat="每周一")
    origin.volunteer, origin.assigned = "段珊珊", origin.submitted + timedelta(minutes=30)
    origin.delivered = origin.assigned + timedelta(minutes=120)
    found.append(origin)
    found.sort(key=lambda r: r.submitted)
    for n, req in enumerate(found, start=1):
        req.id = f"R-{n:04d}"
    for monday in (date(2022, 12, 12), date(2022, 12, 19), date(2022, 12, 26)):
        member = Req(f"{origin.id}/{monday}", REPEATER, at(monday, 9 * 60))
        if monday < date(2022, 12, 26):
            member.volunteer, member.assigned = "段珊珊", member.submitted + timedelta(minutes=42)
            member.delivered = member.assigned + timedelta(minutes=75 + monday.day)
        found.append(member)
    cutoff = at(date(2022, 12, 14), 0)
    for req in found:
        req.archived = req.closed and (req.delivered or req.submitted) < cutoff
    # retention blanks old closed rows: all of a resident's rows when every one is old and
    # closed, otherwise only the later ones (the first, still holding the phone, links them)
    for resident in range(len(RESIDENTS)):
        mine = sorted((r for r in found if r.resident == resident), key=lambda r: r.submitted)
        old = [r for r in mine if r.closed and r.submitted < cutoff]
        if old and len(old) == len(mine):
            for req in old:
                req.blanked = True
        else:
            for req in old[1:]:
                req.blanked = rng.random() < 0.7
    units = {lot[0]: float(lot[3]) for lot in LOTS[:5]}
    for req in found:
        if req.delivered and rng.random() < 0.3:
            lot = rng.choice([k for k, v in units.items() if v >= 1] or ["S-0003"])
            n = float(rng.randint(1, 3))
            units[lot] -= n
            req.handouts.append((lot, n))
    return found


def first_request_ids(reqs: list[Req]) -> dict[int, str]:
    """Each resident's first request: the code retention writes into the note."""
    first: dict[int, str] = {}
    for req in sorted(reqs, key=lambda r: r.submitted):
        first.setdefault(req.resident, req.id)
    return first


def text(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else None


def request_row(req: Req, codes: dict[int, str]) -> dict[str, Any]:
    name, phone, community, household = RESIDENTS[req.resident]
    row: dict[str, Any] = {
        "id": req.id, "submitted_at": text(req.submitted), "name": name, "phone": phone,
        "community": community, "address": f"海兴花园{req.resident + 1}号楼",
        "household": household, "category": "蔬菜食品", "items": "白菜", "urgency": "一般",
        "notes": "请敲门", "volunteer": req.volunteer or None, "status": req.status,
        "assigned_at": text(req.reassigned or req.assigned), "delivered_at": text(req.delivered),
        "repeat": req.repeat or None,
    }  # fmt: skip
    if req.blanked:
        row.update(name=None, phone=None, address=None, notes=None)
        row["sync_note"] = f"个人信息已按规定清除（办结超过 90 天；居民代号 {codes[req.resident]}）"
    elif "/" in req.id:
        row["sync_note"] = f"由 {req.id.split('/')[0]} 定期生成"
    return row


def log_rows(reqs: list[Req]) -> list[list[Any]]:
    rows: list[tuple[datetime, str, str, str, str]] = []
    for req in reqs:
        rows.append((req.submitted, req.id, "编号", "", "需求登记 #1"))
        if req.assigned:
            claim = req.volunteer == OUTSIDER  # a person typed the name: the Log says 认领
            rows.append((req.assigned, req.id, "认领" if claim else "派单", "",
                         f"{req.volunteer}：同社区"))  # fmt: skip
        if req.reassigned:
            rows.append((req.reassigned, req.id, "派单", "", f"{req.volunteer}：同社区"))
        for lot, n in req.handouts:
            assert req.delivered
            rows.append((req.delivered, lot, "发放物资", "", f"{req.id} ×{n:g}"))
            rows.append((req.delivered, lot, "预留物资", "", f"{req.id} ×{n:g}"))  # not a hand-out
    for lot, _item, _cat, _qty, seen in LOTS:
        if seen:
            rows.append((seen, lot, "编号", "", "共享物资 #2"))
    rows.sort(key=lambda r: r[0])
    return [headers("log")] + [[text(t), ref, action, rule, detail]
                               for t, ref, action, rule, detail in rows]  # fmt: skip


def workbook(path: Path, reqs: list[Req]) -> Path:
    codes = first_request_ids(reqs)
    live = [request_row(r, codes) for r in reqs if not r.archived]
    archived = [request_row(r, codes) for r in reqs if r.archived]
    volunteers = [{"name": name, "phone": "13904121001", "communities": "全部", "team": team,
                   "hours": "全天", "max_open": 5, "active": "是"}
                  for name, team in TEAMS.items()]  # fmt: skip
    stock = [{"id": lot, "item": item, "category": cat, "quantity": qty, "unit": "份",
              "community": "创意社区", "sealed": "是", "disinfected": "是"}
             for lot, item, cat, qty, _seen in LOTS]  # fmt: skip
    tabs = {
        "需求登记": grid("requests", live),
        "志愿者": grid("volunteers", volunteers),
        "共享物资": grid("stock", stock),
        "归档": grid("archive", archived),
        "同步日志": log_rows(reqs),
    }
    return save_workbook(path, tabs)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Req]]:
    reqs = history()
    path = workbook(tmp_path_factory.mktemp("period") / "互助登记.xlsx", reqs)
    return path, reqs


# -- the counts this test makes itself -------------------------------------------------------


def within(moment: datetime | None) -> bool:
    return moment is not None and START <= moment.date() <= END


def minutes(a: datetime | None, b: datetime | None) -> float | None:
    return (b - a).total_seconds() / 60 if a and b and b >= a else None


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return round(values[0], 1) if values else None
    return round(statistics.quantiles(values, n=10, method="inclusive")[8], 1)


def figures(reqs: Iterable[Req]) -> dict[str, Any]:
    group = list(reqs)
    delivered = [r for r in group if within(r.delivered)]
    assigned = [r for r in group if within(r.assigned)]
    to_assign = [m for r in assigned if (m := minutes(r.submitted, r.assigned)) is not None]
    to_deliver = [m for r in delivered if (m := minutes(r.assigned, r.delivered)) is not None]
    involved = {r.volunteer for r in assigned + delivered if r.volunteer}
    return {
        "new": sum(1 for r in group if within(r.submitted)),
        "assigned": len(assigned),
        "delivered": len(delivered),
        "residents": len({r.resident for r in delivered}),
        "elderly": len({r.resident for r in delivered if RESIDENTS[r.resident][3] in ELDERLY}),
        "volunteers": len(involved),
        "assign_median": median(to_assign),
        "assign_p90": p90(to_assign),
        "deliver_median": median(to_deliver),
        "deliver_p90": p90(to_deliver),
    }


# -- reading what the command wrote -----------------------------------------------------------


def run_report(book: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return aidsync("report", "--workbook", str(book), "--from", str(START), "--to", str(END),
                   "--now", "2022-12-27T12:00:00+08:00", *extra, cwd=book.parent)  # fmt: skip


def tab(book: openpyxl.Workbook, title: str) -> dict[str, dict[str, Any]]:
    """A tab's rows keyed by their first cell, each a header → value mapping."""
    rows = list(book[title].iter_rows(values_only=True))
    return {str(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


@pytest.fixture(scope="module")
def xlsx(world: tuple[Path, list[Req]]) -> openpyxl.Workbook:
    book, _reqs = world
    before = digest(book)
    done = run_report(book, "--out", "周报.xlsx")
    assert done.returncode == 0, done.stderr
    assert digest(book) == before  # the report never writes to the workbook
    return openpyxl.load_workbook(book.parent / "周报.xlsx")


GROUPED = {"新登记": "new", "已派单": "assigned", "已送达": "delivered", "服务居民": "residents",
           "服务老人": "elderly", "参与志愿者": "volunteers",
           "派单中位数（分钟）": "assign_median", "派单90分位（分钟）": "assign_p90",
           "送达中位数（分钟）": "deliver_median", "送达90分位（分钟）": "deliver_p90"}  # fmt: skip


def check_rows(rows: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]) -> None:
    for label, want in expected.items():
        assert label in rows, (label, list(rows))
        for header, value in rows[label].items():
            if header in GROUPED:
                assert value == want[GROUPED[header]], (label, header, value, want)


def test_the_days_count_each_event_on_its_own_day_empty_days_included(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    _book, reqs = world
    rows = list(xlsx["每日"].iter_rows(values_only=True))
    assert rows[0] == ("日期", "新登记", "已派单", "已送达", "服务居民", "服务老人")
    days = [START + timedelta(days=n) for n in range((END - START).days + 1)]
    assert [r[0].date() for r in rows[1:]] == days
    for day, row in zip(days, rows[1:], strict=True):
        on = [r for r in reqs if r.delivered and r.delivered.date() == day]
        assert row[1:] == (
            sum(1 for r in reqs if r.submitted.date() == day),
            sum(1 for r in reqs if r.assigned and r.assigned.date() == day),
            len(on),
            len({r.resident for r in on}),
            len({r.resident for r in on if RESIDENTS[r.resident][3] in ELDERLY}),
        ), day
    quiet = [r for r in rows[1:] if r[0].date() in QUIET]
    assert quiet and all(r[1:] == (0, 0, 0, 0, 0) for r in quiet)
    assert sum(r[3] for r in rows[1:]) > 10  # the history does deliver in the period


def test_overview_counts_each_resident_once_across_archive_and_blanked_rows(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    _book, reqs = world
    served = [r for r in reqs if within(r.delivered)]
    assert any(r.archived for r in served) and any(r.blanked for r in served)
    assert any("/" in r.id for r in served)  # recurring occurrences count like any request
    want = figures(reqs)
    overview = {k: v["数值"] for k, v in tab(xlsx, "总览").items()}
    assert overview["新登记需求"] == want["new"]
    assert overview["派单"] == want["assigned"]
    assert overview["完成派单（已送达）"] == want["delivered"]
    assert overview["服务居民（每人只计一次）"] == want["residents"]
    assert overview["其中老人（独居、孤寡、失独）"] == want["elderly"]
    assert overview["参与志愿者"] == want["volunteers"]
    for key, label in (("assign_median", "派单用时中位数（分钟）"),
                       ("assign_p90", "派单用时90分位（分钟）"),
                       ("deliver_median", "送达用时中位数（分钟）"),
                       ("deliver_p90", "送达用时90分位（分钟）")):  # fmt: skip
        assert overview[label] == want[key], label
    # fewer residents than deliveries: the same people came back, blanked or not
    assert want["residents"] < want["delivered"]


def test_first_assignment_comes_from_the_log_when_the_row_was_reassigned(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    _book, reqs = world
    moved = [r for r in reqs if r.reassigned and within(r.assigned)]
    assert moved  # the row shows the later time; the report counts the first
    overview = {k: v["数值"] for k, v in tab(xlsx, "总览").items()}
    assert overview["派单用时中位数（分钟）"] == figures(reqs)["assign_median"]


def test_per_community_team_volunteer_and_household(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    _book, reqs = world

    def community(r: Req) -> str:
        return RESIDENTS[r.resident][2]

    expected = {c: figures(r for r in reqs if community(r) == c) for c in COMMUNITIES}
    check_rows(tab(xlsx, "按社区"), {**expected, "合计": figures(reqs)})

    def team(r: Req) -> str:
        return TEAMS.get(r.volunteer, "")

    teams = {TEAMS[v] for r in reqs if (v := r.volunteer) in TEAMS}
    by_team = {t: figures(r for r in reqs if team(r) == t) for t in teams}
    by_team["（未填团队）"] = figures(r for r in reqs if r.volunteer == OUTSIDER)
    check_rows(tab(xlsx, "按团队"), {**by_team, "合计": figures(r for r in reqs if r.volunteer)})

    names = {
        r.volunteer for r in reqs if r.volunteer and (within(r.assigned) or within(r.delivered))
    }
    volunteers = tab(xlsx, "按志愿者")
    assert set(volunteers) == names | {"合计"}
    check_rows(volunteers, {v: figures(r for r in reqs if r.volunteer == v) for v in names})
    assert all((volunteers[v]["团队"] or "") == TEAMS.get(v, "") for v in names)

    households = tab(xlsx, "按家庭情况")
    for label in ("独居", "孤寡", "失独", "困难", "其他", "（未填）"):
        key = None if label == "（未填）" else label
        check_rows(households, {label: figures(r for r in reqs if RESIDENTS[r.resident][3] == key)})


def test_stock_received_and_handed_out_in_the_period(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    _book, reqs = world
    stock = tab(xlsx, "物资")
    categories = {lot[2] for lot in LOTS}
    category = {lot[0]: lot[2] for lot in LOTS}
    for name in [*categories, "合计"]:
        lots = [x for x in LOTS if (name == "合计" or x[2] == name) and x[4] and within(x[4])]
        handed = [(r, lot, n) for r in reqs for lot, n in r.handouts
                  if within(r.delivered) and (name == "合计" or category[lot] == name)]  # fmt: skip
        row = stock[name]
        assert row["入库批次"] == len(lots), name
        assert row["入库数量"] == sum(x[3] for x in lots), name
        assert row["发放数量"] == sum(n for _r, _lot, n in handed), name
        assert row["受助居民"] == len({r.resident for r, _lot, _n in handed}), name
    assert stock["合计"]["发放数量"] > 0


def test_the_csv_is_the_per_day_table_that_excel_reads_as_chinese(
    world: tuple[Path, list[Req]], xlsx: openpyxl.Workbook
) -> None:
    book, _reqs = world
    done = run_report(book, "--out", "days.csv")
    assert done.returncode == 0, done.stderr
    raw = (book.parent / "days.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = list(xlsx["每日"].iter_rows(values_only=True))
    assert rows[0] == list(sheet[0])
    assert [[r[0], *map(int, r[1:])] for r in rows[1:]] == [
        [d.date().isoformat(), *rest] for d, *rest in sheet[1:]
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_png_chart_draws_its_chinese_labels_with_a_shipped_font(
    world: tuple[Path, list[Req]],
) -> None:
    book, _reqs = world
    # a label drawn without a Chinese font makes matplotlib warn "Glyph … missing": make it fail
    done = aidsync("report", "--workbook", str(book), "--from", str(START), "--to", str(END),
                   "--out", "chart.png", cwd=book.parent,
                   env={"PYTHONWARNINGS": "error::UserWarning", "MPLCONFIGDIR": str(book.parent / "mpl")})  # fmt: skip
    assert done.returncode == 0, done.stderr
    width, height = png_size((book.parent / "chart.png").read_bytes())
    assert width >= 800 and height >= 400


def test_the_xlsx_has_one_readable_tab_per_table_and_a_chart_of_the_days(
    xlsx: openpyxl.Workbook,
) -> None:
    assert xlsx.sheetnames == ["总览", "每日", "按社区", "按团队", "按志愿者", "按家庭情况", "物资"]
    assert len(xlsx["每日"]._charts) == 1
    for sheet in xlsx.worksheets:
        for cells in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
            letter = cells[0].column_letter
            longest = max(len(f"{c.value:%Y-%m-%d}" if isinstance(c.value, datetime)
                              else str(c.value or "")) for c in cells)  # fmt: skip
            assert sheet.column_dimensions[letter].width >= min(longest, 40), (sheet.title, letter)


def test_the_terminal_shows_every_table_in_the_sheets_language(
    world: tuple[Path, list[Req]],
) -> None:
    book, reqs = world
    done = run_report(book)
    assert done.returncode == 0, done.stderr
    for title in ("总览", "每日", "按社区", "按团队", "按志愿者", "按家庭情况", "物资"):
        assert f"【{title}】" in done.stdout
    want = figures(reqs)
    line = next(x for x in done.stdout.splitlines() if "服务居民（每人只计一次）" in x)
    assert line.split()[-1] == str(want["residents"])
    assert "138" not in done.stdout  # no phone number, masked or not


def test_an_english_sheet_gets_an_english_report(tmp_path: Path) -> None:
    rows = [{"id": "R-0001", "submitted_at": "2022-12-13 10:00", "name": "Ann", "phone": "13840001001",
             "community": "创意社区", "address": "Block 2", "category": "food", "status": "delivered",
             "volunteer": "Li", "assigned_at": "2022-12-13 10:20", "delivered_at": "2022-12-13 11:00"}]  # fmt: skip
    book = save_workbook(tmp_path / "aid.xlsx", {"Requests": grid("requests", rows, "en")})
    done = aidsync("report", "--workbook", str(book), "--from", "2022-12-12", "--to", "2022-12-14",
                   "--out", "week.xlsx", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[Daily]" in done.stdout and "wrote" in done.stdout
    daily = list(
        openpyxl.load_workbook(tmp_path / "week.xlsx")["Daily"].iter_rows(values_only=True)
    )
    assert daily[0][:4] == ("Date", "New", "Assigned", "Delivered")
    assert [r[1:4] for r in daily[1:]] == [(0, 0, 0), (1, 1, 1), (0, 0, 0)]


def test_lang_overrides_the_sheets_language(world: tuple[Path, list[Req]]) -> None:
    book, _reqs = world
    done = aidsync("--lang", "en", "report", "--workbook", str(book), "--from", str(START),
                   "--to", str(END), cwd=book.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[Daily]" in done.stdout and "Residents served" in done.stdout
    assert "【每日】" not in done.stdout


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ("2022-12-20", "2022-12-13", "早于开始日"),
        ("2022-13-01", "2022-12-20", "不是日期"),
        ("last week", "2022-12-20", "不是日期"),
        ("2022-12-13", "", "同时给出"),
    ],
)
def test_a_bad_period_is_a_bad_setting(
    world: tuple[Path, list[Req]], start: str, end: str, says: str
) -> None:
    book, _reqs = world
    args = ["report", "--workbook", str(book), "--from", start]
    done = aidsync(*args, *(["--to", end] if end else []), "--out", "x.xlsx", cwd=book.parent)
    assert done.returncode == 2, done.stdout
    assert says in done.stderr and "Traceback" not in done.stderr
    assert not (book.parent / "x.xlsx").exists()


def test_an_unknown_file_kind_is_refused(world: tuple[Path, list[Req]]) -> None:
    book, _reqs = world
    done = run_report(book, "--out", "report.pdf")
    assert done.returncode == 2 and ".xlsx、.csv 或 .png" in done.stderr


def test_a_period_with_nothing_says_so_and_where_the_data_is(
    world: tuple[Path, list[Req]],
) -> None:
    book, reqs = world
    done = aidsync("report", "--workbook", str(book), "--from", "2021-12-12", "--to", "2021-12-22",
                   cwd=book.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    first = min(r.submitted for r in reqs).date()
    last = max(r.submitted for r in reqs).date()
    assert "没有任何登记、派单、送达或物资记录" in done.stdout
    assert f"从 {first} 到 {last}" in done.stdout


def test_report_without_a_period_still_prints_the_summary(world: tuple[Path, list[Req]]) -> None:
    book, _reqs = world
    done = aidsync("report", "--workbook", str(book), "--now", "2022-12-27T12:00:00+08:00",
                   cwd=book.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "按社区" in done.stdout and "【每日】" not in done.stdout


def test_the_pass_commands_do_not_load_pandas_or_matplotlib() -> None:
    code = "import sys, sync.cli; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
