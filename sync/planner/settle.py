"""Every decision about a request but automatic assignment: claims, deliveries, problems, notes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sync.messages import CATALOG, join
from sync.model import Request, Table, Volunteer, is_blank
from sync.planner.retention import retention
from sync.planner.roster import Roster
from sync.planner.state import PassState
from sync.rules import TimedRule
from sync.summary import RequestOutcome
from sync.validate import request_fields
from sync.values import format_time, quote, safe_text


def first_rule(
    rules: tuple[TimedRule, ...], fields: dict[str, object], minutes: float
) -> TimedRule | None:
    """The first timed rule (reminder, escalation) due after this many minutes."""
    for rule in rules:
        if minutes >= rule.minutes and (rule.when is None or rule.when.matches(fields)):
            return rule
    return None


def _naming_pattern() -> re.Pattern[str]:
    """Note lines that name who has the request, in either language (the name as a group)."""
    texts: list[str] = []
    for code in ("assigned", "claimed", "reassigned"):
        zh, en = CATALOG[code]
        texts += [zh, en if isinstance(en, str) else en.other]
    parts: list[str] = []
    for text in texts:
        regex = ""
        for piece in re.split(r"(\{[a-z_]+\})", text):
            if piece == "{volunteer}":
                regex += f"(?P<v{len(parts)}>.+?)"
            elif piece.startswith("{"):
                regex += ".+?"
            else:
                regex += re.escape(piece)
        parts.append(regex)
    return re.compile("^(?:" + "|".join(parts) + ")$")


_NAMING = _naming_pattern()


def _named_in(line: str) -> str | None:
    """The volunteer a note line says has the request, or None for any other line."""
    match = _NAMING.match(line)
    if match is None:
        return None
    return next((v for v in match.groups() if v is not None), None)


class Settler:
    """Decides a request people or an earlier pass already moved on, and keeps its note."""

    def __init__(
        self, state: PassState, roster: Roster, table: Table, first_request: Mapping[str, str]
    ) -> None:
        self.state = state
        self.roster = roster
        self.table = table
        self.first_request = first_request  # phone → id of that resident's first request

    def settle(
        self, request: Request, duplicates: dict[int, Request]
    ) -> tuple[RequestOutcome | None, list[str]]:
        """Decide everything but automatic assignment; None means 'queue for assignment'."""
        state = self.state
        out = state.out
        table = self.table
        row = request.row
        rid = state.row_id(table, row)
        for text in state.problem_text(request.problems):
            state.problem(table.title, row.number, text, rid)
        extra: list[str] = []
        earlier = duplicates.get(row.number)
        if earlier is not None:
            other = state.row_id(table, earlier.row) or f"#{earlier.row.number}"
            hours = f"{state.rules.duplicate_window_hours:g}"
            extra.append(state.say("duplicate_request", other=other, hours=hours))
        status = request.status
        if status is None and request.status_text:  # unreadable status: hands off
            self.keep_note(request, state.problem_text(request.problems))
            return self.outcome(request, None, request.volunteer_text), extra
        if is_blank(table.get(row, "submitted_at")):
            out.stamp(table, row, "submitted_at")
        volunteer, volunteer_line = (None, "")
        if request.volunteer_text:
            volunteer, volunteer_line = self.roster.resolve(request.volunteer_text)
        vid = self.roster.vid(volunteer) if volunteer else ""
        current = status or "new"

        if current in ("delivered", "cancelled", "in_progress"):
            if current == "in_progress" and request.assigned_at is None:
                out.stamp(table, row, "assigned_at")
            if current == "delivered" and request.delivered_at is None:
                out.stamp(table, row, "delivered_at")
                out.log(rid, state.say("log_delivered"), "", request.volunteer_text)
                state.count("delivered")
            lines = [volunteer_line] if volunteer_line else []
            if current == "in_progress":
                lines += self.reminder(request, rid)
            else:
                lines += retention(state, table, request, rid, self.first_request)
            self.keep_note(request, lines, volunteer)
            assigned_at = request.assigned_at or (
                state.written_now if current == "in_progress" else None
            )
            delivered_at = request.delivered_at or (
                state.written_now if current == "delivered" else None
            )
            return self.outcome(request, current, vid, assigned_at, delivered_at), extra

        if request.volunteer_text:  # a person claimed it, or the worker assigned it earlier
            if current != "assigned":
                self.set_status(request, rid, current, "assigned", "")
                out.log(rid, state.say("log_claim"), "", request.volunteer_text)
                state.count("claimed")
                line = state.say("claimed", volunteer=quote(request.volunteer_text))
                lines = [line, volunteer_line, *state.problem_text(request.problems), *extra]
                lines += self.reminder(request, rid)  # as the next pass would: plan it now
                out.set(table, row, "sync_note", "\n".join(x for x in lines if x), "")
            else:
                lines = [volunteer_line, *state.problem_text(request.problems)]
                lines += self.reminder(request, rid)
                self.keep_note(request, [x for x in lines if x], volunteer)
            assigned_at = request.assigned_at or state.written_now
            if request.assigned_at is None:
                out.stamp(table, row, "assigned_at")
            return self.outcome(request, "assigned", vid, assigned_at), extra

        if request.problems:
            texts = state.problem_text(request.problems)
            if current != "needs_info":
                self.set_status(request, rid, current, "needs_info", "")
                out.log(rid, state.say("log_problem"), "", join(state.locale, texts, True))
                state.count("needs_info")
            out.set(table, row, "sync_note", "\n".join([*texts, *extra]), "")
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
        """What the pass decided for a request (the figures and the stock read this)."""
        delivered = delivered_at or request.delivered_at
        return RequestOutcome(request, status, volunteer_id, assigned_at, delivered)

    def as_written(self, request: Request) -> Request:
        """The request as the next pass reads it back: a blank submitted time becomes this
        pass's own (settle stamps it), so duplicates, waiting and medians see it now already."""
        if request.submitted_at is not None or (request.status is None and request.status_text):
            return request
        if not is_blank(self.table.get(request.row, "submitted_at")):
            return request  # unreadable: the row's problems say so and nothing is stamped
        return replace(request, submitted_at=self.state.written_now)

    def set_status(self, request: Request, rid: str, old: str, new: str, rule: str) -> None:
        """Plan a request's status, with its Log line when it moves."""
        if old == new and request.status is not None:
            return
        state = self.state
        state.out.set(self.table, request.row, "status", state.status_label(new), rule)
        if request.status is not None or new != "new":
            detail = state.say(
                "log_status", old=state.status_label(old), new=state.status_label(new)
            )
            state.out.log(rid, detail, rule, "")

    def keep_note(
        self, request: Request, lines: list[str], volunteer: Volunteer | None = None
    ) -> None:
        """Keep a settled request's note, adding only lines it lacks (idempotent); a line that
        names another volunteer than the row now does says who has it instead."""
        present = request.note.split("\n") if request.note else []
        if request.volunteer_text:
            followed = self.follow_volunteer(present, request.volunteer_text, volunteer)
            for line in followed:
                if line not in present:  # a person gave it to someone else: the Log says so once
                    rid = self.state.row_id(self.table, request.row)
                    self.state.out.log(rid, self.state.say("log_reassign"), "", line)
            present = followed
        missing = [x for x in (safe_text(line) for line in lines) if x and x not in present]
        if missing or (request.note and "\n".join(present) != request.note):
            self.state.out.set(
                self.table, request.row, "sync_note", "\n".join(present + missing), ""
            )

    def follow_volunteer(
        self, lines: list[str], typed: str, volunteer: Volunteer | None
    ) -> list[str]:
        """The note's lines with each "assigned to", "claimed by" or "reassigned to" line that
        names someone else than the Volunteer cell replaced by one saying a person changed it."""
        kept: list[str] = []
        for line in lines:
            named = _named_in(line)
            if named is not None and not self._same_person(named, typed, volunteer):
                said = self.state.say("reassigned", volunteer=quote(typed), before=named)
                line = safe_text(said)
                if line in kept:  # two stale lines say the same now
                    continue
            kept.append(line)
        return kept

    def _same_person(self, named: str, typed: str, volunteer: Volunteer | None) -> bool:
        """Whether a note's name stands for the person the Volunteer cell holds now."""
        if named.casefold() in (typed.casefold(), quote(typed).casefold()):
            return True
        if named == safe_text(quote(typed)):  # a name that looks like a phone, masked in notes
            return True
        if volunteer is None:
            return False
        hit, _line = self.roster.resolve(named)
        return hit is volunteer

    def reminder(self, request: Request, rid: str) -> list[str]:
        """The reminder line of an assigned request not delivered in time (logged once)."""
        since = request.assigned_at
        if since is None:
            return []
        state = self.state
        fields = request_fields(request, state.now)
        elapsed = (state.now - since).total_seconds() / 60.0
        rule = first_rule(state.rules.reminders, fields, elapsed)
        if rule is None:
            return []
        name = rule.name.text(state.locale)
        line = state.say("reminder", rule=name, since=format_time(since))
        if safe_text(line) not in request.note.split("\n"):
            state.out.log(rid, state.say("log_remind"), name, "")
            state.count("reminders")
        return [line]
