"""What every part of one pass shares: its moment, the rules, the writer, ids, counts, problems."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sync.messages import say
from sync.model import SheetRow, Snapshot, Table
from sync.planner.writer import Writer
from sync.rules import Rules
from sync.schema import Locale, Schema


class PassState:
    """One pass's inputs and the results its parts add to (cells, Log lines, counts, problems)."""

    def __init__(
        self, snapshot: Snapshot, rules: Rules, now: datetime, tz: ZoneInfo, schema: Schema
    ) -> None:
        self.snapshot = snapshot
        self.rules = rules
        self.now = now
        # the pass's moment as the sheet will hold it (to the minute): every figure made from a
        # time this pass writes uses this, so the next pass, reading it back, finds the same
        self.written_now = now.replace(second=0, microsecond=0)
        self.tz = tz
        self.schema = schema
        self.locale: Locale = snapshot.locale
        self.out = Writer(snapshot, self.locale, now)
        self.ids: dict[tuple[str, int], str] = {}  # (tab, row) → the row's id after the pass
        self.stats: dict[str, int] = {}
        self.problems: list[str] = []
        self._status_labels: dict[str, str] = {}

    def count(self, key: str, n: int = 1) -> None:
        """Add to one of the pass's counts."""
        self.stats[key] = self.stats.get(key, 0) + n

    def problem(self, tab: str, row: int, text: str, ref: str = "") -> None:
        """A row problem for the problems list, naming its place the workbook's way."""
        where = (
            self.say("row_at_ref", tab=tab, row=row, ref=ref)
            if ref
            else self.say("row_at", tab=tab, row=row)
        )
        self.problems.append(self.say("row_problem", where=where, text=text))

    def say(self, code: str, **fields: object) -> str:
        """A catalogue text in the workbook's language."""
        return say(self.locale, code, **fields)

    def status_label(self, key: str) -> str:
        """A request status as the workbook writes it."""
        label = self._status_labels.get(key)
        if label is None:  # a handful of statuses, asked for thousands of times a pass
            label = self.schema.choice_list("request_status").label(key, self.locale)
            self._status_labels[key] = label
        return label

    def problem_text(self, problems: Iterable[object]) -> list[str]:
        """Each problem a row's check found, as people read it."""
        texts = []
        for p in problems:
            fields = {"column": p.column, "value": p.value}  # type: ignore[attr-defined]
            texts.append(self.say(p.code, **fields))  # type: ignore[attr-defined]
        return texts

    def row_id(self, table: Table, row: SheetRow) -> str:
        """A row's id after the pass ("" for a blank row)."""
        return self.ids.get((table.tab.key, row.number), "")
