"""An in-memory workbook: grids in a dict. The smallest backend, and the template for a new one.

A backend reads a snapshot and sends a WriteSet; everything between is shared (sync.writes).
Here "the store as it is now" is the dict itself, so a write lays the plan out on a fresh read
of it (compare-and-set: a row someone changed since the pass's read waits for the next pass),
then puts each cell down. A remote store does the same with its own calls: read again (or hold
a version and refuse a stale write with StaleSnapshot), send the cells, append the Log.

Tests build it directly. A store people choose also has ``open_backend(settings, shared)`` in
its module and one `Kind` in sync/backends/__init__.py (the option naming its workbook first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sync.layout import build_snapshot
from sync.model import (
    ApplyResult,
    CellValue,
    CellWrite,
    LogLine,
    Plan,
    Snapshot,
    SummaryChart,
    WriteSet,
)
from sync.schema import Locale, Schema
from sync.writes import free_title, header_labels, last_filled_row, lay_out, lay_out_init

Grid = list[list[CellValue]]


class MemoryBackend:
    """A workbook held in this process: tab title → rows of cell values (row 1 first)."""

    def __init__(
        self,
        grids: Mapping[str, Sequence[Sequence[CellValue]]] | None = None,
        name: str = "memory",
        state_dir: Path | None = None,
    ) -> None:
        """Start from these grids (copied); locks go under state_dir."""
        self.grids: dict[str, Grid] = {
            t: [list(r) for r in rows] for t, rows in (grids or {}).items()
        }
        self.name = name
        self.state_dir = state_dir or Path.home() / ".cache" / "aidsync"
        self.charts: dict[str, SummaryChart] = {}  # the optional chart capability: kept, not drawn

    # -- Backend protocol ----------------------------------------------------------------------
    def describe(self) -> str:
        """The workbook's name."""
        return f"in-memory workbook {self.name}"

    def lock_path(self) -> Path:
        """One lock per name, in the state folder."""
        return self.state_dir / "locks" / f"memory-{self.name}.lock"

    def read(self, schema: Schema, locale: Locale | None = None) -> Snapshot:
        """Every tab as it is now (a copy: later writes do not change the snapshot)."""
        grids = {title: [list(r) for r in rows] for title, rows in self.grids.items()}
        return build_snapshot(self.describe(), grids, schema, locale=locale)

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Lay the plan out on the workbook as it is now and put every cell down."""
        layout = lay_out(plan, self.read(schema, snapshot.locale), schema)
        chart_missing = layout.summary is not None and (
            self.charts.get(layout.summary.title) != layout.chart
        )
        if layout.is_empty() and not chart_missing:
            return ApplyResult.unsent(layout)
        self.write(layout)
        return ApplyResult.sent(layout)

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Append lines below the Log tab's last filled row (a Log tab, header first, if none)."""
        if not lines:
            return
        title = schema.find_tab(self.grids).get("log")
        if title is None:
            title = free_title(self.grids, schema.tab("log").title(snapshot.locale))
            self.grids[title] = [list(header_labels(schema, "log", snapshot.locale))]
        grid = self.grids[title]
        if last_filled_row(grid) == 0:
            grid[:] = [list(header_labels(schema, "log", snapshot.locale))]
        start = last_filled_row(grid) + 1
        for offset, line in enumerate(lines):
            for col, value in enumerate(line.cells()):
                _put(grid, start + offset, col, value)

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Add the tabs and headers the workbook lacks (and sample rows to empty tabs)."""
        layout, done = lay_out_init(self.read(schema, locale if not self.grids else None), schema,
                                    locale, sample)  # fmt: skip
        self.write(layout)
        return list(done)

    # -- the write -------------------------------------------------------------------------------
    def write(self, layout: WriteSet) -> None:
        """Put a WriteSet down: new tabs, cells, header rows, the Log block, the Summary."""
        for tab in layout.tabs:
            self.grids[tab.title] = []
        cells: list[CellWrite] = [*layout.cells()]
        for block in layout.tab_headers:
            cells += block.cells()
        if layout.log is not None:
            cells += layout.log.block().cells()
        for cell in cells:
            _put(self.grids[cell.title], cell.row, cell.col, cell.value)
        if layout.summary is not None:
            grid = self.grids[layout.summary.title]
            for r, line in enumerate(layout.summary.grid(), start=1):
                for c, value in enumerate(line):
                    _put(grid, r, c, value)
            if layout.chart is not None:
                self.charts[layout.summary.title] = layout.chart


def _put(grid: Grid, row: int, col: int, value: CellValue) -> None:
    while len(grid) < row:
        grid.append([])
    line = grid[row - 1]
    if len(line) <= col:
        if value is None:
            return  # clearing a cell that was never there
        line.extend([None] * (col + 1 - len(line)))
    line[col] = value


__all__ = ["MemoryBackend"]
