"""Closed requests under the rules' time limits: personal details blanked, rows archived."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta

from sync.model import NewRow, Request, Table, is_blank
from sync.planner.state import PassState
from sync.summary import RequestOutcome
from sync.validate import PERSONAL, RETAINED, read_requests
from sync.values import text_of


def settled_for(state: PassState, table: Table, request: Request, days: float) -> bool:
    """Whether a closed request's last moment is at least `days` old and it does not repeat
    (a repeating request is the template its next occurrences copy: it stays whole)."""
    if table.col("repeat") is not None and not is_blank(table.get(request.row, "repeat")):
        return False
    moments = [t for t in (request.submitted_at, request.assigned_at, request.delivered_at) if t]
    return bool(moments) and state.now - max(moments) >= timedelta(days=days)


def retention(
    state: PassState, table: Table, request: Request, rid: str, first_request: Mapping[str, str]
) -> list[str]:
    """Blank a closed request's personal details once the retention period has passed."""
    days = state.rules.retention_days
    if days is None:
        return []
    if not settled_for(state, table, request, days):
        return []
    if all(is_blank(table.get(request.row, key)) for key in PERSONAL):
        # Already blanked: keep the line that carries the resident code for the figures.
        return [line for line in request.note.splitlines() if RETAINED.search(line)]
    resident = first_request.get(request.phone or "", rid) if request.phone else rid
    for key in PERSONAL:
        state.out.erase(table, request.row, key)
    state.out.log(
        rid, state.say("log_retention"), "", state.say("retention_days", days=f"{days:g}")
    )
    state.count("retention")
    return [state.say("retained", days=f"{days:g}", resident=resident)]


def archive(
    state: PassState, table: Table, outcomes: list[RequestOutcome], new_tabs: tuple[str, ...]
) -> tuple[tuple[NewRow, ...], tuple[str, ...]]:
    """Move requests closed long enough ago to the Archive tab: a copy appended there, the
    row emptied here, both in the same write (the backend holds one back without the other).
    """
    days = state.rules.archive_days
    if days is None:
        return (), new_tabs
    archive_table = state.snapshot.table("archive")
    due: list[RequestOutcome] = []
    for outcome in outcomes:
        request = outcome.request
        if outcome.status not in ("delivered", "cancelled") or not request.id:
            continue
        if settled_for(state, table, request, days):
            due.append(outcome)
    if not due:
        return (), new_tabs
    if archive_table is None:  # this pass adds the tab; the next one moves the rows
        return (), (*new_tabs, "archive") if "archive" not in new_tabs else new_tabs
    tab_title = archive_table.title
    held = {text_of(archive_table.get(row, "id")).casefold() for row in archive_table.rows}
    moved: list[NewRow] = []
    out = state.out
    for outcome in sorted(due, key=lambda o: o.request.row.number):
        row = outcome.request.row
        rid = outcome.request.id or ""
        if rid.casefold() in held:
            state.problem(
                table.title, row.number, state.say("archive_duplicate", id=rid, tab=tab_title)
            )
            continue
        cells = tuple(
            (key, value)
            for key in table.header.columns
            if not is_blank(value := out.planned(table, row, key))
        )
        lacking = [key for key, _value in cells if archive_table.col(key) is None]
        if lacking:
            label = table.tab.column(lacking[0]).label(state.locale)
            state.problem(
                table.title,
                row.number,
                state.say("archive_column", id=rid, tab=tab_title, column=label),
            )
            continue
        anchor = out.anchor(table, row)
        moved.append(NewRow("archive", rid, cells, depends_on=anchor, depends_tab="requests"))
        out.empty_row(table, row)
        out.log(
            rid,
            state.say("log_archive"),
            "",
            state.say("archive_days", days=f"{days:g}", tab=tab_title),
        )
        state.count("archived")
    return tuple(moved), new_tabs


def archived_outcomes(state: PassState, live: list[RequestOutcome]) -> list[RequestOutcome]:
    """The Archive tab's requests, read as requests (the totals people expect include them);
    one whose id is still on the Requests tab (a move not finished) counts there only."""
    archive_table = state.snapshot.table("archive")
    if archive_table is None:
        return []
    as_requests = replace(archive_table, tab=state.schema.tab("requests"))
    ids = {o.request.id.casefold() for o in live if o.request.id}
    records = read_requests(
        as_requests, state.schema, state.rules, state.locale, state.tz, state.now
    )
    return [
        RequestOutcome(r, r.status, "", r.assigned_at, r.delivered_at)
        for r in records
        if not (r.id and r.id.casefold() in ids)
    ]
