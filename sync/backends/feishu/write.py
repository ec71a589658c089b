"""A WriteSet (sync/writes.py) translated into what one Feishu write sends (pure).

``lay_out`` decides every cell a write puts down on the spreadsheet as it is now (changes
placed by row id, new headers, appended rows, the Log block, the Summary rewritten); this module
only turns it into ranges of v2 values (text that could be read as anything else as text
segments), the tabs to add first and the grid rows and columns the ranges need.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sync.backends.feishu.sheets import SheetInfo, cell_json
from sync.model import ApplyResult, LogLine, WriteSet
from sync.placement import Target

GROW_ROWS = 500  # room added with the rows a write needs, so growing stays rare
NEW_TAB_ROWS = 200  # a new Feishu sheet has 200 rows and 20 columns
NEW_TAB_COLS = 20


@dataclass
class Write:
    """One prepared write: tabs to add, grid growth, cells and blocks, and its result."""

    new_tabs: list[str] = field(default_factory=list)
    cells: dict[tuple[str, int, int], object] = field(default_factory=dict)  # (title, r, c)
    blocks: list[tuple[str, int, int, list[list[object]]]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    new_cells: list[tuple[str, int, int, object]] = field(default_factory=list)  # appended rows
    result: ApplyResult = field(default_factory=lambda: ApplyResult(0))
    log_title: str = ""
    log_next: int = 0
    log: list[LogLine] = field(default_factory=list)

    def ranges(self) -> list[tuple[str, int, int, list[list[object]]]]:
        """Single cells merged into runs of one row (adjacent columns), then rows of the same
        columns stacked: (title, 1-based row, 0-based column, rows)."""
        spans: dict[tuple[str, int], list[tuple[int, list[object]]]] = {}
        for (title, row, col), value in sorted(self.cells.items(), key=lambda i: i[0]):
            line = spans.setdefault((title, row), [])
            if line and line[-1][0] + len(line[-1][1]) == col:
                line[-1][1].append(value)
            else:
                line.append((col, [value]))
        out: list[tuple[str, int, int, list[list[object]]]] = []
        open_blocks: dict[tuple[str, int, int], tuple[int, list[list[object]]]] = {}
        for (title, row), runs in sorted(spans.items()):
            for col, values in runs:
                key = (title, col, len(values))
                start = open_blocks.get(key)
                if start is not None and start[0] + len(start[1]) == row:
                    start[1].append(values)
                else:
                    if start is not None:
                        out.append((title, start[0], col, start[1]))
                    open_blocks[key] = (row, [values])
        for (title, col, _w), (row, rows) in open_blocks.items():
            out.append((title, row, col, rows))
        return out + list(self.blocks)

    def every_cell(self) -> Iterable[tuple[str, int, int]]:
        """Every (title, 1-based row, 0-based column) this write sets."""
        yield from self.cells
        for title, row0, col0, rows in self.blocks:
            for dr, values in enumerate(rows):
                for dc in range(len(values)):
                    yield title, row0 + dr, col0 + dc

    def growth(self, sheets: Mapping[str, SheetInfo]) -> dict[str, tuple[int, int]]:
        """Rows and columns to add to existing tabs before writing (title → (rows, cols))."""
        need: dict[str, tuple[int, int]] = {}
        for title, row, col in self.every_cell():
            rows, cols = need.get(title, (0, 0))
            need[title] = (max(rows, row), max(cols, col + 1))
        grow: dict[str, tuple[int, int]] = {}
        for title, (rows, cols) in need.items():
            info = sheets.get(title)
            size = (info.rows, info.cols) if info else (NEW_TAB_ROWS, NEW_TAB_COLS)
            extra_rows = rows - size[0] + GROW_ROWS if rows > size[0] else 0
            extra_cols = cols - size[1] if cols > size[1] else 0
            if extra_rows or extra_cols:
                grow[title] = (extra_rows, extra_cols)
        return grow


def translate(layout: WriteSet) -> Write:
    """The cells, blocks and new tabs of a laid-out write."""
    write = Write(new_tabs=[tab.title for tab in layout.tabs])
    for cell in layout.cells():
        write.cells[(cell.title, cell.row, cell.col)] = cell_json(cell.value)
    write.targets = [Target(c.change, c.row, c.col) for c in layout.changes if c.change]
    write.new_cells = [(c.tab, c.row, c.col, c.value) for c in layout.rows]
    for block in layout.tab_headers:
        write.blocks.append(
            (block.title, block.row, block.col, [[cell_json(v) for v in r] for r in block.rows])
        )
    if layout.log is not None:
        rows = [[cell_json(v) for v in r] for r in layout.log.rows()]
        if rows:
            write.blocks.append((layout.log.title, layout.log.row, 0, rows))
        write.log_title, write.log_next = layout.log.title, layout.log.next_row
    summary = layout.summary
    if summary is not None and not summary.unchanged:
        grid = [[cell_json(v) for v in r] for r in summary.grid()]
        if grid:
            write.blocks.append((summary.title, 1, 0, grid))
    write.log = list(layout.log_lines)
    write.result = ApplyResult.sent(layout)
    return write
