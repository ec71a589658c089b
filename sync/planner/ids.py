"""Row ids: every non-blank row of a working tab gets one, and a copied row a fresh one."""

from __future__ import annotations

import re

from sync.model import SheetRow, Table
from sync.planner.state import PassState
from sync.values import safe_text, text_of

_ID_NUMBER = re.compile(r"^(?P<prefix>[A-Za-z]+-?)(?P<n>\d+)$")
_PLAIN_PREFIX = re.compile(r"[A-Za-z]*-?")
# a number below this has six digits at most: too short for safe_text to take it for a phone
_SHORT = 1_000_000

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


def plain_ids(prefix: str, highest: int) -> bool:
    """Whether every new id up to this number (the tab's prefix and at most six digits) is a
    text safe_text leaves as it is: no phone-like run, no control character."""
    return highest < _SHORT and _PLAIN_PREFIX.fullmatch(prefix) is not None


def plain_rows(where: str, highest: int) -> bool:
    """Whether each row number up to `highest` put at this text's one \x00 leaves it a text
    safe_text (at a Log detail's length) leaves as it is."""
    if highest >= _SHORT or where.count("\x00") != 1 or len(where) + 6 > 2000:
        return False
    before, _, after = where.partition("\x00")
    if safe_text(before + "0" + after, 2000) != before + "0" + after:
        return False
    # the number's digits, with the spaces and hyphens beside them, must not touch another
    # digit: a phone-like run inside the number alone would need seven digits
    left, right = before.rstrip(" -")[-1:], after.lstrip(" -")[:1]
    return not (left.isdigit() or right.isdigit())


def give_ids(state: PassState, table: Table, numbered: Numbering | None = None) -> None:
    """Ids for rows that have none, and fresh ids for copies of another row's id."""
    ids, fresh = numbered or number_rows(table)
    for number, ref in ids.items():
        state.ids[(table.tab.key, number)] = ref
    if not fresh:
        return
    action = state.say("log_id")
    out = state.out
    # "需求登记第 {row} 行" said once, the row's number put in per row (13,000 rows a first pass);
    # ids and these details are made safe once for all when they are safe as they are
    where = state.say("row_at", tab=table.title, row="\x00")
    prefix = table.tab.id_prefix
    plain = plain_ids(prefix, int(fresh[-1][1][len(prefix) :]))  # the last new id is the highest
    plain_where = plain and plain_rows(where, max(row.number for row, *_ in fresh))
    for row, new, text, first in fresh:
        if plain:
            out.set_as_is(table, row, "id", new, action)
        else:
            out.set(table, row, "id", new, action)
        if text:
            detail = state.say("duplicate_id", value=text, other=first, new=new)
            state.problem(table.title, row.number, detail)
            out.log(new, action, "", detail)
        elif plain_where:
            out.log_as_is(new, action, where.replace("\x00", str(row.number)), True)
        else:
            out.log(new, action, "", where.replace("\x00", str(row.number)), True)
    state.count("ids", len(fresh))
