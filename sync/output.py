"""What the commands print: a pass's outcome, a dry run's cell changes, the summary (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from sync.model import (
    ApplyResult,
    CellChange,
    CellValue,
    CellWrite,
    Plan,
    RowAnchor,
    Snapshot,
    WriteSet,
)
from sync.outcome import describe_stats
from sync.values import safe_text


@dataclass(frozen=True)
class _RowChanges:
    tab: str
    anchor: RowAnchor
    changes: list[CellChange]


def _show(value: CellValue) -> str:
    text = safe_text("" if value is None else str(value), 120).replace("\n", " ⏎ ")
    return f"'{text}'" if text else "(blank)"


def _grouped(changes: Iterable[CellChange]) -> list[_RowChanges]:
    groups: dict[tuple[str, RowAnchor], _RowChanges] = {}
    for change in changes:
        key = (change.tab, change.anchor)
        if key not in groups:
            groups[key] = _RowChanges(change.tab, change.anchor, [])
        groups[key].changes.append(change)
    return list(groups.values())


def describe_changes(snapshot: Snapshot, plan: Plan, writes: WriteSet | None = None) -> list[str]:
    """Every cell a write would put down, by row, with the cell address and the note that says
    why: the WriteSet when given (what a write sends), else the plan as read."""
    if writes is None:
        return _describe_plan(snapshot, plan)
    lines = [f"{c.title}: add column '{c.value}' after the last header" for c in writes.headers]
    lines += [f"add tab {tab.title} for {tab.key}" for tab in writes.tabs]
    by_id = {new.id: new for new in plan.new_rows}
    appended: dict[tuple[str, int], list[CellWrite]] = {}
    for cell in writes.rows:
        appended.setdefault((cell.tab, cell.row), []).append(cell)
    for (tab, _row), cells in appended.items():
        ref = next((str(c.value) for c in cells if c.column == "id"), "")
        new = by_id.get(ref)
        lines.append(f"{cells[0].title}: append row {ref} ({new.reason if new else ''})")
        lines += _new_row(snapshot, tab, [(c.column, c.value) for c in cells])
    placed: dict[tuple[str, RowAnchor], list[tuple[CellChange, str]]] = {}
    for cell in writes.changes:
        if cell.change is not None:
            key = (cell.change.tab, cell.change.anchor)
            placed.setdefault(key, []).append((cell.change, _address(cell.col, cell.row)))
    for (tab, anchor), changes in placed.items():
        lines += _row_changes(snapshot, tab, anchor, changes)
    for group in _grouped(writes.deferred):
        table = snapshot.tables[group.tab]
        lines.append(
            f"{table.title} row {group.anchor.row} {group.anchor.id or ''}".rstrip()
            + f": {len(group.changes)} change(s) wait for the next pass (the row changed)"
        )
    if writes.log_lines and writes.log is not None:
        lines.append(f"{writes.log.title}: {len(writes.log_lines)} log line(s) from row "
                     f"{writes.log.row + (1 if writes.log.header else 0)}")  # fmt: skip
    if writes.summary is not None and not writes.summary.unchanged:
        lines.append(f"{writes.summary.title}: rewritten ({len(writes.summary.rows)} rows)")
    return lines


def _address(col: int, row: int) -> str:
    return f"{get_column_letter(col + 1)}{row}"


def _new_row(snapshot: Snapshot, tab: str, cells: Iterable[tuple[str, CellValue]]) -> list[str]:
    table = snapshot.tables[tab]
    lines: list[str] = []
    note = ""
    for key, value in cells:
        if key == "sync_note":
            note = str(value or "")
        elif key and key != "id":
            label = table.tab.column(key).label(snapshot.locale)
            lines.append(f"  {'new row':<6} {label}: {_show(value)}")
    lines += [f"  why: {safe_text(why, 200)}" for why in note.split("\n") if why]
    return lines


def _row_changes(
    snapshot: Snapshot, tab: str, anchor: RowAnchor, changes: list[tuple[CellChange, str]]
) -> list[str]:
    table = snapshot.tables[tab]
    ids = [c.new for c, _ in changes if c.column == "id"]
    ref = anchor.id or (str(ids[0]) if ids else "")
    lines = [f"{table.title} row {anchor.row} {ref}".rstrip() + ":"]
    for change, letter in changes:
        if change.column == "sync_note":
            continue
        label = table.tab.column(change.column).label(snapshot.locale)
        lines.append(f"  {letter:<6} {label}: {_show(change.old)} → {_show(change.new)}")
    for change, _ in changes:
        if change.column == "sync_note" and change.new:
            lines += [f"  why: {safe_text(why, 200)}" for why in str(change.new).split("\n")]
    return lines


def _describe_plan(snapshot: Snapshot, plan: Plan) -> list[str]:
    lines: list[str] = []
    for tab_key in sorted({c.tab for c in plan.new_columns}):
        table = snapshot.tables[tab_key]
        for column in plan.new_columns:
            if column.tab == tab_key:
                lines.append(f"{table.title}: add column '{column.header}' after the last header")
    for key in plan.new_tabs:
        lines.append(f"add tab for {key}")
    for new in plan.new_rows:
        table = snapshot.tables[new.tab]
        lines.append(f"{table.title}: append row {new.id} ({new.reason})")
        lines += _new_row(snapshot, new.tab, new.cells)
    for group in _grouped(plan.changes):
        table = snapshot.tables[group.tab]
        changes = []
        for change in group.changes:
            col = table.col(change.column)
            letter = "new col" if col is None else _address(col, group.anchor.row)
            changes.append((change, letter))
        lines += _row_changes(snapshot, group.tab, group.anchor, changes)
    return lines


def describe_pass(snapshot: Snapshot, plan: Plan, applied: ApplyResult | None) -> list[str]:
    """A few lines a coordinator understands: what was decided and what was written."""
    lines = [f"{snapshot.source} · pass at {plan.time}"]
    lines.append("  " + describe_stats(plan.stats, snapshot.locale))
    for log in plan.log:
        if log.routine:
            continue
        parts = [p for p in (log.ref, log.action, log.rule, log.detail) if p]
        lines.append("  · " + " · ".join(parts))
    if applied is None:
        return lines
    if applied.written or applied.log_lines:
        lines.append(f"  wrote {applied.written} cells and {applied.log_lines} log lines")
    else:
        lines.append("  nothing needed writing")
    if applied.deferred:
        rows = len({(c.tab, c.anchor) for c in applied.deferred})
        lines.append(
            f"  {rows} row(s) were edited by someone during the pass; their changes wait for "
            "the next pass"
        )
    return lines


def summary_text(plan: Plan) -> list[str]:
    """The Summary tab as plain text lines."""
    out = []
    side = plan.chart.col if plan.chart else None  # the chart's table beside the Summary
    for row in plan.summary:
        cells = ["" if v is None else str(v) for v in row[:side]]
        while cells and not cells[-1]:
            cells.pop()
        out.append("  ".join(cells))
    while out and not out[-1]:
        out.pop()
    if side is not None:
        out.append("")
        for row in plan.summary:
            cells = ["" if v is None else str(v) for v in row[side:]]
            if any(cells):
                out.append("  ".join(cells))
    return out


def pass_record(snapshot: Snapshot, plan: Plan, applied: ApplyResult | None) -> dict[str, object]:
    """A pass as one JSON-ready record for log collectors: ids, actions, rules and counts only.

    Free text (notes, log details) is left out because it may name a resident or a volunteer.
    """
    decisions = [
        {"ref": line.ref, "action": line.action, "rule": line.rule}
        for line in plan.log
        if not line.routine
    ]
    record: dict[str, object] = {
        "level": "info",
        "event": "pass",
        "time": plan.time,
        "source": snapshot.source,
        "stats": dict(plan.stats),
        "problems": len(plan.problems),
        "decisions": decisions,
    }
    if applied is not None:
        record["written_cells"] = applied.written
        record["log_lines"] = applied.log_lines
        record["deferred_rows"] = len({(c.tab, c.anchor) for c in applied.deferred})
    else:
        record["dry_run"] = True
    return record
