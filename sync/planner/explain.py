"""Why nobody could take a request, written once the pass has made its last assignment."""

from __future__ import annotations

from dataclasses import dataclass

from sync.assign import Pool
from sync.model import Request, Table
from sync.model.quick import quick_init
from sync.planner.state import PassState


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class Unexplained:
    """A request nobody could take, waiting for its note until the pass's last assignment."""

    request: Request
    priority_line: str
    rule: str  # the escalation rule that fired ("" when not escalated)
    extra: list[str]
    fields: dict[str, object]
    escalated_for: float


def explain_unassigned(
    state: PassState, table: Table, pool: Pool, items: list[Unexplained]
) -> None:
    """The notes of requests nobody could take, against the volunteers as the pass leaves
    them (what the next pass starts from), so that a second pass finds them unchanged."""
    for item in items:
        why_not = pool.explain(item.request, item.fields, state.locale, item.escalated_for)
        lines = [item.priority_line, state.say("nobody", reasons=why_not)]
        if item.rule:
            lines.append(state.say("escalated", rule=item.rule, reasons=why_not))
        note = "\n".join([*lines, *item.extra])
        state.out.set(table, item.request.row, "sync_note", note, "")
