"""What every campaign shares: arguments, the sample workbook, comparisons, the figures table.

Campaigns drive the real pieces: `python -m sync` (the `aidsync` command) in child processes, or
`sync.worker.run_pass` in-process, on a real .xlsx file or on the loopback Sheets emulator of
tests/emulator/ (imported from the tests folder, which is put on sys.path here).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # the emulator package lives in tests/emulator

import openpyxl  # noqa: E402

from sync.backends.xlsx import XlsxBackend  # noqa: E402
from sync.layout import build_snapshot  # noqa: E402
from sync.model import moment_text  # noqa: E402
from sync.sample import sample_rows  # noqa: E402
from sync.schema import Schema, load_schema  # noqa: E402

SCHEMA: Schema = load_schema()
NOW = "2022-12-20T15:00:00+08:00"
LATER = "2022-12-20T16:30:00+08:00"
RESULTS = ROOT / "reliability" / "results"
REQUESTS, VOLUNTEERS, STOCK, SUMMARY, LOG = "需求登记", "志愿者", "共享物资", "汇总", "同步日志"
Grid = list[list[Any]]
Tabs = dict[str, Grid]


# -- arguments and reporting ----------------------------------------------------------------------
def parse_args(
    name: str, doc: str, trials: int, argv: Sequence[str] | None = None, processes: int = 0
) -> Any:
    """--trials N --seed S --out FILE (default reliability/results/NAME.json) --quiet."""
    parser = argparse.ArgumentParser(
        prog=f"python -m reliability.{name}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--trials", type=int, default=trials, help=f"default {trials}")
    parser.add_argument("--seed", type=int, default=20221220)
    parser.add_argument("--out", type=Path, default=RESULTS / f"{name}.json")
    parser.add_argument("--quiet", action="store_true", help="no per-trial progress lines")
    if processes:
        parser.add_argument("--processes", type=int, default=processes, help="per round")
    args = parser.parse_args(argv)
    args.name = name
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
    }


class Report:
    """Progress lines while a campaign runs, then a figures table and a JSON file."""

    def __init__(self, args: Any) -> None:
        """Start the clock."""
        self.args = args
        self.started = time.monotonic()
        self.figures: dict[str, Any] = {}
        self.findings: list[str] = []
        self.trials: list[dict[str, Any]] = []

    def progress(self, trial: int, total: int, text: str) -> None:
        """One line per trial (unless --quiet), always every tenth."""
        if not self.args.quiet or trial % max(1, total // 10) == 0 or trial == total:
            elapsed = time.monotonic() - self.started
            print(f"[{self.args.name} {trial:>4}/{total} {elapsed:6.1f}s] {text}", flush=True)

    def finding(self, text: str) -> None:
        """Something that broke a promise; printed at once and kept (first 50) in the JSON."""
        print(f"  FINDING: {text}", flush=True)
        if len(self.findings) < 50:
            self.findings.append(text)

    def finish(self, figures: Mapping[str, Any], ok: bool) -> int:
        """Print the figures table, write the JSON; exit status 0 when every promise held."""
        elapsed = time.monotonic() - self.started
        self.figures = dict(figures)
        command = "python -m reliability." + self.args.name
        if self.args.argv:
            command += " " + shlex.join(self.args.argv)
        width = max(len(k) for k in self.figures) if self.figures else 10
        print(f"\n{self.args.name}: {'PASS' if ok else 'FAIL'} in {elapsed:.1f}s")
        print(f"  {'figure':<{width}}  value")
        for key, value in self.figures.items():
            print(f"  {key:<{width}}  {value}")
        result = {
            "campaign": self.args.name,
            "command": command,
            "trials": self.args.trials,
            "seed": self.args.seed,
            "ok": ok,
            "seconds": round(elapsed, 1),
            "machine": machine(),
            "when": datetime.now().isoformat(timespec="seconds"),
            "figures": self.figures,
            "findings": self.findings,
        }
        self.args.out.parent.mkdir(parents=True, exist_ok=True)
        self.args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        print(f"  results: {self.args.out}")
        return 0 if ok else 1


# -- processes ------------------------------------------------------------------------------------
def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for `python -m sync` children: this checkout first, no stray settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "GOOGLE_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def sync_command(*flags: str) -> list[str]:
    """The `aidsync sync` command, run as `python -m sync` with this interpreter."""
    return [sys.executable, "-m", "sync", "sync", *flags]


# -- workbooks ------------------------------------------------------------------------------------
def make_sample(path: Path, locale: str = "zh") -> Path:
    """A workbook as `aidsync init --sample` builds it (one afternoon of a street office)."""
    if path.exists():
        path.unlink()
    XlsxBackend(path).initialise(SCHEMA, locale, sample_rows(SCHEMA, locale))  # type: ignore[arg-type]
    return path


def plain(value: Any) -> Any:
    """A cell value comparable across backends: '' for blanks, text for dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # a time the worker wrote reads as its text, on every store
        return moment_text(value) or value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def trim(rows: Iterable[Sequence[Any]]) -> Grid:
    """Rows with blanks as '', trailing blank cells and rows dropped."""
    out: Grid = []
    for row in rows:
        cells = [plain(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def read_xlsx(path: Path) -> Tabs:
    """Every tab of a workbook as trimmed rows (raises if the file does not open)."""
    book = openpyxl.load_workbook(path)
    return {ws.title: trim(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def working(tabs: Mapping[str, Grid]) -> Tabs:
    """Every tab but the Summary (it says when the last pass ran and what that pass did)."""
    return {title: rows for title, rows in tabs.items() if title != SUMMARY}


def tab_rows(tabs: Mapping[str, Grid], key: str) -> tuple[Any, Grid]:
    """The table (header map) of one known tab and its raw grid."""
    snapshot = build_snapshot(
        "campaign", {t: [list(r) for r in g] for t, g in tabs.items()}, SCHEMA
    )
    table = snapshot.table(key)
    if table is None:
        raise KeyError(key)
    return table, tabs[table.title]


def row_cells(tabs: Mapping[str, Grid], key: str, keys: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each data row's cells of the given columns, in sheet order (blank rows skipped)."""
    table, _grid = tab_rows(tabs, key)
    out = []
    for row in table.rows:
        if table.is_blank_row(row):
            continue
        out.append(tuple(plain(table.get(row, k)) for k in keys))
    return out


def human_keys(key: str) -> list[str]:
    """Columns only people write."""
    return list(SCHEMA.tab(key).owned_by("human"))


def human_multiset(tabs: Mapping[str, Grid]) -> Counter[tuple[Any, ...]]:
    """Every row's human-owned cells, over the three working tabs, order-free."""
    found: Counter[tuple[Any, ...]] = Counter()
    for key in ("requests", "volunteers", "stock"):
        for cells in row_cells(tabs, key, human_keys(key)):
            if any(c != "" for c in cells):
                found[(key, *cells)] += 1
    return found


def lost_rows(expected: Counter[Any], actual: Counter[Any]) -> int:
    """How many expected rows of human cells are missing (or changed) now."""
    return sum((expected - actual).values())


def duplicated_log_lines(tabs: Mapping[str, Grid]) -> int:
    """Log lines that appear more than once (a log line carries its time, id and detail)."""
    log = next((rows for title, rows in tabs.items() if title == LOG), [])
    lines = Counter(tuple(r) for r in log[1:] if r)
    return sum(n - 1 for n in lines.values() if n > 1)


def kind_of(record: Any) -> str:
    """An emulator request as 'GET get', 'GET values:batchGet', 'POST values:batchUpdate'."""
    tail = str(record.path).rsplit("/", 1)[-1]
    if not tail.startswith("values:"):
        tail = tail.split(":", 1)[1] if ":" in tail else "get"
    return f"{record.method} {tail}"


def fresh_dir(path: Path) -> Path:
    """An empty folder (removed first if it exists)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def percent(part: int, whole: int) -> str:
    """'12 (3.4 %)'."""
    return f"{part} ({100.0 * part / whole:.1f} %)" if whole else str(part)
