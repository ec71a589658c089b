"""The pass's stock step: plan the lots (sync.stock) and write both sides of each match."""

from __future__ import annotations

from sync.model import CellValue, StockItem, Table, is_blank
from sync.planner.assignment import Requests
from sync.planner.state import PassState
from sync.stock import StockPlan, donor_texts, merge_note, plan_stock
from sync.values import safe_text, text_of


def _score(value: CellValue) -> float:
    """A Priority cell as a number (0 when blank or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value)


def plan_lots(state: PassState, table: Table, stock: list[StockItem], done: Requests) -> StockPlan:
    """Reserve, release and hand out donated lots; write both sides of each match."""
    requests = done.table
    outcomes = done.outcomes
    out = state.out
    order = sorted(
        outcomes,
        key=lambda o: (
            -done.scores.get(o.request.row.number, _score(o.request.priority)),
            o.request.submitted_at or state.now,
            o.request.row.number,
        ),
    )
    plan = plan_stock(
        order,
        {o.request.row.number: state.row_id(requests, o.request.row) for o in outcomes},
        stock,
        {item.row.number: state.row_id(table, item.row) for item in stock},
        state.rules,
        state.locale,
        state.now,
        donor_texts(table),
        state.schema,
    )
    for item in stock:
        lines = state.problem_text(item.problems)
        for text in lines:
            ref = state.row_id(table, item.row)
            state.problem(table.title, item.row.number, text, ref)
        lot = plan.lot(item.row.number)
        if lot is not None:
            if lot.status_label is not None:
                out.set(table, item.row, "status", lot.status_label, "")
            out.set(table, item.row, "reserved_for", lot.reserved_for, "")
            lines += lot.note_lines
        out.set(table, item.row, "sync_note", "\n".join(lines), "")
    by_row = {o.request.row.number: o.request for o in outcomes}
    safe: dict[str, str] = {}  # note line → safe_text(line): a few lines, on thousands of rows
    for matched in plan.requests:
        request = by_row[matched.row]
        if matched.stock or not is_blank(requests.get(request.row, "stock")):
            # (an empty Stock cell planned empty again: nothing to write, and no step but
            # this one plans that cell)
            out.set(requests, request.row, "stock", matched.stock, "")
        planned = out.planned(requests, request.row, "sync_note")
        lines = []
        for line in matched.note_lines:
            clean = safe.get(line)
            if clean is None:
                clean = safe[line] = safe_text(line)
            lines.append(clean)
        merged = merge_note(text_of(planned), lines)
        if merged != planned:  # most requests hold no stock: their note stays as planned
            out.set(requests, request.row, "sync_note", merged, "")
    for entry in plan.log:
        out.log(entry.ref, entry.action, entry.rule, entry.detail)
    for key, value in plan.stats.items():
        if value:
            state.count(key, value)
    return plan
