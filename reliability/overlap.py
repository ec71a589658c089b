"""Overlap campaign: 20 `aidsync sync` processes started at once on one workbook.

Each round starts 20 real commands (the installed `aidsync` console script, this checkout
first on PYTHONPATH) together on one workbook: the sample afternoon, the same with 1,500 more
requests (a pass then holds the lock for a second or more), or the sample in the Sheets
emulator. reliability/probe/sitecustomize.py records, without changing the command, when each
process holds the pass lock and when it writes.

Promises checked: every process exits 0 or 3; each exit 3 says that another pass is running;
no two processes ever hold the lock at the same time and every write happens under the lock;
afterwards the workbook is exactly what one uninterrupted pass makes (no Log line twice).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl

from reliability.common import (
    NOW,
    REQUESTS,
    ROOT,
    Report,
    Tabs,
    child_env,
    duplicated_log_lines,
    fresh_dir,
    make_sample,
    parse_args,
    read_xlsx,
    trim,
    working,
)

PROCESSES = 20
AIDSYNC = Path(sys.executable).with_name("aidsync")
KINDS = ("xlsx small", "xlsx large", "sheets small")


def enlarge(path: Path, extra: int, rng: random.Random) -> None:
    """Add requests to the sample so that a pass holds the lock longer."""
    book = openpyxl.load_workbook(path)
    ws = book[REQUESTS]
    communities = ["创意社区", "建设社区", "乐园社区", "兴华社区"]
    for i in range(extra):
        ws.append([None, "2022-12-20 14:00", f"居民{i}", f"1386{i:07d}", rng.choice(communities),
                   f"{i}号楼", rng.choice(["独居", "其他"]), rng.choice(["药品", "蔬菜食品"]),
                   "白菜", rng.choice(["紧急", "一般"])])  # fmt: skip
    book.save(path)


def command(target: list[str]) -> list[str]:
    """The real command."""
    exe = [str(AIDSYNC)] if AIDSYNC.exists() else [sys.executable, "-m", "sync"]
    return [*exe, "sync", *target, "--now", NOW, "-q"]


def intervals(trace: Path) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """(pid, start, end) of lock holds and of writes."""
    opened: dict[tuple[int, str], int] = {}
    holds: list[tuple[int, int, int]] = []
    writes: list[tuple[int, int, int]] = []
    for line in trace.read_text().splitlines() if trace.exists() else []:
        pid_text, event, stamp = line.split()
        pid, t = int(pid_text), int(stamp)
        if event in ("locked", "write-start"):
            opened[(pid, event)] = t
        elif event == "unlocking":
            holds.append((pid, opened.pop((pid, "locked")), t))
        elif event == "write-end":
            writes.append((pid, opened.pop((pid, "write-start")), t))
    return sorted(holds, key=lambda h: h[1]), writes


def main(argv: list[str] | None = None) -> int:
    """Run --trials rounds of 20 processes."""
    args = parse_args("overlap", __doc__ or "", 12, argv, processes=PROCESSES)
    processes = args.processes
    report = Report(args)
    rng = random.Random(args.seed)
    from emulator import SheetsEmulator

    work = fresh_dir(
        Path(os.environ.get("AIDSYNC_CAMPAIGN_DIR", "/tmp")) / f"aidsync-overlap-{os.getpid()}"
    )
    emulator = SheetsEmulator().start()
    emulator.quota.enabled = False  # 20 passes at once exceed a minute's quota by design
    key = work / "service-account.json"
    emulator.make_service_account_key(key)
    sample = make_sample(work / "sample.xlsx")
    large = work / "large.xlsx"
    shutil.copy(sample, large)
    enlarge(large, 1500, rng)
    probe = ROOT / "reliability" / "probe"
    base_env = {
        "AIDSYNC_RULES": str(ROOT / "rules"),
        "AIDSYNC_SHEETS_ENDPOINT": emulator.base_url,
        "AIDSYNC_REQUEST_TIMEOUT": "30",
    }
    references: dict[str, Tabs] = {}
    totals: Counter[str] = Counter()
    broken_rounds = 0
    max_holders = 0
    spreads: list[float] = []

    def state(kind: str, target: Any) -> Tabs:
        if kind.startswith("sheets"):
            sheets = emulator.spreadsheet(target).sheets
            return {s.title: trim(emulator.get_values(target, s.title)) for s in sheets}
        return read_xlsx(target)

    def prepare(kind: str, folder: Path) -> tuple[list[str], Any]:
        if kind.startswith("sheets"):
            sid = emulator.create_spreadsheet("互助登记", read_xlsx(sample))
            return ["--spreadsheet", sid, "--credentials", str(key)], sid
        book = folder / "互助登记.xlsx"
        shutil.copy(large if kind.endswith("large") else sample, book)
        return ["--workbook", str(book)], book

    try:
        for kind in dict.fromkeys(KINDS[(n - 1) % len(KINDS)] for n in range(1, args.trials + 1)):
            folder = fresh_dir(work / f"reference-{kind.replace(' ', '-')}")
            target, handle = prepare(kind, folder)
            env = child_env({**base_env, "AIDSYNC_STATE_DIR": str(folder / "state")})
            subprocess.run(command(target), env=env, cwd=folder, check=True, timeout=600)
            references[kind] = working(state(kind, handle))
        for n in range(1, args.trials + 1):
            kind = KINDS[(n - 1) % len(KINDS)]
            folder = fresh_dir(work / f"round{n}")
            target, handle = prepare(kind, folder)
            trace = folder / "trace.txt"
            env = child_env({**base_env, "AIDSYNC_STATE_DIR": str(folder / "state"),
                             "AIDSYNC_PROBE_TRACE": str(trace)})  # fmt: skip
            env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{probe}"
            began = time.monotonic()
            procs = [
                subprocess.Popen(command(target), env=env, cwd=folder, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(processes)
            ]  # fmt: skip
            results = [(p.pid, *p.communicate(timeout=600), p.returncode) for p in procs]
            elapsed = time.monotonic() - began
            holds, writes = intervals(trace)
            problems: list[str] = []
            codes = Counter(code for *_rest, code in results)
            for pid, _out, err, code in results:
                if code == 3 and "another aidsync pass is running" not in err:
                    problems.append(f"pid {pid} exited 3 without the message: {err[:200]!r}")
                if code not in (0, 3):
                    problems.append(f"pid {pid} exited {code}: {err[-300:]!r}")
            holders = 0
            for i, (_pid, _start, end) in enumerate(holds):
                at_once = 1 + sum(1 for _p, s, e in holds[i + 1 :] if s < end)
                holders = max(holders, at_once)
            if holders > 1:
                problems.append(f"{holders} processes held the lock at the same time")
            for pid, start, end in writes:
                mine = [h for h in holds if h[0] == pid and h[1] <= start and end <= h[2]]
                if not mine:
                    problems.append(f"pid {pid} wrote outside the lock")
            if len(holds) != codes[0]:
                problems.append(f"{len(holds)} lock holds but {codes[0]} exits 0")
            try:
                final = working(state(kind, handle))
            except Exception as exc:
                problems.append(f"the workbook does not open: {exc}")
                final = {}
            if final and final != references[kind]:
                problems.append("the workbook differs from one uninterrupted pass")
            if final and duplicated_log_lines(final):
                problems.append("duplicated log lines")
            broken_rounds += bool(problems)
            for problem in problems:
                report.finding(f"round {n} ({kind}): {problem}")
            max_holders = max(max_holders, holders)
            spreads.append(elapsed)
            writers = len({pid for pid, *_ in writes})
            totals["processes"] += len(results)
            totals["exit 0"] += codes[0]
            totals["exit 3"] += codes[3]
            totals["other exits"] += sum(c for k, c in codes.items() if k not in (0, 3))
            totals["processes that wrote"] += writers
            totals["rounds where exactly one process wrote"] += writers == 1
            report.progress(
                n,
                args.trials,
                f"{kind:12} exit 0 ×{codes[0]:2}, exit 3 ×{codes[3]:2}, "
                f"{writers} wrote, lock holders at once ≤ {holders}, {elapsed:.1f}s",
            )
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
    figures: dict[str, Any] = {
        f"rounds ({processes} processes started together)": args.trials,
        **{k: v for k, v in totals.items()},
        "most processes holding the lock at once": max_holders,
        "rounds with a broken promise": broken_rounds,
        "seconds per round (longest)": round(max(spreads), 1) if spreads else 0,
    }
    ok = broken_rounds == 0 and max_holders <= 1
    return report.finish(figures, ok)


if __name__ == "__main__":
    raise SystemExit(main())
