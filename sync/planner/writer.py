"""The pass's only way to the sheet: cell changes and Log lines, worker and shared columns only."""

from __future__ import annotations

from datetime import datetime

from sync.model import (
    CellChange,
    CellValue,
    LogLine,
    RowAnchor,
    SheetRow,
    Snapshot,
    Table,
    is_blank,
    same_value,
)
from sync.schema import Locale
from sync.validate import PERSONAL
from sync.values import format_time, safe_text, text_of


class Writer:
    """Collects cell changes and log lines, writing only worker and shared columns."""

    def __init__(self, snapshot: Snapshot, locale: Locale, local_now: datetime) -> None:
        self.snapshot = snapshot
        self.locale = locale
        self.time = format_time(local_now)
        self._changes: dict[tuple[str, int, str], CellChange] = {}
        self.log_lines: list[LogLine] = []
        self.anchors: dict[tuple[str, int], RowAnchor] = {}
        self._writable: set[tuple[str, str]] = set()  # (tab, column) pairs checked once
        self._labels: dict[str, str] = {}  # reasons, actions, rule names: few, repeated often
        # safe_text remembered: a pass plans the same note again as later steps add to it
        self._masked: dict[str, str] = {}  # text → safe_text(text)
        self._unmasked: dict[str, str] = {}  # text → safe_text(text, mask=False)
        self._details: dict[str, str] = {}  # Log detail → safe_text(detail, 2000)

    def anchor(self, table: Table, row: SheetRow) -> RowAnchor:
        """How the write finds this row again (worked out once per row)."""
        key = (table.tab.key, row.number)
        anchor = self.anchors.get(key)
        if anchor is None:
            current = text_of(table.get(row, "id")) or None
            anchor = self.anchors[key] = RowAnchor(current, row.number, table.fingerprint(row))
        return anchor

    def set(
        self, table: Table, row: SheetRow, key: str, new: CellValue, reason: str, mask: bool = True
    ) -> None:
        """Plan a worker or shared cell to hold a value (nothing when it holds it already)."""
        if new.__class__ is str:  # _clean inlined: tens of thousands of calls a pass
            memo = self._masked if mask else self._unmasked
            clean = memo.get(new)
            if clean is None:
                clean = memo[new] = safe_text(new, mask=mask)
            new = clean
        self._put(table, row, key, new, reason)

    def set_as_is(self, table: Table, row: SheetRow, key: str, new: str, reason: str) -> None:
        """set() for a text the caller knows safe_text leaves as it is (see ids.plain_ids)."""
        self._put(table, row, key, new, reason)

    def _put(self, table: Table, row: SheetRow, key: str, new: CellValue, reason: str) -> None:
        """set() once the value is fit for a cell (runs tens of thousands of times a pass)."""
        tab = table.tab.key
        if (tab, key) not in self._writable:
            if table.tab.column(key).owner == "human":  # a planner bug must never lose a human edit
                raise AssertionError(f"the planner tried to write human column {tab}.{key}")
            self._writable.add((tab, key))
        col = table.header.columns.get(key)  # table.get inlined
        values = row.values
        old = values[col] if col is not None and col < len(values) else None
        cell = (tab, row.number, key)
        # same_value's answer for the two commonest pairs, text over text and text over an
        # empty cell, without its type checks (both blank, or equal)
        if new.__class__ is str and (old is None or old.__class__ is str):
            same = old == new or (not new.strip() and (old is None or not old.strip()))
        else:
            same = same_value(old, new)
        if same:
            self._changes.pop(cell, None)  # a later decision may undo an earlier one
            return
        anchor = self.anchors.get((tab, row.number)) or self.anchor(table, row)
        label = self._labels.get(reason)
        self._changes[cell] = CellChange(
            tab, anchor, key, old, new, self._label(reason) if label is None else label
        )

    def _label(self, text: str) -> str:
        """safe_text for the few texts that recur on thousands of lines (computed once each)."""
        clean = self._labels.get(text)
        if clean is None:
            clean = self._labels[text] = safe_text(text)
        return clean

    def stamp(self, table: Table, row: SheetRow, key: str, moment: datetime | None = None) -> None:
        """Write a time (the pass's own moment by default); a time is never a phone number."""
        # format_time gives digits, '-', ':' and a space: safe_text would return it unchanged
        self._put(table, row, key, self.time if moment is None else format_time(moment), "")

    def erase(self, table: Table, row: SheetRow, key: str) -> None:
        """Blank a person's details under the retention rule (the only write to their cells)."""
        if key not in PERSONAL or table.tab.key != "requests":
            raise AssertionError(f"retention may blank only personal details, not {key}")
        self._blank(table, row, key)

    def empty_row(self, table: Table, row: SheetRow) -> None:
        """Empty every known cell of a request moved to the Archive (its copy goes with it)."""
        if table.tab.key != "requests":
            raise AssertionError("only closed requests are moved to the Archive")
        for key in table.header.columns:
            self._blank(table, row, key)

    def _blank(self, table: Table, row: SheetRow, key: str) -> None:
        """Plan a cell empty, whoever owns it (callers check that they may)."""
        old = table.get(row, key)
        if not is_blank(old):
            cell = (table.tab.key, row.number, key)
            self._changes[cell] = CellChange(
                table.tab.key, self.anchor(table, row), key, old, "", ""
            )

    def planned(self, table: Table, row: SheetRow, key: str) -> CellValue:
        """What a cell will hold after the pass, as planned so far."""
        change = self._changes.get((table.tab.key, row.number, key))
        return change.new if change else table.get(row, key)

    @property
    def changes(self) -> list[CellChange]:
        """Every planned change, in the order first planned."""
        return list(self._changes.values())

    def log(
        self, ref: str, action: str, rule: str = "", detail: str = "", routine: bool = False
    ) -> None:
        """Add a Log line at the pass's moment."""
        self.log_lines.append(
            LogLine(
                self.time,
                ref,
                self._label(action),
                self._label(rule),
                self._detail(detail),
                routine,
            )
        )

    def log_as_is(self, ref: str, action: str, detail: str, routine: bool = False) -> None:
        """log() for a ref and detail the caller knows safe_text leaves as they are."""
        self.log_lines.append(LogLine(self.time, ref, self._label(action), "", detail, routine))

    def _detail(self, text: str) -> str:
        """safe_text for a Log detail, remembered (the same detail recurs on many lines)."""
        clean = self._details.get(text)
        if clean is None:
            clean = self._details[text] = safe_text(text, 2000)
        return clean
