"""Fault campaign: the real `aidsync sync` command against an emulator answering 30 % of
requests with 429, 500, 503 or too slowly.

Each trial is one pass over a fresh copy of the sample afternoon, through `sync.cli.main` in
this process (the exit code is what the command would exit with), so that the backoff's sleeps
advance the emulator's injectable clock instead of the wall clock: passes run a minute apart
on that clock, as a cron job would run them (the recommended interval is five minutes), and
the emulator enforces Google's per-minute quotas (60 read and 60 write requests per user).

Faults: each Sheets request fails with probability --rate (default 0.3), evenly 429, 500, 503,
or an answer slower than the request timeout (the request still lands: the client gave up
waiting). One trial in ten also meets an outage: from a random request of the pass, ten
requests in a row fail, more than the retries allow.

Promises checked: every pass exits 0 with the workbook exactly as an uninterrupted pass leaves
it, or exits 1 with an `Error:` message (no traceback) and the workbook untouched or completely
written (a write may land after its answer timed out); the next pass without faults converges;
no request was ever refused for exceeding a quota, and no minute saw more requests than the
quota allows.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import sys
import threading
from collections import Counter, deque
from pathlib import Path
from typing import Any

from reliability.common import (
    NOW,
    ROOT,
    Report,
    Tabs,
    fresh_dir,
    human_multiset,
    kind_of,
    lost_rows,
    make_sample,
    parse_args,
    percent,
    read_xlsx,
    trim,
    working,
)

TIMEOUT = 0.5  # seconds the command waits for an answer (AIDSYNC_REQUEST_TIMEOUT)
SLOW = 0.8  # seconds a slow answer takes


class Clock:
    """The emulator's clock; the command's sleeps advance it."""

    def __init__(self) -> None:
        """Start at t=1000."""
        self.now = 1000.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        """The current fake time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """What the command's backoff does instead of sleeping."""
        with self.lock:
            self.now += seconds


class Faults:
    """Replaces the emulator's FaultPlan: random faults at a rate, and outages."""

    def __init__(self, rate: float, rng: random.Random) -> None:
        """No outage until one is planned."""
        self.rate = rate
        self.rng = rng
        self.lock = threading.Lock()
        self.outage_at = 0
        self.outage_left = 0
        self.seen = 0
        self.injected: Counter[str] = Counter()
        self.active = True

    def plan_outage(self, at: int, length: int) -> None:
        """Fail `length` requests in a row from this pass's request number `at`."""
        self.seen, self.outage_at, self.outage_left = 0, at, length

    def next(self) -> Any:
        """The emulator asks before handling each Sheets request."""
        from emulator.faults import Fault

        with self.lock:
            if not self.active:
                return None
            self.seen += 1
            if self.outage_left and self.seen >= self.outage_at:
                self.outage_left -= 1
                status = self.rng.choice([500, 503])
                self.injected[f"outage {status}"] += 1
                return Fault(status, 0.0)
            if self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(["429", "500", "503", "slow"])
            self.injected[kind] += 1
            return Fault(None, SLOW) if kind == "slow" else Fault(int(kind), 0.0)

    def clear(self) -> None:
        """Nothing planned."""
        with self.lock:
            self.outage_left = 0


def run_command(argv: list[str]) -> tuple[int, str]:
    """sync.cli.main in-process: (exit code, what it printed on stderr)."""
    from sync import cli

    err = io.StringIO()
    saved = sys.argv
    sys.argv = ["aidsync", *argv]
    code = 0
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
    return code, err.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Run --trials passes under faults."""
    args = parse_args("faults", __doc__ or "", 300, argv)
    parser_rate = float(os.environ.get("AIDSYNC_FAULT_RATE", "0.3"))
    report = Report(args)
    rng = random.Random(args.seed)
    from emulator import SheetsEmulator

    from sync.backends.gsheets import http as gsheets_http

    work = fresh_dir(
        Path(os.environ.get("AIDSYNC_CAMPAIGN_DIR", "/tmp")) / f"aidsync-faults-{os.getpid()}"
    )
    clock = Clock()
    emulator = SheetsEmulator(clock=clock).start()
    server = emulator._server
    if server is not None:  # a client that timed out closes its connection: no traceback
        server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    refused: list[tuple[float, str]] = []
    charge = emulator.quota.charge

    def counted_charge(user: str, write: bool) -> None:
        try:
            charge(user, write)
        except Exception:
            refused.append((clock(), "write" if write else "read"))
            raise

    emulator.quota.charge = counted_charge  # type: ignore[method-assign]
    faults = Faults(parser_rate, rng)
    emulator.faults = faults  # type: ignore[assignment]
    key = work / "service-account.json"
    emulator.make_service_account_key(key)
    saved_sleep = gsheets_http.SLEEP
    gsheets_http.SLEEP = clock.sleep
    env = {
        "AIDSYNC_SHEETS_ENDPOINT": emulator.base_url,
        "AIDSYNC_STATE_DIR": str(work / "state"),
        "AIDSYNC_RULES": str(ROOT / "rules"),
        "AIDSYNC_REQUEST_TIMEOUT": str(TIMEOUT),
    }
    saved_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    grids = read_xlsx(make_sample(work / "sample.xlsx"))

    def state(sid: str) -> Tabs:
        sheets = emulator.spreadsheet(sid).sheets
        return {s.title: trim(emulator.get_values(sid, s.title)) for s in sheets}

    def command(sid: str) -> list[str]:
        return ["sync", "--spreadsheet", sid, "--credentials", str(key), "--now", NOW, "-q"]

    codes: Counter[int] = Counter()
    states: Counter[str] = Counter()
    broken = 0
    outages = 0
    faulty_requests = 0
    try:
        faults.active = False
        ref_sid = emulator.create_spreadsheet("互助登记", grids)
        code, err = run_command(command(ref_sid))
        if code != 0:
            raise SystemExit(f"the reference pass failed: {err}")
        reference = working(state(ref_sid))
        before = working(grids)
        faults.active = True
        for n in range(1, args.trials + 1):
            clock.now = max(clock.now, 1000.0 + 60.0 * n)  # a pass a minute
            sid = emulator.create_spreadsheet("互助登记", grids)
            outage = rng.random() < 0.1
            faults.plan_outage(rng.randint(1, 4), 10) if outage else faults.clear()
            outages += outage
            first = len(emulator.sheets_requests)
            code, err = run_command(command(sid))
            faults.clear()
            codes[code] += 1
            made = emulator.sheets_requests[first:]
            faulty_requests += len(made)
            now_state = working(state(sid))
            label = (
                "complete"
                if now_state == reference
                else "untouched"
                if now_state == before
                else "PARTIAL"
            )
            states[label] += 1
            problems = []
            if code not in (0, 1):
                problems.append(f"exit {code}: {err.strip()[-300:]}")
            if code == 0 and label != "complete":
                problems.append(f"exit 0 but the workbook is {label}")
            if code == 1 and label == "PARTIAL":
                problems.append("exit 1 and the workbook half-written")
            if code != 0 and ("Traceback" in err or not err.startswith("Error:")):
                problems.append(f"no clean error message: {err[:300]!r}")
            if lost_rows(human_multiset(before), human_multiset(now_state)):
                problems.append("human cells changed")
            faults.active = False
            rerun, rerun_err = run_command(command(sid))
            faults.active = True
            if rerun != 0 or working(state(sid)) != reference:
                problems.append(f"the pass after the faults did not converge ({rerun_err[:200]})")
            broken += bool(problems)
            for problem in problems:
                report.finding(f"trial {n}: {problem}")
            statuses = Counter(r.status for r in made)
            report.progress(
                n,
                args.trials,
                f"exit {code} {label:9} {len(made):2} requests "
                f"({', '.join(f'{s}×{c}' for s, c in sorted(statuses.items()))})"
                f"{' outage' if outage else ''}",
            )
    finally:
        gsheets_http.SLEEP = saved_sleep
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
    requests = emulator.sheets_requests
    worst: dict[str, int] = {}
    for kind in ("read", "write"):
        times = sorted(r.time for r in requests if (r.method == "GET") == (kind == "read"))
        window: deque[float] = deque()
        peak = 0
        for t in times:
            window.append(t)
            while window[0] <= t - 60.0:
                window.popleft()
            peak = max(peak, len(window))
        worst[kind] = peak
    answered = Counter(r.status for r in requests)
    kinds = Counter(kind_of(r) for r in requests)
    injected = sum(faults.injected.values())
    figures: dict[str, Any] = {
        "passes": args.trials,
        "fault rate per request": faults.rate,
        "passes with an outage (10 failures in a row)": outages,
        "exit 0 (complete, workbook as an uninterrupted pass leaves it)": codes[0],
        "exit 1 (gave up, message printed)": codes[1],
        "other exit codes": sum(n for c, n in codes.items() if c not in (0, 1)),
        "after the pass: workbook complete": states["complete"],
        "after the pass: workbook untouched": states["untouched"],
        "after the pass: workbook half-written": states["PARTIAL"],
        "trials with a broken promise": broken,
        "Sheets requests sent by the passes under faults": faulty_requests,
        "faults injected (share of those requests)": percent(injected, faulty_requests),
        "Sheets requests in all (with the reference pass and the reruns)": len(requests),
        **{f"faults injected: {k}": v for k, v in sorted(faults.injected.items())},
        "answers by status": dict(sorted(answered.items())),
        "requests by kind": dict(sorted(kinds.items())),
        "requests refused by the emulator's quota": len(refused),
        "most read requests in any 60 s (quota 60)": worst["read"],
        "most write requests in any 60 s (quota 60)": worst["write"],
    }
    ok = broken == 0 and not refused and worst["read"] <= 60 and worst["write"] <= 60
    return report.finish(figures, ok)


if __name__ == "__main__":
    raise SystemExit(main())
