"""New Inbox messages become request rows, planned with the rest of the pass (pure).

A message is *new* while its Inbox row has a message and no request id. Each new message that
asks for something becomes a request row added to the snapshot before the pass plans
(``Intake.snapshot``), so the same pass numbers, scores and assigns it like any request;
``Intake.fold`` then turns the changes planned for that row into the ``NewRow`` the backend
appends, and writes the request's id and a note into the Inbox row. The new row depends on
the Inbox row (``NewRow.depends_on``): both land in the same write or neither does, so a pass
that stops between them leaves the message new, and the rerun makes the request once.

Once a row holds a request id its message is never read again: editing it changes nothing,
and a second pass makes nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sync.intake.note import describe, remarks
from sync.intake.reading import Reading, context_from, read_message
from sync.layout import with_appended_rows
from sync.messages import say
from sync.model import (
    CellChange,
    CellValue,
    LogLine,
    NewRow,
    Plan,
    RowAnchor,
    SheetRow,
    Snapshot,
    Table,
)
from sync.placement import anchor_of
from sync.rules import Rules
from sync.schema import Schema
from sync.values import format_time, parse_datetime, safe_text, text_of

_TEXT_FIELDS = ("name", "phone", "community", "address", "items")
_CHOICE_FIELDS = ("household", "category", "urgency")


@dataclass(frozen=True)
class _Origin:
    """The Inbox row a planned request row comes from."""

    row: SheetRow
    reading: Reading
    line: str  # the request note's first line: which Inbox row it came from


@dataclass(frozen=True)
class Intake:
    """What the Inbox decided this pass."""

    snapshot: Snapshot  # the snapshot to plan over: the read one plus the new request rows
    schema: Schema
    origins: Mapping[int, _Origin] = field(default_factory=dict)  # request row → Inbox row
    cells: Mapping[int, tuple[tuple[str, CellValue], ...]] = field(default_factory=dict)
    changes: tuple[CellChange, ...] = ()  # Inbox notes on messages that make no request
    problems: tuple[str, ...] = ()
    time: str = ""

    def preview(self) -> tuple[str, ...]:
        """For `check` and `--dry-run`: what each new message becomes, one entry per Inbox row."""
        inbox = self.snapshot.table("inbox")
        if inbox is None:
            return self.problems
        locale = self.snapshot.locale
        found = [
            (origin.row.number, describe(origin.reading, locale, self.schema))
            for origin in self.origins.values()
        ]
        found += [(c.anchor.row, str(c.new)) for c in self.changes if c.column == "sync_note"]
        lines = [
            say(
                locale,
                "row_problem",
                where=say(locale, "row_at", tab=inbox.title, row=row),
                text=text.replace("\n", say(locale, "list_sep")),
            )
            for row, text in sorted(found)
        ]
        return (*self.problems, *lines)

    def fold(self, plan: Plan) -> Plan:
        """Move the changes planned for the new rows into their cells; link the Inbox rows."""
        if not self.origins:
            if not self.changes and not self.problems:
                return plan
            return replace(
                plan,
                changes=plan.changes + self.changes,
                problems=plan.problems + self.problems,
            )
        inbox = self.snapshot.table("inbox")
        assert inbox is not None  # origins come from its rows
        locale = self.snapshot.locale
        cells = {n: dict(c) for n, c in self.cells.items()}
        kept = []
        for change in plan.changes:
            if change.tab == "requests" and change.anchor.row in cells:
                cells[change.anchor.row][change.column] = change.new
            else:
                kept.append(change)
        rows: list[NewRow] = []
        links: list[CellChange] = []
        log: list[LogLine] = []
        for number, origin in sorted(self.origins.items()):
            planned = cells[number]
            rid = text_of(planned.get("id"))
            if not rid:
                continue  # the pass numbers every row; a row without an id is not written
            note = text_of(planned.get("sync_note"))
            if not note.startswith(origin.line):  # later passes keep it on top (keep_origins)
                planned["sync_note"] = "\n".join(x for x in (origin.line, note) if x)
            anchor = _anchor(inbox, origin.row)
            action = say(locale, "intake_log_action")
            rows.append(
                NewRow(
                    "requests",
                    rid,
                    tuple((k, v) for k, v in planned.items() if v not in (None, "")),
                    action,
                    depends_on=anchor,
                    depends_tab="inbox",
                )
            )
            inbox_note = safe_text(
                say(locale, "intake_made", id=rid)
                + "\n"
                + describe(origin.reading, locale, self.schema)
            )
            links.extend(_inbox_changes(inbox, origin.row, rid, inbox_note, self.time, action))
            detail = say(locale, "intake_log_detail", tab=inbox.title, row=origin.row.number)
            log.append(LogLine(self.time, rid, action, "", detail))
        stats = dict(plan.stats)
        stats["inbox"] = len(rows)
        return replace(
            plan,
            changes=(*kept, *links, *self.changes),
            new_rows=(*rows, *plan.new_rows),
            log=(*log, *plan.log),
            problems=plan.problems + self.problems,
            stats=stats,
        )


def plan_inbox(
    snapshot: Snapshot, rules: Rules, schema: Schema, now: datetime, tz: ZoneInfo
) -> Intake:
    """Which Inbox messages are new at `now`, and the request row each one becomes."""
    time_text = format_time(now)
    inbox = snapshot.table("inbox")
    requests = snapshot.table("requests")
    if inbox is None or requests is None:
        return Intake(snapshot, schema, time=time_text)
    locale = snapshot.locale
    if inbox.col("message") is None or inbox.col("request") is None:
        # without a column for the request's id a message would make a new request every pass
        missing = "message" if inbox.col("message") is None else "request"
        label = schema.tab("inbox").column(missing).label(locale)
        return Intake(
            snapshot, schema, problems=(f"{inbox.title}: no column {label}",), time=time_text
        )
    vocabulary = rules.intake.with_synonyms(s.words for s in rules.synonyms)
    volunteers = _volunteer_names(snapshot)
    statuses = schema.choice_list("request_status")
    origins: dict[int, _Origin] = {}
    cells: dict[int, tuple[tuple[str, CellValue], ...]] = {}
    notes: list[CellChange] = []
    next_number = max([requests.header.header_row, *(r.number for r in requests.rows)]) + 1
    for row in inbox.data_rows:
        if text_of(inbox.get(row, "request")):
            continue  # its request exists: the message is never read again
        message = text_of(inbox.get(row, "message"))
        source = text_of(inbox.get(row, "source"))
        if not message.strip():
            continue
        context = context_from(rules, volunteers, source)
        reading = read_message(message, vocabulary, context)
        if not reading.asks:
            note = safe_text(describe(reading, locale, schema))
            notes.extend(_inbox_changes(inbox, row, "", note, time_text, ""))
            continue
        received = parse_datetime(inbox.get(row, "received_at"), tz, now)
        line = say(locale, "intake_from", tab=inbox.title, row=row.number)
        extra = remarks(
            reading, locale, schema
        )  # split it, estate unclear: said on the request too
        values: dict[str, CellValue] = {
            "submitted_at": format_time(received) if received else time_text,
            "status": statuses.label("new", locale),
            "notes": safe_text(message),
        }
        for key in _TEXT_FIELDS:
            values[key] = getattr(reading, key) or None
        for key in _CHOICE_FIELDS:
            option = getattr(reading, key)
            values[key] = schema.choice_list(key).label(option, locale) if option else None
        origins[next_number] = _Origin(row, reading, safe_text("\n".join([line, *extra])))
        cells[next_number] = tuple(values.items())
        next_number += 1
    grown = with_appended_rows(snapshot, requests, cells) if cells else snapshot
    return Intake(grown, schema, origins, cells, tuple(notes), time=time_text)


def _inbox_changes(
    inbox: Table, row: SheetRow, rid: str, note: str, time_text: str, reason: str
) -> list[CellChange]:
    """The Inbox cells the worker owns for a row: request id, note, and the time if blank."""
    anchor = _anchor(inbox, row)
    changes = []
    wanted: list[tuple[str, CellValue]] = [("sync_note", note)]
    if rid:
        wanted.insert(0, ("request", rid))
    if inbox.col("received_at") is not None and text_of(inbox.get(row, "received_at")) == "":
        wanted.append(("received_at", time_text))
    for key, new in wanted:
        if inbox.col(key) is None:
            continue
        old = inbox.get(row, key)
        if text_of(old) != text_of(new):
            changes.append(CellChange("inbox", anchor, key, old, new, reason))
    return changes


def _anchor(inbox: Table, row: SheetRow) -> RowAnchor:
    return anchor_of(inbox, row, None)  # Inbox rows have no id: position and content


def _volunteer_names(snapshot: Snapshot) -> list[str]:
    table = snapshot.table("volunteers")
    if table is None:
        return []
    return [name for row in table.data_rows if (name := text_of(table.get(row, "name")))]
