"""Human edits of the Requests tab, as plain data: chosen by a campaign, applied anywhere.

An edit is a dict (JSON-safe) so that another process (reliability.editor) applies exactly the
edit the campaign chose. Rows are addressed by their position among the data rows, as a person
clicking in the sheet would; `identity` names the row afterwards (resident, phone, address and
items: cells no edit here touches).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from reliability.common import SCHEMA, Grid, plain
from sync.schema import map_headers

KINDS = ("claim", "status", "sort", "insert", "delete", "note")
IDENTITY = ("name", "phone", "address", "items")
HUMAN_STATUSES = ("已送达", "已取消", "配送中")  # the worker never moves these


def columns(grid: Grid) -> dict[str, int]:
    """Column key → 0-based index, from the header row (row 1)."""
    return dict(map_headers(SCHEMA.tab("requests"), grid[:1]).columns)


def cell(row: list[Any], col: int) -> Any:
    """A cell of a row, '' past its end."""
    return plain(row[col]) if col < len(row) else ""


def put(row: list[Any], col: int, value: Any) -> None:
    """Set a cell, growing the row."""
    row.extend([""] * (col + 1 - len(row)))
    row[col] = value


def identity(row: list[Any], cols: Mapping[str, int]) -> tuple[Any, ...]:
    """Who the row is about. An occurrence the worker opens for a repeating request (id like
    R-0002/2022-12-20) copies that request's details, so its id tells the two apart."""
    found = tuple(cell(row, cols[k]) for k in IDENTITY)
    ref = str(cell(row, cols["id"])) if "id" in cols else ""
    return (*found, ref) if "/" in ref else found


def choose(grid: Grid, volunteers: list[str], rng: random.Random, serial: int) -> dict[str, Any]:
    """A random edit of this Requests grid."""
    cols = columns(grid)
    data = [i for i in range(1, len(grid)) if any(cell(grid[i], c) != "" for c in cols.values())]
    kind = rng.choice(KINDS)
    position = rng.choice(data) if data else 1
    edit: dict[str, Any] = {"kind": kind, "row": position}
    if kind == "claim":
        blank = [i for i in data if cell(grid[i], cols["volunteer"]) == ""]
        edit["row"] = rng.choice(blank) if blank else position
        edit["value"] = rng.choice(volunteers)
    elif kind == "status":
        edit["value"] = rng.choice(HUMAN_STATUSES)
    elif kind == "sort":
        edit["by"] = rng.choice(["name", "phone", "community", "submitted_at", "urgency"])
        edit["reverse"] = rng.random() < 0.5
    elif kind == "insert":
        edit["row"] = rng.randint(1, len(grid))
        edit["value"] = {
            "submitted_at": "2022-12-20 14:50",
            "name": f"新居民{serial}",
            "phone": f"1385{serial % 10_000_000:07d}",
            "community": rng.choice(["创意社区", "建设社区", "乐园社区", "兴华社区"]),
            "address": f"新楼{serial}号",
            "household": rng.choice(["独居", "孤寡", "其他"]),
            "category": rng.choice(["药品", "蔬菜食品", "生活物资"]),
            "items": rng.choice(["退烧药", "大米", "口罩"]),
            "urgency": rng.choice(["紧急", "一般"]),
        }
    elif kind == "note":
        edit["value"] = rng.choice(["请敲门两次", "电话先联系女儿", "+86 备用", "@张阿姨 送到门口"])
    return edit


def apply(grid: Grid, edit: Mapping[str, Any]) -> dict[str, Any]:
    """Apply an edit in place; return what must hold afterwards ({} for moves)."""
    cols = columns(grid)
    kind, position = edit["kind"], min(int(edit["row"]), max(1, len(grid) - 1))
    if kind in ("claim", "status", "note") and len(grid) > 1:
        key = {"claim": "volunteer", "status": "status", "note": "notes"}[kind]
        row = grid[position]
        put(row, cols[key], edit["value"])
        return {"identity": identity(row, cols), "column": key, "value": edit["value"]}
    if kind == "sort":
        col = cols[edit["by"]]
        grid[1:] = sorted(grid[1:], key=lambda r: str(cell(r, col)), reverse=edit["reverse"])
    elif kind == "insert":
        width = max(len(grid[0]), 1 + max(cols.values()))
        row = [""] * width
        for key, value in edit["value"].items():
            row[cols[key]] = value
        grid.insert(max(1, min(position, len(grid))), row)
    elif kind == "delete" and len(grid) > 1:
        del grid[position]
    return {}
