"""Feishu / Lark Sheets backend: an internal app's token, a constant request budget.

A steady pass costs four API calls whatever the row count (token calls, which Feishu does not
count against the monthly budget, aside):

1. ``sheets/query`` — every tab's sheet id, title and grid size;
2. one ``values_batch_get`` of every known tab (``<sheetId>!A1:<col>``, UnformattedValue,
   dates as serial numbers);
3. just before writing, the same ``values_batch_get`` again: the plan is placed on the
   spreadsheet as it is now (``place_plan``: by row id, what people changed wins). When its
   ``revision`` equals the first read's, nothing changed and the first read is used as is;
4. ``values_batch_update`` of every cell, header, Log line and the rewritten Summary; text that
   could be read as a formula or a number goes as a text segment.

A pass that changes nothing stops after call 2. A pass that needs a new tab or more grid rows
makes one ``sheets_batch_update`` or ``dimension_range`` call first. When the write's answer
carries a revision more than one past the verifying read's, someone edited in that instant:
one more read looks at the rows written, and cells that landed on a moved row are put back
(backends/guard.py decides which).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sync.backends import Configured
from sync.backends.feishu.dress import dress_tabs, undressed
from sync.backends.feishu.http import (
    AppCredential,
    FeishuClient,
    LayoutChanged,
    RetryPolicy,
)
from sync.backends.feishu.init import initialise_spreadsheet
from sync.backends.feishu.settings import load_credential, spreadsheet_token
from sync.backends.feishu.sheets import Grid, SheetInfo, Sheets, cell_json
from sync.backends.feishu.write import Write, translate
from sync.backends.guard import (
    append_block,
    appends,
    mend_append,
    misplaced,
    restore,
    watches,
)
from sync.errors import BackendError, ConfigError, StaleSnapshot
from sync.layout import build_snapshot
from sync.messages import say
from sync.model import ApplyResult, LogLine, Plan, Snapshot, TabFormat
from sync.schema import Locale, Schema
from sync.writes import last_filled_row, lay_out

FEISHU = "https://open.feishu.cn"
CALLS_PER_PASS = 4  # a steady pass; a quiet one costs 2
FREE_MONTHLY_CALLS = 10_000  # the free plan: all custom apps of a tenant together
MONTH = 30 * 86400


@dataclass(frozen=True)
class _Token:
    """What a read leaves for the write: the tabs, the grids read and the revision."""

    sheets: Mapping[str, SheetInfo]
    grids: Mapping[str, Grid]
    revision: int


class FeishuBackend:
    """A Feishu (or Lark) spreadsheet, read and written with a constant request budget."""

    def __init__(self, client: FeishuClient, token: str, state_dir: Path) -> None:
        """Wrap a client bound to one app; token is the spreadsheet's."""
        self.client = client
        self.token = token
        self.state_dir = state_dir
        self.sheets = Sheets(client, token)
        self.locale: Locale = _env_locale()
        self.read_locale: Locale | None = None  # the workbook's, once read: errors say it so
        client.where = self.describe
        client.locale = lambda: self.locale
        client.workbook_locale = lambda: self.read_locale
        self._log_next: dict[str, int] = {}  # Log title → first free row after the last write
        self._sheets: dict[str, SheetInfo] = {}  # the tabs as the last read or write left them

    @classmethod
    def from_settings(
        cls,
        settings: Configured,
        sleep: Callable[[float], None] | None = None,
        policy: RetryPolicy | None = None,
    ) -> FeishuBackend:
        """Build from --feishu, the app credential, AIDSYNC_FEISHU_ENDPOINT and the timeout."""
        locale = _env_locale()
        if not settings.option("feishu"):
            raise ConfigError.worded("feishu_which")
        token = spreadsheet_token(settings.option("feishu"), locale)
        credential: AppCredential = load_credential(settings, locale)
        endpoint = settings.option("feishu_endpoint") or FEISHU
        if not endpoint.startswith(("https://", "http://")):
            raise ConfigError.worded("feishu_bad_endpoint", endpoint=endpoint)
        if settings.option("request_timeout") <= 0:
            raise ConfigError.worded("feishu_bad_timeout")
        client = FeishuClient(
            endpoint, credential, settings.option("request_timeout"), policy, sleep
        )
        return cls(client, token, settings.state_dir)

    # -- Backend protocol ------------------------------------------------------------------------
    def describe(self) -> str:
        """The spreadsheet's token; never the app secret."""
        return f"Feishu spreadsheet {self.token}"

    def lock_path(self) -> Path:
        """One lock per spreadsheet token, in the state folder."""
        return self.state_dir / "locks" / f"feishu-{self.token}.lock"

    def read(self, schema: Schema) -> Snapshot:
        """sheets/query, then every known tab in one values_batch_get."""
        sheets = self.sheets.list_sheets()
        self._sheets = dict(sheets)
        known = [sheets[t] for t in self.known_titles(sheets, schema)]
        grids = self.sheets.read_tabs(known)
        every = {title: grids.get(title, []) for title in sheets}
        snapshot = build_snapshot(
            self.describe(), every, schema, token=_Token(sheets, grids, self.sheets.revision)
        )
        snapshot = replace(snapshot, unformatted=undressed(snapshot, sheets))
        self.read_locale = snapshot.locale
        if "AIDSYNC_LANG" not in os.environ:
            self.locale = snapshot.locale
        return snapshot

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Verify on a fresh read, then write everything (one values_batch_update)."""
        token = snapshot.token
        if not isinstance(token, _Token):
            raise BackendError("internal: this snapshot was not read from this spreadsheet")
        layout = lay_out(plan, snapshot, schema)
        if layout.is_empty() and not layout.formats:
            return ApplyResult.unsent(layout)
        sheets = dict(token.sheets)
        known = [sheets[t] for t in token.grids if t in sheets]
        unsure = say(self.locale, "feishu_nothing_written")
        # Tabs that exist are dressed before the check: the moment between the check and the
        # write stays as short as ever, and a failure here leaves every cell as it was.
        early = [f for f in layout.formats if f.title in sheets]
        try:
            self._dress(early, sheets)
            grids = self.sheets.read_tabs(known, "checking the tabs before writing", unsure)
            checked = self.sheets.revision
            if checked == token.revision and checked >= 0:
                current = snapshot  # nothing changed since the read: place on it as it is
            else:
                every = {title: grids.get(title, []) for title in sheets}
                current = build_snapshot(self.describe(), every, schema, locale=snapshot.locale)
                dressed = {f.key for f in early}
                current = replace(current, unformatted=snapshot.unformatted - dressed)
            laid = lay_out(plan, current, schema)
            write = translate(laid)
            calls = self._structure(write, sheets)
            written = say(self.locale, "feishu_maybe_written")
            calls += self.sheets.write(
                [(sheets[t], r, c, rows) for t, r, c, rows in write.ranges()],
                "writing",
                written,
            )
            # the tabs this write added, after it and outside its revision count: they are the
            # worker's own (Summary, Log, Archive); their header frozen last marks them done
            self._dress([f for f in laid.formats if f.key not in {e.key for e in early}], sheets,
                        written)  # fmt: skip
        except LayoutChanged as exc:
            raise StaleSnapshot(str(exc)) from None
        self._sheets = dict(sheets)
        if write.log_title:
            self._log_next[write.log_title] = write.log_next
        if self.sheets.revision > checked + calls and (write.targets or write.new_cells):
            return self._undo_moved(write, current, sheets, plan.time)
        return write.result

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Log lines below the Log's last row (known from the pass's write, else read): one
        values_batch_update after a pass (Feishu's values_append is not among the endpoints
        aidsync uses)."""
        if not lines:
            return
        table = snapshot.table("log")
        title = table.title if table else schema.tab("log").title(snapshot.locale)
        info = self._sheets.get(title)  # as the pass left it: no call to list the tabs again
        if info is None:
            info = self.sheets.list_sheets().get(title)
        if info is None:
            return  # no Log tab: the pass made none (nothing logged); keep the sheet as it is
        start = self._log_next.get(title)
        if start is None:
            start = last_filled_row(self.sheets.read_tabs([info])[title]) + 1
        rows: list[list[object]] = [[cell_json(v) for v in line.cells()] for line in lines]
        if start + len(rows) - 1 > info.rows:
            self.sheets.append(info.sheet_id, "ROWS", start + len(rows) - 1 - info.rows + 500)
            info = replace(info, rows=start + len(rows) - 1 + 500)
        self.sheets.write([(info, start, 0, rows)], "adding notification lines to the Log")
        self._log_next[title] = start + len(rows)
        self._sheets[title] = info

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Add missing tabs and headers, dropdowns, protected worker columns, frozen header."""
        return initialise_spreadsheet(self, schema, locale, sample)

    def call_budget(self, interval: float) -> list[str]:
        """What passes every `interval` seconds spend of the monthly call budget (status/check)."""
        monthly = math.ceil(CALLS_PER_PASS * MONTH / max(interval, 1.0))
        lines = [
            say(self.locale, "feishu_calls", per_pass=CALLS_PER_PASS, calls=self.client.calls,
                interval=_minutes(interval, self.locale), monthly=f"{monthly:,}")
        ]  # fmt: skip
        if monthly > FREE_MONTHLY_CALLS:
            safe = math.ceil(CALLS_PER_PASS * MONTH / FREE_MONTHLY_CALLS / 300) * 300
            lines.append(say(self.locale, "feishu_over_budget", monthly=f"{monthly:,}",
                             safe=_minutes(safe, self.locale)))  # fmt: skip
        return lines

    # -- helpers ----------------------------------------------------------------------------------
    def _dress(
        self, formats: Sequence[TabFormat], sheets: Mapping[str, SheetInfo], written: str = ""
    ) -> int:
        """Dress tabs (widths, shading, then the frozen header); returns the calls made."""
        return dress_tabs(self.sheets, formats, sheets, True, written)

    @staticmethod
    def known_titles(sheets: Mapping[str, SheetInfo], schema: Schema) -> list[str]:
        """Titles of the tabs the schema knows (either language), in tab order."""
        found = set(schema.find_tab(sheets.keys()).values())
        return [title for title in sheets if title in found]

    def _structure(self, write: Write, sheets: dict[str, SheetInfo]) -> int:
        """New tabs and grid growth the write needs first; returns the calls made."""
        calls = 0
        if write.new_tabs:
            ids = self.sheets.add_sheets(write.new_tabs, len(sheets))
            calls += 1
            for i, title in enumerate(write.new_tabs):
                if title not in ids:
                    raise BackendError.worded(
                        "feishu_tab_not_added", where=self.describe(), title=title
                    ).in_language(self.read_locale)
                sheets[title] = SheetInfo(ids[title], title, len(sheets) + i, 200, 20)
        for title, (rows, cols) in write.growth(sheets).items():
            info = sheets[title]
            if rows:
                self.sheets.append(info.sheet_id, "ROWS", rows)
                calls += (rows + 4999) // 5000
            if cols:
                self.sheets.append(info.sheet_id, "COLUMNS", cols)
                calls += (cols + 4999) // 5000
            sheets[title] = replace(info, rows=info.rows + rows, cols=info.cols + cols)
        return calls

    def _undo_moved(
        self, write: Write, checked: Snapshot, sheets: dict[str, SheetInfo], time: str
    ) -> ApplyResult:
        """Someone edited between the check and the write: put back cells that landed on a
        row that moved in that instant, and move appended rows that landed on rows pushed
        down (one read, and one write only when something slid; gsheets_guard decides)."""
        watched = watches(write.targets, checked, write.cells)
        pushed = appends(write.new_cells, checked, write.cells)
        titles = sorted({w.title for w in watched} | {a.title for a in pushed})
        if not titles:
            return write.result
        grids = self.sheets.read_tabs([sheets[t] for t in titles], "looking at the rows written")
        seen: dict[tuple[str, int], list[object]] = {}
        for w in watched:
            seen[(w.title, w.row)] = _row(grids.get(w.title, []), w.row)
        for a in pushed:
            _title, first, last, _width = append_block(a)
            for number in range(first, last + 1):
                seen[(a.title, number)] = _row(grids.get(a.title, []), number)
        moved = misplaced(watched, seen)
        by_title = {t.title: t for t in checked.tables.values()}
        locale = checked.locale
        cells: dict[tuple[str, int, int], object] = {}
        lines: list[LogLine] = []
        for a in pushed:
            fixes, known = mend_append(a, seen, by_title.get(a.title))
            cells.update({k: cell_json(v) for k, v in fixes.items()})
            if fixes:
                where = f"{a.title} {a.first}"
                lines.append(LogLine(time, "", say(locale, "log_deferred"), "",
                                     say(locale, "pushed_during_write", where=where)))  # fmt: skip
            if not known:
                where = f"{a.title} {a.first}-{a.first + a.count - 1}"
                lines.append(LogLine(time, "", say(locale, "log_deferred"), "",
                                     say(locale, "check_appended_rows", where=where)))  # fmt: skip
        for watch in moved:
            line = seen[(watch.title, watch.row)]
            before, sure = restore(watch, line, by_title.get(watch.title))
            for col, value in before.items():
                cells[(watch.title, watch.row, col)] = cell_json(value)
            ref = next((c.anchor.id for c in watch.changes if c.anchor.id), "") or f"#{watch.row}"
            lines.append(LogLine(time, ref, say(locale, "log_deferred"), "",
                                 say(locale, "moved_during_write", row=watch.row)))  # fmt: skip
            if not sure:
                where = f"{watch.title} row {watch.row}"
                lines.append(LogLine(time, "", say(locale, "log_deferred"), "",
                                     say(locale, "check_moved_row", where=where)))  # fmt: skip
        if not cells and not lines:
            return write.result
        repair = Write(cells=cells)
        if write.log_title in sheets and lines:
            start = self._log_next.get(write.log_title, write.log_next)
            repair.blocks.append(
                (write.log_title, start, 0, [[cell_json(v) for v in ln.cells()] for ln in lines])
            )
            self._log_next[write.log_title] = start + len(lines)
        self._structure(repair, sheets)  # room for rows moved further down, if needed
        self.sheets.write(
            [(sheets[t], r, c, rows) for t, r, c, rows in repair.ranges()],
            "putting back cells of rows that moved during the write",
            say(self.locale, "feishu_maybe_written"),
        )
        deferred = tuple(c for w in moved for c in w.changes)
        return replace(
            write.result,
            written=write.result.written - len(deferred),
            deferred=write.result.deferred + deferred,
            log_lines=write.result.log_lines + len(lines),
            logged=write.result.logged + tuple(lines),
        )


def _row(grid: Grid, number: int) -> list[object]:
    """A row of a grid read (1-based), [] past its end."""
    return list(grid[number - 1]) if number - 1 < len(grid) else []


def _minutes(seconds: float, locale: Locale) -> str:
    minutes = seconds / 60
    text = f"{minutes:g}" if minutes < 10 else f"{round(minutes)}"
    return f"{text} 分钟" if locale == "zh" else f"{text} min"


def _env_locale() -> Locale:
    lang = os.environ.get("AIDSYNC_LANG", "")
    return "en" if lang.startswith("en") else "zh"


__all__ = ["FeishuBackend"]
