"""What was sent, as the Log tab records it, and a local journal that covers the crash window.

A sent message is recorded as a Log line: time · request id · 已通知/notified · channel ·
event id. A pass reads these lines back and never sends a (channel, event) pair twice. A
channel's failures are recorded one line per pass (通知失败/notify failed · channel · reason),
so the Summary can show a channel that keeps failing.

The journal is a small file beside the pass lock. Each successful send is appended and fsynced
to it at once, before the Log line is written; the next pass treats journal entries as sent and
writes their Log lines. It shrinks the window in which a crash would cause a second send from
"until the Log is saved" to "between the service's answer and one fsync".
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sync.events import FAILED, NOTIFIED
from sync.messages import say
from sync.model import LogLine
from sync.schema import Locale
from sync.values import safe_text

#: a channel failing this many passes in a row is flagged in the Summary
FAILING_AFTER = 3


@dataclass(frozen=True)
class Sent:
    """A (channel, event) pair that reached its channel."""

    channel: str
    event: str
    ref: str = ""
    time: str = ""


@dataclass(frozen=True)
class ChannelHealth:
    """What the Log says about one channel: last success and failures since."""

    channel: str
    last_sent: str = ""
    failures: int = 0
    last_failure: str = ""
    last_reason: str = ""


def sent_pairs(lines: Iterable[LogLine]) -> set[tuple[str, str]]:
    """(channel, event id) of every notified line in the Log."""
    actions = set(NOTIFIED.values())
    return {(line.rule, line.detail.split()[0]) for line in lines
            if line.action in actions and line.detail.strip()}  # fmt: skip


def health(lines: Iterable[LogLine]) -> dict[str, ChannelHealth]:
    """Each channel's consecutive failed passes, in Log order (a success resets the count)."""
    found: dict[str, ChannelHealth] = {}
    ok, failed = set(NOTIFIED.values()), set(FAILED.values())
    for line in lines:
        if not line.rule or line.action not in ok | failed:
            continue
        old = found.get(line.rule, ChannelHealth(line.rule))
        if line.action in ok:
            found[line.rule] = ChannelHealth(line.rule, line.time)
        else:
            found[line.rule] = ChannelHealth(
                line.rule, old.last_sent, old.failures + 1, line.time, line.detail
            )
    return found


def notified_line(sent: Sent, locale: Locale) -> LogLine:
    """The Log line that records one sent message."""
    return LogLine(sent.time, sent.ref, NOTIFIED[locale], sent.channel, sent.event, routine=True)


def failed_line(time: str, channel: str, pending: int, reason: str, locale: Locale) -> LogLine:
    """The Log line that records a channel's failure in one pass."""
    head = say(locale, "outbox_not_sent", n=pending)
    return LogLine(time, "", FAILED[locale], channel, safe_text(head + reason, 500))


class Journal:
    """Sent pairs not yet known to be in the Log, one JSON line each, fsynced per send."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[Sent]:
        """Every entry (a torn last line from a crash is ignored)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        entries = []
        for raw in text.splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                data = json.loads(raw)
                entries.append(Sent(data["channel"], data["event"], data["ref"], data["time"]))
        return entries

    def add(self, sent: Sent) -> None:
        """Append one entry and make it durable before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(sent.__dict__, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(line)
            out.flush()
            os.fsync(out.fileno())

    def forget(self, recorded: Sequence[Sent]) -> None:
        """Drop entries now recorded in the Log (rewritten atomically)."""
        done = {(s.channel, s.event) for s in recorded}
        keep = [s for s in self.read() if (s.channel, s.event) not in done]
        if not keep:
            self.path.unlink(missing_ok=True)
            return
        temp = self.path.with_name(self.path.name + ".tmp")
        temp.write_text(
            "".join(json.dumps(s.__dict__, ensure_ascii=False) + "\n" for s in keep),
            encoding="utf-8",
        )
        os.replace(temp, self.path)


def journal_for(lock_path: Path) -> Journal:
    """The journal that belongs to a workbook: beside its pass lock."""
    return Journal(lock_path.with_name(lock_path.name + ".notified.jsonl"))
