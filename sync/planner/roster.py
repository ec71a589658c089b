"""The volunteers as a pass knows them: who a typed name means, and their load and figures."""

from __future__ import annotations

import re
from dataclasses import replace

from sync.assign import Load
from sync.messages import join
from sync.model import Volunteer
from sync.planner.state import PassState
from sync.schema import normalise
from sync.summary import RequestOutcome
from sync.validate import read_volunteers
from sync.values import parse_datetime, quote, text_of

OPEN_WORK = frozenset({"assigned", "in_progress"})
_NAME_AND_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]\s*$")


class Roster:
    """The Volunteers tab, read once per pass, with names and ids to look people up by."""

    def __init__(self, state: PassState) -> None:
        table = state.snapshot.table("volunteers")
        assert table is not None
        self.state = state
        self.table = table
        self.records = read_volunteers(table, state.schema, state.rules, state.locale)
        by_name: dict[str, list[Volunteer]] = {}
        for v in self.records:
            if v.name:
                by_name.setdefault(normalise(v.name), []).append(v)
        self.by_id = {state.row_id(table, v.row).casefold(): v for v in self.records}
        self.by_name = by_name

    def vid(self, v: Volunteer) -> str:
        """A volunteer's id (existing or given this pass)."""
        return self.state.row_id(self.table, v.row)

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
            ids = join(self.state.locale, [self.vid(v) for v in same])
            return None, self.state.say("ambiguous_volunteer", value=quote(text), ids=ids)
        return None, self.state.say("unknown_volunteer", value=quote(text))

    def archived_deliveries(self) -> dict[str, int]:
        """Deliveries already moved to the Archive tab, per volunteer id (they still count)."""
        archive = self.state.snapshot.table("archive")
        if archive is None or archive.col("status") is None or archive.col("volunteer") is None:
            return {}
        statuses = self.state.schema.choice_list("request_status")
        counts: dict[str, int] = {}
        for row in archive.rows:
            if statuses.parse(archive.get(row, "status")) != "delivered":
                continue
            hit, _line = self.resolve(text_of(archive.get(row, "volunteer")))
            if hit is not None:
                counts[self.vid(hit)] = counts.get(self.vid(hit), 0) + 1
        return counts

    def write_figures(self, loads: dict[str, Load]) -> None:
        """Each volunteer's open and delivered counts, last assignment and problems."""
        state = self.state
        table = self.table
        out = state.out
        archived = self.archived_deliveries()
        for v in self.records:
            vid = self.vid(v)
            load = loads.get(vid, Load())
            if archived.get(vid):
                load = replace(load, delivered=load.delivered + archived[vid])
            previous = parse_datetime(table.get(v.row, "last_assigned"), state.tz, state.now)
            last = max((t for t in (load.last, previous) if t), default=None)
            out.set(table, v.row, "open", load.open, "")
            out.set(table, v.row, "delivered", load.delivered, "")
            if last is not None:
                out.stamp(table, v.row, "last_assigned", last)
            lines = state.problem_text(v.problems)
            others = [o for o in self.by_name.get(normalise(v.name), []) if o is not v]
            if others:
                names = join(state.locale, [self.vid(o) for o in others])
                lines.append(state.say("duplicate_name", others=names, id=vid))
            for text in lines:
                state.problem(table.title, v.row.number, text, vid)
            out.set(table, v.row, "sync_note", "\n".join(lines), "")


def add_load(loads: dict[str, Load], outcome: RequestOutcome) -> None:
    """Count a request's outcome into its volunteer's load."""
    if not outcome.volunteer_id:
        return
    load = loads.setdefault(outcome.volunteer_id, Load())
    if outcome.status in OPEN_WORK:
        load.open += 1
    elif outcome.status == "delivered":
        load.delivered += 1
    if outcome.assigned_at and (load.last is None or outcome.assigned_at > load.last):
        load.last = outcome.assigned_at
