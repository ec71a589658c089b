"""Synthetic mutual-aid workbooks for benchmarks: realistic, and the same for the same seed.

A workbook is what a street office's sheet looks like after two weeks of an epidemic wave,
typed by people only (aidsync's own columns blank): residents asking several times, most
requests delivered, some claimed or in progress, the newest waiting; volunteers in teams with
duty hours, limits and the categories they take; a mobile pharmacy of donated lots, some expired,
opened or not yet disinfected. Communities come from the shipped rules/communities.yaml.

    python -m benchmarks.generate --size medium --seed 1 --out medium.xlsx
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import yaml

from sync.backends.xlsx.init import initialise_workbook
from sync.resources import default_rules_dir
from sync.schema import Locale, Schema, load_schema

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 12, 20, 15, 0, tzinfo=TZ)  # the moment the first benchmarked pass runs
STEADY_MINUTES = 5  # the next pass, as cron would start it
Rows = list[dict[str, Any]]  # column key → value, one dict per row
Grids = dict[str, list[list[Any]]]  # tab title → rows of cells, header first


@dataclass(frozen=True)
class Size:
    """How many rows each tab gets, and how much people do between two passes."""

    name: str
    requests: int
    volunteers: int
    stock: int
    new_per_pass: int  # requests registered in the five minutes between passes
    edits_per_pass: int  # claims and deliveries typed in the same five minutes
    waiting: float = 0.10  # share of requests nobody has taken yet (the peak: far more than fit)


SIZES: dict[str, Size] = {
    "tiny": Size("tiny", 120, 12, 40, 5, 4),
    "small": Size("small", 1_000, 100, 2_000, 10, 10),
    "medium": Size("medium", 10_000, 1_000, 2_000, 50, 50),
    "large": Size("large", 50_000, 5_000, 2_000, 200, 200),
    # the wave's peak: waiting requests outnumber what the volunteers can still take, several times
    "peak-small": Size("peak-small", 1_000, 100, 2_000, 10, 10, waiting=0.45),
    "peak-3k": Size("peak-3k", 3_000, 100, 200, 20, 20, waiting=0.45),
    "peak": Size("peak", 10_000, 1_000, 2_000, 50, 50, waiting=0.45),
}

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_GIVEN = (  # noqa: SIM905
    "秀英 桂兰 建国 淑珍 玉兰 德明 素文 志强 美兰 国栋 翠兰 淑华 "
    "丽 伟 娜 强 静 敏 磊 洋 军 杰 勇 艳 "
    "芳 霞 平 刚 明 红 瑾 珊珊 玉杰 海燕 春梅 建华 "
    "国强 文杰 晓东 子涵 雨欣 浩然 思远 佳怡 一鸣 "
).split()
_ESTATES = ["花园", "小区", "里", "新村", "家园", "公寓"]
_HOUSEHOLD = [("living_alone", 30), ("childless", 10), ("bereaved", 5), ("hardship", 15),
              ("other", 40)]  # fmt: skip
_CATEGORY = [("medicine", 35), ("food", 33), ("daily_goods", 15), ("protective", 12),
             ("other", 5)]  # fmt: skip
_ITEMS = {
    "medicine": ["退烧药", "布洛芬", "对乙酰氨基酚", "感冒药", "连花清瘟", "止咳糖浆", "降压药",
                 "退烧药 布洛芬", "美林"],
    "food": ["白菜、土豆、鸡蛋", "大米一袋", "挂面", "蔬菜", "豆油", "面粉", "鸡蛋两盒"],
    "daily_goods": ["卫生纸、洗衣粉", "暖水袋", "暖宝宝", "洗洁精", "电池"],
    "protective": ["N95口罩", "口罩", "抗原检测试剂", "消毒液", "医用外科口罩"],
    "other": ["陪同就医", "代缴电费", "修水管"],
}  # fmt: skip
_NOTES = ["", "", "", "", "发烧38.5度", "腿脚不便", "老两口都发烧", "下午送", "放门口即可",
          "请先打电话", "又登记了一次"]  # fmt: skip
# item, category, unit, quantity range
_LOTS = [
    ("布洛芬缓释胶囊", "medicine", "盒", (1, 10)), ("对乙酰氨基酚片", "medicine", "盒", (1, 8)),
    ("连花清瘟胶囊", "medicine", "盒", (1, 6)), ("感冒灵颗粒", "medicine", "盒", (1, 6)),
    ("布洛芬混悬液", "medicine", "瓶", (1, 4)), ("板蓝根颗粒", "medicine", "袋", (1, 10)),
    ("泰诺林", "medicine", "盒", (1, 5)), ("N95口罩", "protective", "个", (10, 200)),
    ("医用外科口罩", "protective", "个", (20, 300)), ("KN95口罩", "protective", "个", (10, 100)),
    ("抗原检测试剂", "protective", "盒", (1, 20)), ("大米", "food", "袋", (1, 5)),
    ("挂面", "food", "袋", (1, 10)), ("豆油", "food", "桶", (1, 3)), ("面粉", "food", "袋", (1, 4)),
    ("卫生纸", "daily_goods", "提", (1, 6)), ("暖宝宝", "daily_goods", "包", (1, 10)),
]  # fmt: skip
_LOT_WEIGHTS = [9, 7, 6, 5, 3, 4, 3, 7, 7, 4, 4, 8, 6, 5, 4, 5, 4]
_TEAMS = ["向日葵能量团", "邻里队", "志愿队", "互助组", "青年突击队"]
BACKUP_TEAM = "党员先锋队"


def communities() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(name, aliases, neighbours) of every community in the shipped rules."""
    data = yaml.safe_load((default_rules_dir() / "communities.yaml").read_text("utf-8"))
    return [
        (c["name"], tuple(c.get("aliases") or ()), tuple(c.get("neighbours") or ()))
        for c in data["communities"]
    ]


class _Maker:
    """Draws rows from one seeded random generator, in a fixed order."""

    def __init__(self, seed: int, schema: Schema, locale: Locale) -> None:
        self.rng = random.Random(seed)
        self.schema = schema
        self.locale = locale
        self.communities = communities()
        # a few big communities and a long tail, as in a real street office
        self.weights = [max(1, 10 - 3 * i) for i in range(len(self.communities))]
        self.phones: set[str] = set()

    def label(self, list_name: str, key: str) -> str:
        return self.schema.choice_list(list_name).label(key, self.locale)

    def pick(self, table: Sequence[tuple[str, int]]) -> str:
        return self.rng.choices([k for k, _ in table], [w for _, w in table])[0]

    def community(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        return self.rng.choices(self.communities, self.weights)[0]

    def phone(self, prefix: str) -> str:
        while True:
            text = prefix + f"{self.rng.randrange(10**8):08d}"
            if text not in self.phones:
                self.phones.add(text)
                return text

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)

    def hours(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return "全天" if self.locale == "zh" else "24h"
        if r < 0.70:
            return f"{self.rng.randint(6, 10):02d}:00-{self.rng.randint(17, 22):02d}:00"
        if r < 0.85:
            return f"{self.rng.randint(7, 9):02d}:00-12:00,{self.rng.randint(13, 18):02d}:00-22:00"
        if r < 0.95:
            return f"{self.rng.randint(20, 23):02d}:00-0{self.rng.randint(5, 8)}:00"
        return "24h"

    def volunteers(self, n: int) -> Rows:
        rows: Rows = []
        names = [s + g for s in _SURNAMES for g in _GIVEN]
        self.rng.shuffle(names)
        sep = "、" if self.locale == "zh" else ", "
        for i in range(n):
            name = names[i % len(names)] if self.rng.random() > 0.005 else names[0]
            home, _aliases, neighbours = self.community()
            r = self.rng.random()
            if r < 0.05:
                served = "全部" if self.locale == "zh" else "all"
            elif r < 0.20 and neighbours:
                served = home + sep + self.rng.choice(neighbours)
            else:
                served = home
            team = (
                BACKUP_TEAM if self.rng.random() < 0.05
                else home[:2] + self.rng.choice(_TEAMS[: 2 + i % 4])
            )  # fmt: skip
            takes = ""
            if self.rng.random() < 0.45:
                keys = self.rng.sample([k for k, _ in _CATEGORY], self.rng.randint(1, 3))
                takes = sep.join(self.label("category", k) for k in keys)
            role = self.pick([("party_member", 30), ("resident", 50), ("merchant", 10),
                              ("grid_worker", 10)])  # fmt: skip
            max_open = "" if self.rng.random() < 0.25 else self.rng.choice([1, 2, 2, 3, 3, 3, 4, 5])
            rows.append({
                "name": name, "phone": self.phone("139"), "communities": served, "team": team,
                "role": self.label("role", role), "categories": takes, "hours": self.hours(),
                "max_open": max_open,
                "active": self.label("yes_no", "yes" if self.rng.random() < 0.85 else "no"),
            })  # fmt: skip
        return rows

    def when(self, minutes_ago: float) -> object:
        """A submission time as people type it (or a real date cell)."""
        moment = (NOW - timedelta(minutes=minutes_ago)).replace(tzinfo=None, second=0)
        r = self.rng.random()
        if r < 0.80:
            return moment.strftime("%Y-%m-%d %H:%M")
        if r < 0.90:
            return moment
        if r < 0.95:
            return moment.strftime("%Y/%m/%d %H:%M")
        return f"{moment.month}月{moment.day}日 {moment.strftime('%H:%M')}"

    def residents(self, n: int) -> Rows:
        out: Rows = []
        for _ in range(n):
            home, aliases, _neighbours = self.community()
            typed = self.rng.choice(aliases) if aliases and self.rng.random() < 0.05 else home
            estate = home[:2] + self.rng.choice(_ESTATES)
            out.append({
                "name": self.name(), "phone": self.phone("138"), "community": typed,
                "address": f"{estate}{self.rng.randint(1, 30)}号楼{self.rng.randint(1, 6)}单元"
                           f"{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}",
                "household": self.pick(_HOUSEHOLD),
            })  # fmt: skip
        return out

    def request(self, resident: Mapping[str, Any], minutes_ago: float) -> dict[str, Any]:
        category = self.pick(_CATEGORY)
        row = {
            "submitted_at": self.when(minutes_ago), "name": resident["name"],
            "phone": resident["phone"], "community": resident["community"],
            "address": resident["address"],
            "household": self.label("household", resident["household"]),
            "category": self.label("category", category),
            "items": self.rng.choice(_ITEMS[category]),
            "urgency": self.label("urgency", "urgent" if self.rng.random() < 0.25 else "normal"),
            "notes": self.rng.choice(_NOTES),
        }  # fmt: skip
        r = self.rng.random()  # what people get wrong
        if r < 0.015:
            row["phone"] = row["phone"][:7]
        elif r < 0.025:
            row["address"] = ""
        elif r < 0.03:
            row["phone"] = " ".join([row["phone"][:3], row["phone"][3:7], row["phone"][7:]])
        return row

    def requests(self, n: int, volunteers: Rows, waiting: float = 0.10) -> Rows:
        residents = self.residents(max(5, int(n * 0.55)))
        rows: Rows = []
        span = 14 * 24 * 60
        for _ in range(n):
            r = self.rng.random()
            # a request waits with the size's share; the others keep their shares of the rest
            r = 0.10 + (r - waiting) * 0.90 / (1 - waiting) if r >= waiting else 0.0
            if r < 0.10:
                status, ago = "", self.rng.uniform(1, 180)
            elif r < 0.12:
                status, ago = "claimed", self.rng.uniform(1, 120)
            elif r < 0.17:
                status, ago = "assigned", self.rng.uniform(10, 600)
            elif r < 0.21:
                status, ago = "in_progress", self.rng.uniform(20, 900)
            elif r < 0.26:
                status, ago = "cancelled", self.rng.uniform(60, span)
            else:
                status, ago = "delivered", self.rng.uniform(120, span)
            row = self.request(self.rng.choice(residents), ago)
            if status:
                row["volunteer"] = self.rng.choice(volunteers)["name"]
            if status not in ("", "claimed"):
                row["status"] = self.label("request_status", status)
            rows.append(row)
        rows.sort(key=lambda x: str(x["submitted_at"]))  # roughly in the order they came in
        return rows

    def stock(self, n: int) -> Rows:
        rows: Rows = []
        for _ in range(n):
            item, category, unit, (low, high) = self.rng.choices(_LOTS, _LOT_WEIGHTS)[0]
            home = self.community()[0]
            r = self.rng.random()
            if r < 0.04:
                expiry = NOW.date() - timedelta(days=self.rng.randint(1, 200))
            elif r < 0.10:
                expiry = NOW.date() + timedelta(days=self.rng.randint(0, 30))
            else:
                expiry = NOW.date() + timedelta(days=self.rng.randint(60, 1000))
            expires: object = expiry.isoformat() if self.rng.random() < 0.7 else expiry
            donor = f"{home[:2]}{self.rng.choice(_ESTATES)} {self.rng.choice(_SURNAMES)}"
            if self.rng.random() < 0.2:
                donor += " " + self.phone("137")
            status = self.pick([("", 7), ("available", 70), ("handed_out", 20), ("unusable", 3)])
            rows.append({
                "item": item, "category": self.label("category", category),
                "quantity": self.rng.randint(low, high), "unit": unit, "donor": donor,
                "community": home, "expiry": expires,
                "sealed": self.label("yes_no", "yes" if self.rng.random() < 0.93 else "no"),
                "disinfected": "" if self.rng.random() < 0.04 else self.label(
                    "yes_no", "yes" if self.rng.random() < 0.9 else "no"),
                "status": self.label("stock_status", status) if status else "",
            })  # fmt: skip
        return rows


def generate(
    size: Size, seed: int = 1, locale: Locale = "zh", schema: Schema | None = None
) -> dict[str, Rows]:
    """Rows of the Requests, Volunteers and Stock tabs (column key → value), from a seed."""
    maker = _Maker(seed, schema or load_schema(), locale)
    volunteers = maker.volunteers(size.volunteers)
    requests = maker.requests(size.requests, volunteers, size.waiting)
    stock = maker.stock(size.stock)
    return {"requests": requests, "volunteers": volunteers, "stock": stock}


def to_grids(
    rows: Mapping[str, Rows], locale: Locale = "zh", schema: Schema | None = None
) -> Grids:
    """The workbook as grids in the template layout (Summary and Log tabs included), for the
    emulator or a snapshot."""
    schema = schema or load_schema()
    grids: Grids = {}
    for key in ("requests", "volunteers", "stock"):
        tab = schema.tab(key)
        keys = tab.keys()
        grids[tab.title(locale)] = [[c.label(locale) for c in tab.columns]] + [
            [_cell(r.get(k)) for k in keys] for r in rows[key]
        ]
    grids[schema.tab("summary").title(locale)] = []
    grids[schema.tab("log").title(locale)] = [[c.label(locale) for c in schema.tab("log").columns]]
    return grids


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def write_xlsx(
    path: Path, rows: Mapping[str, Rows], locale: Locale = "zh", schema: Schema | None = None
) -> Path:
    """A real .xlsx as `aidsync init` makes it (headers, dropdowns, marked worker columns),
    filled with the rows."""
    schema = schema or load_schema()
    book = openpyxl.Workbook()
    book.remove(book.active)
    initialise_workbook(book, schema, locale, None)
    for key, data in rows.items():
        tab = schema.tab(key)
        ws = book[tab.title(locale)]
        keys = tab.keys()
        for row in data:
            # generated text never starts with '=', so plain append keeps it text
            ws.append([None if row.get(k) in (None, "") else row[k] for k in keys])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@dataclass(frozen=True)
class Edit:
    """One cell people type between two passes (1-based row, 0-based column)."""

    title: str
    row: int
    col: int
    value: Any


def activity(
    grids: Mapping[str, list[list[Any]]], size: Size, seed: int = 1, locale: Locale = "zh"
) -> list[Edit]:
    """What people type in the five minutes after a pass: new requests below the last row,
    volunteers claiming waiting requests, deliveries marked done."""
    schema = load_schema()
    maker = _Maker(seed + 1000, schema, locale)
    tab = schema.tab("requests")
    title = tab.title(locale)
    keys = tab.keys()
    col = {k: i for i, k in enumerate(keys)}
    rows = grids[title]
    volunteer_rows = grids[schema.tab("volunteers").title(locale)][1:]
    at = schema.tab("volunteers").keys().index("name")
    names = [str(r[at]) for r in volunteer_rows if len(r) > at and r[at]]
    edits: list[Edit] = []
    labels = schema.choice_list("request_status")

    def status(r: list[Any]) -> str | None:
        return labels.parse(r[col["status"]]) if len(r) > col["status"] else None

    waiting = [n for n, r in enumerate(rows[1:], start=2) if status(r) in ("new", "escalated")]
    underway = [
        n for n, r in enumerate(rows[1:], start=2) if status(r) in ("assigned", "in_progress")
    ]
    claims = maker.rng.sample(waiting, min(len(waiting), size.edits_per_pass // 2))
    for n in claims:
        edits.append(Edit(title, n, col["volunteer"], maker.rng.choice(names)))
    done = maker.rng.sample(underway, min(len(underway), size.edits_per_pass - len(claims)))
    for n in done:
        edits.append(Edit(title, n, col["status"], maker.label("request_status", "delivered")))
    residents = maker.residents(size.new_per_pass)
    last = len(rows)
    for i in range(size.new_per_pass):
        request = maker.request(residents[i], maker.rng.uniform(0, STEADY_MINUTES))
        for key, value in request.items():
            if value not in (None, ""):
                edits.append(Edit(title, last + 1 + i, col[key], _cell(value)))
    return edits


def apply_edits(grids: Grids, edits: Sequence[Edit]) -> None:
    """Type the edits into grids in place."""
    for edit in edits:
        rows = grids[edit.title]
        while len(rows) < edit.row:
            rows.append([])
        line = rows[edit.row - 1]
        line.extend([""] * (edit.col + 1 - len(line)))
        line[edit.col] = edit.value


def apply_edits_xlsx(path: Path, edits: Sequence[Edit]) -> None:
    """Type the edits into a .xlsx file (as a person with an office suite would)."""
    book = openpyxl.load_workbook(path)
    for edit in edits:
        book[edit.title].cell(row=edit.row, column=edit.col + 1, value=edit.value)
    book.save(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Write one synthetic workbook."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--locale", choices=["zh", "en"], default="zh")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    write_xlsx(args.out, generate(size, args.seed, args.locale), args.locale)
    print(f"{args.out}: {size.requests} requests, {size.volunteers} volunteers, {size.stock} lots")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
