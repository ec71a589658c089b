"""Reading a Google spreadsheet: its tabs' metadata, every known tab in one values:batchGet,
and the Snapshot built from them (requests 1 and 2 of a pass; backend.py holds the write)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import gspread

from sync.backends.gsheets.dress import with_moments
from sync.backends.gsheets.http import RetryPolicy, SheetsCaller
from sync.backends.gsheets.sheets import (
    METADATA_FIELDS,
    READ_OPTIONS,
    Grid,
    SheetInfo,
    parse_sheets,
    quote_title,
    range_size,
)
from sync.errors import BackendError
from sync.layout import build_snapshot
from sync.model import Snapshot
from sync.schema import Locale, Schema


@dataclass(frozen=True)
class ReadToken:
    """What a read leaves for the write: every sheet's id and size, and the grids read."""

    sheets: Mapping[str, SheetInfo]
    grids: Mapping[str, Grid]


class SheetsReader:
    """One spreadsheet reached through a gspread client: who it is, and its reads."""

    def __init__(
        self,
        client: gspread.Client,
        spreadsheet_id: str,
        account: str,
        state_dir: Path,
        sleep: Callable[[float], None] | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        """Wrap a gspread client; sleep is injectable so tests need not wait for backoff."""
        self.client = client
        self.http = client.http_client
        self.spreadsheet_id = spreadsheet_id
        self.state_dir = state_dir
        self.title: str | None = None
        self.caller = SheetsCaller(self.describe, account, policy, sleep)

    # -- Backend protocol ----------------------------------------------------------------------
    def describe(self) -> str:
        """The spreadsheet's title (once read) and id; never a credential."""
        if self.title:
            return f"Google spreadsheet '{self.title}' ({self.spreadsheet_id})"
        return f"Google spreadsheet {self.spreadsheet_id}"

    def read(self, schema: Schema) -> Snapshot:
        """Metadata, then every known tab in one batchGet."""
        sheets = self.metadata()
        known = self.known_titles(sheets, schema)
        grids, sheets = self.read_grids(sheets, known)
        return self.snapshot(grids, sheets, schema, token=ReadToken(sheets, grids))

    def snapshot(
        self,
        grids: Mapping[str, Grid],
        sheets: Mapping[str, SheetInfo],
        schema: Schema,
        locale: Locale | None = None,
        token: object = None,
    ) -> Snapshot:
        """The tabs read as a Snapshot: date-time cells as datetimes, undressed tabs named."""
        every = {title: grids.get(title, []) for title in sheets}
        snapshot = build_snapshot(self.describe(), every, schema, token=token, locale=locale)
        bare = [k for k, t in snapshot.tables.items() if not sheets[t.title].dressed]
        return with_moments(snapshot, bare)

    def metadata(self, fields: str = METADATA_FIELDS) -> dict[str, SheetInfo]:
        """Every grid sheet (title → info), in tab order; remembers the spreadsheet's title."""
        return parse_sheets(self.raw_metadata(fields))

    def raw_metadata(self, fields: str) -> dict[str, Any]:
        """spreadsheets.get with a field mask (no cell data)."""
        data: dict[str, Any] = self.caller.call(
            "gs_act_reading_meta",
            lambda: dict(
                self.http.fetch_sheet_metadata(self.spreadsheet_id, params={"fields": fields})
            ),
        )
        title = (data.get("properties") or {}).get("title")
        if title:
            self.title = str(title)
        return data

    @staticmethod
    def known_titles(sheets: Mapping[str, SheetInfo], schema: Schema) -> list[str]:
        """Titles of the tabs the schema knows (either language), in tab order."""
        found = set(schema.find_tab(sheets.keys()).values())
        return [title for title in sheets if title in found]

    def read_grids(
        self,
        sheets: Mapping[str, SheetInfo],
        titles: Sequence[str],
        action: str = "gs_act_reading_tabs",
        written: str = "gs_wrote_nothing",
    ) -> tuple[dict[str, Grid], dict[str, SheetInfo]]:
        """One batchGet of whole tabs; also returns the sheets with their grid sizes as now."""
        updated = dict(sheets)
        if not titles:
            return {}, updated
        ranges = [quote_title(t) for t in titles]
        answer: dict[str, Any] = self.caller.call(
            action,
            lambda: dict(
                self.http.values_batch_get(self.spreadsheet_id, list(ranges), dict(READ_OPTIONS))
            ),
            written,
        )
        value_ranges = answer.get("valueRanges") or []
        if len(value_ranges) != len(titles):
            raise BackendError.worded("gs_incomplete_read", name=self.describe())
        grids: dict[str, Grid] = {}
        for title, value_range in zip(titles, value_ranges, strict=True):
            grids[title] = [list(row) for row in value_range.get("values") or []]
            size = range_size(str(value_range.get("range", "")))
            info = updated.get(title)
            if size is not None and info is not None:
                updated[title] = replace(info, rows=size[0], cols=size[1])
        return grids, updated
