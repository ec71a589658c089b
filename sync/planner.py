"""(snapshot, rules, now) → Plan: every cell the pass would write, and why (pure).

Same input, same plan; a second pass over the plan's own output plans nothing new.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sync.assign import Load, Pool
from sync.chart import attach_chart
from sync.daily import daily_report_due, daily_report_line
from sync.intake.note import origin_block
from sync.intake.plan import plan_inbox
from sync.layout import WORKING_TABS, check_layout
from sync.messages import join, say
from sync.model import (
    CellChange,
    CellValue,
    LogLine,
    NewRow,
    Plan,
    Request,
    RowAnchor,
    SheetRow,
    Snapshot,
    StockItem,
    Table,
    Volunteer,
    is_blank,
    same_value,
)
from sync.recurring import merge_series_note, plan_series
from sync.rules import Rules, TimedRule
from sync.schema import Locale, Schema, load_schema, normalise
from sync.stock import StockPlan, donor_texts, merge_note, plan_stock
from sync.summary import RequestOutcome, build_summary
from sync.validate import (
    PERSONAL,
    RETAINED,
    find_duplicates,
    read_requests,
    read_stock,
    read_volunteers,
    request_fields,
)
from sync.values import format_time, parse_datetime, quote, safe_text, text_of

UNASSIGNED = frozenset({"new", "needs_info", "escalated"})
OPEN_WORK = frozenset({"assigned", "in_progress"})
_ID_NUMBER = re.compile(r"^(?P<prefix>[A-Za-z]+-?)(?P<n>\d+)$")
_NAME_AND_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]\s*$")


@dataclass(frozen=True)
class _Rounded:
    score: float
    parts: list[str]


@dataclass(frozen=True)
class _Unexplained:
    """A request nobody could take, waiting for its note until the pass's last assignment."""

    request: Request
    priority_line: str
    rule: str  # the escalation rule that fired ("" when not escalated)
    extra: list[str]
    fields: dict[str, object]
    escalated_for: float


class _Writer:
    """Collects cell changes and log lines, writing only worker and shared columns."""

    def __init__(self, snapshot: Snapshot, locale: Locale, local_now: datetime) -> None:
        self.snapshot = snapshot
        self.locale = locale
        self.time = format_time(local_now)
        self._changes: dict[tuple[str, int, str], CellChange] = {}
        self.log_lines: list[LogLine] = []
        self.anchors: dict[tuple[str, int], RowAnchor] = {}
        self._writable: set[tuple[str, str]] = set()  # (tab, column) pairs checked once
        self._labels: dict[str, str] = {}  # reasons, actions, rule names: few, repeated often

    def anchor(self, table: Table, row: SheetRow) -> RowAnchor:
        key = (table.tab.key, row.number)
        if key not in self.anchors:
            current = text_of(table.get(row, "id")) or None
            self.anchors[key] = RowAnchor(current, row.number, table.fingerprint(row))
        return self.anchors[key]

    def set(
        self, table: Table, row: SheetRow, key: str, new: CellValue, reason: str, mask: bool = True
    ) -> None:
        if (table.tab.key, key) not in self._writable:
            if table.tab.column(key).owner == "human":  # a planner bug must never lose a human edit
                raise AssertionError(
                    f"the planner tried to write human column {table.tab.key}.{key}"
                )
            self._writable.add((table.tab.key, key))
        if isinstance(new, str):
            new = safe_text(new, mask=mask)
        old = table.get(row, key)
        cell = (table.tab.key, row.number, key)
        if same_value(old, new):
            self._changes.pop(cell, None)  # a later decision may undo an earlier one
            return
        self._changes[cell] = CellChange(
            table.tab.key, self.anchor(table, row), key, old, new, self._label(reason)
        )

    def _label(self, text: str) -> str:
        """safe_text for the few texts that recur on thousands of lines (computed once each)."""
        clean = self._labels.get(text)
        if clean is None:
            clean = self._labels[text] = safe_text(text)
        return clean

    def stamp(self, table: Table, row: SheetRow, key: str, moment: datetime | None = None) -> None:
        """Write a time (the pass's own moment by default); a time is never a phone number."""
        self.set(table, row, key, self.time if moment is None else format_time(moment), "", False)

    def erase(self, table: Table, row: SheetRow, key: str) -> None:
        """Blank a person's details under the retention rule (the only write to their cells)."""
        if key not in PERSONAL or table.tab.key != "requests":
            raise AssertionError(f"retention may blank only personal details, not {key}")
        self._blank(table, row, key)

    def empty_row(self, table: Table, row: SheetRow) -> None:
        """Empty every known cell of a request moved to the Archive (its copy goes with it)."""
        if table.tab.key != "requests":
            raise AssertionError("only closed requests are moved to the Archive")
        for key in table.header.columns:
            self._blank(table, row, key)

    def _blank(self, table: Table, row: SheetRow, key: str) -> None:
        """Plan a cell empty, whoever owns it (callers check that they may)."""
        old = table.get(row, key)
        if not is_blank(old):
            cell = (table.tab.key, row.number, key)
            self._changes[cell] = CellChange(
                table.tab.key, self.anchor(table, row), key, old, "", ""
            )

    def planned(self, table: Table, row: SheetRow, key: str) -> CellValue:
        """What a cell will hold after the pass, as planned so far."""
        change = self._changes.get((table.tab.key, row.number, key))
        return change.new if change else table.get(row, key)

    @property
    def changes(self) -> list[CellChange]:
        """Every planned change, in the order first planned."""
        return list(self._changes.values())

    def log(
        self, ref: str, action: str, rule: str = "", detail: str = "", routine: bool = False
    ) -> None:
        self.log_lines.append(
            LogLine(
                self.time,
                ref,
                self._label(action),
                self._label(rule),
                safe_text(detail, 2000),
                routine,
            )
        )


class _FewerCollections:
    """Raise the garbage collector's first threshold while plans are being built.

    Planning allocates a few hundred thousand small objects that all stay alive (the plan), and
    the default threshold (700) makes Python walk them again and again: about a sixth of the
    planning time at 10,000 requests. Collections still run, just less often. Passes of a fleet
    plan in threads, so the first to enter raises the threshold and the last to leave restores it.
    """

    THRESHOLD = 50_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._saved = gc.get_threshold()

    def __enter__(self) -> None:
        with self._lock:
            if self._inside == 0:
                self._saved = gc.get_threshold()
                if (
                    self._saved[0] and self._saved[0] < self.THRESHOLD
                ):  # 0: the caller turned it off
                    gc.set_threshold(self.THRESHOLD, *self._saved[1:])
            self._inside += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0:
                gc.set_threshold(*self._saved)


_fewer_collections = _FewerCollections()


def build_plan(
    snapshot: Snapshot,
    rules: Rules,
    now: datetime,
    tz: ZoneInfo,
    schema: Schema | None = None,
) -> Plan:
    """Plan one pass over a snapshot at a moment; raises SchemaError on a missing column."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    with _fewer_collections:
        return _build_plan(snapshot, rules, now, tz, schema)


def _build_plan(
    snapshot: Snapshot, rules: Rules, now: datetime, tz: ZoneInfo, schema: Schema | None
) -> Plan:
    schema = schema or load_schema()
    new_tabs, new_columns = check_layout(snapshot, schema)
    local = now.astimezone(tz)
    requests = snapshot.table("requests")
    numbered = number_rows(requests) if requests is not None else ({}, [])
    series = plan_series(snapshot, rules, schema, local, tz, format_time(local), numbered[0])
    # new Inbox messages become request rows below those, planned like any request this pass
    intake = plan_inbox(series.snapshot, rules, schema, local, tz)
    planner = _Pass(intake.snapshot, rules, local, tz, schema)
    if requests is not None and intake.snapshot.table("requests") is requests:
        planner.numbered[requests.tab.key] = numbered  # no new rows: the same numbering
    planner.series_notes = series.notes
    plan = intake.fold(series.fold(planner.run(new_tabs, new_columns)))
    return replace(plan, intake=intake.preview()) if intake.origins or intake.changes else plan


def number_rows(table: Table) -> tuple[dict[int, str], list[tuple[SheetRow, str, str, int]]]:
    """Every non-blank row's id after the pass (row number → id), and the rows that get a new
    one: (row, new id, the id it had when it copied another row's, that row's number)."""
    prefix = table.tab.id_prefix
    highest = 0
    texts = {row.number: text_of(table.get(row, "id")) for row in table.rows}
    for text in texts.values():
        match = _ID_NUMBER.match(text)
        if match and match["prefix"].upper() == prefix.upper():
            highest = max(highest, int(match["n"]))
    ids: dict[int, str] = {}
    fresh: list[tuple[SheetRow, str, str, int]] = []
    first_row: dict[str, int] = {}
    for row in table.data_rows:
        text = texts[row.number]
        ref = text.casefold()
        if text and ref not in first_row:
            first_row[ref] = row.number
            ids[row.number] = text
            continue
        highest += 1
        new = f"{prefix}{highest:04d}"
        ids[row.number] = new
        fresh.append((row, new, text, first_row.get(ref, 0)))
    return ids, fresh


class _Pass:
    def __init__(
        self, snapshot: Snapshot, rules: Rules, now: datetime, tz: ZoneInfo, schema: Schema
    ) -> None:
        self.snapshot = snapshot
        self.rules = rules
        self.now = now
        # the pass's moment as the sheet will hold it (to the minute): every figure made from a
        # time this pass writes uses this, so the next pass, reading it back, finds the same
        self.written_now = now.replace(second=0, microsecond=0)
        self.tz = tz
        self.schema = schema
        self.locale: Locale = snapshot.locale
        self.out = _Writer(snapshot, self.locale, now)
        self.ids: dict[tuple[str, int], str] = {}
        self.stats: dict[str, int] = {}
        self.scores: dict[int, float] = {}  # request row → priority computed this pass
        self.problems: list[str] = []
        self.series_notes: Mapping[int, str] = {}  # request row → its recurring-series line
        self.numbered: dict[str, tuple[dict[int, str], list[tuple[SheetRow, str, str, int]]]] = {}
        self.unexplained: list[_Unexplained] = []

    # -- helpers --------------------------------------------------------------------------------

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def say(self, code: str, **fields: object) -> str:
        return say(self.locale, code, **fields)

    def status_label(self, key: str) -> str:
        return self.schema.choice_list("request_status").label(key, self.locale)

    def problem_text(self, problems: Iterable[object]) -> list[str]:
        texts = []
        for p in problems:
            fields = {"column": p.column, "value": p.value}  # type: ignore[attr-defined]
            texts.append(self.say(p.code, **fields))  # type: ignore[attr-defined]
        return texts

    # -- the pass ---------------------------------------------------------------------------------

    def run(self, new_tabs: tuple[str, ...], new_columns: tuple[object, ...]) -> Plan:
        for key in WORKING_TABS:
            table = self.snapshot.table(key)
            if table is not None:
                self.give_ids(table)
        volunteers = self.volunteers()
        outcomes, loads = self.requests(volunteers)
        self.keep_origins()
        self.note_series()
        self.volunteer_figures(volunteers, loads)
        stock_table = self.snapshot.table("stock")
        stock: list[StockItem] = []
        stock_plan: StockPlan | None = None
        if stock_table is not None:
            stock = read_stock(stock_table, self.schema, self.rules, self.locale, self.tz, self.now)
            stock_plan = self.stock(stock_table, stock, outcomes)
        archived, new_tabs = self.archive(outcomes, new_tabs)
        for column in new_columns:
            self.out.log("", self.say("log_column"), "", f"{column.tab}: {column.header}")  # type: ignore[attr-defined]
        self.stats["changes"] = len(self.out.changes)
        summary, report = build_summary(
            outcomes,
            {self.vid(v): v for v in volunteers},
            stock,
            stock_plan,
            self.rules,
            self.schema,
            self.locale,
            self.now,
            self.stats,
            self.archived_outcomes(outcomes),
        )
        summary, chart = attach_chart(summary, outcomes, self.schema, self.locale, self.now)
        report_due = daily_report_due(self.snapshot, self.rules, self.now)
        if report_due:
            self.out.log(report_due, *daily_report_line(self.rules, self.locale, report))
        return Plan(
            new_rows=archived,
            report_due=report_due,
            chart=chart,
            changes=tuple(self.out.changes),
            new_columns=tuple(new_columns),  # type: ignore[arg-type]
            new_tabs=new_tabs,
            log=tuple(self.out.log_lines),
            summary=summary,
            report=report,
            problems=tuple(self.problems),
            stats=dict(self.stats),
            time=self.out.time,
        )

    def archive(
        self, outcomes: list[RequestOutcome], new_tabs: tuple[str, ...]
    ) -> tuple[tuple[NewRow, ...], tuple[str, ...]]:
        """Move requests closed long enough ago to the Archive tab: a copy appended there, the
        row emptied here, both in the same write (the backend holds one back without the other).
        """
        days = self.rules.archive_days
        if days is None:
            return (), new_tabs
        table = self.request_table
        archive = self.snapshot.table("archive")
        due: list[RequestOutcome] = []
        for outcome in outcomes:
            request = outcome.request
            if outcome.status not in ("delivered", "cancelled") or not request.id:
                continue
            if self.settled_for(request, days):
                due.append(outcome)
        if not due:
            return (), new_tabs
        tab_title = archive.title if archive else self.schema.tab("archive").title(self.locale)
        if archive is None:  # this pass adds the tab; the next one moves the rows
            return (), (*new_tabs, "archive") if "archive" not in new_tabs else new_tabs
        held = {text_of(archive.get(row, "id")).casefold() for row in archive.rows}
        moved: list[NewRow] = []
        for outcome in sorted(due, key=lambda o: o.request.row.number):
            row = outcome.request.row
            rid = outcome.request.id or ""
            if rid.casefold() in held:
                self.problems.append(
                    f"{table.title} row {row.number}: "
                    + self.say("archive_duplicate", id=rid, tab=tab_title)
                )
                continue
            cells = tuple(
                (key, value)
                for key in table.header.columns
                if not is_blank(value := self.out.planned(table, row, key))
            )
            lacking = [key for key, _value in cells if archive.col(key) is None]
            if lacking:
                label = table.tab.column(lacking[0]).label(self.locale)
                self.problems.append(
                    f"{table.title} row {row.number}: "
                    + self.say("archive_column", id=rid, tab=tab_title, column=label)
                )
                continue
            anchor = self.out.anchor(table, row)
            moved.append(NewRow("archive", rid, cells, depends_on=anchor, depends_tab="requests"))
            self.out.empty_row(table, row)
            self.out.log(
                rid,
                self.say("log_archive"),
                "",
                self.say("archive_days", days=f"{days:g}", tab=tab_title),
            )
            self.count("archived")
        return tuple(moved), new_tabs

    def keep_origins(self) -> None:
        """A request made from an Inbox message keeps the lines its note started with (which
        row it came from, what to check), whatever the pass writes below them."""
        table = self.request_table
        for row in table.rows:
            block = origin_block(text_of(table.get(row, "sync_note")))
            if not block:
                continue
            planned = text_of(self.out.planned(table, row, "sync_note"))
            lines = planned.split("\n") if planned else []
            if lines[: len(block)] != block:
                rest = [x for x in lines if x not in block]
                self.out.set(table, row, "sync_note", "\n".join([*block, *rest]), "")

    def note_series(self) -> None:
        """Each recurring request's series line in its note (see sync.recurring)."""
        table = self.request_table
        for row in table.rows:
            line = self.series_notes.get(row.number, "")
            note = text_of(self.out.planned(table, row, "sync_note"))
            if line or note:
                self.out.set(table, row, "sync_note", merge_series_note(note, line), "")

    # -- stock --------------------------------------------------------------------------------

    def stock(
        self, table: Table, stock: list[StockItem], outcomes: list[RequestOutcome]
    ) -> StockPlan:
        """Reserve, release and hand out donated lots; write both sides of each match."""
        requests = self.request_table
        order = sorted(
            outcomes,
            key=lambda o: (
                -self.scores.get(o.request.row.number, _score(o.request.priority)),
                o.request.submitted_at or self.now,
                o.request.row.number,
            ),
        )
        plan = plan_stock(
            order,
            {o.request.row.number: self.row_id(requests, o.request.row) for o in outcomes},
            stock,
            {item.row.number: self.row_id(table, item.row) for item in stock},
            self.rules,
            self.locale,
            self.now,
            donor_texts(table),
            self.schema,
        )
        for item in stock:
            lines = self.problem_text(item.problems)
            for text in lines:
                ref = self.row_id(table, item.row)
                self.problems.append(f"{table.title} row {item.row.number} ({ref}): {text}")
            lot = plan.lot(item.row.number)
            if lot is not None:
                if lot.status_label is not None:
                    self.out.set(table, item.row, "status", lot.status_label, "")
                self.out.set(table, item.row, "reserved_for", lot.reserved_for, "")
                lines += lot.note_lines
            self.out.set(table, item.row, "sync_note", "\n".join(lines), "")
        by_row = {o.request.row.number: o.request for o in outcomes}
        for matched in plan.requests:
            request = by_row[matched.row]
            self.out.set(requests, request.row, "stock", matched.stock, "")
            planned = self.out.planned(requests, request.row, "sync_note")
            merged = merge_note(text_of(planned), [safe_text(x) for x in matched.note_lines])
            if merged != planned:  # most requests hold no stock: their note stays as planned
                self.out.set(requests, request.row, "sync_note", merged, "")
        for entry in plan.log:
            self.out.log(entry.ref, entry.action, entry.rule, entry.detail)
        for key, value in plan.stats.items():
            if value:
                self.count(key, value)
        return plan

    # -- ids ------------------------------------------------------------------------------------

    def give_ids(self, table: Table) -> None:
        """Ids for rows that have none, and fresh ids for copies of another row's id."""
        ids, fresh = self.numbered.get(table.tab.key) or number_rows(table)
        for number, ref in ids.items():
            self.ids[(table.tab.key, number)] = ref
        action = self.say("log_id")
        for row, new, text, first in fresh:
            self.out.set(table, row, "id", new, action)
            if text:
                detail = self.say("duplicate_id", value=text, other=first, new=new)
                self.problems.append(f"{table.title} row {row.number}: {detail}")
                self.out.log(new, action, "", detail)
            else:
                self.out.log(new, action, "", f"{table.title} #{row.number}", True)
            self.count("ids")

    def row_id(self, table: Table, row: SheetRow) -> str:
        return self.ids.get((table.tab.key, row.number), "")

    # -- volunteers ---------------------------------------------------------------------------

    def volunteers(self) -> list[Volunteer]:
        table = self.snapshot.table("volunteers")
        assert table is not None
        records = read_volunteers(table, self.schema, self.rules, self.locale)
        by_name: dict[str, list[Volunteer]] = {}
        for v in records:
            if v.name:
                by_name.setdefault(normalise(v.name), []).append(v)
        self.by_id = {self.row_id(table, v.row).casefold(): v for v in records}
        self.by_name = by_name
        self.volunteer_table = table
        return records

    def vid(self, v: Volunteer) -> str:
        return self.row_id(self.volunteer_table, v.row)

    def display(self, v: Volunteer) -> str:
        """What the worker types into Volunteer: the name, or name (id) when names repeat."""
        if len(self.by_name.get(normalise(v.name), [])) > 1:
            return f"{v.name} ({self.vid(v)})"
        return v.name

    def resolve(self, text: str) -> tuple[Volunteer | None, str]:
        """The volunteer a typed name or id means, or None and a note line."""
        hit = self.by_id.get(text.casefold())
        if hit:
            return hit, ""
        match = _NAME_AND_ID.match(text)
        if match:
            hit = self.by_id.get(match["id"].casefold())
            if hit:
                return hit, ""
        same = self.by_name.get(normalise(text), [])
        if len(same) == 1:
            return same[0], ""
        if len(same) > 1:
            ids = join(self.locale, [self.vid(v) for v in same])
            return None, self.say("ambiguous_volunteer", value=quote(text), ids=ids)
        return None, self.say("unknown_volunteer", value=quote(text))

    def archived_outcomes(self, live: list[RequestOutcome]) -> list[RequestOutcome]:
        """The Archive tab's requests, read as requests (the totals people expect include them);
        one whose id is still on the Requests tab (a move not finished) counts there only."""
        archive = self.snapshot.table("archive")
        if archive is None:
            return []
        as_requests = replace(archive, tab=self.schema.tab("requests"))
        ids = {o.request.id.casefold() for o in live if o.request.id}
        records = read_requests(
            as_requests, self.schema, self.rules, self.locale, self.tz, self.now
        )
        return [
            RequestOutcome(r, r.status, "", r.assigned_at, r.delivered_at)
            for r in records
            if not (r.id and r.id.casefold() in ids)
        ]

    def archived_deliveries(self) -> dict[str, int]:
        """Deliveries already moved to the Archive tab, per volunteer id (they still count)."""
        archive = self.snapshot.table("archive")
        if archive is None or archive.col("status") is None or archive.col("volunteer") is None:
            return {}
        statuses = self.schema.choice_list("request_status")
        counts: dict[str, int] = {}
        for row in archive.rows:
            if statuses.parse(archive.get(row, "status")) != "delivered":
                continue
            hit, _line = self.resolve(text_of(archive.get(row, "volunteer")))
            if hit is not None:
                counts[self.vid(hit)] = counts.get(self.vid(hit), 0) + 1
        return counts

    def volunteer_figures(self, volunteers: list[Volunteer], loads: dict[str, Load]) -> None:
        table = self.volunteer_table
        archived = self.archived_deliveries()
        for v in volunteers:
            vid = self.vid(v)
            load = loads.get(vid, Load())
            if archived.get(vid):
                load = replace(load, delivered=load.delivered + archived[vid])
            previous = parse_datetime(table.get(v.row, "last_assigned"), self.tz, self.now)
            last = max((t for t in (load.last, previous) if t), default=None)
            self.out.set(table, v.row, "open", load.open, "")
            self.out.set(table, v.row, "delivered", load.delivered, "")
            if last is not None:
                self.out.stamp(table, v.row, "last_assigned", last)
            lines = self.problem_text(v.problems)
            others = [o for o in self.by_name.get(normalise(v.name), []) if o is not v]
            if others:
                names = join(self.locale, [self.vid(o) for o in others])
                lines.append(self.say("duplicate_name", others=names, id=vid))
            for text in lines:
                self.problems.append(f"{table.title} row {v.row.number} ({vid}): {text}")
            self.out.set(table, v.row, "sync_note", "\n".join(lines), "")

    # -- requests ---------------------------------------------------------------------------------

    def requests(self, volunteers: list[Volunteer]) -> tuple[list[RequestOutcome], dict[str, Load]]:
        table = self.snapshot.table("requests")
        assert table is not None
        self.request_table = table
        records = [
            self.as_written(table, r)
            for r in read_requests(table, self.schema, self.rules, self.locale, self.tz, self.now)
        ]
        duplicates = find_duplicates(records, self.rules)
        self.first_request: dict[str, str] = {}  # phone → id of that resident's first request
        for record in sorted(records, key=lambda r: (r.submitted_at or self.now, r.row.number)):
            if record.phone:
                self.first_request.setdefault(record.phone, self.row_id(table, record.row))
        loads: dict[str, Load] = {}
        outcomes: dict[int, RequestOutcome] = {}
        queue: list[tuple[Request, list[str]]] = []
        for request in records:
            outcome, extra = self.settle(request, duplicates)
            if outcome is None:
                queue.append((request, extra))
                continue
            outcomes[request.row.number] = outcome
        for outcome in outcomes.values():
            self.add_load(loads, outcome)
        pool = Pool(
            self.rules,
            self.now,
            [v for v in volunteers if v.name],
            loads,
            {v.row.number: self.vid(v) for v in volunteers},
        )
        scored = [(self.priority(r), r, extra) for r, extra in queue]
        scored.sort(
            key=lambda item: (-item[0].score, item[1].submitted_at or self.now, item[1].row.number)
        )
        for rounded, request, extra in scored:
            self.scores[request.row.number] = rounded.score
            outcome = self.assign(request, rounded, extra, pool)
            outcomes[request.row.number] = outcome
        self.explain_unassigned(pool)
        ordered = [outcomes[r.row.number] for r in records]
        for v in volunteers:  # delivered counts and last-assigned come from every request
            loads.setdefault(self.vid(v), Load())
        final: dict[str, Load] = {vid: Load() for vid in loads}
        for outcome in ordered:
            self.add_load(final, outcome)
        return ordered, final

    @staticmethod
    def add_load(loads: dict[str, Load], outcome: RequestOutcome) -> None:
        if not outcome.volunteer_id:
            return
        load = loads.setdefault(outcome.volunteer_id, Load())
        if outcome.status in OPEN_WORK:
            load.open += 1
        elif outcome.status == "delivered":
            load.delivered += 1
        if outcome.assigned_at and (load.last is None or outcome.assigned_at > load.last):
            load.last = outcome.assigned_at

    def settle(
        self, request: Request, duplicates: dict[int, Request]
    ) -> tuple[RequestOutcome | None, list[str]]:
        """Decide everything but automatic assignment; None means 'queue for assignment'."""
        table = self.request_table
        row = request.row
        rid = self.row_id(table, row)
        for text in self.problem_text(request.problems):
            self.problems.append(f"{table.title} row {row.number} ({rid}): {text}")
        extra: list[str] = []
        earlier = duplicates.get(row.number)
        if earlier is not None:
            other = self.row_id(table, earlier.row) or f"#{earlier.row.number}"
            hours = f"{self.rules.duplicate_window_hours:g}"
            extra.append(self.say("duplicate_request", other=other, hours=hours))
        status = request.status
        if status is None and request.status_text:  # unreadable status: hands off
            self.keep_note(request, self.problem_text(request.problems))
            return self.outcome(request, None, request.volunteer_text), extra
        if is_blank(table.get(row, "submitted_at")):
            self.out.stamp(table, row, "submitted_at")
        volunteer, volunteer_line = (None, "")
        if request.volunteer_text:
            volunteer, volunteer_line = self.resolve(request.volunteer_text)
        vid = self.vid(volunteer) if volunteer else ""
        current = status or "new"

        if current in ("delivered", "cancelled", "in_progress"):
            if current == "in_progress" and request.assigned_at is None:
                self.out.stamp(table, row, "assigned_at")
            if current == "delivered" and request.delivered_at is None:
                self.out.stamp(table, row, "delivered_at")
                self.out.log(rid, self.say("log_delivered"), "", request.volunteer_text)
                self.count("delivered")
            lines = [volunteer_line] if volunteer_line else []
            if current == "in_progress":
                lines += self.reminder(request, rid)
            else:
                lines += self.retention(request, rid)
            self.keep_note(request, lines)
            assigned_at = request.assigned_at or (
                self.written_now if current == "in_progress" else None
            )
            delivered_at = request.delivered_at or (
                self.written_now if current == "delivered" else None
            )
            return self.outcome(request, current, vid, assigned_at, delivered_at), extra

        if request.volunteer_text:  # a person claimed it, or the worker assigned it earlier
            if current != "assigned":
                self.set_status(request, rid, current, "assigned", "")
                self.out.log(rid, self.say("log_claim"), "", request.volunteer_text)
                self.count("claimed")
                line = self.say("claimed", volunteer=quote(request.volunteer_text))
                lines = [line, volunteer_line, *self.problem_text(request.problems), *extra]
                lines += self.reminder(request, rid)  # as the next pass would: plan it now
                self.out.set(table, row, "sync_note", "\n".join(x for x in lines if x), "")
            else:
                lines = [volunteer_line, *self.problem_text(request.problems)]
                lines += self.reminder(request, rid)
                self.keep_note(request, [x for x in lines if x])
            assigned_at = request.assigned_at or self.written_now
            if request.assigned_at is None:
                self.out.stamp(table, row, "assigned_at")
            return self.outcome(request, "assigned", vid, assigned_at), extra

        if request.problems:
            texts = self.problem_text(request.problems)
            if current != "needs_info":
                self.set_status(request, rid, current, "needs_info", "")
                self.out.log(rid, self.say("log_problem"), "", join(self.locale, texts, True))
                self.count("needs_info")
            self.out.set(table, row, "sync_note", "\n".join([*texts, *extra]), "")
            return self.outcome(request, "needs_info", ""), extra
        return None, extra

    def outcome(
        self,
        request: Request,
        status: str | None,
        volunteer_id: str,
        assigned_at: datetime | None = None,
        delivered_at: datetime | None = None,
    ) -> RequestOutcome:
        delivered = delivered_at or request.delivered_at
        return RequestOutcome(request, status, volunteer_id, assigned_at, delivered)

    def as_written(self, table: Table, request: Request) -> Request:
        """The request as the next pass reads it back: a blank submitted time becomes this
        pass's own (settle stamps it), so duplicates, waiting and medians see it now already."""
        if request.submitted_at is not None or (request.status is None and request.status_text):
            return request
        if not is_blank(table.get(request.row, "submitted_at")):
            return request  # unreadable: the row's problems say so and nothing is stamped
        return replace(request, submitted_at=self.written_now)

    def set_status(self, request: Request, rid: str, old: str, new: str, rule: str) -> None:
        if old == new and request.status is not None:
            return
        self.out.set(self.request_table, request.row, "status", self.status_label(new), rule)
        if request.status is not None or new != "new":
            detail = self.say("log_status", old=self.status_label(old), new=self.status_label(new))
            self.out.log(rid, detail, rule, "")

    def keep_note(self, request: Request, lines: list[str]) -> None:
        """Keep a settled request's note, adding only lines it lacks (idempotent)."""
        present = request.note.split("\n") if request.note else []
        missing = [x for x in (safe_text(line) for line in lines) if x and x not in present]
        if missing:
            self.out.set(
                self.request_table, request.row, "sync_note", "\n".join(present + missing), ""
            )

    def settled_for(self, request: Request, days: float) -> bool:
        """Whether a closed request's last moment is at least `days` old and it does not repeat
        (a repeating request is the template its next occurrences copy: it stays whole)."""
        table = self.request_table
        if table.col("repeat") is not None and not is_blank(table.get(request.row, "repeat")):
            return False
        moments = [
            t for t in (request.submitted_at, request.assigned_at, request.delivered_at) if t
        ]
        return bool(moments) and self.now - max(moments) >= timedelta(days=days)

    def retention(self, request: Request, rid: str) -> list[str]:
        """Blank a closed request's personal details once the retention period has passed."""
        days = self.rules.retention_days
        if days is None:
            return []
        if not self.settled_for(request, days):
            return []
        table = self.request_table
        if all(is_blank(table.get(request.row, key)) for key in PERSONAL):
            # Already blanked: keep the line that carries the resident code for the figures.
            return [line for line in request.note.splitlines() if RETAINED.search(line)]
        resident = self.first_request.get(request.phone or "", rid) if request.phone else rid
        for key in PERSONAL:
            self.out.erase(table, request.row, key)
        self.out.log(
            rid, self.say("log_retention"), "", self.say("retention_days", days=f"{days:g}")
        )
        self.count("retention")
        return [self.say("retained", days=f"{days:g}", resident=resident)]

    def reminder(self, request: Request, rid: str) -> list[str]:
        since = request.assigned_at
        if since is None:
            return []
        fields = request_fields(request, self.now)
        elapsed = (self.now - since).total_seconds() / 60.0
        rule = _first(self.rules.reminders, fields, elapsed)
        if rule is None:
            return []
        line = self.say("reminder", rule=rule.name.text(self.locale), since=format_time(since))
        if safe_text(line) not in request.note.split("\n"):
            self.out.log(rid, self.say("log_remind"), rule.name.text(self.locale), "")
            self.count("reminders")
        return [line]

    def priority(self, request: Request) -> _Rounded:
        fields = request_fields(request, self.now)
        total = 0.0
        parts = []
        for rule in self.rules.points:
            if rule.when.matches(fields):
                total += rule.points
                parts.append(
                    self.say("p_rule", name=rule.name.text(self.locale), points=_num(rule.points))
                )
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        for wait in self.rules.waiting:
            if wait.when is not None and not wait.when.matches(fields):
                continue
            points = round(min(wait.max, wait.per_minute * waited))
            if points > 0:
                total += points
                parts.append(
                    self.say(
                        "p_wait",
                        name=wait.name.text(self.locale),
                        minutes=int(waited),
                        points=points,
                    )
                )
        return _Rounded(round(total, 1), parts)

    def assign(
        self, request: Request, rounded: _Rounded, extra: list[str], pool: Pool
    ) -> RequestOutcome:
        table = self.request_table
        row = request.row
        rid = self.row_id(table, row)
        current = request.status or "new"
        score = _num(rounded.score)
        self.out.set(table, row, "priority", score, "")
        if rounded.parts:
            priority_line = self.say(
                "priority", score=score, parts=join(self.locale, rounded.parts)
            )
        else:
            priority_line = self.say("priority_none")
        fields = request_fields(request, self.now)
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        fired = _first(self.rules.escalation, fields, waited)
        escalated_for = waited - fired.minutes if fired else -1.0
        choice = pool.choose(request, fields, self.locale, escalated_for)
        if choice is not None:
            v = choice.volunteer
            pool.take(v, self.written_now)
            display = self.display(v)
            # a volunteer's name as typed on the Volunteers tab: copied, never masked, so that the
            # next pass recognises it
            self.out.set(table, row, "volunteer", display, "", mask=False)
            self.set_status(request, rid, current, "assigned", "")
            self.out.stamp(table, row, "assigned_at")
            line = self.say("assigned", volunteer=display, reasons=choice.reasons)
            self.out.set(table, row, "sync_note", "\n".join([priority_line, line, *extra]), "")
            self.out.log(
                rid,
                self.say("log_assign"),
                join(self.locale, rounded.parts),
                f"{display}: {choice.reasons}",
            )
            self.count("assigned")
            return RequestOutcome(request, "assigned", self.vid(v), self.written_now, None)
        new_status = "new"
        rule_name = ""
        if fired is not None or current == "escalated":
            new_status = "escalated"
            rule_name = fired.name.text(self.locale) if fired else self.status_label("escalated")
            if current != "escalated":
                self.count("escalated")
            self.set_status(request, rid, current, new_status, rule_name)
        else:
            self.set_status(request, rid, current, new_status, "")
        # why nobody could take it is written once the pass has made its last assignment
        self.unexplained.append(_Unexplained(request, priority_line, rule_name, extra, fields,
                                             escalated_for))  # fmt: skip
        return RequestOutcome(request, new_status, "", None, None)

    def explain_unassigned(self, pool: Pool) -> None:
        """The notes of requests nobody could take, against the volunteers as the pass leaves
        them (what the next pass starts from), so that a second pass finds them unchanged."""
        for item in self.unexplained:
            why_not = pool.explain(item.request, item.fields, self.locale, item.escalated_for)
            lines = [item.priority_line, self.say("nobody", reasons=why_not)]
            if item.rule:
                lines.append(self.say("escalated", rule=item.rule, reasons=why_not))
            note = "\n".join([*lines, *item.extra])
            self.out.set(self.request_table, item.request.row, "sync_note", note, "")
        self.unexplained.clear()


def _first(
    rules: tuple[TimedRule, ...], fields: dict[str, object], minutes: float
) -> TimedRule | None:
    for rule in rules:
        if minutes >= rule.minutes and (rule.when is None or rule.when.matches(fields)):
            return rule
    return None


def _score(value: CellValue) -> float:
    """A Priority cell as a number (0 when blank or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
