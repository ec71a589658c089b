"""A workbook as read: its rows, its tabs (Table) and all of them at once (Snapshot)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Any

from sync.model.values import CellValue, is_blank
from sync.schema import HeaderMap, Locale, Tab


@dataclass(frozen=True)
class SheetRow:
    """One data row as read: its 1-based sheet row number and its cells."""

    number: int
    values: tuple[CellValue, ...]

    def cell(self, col: int | None) -> CellValue:
        """The value in a 0-based column, None past the end or for an unmapped column."""
        if col is None or col >= len(self.values):
            return None
        return self.values[col]


@dataclass(frozen=True)
class Table:
    """One tab as read: where its columns are and its data rows (blank rows included)."""

    tab: Tab
    title: str
    header: HeaderMap
    rows: tuple[SheetRow, ...]
    width: int  # columns in use, headers included

    def col(self, key: str) -> int | None:
        """The 0-based column of a key, or None when the tab lacks it."""
        return self.header.columns.get(key)

    def get(self, row: SheetRow, key: str) -> CellValue:
        """The cell of a row under a column key."""
        col = self.header.columns.get(key)  # col() and row.cell() inlined: the hottest read
        values = row.values
        return values[col] if col is not None and col < len(values) else None

    def cells(self, row: SheetRow) -> dict[str, CellValue]:
        """Every cell of a row by column key (None past the row's end): get() for all at once."""
        keys, pick, last = self._picker
        values = row.values
        if len(values) > last:
            return dict(zip(keys, pick(values), strict=True))
        width = len(values)
        return {k: values[c] if c < width else None for k, c in self.header.columns.items()}

    @cached_property
    def _picker(self) -> tuple[tuple[str, ...], Callable[[tuple[CellValue, ...]], Any], int]:
        # the keys, an itemgetter of their columns (a C loop), and the last column it reads
        keys = tuple(self.header.columns)
        cols = tuple(self.header.columns[k] for k in keys)
        if len(cols) > 1:
            return keys, itemgetter(*cols), max(cols)
        if cols:  # itemgetter of one index gives the value itself, not a tuple
            return keys, lambda values: (values[cols[0]],), cols[0]
        return keys, lambda values: (), -1

    @cached_property
    def _people_columns(self) -> tuple[int | None, ...]:
        return tuple(self.col(k) for k in self.tab.owned_by("human", "shared"))

    @cached_property
    def _human_columns(self) -> tuple[int | None, ...]:
        return tuple(self.col(k) for k in self.tab.owned_by("human"))

    def is_blank_row(self, row: SheetRow) -> bool:
        """True when no known human or shared column holds anything."""
        return all(is_blank(row.cell(c)) for c in self._people_columns)

    @cached_property
    def data_rows(self) -> tuple[SheetRow, ...]:
        """The rows that are not blank (see is_blank_row), in sheet order; worked out once."""
        return tuple(row for row in self.rows if not self.is_blank_row(row))

    def fingerprint(self, row: SheetRow) -> str:
        """A digest of a row's human-owned cells; identifies rows that have no id yet."""
        pick, last = self._human_picker
        values = row.values
        if pick is not None and len(values) > last:
            cells = pick(values)
        else:
            width = len(values)
            cells = [
                values[c] if c is not None and c < width else None for c in self._human_columns
            ]
        text = "\x1f".join(  # blank is None and 3.0 is 3 (inline: it runs per changed row)
            [
                "None"
                if v is None or (v.__class__ is str and not v.strip())
                else repr(int(v))
                if v.__class__ is float and v.is_integer()
                else repr(v)
                for v in cells
            ]
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def _human_picker(self) -> tuple[Callable[[tuple[CellValue, ...]], Any] | None, int]:
        # an itemgetter of the human columns when the tab has them all (and more than one)
        cols = self._human_columns
        if len(cols) < 2 or any(c is None for c in cols):
            return None, 0
        present = [c for c in cols if c is not None]
        return itemgetter(*present), max(present)


@dataclass(frozen=True)
class Snapshot:
    """Every tab of one workbook, read in one go."""

    source: str  # a human-readable name of the workbook, for messages
    locale: Locale
    tables: Mapping[str, Table]
    titles: tuple[str, ...]  # every tab title present, known or not
    # tabs (keys) the backend found without aidsync's formatting: the next write dresses them
    unformatted: frozenset[str] = frozenset()
    # the store keeps the worker's times as real date-time cells (lay_out then sends datetimes)
    moments: bool = False
    token: object = field(default=None, compare=False, repr=False)  # backend's private handle

    def table(self, key: str) -> Table | None:
        """The tab with this key, or None when the workbook lacks it."""
        return self.tables.get(key)
