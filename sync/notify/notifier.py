"""After a pass: work out what is due, send it, record it in the Log (the notifier's shell).

Order of work, chosen to keep the crash window small (docs/notifications.md):
1. the pass's main write has landed (its decision lines are in the Log: the outbox);
2. due = events in the Log and this pass's lines, minus pairs the Log or the journal record;
3. each message is sent, and at once appended (fsync) to the journal;
4. one Log append records every sent message and each failing channel;
5. the journal forgets what the Log now holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sync.daily import ACTIONS as DAILY_ACTIONS
from sync.errors import SyncError
from sync.events import (
    Event,
    locale_name,
    log_lines,
    report_event,
    request_events,
    still_relevant,
)
from sync.messages import say
from sync.model import ApplyResult, CellChange, CellValue, LogLine, Plan, Snapshot
from sync.notify.config import Channel
from sync.notify.outbox import (
    FAILING_AFTER,
    Journal,
    Sent,
    failed_line,
    health,
    journal_for,
    notified_line,
    sent_pairs,
)
from sync.notify.render import Message, context, render
from sync.notify.send import SendError, send
from sync.schema import Schema


class LogAppender(Protocol):
    """The part of a backend the notifier needs."""

    def lock_path(self) -> Path:
        """The pass lock (the journal lives beside it)."""
        ...

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Append lines to the Log tab after the pass's main write."""
        ...


@dataclass(frozen=True)
class Outgoing:
    """One message due on one channel."""

    channel: Channel
    event: Event
    message: Message


@dataclass(frozen=True)
class NotifyReport:
    """What the notifier did (or, for a dry run, would do)."""

    sent: tuple[Sent, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (channel, reason)
    pending: tuple[Outgoing, ...] = ()  # dry run and preview: what would go
    left: int = 0  # due but over a channel's max_per_pass: the next pass sends them
    recorded: int = 0  # Log lines appended
    record_error: str = ""  # the Log append failed: the journal keeps the sent pairs
    extra: Mapping[str, int] = field(default_factory=dict)


def due(
    snapshot: Snapshot,
    plan: Plan,
    written: Sequence[LogLine],
    deferred: Iterable[CellChange],
    channels: Sequence[Channel],
    schema: Schema,
    now: datetime,
    done: set[tuple[str, str]],
    rules_dir: Path | None = None,
) -> list[Outgoing]:
    """Messages due on each channel, oldest first (pure apart from reading templates)."""
    tz = now.tzinfo
    assert tz is not None
    events = request_events(snapshot, plan, written, deferred, schema, tz, now)  # type: ignore[arg-type]
    report = report_event(plan.report, now)
    if report is not None:
        events.append(report)
    events.sort(key=lambda e: (e.time, e.id))
    # days whose daily report the rules' daily_at has released (recorded in the Log)
    released = {
        line.ref
        for line in [*log_lines(snapshot), *written]
        if line.action in DAILY_ACTIONS.values()
    }
    out: list[Outgoing] = []
    for channel in channels:
        horizon = now - timedelta(hours=channel.catch_up_hours)
        locale = locale_name(channel.locale or snapshot.locale)
        for event in events:
            if event.kind not in channel.events or (channel.name, event.id) in done:
                continue
            if event.time < horizon or not still_relevant(event, schema):
                continue
            if event.kind == "report" and not _report_released(channel, event, now, released):
                continue
            if channel.teams and event.kind != "escalation" and event.team not in channel.teams:
                continue
            if channel.communities and event.community not in channel.communities:
                continue
            out.append(Outgoing(channel, event, render(event, locale, channel.private, rules_dir)))
    return out


def _report_released(channel: Channel, event: Event, now: datetime, released: set[str]) -> bool:
    """A channel's own report_at wins; otherwise the report goes once the rules release it."""
    if channel.report_at is not None:
        return now.time() >= channel.report_at
    return str(event.fields.get("date", "")) in released


def written_log(plan: Plan, applied: ApplyResult | None, snapshot: Snapshot) -> list[LogLine]:
    """The Log lines the pass's write appended, as the write reports them (a dry run: the
    plan's)."""
    return list(applied.logged) if applied is not None else list(plan.log)


def deliver(
    backend: LogAppender,
    channels: Sequence[Channel],
    snapshot: Snapshot,
    plan: Plan,
    applied: ApplyResult,
    now: datetime,
    schema: Schema,
    rules_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> NotifyReport:
    """Send what is due after a written pass and record it; failures wait for the next pass."""
    environ = os.environ if environ is None else environ
    journal: Journal = journal_for(backend.lock_path())
    journaled = journal.read()
    in_log = sent_pairs(log_lines(snapshot))
    done = in_log | {(s.channel, s.event) for s in journaled}
    written = written_log(plan, applied, snapshot)
    outgoing = due(
        snapshot, plan, written, applied.deferred, channels, schema, now, done, rules_dir
    )
    sent: list[Sent] = []
    failed: list[tuple[str, SendError, int]] = []
    left = 0
    for channel in channels:
        mine = [o for o in outgoing if o.channel.name == channel.name]
        left += max(0, len(mine) - channel.max_per_pass)
        for n, item in enumerate(mine[: channel.max_per_pass]):
            fields = context(item.event, channel.private)
            try:
                send(channel, item.message, fields, environ)
            except SendError as exc:  # this channel is down: keep the rest for the next pass
                failed.append((channel.name, exc, len(mine) - n))
                break
            record = Sent(channel.name, item.event.id, item.event.ref, plan.time)
            journal.add(record)  # durable before anything else happens
            sent.append(record)
    recovered = [s for s in journaled if (s.channel, s.event) not in in_log]
    locale = snapshot.locale
    lines = [notified_line(s, locale) for s in [*recovered, *sent]]
    # the Log and the command's report say why in the workbook's language
    lines += [failed_line(plan.time, name, n, why.text(locale), locale) for name, why, n in failed]
    report = NotifyReport(
        tuple(sent), tuple((name, why.text(locale)) for name, why, _n in failed), (), left, 0
    )
    if not lines:
        return report
    try:
        backend.append_log(snapshot, lines, schema)
    except SyncError as exc:
        return replace(report, record_error=str(exc))
    journal.forget([*recovered, *sent])
    return replace(report, recorded=len(lines))


def pending(
    backend: LogAppender,
    channels: Sequence[Channel],
    snapshot: Snapshot,
    plan: Plan,
    now: datetime,
    schema: Schema,
    rules_dir: Path | None = None,
    written: Sequence[LogLine] | None = None,
) -> NotifyReport:
    """What a pass would send (dry run): nothing is sent or written. `written`: the Log lines
    the dry run's WriteSet would write (the plan's when not given)."""
    journaled = journal_for(backend.lock_path()).read()
    done = sent_pairs(log_lines(snapshot)) | {(s.channel, s.event) for s in journaled}
    lines = list(written) if written is not None else written_log(plan, None, snapshot)
    out = due(snapshot, plan, lines, (), channels, schema, now, done, rules_dir)
    return NotifyReport(pending=tuple(out))


def preview(
    snapshot: Snapshot, plan: Plan, applied: ApplyResult | None, now: datetime, schema: Schema
) -> list[Outgoing]:
    """The messages a group chat would get from this pass, as if one channel took them all."""
    # no report_at of its own: the daily report shows only once the rules' daily_at released it
    channel = Channel("preview", "webhook", url="http://preview.invalid")
    written = written_log(plan, applied, snapshot)
    deferred = applied.deferred if applied else ()
    return due(snapshot, plan, written, deferred, [channel], schema, now, set())


def with_health(plan: Plan, snapshot: Snapshot, channels: Sequence[Channel]) -> Plan:
    """The plan with a Summary section on each channel; a channel that keeps failing stands out."""
    if not channels:
        return plan
    locale = snapshot.locale

    def w(key: str, **fields: object) -> str:
        return say(locale, f"channels_{key}", **fields)

    states = health(log_lines(snapshot))
    rows: list[tuple[CellValue, ...]] = [(), (w("title"),), (w("channel"), w("type"), w("state"))]
    for channel in channels:
        h = states.get(channel.name)
        if h is None:
            state = w("never")
        elif h.failures >= FAILING_AFTER:
            state = w("failing", n=h.failures, time=h.last_failure, reason=h.last_reason[:200])
        elif h.failures:
            state = w("failed", time=h.last_failure)
        else:
            state = w("ok", since=w("since", time=h.last_sent) if h.last_sent else "")
        rows.append((channel.name, channel.kind, state))
    return replace(plan, summary=(*plan.summary, *rows))
