"""The mobile pharmacy: which donated lots may be offered, and which request holds what (pure).

Every pass derives the whole stock state from the cells it read; nothing is kept elsewhere.

Cell formats (both worker-owned, the same in Chinese and English sheets)
-----------------------------------------------------------------------
Stock › Reserved for 预留给 — the lot's ledger, entries separated by ", "::

    R-0005×2, R-0009×1 ✓

  ``ID×N`` means N units are reserved for request ID; a trailing ``✓`` means those N units were
  handed out (the request was delivered). Reading also accepts x / X / * for ×, √ / ✔ for ✓, a
  missing ×N (one unit), full-width forms and the separators , ， 、 ; ； and new lines.

Requests › Stock matched 匹配物资 — the same format naming lots: ``S-0001×2, S-0004×1 ✓``.

Quantity (human) is the lot's count as received and is never decremented by the worker:
remaining = quantity − reserved − handed out.

The lot's ledger is authoritative. A request's own cell is read back only to repair a pass whose
lot row was deferred (compare-and-set): an assigned / in-progress / escalated request keeps a lot
its cell names if the lot still allows it, and a delivered request's lots are recorded as handed
out (never beyond the quantity).

Lifecycle (the Status column, shared; the worker writes one of four labels, only on change)
------------------------------------------------------------------------------------------
received, not yet disinfected → unusable 不可用 with the note "不发放：未消杀"; disinfected,
unopened, not within ``expiry_margin_days`` of expiry → available 可领用; some units reserved →
reserved 已预留; every unit handed out → handed out 已发放; expired / opened / not disinfected /
no quantity → unusable 不可用, the note saying exactly why. A status of unusable or handed out that
a *person* set (the note does not carry the worker's own marker line) is authoritative and never
undone: a lot marked unusable by hand loses its reservations; one marked handed out by hand keeps
the reservations it has (the volunteer may already hold the goods) but takes no new ones.

Which requests hold stock (by the request's status after the pass)
------------------------------------------------------------------
* assigned / in progress / escalated — keep what they hold while the lot still allows it and top
  up what they still need;
* new — reservations are released and decided again every pass in the caller's priority order
  (so "going back to new" releases, and the stock is re-offered by priority);
* delivered — every unit they hold becomes handed out (✓) and stays so;
* cancelled / needs info — hold nothing; a request no longer on the sheet holds nothing either
  (handed-out units stay recorded on the lot);
* unreadable status (the planner leaves the row alone) — keeps what it holds, takes nothing new.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sync.model import StockItem, Table
from sync.rules import Rules
from sync.schema import Locale, Schema, load_schema, normalise
from sync.values import mask_phones, text_of

if TYPE_CHECKING:  # summary.py will import this module; avoid a cycle at run time
    from sync.summary import RequestOutcome

HOLDING = frozenset({"assigned", "in_progress", "escalated"})
REDECIDED = frozenset({"new"})
ELIGIBLE = HOLDING | REDECIDED
RELEASING = frozenset({"cancelled", "needs_info"})

#: First words of the note lines this module writes; a line starting so is replaced every pass.
REQUEST_LINE_MARKERS = ("【物资】", "[stock]")
_AUTO_UNUSABLE = ("不发放：", "not offered:")
_AUTO_HANDED = ("已全部发放", "all handed out")
_EPS = 1e-9

_TEXT: dict[str, tuple[str, str]] = {
    # why a lot is not offered
    "expired": ("已过期 {date}", "expired {date}"),
    "near_expiry": (
        "{date} 到期（{days} 天内不发放）",
        "expires {date} (not offered within {days} days)",
    ),
    "bad_expiry": ("有效期无法识别", "expiry not readable"),
    "opened": ("已开封", "opened"),
    "sealed_unknown": ("未填是否开封", "not marked unopened"),
    "not_disinfected": ("未消杀", "not disinfected"),
    "no_quantity": ("无有效数量", "no usable quantity"),
    # lot notes
    "not_offered": ("不发放：{reasons}", "not offered: {reasons}"),
    "manual_unusable": ("已手动标为不可用，不再预留", "marked unusable by hand; not reserved"),
    "manual_handed_out": (
        "已手动标为已发放，不再新增预留",
        "marked handed out by hand; no new reservations",
    ),
    "manual_unreadable": (
        "状态无法识别，暂不新增预留",
        "status not recognised; no new reservations meanwhile",
    ),
    "all_handed": ("已全部发放（{qty}）", "all handed out ({qty})"),
    "left": (
        "剩余 {left}（预留 {reserved}，已发放 {handed}）",
        "{left} left ({reserved} reserved, {handed} handed out)",
    ),
    "no_community": (
        "存放社区未填或无法识别，不参与匹配",
        "community blank or unknown: not matched to requests",
    ),
    "over_handed": (
        "已发放 {handed} 超过数量 {quantity}：数量应填收到时的总数",
        "handed out {handed} exceeds the quantity {quantity}: Quantity is the count received",
    ),
    # request notes
    "pickup": (
        "【物资】{lot} {item} ×{qty}：到{community}领取{donor}",
        "[stock] {lot} {item} ×{qty}: pick up at {community}{donor}",
    ),
    "donor": ("（捐赠：{donor}）", " (donor: {donor})"),
    "short": (
        "【物资】{name} 还差 {n}：附近暂无可领用库存",
        "[stock] {name}: {n} more needed, none available nearby",
    ),
    # log
    "log_reserve": ("预留物资", "reserve stock"),
    "log_release": ("释放预留", "release stock"),
    "log_handout": ("发放物资", "hand out stock"),
    "log_status": ("物资状态 {old} → {new}", "stock status {old} → {new}"),
    "why_cancelled": ("需求已取消", "request cancelled"),
    "why_needs_info": ("需求信息不全", "request needs info"),
    "why_not_found": ("需求不在表中", "request not on the sheet"),
    "why_lot": ("物资不可发放", "lot not offered"),
    "why_reallocated": ("按优先级重新分配", "re-allocated by priority"),
    "why_not_needed": ("需求不再需要", "no longer needed"),
    # alerts
    "alert_low": (
        "{where}{category}库存偏低：可领用 {n}（低于 {below}）",
        "low stock of {category}{where}: {n} available (below {below})",
    ),
    "alert_expiring": (
        "{id} {item} 将于 {date} 过期，剩余 {qty}",
        "{id} {item} expires on {date}, {qty} left",
    ),
    "alert_disinfect": (
        "{id} {item} 待消杀（{qty}{where}）",
        "{id} {item} waiting for disinfection ({qty}{where})",
    ),
    "sep": ("，", ", "),
}


def say(locale: Locale, key: str, **fields: object) -> str:
    """One of this module's texts in the sheet's language."""
    zh, en = _TEXT[key]
    return (zh if locale == "zh" else en).format(**fields)


# ---------------------------------------------------------------------------------------------
# Cell formats


@dataclass(frozen=True)
class Entry:
    """One entry of a Reserved for / Stock matched cell: a reference and its units."""

    ref: str
    quantity: float
    handed_out: bool = False


_ENTRY_SPLIT = re.compile(r"[,，、;；\n]+")
_ENTRY = re.compile(
    r"^(?P<ref>.+?)(?:\s*(?:[×*]|(?<=[\d\s])[xX])\s*(?P<n>\d+(?:\.\d+)?))?\s*(?P<done>[✓√✔])?$"
)


def parse_entries(text: str) -> tuple[Entry, ...]:
    """Read a Reserved for / Stock matched cell; unreadable pieces are skipped."""
    folded = unicodedata.normalize("NFKC", text)
    found = []
    for piece in _ENTRY_SPLIT.split(folded):
        match = _ENTRY.match(piece.strip())
        if not match:
            continue
        quantity = float(match["n"]) if match["n"] else 1.0
        if quantity <= 0:
            continue
        found.append(Entry(match["ref"].strip(), quantity, bool(match["done"])))
    return tuple(found)


def format_entries(entries: Iterable[Entry]) -> str:
    """Write entries as the cell shows them: ``R-0005×2, R-0009×1 ✓``."""
    return ", ".join(
        f"{e.ref}×{number(e.quantity)}" + (" ✓" if e.handed_out else "") for e in entries
    )


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort ids as people expect: S-2 before S-10."""
    parts = re.findall(r"\d+|\D+", text.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def number(value: float) -> int | float:
    """A quantity as written: 2, not 2.0."""
    return int(value) if float(value).is_integer() else round(value, 2)


def merge_note(note: str, lines: Sequence[str]) -> str:
    """A request note with this module's previous lines replaced by the current ones."""
    kept = [x for x in note.split("\n") if x and not x.startswith(REQUEST_LINE_MARKERS)]
    return "\n".join([*kept, *(x for x in lines if x)])


def donor_texts(table: Table) -> dict[int, str]:
    """Each stock row's Donor cell (human text, shown in pickup notes with phones masked)."""
    return {row.number: text_of(table.get(row, "donor")) for row in table.rows}


# ---------------------------------------------------------------------------------------------
# What a request asks for

_UNITS_ZH = (
    "公斤|千克|盒|瓶|袋|包|个|只|支|片|粒|板|斤|桶|箱|罐|提|件|双|副|"
    "卷|块|份|套|条|听|壶|把|颗|贴|张"
)
_UNITS_EN = (
    "boxes|box|bottles|bottle|bags|bag|packets|packet|packs|pack|pieces|piece|pcs|pc|units|unit|"
    "tablets|tablet|kg|cans|can|rolls|roll|sheets|sheet|pairs|pair|sets|set|strips|strip|tins|tin"
)
_UNIT = rf"(?:{_UNITS_ZH}|(?:{_UNITS_EN})(?![A-Za-z])(?:\s+of(?![A-Za-z]))?)"
_NUM = r"(\d+(?:\.\d+)?)"
_QUANTITY_PATTERNS = (
    re.compile(rf"(?:[×*]|(?<![A-Za-z])[xX])\s*{_NUM}\s*{_UNIT}?"),
    re.compile(rf"(?<![A-Za-z\d.\-]){_NUM}\s*{_UNIT}"),
    re.compile(rf"([一二两俩三四五六七八九十]+)\s*(?:{_UNITS_ZH})"),
    re.compile(rf"(?<![A-Za-z\d.\-]){_NUM}(?![A-Za-z\d.])"),
)
_PART_SPLIT = re.compile(r"[,，、;；\n/+&]+|\s+and\s+", re.IGNORECASE)
_UNIT_ONLY = re.compile(rf"^(?:{_UNIT}|of)?$", re.IGNORECASE)
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGIT |= {"八": 8, "九": 9}
_TRIM = " \t:：()（）[]【】\"'“”‘’.。-—~"


@dataclass(frozen=True)
class Wanted:
    """One thing a request names, and how many units (one when it names no number)."""

    name: str
    quantity: float
    key: str = field(default="", compare=False)


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0))
    return _CN_DIGIT.get(text, 1)


def _quantity(text: str) -> tuple[float | None, str]:
    for pattern in _QUANTITY_PATTERNS:
        match = pattern.search(text)
        if match:
            raw = match.group(1)
            value = float(_cn_number(raw)) if not raw[0].isdigit() else float(raw)
            rest = text[: match.start()] + " " + text[match.end() :]
            return (value if value > 0 else None), rest
    return None, text


def parse_items(text: str) -> tuple[Wanted, ...]:
    """What a request's Items cell asks for: '布洛芬 2盒、口罩' → 布洛芬 ×2, 口罩 ×1."""
    folded = unicodedata.normalize("NFKC", text)
    wanted: list[Wanted] = []
    for piece in _PART_SPLIT.split(folded):
        quantity, rest = _quantity(piece.strip())
        name = " ".join(rest.split()).strip(_TRIM)
        if _UNIT_ONLY.match(name):  # "2 boxes" after "ibuprofen, ": the number of the last one
            if wanted and quantity is not None:
                last = wanted[-1]
                wanted[-1] = Wanted(last.name, quantity, last.key)
            continue
        wanted.append(Wanted(name, quantity or 1.0, normalise(name)))
    return tuple(wanted)


# ---------------------------------------------------------------------------------------------
# Whether a lot may be offered


@dataclass(frozen=True)
class Reason:
    """Why a lot is not offered: a code and the values its text needs."""

    code: str
    date: str = ""
    days: str = ""

    def text(self, locale: Locale) -> str:
        """The reason in the sheet's language."""
        return say(locale, self.code, date=self.date, days=self.days)


def refusal_reasons(item: StockItem, rules: Rules, now: datetime) -> tuple[Reason, ...]:
    """Every reason a lot may not be offered at ``now`` (empty: it may be)."""
    reasons: list[Reason] = []
    today = now.date()
    if item.expiry is not None:
        limit = (now + timedelta(days=rules.expiry_margin_days)).date()
        if item.expiry < today:
            reasons.append(Reason("expired", item.expiry.isoformat()))
        elif item.expiry <= limit:
            reasons.append(
                Reason("near_expiry", item.expiry.isoformat(), f"{rules.expiry_margin_days:g}")
            )
    elif any(p.code == "bad_date" for p in item.problems):
        reasons.append(Reason("bad_expiry"))
    if item.sealed is False:
        reasons.append(Reason("opened"))
    elif item.sealed is None:
        reasons.append(Reason("sealed_unknown"))
    if item.disinfected is not True:
        reasons.append(Reason("not_disinfected"))
    if item.quantity is None or item.quantity <= 0:
        reasons.append(Reason("no_quantity"))
    return tuple(reasons)


def _has_line(note: str, markers: tuple[str, ...]) -> bool:
    return any(line.startswith(markers) for line in note.split("\n"))


def human_lock(item: StockItem, schema: Schema | None = None) -> str | None:
    """A status a person set that the worker must honour: unusable, handed_out or unreadable."""
    return _lock(item, _status_headers(schema or load_schema()))


def _status_headers(schema: Schema) -> frozenset[str]:
    column = schema.tab("stock").column("status")
    return frozenset({column.label("zh"), column.label("en")})


def _lock(item: StockItem, status_headers: frozenset[str]) -> str | None:
    if item.status == "unusable" and not _has_line(item.note, _AUTO_UNUSABLE):
        return "unusable"
    if item.status == "handed_out" and not _has_line(item.note, _AUTO_HANDED):
        return "handed_out"
    if item.status is None and any(
        p.code == "unknown_choice" and p.column in status_headers for p in item.problems
    ):
        return "unreadable"
    return None


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class LotPlan:
    """What one Stock row should show after the pass."""

    row: int
    id: str
    status: str  # the status key the lot has after the pass
    status_label: str | None  # text for the Status cell; None: leave the cell as it is
    reserved_for: str
    note_lines: tuple[str, ...]
    reserved: float
    handed_out: float
    remaining: float  # units that could still be offered (0 when the lot is not offered)


@dataclass(frozen=True)
class RequestPlan:
    """What one request's Stock matched cell and note should say about stock."""

    row: int
    id: str
    stock: str
    note_lines: tuple[str, ...]


@dataclass(frozen=True)
class StockLog:
    """A Log line: the lot id, the action, the rule (blank) and a detail."""

    ref: str
    action: str
    rule: str
    detail: str


@dataclass(frozen=True)
class StockPlan:
    """Every stock decision of a pass."""

    lots: tuple[LotPlan, ...] = ()
    requests: tuple[RequestPlan, ...] = ()
    log: tuple[StockLog, ...] = ()
    stats: Mapping[str, int] = field(default_factory=dict)
    _lots: dict[int, LotPlan] = field(default_factory=dict, compare=False, repr=False)
    _requests: dict[int, RequestPlan] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._lots.update((p.row, p) for p in self.lots)
        self._requests.update((p.row, p) for p in self.requests)

    def lot(self, row: int) -> LotPlan | None:
        """The plan of a Stock row (by sheet row number)."""
        return self._lots.get(row)

    def request(self, row: int) -> RequestPlan | None:
        """The plan of a Requests row (by sheet row number)."""
        return self._requests.get(row)


@dataclass
class _Lot:
    item: StockItem
    id: str
    order: tuple[date, int]
    reasons: tuple[Reason, ...]
    lock: str | None
    quantity: float
    read_reserved: dict[str, float] = field(default_factory=dict)
    read_handed: dict[str, float] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # request key → id as written
    reserved: dict[str, float] = field(default_factory=dict)
    handed: dict[str, float] = field(default_factory=dict)
    used: float = 0.0  # units reserved or handed out after the pass so far
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.id.casefold()

    @property
    def holdable(self) -> bool:  # existing reservations may stay
        return not self.reasons and self.lock != "unusable"

    @property
    def offerable(self) -> bool:  # new reservations may be made
        return not self.reasons and self.lock is None

    def capacity(self) -> float:
        return max(0.0, self.quantity - self.used)

    def add(self, book: dict[str, float], key: str, ref: str, quantity: float) -> None:
        if quantity > _EPS:
            book[key] = book.get(key, 0.0) + quantity
            self.refs.setdefault(key, ref)
            if book is self.reserved or book is self.handed:
                self.used += quantity


@dataclass
class _Req:
    outcome: RequestOutcome
    id: str
    status: str | None
    wants: tuple[Wanted, ...]
    reach: dict[str, int]
    held: dict[str, float] = field(default_factory=dict)  # lot key → units it may keep
    unmet: list[float] = field(default_factory=list)
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.id.casefold()


class _Matcher:
    """Which lots a wanted item matches by name or synonym (memoised per distinct wording)."""

    def __init__(self, lots: Sequence[_Lot], rules: Rules) -> None:
        self.lots = lots
        self.groups = [
            tuple(k for k in (normalise(w) for w in s.words) if k) for s in rules.synonyms
        ]
        self.by_name: dict[str, list[int]] = {}
        for i, lot in enumerate(lots):
            self.by_name.setdefault(normalise(lot.item.item), []).append(i)
        self.cache: dict[str, frozenset[int]] = {}

    def names(self, want: Wanted) -> frozenset[int]:
        """Positions (in the lots given) of the lots whose item name matches."""
        hit = self.cache.get(want.key)
        if hit is None:
            key = want.key
            groups = [g for g in self.groups if any(w in key for w in g)]
            found: set[int] = set()
            for name, rows in self.by_name.items():
                if key and name and self._same(key, name, groups):
                    found.update(rows)
            hit = self.cache[key] = frozenset(found)
        return hit

    @staticmethod
    def _same(want: str, lot: str, groups: list[tuple[str, ...]]) -> bool:
        if lot in want or want in lot:
            return True
        return any(any(w in lot for w in group) for group in groups)


def plan_stock(
    outcomes: Sequence[RequestOutcome],
    request_ids: Mapping[int, str],
    stock: Sequence[StockItem],
    stock_ids: Mapping[int, str],
    rules: Rules,
    locale: Locale,
    now: datetime,
    donors: Mapping[int, str] | None = None,
    schema: Schema | None = None,
) -> StockPlan:
    """Decide every lot's reservations, hand-outs and status, and each request's stock.

    ``outcomes`` are the requests after the pass's own decisions, in priority order (the first
    is served first); ``request_ids`` / ``stock_ids`` map sheet rows to ids (new ones included);
    ``now`` is local to the workbook; ``donors`` maps stock rows to their Donor cell.
    """
    schema = schema or load_schema()
    headers = _status_headers(schema)
    donors = donors or {}
    lots: list[_Lot] = []
    lots_by_key: dict[str, _Lot] = {}
    for item in stock:
        lot_id = stock_ids.get(item.row.number) or item.id or f"#{item.row.number}"
        lot = _Lot(
            item=item,
            id=lot_id,
            order=(item.expiry or date.max, item.row.number),
            reasons=refusal_reasons(item, rules, now),
            lock=_lock(item, headers),
            quantity=max(0.0, item.quantity or 0.0),
        )
        for entry in parse_entries(item.reserved_for):
            book = lot.read_handed if entry.handed_out else lot.read_reserved
            lot.add(book, entry.ref.casefold(), entry.ref, entry.quantity)
        lots.append(lot)
        lots_by_key.setdefault(lot.key, lot)

    reqs: list[_Req] = []
    reqs_by_key: dict[str, _Req] = {}
    reaches: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        request = outcome.request
        rid = request_ids.get(request.row.number) or request.id or ""
        if not rid or rid.casefold() in reqs_by_key:
            continue
        reach: dict[str, int] = {}
        if request.community:
            reach = reaches.get(request.community, {})
            if not reach:
                for rank, name in enumerate(
                    (request.community, *rules.neighbours(request.community))
                ):
                    reach.setdefault(name, rank)
                reaches[request.community] = reach
        wants = parse_items(request.items) if outcome.status in ELIGIBLE else ()
        req = _Req(outcome, rid, outcome.status, wants, reach)
        reqs.append(req)
        reqs_by_key[req.key] = req

    # 1. What each lot's ledger says, judged by the request's status now.
    frozen: list[tuple[_Lot, str, float, float]] = []
    for lot in lots:
        for key in sorted(set(lot.read_reserved) | set(lot.read_handed), key=natural_key):
            units = lot.read_reserved.get(key, 0.0) + lot.read_handed.get(key, 0.0)
            found = reqs_by_key.get(key)
            if found is None:  # a request no longer on the sheet: keep the hand-outs only
                lot.add(lot.handed, key, lot.refs[key], lot.read_handed.get(key, 0.0))
            elif found.status == "delivered":
                lot.add(lot.handed, key, found.id, units)
            elif found.status is None:
                r, h = lot.read_reserved.get(key, 0.0), lot.read_handed.get(key, 0.0)
                frozen.append((lot, key, r if lot.holdable else 0.0, h))
            elif found.status in HOLDING:
                found.held[lot.key] = found.held.get(lot.key, 0.0) + units
    for lot, key, r, h in frozen:
        lot.add(lot.handed, key, reqs_by_key[key].id, h)
        lot.add(lot.reserved, key, reqs_by_key[key].id, min(r, lot.capacity()))

    # 2. Repair from the requests' own cells (a lot row whose write was deferred).
    for req in reqs:
        if req.status != "delivered" and req.status not in HOLDING:
            continue
        for entry in parse_entries(req.outcome.request.stock):
            named = lots_by_key.get(entry.ref.casefold())
            if named is None or req.key in named.read_reserved or req.key in named.read_handed:
                continue
            if req.key in named.handed:
                continue
            if req.status == "delivered":
                named.add(named.handed, req.key, req.id, min(entry.quantity, named.capacity()))
            else:
                req.held[named.key] = req.held.get(named.key, 0.0) + entry.quantity

    matcher = _Matcher(lots, rules)
    index = {id(lot): i for i, lot in enumerate(lots)}

    def fits(req: _Req, want: Wanted, lot: _Lot) -> bool:
        item, asked = lot.item, req.outcome.request.category
        return (
            item.community in req.reach
            and (asked is None or item.category is None or asked == item.category)
            and index[id(lot)] in matcher.names(want)
        )

    def preference(req: _Req, lot: _Lot) -> tuple[int, date, int]:
        return (req.reach.get(lot.item.community or "", 99), *lot.order)

    # 3. Requests that hold stock keep it, in priority order, while the lot allows it.
    for req in reqs:
        if req.status not in ELIGIBLE:
            continue
        req.unmet = [w.quantity for w in req.wants]
        if req.status not in HOLDING:
            continue
        left = dict(req.held)
        held = sorted((lots_by_key[k] for k in left), key=lambda lot: preference(req, lot))
        for i, want in enumerate(req.wants):
            for lot in held:
                if req.unmet[i] <= _EPS:
                    break
                if not lot.holdable or not fits(req, want, lot):
                    continue
                take = min(left[lot.key], req.unmet[i], lot.capacity())
                if take > _EPS:
                    lot.add(lot.reserved, req.key, req.id, take)
                    left[lot.key] -= take
                    req.unmet[i] -= take

    # 4. Everything still needed, in priority order: own community first, earliest expiry first.
    by_community: dict[str, list[_Lot]] = {}
    for lot in sorted(lots, key=lambda lot: lot.order):
        if lot.offerable and lot.item.community:
            by_community.setdefault(lot.item.community, []).append(lot)
    candidates: dict[tuple[str, str], list[_Lot]] = {}
    for req in reqs:
        if req.status not in ELIGIBLE:
            continue
        for i, want in enumerate(req.wants):
            for community in req.reach:
                if req.unmet[i] <= _EPS:
                    break
                pool = candidates.get((want.key, community))
                if pool is None:
                    names = matcher.names(want)
                    pool = [x for x in by_community.get(community, ()) if index[id(x)] in names]
                    candidates[(want.key, community)] = pool
                used_up = 0
                for lot in pool:
                    if req.unmet[i] <= _EPS:
                        break
                    take = min(req.unmet[i], lot.capacity())
                    if take > _EPS and fits(req, want, lot):
                        lot.add(lot.reserved, req.key, req.id, take)
                        req.unmet[i] -= take
                    used_up += lot.capacity() <= _EPS
                if used_up * 8 > len(pool):  # drop lots with nothing left from this list
                    pool[:] = [x for x in pool if x.capacity() > _EPS]

    return _Render(lots, reqs, reqs_by_key, matcher, rules, locale, schema, donors).plan()


class _Render:
    """Turns the decided ledgers into cell texts, notes and log lines."""

    def __init__(
        self,
        lots: list[_Lot],
        reqs: list[_Req],
        reqs_by_key: dict[str, _Req],
        matcher: _Matcher,
        rules: Rules,
        locale: Locale,
        schema: Schema,
        donors: Mapping[int, str],
    ) -> None:
        self.lots = lots
        self.reqs = reqs
        self.reqs_by_key = reqs_by_key
        self.matcher = matcher
        self.rules = rules
        self.locale = locale
        self.statuses = schema.choice_list("stock_status")
        self.donors = donors
        self.log: list[StockLog] = []
        self.stats = {"stock_reserved": 0, "stock_released": 0, "stock_handed_out": 0}
        self.held: dict[str, list[tuple[_Lot, Entry]]] = {}
        for lot in lots:
            for key, units in lot.handed.items():
                self.held.setdefault(key, []).append((lot, Entry(lot.id, units, True)))
            for key, units in lot.reserved.items():
                self.held.setdefault(key, []).append((lot, Entry(lot.id, units, False)))

    def say(self, key: str, **fields: object) -> str:
        return say(self.locale, key, **fields)

    def qty(self, value: float, unit: str) -> str:
        unit = mask_phones(unit)
        if self.locale == "zh" or not unit:
            return f"{number(value)}{unit}"
        return f"{number(value)} {unit}"

    def plan(self) -> StockPlan:
        lot_plans = [self.lot(lot) for lot in self.lots]
        request_plans = [self.request(req) for req in self.reqs]
        return StockPlan(tuple(lot_plans), tuple(request_plans), tuple(self.log), self.stats)

    def lot(self, lot: _Lot) -> LotPlan:
        reserved = sum(lot.reserved.values())
        handed = sum(lot.handed.values())
        item = lot.item
        unit = item.unit
        lines: list[str] = []
        if lot.lock is not None:
            status = item.status or "unusable"
            lines.append(self.say(f"manual_{lot.lock}"))
        elif lot.quantity > _EPS and handed >= lot.quantity - _EPS:
            status = "handed_out"
            lines.append(self.say("all_handed", qty=self.qty(handed, unit)))
        elif lot.reasons:
            status = "unusable"
            texts = [r.text(self.locale) for r in lot.reasons]
            lines.append(self.say("not_offered", reasons=self.say("sep").join(texts)))
        else:
            status = "reserved" if reserved > _EPS else "available"
        remaining = lot.capacity() if lot.offerable else 0.0
        if lot.lock is None and status in ("available", "reserved"):
            lines.append(
                self.say(
                    "left",
                    left=self.qty(lot.capacity(), unit),
                    reserved=number(reserved),
                    handed=number(handed),
                )
            )
        if handed > lot.quantity + _EPS:
            lines.append(
                self.say("over_handed", handed=number(handed), quantity=number(lot.quantity))
            )
        if item.community is None and (lot.offerable or reserved > _EPS):
            lines.append(self.say("no_community"))
        label = None
        if lot.lock is None and item.status != status:
            label = self.statuses.label(status, self.locale)
            if item.status is not None:
                old = self.statuses.label(item.status, self.locale)
                detail = self.say("sep").join(r.text(self.locale) for r in lot.reasons)
                self.log.append(
                    StockLog(lot.id, self.say("log_status", old=old, new=label), "", detail)
                )
        self.log_ledger(lot)
        keys = sorted(set(lot.reserved) | set(lot.handed), key=natural_key)
        entries = []
        for key in keys:
            if lot.handed.get(key, 0.0) > _EPS:
                entries.append(Entry(lot.refs[key], lot.handed[key], True))
            if lot.reserved.get(key, 0.0) > _EPS:
                entries.append(Entry(lot.refs[key], lot.reserved[key], False))
        return LotPlan(
            row=item.row.number,
            id=lot.id,
            status=status,
            status_label=label,
            reserved_for=format_entries(entries),
            note_lines=tuple(lines),
            reserved=reserved,
            handed_out=handed,
            remaining=remaining,
        )

    def log_ledger(self, lot: _Lot) -> None:
        keys = set(lot.read_reserved) | set(lot.read_handed) | set(lot.reserved) | set(lot.handed)
        for key in sorted(keys, key=natural_key):
            old_r, old_h = lot.read_reserved.get(key, 0.0), lot.read_handed.get(key, 0.0)
            new_r, new_h = lot.reserved.get(key, 0.0), lot.handed.get(key, 0.0)
            ref = lot.refs.get(key, key)
            base = old_r
            if new_h > old_h + _EPS:
                self.add_log(lot, "log_handout", ref, new_h - old_h)
                self.stats["stock_handed_out"] += 1
                base = max(0.0, old_r - (new_h - old_h))
            if new_r > base + _EPS:
                self.add_log(lot, "log_reserve", ref, new_r - base)
                self.stats["stock_reserved"] += 1
            released = max(0.0, base - new_r) + max(0.0, old_h - new_h)
            if released > _EPS:
                self.add_log(lot, "log_release", ref, released, self.why(lot, key))
                self.stats["stock_released"] += 1

    def add_log(self, lot: _Lot, action: str, ref: str, units: float, why: str = "") -> None:
        detail = f"{ref} ×{number(units)}" + (f"{self.say('sep')}{why}" if why else "")
        self.log.append(StockLog(lot.id, self.say(action), "", detail))

    def why(self, lot: _Lot, key: str) -> str:
        req = self.reqs_by_key.get(key)
        if req is None:
            return self.say("why_not_found")
        if req.status == "cancelled":
            return self.say("why_cancelled")
        if req.status == "needs_info":
            return self.say("why_needs_info")
        if not lot.holdable or (req.status in REDECIDED and not lot.offerable):
            return self.say("why_lot")
        if req.status in REDECIDED:
            return self.say("why_reallocated")
        return self.say("why_not_needed")

    def request(self, req: _Req) -> RequestPlan:
        entries = sorted(
            self.held.get(req.key, []),
            key=lambda pair: (natural_key(pair[1].ref), not pair[1].handed_out),
        )
        lines = []
        for lot, entry in entries:
            if entry.handed_out:
                continue
            donor = mask_phones(self.donors.get(lot.item.row.number, ""))
            lines.append(
                self.say(
                    "pickup",
                    lot=lot.id,
                    item=mask_phones(lot.item.item),
                    qty=self.qty(entry.quantity, lot.item.unit),
                    community=lot.item.community or "?",
                    donor=self.say("donor", donor=donor) if donor else "",
                )
            )
        if req.status in ELIGIBLE:
            for want, unmet in zip(req.wants, req.unmet, strict=True):
                if unmet > _EPS and self.matcher.names(want):
                    lines.append(self.say("short", name=mask_phones(want.name), n=number(unmet)))
        return RequestPlan(
            row=req.outcome.request.row.number,
            id=req.id,
            stock=format_entries(e for _, e in entries),
            note_lines=tuple(lines),
        )


# ---------------------------------------------------------------------------------------------
# Summary alerts


def stock_alerts(
    stock: Sequence[StockItem],
    rules: Rules,
    locale: Locale,
    now: datetime,
    plan: StockPlan | None = None,
    stock_ids: Mapping[int, str] | None = None,
    schema: Schema | None = None,
) -> list[str]:
    """Low stock, lots expiring within ``expiring_soon_days``, lots waiting for disinfection.

    Units counted are those still on offer after the pass (``plan``), or, without a plan, as the
    Reserved for cells read.
    """
    schema = schema or load_schema()
    categories = schema.choice_list("category")
    stock_ids = stock_ids or {}
    planned = {p.row: p for p in plan.lots} if plan else {}
    remaining: dict[int, float] = {}
    for item in stock:
        if item.row.number in planned:
            remaining[item.row.number] = planned[item.row.number].remaining
            continue
        offered = not refusal_reasons(item, rules, now) and human_lock(item, schema) is None
        used = sum(e.quantity for e in parse_entries(item.reserved_for))
        remaining[item.row.number] = max(0.0, (item.quantity or 0.0) - used) if offered else 0.0

    def ref(item: StockItem) -> str:
        known = planned.get(item.row.number)
        return (known.id if known else "") or stock_ids.get(item.row.number) or item.id or "?"

    texts: list[str] = []
    for low in rules.low_stock:
        community = rules.community(low.community) if low.community else None
        n = sum(
            remaining[s.row.number]
            for s in stock
            if s.category == low.category and (community is None or s.community == community)
        )
        if n < low.below:
            where = ""
            if community:
                where = f"{community} " if locale == "zh" else f" in {community}"
            texts.append(
                say(
                    locale,
                    "alert_low",
                    where=where,
                    category=categories.label(low.category, locale),
                    n=number(n),
                    below=number(low.below),
                )
            )
    soon = (now + timedelta(days=rules.expiring_soon_days)).date()
    expiring = [
        s for s in stock if s.expiry and s.expiry <= soon and remaining[s.row.number] > _EPS
    ]
    for s in sorted(expiring, key=lambda s: (s.expiry or soon, s.row.number)):
        assert s.expiry is not None
        qty = _qty_text(locale, remaining[s.row.number], s.unit)
        texts.append(
            say(
                locale,
                "alert_expiring",
                id=ref(s),
                item=mask_phones(s.item),
                date=s.expiry.isoformat(),
                qty=qty,
            )
        )
    for s in stock:
        reasons = refusal_reasons(s, rules, now)
        if [r.code for r in reasons] == ["not_disinfected"] and human_lock(s, schema) is None:
            where = ""
            if s.community:
                where = f"，{s.community}" if locale == "zh" else f", {s.community}"
            texts.append(
                say(
                    locale,
                    "alert_disinfect",
                    id=ref(s),
                    item=mask_phones(s.item),
                    qty=_qty_text(locale, s.quantity or 0.0, s.unit),
                    where=where,
                )
            )
    return texts


def _qty_text(locale: Locale, value: float, unit: str) -> str:
    unit = mask_phones(unit)
    if locale == "zh" or not unit:
        return f"{number(value)}{unit}"
    return f"{number(value)} {unit}"
