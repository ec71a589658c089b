"""Crash campaign: `aidsync sync` killed with SIGKILL at random moments, then run again.

Each trial starts a real pass (`python -m sync sync`) in a child process and kills it:

* on the local workbook, at a random moment of the pass, at a random moment after its startup,
  or while it saves (once its temporary file appears beside the workbook);
* against the Sheets emulator, which runs in this process (so the kill lands between requests
  and in the middle of one): at a random moment, inside request k before the emulator handles
  it (the request then lands or is dropped), or just after the answer to request k.

After each kill the workbook must open, hold every human-typed cell, have no duplicated Log
line and be either untouched or completely written; the next pass (not killed) must leave it
exactly as an uninterrupted pass does (every tab but the Summary, which says what the last pass
did). Two starting points: the fresh sample afternoon at 15:00, and the same workbook after the
15:00 pass, passed again at 16:30 (timers, reminders).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability.common import (
    LATER,
    NOW,
    ROOT,
    Report,
    Tabs,
    child_env,
    duplicated_log_lines,
    fresh_dir,
    human_multiset,
    kind_of,
    lost_rows,
    make_sample,
    parse_args,
    read_xlsx,
    sync_command,
    working,
)

SCENARIOS = {"fresh": (None, NOW), "second": (NOW, LATER)}  # (earlier pass, the killed pass)


@dataclass
class Outcome:
    """What one trial saw."""

    backend: str
    scenario: str
    mode: str
    landed: str = ""
    state: str = ""  # untouched | written | PARTIAL | UNREADABLE
    problems: list[str] = field(default_factory=list)


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a pass to the end (no kill)."""
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def kill(proc: subprocess.Popen[Any]) -> bool:
    """SIGKILL a child if it still runs; True when it was still running."""
    try:
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return proc.poll() is None or proc.returncode == -signal.SIGKILL


# -- the local workbook ---------------------------------------------------------------------------
class XlsxSide:
    """Passes on a local .xlsx file."""

    name = "xlsx"

    def __init__(self, folder: Path, warm: bool = True) -> None:
        """Build the sample, the starting workbooks and the uninterrupted references."""
        self.folder = fresh_dir(folder)
        self.env = child_env({"AIDSYNC_RULES": str(ROOT / "rules")})
        self.starts: dict[str, Path] = {}
        self.references: dict[str, Tabs] = {}
        self.durations: list[float] = []
        sample = make_sample(self.folder / "sample.xlsx")
        for scenario, (earlier, _now) in SCENARIOS.items():
            start = self.folder / f"start-{scenario}.xlsx"
            shutil.copy(sample, start)
            if earlier:
                self.check(run(self.command(start, earlier), self.env, self.folder))
            self.starts[scenario] = start
        for scenario, (_earlier, now) in SCENARIOS.items():
            for attempt in range(2 if warm else 1):  # the second run is warm, like the trials
                ref = self.folder / f"reference-{scenario}-{attempt}.xlsx"
                shutil.copy(self.starts[scenario], ref)
                began = time.monotonic()
                self.check(run(self.command(ref, now), self.env, self.folder))
                self.durations.append(time.monotonic() - began)
            self.references[scenario] = working(read_xlsx(ref))
        began = time.monotonic()
        subprocess.run([sys.executable, "-c", "import sync.cli"], env=self.env, check=True)
        self.startup = time.monotonic() - began

    @staticmethod
    def check(done: subprocess.CompletedProcess[str]) -> None:
        """A reference pass must succeed."""
        if done.returncode != 0:
            raise SystemExit(f"reference pass failed ({done.returncode}): {done.stderr}")

    @staticmethod
    def command(book: Path, now: str) -> list[str]:
        """The pass."""
        return sync_command("--workbook", str(book), "--now", now, "-q")

    def trial(self, n: int, rng: random.Random) -> Outcome:
        """Kill one pass, check the workbook, rerun, compare."""
        scenario = rng.choice(list(SCENARIOS))
        mode = rng.choice(["anytime", "in-pass", "mid-save"])
        start = self.starts[scenario]
        book = self.folder / f"trial{n}.xlsx"
        shutil.copy(start, book)
        now = SCENARIOS[scenario][1]
        outcome = Outcome(self.name, scenario, mode)
        duration = min(self.durations)
        proc = subprocess.Popen(
            self.command(book, now), env=self.env, cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        temp_seen = False
        if mode == "mid-save":
            pattern = f".{book.stem}.*.aidsync-tmp.xlsx"
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if any(self.folder.glob(pattern)):
                    temp_seen = True
                    time.sleep(rng.uniform(0, 0.1))
                    break
                time.sleep(0.001)
        else:
            low = self.startup * 0.9 if mode == "in-pass" else 0.0
            time.sleep(rng.uniform(low, max(low, duration)))
        temps_at_kill = len(list(self.folder.glob(f".{book.stem}.*.aidsync-tmp.xlsx")))
        kill(proc)
        proc.wait(timeout=60)
        if proc.stderr:
            proc.stderr.close()
        if proc.returncode != -signal.SIGKILL:
            outcome.landed = "finished before the kill"
        elif temps_at_kill or temp_seen:
            outcome.landed = "while saving (temporary file present)"
        else:
            outcome.landed = "before saving"
        self.verify(book, start, scenario, outcome)
        return outcome

    def verify(self, book: Path, start: Path, scenario: str, outcome: Outcome) -> None:
        """The promises after a kill, and after the rerun."""
        try:
            after_kill = working(read_xlsx(book))
        except Exception as exc:  # the workbook no longer opens: the worst outcome
            outcome.state = "UNREADABLE"
            outcome.problems.append(f"the workbook does not open after the kill: {exc}")
            return
        before = working(read_xlsx(start))
        reference = self.references[scenario]
        compare(after_kill, before, reference, outcome)
        done = run(self.command(book, SCENARIOS[scenario][1]), self.env, self.folder)
        if done.returncode != 0:
            outcome.problems.append(f"the rerun exited {done.returncode}: {done.stderr[-300:]}")
            return
        if working(read_xlsx(book)) != reference:
            outcome.problems.append("the rerun did not converge to the uninterrupted result")
        leftovers = list(self.folder.glob(f".{book.stem}.*.aidsync-tmp.xlsx"))
        if leftovers:
            outcome.problems.append(f"temporary files left after the rerun: {leftovers}")
        book.unlink(missing_ok=True)


def compare(after_kill: Tabs, before: Tabs, reference: Tabs, outcome: Outcome) -> None:
    """Untouched or completely written; human cells intact; no duplicated log line."""
    if after_kill == before:
        outcome.state = "untouched"
    elif after_kill == reference:
        outcome.state = "written"
    else:
        outcome.state = "PARTIAL"
        outcome.problems.append("the killed pass left the workbook half-written")
    lost = lost_rows(human_multiset(before), human_multiset(after_kill))
    if lost:
        outcome.problems.append(f"{lost} rows of human cells changed after the kill")
    dupes = duplicated_log_lines(after_kill)
    if dupes:
        outcome.problems.append(f"{dupes} duplicated log lines after the kill")


# -- the Sheets emulator --------------------------------------------------------------------------
class SheetsSide:
    """Passes against the Sheets emulator running in this process."""

    name = "sheets"

    def __init__(self, folder: Path, warm: bool = True) -> None:
        """Start the emulator, build the starting spreadsheets' grids and the references."""
        from emulator import SheetsEmulator

        self.folder = fresh_dir(folder)
        self.emulator = SheetsEmulator().start()
        server = self.emulator._server
        if server is not None:  # a killed client resets its connection: not worth a traceback
            server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.key = self.folder / "service-account.json"
        self.emulator.make_service_account_key(self.key)
        self.env = child_env({
            "AIDSYNC_SHEETS_ENDPOINT": self.emulator.base_url,
            "AIDSYNC_STATE_DIR": str(self.folder / "state"),
            "AIDSYNC_RULES": str(ROOT / "rules"),
            "AIDSYNC_REQUEST_TIMEOUT": "10",
        })  # fmt: skip
        self.lock = threading.Lock()
        self.events: list[tuple[float, str, int, str]] = []  # (time, recv|sent, index, kind)
        self.action: Callable[[str, int], None] | None = None
        self.count = 0
        original_respond = self.emulator._respond

        def hook(record: Any) -> None:
            with self.lock:
                self.count += 1
                index = self.count
                record.index = index
                self.events.append((time.monotonic(), "recv", index, kind_of(record)))
            if self.action is not None:
                self.action("recv", index)

        def respond(handler: Any, record: Any, status: int, body: dict[str, Any]) -> None:
            original_respond(handler, record, status, body)
            index = getattr(record, "index", 0)
            if index:
                with self.lock:
                    self.events.append((time.monotonic(), "sent", index, kind_of(record)))
                if self.action is not None:
                    self.action("sent", index)

        self.emulator.before_request(hook)
        self.emulator._respond = respond  # type: ignore[method-assign]
        grids = read_xlsx(make_sample(self.folder / "sample.xlsx"))
        self.starts: dict[str, Tabs] = {}
        self.references: dict[str, Tabs] = {}
        self.durations: list[float] = []
        self.requests_per_pass: list[int] = []
        for scenario, (earlier, _now) in SCENARIOS.items():
            sid = self.emulator.create_spreadsheet("互助登记", grids)
            if earlier:
                XlsxSide.check(run(self.command(sid, earlier), self.env, self.folder))
            self.starts[scenario] = self.state(sid)
        for scenario, (_earlier, now) in SCENARIOS.items():
            for _attempt in range(2 if warm else 1):
                sid = self.emulator.create_spreadsheet("互助登记", self.starts[scenario])
                self.count = 0
                began = time.monotonic()
                XlsxSide.check(run(self.command(sid, now), self.env, self.folder))
                self.durations.append(time.monotonic() - began)
                self.requests_per_pass.append(self.count)
            self.references[scenario] = working(self.state(sid))

    def close(self) -> None:
        """Stop the emulator."""
        self.emulator.stop()

    def command(self, sid: str, now: str) -> list[str]:
        """The pass."""
        return sync_command(
            "--spreadsheet", sid, "--credentials", str(self.key), "--now", now, "-q"
        )

    def state(self, sid: str) -> Tabs:
        """Every tab's typed values, trimmed."""
        from reliability.common import trim

        sheets = self.emulator.spreadsheet(sid).sheets
        return {s.title: trim(self.emulator.get_values(sid, s.title)) for s in sheets}

    def trial(self, n: int, rng: random.Random) -> Outcome:
        """Kill one pass, check the spreadsheet, rerun, compare."""
        from emulator.errors import ApiError

        scenario = rng.choice(list(SCENARIOS))
        mode = rng.choice(["anytime", "inside request (lands)", "inside request (dropped)",
                           "after an answer"])  # fmt: skip
        outcome = Outcome(self.name, scenario, mode)
        sid = self.emulator.create_spreadsheet("互助登记", self.starts[scenario])
        now = SCENARIOS[scenario][1]
        target = rng.randint(1, max(self.requests_per_pass))
        proc_box: dict[str, subprocess.Popen[Any]] = {}
        killed_at: list[float] = []

        def action(event: str, index: int) -> None:
            if index != target or killed_at:
                return
            if mode.startswith("inside request") and event == "recv":
                killed_at.append(time.monotonic())
                kill(proc_box["proc"])
                if mode.endswith("(dropped)"):
                    raise ApiError(503)
            elif mode == "after an answer" and event == "sent":
                delay = rng.uniform(0, 0.02)
                killed_at.append(time.monotonic() + delay)
                threading.Timer(delay, kill, args=(proc_box["proc"],)).start()

        with self.lock:
            self.events.clear()
            self.count = 0
        self.action = action if mode != "anytime" else None
        began = time.monotonic()
        proc = subprocess.Popen(
            self.command(sid, now), env=self.env, cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        proc_box["proc"] = proc
        if mode == "anytime":
            time.sleep(rng.uniform(0, min(self.durations)))
            killed_at.append(time.monotonic())
            kill(proc)
        proc.wait(timeout=60)
        time.sleep(0.02)  # let an in-flight handler finish, as Google would
        self.action = None
        alive = proc.returncode == -signal.SIGKILL
        outcome.landed = self.landed(alive, killed_at, began)
        with self.lock:
            self.count = 0
        before = working(self.starts[scenario])
        compare(working(self.state(sid)), before, self.references[scenario], outcome)
        done = run(self.command(sid, now), self.env, self.folder)
        if done.returncode != 0:
            outcome.problems.append(f"the rerun exited {done.returncode}: {done.stderr[-300:]}")
        elif working(self.state(sid)) != self.references[scenario]:
            outcome.problems.append("the rerun did not converge to the uninterrupted result")
        return outcome

    def landed(self, alive: bool, killed_at: list[float], began: float) -> str:
        """Where the kill landed, from the emulator's request events."""
        if not alive or not killed_at:
            return "finished before the kill"
        moment = killed_at[0]
        with self.lock:
            events = [e for e in self.events if e[0] <= moment + 1e-4]
        if not events:
            return "before the first request"
        received = {e[2]: e[3] for e in events if e[1] == "recv"}
        answered = {e[2] for e in events if e[1] == "sent"}
        open_ = [i for i in received if i not in answered]
        if open_:
            return f"inside request {open_[-1]} ({received[open_[-1]]})"
        last = max(received)
        return f"after the answer to request {last} ({received[last]})"


# -- the campaign ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the campaign: --trials passes killed on each backend."""
    args = parse_args("crash", __doc__ or "", 200, argv)
    report = Report(args)
    rng = random.Random(args.seed)
    work = Path(os.environ.get("AIDSYNC_CAMPAIGN_DIR", "/tmp")) / f"aidsync-crash-{os.getpid()}"
    warm = args.trials >= 20  # a second reference run measures a warm pass's duration
    sides: list[Any] = [XlsxSide(work / "xlsx", warm), SheetsSide(work / "sheets", warm)]
    outcomes: list[Outcome] = []
    try:
        for side in sides:
            for n in range(1, args.trials + 1):
                outcome = side.trial(n, rng)
                outcomes.append(outcome)
                for problem in outcome.problems:
                    report.finding(f"{side.name} trial {n} ({outcome.mode}): {problem}")
                report.progress(
                    n, args.trials,
                    f"{side.name} {outcome.scenario:6} {outcome.mode:26} → {outcome.landed}; "
                    f"{outcome.state}{' PROBLEM' if outcome.problems else ''}",
                )  # fmt: skip
    finally:
        for side in sides:
            if isinstance(side, SheetsSide):
                side.close()
        shutil.rmtree(work, ignore_errors=True)
    figures: dict[str, Any] = {}
    for side in sides:
        mine = [o for o in outcomes if o.backend == side.name]
        killed = [o for o in mine if o.landed != "finished before the kill"]
        figures[f"{side.name}: passes started"] = len(mine)
        figures[f"{side.name}: killed mid-pass (SIGKILL)"] = len(killed)
        figures[f"{side.name}: finished before the kill"] = len(mine) - len(killed)
        for landed, n in sorted(Counter(_coarse(o.landed) for o in killed).items()):
            figures[f"{side.name}: kill landed {landed}"] = n
        for state, n in sorted(Counter(o.state for o in mine).items()):
            figures[f"{side.name}: after the kill, workbook {state}"] = n
        figures[f"{side.name}: trials with a broken promise"] = sum(1 for o in mine if o.problems)
        figures[f"{side.name}: pass duration (s, uninterrupted)"] = round(min(side.durations), 2)
    ok = not any(o.problems for o in outcomes)
    return report.finish(figures, ok)


def _coarse(landed: str) -> str:
    """Group 'inside request 3 (GET values:batchGet)' by the request's kind."""
    if landed.startswith(("inside request", "after the answer to request")):
        head, _, kind = landed.partition(" (")
        return f"{head.rsplit(' ', 1)[0]} ({kind}"
    return landed


if __name__ == "__main__":
    raise SystemExit(main())
