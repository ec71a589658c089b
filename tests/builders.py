"""Build real workbooks for tests: from the template headers, or laid out by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl

from sync.config import Settings
from sync.layout import build_snapshot
from sync.model import Snapshot
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules
from sync.schema import Schema, load_schema

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 12, 20, 15, 0, tzinfo=TZ)
SCHEMA: Schema = load_schema()
RULES: Rules = load_rules(default_rules_dir(), SCHEMA)


def headers(tab: str, locale: str = "zh") -> list[str]:
    """The template's headers of a tab in a language."""
    return [c.label(locale) for c in SCHEMA.tab(tab).columns]  # type: ignore[arg-type]


def grid(tab: str, rows: Sequence[Mapping[str, Any]], locale: str = "zh") -> list[list[Any]]:
    """A tab's grid: template headers, then one row per mapping of column key → value."""
    keys = SCHEMA.tab(tab).keys()
    return [headers(tab, locale)] + [[row.get(k) for k in keys] for row in rows]


def volunteer(name: str, **fields: Any) -> dict[str, Any]:
    """A volunteer row that is eligible for 创意社区 at NOW unless told otherwise."""
    row = {"name": name, "phone": "13904121001", "communities": "创意社区", "team": "向日葵能量团",
           "role": "居民", "categories": "", "hours": "全天", "max_open": 2, "active": "是"}  # fmt: skip
    row.update(fields)
    return row


def request(name: str, **fields: Any) -> dict[str, Any]:
    """A complete, valid request row in 创意社区 submitted at 14:30."""
    row = {"submitted_at": "2022-12-20 14:30", "name": name, "phone": "13840001005",
           "community": "创意社区", "address": "海兴花园2号楼", "household": "其他",
           "category": "蔬菜食品", "items": "白菜", "urgency": "一般"}  # fmt: skip
    row.update(fields)
    return row


def snapshot_of(tabs: Mapping[str, list[list[Any]]]) -> Snapshot:
    """A Snapshot straight from grids keyed by tab title."""
    return build_snapshot("test", dict(tabs), SCHEMA)


def zh_tabs(
    requests: Sequence[Mapping[str, Any]],
    volunteers: Sequence[Mapping[str, Any]],
    stock: Sequence[Mapping[str, Any]] = (),
) -> dict[str, list[list[Any]]]:
    """Chinese workbook grids."""
    return {"需求登记": grid("requests", requests), "志愿者": grid("volunteers", volunteers),
            "共享物资": grid("stock", stock)}  # fmt: skip


def save_workbook(path: Path, tabs: Mapping[str, list[list[Any]]]) -> Path:
    """Write grids to a real .xlsx file."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in tabs.items():
        ws = workbook.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    workbook.save(path)
    return path


def read_workbook(path: Path) -> dict[str, list[list[Any]]]:
    """Every tab's values as lists (formulas as text), trailing blanks trimmed."""
    workbook = openpyxl.load_workbook(path)
    result = {}
    for ws in workbook.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        result[ws.title] = rows
    return result


def settings_for(path: Path, rules: Path | None = None) -> Settings:
    """Settings for a local workbook with the shipped rules."""
    return Settings(workbook=path, rules=rules or default_rules_dir(), timezone=TZ)


def apply_in_memory(tabs: dict[str, list[list[Any]]], plan: Any) -> dict[str, list[list[Any]]]:
    """Apply a plan to grids as a backend does (the in-memory one: lay_out, compare-and-set
    included); returns the new grids."""
    from sync.backends.memory import MemoryBackend

    store = MemoryBackend(tabs)
    applied = store.apply(snapshot_of(tabs), plan, SCHEMA)
    assert not applied.deferred, applied.deferred
    return store.grids
