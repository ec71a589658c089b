"""The office's period report over a year of days: the command end to end, and where time goes.

    python -m benchmarks.period_report --size medium      # about three minutes

The generator's workbook of the size (10,000 requests at medium) has its requests spread over
the year before 20 December 2022, with the times people and a pass would leave (assigned,
delivered), closed requests older than a month partly moved to the Archive tab, and one pass run
on it (ids, the Log). Then `aidsync report --from 2021-12-21 --to 2022-12-20` runs in a fresh
process, printing only and with each --out form, three times each; the same report is also
timed step by step in this process, and the import cost of the command's modules is measured.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: python benchmarks/period_report.py
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from benchmarks.generate import NOW, SIZES, TZ, Rows, generate, write_xlsx  # noqa: E402
from benchmarks.run import local_pass, machine, save_record, side_arguments  # noqa: E402
from sync.schema import load_schema  # noqa: E402

START, END = date(2021, 12, 21), date(2022, 12, 20)  # a year of days, ending on NOW's day
RUNS = 3  # runs of each command form (--runs)


def spread_over_a_year(rows: Rows, seed: int) -> tuple[Rows, Rows]:
    """The requests re-dated over the year, with assigned and delivered times; (live, archived)."""
    rng = random.Random(seed)
    live: Rows = []
    archived: Rows = []
    month_ago = NOW - timedelta(days=30)
    for row in rows:
        submitted = NOW - timedelta(minutes=rng.uniform(10, 365 * 24 * 60 - 10))
        row["submitted_at"] = submitted.strftime("%Y-%m-%d %H:%M")
        if row.get("volunteer"):
            assigned = min(NOW, submitted + timedelta(minutes=rng.uniform(1, 240)))
            row["assigned_at"] = assigned.strftime("%Y-%m-%d %H:%M")
            if row.get("status") in ("已送达", "delivered"):
                delivered = min(NOW, assigned + timedelta(minutes=rng.uniform(20, 600)))
                row["delivered_at"] = delivered.strftime("%Y-%m-%d %H:%M")
        closed = row.get("status") in ("已送达", "已取消", "delivered", "cancelled")
        if closed and submitted < month_ago and rng.random() < 0.6:
            archived.append(row)
        else:
            live.append(row)
    live.sort(key=lambda r: str(r["submitted_at"]))
    archived.sort(key=lambda r: str(r["submitted_at"]))
    return live, archived


def build(path: Path, size: str, seed: int) -> dict[str, int]:
    """The benchmark workbook, after its first pass."""
    schema = load_schema()
    rows = generate(SIZES[size], seed)
    live, archived = spread_over_a_year(rows["requests"], seed)
    write_xlsx(path, {**rows, "requests": live}, "zh", schema)
    book = openpyxl.load_workbook(path)
    tab = schema.tab("archive")
    sheet = book.create_sheet(tab.title("zh"))
    sheet.append([c.label("zh") for c in tab.columns])
    keys = tab.keys()
    for row in archived:
        sheet.append([row.get(k) or None for k in keys])
    book.save(path)
    local_pass(path, NOW)
    log = openpyxl.load_workbook(path, read_only=True)[schema.tab("log").title("zh")]
    return {"live": len(live), "archived": len(archived), "log_lines": log.max_row - 1}


def command(path: Path, out: Path | None) -> list[str]:
    args = [sys.executable, "-m", "sync", "report", "--workbook", str(path),
            "--from", str(START), "--to", str(END), "--now", NOW.isoformat()]  # fmt: skip
    return args + (["--out", str(out)] if out else [])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(path: Path, out: Path | None, runs: int = RUNS) -> dict[str, list[float]]:
    """Wall and CPU seconds of each run: on a shared machine the CPU time is the steadier."""
    spent: dict[str, list[float]] = {"wall": [], "cpu": []}
    for _ in range(runs):
        start, cpu = time.perf_counter(), children_cpu()
        subprocess.run(command(path, out), check=True, capture_output=True, cwd=path.parent)
        spent["wall"].append(time.perf_counter() - start)
        spent["cpu"].append(children_cpu() - cpu)
    return spent


def time_steps(path: Path) -> dict[str, float]:
    """The report in this process, step by step, in CPU seconds (imports first, each once)."""
    steps: dict[str, float] = {}

    def timed(name: str, start: float) -> float:
        now = time.process_time()  # CPU seconds: the machine may be shared
        steps[name] = now - start
        return now

    start = time.process_time()
    from sync.report import files, tables  # pandas

    start = timed("import pandas and the tables", start)
    from sync.report import chart  # matplotlib

    start = timed("import matplotlib", start)
    from sync.backends.xlsx import XlsxBackend
    from sync.report.facts import gather_facts
    from sync.report.period import Period
    from sync.report.text import report_lines
    from sync.resources import default_rules_dir
    from sync.rules import load_rules

    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    start = time.process_time()
    snapshot = XlsxBackend(path).read(schema)
    start = timed("read the workbook", start)
    facts = gather_facts(snapshot, rules, schema, TZ, NOW)
    start = timed("facts from rows and Log", start)
    report = tables.build_report(facts, Period(START, END), rules, schema, "zh", TZ)
    start = timed("tables (pandas)", start)
    report_lines(report, rules.office, "zh")
    start = timed("terminal text", start)
    files.xlsx_bytes(report, "zh")
    start = timed(".xlsx", start)
    files.csv_bytes(report, "zh")
    start = timed(".csv", start)
    chart.chart_png(report, rules.office, "zh")
    timed(".png", start)
    steps["requests counted"] = len(facts.requests)
    return steps


def import_cost(runs: int = 5) -> dict[str, float]:
    """Median CPU seconds of a fresh interpreter importing what each command needs."""
    cases = {
        "sync.cli (every command)": "import sync.cli",
        "+ the period report (pandas)": "import sync.cli, sync.report.command, sync.report.files",
        "+ the PNG chart (matplotlib)": "import sync.cli, sync.report.command, sync.report.chart",
    }
    result = {}
    for name, code in cases.items():
        spent = []
        for _ in range(runs):
            cpu = children_cpu()
            subprocess.run([sys.executable, "-c", code], check=True)
            spent.append(children_cpu() - cpu)
        result[name] = statistics.median(spent)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    extra = argparse.ArgumentParser(add_help=False)  # the side benchmarks' flags, and --runs
    extra.add_argument("--runs", type=int, default=RUNS)
    known, rest = extra.parse_known_args(argv)
    runs = known.runs
    args = side_arguments(__doc__ or "", rest)
    info = machine()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.xlsx"
        made = build(path, args.size, args.seed)
        print(f"workbook: {made}, {path.stat().st_size / 1e6:.1f} MB")
        outs = {"print only": None, **{s: Path(tmp) / f"r{s}" for s in (".xlsx", ".csv", ".png")}}
        for label, out in outs.items():
            results[label] = spent = time_command(path, out, runs)
            print(f"  aidsync report {label}: wall " + ", ".join(f"{t:.2f}" for t in spent["wall"])
                  + " s; cpu " + ", ".join(f"{t:.2f}" for t in spent["cpu"]) + " s")  # fmt: skip
        steps = time_steps(path)
        for name, value in steps.items():
            print(f"  {name}: {value:.3f}" if isinstance(value, float) else f"  {name}: {value}")
    imports = import_cost(max(runs, 3))
    for name, value in imports.items():
        print(f"  import {name}: {value:.2f} s")
    save_record(args.out, f"period-report-{args.size}", "period_report", argv, info,
                size=args.size, period=[str(START), str(END)], workbook=made,
                command_seconds=results, steps_cpu_seconds=steps,
                import_cpu_seconds=imports)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
