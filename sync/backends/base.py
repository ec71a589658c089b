"""The small interface every backend implements, and the compare-and-set logic they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sync.model import (
    ApplyResult,
    CellChange,
    LogLine,
    Plan,
    RowAnchor,
    SheetRow,
    Snapshot,
    Table,
    same_value,
)
from sync.schema import Locale, Schema
from sync.values import text_of


class Backend(Protocol):
    """A workbook store: read everything in one go, write a plan with compare-and-set."""

    def describe(self) -> str:
        """A human-readable name of the workbook (no secrets)."""
        ...

    def lock_path(self) -> Path:
        """The file lock that keeps two passes on this workbook from overlapping."""
        ...

    def read(self, schema: Schema) -> Snapshot:
        """Every tab, in one round trip."""
        ...

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Write a plan made from this snapshot; raise StaleSnapshot to have the pass re-plan."""
        ...

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Create missing tabs and headers (and sample rows); return what was done."""
        ...


@dataclass(frozen=True)
class Target:
    """A change placed on the cell it will overwrite (1-based row, 0-based column)."""

    change: CellChange
    row: int
    col: int


def find_row(table: Table, anchor: RowAnchor) -> SheetRow | None:
    """The row a change belongs to now, or None when it moved ambiguously or was edited."""
    if anchor.id:
        wanted = anchor.id.casefold()
        candidates = [r for r in table.rows if text_of(table.get(r, "id")).casefold() == wanted]
    else:
        candidates = [
            r for r in table.rows
            if not text_of(table.get(r, "id")) and table.fingerprint(r) == anchor.fingerprint
        ]  # fmt: skip
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


def place_changes(
    plan: Plan, current: Snapshot, added: Mapping[tuple[str, str], int]
) -> tuple[list[Target], list[CellChange]]:
    """Map each change to its cell in the workbook as it is now (compare-and-set).

    A change is deferred when its row cannot be found unambiguously, when the row's human
    cells changed, or when the cell no longer holds what was read; all changes of such a row
    are deferred together, so a row is never left half-updated.
    """
    placed: dict[tuple[str, RowAnchor], list[Target]] = {}
    spoiled: set[tuple[str, RowAnchor]] = set()
    order: list[tuple[str, RowAnchor]] = []
    for change in plan.changes:
        key = (change.tab, change.anchor)
        if key not in placed:
            placed[key] = []
            order.append(key)
        if key in spoiled:
            continue
        table = current.table(change.tab)
        row = find_row(table, change.anchor) if table else None
        col = None
        if table is not None:
            col = table.col(change.column)
            if col is None:
                col = added.get((change.tab, change.column))
        if table is None or row is None or col is None or not same_value(row.cell(col), change.old):
            spoiled.add(key)
            continue
        placed[key].append(Target(change, row.number, col))
    targets: list[Target] = []
    deferred: list[CellChange] = []
    for key in order:
        if key in spoiled:
            deferred.extend(c for c in plan.changes if (c.tab, c.anchor) == key)
        else:
            targets.extend(placed[key])
    return targets, deferred


def surviving_log(
    plan: Plan, deferred: list[CellChange], time: str, locale: Locale
) -> list[LogLine]:
    """The plan's log lines minus those about deferred rows, plus one line per deferred row."""
    from sync.messages import say

    refs: dict[tuple[str, RowAnchor], str] = {}
    for change in deferred:
        key = (change.tab, change.anchor)
        ref = change.anchor.id or (str(change.new) if change.column == "id" else refs.get(key, ""))
        refs[key] = ref or refs.get(key, "") or f"#{change.anchor.row}"
    dropped = set(refs.values())
    lines = [line for line in plan.log if not line.ref or line.ref not in dropped]
    for (tab, anchor), ref in refs.items():
        n = sum(1 for c in deferred if (c.tab, c.anchor) == (tab, anchor))
        detail = (
            f"{n} 处改动延到下一轮：读取后此行被人修改或移动" if locale == "zh"
            else f"{n} changes left for the next pass: the row was edited or moved after the read"
        )  # fmt: skip
        lines.append(LogLine(time, ref, say(locale, "log_deferred"), "", detail))
    return lines
