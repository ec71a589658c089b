"""Google Sheets backend: gspread over service-account credentials, a constant request budget.

A pass costs at most four Sheets API requests whatever the row count:

1. ``spreadsheets.get`` (sheet titles, ids, grid sizes and charts only, no cell data);
2. one ``values:batchGet`` of every known tab (unformatted values, dates as serial numbers);
3. just before writing, one more ``values:batchGet`` of the same tabs: the changes are placed
   on the workbook as it is now (``place_plan``: by row id, human edits win);
4. one ``values:batchUpdate`` with ``valueInputOption=RAW`` carrying the cells, the new
   headers, appended rows (recurring requests), the log lines and the rewritten Summary (text
   always stays text).

When the write placed on the first read needs a tab, grid rows or the Summary chart
(backends/gsheets/chart.py), request 3 is instead one ``spreadsheets.batchUpdate`` (addSheet /
appendDimension / addChart) that answers with the known tabs as they are after it
(``change_and_read``): that answer is the check. A pass that would change nothing stops after
the first read (2 requests). Requests 1 and 2 are read.py's; this module is the write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from sync.backends import Configured, Shared
from sync.backends.gsheets.chart import chart_requests
from sync.backends.gsheets.http import (
    BadRange,
    RetryPolicy,
    Transient,
    build_client,
    load_service_account,
)
from sync.backends.gsheets.init import initialise_spreadsheet
from sync.backends.gsheets.quota import Budget, Meter
from sync.backends.gsheets.read import ReadToken, SheetsReader
from sync.backends.gsheets.sheets import (
    CHANGE_AND_READ_FIELDS,
    NEW_TAB_COLUMNS,
    NEW_TAB_ROWS,
    READ_OPTIONS,
    Grid,
    SheetInfo,
    column_letters,
    grid_of,
    parse_sheets,
    quote_title,
    spreadsheet_key,
)
from sync.backends.gsheets.write import Write, chart_kept, log_row, repair, structure, translate
from sync.backends.guard import append_block, probe_blocks
from sync.errors import BackendError, ConfigError, StaleSnapshot
from sync.model import ApplyResult, LogLine, NewTab, Plan, Snapshot
from sync.schema import Locale, Schema
from sync.writes import lay_out

_MAYBE_WRITTEN = "gs_wrote_maybe"  # the catalogue's "the last write got no answer" (google.py)


class GSheetsBackend(SheetsReader):
    """A Google spreadsheet, read and written through gspread with a constant request budget."""

    _structure = staticmethod(structure)  # the structural requests a write needs (tests)

    @classmethod
    def from_settings(
        cls,
        settings: Configured,
        sleep: Callable[[float], None] | None = None,
        policy: RetryPolicy | None = None,
        budget: Budget | None = None,
    ) -> GSheetsBackend:
        """Build the backend from --spreadsheet, the credentials, endpoint and timeout; a budget
        shared with other workbooks' backends keeps them all within Google's quota."""
        if not settings.option("spreadsheet"):
            raise ConfigError.worded("gs_which")
        key = spreadsheet_key(settings.option("spreadsheet"))
        account = load_service_account(settings.option("credentials"))
        meter = Meter(budget, account.email, account.project) if budget else None
        endpoint, timeout = settings.option("sheets_endpoint"), settings.option("request_timeout")
        client = build_client(account, endpoint, timeout, meter)
        return cls(client, key, account.describe(), settings.state_dir, sleep, policy)

    # -- Backend protocol (read() and describe() are the reader's) ----------------------------
    def lock_path(self) -> Path:
        """One lock per spreadsheet id, in the state folder."""
        return self.state_dir / "locks" / f"{self.spreadsheet_id}.lock"

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Verify against a fresh read, then write everything in one values:batchUpdate."""
        token = snapshot.token
        if not isinstance(token, ReadToken):
            raise BackendError("internal: this snapshot was not read from this spreadsheet")
        layout = lay_out(plan, snapshot, schema)
        summary = snapshot.table("summary")
        info = token.sheets.get(summary.title) if summary else None
        if (
            layout.is_empty()
            and not layout.formats
            and (info is None or not chart_requests(plan.chart, info.sheet_id, info.charts))
        ):
            return ApplyResult(written=0, write_set=layout)
        sheets = dict(token.sheets)
        known = list(token.grids)
        previous: Write | None = None
        unsure = "gs_wrote_nothing"
        attempt = 1
        # When the write needs tabs, grid rows or the chart first (as placed on the read), that
        # request also brings the tabs back as they are after it: it is the verifying read, and
        # the pass stays at four requests.
        ahead: Write | None = translate(layout, snapshot, sheets, plan.time)
        made: tuple[NewTab, ...] = ()  # tabs the structural request added, for the result
        while True:
            write: Write | None = None
            try:
                if ahead is not None and ahead.structure:
                    grids = self.change_and_read(ahead, sheets, known)
                    made = layout.tabs
                else:
                    grids, sheets = self.read_grids(sheets, known, "gs_act_checking", unsure)
                if previous is not None and previous.landed(grids):
                    return previous.result
                current = self.snapshot(grids, sheets, schema, snapshot.locale)
                write = translate(lay_out(plan, current, schema), current, sheets, plan.time)
                self.send(write, sheets)
                result = self.undo_moved(write)
                if made and result.write_set is not None:
                    tabs = (*made, *result.write_set.tabs)
                    result = replace(result, write_set=replace(result.write_set, tabs=tabs))
                return result
            except BadRange as exc:
                raise StaleSnapshot(str(exc)) from None
            except Transient as problem:
                failure = problem
            ahead = None  # after a failure the check is a plain read again
            if write is not None:  # the values write failed (not the structural request)
                previous = write
                known = [t for t in sheets if t in grids or t in write.new_sheets]
            if failure.unsure:
                unsure = _MAYBE_WRITTEN
            if not self.caller.pause(attempt, failure):
                action = "gs_act_writing" if write is not None else "gs_act_changing_tabs"
                written = _MAYBE_WRITTEN if failure.unsure else "gs_wrote_no_cell"
                raise self.caller.gave_up(action, attempt, failure, written)
            attempt += 1

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """One values:append (RAW, INSERT_ROWS) to the Log tab after the pass's write.

        Retried like every call; a retry after an answer that never came may add the lines
        twice, which is harmless (a duplicate record of a sent message, never a second send).
        """
        if not lines:
            return
        width = max(len(line.cells()) for line in lines)
        table = snapshot.table("log")
        title = table.title if table else schema.tab("log").title(snapshot.locale)
        body = {
            "majorDimension": "ROWS",
            "values": [log_row(line) for line in lines],
        }
        params: dict[str, Any] = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
        self.caller.call(
            "gs_act_log_lines",
            lambda: self.http.values_append(
                self.spreadsheet_id,
                f"{quote_title(title)}!A:{column_letters(width - 1)}",
                params,
                body,
            ),
            "gs_wrote_log_maybe",
        )

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Add missing tabs, headers, dropdowns, protections and highlights; keep all data."""
        return initialise_spreadsheet(self, schema, locale, sample)

    def send(self, write: Write, sheets: dict[str, SheetInfo]) -> None:
        """Structural requests (if any), then the values; one attempt each (the caller retries).

        Tabs added are recorded in `sheets` at once, so a retry reads them and does not add
        them again. Raises Transient for failures that may pass and BadRange when the layout
        changed under the write.
        """
        if write.structure:
            try:
                reply = self.http.batch_update(self.spreadsheet_id, {"requests": write.structure})
            except Exception as exc:
                raise self.caller.classify(exc) from None
            self._structured(write, reply, sheets)
        self._send_values(write)

    def change_and_read(
        self, write: Write, sheets: dict[str, SheetInfo], titles: Sequence[str]
    ) -> dict[str, Grid]:
        """The write's structural requests, answered with the tabs as they are after them
        (includeSpreadsheetInResponse): the verifying read without a request of its own.
        Updates `sheets` (new tabs, grid sizes, charts); new tabs read as empty."""
        body: dict[str, Any] = {"requests": write.structure}
        if titles:
            body.update(
                includeSpreadsheetInResponse=True,
                responseRanges=[quote_title(t) for t in titles],
            )
        try:
            response = self.http.request(
                "post",
                SPREADSHEET_BATCH_UPDATE_URL % self.spreadsheet_id,
                json=body,
                params={"fields": CHANGE_AND_READ_FIELDS},
            )
            reply: dict[str, Any] = response.json()
        except Exception as exc:
            raise self.caller.classify(exc) from None
        self._structured(write, reply, sheets)
        grids: dict[str, Grid] = {title: [] for title in write.new_sheets}
        resource = reply.get("updatedSpreadsheet") or {}
        for title, info in parse_sheets(resource).items():
            if title in sheets:  # sizes and charts as they are after the requests
                sheets[title] = replace(
                    sheets[title],
                    rows=info.rows,
                    cols=info.cols,
                    charts=info.charts,
                    dressed=info.dressed,
                )
        for sheet in resource.get("sheets") or []:
            title = str((sheet.get("properties") or {}).get("title", ""))
            if title in titles:
                grids[title] = grid_of(sheet)
        missing = [t for t in titles if t not in grids]
        if missing:
            raise BackendError.worded("gs_tabs_missing", name=self.describe(), missing=missing)
        return grids

    def _structured(
        self, write: Write, reply: Mapping[str, Any], sheets: dict[str, SheetInfo]
    ) -> None:
        """Record what the structural requests did, so that a retry does not do it again."""
        if write.structure:
            for item in reply.get("replies") or []:
                props = (item or {}).get("addSheet", {}).get("properties")
                if props:
                    grid = props.get("gridProperties") or {}
                    info = SheetInfo(
                        int(props.get("sheetId", 0)),
                        str(props["title"]),
                        int(props.get("index", len(sheets))),
                        int(grid.get("rowCount", NEW_TAB_ROWS)),
                        int(grid.get("columnCount", NEW_TAB_COLUMNS)),
                        int(grid.get("frozenRowCount", 0)),
                    )
                    sheets[info.title] = info
            for fmt in write.dressing:  # so that a retry does not dress them again
                if fmt.title in sheets:
                    sheets[fmt.title] = replace(sheets[fmt.title], dressed=True)
            if write.chart_sheet in sheets:  # so that a retry does not add the chart again
                added = [
                    (i or {}).get("addChart", {}).get("chart") for i in reply.get("replies") or []
                ]
                kept = [c for c in added if c] or [
                    c for c in sheets[write.chart_sheet].charts if chart_kept(c, write.charts)
                ]
                sheets[write.chart_sheet] = replace(sheets[write.chart_sheet], charts=tuple(kept))
            write.structure = []  # done: a retry of this write must not add the tabs again

    def _send_values(self, write: Write) -> None:
        data = write.data()
        if data:
            blocks = probe_blocks(write.watches) + [append_block(a) for a in write.appends]
            probes = [
                {
                    "range": f"{quote_title(title)}!A{first}:{column_letters(width - 1)}{last}",
                    "majorDimension": "ROWS",
                    "values": [[None]],  # a null writes nothing: the range is only looked at
                }
                for title, first, last, width in blocks
            ]
            body: dict[str, Any] = {"valueInputOption": "RAW", "data": data + probes}
            if probes:
                body.update(
                    includeValuesInResponse=True,
                    responseValueRenderOption=READ_OPTIONS["valueRenderOption"],
                    responseDateTimeRenderOption=READ_OPTIONS["dateTimeRenderOption"],
                )
            try:
                reply = self.http.values_batch_update(self.spreadsheet_id, body)
            except Exception as exc:
                raise self.caller.classify(exc) from None
            answers = (reply or {}).get("responses") or [] if isinstance(reply, dict) else []
            write.answers = list(answers[len(data) :]) if len(answers) == len(body["data"]) else []

    def undo_moved(self, write: Write) -> ApplyResult:
        """Put back cells that landed on a row moved between the check and the write.

        Costs a request only when that happened. The intended changes wait for the next pass;
        the Log says which rows, and asks people to check a row whose earlier values cannot be
        told (its written cells are emptied: better blank than another resident's assignment).
        """
        mended = repair(write)
        if mended is None:
            return write.result
        fix, lines, deferred = mended
        self.caller.call(
            "gs_act_putting_back",
            lambda: self.http.values_batch_update(
                self.spreadsheet_id, {"valueInputOption": "RAW", "data": fix.data()}
            ),
            _MAYBE_WRITTEN,
        )
        return replace(
            write.result,
            written=write.result.written - len(deferred),
            deferred=write.result.deferred + deferred,
            log_lines=write.result.log_lines + len(lines),
            logged=write.result.logged + tuple(lines),
        )


def open_backend(settings: Configured, shared: Shared | None = None) -> GSheetsBackend:
    """The spreadsheet --spreadsheet names (the registry's entry point); backends opened with
    one Shared draw on one quota budget."""
    budget = shared.get("google-quota", Budget) if shared is not None else None
    return GSheetsBackend.from_settings(settings, budget=budget)
