"""Row ids: every non-blank row of a working tab gets one, and a copied row a fresh one."""

from __future__ import annotations

import re

from sync.model import SheetRow, Table
from sync.planner.state import PassState
from sync.values import text_of

_ID_NUMBER = re.compile(r"^(?P<prefix>[A-Za-z]+-?)(?P<n>\d+)$")

# row number → id, and the rows that get a new one: (row, new id, old id, first row holding it)
Numbering = tuple[dict[int, str], list[tuple[SheetRow, str, str, int]]]


def number_rows(table: Table) -> Numbering:
    """Every non-blank row's id after the pass (row number → id), and the rows that get a new
    one: (row, new id, the id it had when it copied another row's, that row's number)."""
    prefix = table.tab.id_prefix
    highest = 0
    texts = {row.number: text_of(table.get(row, "id")) for row in table.rows}
    for text in texts.values():
        match = _ID_NUMBER.match(text)
        if match and match["prefix"].upper() == prefix.upper():
            highest = max(highest, int(match["n"]))
    ids: dict[int, str] = {}
    fresh: list[tuple[SheetRow, str, str, int]] = []
    first_row: dict[str, int] = {}
    for row in table.data_rows:
        text = texts[row.number]
        ref = text.casefold()
        if text and ref not in first_row:
            first_row[ref] = row.number
            ids[row.number] = text
            continue
        highest += 1
        new = f"{prefix}{highest:04d}"
        ids[row.number] = new
        fresh.append((row, new, text, first_row.get(ref, 0)))
    return ids, fresh


def give_ids(state: PassState, table: Table, numbered: Numbering | None = None) -> None:
    """Ids for rows that have none, and fresh ids for copies of another row's id."""
    ids, fresh = numbered or number_rows(table)
    for number, ref in ids.items():
        state.ids[(table.tab.key, number)] = ref
    action = state.say("log_id")
    out = state.out
    # "需求登记第 {row} 行" said once, the row's number put in per row (13,000 rows a first pass)
    where = state.say("row_at", tab=table.title, row="\x00")
    for row, new, text, first in fresh:
        out.set(table, row, "id", new, action)
        if text:
            detail = state.say("duplicate_id", value=text, other=first, new=new)
            state.problem(table.title, row.number, detail)
            out.log(new, action, "", detail)
        else:
            out.log(new, action, "", where.replace("\x00", str(row.number)), True)
        state.count("ids")
