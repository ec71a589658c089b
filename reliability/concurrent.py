"""Concurrent-edit campaign: a person edits the Requests tab at a random moment of a pass.

Edits: claim a row by typing a volunteer, change a status (delivered, cancelled, in progress),
type a note, sort the tab, insert a row, delete a row (reliability.edits).

* Local workbook: the pass runs here (sync.worker.run_pass); another process
  (reliability.editor) loads the file at a random moment, edits it and saves it (temporary file,
  then rename), as an office suite does.
* Google: the pass runs against the Sheets emulator; the edit is made by the emulator's
  between-request hook before request k of the pass (k = 1 … 4), or after the pass.

After each pass:

* human edits lost: the edited cell no longer holds what the person typed, or any row's
  human-owned cells differ from what the person left (must be 0);
* writes on a wrong row: a worker or shared cell of a row (found by resident, phone, address
  and items) holds a value that belongs to no version of that row: not what it held before, not
  what the person left, not what an uninterrupted pass would write for it, on the workbook as
  it was before or after the edit (must be 0);
* changes deferred to the next pass (compare-and-set found the row moved or edited), and passes
  that re-planned because the file changed between their read and their save.

Then two more passes without edits: the first catches up, the second must plan nothing.

The Sheets API has no conditional write, so an edit made on Google after the pass's verifying
read and before its write cannot be seen; those trials are counted apart (the promise is
checked for every other moment).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reliability import edits
from reliability.common import (
    LATER,
    NOW,
    REQUESTS,
    ROOT,
    SCHEMA,
    Grid,
    Report,
    Tabs,
    child_env,
    fresh_dir,
    human_multiset,
    kind_of,
    lost_rows,
    make_sample,
    parse_args,
    percent,
    plain,
    read_xlsx,
    trim,
)
from sync.config import Settings
from sync.rules import load_rules
from sync.worker import run_pass

RULES = load_rules(ROOT / "rules", SCHEMA)
WORKER_KEYS = [c.key for c in SCHEMA.tab("requests").columns if c.owner != "human"]
SCENARIOS = {"fresh": (None, NOW), "second": (NOW, LATER)}


def moment(text: str) -> datetime:
    """An ISO time."""
    return datetime.fromisoformat(text)


@dataclass
class Outcome:
    """What one pass with an edit saw."""

    backend: str
    kind: str
    when: str = ""
    lost: int = 0
    wrong: int = 0
    deferred: int = 0
    replanned: bool = False
    stale_save: bool = False
    converged: bool = True
    unprotected: bool = False  # Google: edited after the verifying read, before the write
    window: float | None = None  # Google: seconds from the verifying read to the write
    problems: list[str] = field(default_factory=list)


def reference(tabs: Mapping[str, Grid], now: str) -> Tabs:
    """The workbook after an uninterrupted pass (planned and placed in memory)."""
    from builders import apply_in_memory

    from sync.layout import build_snapshot
    from sync.planner import build_plan

    grids = {t: [list(r) for r in g] for t, g in tabs.items()}
    snapshot = build_snapshot("reference", grids, SCHEMA)
    plan = build_plan(snapshot, RULES, moment(now), Settings().timezone, SCHEMA)
    return {t: trim(g) for t, g in apply_in_memory(grids, plan).items()}


def by_identity(grid: Grid) -> dict[tuple[Any, ...], list[Any]]:
    """Requests rows by who they are about (rows whose identity repeats are left out)."""
    cols = edits.columns(grid)
    seen: Counter[tuple[Any, ...]] = Counter()
    rows: dict[tuple[Any, ...], list[Any]] = {}
    for row in grid[1:]:
        ident = edits.identity(row, cols)
        if any(ident):
            seen[ident] += 1
            rows[ident] = row
    return {k: v for k, v in rows.items() if seen[k] == 1}


def check(
    outcome: Outcome,
    final: Tabs,
    versions: list[Grid],
    person_left: Tabs,
    expect: Mapping[str, Any],
) -> None:
    """Count lost human edits and writes on a wrong row."""
    lost = lost_rows(human_multiset(person_left), human_multiset(final))
    if lost:
        outcome.problems.append(f"{lost} rows of human cells differ from what people left")
    if expect:
        row = by_identity(final[REQUESTS]).get(tuple(expect["identity"]))
        cols = edits.columns(final[REQUESTS])
        held = edits.cell(row, cols[expect["column"]]) if row is not None else None
        if held != plain(expect["value"]):
            lost += 1
            outcome.problems.append(
                f"typed {expect['column']}={expect['value']!r} on {expect['identity'][0]}, "
                f"now {held!r}"
            )
    outcome.lost = lost
    known = [by_identity(v) for v in versions]
    final_grid = final[REQUESTS]
    cols = edits.columns(final_grid)
    for ident, row in by_identity(final_grid).items():
        sources = [k[ident] for k in known if ident in k]
        if not sources:
            outcome.wrong += 1
            outcome.problems.append(f"a row nobody wrote: {ident}")
            continue
        for key in WORKER_KEYS:
            if key not in cols:
                continue
            if expect and tuple(expect["identity"]) == ident and key == expect["column"]:
                continue
            value = edits.cell(row, cols[key])
            allowed = {edits.cell(s, edits.columns(v)[key]) for s, v in _pairs(ident, versions)}
            if value not in allowed:
                outcome.wrong += 1
                outcome.problems.append(
                    f"{key} of {ident[0]} is {value!r}; expected one of {sorted(map(str, allowed))}"
                )


def _pairs(ident: tuple[Any, ...], versions: list[Grid]) -> list[tuple[list[Any], Grid]]:
    out = []
    for grid in versions:
        row = by_identity(grid).get(ident)
        if row is not None and edits.columns(grid):
            out.append((row, grid))
    return out


def follow_up(outcome: Outcome, backend: Any, settings: Settings, now: str) -> None:
    """Two passes without edits: catch up, then nothing left to plan."""
    first = run_pass(backend, settings, moment(now), schema=SCHEMA, rules=RULES)
    second = run_pass(backend, settings, moment(now), schema=SCHEMA, rules=RULES)
    if first.applied and first.applied.deferred:
        outcome.converged = False
        outcome.problems.append("the next pass still deferred changes")
    if not second.plan.is_empty():
        outcome.converged = False
        outcome.problems.append("a third pass still planned changes")


# -- the local workbook ---------------------------------------------------------------------------
class XlsxSide:
    """The pass here, the person in reliability.editor."""

    name = "xlsx"

    def __init__(self, folder: Path) -> None:
        """Starting workbooks, the editor process, the pass duration."""
        self.folder = fresh_dir(folder)
        sample = make_sample(self.folder / "sample.xlsx")
        self.starts: dict[str, Path] = {}
        for scenario, (earlier, _now) in SCENARIOS.items():
            start = self.folder / f"start-{scenario}.xlsx"
            shutil.copy(sample, start)
            if earlier:
                run_pass(*self.backend(start), moment(earlier), schema=SCHEMA, rules=RULES)
            self.starts[scenario] = start
        self.editor = subprocess.Popen(
            [sys.executable, "-m", "reliability.editor"], env=child_env(), cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        probe = self.folder / "probe.xlsx"
        shutil.copy(sample, probe)
        self.ask(probe, 0.0, {"kind": "note", "row": 1, "value": "x"})  # warm the editor up
        self.answer()
        self.ask(probe, 0.0, {"kind": "note", "row": 1, "value": "x"})
        warm = self.answer()
        self.edit_time = warm["saved"] - warm["loaded"]
        began = time.monotonic()
        run_pass(*self.backend(probe), moment(NOW), schema=SCHEMA, rules=RULES)
        self.duration = time.monotonic() - began

    def close(self) -> None:
        """Stop the editor."""
        if self.editor.stdin:
            self.editor.stdin.close()
        self.editor.wait(timeout=30)
        if self.editor.stdout:
            self.editor.stdout.close()

    @staticmethod
    def backend(path: Path) -> tuple[Any, Settings]:
        """The local backend and its settings."""
        from sync.backends.xlsx import XlsxBackend

        return XlsxBackend(path), Settings(workbook=path, rules=ROOT / "rules")

    def ask(self, path: Path, delay: float, edit: dict[str, Any]) -> None:
        """Send the editor a command (the answer is read by answer())."""
        assert self.editor.stdin is not None
        command = {"path": str(path), "delay": delay, "edit": edit}
        self.editor.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.editor.stdin.flush()

    def answer(self) -> dict[str, Any]:
        """The editor's answer to the last command."""
        assert self.editor.stdout is not None
        return dict(json.loads(self.editor.stdout.readline()))

    def trial(self, n: int, rng: random.Random) -> Outcome:
        """One pass while the editor edits the same file."""
        scenario = rng.choice(list(SCENARIOS))
        now = SCENARIOS[scenario][1]
        book = self.folder / f"trial{n}.xlsx"
        shutil.copy(self.starts[scenario], book)
        start = read_xlsx(book)
        volunteers = [r[1] for r in start["志愿者"][1:] if len(r) > 1 and r[1]]
        edit = edits.choose(start[REQUESTS], volunteers, rng, n)
        outcome = Outcome(self.name, edit["kind"])
        backend, settings = self.backend(book)
        times: dict[str, float] = {}
        original_read, original_save = backend.read, backend._save

        def read(schema: Any) -> Any:
            times.setdefault("read", time.monotonic())
            return original_read(schema)

        def save(workbook: Any, digest: Any) -> None:
            original_save(workbook, digest)
            times["saved"] = time.monotonic()

        backend.read, backend._save = read, save  # type: ignore[method-assign]
        # the person's save lands anywhere from before the pass reads to after it saves
        offset = rng.uniform(-self.edit_time, self.duration)
        self.ask(book, max(0.0, offset), edit)
        if offset < 0:
            time.sleep(-offset)
        result = run_pass(backend, settings, moment(now), schema=SCHEMA, rules=RULES)
        times["done"] = time.monotonic()
        answer = self.answer()
        if "error" in answer:
            outcome.problems.append(f"the editor failed: {answer['error']}")
            return outcome
        saved = answer["saved"]
        if saved < times["read"]:
            outcome.when = "saved before the pass read"
        elif "saved" not in times or saved < times["saved"]:
            outcome.when = "saved while the pass planned"
        elif answer["loaded"] < times["saved"]:
            outcome.when = "loaded before and saved after the pass's save"
            outcome.stale_save = True
        else:
            outcome.when = "after the pass"
        outcome.replanned = result.attempts > 1
        outcome.deferred = len(result.applied.deferred) if result.applied else 0
        final = read_xlsx(book)
        person_left = dict(start)
        person_left[REQUESTS] = trim(answer["after"])
        versions = [
            start[REQUESTS],
            trim(answer["before"]),
            trim(answer["after"]),
            reference(start, now)[REQUESTS],
            reference({**start, REQUESTS: trim(answer["after"])}, now)[REQUESTS],
        ]
        check(outcome, final, versions, person_left, answer["expect"])
        follow_up(outcome, backend, settings, now)
        book.unlink(missing_ok=True)
        return outcome


# -- Google ---------------------------------------------------------------------------------------
class SheetsSide:
    """The pass and the emulator here; the edit made between two of the pass's requests."""

    name = "sheets"

    def __init__(self, folder: Path) -> None:
        """Start the emulator and make the starting grids."""
        from emulator import SheetsEmulator

        self.folder = fresh_dir(folder)
        self.emulator = SheetsEmulator().start()
        self.emulator.quota.enabled = False  # passes here run back to back; see reliability.faults
        self.key = self.folder / "service-account.json"
        self.emulator.make_service_account_key(self.key)
        self.hook_action: Any = None
        self.emulator.before_request(lambda record: self.hook_action and self.hook_action(record))
        grids = read_xlsx(make_sample(self.folder / "sample.xlsx"))
        self.starts: dict[str, Tabs] = {}
        for scenario, (earlier, _now) in SCENARIOS.items():
            sid = self.emulator.create_spreadsheet("互助登记", grids)
            if earlier:
                run_pass(*self.backend(sid), moment(earlier), schema=SCHEMA, rules=RULES)
            self.starts[scenario] = self.state(sid)

    def close(self) -> None:
        """Stop the emulator."""
        self.emulator.stop()

    def backend(self, sid: str) -> tuple[Any, Settings]:
        """A Google backend on the emulator (backoff sleeps skipped)."""
        from sync.backends.gsheets import GSheetsBackend

        settings = Settings(
            spreadsheet=sid, credentials=self.key, rules=ROOT / "rules",
            sheets_endpoint=self.emulator.base_url, request_timeout=10,
            state_dir=self.folder / "state",
        )  # fmt: skip
        return GSheetsBackend.from_settings(settings, sleep=lambda _s: None), settings

    def state(self, sid: str) -> Tabs:
        """Every tab's typed values, trimmed."""
        sheets = self.emulator.spreadsheet(sid).sheets
        return {s.title: trim(self.emulator.get_values(sid, s.title)) for s in sheets}

    def trial(self, n: int, rng: random.Random) -> Outcome:
        """One pass with an edit before its k-th request."""
        scenario = rng.choice(list(SCENARIOS))
        now = SCENARIOS[scenario][1]
        start = self.starts[scenario]
        sid = self.emulator.create_spreadsheet("互助登记", start)
        volunteers = [r[1] for r in start["志愿者"][1:] if len(r) > 1 and r[1]]
        edit = edits.choose(start[REQUESTS], volunteers, rng, n)
        outcome = Outcome(self.name, edit["kind"])
        target = rng.randint(1, 5)
        seen: dict[str, Any] = {"n": 0}
        lock = threading.Lock()

        def make_edit(label: str) -> None:
            def change(grid: list[list[Any]]) -> None:
                seen["before"] = trim(grid)
                seen["expect"] = edits.apply(grid, edit)
                seen["after"] = trim(grid)

            self.emulator.human_edit(sid, REQUESTS, change)
            outcome.when = label

        def action(record: Any) -> None:
            with lock:
                seen["n"] += 1
                if seen["n"] == target and "after" not in seen:
                    make_edit(f"before request {target} ({kind_of(record)})")

        self.hook_action = action
        backend, settings = self.backend(sid)
        first = len(self.emulator.sheets_requests)
        try:
            result = run_pass(backend, settings, moment(now), schema=SCHEMA, rules=RULES)
        finally:
            self.hook_action = None
        made = self.emulator.sheets_requests[first:]
        kinds = [kind_of(r) for r in made]
        reads = [i for i, k in enumerate(kinds, start=1) if k == "GET values:batchGet"]
        writes = [i for i, k in enumerate(kinds, start=1) if k.startswith("POST")]
        # the check before writing: the second batchGet, or the structural request whose
        # answer carries the tabs when the pass needs one
        structural = [i for i, k in enumerate(kinds, start=1) if k == "POST batchUpdate"]
        checks = reads[1:2] or structural[:1]
        if checks and writes:
            outcome.unprotected = checks[0] < target <= writes[-1]
            outcome.window = made[writes[-1] - 1].time - made[checks[0] - 1].time
        if "after" not in seen:
            make_edit("after the pass")
        outcome.replanned = result.attempts > 1
        outcome.deferred = len(result.applied.deferred) if result.applied else 0
        final = self.state(sid)
        person_left = dict(start)
        person_left[REQUESTS] = seen["after"]
        before_edit = seen["before"]
        versions = [
            start[REQUESTS],
            before_edit,
            seen["after"],
            reference(start, now)[REQUESTS],
            reference({**start, REQUESTS: seen["after"]}, now)[REQUESTS],
        ]
        check(outcome, final, versions, person_left, seen["expect"])
        follow_up(outcome, backend, settings, now)
        return outcome


# -- the campaign ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run --trials passes with an edit on each backend."""
    args = parse_args("concurrent", __doc__ or "", 250, argv)
    report = Report(args)
    rng = random.Random(args.seed)
    work = Path(os.environ.get("AIDSYNC_CAMPAIGN_DIR", "/tmp")) / f"aidsync-edit-{os.getpid()}"
    sides: list[Any] = [XlsxSide(work / "xlsx"), SheetsSide(work / "sheets")]
    outcomes: list[Outcome] = []
    try:
        for side in sides:
            for n in range(1, args.trials + 1):
                outcome = side.trial(n, rng)
                outcomes.append(outcome)
                for problem in outcome.problems[:5]:
                    report.finding(f"{side.name} trial {n} ({outcome.kind}, {outcome.when}): "
                                   f"{problem}")  # fmt: skip
                report.progress(
                    n, args.trials,
                    f"{side.name} {outcome.kind:7} {outcome.when:48} deferred {outcome.deferred:2}"
                    f"{' re-planned' if outcome.replanned else ''}"
                    f"{' PROBLEM' if outcome.problems else ''}",
                )  # fmt: skip
    finally:
        for side in sides:
            side.close()
        shutil.rmtree(work, ignore_errors=True)
    figures: dict[str, Any] = {}
    for side in sides:
        mine = [o for o in outcomes if o.backend == side.name]
        figures[f"{side.name}: passes with a human edit"] = len(mine)
        for kind, n in sorted(Counter(o.kind for o in mine).items()):
            figures[f"{side.name}: edits '{kind}'"] = n
        for when, n in sorted(Counter(o.when for o in mine).items()):
            figures[f"{side.name}: edit {when}"] = n
        figures[f"{side.name}: human edits lost"] = sum(o.lost for o in mine)
        figures[f"{side.name}: writes on a wrong row"] = sum(o.wrong for o in mine)
        if side.name == "sheets":
            window = [o for o in mine if o.unprotected]
            figures["sheets: edits after the verifying read, before the write"] = len(window)
            figures["sheets:   of which human edits lost"] = sum(o.lost for o in window)
            figures["sheets:   of which writes on a wrong row"] = sum(o.wrong for o in window)
            figures["sheets: human edits lost, edit at any other moment"] = sum(
                o.lost for o in mine if not o.unprotected
            )
            figures["sheets: writes on a wrong row, edit at any other moment"] = sum(
                o.wrong for o in mine if not o.unprotected
            )
            spans = sorted(o.window for o in mine if o.window is not None)
            if spans:
                figures["sheets: verifying read → write, median ms (loopback)"] = round(
                    1000 * spans[len(spans) // 2], 1
                )
        figures[f"{side.name}: cell changes deferred to the next pass"] = sum(
            o.deferred for o in mine
        )
        figures[f"{side.name}: passes that deferred changes"] = percent(
            sum(1 for o in mine if o.deferred), len(mine)
        )
        figures[f"{side.name}: passes that re-planned (file changed before the save)"] = sum(
            1 for o in mine if o.replanned
        )
        if side.name == "xlsx":
            figures["xlsx: pass's writes overwritten by the editor's stale save"] = sum(
                1 for o in mine if o.stale_save
            )
        figures[f"{side.name}: next pass converged (a third plans nothing)"] = percent(
            sum(1 for o in mine if o.converged), len(mine)
        )
    # Google has no conditional write: an edit between the verifying read and the write cannot
    # be seen (docs/reliability.md); every other moment, and every local edit, must be safe
    ok = not any(o.problems for o in outcomes if not o.unprotected)
    return report.finish(figures, ok)


if __name__ == "__main__":
    raise SystemExit(main())
