"""What people should hear about after a pass: events derived from the Log and the plan (pure).

Request events come from the decision lines in the Log tab (the lines already there, plus the
lines this pass wrote): an assignment (`派单`/assign), an escalation (a status line ending in
`→ 待协调`/`→ escalated`) and a reminder (`提醒`/remind). The Log is written in the same save
as the decision itself, so it is a durable outbox: a decision that reached the sheet always has
its line, and a crash after the write cannot lose the event. The daily report is an event per
day. Each event's id is built only from what the Log and the date say, so a rerun derives the
same ids and the notifier can tell what it already sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sync.messages import say
from sync.model import CellChange, CellValue, LogLine, Plan, Snapshot
from sync.schema import Locale, Schema
from sync.values import mask_phone, parse_datetime, text_of

KINDS = ("assignment", "escalation", "reminder", "report")
NOTIFIED = {"zh": "已通知", "en": "notified"}
FAILED = {"zh": "通知失败", "en": "notify failed"}
_NAME_AND_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]\s*$")


@dataclass(frozen=True)
class Event:
    """Something a channel may announce, with a stable id and what a message may say."""

    id: str
    kind: str
    ref: str  # request id; "" for the daily report
    time: datetime  # when the decision was logged (the report: the pass's moment)
    team: str = ""
    community: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)  # full values; masked_* too


def event_id(kind: str, ref: str, logged: str) -> str:
    """kind:ref:time-as-digits, e.g. assignment:R0007:202212201500."""
    return f"{kind}:{ref}:{re.sub(r'[^0-9]', '', logged)}"


def log_lines(snapshot: Snapshot) -> list[LogLine]:
    """The Log tab's lines as read (header excluded)."""
    table = snapshot.table("log")
    if table is None:
        return []
    keys = ("time", "ref", "action", "rule", "detail")
    return [
        LogLine(*(text_of(table.get(row, k)) for k in keys))  # type: ignore[arg-type]
        for row in table.rows
        if any(text_of(v) for v in row.values)
    ]


def kind_of(line: LogLine, schema: Schema) -> str | None:
    """Which event a Log line records a decision for, if any (either language)."""
    for locale in ("zh", "en"):
        if line.action == say(locale, "log_assign"):
            return "assignment"
        if line.action == say(locale, "log_remind"):
            return "reminder"
    escalated = schema.choice_list("request_status")
    for locale in ("zh", "en"):
        if line.action.endswith("→ " + escalated.label("escalated", locale)):  # type: ignore[arg-type]
            return "escalation"
    return None


def effective_requests(
    snapshot: Snapshot, plan: Plan | None, deferred: Iterable[CellChange] = ()
) -> dict[str, dict[str, CellValue]]:
    """Request rows by id (casefolded) as they stand once the plan's written changes landed."""
    table = snapshot.table("requests")
    if table is None:
        return {}
    held = {(c.tab, c.anchor) for c in deferred}
    planned: dict[int, dict[str, CellValue]] = {}
    for change in plan.changes if plan else ():
        if change.tab == "requests" and (change.tab, change.anchor) not in held:
            planned.setdefault(change.anchor.row, {})[change.column] = change.new
    rows: dict[str, dict[str, CellValue]] = {}
    for row in table.rows:
        values = {key: table.get(row, key) for key in table.header.columns}
        values.update(planned.get(row.number, {}))
        rid = text_of(values.get("id"))
        if rid:
            rows.setdefault(rid.casefold(), values)
    for new in plan.new_rows if plan else ():
        # a row this pass appends (a recurring occurrence) is announced by this pass too; one
        # held back with its origin's deferred changes is not written, so not announced
        origin = (new.depends_tab or new.tab, new.depends_on)
        if new.tab == "requests" and (new.depends_on is None or origin not in held):
            rows.setdefault(new.id.casefold(), dict(new.cells))
    return rows


def _teams(snapshot: Snapshot) -> dict[str, str]:
    """Volunteer name and id (casefolded) → team."""
    table = snapshot.table("volunteers")
    teams: dict[str, str] = {}
    if table is None:
        return teams
    for row in table.rows:
        team = text_of(table.get(row, "team"))
        for key in ("id", "name"):
            text = text_of(table.get(row, key)).casefold()
            if text:
                teams.setdefault(text, team)
    return teams


def team_of(volunteer: str, teams: Mapping[str, str]) -> str:
    """The team of what the Volunteer cell holds: a name, an id, or 'name (id)'."""
    text = volunteer.strip()
    match = _NAME_AND_ID.match(text)
    if match and match["id"].casefold() in teams:
        return teams[match["id"].casefold()]
    return teams.get(text.casefold(), "")


def mask_address(text: str) -> str:
    """Keep the estate, hide the building and door: 海兴花园2号楼3单元 → 海兴花园…"""
    match = re.match(r"^\D*", text)
    kept = (match.group(0) if match else "")[:12].strip()
    if not text:
        return ""
    return (kept or text[:2]) + "…"


def mask_name(text: str) -> str:
    """王秀英 → 王**; Alice Wong → A****"""
    text = text.strip()
    return text[:1] + "*" * min(4, max(1, len(text) - 1)) if text else ""


def request_events(
    snapshot: Snapshot,
    plan: Plan | None,
    written: Sequence[LogLine],
    deferred: Iterable[CellChange],
    schema: Schema,
    tz: ZoneInfo,
    now: datetime,
) -> list[Event]:
    """Every assignment, escalation and reminder the Log (as read, plus `written`) records."""
    rows = effective_requests(snapshot, plan, deferred)
    teams = _teams(snapshot)
    events: dict[str, Event] = {}
    for line in [*log_lines(snapshot), *written]:
        kind = kind_of(line, schema)
        if kind is None or not line.ref:
            continue
        moment = parse_datetime(line.time, tz, now)
        if moment is None:
            continue
        eid = event_id(kind, line.ref, line.time)
        values = rows.get(line.ref.casefold(), {})
        current = text_of(values.get("volunteer"))
        # an assignment names the volunteer decided then ("名字：理由", "name: reasons", and
        # the ASCII colon of older Log lines), not whoever holds the request now
        chosen = re.split("[:：]", line.detail, maxsplit=1)[0].strip()
        volunteer = chosen if kind == "assignment" else current
        note = text_of(values.get("sync_note"))
        reason = next((x for x in note.splitlines() if line.rule and line.rule in x), "")
        phone = text_of(values.get("phone"))
        address = text_of(values.get("address"))
        fields = {
            "id": line.ref,
            "time": line.time,
            "rule": line.rule,
            "detail": line.detail,
            "items": text_of(values.get("items")),
            "category": text_of(values.get("category")),
            "community": text_of(values.get("community")),
            "urgency": text_of(values.get("urgency")),
            "household": text_of(values.get("household")),
            "status": text_of(values.get("status")),
            "volunteer": volunteer,
            "current_volunteer": current,
            "reason": reason,
            "team": team_of(volunteer, teams),
            "submitted_at": text_of(values.get("submitted_at")),
            "assigned_at": text_of(values.get("assigned_at")),
            "note": note,
            "resident": text_of(values.get("name")),
            "resident_masked": mask_name(text_of(values.get("name"))),
            "phone": phone,
            "phone_masked": mask_phone(phone) if phone else "",
            "address": address,
            "address_masked": mask_address(address),
        }
        events[eid] = Event(
            eid, kind, line.ref, moment, fields["team"], fields["community"], fields
        )
    return list(events.values())


def report_event(report: str, now: datetime) -> Event | None:
    """The daily report of now's date (None when the plan has no report text)."""
    if not report.strip():
        return None
    day: date = now.date()
    return Event(
        f"report:{day.isoformat()}", "report", "", now, fields={"report": report, "date": str(day)}
    )


def status_is(values: Mapping[str, str], schema: Schema, *keys: str) -> bool:
    """Whether a request's Status text is one of these choices (either language)."""
    statuses = schema.choice_list("request_status")
    text = values.get("status", "")
    return any(text in (statuses.label(key, "zh"), statuses.label(key, "en")) for key in keys)


def still_relevant(event: Event, schema: Schema) -> bool:
    """False when the request moved on so far that the message would mislead people."""
    if event.kind == "report":
        return True
    fields = event.fields
    if status_is(fields, schema, "delivered", "cancelled"):
        return False
    if event.kind == "escalation":
        return status_is(fields, schema, "escalated")
    if event.kind == "assignment":
        return fields.get("current_volunteer", "") == fields.get("volunteer", "")
    return True


def locale_name(locale: str) -> Locale:
    """A channel's locale, defaulting to Chinese."""
    return "en" if locale == "en" else "zh"
