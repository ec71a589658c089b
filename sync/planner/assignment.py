"""The Requests tab's pass: settle each request, then assign the queue in priority order."""

from __future__ import annotations

from dataclasses import dataclass

from sync.assign import Load, Pool
from sync.messages import join
from sync.model import Request, Table
from sync.model.quick import quick_init
from sync.planner.explain import Unexplained, explain_unassigned
from sync.planner.roster import Roster, add_load
from sync.planner.settle import Settler, first_rule
from sync.planner.state import PassState
from sync.summary import RequestOutcome
from sync.validate import find_duplicates, read_requests, request_fields


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class _Rounded:
    score: float
    parts: list[str]
    fields: dict[str, object]  # the request's fields at the pass's moment (assign reads them)


@dataclass
class Requests:
    """What the Requests tab's pass decided, for the stock, the archive and the figures."""

    table: Table
    outcomes: list[RequestOutcome]  # in sheet order
    loads: dict[str, Load]  # by volunteer id, after the pass
    scores: dict[int, float]  # request row → priority computed this pass


def num(value: float) -> int | float:
    """A score as the sheet shows it: whole numbers without '.0'."""
    return int(value) if float(value).is_integer() else round(value, 1)


def plan_requests(state: PassState, roster: Roster) -> Requests:
    """Settle every request, assign the ones waiting, and explain the ones nobody could take."""
    table = state.snapshot.table("requests")
    assert table is not None
    first_request: dict[str, str] = {}  # phone → id of that resident's first request
    settler = Settler(state, roster, table, first_request)
    records = [
        settler.as_written(r)
        for r in read_requests(table, state.schema, state.rules, state.locale, state.tz, state.now)
    ]
    duplicates = find_duplicates(records, state.rules)
    for record in sorted(records, key=lambda r: (r.submitted_at or state.now, r.row.number)):
        if record.phone:
            first_request.setdefault(record.phone, state.row_id(table, record.row))
    loads: dict[str, Load] = {}
    outcomes: dict[int, RequestOutcome] = {}
    queue: list[tuple[Request, list[str]]] = []
    for request in records:
        outcome, extra = settler.settle(request, duplicates)
        if outcome is None:
            queue.append((request, extra))
            continue
        outcomes[request.row.number] = outcome
    for outcome in outcomes.values():
        add_load(loads, outcome)
    volunteers = roster.records
    pool = Pool(
        state.rules,
        state.now,
        [v for v in volunteers if v.name],
        loads,
        {v.row.number: roster.vid(v) for v in volunteers},
    )
    assigner = _Assigner(state, roster, settler, pool)
    scored = [(assigner.priority(r), r, extra) for r, extra in queue]
    scored.sort(
        key=lambda item: (-item[0].score, item[1].submitted_at or state.now, item[1].row.number)
    )
    scores: dict[int, float] = {}
    for rounded, request, extra in scored:
        scores[request.row.number] = rounded.score
        outcomes[request.row.number] = assigner.assign(request, rounded, extra)
    explain_unassigned(state, table, pool, assigner.unexplained)
    ordered = [outcomes[r.row.number] for r in records]
    for v in volunteers:  # delivered counts and last-assigned come from every request
        loads.setdefault(roster.vid(v), Load())
    final: dict[str, Load] = {vid: Load() for vid in loads}
    for outcome in ordered:
        add_load(final, outcome)
    return Requests(table, ordered, final, scores)


class _Assigner:
    """Scores a waiting request and gives it the best volunteer with room, or queues its why."""

    def __init__(self, state: PassState, roster: Roster, settler: Settler, pool: Pool) -> None:
        self.state = state
        self.roster = roster
        self.settler = settler
        self.pool = pool
        self.table = settler.table
        self.unexplained: list[Unexplained] = []
        self.rule_parts: dict[
            int, str
        ] = {}  # id of a points rule (kept alive by the rules) → words

    def priority(self, request: Request) -> _Rounded:
        """The request's priority under the rules' points and waiting times, with its parts."""
        state = self.state
        fields = request_fields(request, state.now)
        total = 0.0
        parts = []
        for rule in state.rules.points:
            if rule.when.matches(fields):
                total += rule.points
                part = self.rule_parts.get(id(rule))
                if part is None:  # the same words for every request the rule scores
                    name = rule.name.text(state.locale)
                    part = self.rule_parts[id(rule)] = state.say(
                        "p_rule", name=name, points=num(rule.points)
                    )
                parts.append(part)
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        for wait in state.rules.waiting:
            if wait.when is not None and not wait.when.matches(fields):
                continue
            points = round(min(wait.max, wait.per_minute * waited))
            if points > 0:
                total += points
                parts.append(
                    state.say(
                        "p_wait",
                        name=wait.name.text(state.locale),
                        minutes=int(waited),
                        points=points,
                    )
                )
        return _Rounded(round(total, 1), parts, fields)

    def assign(self, request: Request, rounded: _Rounded, extra: list[str]) -> RequestOutcome:
        """Assign a waiting request, or set it new or escalated and queue its explanation."""
        state = self.state
        out = state.out
        table = self.table
        row = request.row
        rid = state.row_id(table, row)
        current = request.status or "new"
        score = num(rounded.score)
        out.set(table, row, "priority", score, "")
        if rounded.parts:
            priority_line = state.say(
                "priority", score=score, parts=join(state.locale, rounded.parts)
            )
        else:
            priority_line = state.say("priority_none")
        fields = rounded.fields
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        fired = first_rule(state.rules.escalation, fields, waited)
        escalated_for = waited - fired.minutes if fired else -1.0
        choice = self.pool.choose(request, fields, state.locale, escalated_for)
        if choice is not None:
            v = choice.volunteer
            self.pool.take(v, state.written_now)
            display = self.roster.display(v)
            # a volunteer's name as typed on the Volunteers tab: copied, never masked, so that the
            # next pass recognises it
            out.set(table, row, "volunteer", display, "", mask=False)
            self.settler.set_status(request, rid, current, "assigned", "")
            out.stamp(table, row, "assigned_at")
            line = state.say("assigned", volunteer=display, reasons=choice.reasons)
            out.set(table, row, "sync_note", "\n".join([priority_line, line, *extra]), "")
            out.log(
                rid,
                state.say("log_assign"),
                join(state.locale, rounded.parts),
                state.say("log_chosen", volunteer=display, reasons=choice.reasons),
            )
            state.count("assigned")
            return RequestOutcome(request, "assigned", self.roster.vid(v), state.written_now, None)
        new_status = "new"
        rule_name = ""
        if fired is not None or current == "escalated":
            new_status = "escalated"
            rule_name = fired.name.text(state.locale) if fired else state.status_label("escalated")
            if current != "escalated":
                state.count("escalated")
            self.settler.set_status(request, rid, current, new_status, rule_name)
        else:
            self.settler.set_status(request, rid, current, new_status, "")
        # why nobody could take it is written once the pass has made its last assignment
        self.unexplained.append(
            Unexplained(request, priority_line, rule_name, extra, fields, escalated_for)
        )
        return RequestOutcome(request, new_status, "", None, None)
