"""Compare-and-set placement, shared by every store (pure): each change finds its row again.

A change lands only if its row is found unambiguously (by case-folded id, else by the digest of
its people's cells), those cells are unchanged and the cell still holds what was read; otherwise
every change of that row waits for the next pass. `surviving_log` is the Log the write keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sync.messages import say
from sync.model import (
    CellChange,
    CellValue,
    LogLine,
    Plan,
    RowAnchor,
    SheetRow,
    Snapshot,
    Table,
    is_blank,
    same_value,
)
from sync.schema import Locale
from sync.values import text_of


@dataclass(frozen=True)
class Target:
    """A change placed on the cell it will overwrite (1-based row, 0-based column)."""

    change: CellChange
    row: int
    col: int


def anchor_of(table: Table, row: SheetRow, row_id: str | None) -> RowAnchor:
    """How a write finds this row again: its id (None: none yet), position and people's cells."""
    return RowAnchor(row_id or None, row.number, table.fingerprint(row))


def id_key(text: str) -> str:
    """A row id as rows are matched by it: case ignored, as people type R-0001 or r-0001."""
    return text.casefold()


class RowIndex:
    """Rows of one tab by id, and rows without an id by the digest of their human cells."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.by_id: dict[str, list[SheetRow]] = {}
        self.unnamed: dict[str, list[SheetRow]] = {}
        for row in table.rows:
            ref = id_key(text_of(table.get(row, "id")))
            if ref:
                self.by_id.setdefault(ref, []).append(row)
            elif not table.is_blank_row(row):
                self.unnamed.setdefault(table.fingerprint(row), []).append(row)

    def find(self, anchor: RowAnchor) -> SheetRow | None:
        """The row a change belongs to now, or None when it moved ambiguously or was edited."""
        table = self.table
        if anchor.id:
            candidates = self.by_id.get(id_key(anchor.id), [])
        else:
            candidates = self.unnamed.get(anchor.fingerprint, [])
        if len(candidates) > 1:
            candidates = [r for r in candidates if r.number == anchor.row] or [
                r for r in candidates if table.fingerprint(r) == anchor.fingerprint
            ]
        if len(candidates) != 1:
            return None
        row = candidates[0]
        if table.fingerprint(row) != anchor.fingerprint:
            return None  # someone changed what the decision was based on: decide again next pass
        return row


def find_row(table: Table, anchor: RowAnchor) -> SheetRow | None:
    """The row a change belongs to now (see RowIndex.find); builds the index each call."""
    return RowIndex(table).find(anchor)


def place_changes(
    plan: Plan, current: Snapshot, added: Mapping[tuple[str, str], int]
) -> tuple[list[Target], list[CellChange]]:
    """Map each change to its cell in the workbook as it is now (compare-and-set).

    A change is deferred when its row cannot be found unambiguously, when the row's human
    cells changed, or when the cell no longer holds what was read; all changes of such a row
    are deferred together, so a row is never left half-updated.
    """
    indexes: dict[str, RowIndex] = {}
    groups: dict[tuple[str, RowAnchor], list[CellChange]] = {}
    for change in plan.changes:
        groups.setdefault((change.tab, change.anchor), []).append(change)
    targets: list[Target] = []
    deferred: list[CellChange] = []
    for (tab, anchor), changes in groups.items():
        table = current.table(tab)
        if table is None:
            deferred.extend(changes)
            continue
        if tab not in indexes:
            indexes[tab] = RowIndex(table)
        row = indexes[tab].find(anchor)
        placed: list[Target] = []
        for change in changes:
            col = table.col(change.column)
            if col is None:
                col = added.get((tab, change.column))
            if row is None or col is None or not same_value(row.cell(col), change.old):
                break
            placed.append(Target(change, row.number, col))
        else:
            targets.extend(placed)
            continue
        deferred.extend(changes)
    return targets, deferred


def filled(value: object) -> bool:
    """Whether a cell holds something for "last filled row" (blank text of spaces counts)."""
    return value is not None and value != ""


def table_last_row(table: Table | None) -> int:
    """The last filled row of a tab as read, its header row included (0: the tab is empty)."""
    if table is None:
        return 0
    for row in reversed(table.rows):
        if any(filled(v) for v in row.values):
            return row.number
    return table.header.header_row if any(filled(v) for v in table.header.headers) else 0


def place_new_rows(
    plan: Plan,
    current: Snapshot,
    added: Mapping[tuple[str, str], int],
    deferred: list[CellChange] | tuple[CellChange, ...] = (),
) -> tuple[list[tuple[str, int, int, CellValue]], frozenset[str]]:
    """Cells of the plan's new rows, each below its tab's last row as it is now.

    A new row whose id some row already holds is skipped (its id is returned): it was
    written by an earlier attempt, so a retried or repeated write never adds it twice. So is
    one whose origin row's changes were deferred (its id names an id not written yet).
    Returns (tab key, 1-based row, 0-based column, value) cells and the skipped ids.
    """
    waiting = {(c.tab, c.anchor) for c in deferred}
    cells: list[tuple[str, int, int, CellValue]] = []
    skipped: set[str] = set()
    next_row: dict[str, int] = {}
    indexes: dict[str, RowIndex] = {}
    for new in plan.new_rows:
        table = current.table(new.tab)
        if table is None:
            skipped.add(new.id)
            continue
        if new.tab not in indexes:
            indexes[new.tab] = RowIndex(table)
        origin = (new.depends_tab or new.tab, new.depends_on)
        if id_key(new.id) in indexes[new.tab].by_id or origin in waiting:
            skipped.add(new.id)
            continue
        # below the last row holding anything, spaces included: a row nobody sees as filled may
        # still be someone's, and the Log lands by the same rule (table_last_row)
        row = next_row.get(new.tab) or 1 + max(table.header.header_row, table_last_row(table))
        next_row[new.tab] = row + 1
        for key, value in new.cells:
            col = table.col(key)
            if col is None:
                col = added.get((new.tab, key))
            if col is not None:
                cells.append((new.tab, row, col, value))
    return cells, frozenset(skipped)


def hold_unarchived(
    plan: Plan,
    current: Snapshot,
    targets: list[Target],
    deferred: list[CellChange],
    skipped: frozenset[str],
) -> tuple[list[Target], list[CellChange]]:
    """Keep an archived request's row in place unless its copy lands in the Archive tab.

    A move is two halves in one write: the copy appended to the Archive and the row emptied in
    Requests. When the copy cannot be written (already there, the Archive tab renamed or lacking
    a column the row fills), the emptying waits too, so a row is never emptied without its copy.
    """
    archive = current.table("archive")
    held: set[tuple[str, RowAnchor | None]] = set()
    for new in plan.new_rows:
        if new.tab != "archive":
            continue
        fits = archive is not None and all(
            archive.col(key) is not None for key, value in new.cells if not is_blank(value)
        )
        if new.id in skipped or not fits:
            held.add((new.depends_tab or new.tab, new.depends_on))
    if not held:
        return targets, deferred
    kept = [t for t in targets if (t.change.tab, t.change.anchor) not in held]
    waiting = [t.change for t in targets if (t.change.tab, t.change.anchor) in held]
    return kept, [*deferred, *waiting]


def place_plan(
    plan: Plan, current: Snapshot, added: Mapping[tuple[str, str], int]
) -> tuple[list[Target], list[CellChange], list[tuple[str, int, int, CellValue]], frozenset[str]]:
    """Every cell the write puts down, checked against the workbook as it is now.

    Returns the placed changes, the deferred ones, the new rows' cells and the ids of new rows
    skipped; an archived request is emptied only together with its copy in the Archive.
    """
    targets, deferred = place_changes(plan, current, added)
    targets, deferred = hold_unarchived(plan, current, targets, deferred, frozenset())
    new_cells, skipped = place_new_rows(plan, current, added, deferred)
    targets, deferred = hold_unarchived(plan, current, targets, deferred, skipped)
    return targets, deferred, new_cells, skipped


def surviving_log(
    plan: Plan,
    deferred: list[CellChange],
    time: str,
    locale: Locale,
    skipped: frozenset[str] = frozenset(),
) -> list[LogLine]:
    """The plan's log lines minus those about deferred rows (and new rows skipped as already
    written), plus one line per deferred row."""
    refs: dict[tuple[str, RowAnchor], str] = {}
    for change in deferred:
        key = (change.tab, change.anchor)
        ref = change.anchor.id or (str(change.new) if change.column == "id" else refs.get(key, ""))
        refs[key] = ref or refs.get(key, "") or f"#{change.anchor.row}"
    dropped = set(refs.values()) | set(skipped)
    lines = [line for line in plan.log if not line.ref or line.ref not in dropped]
    for (tab, anchor), ref in refs.items():
        n = sum(1 for c in deferred if (c.tab, c.anchor) == (tab, anchor))
        detail = say(locale, "deferred_changes", n=n)
        lines.append(LogLine(time, ref, say(locale, "log_deferred"), "", detail))
    return lines
