"""Benchmark aidsync per workbook size, beside a naive row-by-row gspread script.

    python -m benchmarks.run                      # small, medium, large (about 15 minutes)
    python -m benchmarks.run --sizes medium       # one size
    python -m benchmarks.run --quick              # the tiny size, seconds; what the tests run
    python -m benchmarks.run --sizes peak-small,peak   # the wave's peak: far more waiting than
                                                       # the volunteers can take

For each size it measures two passes: the *first* pass over a workbook people filled before
aidsync ever ran (every row gets an id, a note, a decision) and a *steady* pass five minutes
later, after the new requests, claims and deliveries of those five minutes. It reports

* plan time: build_plan on an in-memory snapshot, median of several runs;
* a whole local pass (.xlsx through openpyxl, in a child process): read, plan, write, and the
  child's peak RSS;
* a whole Google pass against the Sheets emulator with a simulated round trip (100 ms) and the
  real per-user quota (60 requests a minute): wall time and Sheets API requests;
* the same changes written the way most sheet scripts do it (gspread, one update_cell per cell,
  one append_row per log line), capped at --naive-cap writes and extrapolated past the cap.

Results go to benchmarks/results/ as JSON and Markdown, and a table is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import (  # noqa: E402
    NOW,
    SIZES,
    STEADY_MINUTES,
    TZ,
    Edit,
    Grids,
    Size,
    activity,
    apply_edits,
    apply_edits_xlsx,
    generate,
    to_grids,
    write_xlsx,
)
from sync.backends.gsheets import GSheetsBackend, cell_json  # noqa: E402
from sync.backends.xlsx import XlsxBackend  # noqa: E402
from sync.config import Settings  # noqa: E402
from sync.layout import build_snapshot  # noqa: E402
from sync.model import LogLine, Plan, Snapshot  # noqa: E402
from sync.placement import Target, place_changes  # noqa: E402
from sync.planner import build_plan  # noqa: E402
from sync.resources import default_rules_dir  # noqa: E402
from sync.rules import Rules, load_rules  # noqa: E402
from sync.schema import Schema, load_schema  # noqa: E402
from sync.worker import run_pass  # noqa: E402

LATER = NOW + timedelta(minutes=STEADY_MINUTES)
PASSES = ("first", "steady")


# -- plan ----------------------------------------------------------------------------------------
def time_plan(
    snapshot: Snapshot, rules: Rules, schema: Schema, now: datetime, runs: int
) -> tuple[list[float], list[float], Plan]:
    """Wall and CPU seconds of each build_plan run (after a warm-up run), and the plan."""
    plan = build_plan(snapshot, rules, now, TZ, schema)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        plan = build_plan(snapshot, rules, now, TZ, schema)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, plan


def plan_heap(snapshot: Snapshot, rules: Rules, schema: Schema, now: datetime) -> int:
    """Peak bytes tracemalloc sees while planning (the snapshot itself excluded)."""
    tracemalloc.start()
    try:
        build_plan(snapshot, rules, now, TZ, schema)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def targets(plan: Plan, snapshot: Snapshot) -> list[tuple[str, Target]]:
    """Every cell change placed on its cell, with its tab title."""
    placed, deferred = place_changes(plan, snapshot, {})
    if deferred:
        raise RuntimeError(f"{len(deferred)} changes could not be placed on their own snapshot")
    return [(snapshot.tables[t.change.tab].title, t) for t in placed]


def settle(grids: Grids, snapshot: Snapshot, plan: Plan) -> None:
    """Write a plan into grids the way a backend would (what the sheet holds after the pass)."""
    for title, target in targets(plan, snapshot):
        rows = grids[title]
        while len(rows) < target.row:
            rows.append([])
        line = rows[target.row - 1]
        line.extend([""] * (target.col + 1 - len(line)))
        line[target.col] = target.change.new
    log = snapshot.table("log")
    summary = snapshot.table("summary")
    assert log is not None and summary is not None
    grids[log.title].extend(list(line.cells()) for line in plan.log)
    grids[summary.title] = [list(r) for r in plan.summary]


# -- the local pass, in a child process ------------------------------------------------------------
def local_pass(path: Path, now: datetime) -> dict[str, Any]:
    """One pass over a .xlsx file: read, plan, write, timed; peak RSS of this process."""
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    before = peak_rss_mb()
    backend = XlsxBackend(path)
    start, start_cpu = time.perf_counter(), time.process_time()
    snapshot = backend.read(schema)
    read = time.perf_counter()
    plan = build_plan(snapshot, rules, now, TZ, schema)
    planned = time.perf_counter()
    applied = backend.apply(snapshot, plan, schema)
    written = time.perf_counter()
    append_s = log_append(path, snapshot, schema, now)
    return {
        "cpu_s": time.process_time() - start_cpu,
        "read_s": read - start,
        "plan_s": planned - read,
        "write_s": written - planned,
        "total_s": written - start,
        "cells_written": applied.written,
        "append_s": append_s,
        "log_lines": applied.log_lines,
        "file_mb": path.stat().st_size / 1e6,
        "rss_start_mb": before,
        "rss_peak_mb": peak_rss_mb(),
    }


NOTIFIED_LINES = 20  # Log lines a notifier records after a pass that sent messages


def log_append(path: Path, snapshot: Snapshot, schema: Schema, now: datetime) -> float:
    """Seconds to append the Log lines of a pass that sent messages (on a copy of the file, so
    the next pass reads the workbook the pass left)."""
    copy = path.with_name(f".append-{path.name}")
    shutil.copyfile(path, copy)
    try:
        when = now.strftime("%Y-%m-%d %H:%M")
        lines = [
            LogLine(when, f"R-{i:04d}", "已通知", "wecom", f"evt-{i}")
            for i in range(NOTIFIED_LINES)
        ]
        start = time.perf_counter()
        XlsxBackend(copy).append_log(snapshot, lines, schema)
        return time.perf_counter() - start
    finally:
        copy.unlink(missing_ok=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that forked it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def local_pass_child(path: Path, now: datetime) -> dict[str, Any]:
    """local_pass in a fresh interpreter, so its peak memory is the pass's own."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--local-pass",
            str(path),
            "--now",
            now.isoformat(),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- the Google passes, against the emulator -------------------------------------------------------
@contextlib.contextmanager
def running_emulator(latency: float) -> Iterator[Any]:
    """A running Sheets emulator that answers every Sheets request after `latency` seconds."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import emulator.server as emulator_server
    from emulator import SheetsEmulator

    class _NoRollback:
        """Stands in for the copy module inside the emulator's server.

        The emulator deep-copies the whole spreadsheet before every write so that a failing
        batch can be rolled back: 7 s per write at 50,000 rows, a cost Google does not have.
        No write fails here (a quota 429 is refused before anything changes), so the copy
        is skipped.
        """

        @staticmethod
        def deepcopy(value: Any) -> Any:
            return value

    emulator_server.copy = _NoRollback  # type: ignore[assignment]
    emu = SheetsEmulator().start()
    try:
        if latency > 0:
            emu.fail_randomly(rate=1.0, statuses=(), delay=latency)  # a delay on every request
        yield emu
    finally:
        emu.stop()
        emulator_server.copy = copy


@dataclass
class Requests:
    """Sheets API requests the emulator saw since a mark."""

    emu: Any
    mark: int = 0
    calls: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.mark = len(self.emu.sheets_requests)

    def stop(self) -> None:
        self.calls = [
            f"{r.method} {r.path.rsplit('/', 1)[-1]} {r.status}"
            for r in self.emu.sheets_requests[self.mark :]
        ]

    @property
    def total(self) -> int:
        return len(self.calls)

    @property
    def refused(self) -> int:
        return sum(1 for c in self.calls if c.endswith(" 429"))


def google_pass(
    emu: Any, sid: str, folder: Path, now: datetime, schema: Schema, rules: Rules
) -> dict[str, Any]:
    """One aidsync pass through the Google backend: wall time and requests."""
    key = folder / "service-account.json"
    settings = Settings(
        spreadsheet=sid,
        credentials=key,
        rules=default_rules_dir(),
        sheets_endpoint=emu.base_url,
        request_timeout=600.0,
        state_dir=folder / "state",
    )
    emu.quota.reset()
    seen = Requests(emu)
    seen.start()
    start = time.perf_counter()
    backend = GSheetsBackend.from_settings(settings)  # a cron pass builds its client afresh
    result = run_pass(backend, settings, now, schema=schema, rules=rules)
    wall = time.perf_counter() - start
    seen.stop()
    assert result.applied is not None
    return {
        "wall_s": wall,
        "requests": seen.total,
        "refused_429": seen.refused,
        "calls": [c.rsplit(" ", 1)[0] for c in seen.calls],
        "cells_written": result.applied.written,
        "deferred": len(result.applied.deferred),
    }


def naive_pass(
    emu: Any,
    sid: str,
    folder: Path,
    cells: Sequence[tuple[str, Target]],
    log_rows: Sequence[Sequence[str]],
    log_title: str,
    summary_title: str,
    summary: Sequence[Sequence[object]],
    read_titles: Sequence[str],
    cap: int,
) -> dict[str, Any]:
    """The same changes the way most sheet scripts write them: gspread, row by row.

    Opens the spreadsheet, reads each tab with get_all_values, then one update_cell per
    changed cell, one append_row per log line and one update for the summary, with gspread's
    own BackOffHTTPClient for the 429s. Stops after `cap` writes; the rest is extrapolated.
    """
    import gspread
    from emulator import RewritingSession
    from google.oauth2.service_account import Credentials

    key = folder / "service-account.json"
    credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        str(key), scopes=["https://www.googleapis.com/auth/spreadsheets"]
    )
    emu.quota.reset()
    seen = Requests(emu)
    seen.start()
    start = time.perf_counter()
    client = gspread.Client(
        auth=credentials,
        session=RewritingSession(credentials, emu.base_url),
        http_client=gspread.BackOffHTTPClient,
    )
    book = client.open_by_key(sid)
    sheets = {title: book.worksheet(title) for title in read_titles}
    for ws in sheets.values():
        ws.get_all_values()
    log_ws = book.worksheet(log_title)
    summary_ws = book.worksheet(summary_title)
    reads_done = time.perf_counter()
    reads = len(emu.sheets_requests) - seen.mark
    writes: list[Callable[[], object]] = []
    for title, target in cells:
        ws = sheets[title]
        value = cell_json(target.change.new)
        writes.append(lambda ws=ws, t=target, v=value: ws.update_cell(t.row, t.col + 1, v))
    for line in log_rows:
        writes.append(lambda row=list(line): log_ws.append_row(row))
    body = [[cell_json(v) for v in row] for row in summary]
    writes.append(lambda: summary_ws.update(body, "A1"))
    durations = []
    for write in writes[:cap]:
        began = time.perf_counter()
        write()
        durations.append(time.perf_counter() - began)
    wall = time.perf_counter() - start
    seen.stop()
    done, total = len(durations), len(writes)
    read_s = reads_done - start
    write_s = sum(durations)
    # Past the cap: at least the per-user write quota (60 a minute) with each write taking the
    # median measured time, and no faster than the measured rate (429s and backoff included).
    quota_floor = 60.0 * ((total - 1) // 60) + statistics.median(durations) * ((total - 1) % 60 + 1)
    per_request = (seen.total - reads) / done  # 429s that were retried included
    return {
        "writes_planned": total,
        "writes_done": done,
        "extrapolated": done < total,
        "measured_wall_s": wall,
        "measured_requests": seen.total,
        "refused_429": seen.refused,
        "read_s": read_s,
        "reads": reads,
        "wall_s": wall if done == total else read_s + max(write_s / done * total, quota_floor),
        "requests": seen.total if done == total else round(reads + per_request * total),
        "quota_floor_s": read_s + quota_floor,
    }


def google_bench(
    size: Size,
    grids: list[Grids],
    plans: list[tuple[Snapshot, Plan]],
    edits: Sequence[Edit],
    schema: Schema,
    rules: Rules,
    args: argparse.Namespace,
    folder: Path,
) -> dict[str, Any]:
    """aidsync's first and steady passes, then the naive script on the same two workbooks."""
    with running_emulator(args.latency) as emu:
        emu.make_service_account_key(folder / "service-account.json")
        out: dict[str, Any] = {}
        sid = emu.create_spreadsheet("互助登记", copy.deepcopy(grids[0]))
        log_title = plans[0][0].tables["log"].title
        # the Log tab's grid as the emulator makes it (1,000 rows): a first pass whose log
        # outgrows it costs one more request (appendDimension), counted below
        out["aidsync_first"] = google_pass(emu, sid, folder, NOW, schema, rules)
        from emulator.model import cell_from_python

        for edit in edits:  # people typing; new rows below the last grow the grid, as in Google
            sheet = emu.sheet(sid, edit.title)
            sheet.set_cell(edit.row - 1, edit.col, cell_from_python(edit.value))
            sheet.row_count = max(sheet.row_count, edit.row)
        out["aidsync_steady"] = google_pass(emu, sid, folder, LATER, schema, rules)
        for name, workbook, (snapshot, plan) in zip(PASSES, grids, plans, strict=True):
            naive_sid = emu.create_spreadsheet("互助登记", copy.deepcopy(workbook))
            out[f"naive_{name}"] = naive_pass(
                emu,
                naive_sid,
                folder,
                targets(plan, snapshot),
                [line.cells() for line in plan.log],
                log_title,
                snapshot.tables["summary"].title,
                plan.summary,
                [snapshot.tables[k].title for k in ("requests", "volunteers", "stock")],
                args.naive_cap,
            )
        return out


# -- one size --------------------------------------------------------------------------------------
def bench_size(
    size: Size, args: argparse.Namespace, schema: Schema, rules: Rules
) -> dict[str, Any]:
    """Every figure for one size."""
    result: dict[str, Any] = {
        "size": size.name,
        "requests": size.requests,
        "volunteers": size.volunteers,
        "stock": size.stock,
    }
    rows = generate(size, args.seed)
    first = to_grids(rows)
    first_snapshot = build_snapshot("bench", first, schema)
    runs = args.plan_runs or (3 if size.requests >= 50_000 else 5)
    times, cpu, first_plan = time_plan(first_snapshot, rules, schema, NOW, runs)
    result["plan_first"] = _timing(times, cpu, first_plan)
    settled = copy.deepcopy(first)
    settle(settled, first_snapshot, first_plan)
    edits = activity(settled, size, args.seed)
    steady = copy.deepcopy(settled)
    apply_edits(steady, edits)
    steady_snapshot = build_snapshot("bench", steady, schema)
    times, cpu, steady_plan = time_plan(steady_snapshot, rules, schema, LATER, runs)
    result["plan_steady"] = _timing(times, cpu, steady_plan)
    result["plan_steady"]["heap_peak_mb"] = plan_heap(steady_snapshot, rules, schema, LATER) / 1e6
    result["edits_between_passes"] = len(edits)
    print(f"  {size.name}: planned", flush=True)

    with tempfile.TemporaryDirectory(prefix=f"aidsync-bench-{size.name}-") as tmp:
        folder = Path(tmp)
        if not args.skip_local:
            path = write_xlsx(folder / "互助登记.xlsx", rows)
            result["local_first"] = local_pass_child(path, NOW)
            apply_edits_xlsx(path, edits)
            result["local_steady"] = local_pass_child(path, LATER)
            print(f"  {size.name}: local passes done", flush=True)
        if not args.skip_google:
            result.update(
                google_bench(
                    size,
                    [first, steady],
                    [(first_snapshot, first_plan), (steady_snapshot, steady_plan)],
                    edits,
                    schema,
                    rules,
                    args,
                    folder,
                )
            )
            for name in PASSES:
                ours, naive = result[f"aidsync_{name}"], result[f"naive_{name}"]
                result[f"ratio_{name}"] = {
                    "requests": naive["requests"] / ours["requests"],
                    "wall": naive["wall_s"] / ours["wall_s"],
                }
            print(f"  {size.name}: Google passes done", flush=True)
    return result


def _timing(times: list[float], cpu: list[float], plan: Plan) -> dict[str, Any]:
    return {
        "median_s": statistics.median(times),
        "cpu_median_s": statistics.median(cpu),
        "min_s": min(times),
        "runs_s": [round(t, 4) for t in times],
        "changes": len(plan.changes),
        "log_lines": len(plan.log),
    }


# -- reporting -------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": list(os.getloadavg()),
    }


def side_arguments(doc: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """--size, --seed and --out of a side benchmark (guard, log_append); doc's first paragraph
    is the help text."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--size", default="medium", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    return parser.parse_args(argv)


def save_record(
    out: Path,
    label: str,
    module: str,
    argv: Sequence[str] | None,
    info: dict[str, Any],
    **fields: Any,
) -> Path:
    """Write a side benchmark's figures as JSON in out: the command, the machine (taken when
    the run started; the load after is added now) and the fields."""
    info = {**info, "load_after": list(os.getloadavg())}
    args = argv if argv is not None else sys.argv[1:]
    record = {"command": f"python -m benchmarks.{module} " + " ".join(args), "machine": info}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{label}.json"
    path.write_text(json.dumps({**record, **fields}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
    return path


def _s(value: float) -> str:
    if value >= 3600:
        return f"{value / 3600:.1f} h"
    if value >= 120:
        return f"{value / 60:.1f} min"
    return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of the headline figures."""
    head = ["size", "pass", "plan (median wall, CPU)", "changes", "local read", "local plan",
            "local write", "local total", "Log append (20 lines)", "local peak RSS", "Google wall",
            "Google requests", "naive wall", "naive requests", "ratio requests",
            "ratio wall"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        for name in PASSES:
            plan = r[f"plan_{name}"]
            local = r.get(f"local_{name}")
            ours = r.get(f"aidsync_{name}")
            naive = r.get(f"naive_{name}")
            ratio = r.get(f"ratio_{name}")
            mark = " (extrapolated)" if naive and naive["extrapolated"] else ""
            cells = [
                f"{r['size']} {r['requests']:,}/{r['volunteers']:,}/{r['stock']:,}",
                name,
                f"{_s(plan['median_s'])} ({_s(plan['cpu_median_s'])} CPU)",
                f"{plan['changes']:,}",
                *(
                    [_s(local[k]) for k in ("read_s", "plan_s", "write_s", "total_s")]
                    + [_s(local["append_s"]) if "append_s" in local else "–"]
                    + [f"{local['rss_peak_mb']:.0f} MB"]
                    if local
                    else ["–"] * 6
                ),
                _s(ours["wall_s"]) if ours else "–",
                str(ours["requests"]) if ours else "–",
                _s(naive["wall_s"]) + mark if naive else "–",
                f"{naive['requests']:,}{mark}" if naive else "–",
                f"{ratio['requests']:,.0f}×" if ratio else "–",
                f"{ratio['wall']:,.0f}×" if ratio else "–",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: the sizes whose figures the targets speak of: (1,000-request size, 10,000-request size)
TARGET_PAIRS = (("small", "medium"), ("peak-small", "peak"))


def targets_met(results: list[dict[str, Any]]) -> list[str]:
    """The targets of the peak issue (#11), checked against these figures, calm and peak."""
    by = {r["size"]: r for r in results}
    out = []
    for small, large in TARGET_PAIRS:
        if large in by:
            for name in PASSES:
                t = by[large][f"plan_{name}"]["median_s"]
                out.append(f"{large}: plan 10,000/1,000/2,000 ({name} pass) < 1 s: {t:.2f} s "
                           f"{'met' if t < 1 else 'MISSED'}")  # fmt: skip
            if f"local_{PASSES[0]}" in by[large]:
                for name, limit in zip(PASSES, (8, 4), strict=True):
                    t = by[large][f"local_{name}"]["total_s"]
                    out.append(f"{large}: local pass over 10,000 requests ({name}) < {limit} s: "
                               f"{t:.1f} s {'met' if t < limit else 'MISSED'}")  # fmt: skip
        if small in by and large in by:
            for name in PASSES:
                growth = (
                    by[large][f"plan_{name}"]["median_s"] / by[small][f"plan_{name}"]["median_s"]
                )
                out.append(f"{large}: plan growth 1k→10k ({name}) ≤ 12×: {growth:.1f}× "
                           f"{'met' if growth <= 12 else 'MISSED'}")  # fmt: skip
    for name in PASSES:
        counts = [r[f"aidsync_{name}"]["requests"] for r in results if f"aidsync_{name}" in r]
        if counts:
            ok = "met" if max(counts) <= 4 else "over 4"
            out.append(f"Sheets requests per {name} pass, by size: {counts} {ok}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(
        description="Benchmark aidsync beside a naive gspread script (see benchmarks/RESULTS.md)."
    )
    parser.add_argument("--sizes", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--quick", action="store_true", help="tiny size, few runs, small cap")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per Sheets request")
    parser.add_argument("--naive-cap", type=int, help="naive writes to run before extrapolating")
    parser.add_argument("--plan-runs", type=int, help="timed build_plan runs per pass")
    parser.add_argument("--skip-local", action="store_true")
    parser.add_argument("--skip-google", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--local-pass", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.local_pass:
        print(json.dumps(local_pass(args.local_pass, datetime.fromisoformat(args.now))))
        return 0
    names = args.sizes.split(",") if args.sizes else (["tiny"] if args.quick else
                                                      ["small", "medium", "large"])  # fmt: skip
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    if args.naive_cap is None:
        args.naive_cap = 8 if args.quick else 75
    if args.quick and args.plan_runs is None:
        args.plan_runs = 2
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    info = machine()
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"aidsync benchmark on {info['nproc']} × {info['cpu']}, Python {info['python']}, "
          f"load {info['load_before'][0]:.2f}", flush=True)  # fmt: skip
    results = [bench_size(SIZES[n], args, schema, rules) for n in names]
    info["load_after"] = list(os.getloadavg())
    report = table(results)
    checks = targets_met(results)
    print()
    print(report)
    print()
    print("\n".join(checks))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{'-'.join(names)}"
    data = {"command": command.strip(), "machine": info, "results": results, "targets": checks}
    (args.out / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (args.out / f"{name}.md").write_text(
        f"# aidsync benchmark {info['date']}\n\n`{command.strip()}`\n\n"
        f"{info['nproc']} × {info['cpu']}, Python {info['python']}, load average "
        f"{info['load_before'][0]:.2f} before, {info['load_after'][0]:.2f} after\n\n"
        f"{report}\n\n" + "\n".join(f"- {c}" for c in checks) + "\n"
    )
    print(f"\nwrote {args.out / name}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
