"""Recurring requests: open each series' next occurrence once, as a new Requests row (pure).

A *series* is a request whose Repeat cell names a schedule (its *origin*). Each occurrence is
a new row whose id is the origin's id and the occurrence's date (``R-0012/2022-12-26``), so
whether an occurrence was opened is read from the workbook itself: a row with that id, or a
Log line about it (a deleted occurrence stays deleted). Nothing is kept outside the sheet.

The planner plans the pass over the snapshot *with* the new rows in it (``Series.snapshot``),
so a new occurrence is assigned, scored and noted in the same pass; ``Series.fold`` then turns
the changes planned for those rows into the ``NewRow`` cells the backend appends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.layout import with_appended_rows
from sync.messages import say
from sync.model import (
    CellValue,
    LogLine,
    NewRow,
    Plan,
    SheetRow,
    Snapshot,
    Table,
    is_blank,
)
from sync.outcome import describe_stats
from sync.placement import anchor_of, id_key
from sync.recurrence import Schedule, describe, parse_repeat
from sync.rules import Rules
from sync.schema import Locale, Schema
from sync.validate import OPEN_STATUSES
from sync.values import day_of, format_day, format_time, parse_datetime, safe_text, text_of

MEMBER = re.compile(r"^(?P<origin>.+)/(?P<day>\d{4}-\d{2}-\d{2})$")
#: the resident's details a new occurrence copies from its origin
COPIED = ("name", "phone", "community", "address", "household", "category", "items", "urgency",
          "notes")  # fmt: skip
_LINE = re.compile(r"^(?:由 \S+ 定期生成|定期需求：|Opened by the schedule of |Repeats )")


def word(locale: Locale, key: str, **fields: object) -> str:
    """A recurring-request text (sync/messages/tables.py, ``recurring_*``) in a language."""
    return say(locale, f"recurring_{key}", **fields)


def member_id(origin: str, day: date) -> str:
    """The id of a series' occurrence on a day: R-0012/2022-12-26 (never mistaken for a phone)."""
    return f"{origin}/{format_day(day)}"


def merge_series_note(note: str, line: str) -> str:
    """A note with its previous series line replaced by this one (blank: removed)."""
    lines = note.split("\n") if note else []
    if not line and not any(_LINE.match(x) for x in lines):
        return note
    kept = [x for x in lines if x and not _LINE.match(x)]
    return "\n".join([*kept, *([safe_text(line)] if line else [])])


def _restate(
    summary: tuple[tuple[CellValue, ...], ...], stats: Mapping[str, int]
) -> tuple[tuple[CellValue, ...], ...]:
    """The Summary with its "this pass" line counting the occurrences opened too."""
    labels: dict[object, Locale] = {say("zh", "summary_did"): "zh", say("en", "summary_did"): "en"}
    return tuple(
        (row[0], describe_stats(stats, labels[row[0]]), *row[2:])  # the day table sits beside it
        if row and row[0] in labels
        else row
        for row in summary
    )


@dataclass(frozen=True)
class Series:
    """What the recurring rules decided this pass."""

    snapshot: Snapshot  # the snapshot planned over: the read one plus the new rows
    new_rows: Mapping[int, NewRow] = field(default_factory=dict)  # planned row number → row
    notes: Mapping[int, str] = field(default_factory=dict)  # row number → series note line
    log: tuple[LogLine, ...] = ()

    def fold(self, plan: Plan) -> Plan:
        """Move the changes planned for the new rows into their cells; log the openings."""
        if not self.new_rows:
            return plan
        cells: dict[int, dict[str, CellValue]] = {
            n: dict(row.cells) for n, row in self.new_rows.items()
        }
        kept = []
        for change in plan.changes:
            if change.tab == "requests" and change.anchor.row in cells:
                cells[change.anchor.row][change.column] = change.new
            else:
                kept.append(change)
        rows = tuple(
            replace(row, cells=tuple((k, v) for k, v in cells[n].items() if not is_blank(v)))
            for n, row in sorted(self.new_rows.items())
        )
        stats = dict(plan.stats)
        stats["recurring"] = len(rows)
        return replace(
            plan,
            summary=_restate(plan.summary, stats),
            changes=tuple(kept),
            new_rows=rows + plan.new_rows,
            log=self.log + plan.log,
            stats=stats,
        )


@dataclass(frozen=True)
class _Origin:
    row: SheetRow
    id: str
    schedule: Schedule
    first: datetime


def plan_series(
    snapshot: Snapshot,
    rules: Rules,
    schema: Schema,
    now: datetime,
    tz: ZoneInfo,
    time_text: str,
    ids: Mapping[int, str] | None = None,
) -> Series:
    """Which occurrences fall due at `now` and are not in the workbook yet.

    `ids` (sheet row → id) gives the ids this pass writes on rows that have none yet, so a
    request may open its first occurrence on the pass that numbers it.
    """
    ids = ids or {}
    table = snapshot.table("requests")
    if table is None or table.col("repeat") is None or table.col("id") is None:
        return Series(snapshot)
    locale = snapshot.locale
    rows_by_id: dict[str, SheetRow] = {}
    row_ids: dict[int, str] = {}
    pending: dict[int, str | None] = {}  # rows whose id this pass writes: the new row waits on it
    for row in table.rows:
        ref = text_of(table.get(row, "id"))
        final = ids.get(row.number, ref)
        if final and final != ref:
            pending[row.number] = ref or None
        if final and id_key(final) not in rows_by_id:
            rows_by_id[id_key(final)] = row
            row_ids[row.number] = final
    members: dict[str, dict[date, SheetRow]] = {}  # origin id (folded) → day → row
    origins: list[_Origin] = []
    notes: dict[int, str] = {}
    for ref, row in rows_by_id.items():
        match = MEMBER.match(ref)
        if match and match["origin"] in rows_by_id:
            day = day_of(match["day"])
            if day is not None:
                members.setdefault(match["origin"], {})[day] = row
                origin_text = row_ids[rows_by_id[match["origin"]].number]
                notes[row.number] = word(locale, "member", origin=origin_text)
                continue
        raw = table.get(row, "repeat")
        if is_blank(raw):
            continue
        first = parse_datetime(table.get(row, "submitted_at"), tz, now)
        if first is None:
            continue
        schedule = parse_repeat(raw, first.date())
        if schedule is not None:
            origins.append(_Origin(row, row_ids[row.number], schedule, first))
    if not origins:
        return Series(snapshot, notes=notes)
    logged = _logged_refs(snapshot.table("log"))
    statuses = schema.choice_list("request_status")
    new_rows: dict[int, NewRow] = {}
    log: list[LogLine] = []
    next_number = max([table.header.header_row, *(r.number for r in table.rows)]) + 1
    for origin in sorted(origins, key=lambda o: o.row.number):
        key = id_key(origin.id)
        done = members.get(key, {})
        schedule = origin.schedule
        minute = schedule.minute if schedule.minute is not None else rules.recurring_time
        line = word(locale, "origin", schedule=describe(schedule, locale))
        latest_day = max(done, default=None)
        if latest_day is not None:
            latest_id = row_ids[done[latest_day].number]
            line += word(locale, "sep") + word(locale, "latest", id=latest_id)
        notes[origin.row.number] = line
        if not rules.recurring_on:
            continue
        ahead = now + timedelta(hours=rules.recurring_ahead_hours)
        day = schedule.latest(ahead.date(), origin.first.date())
        if day is not None and _moment(day, minute, tz) > ahead:
            day = schedule.latest(day - timedelta(days=1), origin.first.date())
        if day is None or (latest_day is not None and day <= latest_day):
            continue
        new_id = member_id(origin.id, day)
        if id_key(new_id) in rows_by_id or id_key(new_id) in logged:
            continue
        previous = done[latest_day] if latest_day is not None else origin.row
        due = format_time(_moment(day, minute, tz))
        if rules.recurring_wait and _still_open(table, previous, statuses):
            previous_id = row_ids[previous.number]
            notes[origin.row.number] = (
                line + word(locale, "sep") + word(locale, "waiting", due=due, previous=previous_id)
            )
            continue
        cells: dict[str, CellValue] = {}
        for copied in COPIED:
            value = table.get(origin.row, copied)
            if is_blank(value) and latest_day is not None:
                value = table.get(done[latest_day], copied)  # details blanked on the origin
            cells[copied] = value
        member_line = word(locale, "member", origin=origin.id)
        cells.update(
            id=new_id,
            submitted_at=due,
            status=statuses.label("new", locale),
            sync_note=member_line,
        )
        waits_on = None
        if origin.row.number in pending:  # the anchor's digest only for rows that need it
            waits_on = anchor_of(table, origin.row, pending[origin.row.number])
        new_rows[next_number] = NewRow(
            "requests", new_id, tuple(cells.items()), word(locale, "log_action"), waits_on
        )
        notes[next_number] = member_line
        notes[origin.row.number] = (
            word(locale, "origin", schedule=describe(schedule, locale))
            + word(locale, "sep")
            + word(locale, "latest", id=new_id)
        )
        log.append(
            LogLine(
                time_text,
                new_id,
                word(locale, "log_action"),
                describe(schedule, locale),
                word(locale, "log_detail", origin=origin.id, due=due),
            )
        )
        next_number += 1
    if not new_rows:
        return Series(snapshot, notes=notes)
    return Series(
        with_appended_rows(snapshot, table, {n: r.cells for n, r in new_rows.items()}),
        new_rows,
        notes,
        tuple(log),
    )


def _moment(day: date, minute: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tz)


def _still_open(table: Table, row: SheetRow, statuses: object) -> bool:
    text = text_of(table.get(row, "status"))
    if not text:
        return True  # blank: the worker makes it new
    status = statuses.parse(text)  # type: ignore[attr-defined]
    return status is None or status in OPEN_STATUSES


def _logged_refs(log: Table | None) -> frozenset[str]:
    """Every id the Log mentions (folded): an occurrence logged once is never opened again."""
    if log is None or log.col("ref") is None:
        return frozenset()
    return frozenset(id_key(text_of(log.get(row, "ref"))) for row in log.rows)
