"""Lines other steps own at the top and bottom of a request's note: where a request from a
message came from (sync.intake) and the recurring series it belongs to (sync.recurring)."""

from __future__ import annotations

from collections.abc import Mapping

from sync.intake.note import origin_block
from sync.model import Table
from sync.planner.state import PassState
from sync.recurring import merge_series_note
from sync.values import text_of


def keep_origins(state: PassState, table: Table) -> None:
    """A request made from an Inbox message keeps the lines its note started with (which
    row it came from, what to check), whatever the pass writes below them."""
    out = state.out
    for row in table.rows:
        block = origin_block(text_of(table.get(row, "sync_note")))
        if not block:
            continue
        planned = text_of(out.planned(table, row, "sync_note"))
        lines = planned.split("\n") if planned else []
        if lines[: len(block)] != block:
            rest = [x for x in lines if x not in block]
            out.set(table, row, "sync_note", "\n".join([*block, *rest]), "")


def note_series(state: PassState, table: Table, series_notes: Mapping[int, str]) -> None:
    """Each recurring request's series line in its note (see sync.recurring)."""
    out = state.out
    for row in table.rows:
        line = series_notes.get(row.number, "")
        note = text_of(out.planned(table, row, "sync_note"))
        if line or note:
            out.set(table, row, "sync_note", merge_series_note(note, line), "")
