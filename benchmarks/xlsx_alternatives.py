"""Where a local pass spends its time, and the alternatives to openpyxl's whole load and save.

    python -m benchmarks.xlsx_alternatives --size medium

On the workbook of the steady pass (a first pass done, then five minutes of people's edits),
each measured on a fresh copy of the same file:

* read: ``openpyxl.load_workbook`` + grids (what XlsxBackend.read does) against
  python-calamine (Rust) reading the same values;
* write: openpyxl's whole-file save (what XlsxBackend did before) against writing only the
  rows that change (sync/backends/xlsx/patch.py, what it does now when a pass adds no tab or
  column).

Both written files are loaded again with openpyxl and must hold the same values, dropdowns,
comments, fills, frozen panes and cell styles.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from benchmarks.generate import (  # noqa: E402
    NOW,
    SIZES,
    activity,
    apply_edits_xlsx,
    generate,
    write_xlsx,
)
from benchmarks.run import LATER, TZ  # noqa: E402
from sync.backends.xlsx import XlsxBackend  # noqa: E402
from sync.backends.xlsx import backend as xlsx  # noqa: E402
from sync.backends.xlsx.cells import sheet_grid as _grid  # noqa: E402
from sync.backends.xlsx.patch import Unpatchable  # noqa: E402
from sync.planner import build_plan  # noqa: E402
from sync.resources import default_rules_dir  # noqa: E402
from sync.rules import load_rules  # noqa: E402
from sync.schema import load_schema  # noqa: E402


def calamine_grids(data: bytes) -> dict[str, list[list[Any]]]:
    """Every tab's values read with python-calamine (trailing blanks trimmed like XlsxBackend)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids: dict[str, list[list[Any]]] = {}
    for name in book.sheet_names:
        rows = [
            [None if v == "" else v for v in row]
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        for row in rows:
            while row and row[-1] is None:
                row.pop()
        grids[name] = rows
    return grids


def _looks(path: Path) -> dict[str, Any]:
    """Values, dropdowns, frozen panes, header comments and fills, and every cell's style."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [list(r) for r in ws.iter_rows(values_only=True)],
            [(v.sqref, v.formula1) for v in ws.data_validations.dataValidation],
            ws.freeze_panes,
            [(c.comment.text if c.comment else None, c.fill.fgColor.rgb) for c in ws[1]],
            [[c.style_id for c in row] for row in ws.iter_rows()],
        )
        for ws in book.worksheets
    }


def _refuse(*args: object) -> None:
    raise Unpatchable("measuring openpyxl's whole-file save")


def _pass(path: Path, whole_save: bool) -> dict[str, float]:
    """One steady pass through XlsxBackend, read/plan/write timed."""
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    backend = XlsxBackend(path)
    original = xlsx.patch_workbook
    if whole_save:
        xlsx.patch_workbook = _refuse  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        snapshot = backend.read(schema)
        read = time.perf_counter()
        plan = build_plan(snapshot, rules, LATER, TZ, schema)
        planned = time.perf_counter()
        backend.apply(snapshot, plan, schema)
        done = time.perf_counter()
    finally:
        xlsx.patch_workbook = original  # type: ignore[assignment]
    return {"read_s": read - start, "plan_s": planned - read, "write_s": done - planned}


def measure(size_name: str, seed: int = 1) -> dict[str, Any]:
    """Read and write times of openpyxl and the alternatives on the steady-pass workbook."""
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    size = SIZES[size_name]
    result: dict[str, Any] = {"size": size_name}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "book.xlsx", generate(size, seed))
        backend = XlsxBackend(path)
        first = backend.read(schema)
        backend.apply(first, build_plan(first, rules, NOW, TZ, schema), schema)
        grids = calamine_grids(path.read_bytes())
        apply_edits_xlsx(path, activity(grids, size, seed))
        original = path.read_bytes()
        result["file_mb"] = round(len(original) / 1e6, 2)

        start = time.perf_counter()
        book = openpyxl.load_workbook(io.BytesIO(original))
        loaded = time.perf_counter()
        by_openpyxl = {ws.title: _grid(ws) for ws in book.worksheets}
        gridded = time.perf_counter()
        by_calamine = calamine_grids(original)
        done = time.perf_counter()
        result["read_openpyxl_s"] = {"load": loaded - start, "grids": gridded - loaded}
        result["read_calamine_s"] = done - gridded
        result["calamine_same_values"] = _same(by_openpyxl, by_calamine)

        whole, patched = Path(tmp) / "whole.xlsx", Path(tmp) / "patched.xlsx"
        whole.write_bytes(original)
        patched.write_bytes(original)
        result["pass_whole_save"] = _pass(whole, whole_save=True)
        result["pass_changed_rows"] = _pass(patched, whole_save=False)
        result["same_workbook"] = _looks(whole) == _looks(patched)
        sizes = [round(p.stat().st_size / 1e6, 2) for p in (whole, patched)]
        result["file_mb_after"] = {"whole": sizes[0], "changed_rows": sizes[1]}
    return result


def _same(a: dict[str, list[list[Any]]], b: dict[str, list[list[Any]]]) -> str:
    """'yes', or how many cells differ and the first difference (types included)."""
    diffs = []
    for title, rows in a.items():
        other = b.get(title, [])
        for r in range(max(len(rows), len(other))):
            x = rows[r] if r < len(rows) else []
            y = other[r] if r < len(other) else []
            for c in range(max(len(x), len(y))):
                u = x[c] if c < len(x) else None
                v = y[c] if c < len(y) else None
                if u != v or type(u) is not type(v):
                    diffs.append((title, r + 1, c, u, v))
    if not diffs:
        return "yes"
    typed = [d for d in diffs if d[3] == d[4]]  # 61 against 61.0
    other = [d for d in diffs if d[3] != d[4]]
    example = f", e.g. {other[0]!r}" if other else ""
    return (
        f"{len(typed)} cells differ in type only (e.g. {typed[0]!r}), {len(other)} in value"
        f"{example}"
        if typed
        else f"{len(other)} cells differ in value{example}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the comparison for one size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="medium")
    args = parser.parse_args(argv)
    result = measure(args.size)
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
