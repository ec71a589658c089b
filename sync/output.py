"""What the commands print: a pass's outcome, a dry run's cell changes, the summary (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from openpyxl.utils import get_column_letter

from sync.health import Health
from sync.messages import join, say
from sync.model import (
    ApplyResult,
    CellChange,
    CellValue,
    CellWrite,
    Plan,
    RowAnchor,
    Snapshot,
    WriteSet,
)
from sync.notify.notifier import NotifyReport
from sync.outcome import describe_stats
from sync.schema import Locale
from sync.values import display_width, safe_text


@dataclass(frozen=True)
class _RowChanges:
    tab: str
    anchor: RowAnchor
    changes: list[CellChange]


def _show(value: CellValue, locale: Locale) -> str:
    text = safe_text("" if value is None else str(value), 120).replace("\n", " ⏎ ")
    return say(locale, "out_value", text=text) if text else say(locale, "out_blank")


def _grouped(changes: Iterable[CellChange]) -> list[_RowChanges]:
    groups: dict[tuple[str, RowAnchor], _RowChanges] = {}
    for change in changes:
        key = (change.tab, change.anchor)
        if key not in groups:
            groups[key] = _RowChanges(change.tab, change.anchor, [])
        groups[key].changes.append(change)
    return list(groups.values())


def describe_changes(
    snapshot: Snapshot, plan: Plan, writes: WriteSet | None = None, locale: Locale | None = None
) -> list[str]:
    """Every cell a write would put down, by row, with the cell address and the note that says
    why: the WriteSet when given (what a write sends), else the plan as read; in the language
    given (the workbook's when none)."""
    lang: Locale = locale or snapshot.locale
    if writes is None:
        return _describe_plan(snapshot, plan, lang)
    lines = [say(lang, "out_add_column", tab=c.title, header=c.value) for c in writes.headers]
    lines += [say(lang, "out_add_tab", tab=tab.title) for tab in writes.tabs]
    by_id = {new.id: new for new in plan.new_rows}
    appended: dict[tuple[str, int], list[CellWrite]] = {}
    for cell in writes.rows:
        appended.setdefault((cell.tab, cell.row), []).append(cell)
    for (tab, _row), cells in appended.items():
        ref = next((str(c.value) for c in cells if c.column == "id"), "")
        new = by_id.get(ref)
        lines.append(_append_line(lang, cells[0].title, ref, new.reason if new else ""))
        lines += _new_row(snapshot, tab, [(c.column, c.value) for c in cells], lang)
    placed: dict[tuple[str, RowAnchor], list[tuple[CellChange, str]]] = {}
    for cell in writes.changes:
        if cell.change is not None:
            key = (cell.change.tab, cell.change.anchor)
            placed.setdefault(key, []).append((cell.change, _address(cell.col, cell.row)))
    for (tab, anchor), changes in placed.items():
        lines += _row_changes(snapshot, tab, anchor, changes, lang)
    for group in _grouped(writes.deferred):
        table = snapshot.tables[group.tab]
        ref = f" {group.anchor.id}" if group.anchor.id else ""
        if lang == "zh" and ref:
            ref = f"（{group.anchor.id}）"
        lines.append(say(lang, "out_row_waits", tab=table.title, row=group.anchor.row, ref=ref,
                         n=len(group.changes)))  # fmt: skip
    if writes.log_lines and writes.log is not None:
        first = writes.log.row + (1 if writes.log.header else 0)
        lines.append(say(lang, "out_log_from", tab=writes.log.title, n=len(writes.log_lines),
                         row=first))  # fmt: skip
    if writes.summary is not None and not writes.summary.unchanged:
        lines.append(say(lang, "out_summary_rewritten", tab=writes.summary.title,
                         n=len(writes.summary.rows)))  # fmt: skip
    return lines


def _append_line(locale: Locale, tab: str, ref: str, why: str) -> str:
    if why:
        return say(locale, "out_append_row_why", tab=tab, id=ref, why=why)
    return say(locale, "out_append_row", tab=tab, id=ref)


def _address(col: int, row: int) -> str:
    return f"{get_column_letter(col + 1)}{row}"


def _why_lines(note: str, locale: Locale) -> list[str]:
    return [f"  {say(locale, 'out_why', text=safe_text(why, 200))}" for why in note.split("\n")
            if why]  # fmt: skip


def _new_row(
    snapshot: Snapshot, tab: str, cells: Iterable[tuple[str, CellValue]], locale: Locale
) -> list[str]:
    table = snapshot.tables[tab]
    lines: list[str] = []
    note = ""
    mark = say(locale, "out_new_cell")
    for key, value in cells:
        if key == "sync_note":
            note = str(value or "")
        elif key and key != "id":
            label = table.tab.column(key).label(snapshot.locale)
            cell = say(locale, "out_cell", label=label, value=_show(value, locale))
            lines.append(f"  {_pad(mark, 6)} {cell}")
    return lines + _why_lines(note, locale)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _row_changes(
    snapshot: Snapshot,
    tab: str,
    anchor: RowAnchor,
    changes: list[tuple[CellChange, str]],
    locale: Locale,
) -> list[str]:
    table = snapshot.tables[tab]
    ids = [c.new for c, _ in changes if c.column == "id"]
    ref = anchor.id or (str(ids[0]) if ids else "")
    if ref:
        lines = [say(locale, "out_row_ref", tab=table.title, row=anchor.row, ref=ref)]
    else:
        lines = [say(locale, "out_row", tab=table.title, row=anchor.row)]
    for change, letter in changes:
        if change.column == "sync_note":
            continue
        label = table.tab.column(change.column).label(snapshot.locale)
        old, new = _show(change.old, locale), _show(change.new, locale)
        lines.append(
            f"  {_pad(letter, 6)} {say(locale, 'out_change', label=label, old=old, new=new)}"
        )
    for change, _ in changes:
        if change.column == "sync_note" and change.new:
            lines += _why_lines(str(change.new), locale)
    return lines


def _describe_plan(snapshot: Snapshot, plan: Plan, locale: Locale) -> list[str]:
    lines: list[str] = []
    for tab_key in sorted({c.tab for c in plan.new_columns}):
        table = snapshot.tables[tab_key]
        for column in plan.new_columns:
            if column.tab == tab_key:
                lines.append(say(locale, "out_add_column", tab=table.title, header=column.header))
    for key in plan.new_tabs:
        lines.append(say(locale, "out_add_tab", tab=key))
    for new in plan.new_rows:
        table = snapshot.tables[new.tab]
        lines.append(_append_line(locale, table.title, new.id, new.reason))
        lines += _new_row(snapshot, new.tab, new.cells, locale)
    for group in _grouped(plan.changes):
        table = snapshot.tables[group.tab]
        changes = []
        for change in group.changes:
            col = table.col(change.column)
            letter = say(locale, "out_new_cell") if col is None else _address(col, group.anchor.row)
            changes.append((change, letter))
        lines += _row_changes(snapshot, group.tab, group.anchor, changes, locale)
    return lines


def describe_pass(
    snapshot: Snapshot, plan: Plan, applied: ApplyResult | None, locale: Locale | None = None
) -> list[str]:
    """A few lines a coordinator understands: what was decided and what was written (in the
    language given, the workbook's when none)."""
    lang: Locale = locale or snapshot.locale
    lines = [say(lang, "out_pass", source=snapshot.source, time=plan.time)]
    lines.append("  " + describe_stats(plan.stats, lang))
    for log in plan.log:
        if log.routine:
            continue
        parts = [p for p in (log.ref, log.action, log.rule, log.detail) if p]
        lines.append("  · " + " · ".join(parts))
    if applied is None:
        return lines
    if applied.written or applied.log_lines:
        cells = say(lang, "out_cells", n=applied.written)
        logged = say(lang, "out_log_lines", n=applied.log_lines)
        lines.append("  " + say(lang, "out_wrote", cells=cells, lines=logged))
    else:
        lines.append("  " + say(lang, "out_nothing_written"))
    if applied.deferred:
        rows = len({(c.tab, c.anchor) for c in applied.deferred})
        lines.append("  " + say(lang, "out_deferred_rows", n=rows))
    return lines


def describe_notify(report: NotifyReport | None, locale: Locale) -> list[str]:
    """What the pass sent to group chats, or a dry run would send (no URL, no secret)."""
    if report is None:
        return []
    lines = [
        "  "
        + say(
            locale,
            "out_would_notify",
            channel=item.channel.name,
            id=item.event.id,
            subject=item.message.subject,
        )
        for item in report.pending
    ]
    if report.sent:
        counts: dict[str, int] = {}
        for sent in report.sent:
            counts[sent.channel] = counts.get(sent.channel, 0) + 1
        parts = join(locale, [say(locale, "out_notified_part", channel=name, n=n)
                              for name, n in counts.items()])  # fmt: skip
        lines.append("  " + say(locale, "out_notified", n=len(report.sent), parts=parts))
    for name, why in report.failed:
        lines.append("  " + say(locale, "out_notify_failed", channel=name, why=why))
    if report.left:
        lines.append("  " + say(locale, "out_notify_left", n=report.left))
    if report.record_error:
        lines.append("  " + say(locale, "out_notify_unrecorded", why=report.record_error))
    return lines


def summary_text(plan: Plan) -> list[str]:
    """The Summary tab as plain text lines."""
    out = []
    side = plan.chart.col if plan.chart else None  # the chart's table beside the Summary
    for row in plan.summary:
        cells = ["" if v is None else str(v) for v in row[:side]]
        while cells and not cells[-1]:
            cells.pop()
        out.append("  ".join(cells))
    while out and not out[-1]:
        out.pop()
    if side is not None:
        out.append("")
        for row in plan.summary:
            cells = ["" if v is None else str(v) for v in row[side:]]
            if any(cells):
                out.append("  ".join(cells))
    return out


def pass_record(snapshot: Snapshot, plan: Plan, applied: ApplyResult | None) -> dict[str, object]:
    """A pass as one JSON-ready record for log collectors: ids, actions, rules and counts only.

    Free text (notes, log details) is left out because it may name a resident or a volunteer.
    """
    decisions = [
        {"ref": line.ref, "action": line.action, "rule": line.rule}
        for line in plan.log
        if not line.routine
    ]
    record: dict[str, object] = {
        "level": "info",
        "event": "pass",
        "time": plan.time,
        "source": snapshot.source,
        "stats": dict(plan.stats),
        "problems": len(plan.problems),
        "decisions": decisions,
    }
    if applied is not None:
        record["written_cells"] = applied.written
        record["log_lines"] = applied.log_lines
        record["deferred_rows"] = len({(c.tab, c.anchor) for c in applied.deferred})
    else:
        record["dry_run"] = True
    return record


def describe_health(
    verdict: Health,
    source: str,
    limit: timedelta,
    locale: Locale,
    command: str = "aidsync",
    target: str = "",
) -> str:
    """What `aidsync status` says of the last successful pass."""
    if verdict.last_pass is None or verdict.age is None:
        return say(locale, "out_status_never", source=source, sync=f"{command} sync{target}")
    time = verdict.last_pass.strftime("%Y-%m-%d %H:%M")
    ago = _ago(verdict.age, locale)
    if verdict.ok:
        return say(locale, "out_status_ok", source=source, time=time, ago=ago)
    return say(locale, "out_status_stale", source=source, time=time, ago=ago,
               limit=_span(limit, locale))  # fmt: skip


def _ago(age: timedelta, locale: Locale) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return say(locale, "out_ago_now")
    if minutes < 120:
        return say(locale, "out_ago_minutes", n=minutes)
    hours = minutes // 60
    if hours < 48:
        return say(locale, "out_ago_hours", n=hours)
    return say(locale, "out_ago_days", n=hours // 24)


def _span(age: timedelta, locale: Locale) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 120:
        return say(locale, "out_minutes", n=minutes)
    return say(locale, "out_hours", n=minutes // 60)
