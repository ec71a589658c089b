"""Plain data passed between the read, the planner and the write (the package's face: import
from here).

values: cell values and the worker's text for a time; tables: a workbook as read; plan: what a
pass plans; writes: a plan laid out on the store; records: the rows read and checked.
"""

from sync.model.plan import CellChange, LogLine, NewColumn, NewRow, Plan, RowAnchor, SummaryChart
from sync.model.records import Problem, Request, StockItem, Volunteer
from sync.model.tables import SheetRow, Snapshot, Table
from sync.model.values import (
    MOMENT_FORMAT,
    CellValue,
    is_blank,
    moment_of,
    moment_text,
    same_value,
)
from sync.model.writes import (
    MOMENT_PATTERN,
    ApplyResult,
    Block,
    CellWrite,
    ColumnFormat,
    LogBlock,
    NewTab,
    SummaryBlock,
    TabFormat,
    WriteSet,
)

__all__ = [
    "MOMENT_FORMAT",
    "MOMENT_PATTERN",
    "ApplyResult",
    "Block",
    "CellChange",
    "CellValue",
    "CellWrite",
    "ColumnFormat",
    "LogBlock",
    "LogLine",
    "NewColumn",
    "NewRow",
    "NewTab",
    "Plan",
    "Problem",
    "Request",
    "RowAnchor",
    "SheetRow",
    "Snapshot",
    "StockItem",
    "SummaryBlock",
    "SummaryChart",
    "TabFormat",
    "Table",
    "Volunteer",
    "WriteSet",
    "is_blank",
    "moment_of",
    "moment_text",
    "same_value",
]
