"""What the workbook says happened, as plain records: requests, stock lots, hand-outs (pure).

Requests come from the Requests and the Archive tabs together (the Archive has the Requests
columns). The rows' own times count: submitted, assigned, delivered. The Log adds only what a
row cannot say: when a request was first assigned (a reassignment restamps the row), when a
stock lot first appeared (the Stock tab has no date), and when units were handed out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sync import stock as stock_words
from sync.events import log_lines
from sync.messages import say
from sync.model import LogLine, Request, Snapshot, Table
from sync.placement import id_key
from sync.recurring import MEMBER
from sync.rules import Rules
from sync.schema import Locale, Schema
from sync.validate import RETAINED, read_requests, read_stock, read_volunteers
from sync.values import parse_datetime

ELDERLY = frozenset({"living_alone", "childless", "bereaved"})  # by household type, not by age
_LOCALES: tuple[Locale, ...] = ("zh", "en")
_NAME_AND_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]\s*$")
_UNITS = re.compile(r"[×x*]\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class RequestFact:
    """One request as the report counts it."""

    ref: str  # its id, or where it sits when it has none yet
    resident: str  # the same for every request of one resident, blanked or not
    submitted: datetime | None
    assigned: datetime | None  # first assignment: the row's time or an earlier one in the Log
    delivered: datetime | None  # only for a request whose status is delivered
    community: str  # canonical name; "" when unknown
    household: str  # choice key; "" when not given
    volunteer: str  # the volunteer's name as the Volunteers tab has it (or the cell's text)
    team: str
    archived: bool


@dataclass(frozen=True)
class LotFact:
    """A stock lot and when the worker first saw it (None: before the Log begins)."""

    ref: str
    category: str
    quantity: float
    received: datetime | None


@dataclass(frozen=True)
class HandOut:
    """Units of a lot handed out for a request, at the moment the Log records."""

    lot: str
    request: str
    units: float
    time: datetime


@dataclass(frozen=True)
class Facts:
    """Everything a period report is computed from."""

    requests: tuple[RequestFact, ...]
    lots: tuple[LotFact, ...]
    handouts: tuple[HandOut, ...]


def gather_facts(
    snapshot: Snapshot, rules: Rules, schema: Schema, tz: ZoneInfo, now: datetime
) -> Facts:
    """Read the snapshot's requests (live and archived), stock and Log into facts."""
    locale = snapshot.locale
    rows: list[tuple[Request, bool]] = []
    for key, archived in (("requests", False), ("archive", True)):
        table = snapshot.table(key)
        if table is None:
            continue
        if archived:  # the Archive's columns are the worker's; read its rows as requests
            table = replace(table, tab=schema.tab("requests"))
        found = read_requests(table, schema, rules, locale, tz, now)
        rows.extend((r, archived) for r in found)
    rows = _once_each(rows)
    log = [line for line in log_lines(snapshot) if line.ref]
    first_assigned = _first_times(log, _words("log_assign", "log_claim"), tz, now)
    residents = resident_labels([r for r, _ in rows])
    volunteers = _volunteers(snapshot, rules, schema)
    facts = []
    for (request, archived), resident in zip(rows, residents, strict=True):
        ref = request.id or f"#{request.row.number}"
        logged = first_assigned.get(id_key(ref))
        assigned = min((t for t in (request.assigned_at, logged) if t), default=None)
        name, team = _volunteer(request.volunteer_text, volunteers)
        facts.append(
            RequestFact(
                ref=ref,
                resident=resident,
                submitted=request.submitted_at,
                assigned=assigned,
                delivered=request.delivered_at if request.status == "delivered" else None,
                community=request.community or "",
                household=request.household or "",
                volunteer=name,
                team=team,
                archived=archived,
            )
        )
    lots, handouts = _stock(snapshot, log, rules, schema, tz, now)
    return Facts(tuple(facts), lots, handouts)


def _once_each(rows: list[tuple[Request, bool]]) -> list[tuple[Request, bool]]:
    """A request whose id is on both tabs (its move to the Archive not finished) counts once."""
    seen: set[str] = set()
    kept = []
    for request, archived in rows:  # live rows come first: they are the newer copy
        if request.id:
            key = id_key(request.id)
            if key in seen:
                continue
            seen.add(key)
        kept.append((request, archived))
    return kept


def _words(*codes: str) -> frozenset[str]:
    return frozenset(say(locale, code) for code in codes for locale in _LOCALES)


def _first_times(
    log: Iterable[LogLine], actions: frozenset[str], tz: ZoneInfo, now: datetime
) -> dict[str, datetime]:
    """The earliest Log time of any of these actions, by ref (casefolded)."""
    first: dict[str, datetime] = {}
    for line in log:
        if line.action not in actions:
            continue
        moment = parse_datetime(line.time, tz, now)
        key = id_key(line.ref)
        if moment is not None and (key not in first or moment < first[key]):
            first[key] = moment
    return first


def resident_labels(requests: list[Request]) -> list[str]:
    """Who each request was for, as one label per resident.

    Requests are one resident's when they share a phone, when one carries the other's id as the
    resident code retention left in its note, or when one is a recurring occurrence of the other;
    the links chain through the ids.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:  # flatten the path walked
            parent[node], node = root, parent[node]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: list[str] = []
    for request in requests:
        nodes = [f"id:{id_key(request.id)}"] if request.id else []
        if request.phone:
            nodes.append(f"phone:{request.phone}")
        kept = RETAINED.search(request.note)
        if kept and not request.phone:
            nodes.append(f"id:{id_key(kept.group(1))}")
        member = MEMBER.match(request.id or "")
        if member:  # a recurring occurrence is for the resident of the request it repeats
            nodes.append(f"id:{id_key(member['origin'])}")
        if not nodes:  # no id, phone or code yet: only itself
            nodes.append(f"row:{request.name}|{request.address}|{request.row.number}")
        for node in nodes[1:]:
            union(nodes[0], node)
        first.append(nodes[0])
    return [find(node) for node in first]


def _volunteers(snapshot: Snapshot, rules: Rules, schema: Schema) -> dict[str, tuple[str, str]]:
    """Volunteer name and id (casefolded) → (name, team); a name two people share is left out."""
    table = snapshot.table("volunteers")
    if table is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    shared: set[str] = set()
    for v in read_volunteers(table, schema, rules, snapshot.locale):
        if not v.name:
            continue
        if v.id:
            found[v.id.casefold()] = (v.name, v.team)
        key = v.name.casefold()
        if key in found and key not in shared and found[key] != (v.name, v.team):
            shared.add(key)
        found.setdefault(key, (v.name, v.team))
    for key in shared:
        found.pop(key, None)
    return found


def _volunteer(text: str, known: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """The name and team of what a Volunteer cell holds: a name, an id, or 'name (id)'."""
    text = text.strip()
    if not text:
        return "", ""
    match = _NAME_AND_ID.match(text)
    if match and match["id"].casefold() in known:
        return known[match["id"].casefold()]
    return known.get(text.casefold(), (text, ""))


def _stock(
    snapshot: Snapshot,
    log: list[LogLine],
    rules: Rules,
    schema: Schema,
    tz: ZoneInfo,
    now: datetime,
) -> tuple[tuple[LotFact, ...], tuple[HandOut, ...]]:
    table: Table | None = snapshot.table("stock")
    if table is None:
        return (), ()
    items = [s for s in read_stock(table, schema, rules, snapshot.locale, tz, now) if s.id]
    ids = {id_key(s.id) for s in items if s.id}
    # the Log's id line is the first time the worker saw a lot: when it was received
    id_lines = [line for line in log if id_key(line.ref) in ids]
    received = _first_times(id_lines, _words("log_id"), tz, now)
    lots = tuple(
        LotFact(
            ref=s.id or "",
            category=s.category or "",
            quantity=s.quantity or 0.0,
            received=received.get(id_key(s.id or "")),
        )
        for s in items
    )
    handed = frozenset(stock_words.say(locale, "log_handout") for locale in _LOCALES)
    handouts = []
    for line in log:
        if line.action not in handed or id_key(line.ref) not in ids:
            continue
        moment = parse_datetime(line.time, tz, now)
        units = _UNITS.search(line.detail)
        if moment is None or units is None:
            continue
        request = line.detail[: units.start()].strip()
        handouts.append(HandOut(line.ref, request, float(units.group(1)), moment))
    return lots, tuple(handouts)
