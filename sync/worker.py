"""One pass (lock, read, plan, verify, write) and the scheduled loop."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import filelock
import schedule

from sync.backends.base import Backend
from sync.config import Settings, WorkbookEntry
from sync.errors import BackendError, LockHeld, RuleError, StaleSnapshot, SyncError
from sync.messages import say
from sync.model import ApplyResult, Plan, Snapshot, WriteSet
from sync.planner import build_plan
from sync.rules import Rules, load_rules
from sync.schema import Locale, Schema, load_schema
from sync.writes import lay_out

REPLANS = 3


@dataclass(frozen=True)
class PassResult:
    """What a pass planned and, unless it was a dry run, what it wrote."""

    snapshot: Snapshot
    plan: Plan
    applied: ApplyResult | None
    attempts: int
    notified: Any = None  # sync.notify.NotifyReport when channels are configured
    write_set: WriteSet | None = None  # what the write sent, or a dry run would send


def plan_pass(
    snapshot: Snapshot, rules: Rules, now: datetime, settings: Settings, schema: Schema
) -> Plan:
    """The pass's plan over a snapshot, the Summary's section on notification channels included
    (the same for a dry run and a write)."""
    plan = build_plan(snapshot, rules, now, settings.timezone, schema)
    if settings.notify:
        from sync.notify import with_health

        plan = with_health(plan, snapshot, settings.notify)
    return plan


@contextlib.contextmanager
def hold_lock(path: Path) -> Iterator[None]:
    """Hold the workbook's pass lock, or raise LockHeld at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise LockHeld.worded("worker_lock_held", path=path) from None
    try:
        yield
    finally:
        lock.release()


def rules_for(backend: Backend, settings: Settings, schema: Schema) -> Rules:
    """The rules; a rule error says itself in the workbook's language, which a read (nothing
    is written) tells when the rules fail: a Chinese coordinator on an English server."""
    try:
        return load_rules(settings.rules, schema)
    except RuleError as error:
        with contextlib.suppress(SyncError):  # if the workbook cannot tell, the reader's
            error.in_language(backend.read(schema).locale)
        raise


def run_pass(
    backend: Backend,
    settings: Settings,
    now: datetime,
    dry_run: bool = False,
    schema: Schema | None = None,
    rules: Rules | None = None,
) -> PassResult:
    """Run one pass; a bad rule file stops it before anything is read or written."""
    schema = schema or load_schema()
    rules = rules or rules_for(backend, settings, schema)
    if dry_run:  # the write laid out on the read, as apply would lay it out with no one editing
        snapshot = backend.read(schema)
        plan = plan_pass(snapshot, rules, now, settings, schema)
        result = PassResult(snapshot, plan, None, 1, write_set=lay_out(plan, snapshot, schema))
        return _notify(result, backend, settings, now, schema)
    with hold_lock(backend.lock_path()):
        for attempt in range(1, REPLANS + 1):
            snapshot = backend.read(schema)
            plan = plan_pass(snapshot, rules, now, settings, schema)
            try:
                applied = backend.apply(snapshot, plan, schema)
            except StaleSnapshot:
                continue
            result = PassResult(snapshot, plan, applied, attempt, write_set=applied.write_set)
            return _notify(result, backend, settings, now, schema)
    raise BackendError.worded("worker_kept_changing", source=backend.describe(), n=REPLANS)


def _notify(
    result: PassResult, backend: Backend, settings: Settings, now: datetime, schema: Schema
) -> PassResult:
    """Send what the pass's decisions call for (after its write, still under the lock), or, on
    a dry run, list it; see docs/notifications.md."""
    if not settings.notify:
        return result
    from sync.notify import deliver, pending

    local = now.astimezone(settings.timezone)
    args = (settings.notify, result.snapshot, result.plan)
    if result.applied is None:
        written = result.write_set.log_lines if result.write_set else result.plan.log
        report = pending(backend, *args, local, schema, settings.rules, written)
    else:
        report = deliver(backend, *args, result.applied, local, schema, settings.rules)
    return dataclasses.replace(result, notified=report)


def run_every(
    seconds: float,
    job: Callable[[], None],
    stop: threading.Event,
    clock_sleep: Callable[[float], None] | None = None,
) -> None:
    """Run a job now and then every so many seconds until stop is set (after the job in flight)."""
    scheduler = schedule.Scheduler()
    scheduler.every(max(1, round(seconds))).seconds.do(job)
    job()
    while not stop.is_set():
        idle = scheduler.idle_seconds
        wait = 1.0 if idle is None else max(0.0, min(1.0, idle))
        if clock_sleep is not None:
            clock_sleep(wait)
        else:
            stop.wait(wait)
        if not stop.is_set():
            scheduler.run_pending()


def parse_interval(text: str, locale: Locale = "en") -> float:
    """Seconds in '30s', '5m', '1h', '90' (seconds); a bad one says so in the language given."""
    raw = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        value = float(raw[:-1]) * units[raw[-1]] if raw[-1:] in units else float(raw)
    except ValueError:
        raise ValueError(say(locale, "cli_bad_interval", text=text)) from None
    if value <= 0:
        raise ValueError(say(locale, "cli_interval_positive"))
    return value


@dataclass(frozen=True)
class FleetPass:
    """One workbook's pass within a run over many: its result, or the error that stopped it."""

    name: str
    result: PassResult | None = None
    error: SyncError | None = None


def run_fleet(
    entries: Sequence[WorkbookEntry],
    open_backend: Callable[[Settings], Backend],
    now: Callable[[Settings], datetime],
    workers: int = 4,
    on_done: Callable[[FleetPass], None] | None = None,
) -> list[FleetPass]:
    """One pass over each workbook, a few at a time; a failure stops only its own workbook.

    Each pass takes its own workbook's lock, so a workbook still busy from the last round (or
    served by another process) is skipped with LockHeld while the others go on.
    """
    schema = load_schema()

    def one(entry: WorkbookEntry) -> FleetPass:
        try:
            backend = open_backend(entry.settings)
            return FleetPass(entry.name, run_pass(backend, entry.settings, now(entry.settings),
                                                  schema=schema))  # fmt: skip
        except SyncError as exc:
            return FleetPass(entry.name, error=exc)
        except Exception as exc:  # a bug must not stop the other workbooks either
            unexpected = SyncError.worded("worker_unexpected", kind=type(exc).__name__, text=exc)
            return FleetPass(entry.name, error=unexpected)

    done: dict[str, FleetPass] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="aidsync") as pool:
        futures = [pool.submit(one, entry) for entry in entries]
        for future in as_completed(futures):
            outcome = future.result()
            done[outcome.name] = outcome
            if on_done is not None:
                on_done(outcome)
    return [done[entry.name] for entry in entries]
