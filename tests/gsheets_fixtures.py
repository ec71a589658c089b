"""Workbooks for the Google Sheets and backend-contract tests: one interface, two backends.

A *world* is a workbook plus its backend: ``SheetsWorld`` is a spreadsheet in the in-process
Sheets emulator, reached through unmodified gspread and google-auth; ``XlsxWorld`` is a local
.xlsx file. Both take the same grids (tab title → rows) and let a test read cells back and play
a human editing the sheet.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from emulator import SheetsEmulator
from emulator.model import Cell

from sync.backends.base import Backend
from sync.backends.gsheets import GSheetsBackend
from sync.backends.gsheets.http import RetryPolicy
from sync.backends.memory import MemoryBackend
from sync.backends.xlsx import XlsxBackend, set_text_safe
from sync.config import Settings
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules
from sync.schema import Schema, load_schema
from sync.worker import PassResult, run_pass

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 12, 20, 15, 0, tzinfo=TZ)
SCHEMA: Schema = load_schema()
RULES: Rules = load_rules(default_rules_dir(), SCHEMA)
REQUESTS, VOLUNTEERS, STOCK, SUMMARY, LOG = "需求登记", "志愿者", "共享物资", "汇总", "同步日志"
AIDSYNC = Path(sys.executable).with_name("aidsync")


def headers(tab: str, locale: str = "zh") -> list[str]:
    """The template's headers of a tab in a language."""
    return [c.label(locale) for c in SCHEMA.tab(tab).columns]  # type: ignore[arg-type]


def grid(tab: str, rows: Sequence[Mapping[str, Any]], locale: str = "zh") -> list[list[Any]]:
    """A tab's grid: template headers, then one row per mapping of column key → value."""
    keys = SCHEMA.tab(tab).keys()
    return [headers(tab, locale)] + [["" if r.get(k) is None else r[k] for k in keys] for r in rows]


def volunteer(name: str, **fields: Any) -> dict[str, Any]:
    """A volunteer who can take any 创意社区 request at NOW unless told otherwise."""
    row = {"name": name, "phone": "13904121001", "communities": "创意社区", "team": "向日葵能量团",
           "role": "居民", "categories": "", "hours": "全天", "max_open": 3, "active": "是"}  # fmt: skip
    row.update(fields)
    return row


def request(name: str, **fields: Any) -> dict[str, Any]:
    """A complete request in 创意社区, submitted at 14:30 on the sample day."""
    row = {"submitted_at": "2022-12-20 14:30", "name": name, "phone": "13840001005",
           "community": "创意社区", "address": "海兴花园2号楼", "household": "其他",
           "category": "蔬菜食品", "items": "白菜", "urgency": "一般"}  # fmt: skip
    row.update(fields)
    return row


def workbook(
    requests: Sequence[Mapping[str, Any]],
    volunteers: Sequence[Mapping[str, Any]],
    stock: Sequence[Mapping[str, Any]] = (),
    worker_tabs: bool = True,
) -> dict[str, list[list[Any]]]:
    """Chinese workbook grids; with the Summary and Log tabs unless worker_tabs is False."""
    tabs = {REQUESTS: grid("requests", requests), VOLUNTEERS: grid("volunteers", volunteers),
            STOCK: grid("stock", stock)}  # fmt: skip
    if worker_tabs:
        tabs[SUMMARY] = []
        tabs[LOG] = [headers("log")]
    return tabs


def column(tab: str, key: str) -> int:
    """0-based column of a key in the template layout."""
    return SCHEMA.tab(tab).keys().index(key)


def blank(value: Any) -> Any:
    """None and '' read the same from both backends."""
    return "" if value is None else value


def by_name(rows: list[list[Any]], tab: str = "requests") -> dict[str, tuple[Any, ...]]:
    """Data rows keyed by the name column (names are unique in these tests)."""
    name = column(tab, "name")
    width = len(SCHEMA.tab(tab).columns)
    return {
        str(r[name]): tuple(blank(r[c]) if c < len(r) else "" for c in range(width))
        for r in rows[1:]
        if len(r) > name and r[name]
    }


def human_cells(rows: list[list[Any]], tab: str) -> list[tuple[Any, ...]]:
    """Every data row's human-owned cells, sorted (so moving rows does not matter)."""
    keys = SCHEMA.tab(tab).owned_by("human")
    cols = [column(tab, k) for k in keys]
    out = []
    for r in rows[1:]:
        out.append(tuple(blank(r[c]) if c < len(r) else "" for c in cols))
    return sorted((cells for cells in out if any(cells)), key=repr)


class World:
    """A workbook and its backend (see SheetsWorld and XlsxWorld)."""

    name = ""
    backend: Backend
    settings: Settings

    def values(self, title: str) -> list[list[Any]]:
        """A tab's cells as rows, '' for blanks, trailing blanks trimmed."""
        raise NotImplementedError

    def edit(self, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """Play a human: fn mutates the tab's rows in place (sort, insert, delete, type)."""
        raise NotImplementedError

    def type_text(self, title: str, row: int, col: int, text: str) -> None:
        """Play a human typing text (kept as text even when it starts with '=')."""
        raise NotImplementedError

    def run(self, now: datetime = NOW) -> PassResult:
        """One pass through sync.worker.run_pass."""
        return run_pass(self.backend, self.settings, now, schema=SCHEMA, rules=RULES)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    out = []
    for row in rows:
        cells = [blank(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


class SheetsWorld(World):
    """A spreadsheet in the emulator, reached through gspread and google-auth."""

    name = "sheets"

    def __init__(
        self,
        emulator: SheetsEmulator,
        folder: Path,
        tabs: Mapping[str, list[list[Any]]],
        timeout: float = 10.0,
        policy: RetryPolicy | None = None,
    ) -> None:
        """Create the spreadsheet and a backend for it (sleeps are recorded, not slept)."""
        self.emulator = emulator
        self.key = folder / "service-account.json"
        if not self.key.exists():
            emulator.make_service_account_key(self.key)
        self.sid = emulator.create_spreadsheet("互助登记", {k: list(v) for k, v in tabs.items()})
        self.settings = Settings(
            spreadsheet=self.sid,
            credentials=self.key,
            rules=default_rules_dir(),
            sheets_endpoint=emulator.base_url,
            request_timeout=timeout,
            state_dir=folder / "state",
        )
        self.sleeps: list[float] = []
        self.backend = GSheetsBackend.from_settings(
            self.settings, sleep=self.sleeps.append, policy=policy
        )

    def values(self, title: str) -> list[list[Any]]:
        """Typed values as the emulator holds them."""
        return _trim(self.emulator.get_values(self.sid, title))

    def edit(self, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """emulator.human_edit."""
        self.emulator.human_edit(self.sid, title, fn)

    def type_text(self, title: str, row: int, col: int, text: str) -> None:
        """Store a text cell directly (a person typing '=… with a leading apostrophe)."""
        self.emulator.sheet(self.sid, title).set_cell(row - 1, col, Cell(value=text))

    def seed_chart(self) -> None:
        """Give the Summary the chart an earlier pass would have added (for request counts)."""
        from sync.backends.gsheets.chart import chart_position, chart_spec
        from sync.chart import attach_chart

        chart = attach_chart((), [], SCHEMA, "zh", NOW)[1]
        sheet = self.emulator.sheet(self.sid, SUMMARY)
        sheet.charts.append(
            {
                "chartId": 424242,
                "spec": chart_spec(chart, sheet.sheet_id),
                "position": chart_position(chart, sheet.sheet_id),
            }
        )

    def requests_made(self) -> list[str]:
        """Sheets API requests so far, as 'METHOD last-path-part' (token calls excluded)."""
        return [f"{r.method} {r.path.rsplit('/', 1)[-1]}" for r in self.emulator.sheets_requests]


class XlsxWorld(World):
    """A local .xlsx workbook."""

    name = "xlsx"

    def __init__(self, folder: Path, tabs: Mapping[str, list[list[Any]]]) -> None:
        """Save the grids as a workbook."""
        self.path = folder / "互助登记.xlsx"
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in tabs.items():
            ws = book.create_sheet(title)
            for r, values in enumerate(rows, start=1):
                for c, value in enumerate(values, start=1):
                    if value not in (None, ""):
                        set_text_safe(ws.cell(row=r, column=c), value)
        book.save(self.path)
        self.settings = Settings(
            workbook=self.path, rules=default_rules_dir(), state_dir=folder / "state"
        )
        self.backend = XlsxBackend(self.path)

    def values(self, title: str) -> list[list[Any]]:
        """Cell values as openpyxl reads them."""
        book = openpyxl.load_workbook(self.path)
        return _trim([list(r) for r in book[title].iter_rows(values_only=True)])

    def edit(self, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """Rewrite the tab's cells with what fn made of them."""
        book = openpyxl.load_workbook(self.path)
        ws = book[title]
        rows = _trim([list(r) for r in ws.iter_rows(values_only=True)])
        fn(rows)
        ws.delete_rows(1, ws.max_row)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value not in (None, ""):
                    set_text_safe(ws.cell(row=r, column=c), value)
        book.save(self.path)

    def type_text(self, title: str, row: int, col: int, text: str) -> None:
        """Type text into one cell."""
        book = openpyxl.load_workbook(self.path)
        set_text_safe(book[title].cell(row=row, column=col + 1), text)
        book.save(self.path)


class MemoryWorld(World):
    """A workbook held in memory (sync/backends/memory.py): the contract suite's third store."""

    name = "memory"

    def __init__(self, folder: Path, tabs: Mapping[str, list[list[Any]]]) -> None:
        """Grids as given, blanks left out as a person's typing would."""
        grids = {t: [[None if v in (None, "") else v for v in r] for r in rows]
                 for t, rows in tabs.items()}  # fmt: skip
        self.backend = MemoryBackend(grids, state_dir=folder / "state")
        self.settings = Settings(rules=default_rules_dir(), state_dir=folder / "state")

    def values(self, title: str) -> list[list[Any]]:
        """The cells as held."""
        return _trim([list(r) for r in self.backend.grids[title]])

    def edit(self, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """fn edits the tab's rows in place."""
        rows = self.values(title)
        fn(rows)
        self.backend.grids[title] = [[None if v == "" else v for v in r] for r in rows]

    def type_text(self, title: str, row: int, col: int, text: str) -> None:
        """Type text into one cell."""
        grid = self.backend.grids[title]
        while len(grid) < row:
            grid.append([])
        grid[row - 1].extend([None] * (col + 1 - len(grid[row - 1])))
        grid[row - 1][col] = text


def cli_env(emulator: SheetsEmulator, state: Path) -> dict[str, str]:
    """Environment for the aidsync command pointed at the emulator (no stray settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "GOOGLE_"))}
    env.update(
        AIDSYNC_SHEETS_ENDPOINT=emulator.base_url,
        AIDSYNC_STATE_DIR=str(state),
        AIDSYNC_RULES=str(default_rules_dir()),
        AIDSYNC_REQUEST_TIMEOUT="10",
    )
    return env
