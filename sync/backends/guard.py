"""Catch a write that landed on a row someone moved in the last instant, and undo it (pure).

The Sheets API cannot make a write conditional on what a row holds. The pass checks every
row just before writing (``place_plan``), but a sort, an inserted or deleted row in the
moment between that check and the write can still slide another row under a write. So the
write itself carries a look at its rows: for each block of rows written, a range of nulls
(which writes nothing) asks ``includeValuesInResponse`` for the rows as they are right after
the write, in the same request. A row whose id or people's cells are not what the check saw
received cells meant for another row; its earlier values are known from the check (found by
its own id or people's cells), so a second request puts them back and the intended changes
wait for the next pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sync.model import CellChange, SheetRow, Snapshot, Table, is_blank, same_value
from sync.placement import Target

Grid = list[list[object]]


@dataclass(frozen=True)
class Watch:
    """A row the write changes, and what it must hold right after the write if it stayed put."""

    title: str
    row: int
    width: int
    expect: tuple[tuple[int, object], ...]  # (column, value) for the id and people's columns
    written: tuple[int, ...]  # columns this write sets in the row
    changes: tuple[CellChange, ...]
    id_col: int | None = None
    own_id: object = ""  # the id the row had when checked ("" when this write gives it one)


def watches(
    targets: Sequence[Target], current: Snapshot, cells: Mapping[tuple[str, int, int], object]
) -> list[Watch]:
    """The rows of existing records this write changes, in the working tabs."""
    by_row: dict[tuple[str, int], list[Target]] = {}
    for target in targets:
        by_row.setdefault((target.change.tab, target.row), []).append(target)
    found: list[Watch] = []
    numbered: dict[str, dict[int, SheetRow]] = {}  # tab → row number → row (one scan per tab)
    for (tab, number), placed in sorted(by_row.items()):
        table = current.table(tab)
        if table is None or table.tab.worker_tab:
            continue
        if tab not in numbered:
            numbered[tab] = {r.number: r for r in table.rows}
        row = numbered[tab].get(number)
        if row is None:
            continue
        keys = ("id", *table.tab.owned_by("human"))
        expect = []
        for key in keys:
            col = table.col(key)
            if col is None:
                continue
            written = cells.get((table.title, number, col), None)
            value = written if (table.title, number, col) in cells else row.cell(col)
            expect.append((col, value))
        found.append(
            Watch(
                table.title,
                number,
                max(table.width, *(t.col + 1 for t in placed)),
                tuple(expect),
                tuple(sorted({t.col for t in placed})),
                tuple(t.change for t in placed),
                table.col("id"),
                ""
                if (table.title, number, table.col("id")) in cells
                else row.cell(table.col("id")),
            )
        )
    return found


def probe_blocks(rows: Iterable[Watch]) -> list[tuple[str, int, int, int]]:
    """(title, first row, last row, width) of each run of consecutive watched rows."""
    blocks: list[tuple[str, int, int, int]] = []
    for watch in sorted(rows, key=lambda w: (w.title, w.row)):
        if blocks and blocks[-1][0] == watch.title and blocks[-1][2] == watch.row - 1:
            title, first, _last, width = blocks[-1]
            blocks[-1] = (title, first, watch.row, max(width, watch.width))
        else:
            blocks.append((watch.title, watch.row, watch.row, watch.width))
    return blocks


def rows_seen(
    blocks: Sequence[tuple[str, int, int, int]], answers: Sequence[Mapping[str, object]]
) -> dict[tuple[str, int], list[object]] | None:
    """The rows as the write's answer shows them; None when the answer does not include them."""
    seen: dict[tuple[str, int], list[object]] = {}
    for (title, first, last, _width), answer in zip(blocks, answers, strict=True):
        data = answer.get("updatedData")
        if not isinstance(data, Mapping):
            return None
        values = data.get("values") or []
        if not isinstance(values, list):
            return None
        for offset in range(last - first + 1):
            line = values[offset] if offset < len(values) else []
            seen[(title, first + offset)] = list(line) if isinstance(line, list) else []
    return seen


def _cell(line: Sequence[object], col: int) -> object:
    return line[col] if col < len(line) else ""


def _same(a: object, b: object) -> bool:
    if is_blank(a) and is_blank(b):
        return True
    return same_value(a, b) or str(a) == str(b)


def misplaced(rows: Sequence[Watch], seen: Mapping[tuple[str, int], list[object]]) -> list[Watch]:
    """Watched rows that, right after the write, are not the rows the check saw there.

    A row known by its id is the right one while that id is there (people may have edited
    it meanwhile); a row this write gives its first id is known by its people's cells.
    """
    found = []
    for w in rows:
        line = seen.get((w.title, w.row), [])
        if w.id_col is not None and not is_blank(w.own_id):
            if not _same(_cell(line, w.id_col), w.own_id):
                found.append(w)
        elif not all(_same(_cell(line, c), v) for c, v in w.expect):
            found.append(w)
    return found


def cell_key(value: object) -> tuple[str, str] | None:
    """A coarse form of a cell: two cells the guard takes for the same (_same) always have the
    same form, so rows can be looked up by it and then compared exactly. None for a type a
    Sheets read does not return (such rows are always compared)."""
    if value is None or value == "None" or (isinstance(value, str) and not value.strip()):
        return ("", "")  # blank; str(None) == "None", so _same(None, "None") holds
    if isinstance(value, bool):
        return ("s", str(value))
    if isinstance(value, str | int | float):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return ("s", value) if isinstance(value, str) else None
        return ("n", repr(number + 0.0))  # + 0.0: -0.0 and 0.0 compare equal
    return None


class Checked:
    """The check's read of one tab, indexed on demand to find where a moved row came from
    without comparing it with every row (a sort in that instant moves them all)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._by_id: dict[tuple[str, str], list[SheetRow]] | None = None  # None: not built
        self._ids_odd = False  # an id cell of a type a read does not return: compare all rows
        self._by_cells: dict[tuple[int, ...], dict[tuple[object, ...], list[SheetRow]]] = {}
        self._odd: dict[tuple[int, ...], list[SheetRow]] = {}

    def with_id(self, col: int, value: object) -> Sequence[SheetRow]:
        """Rows that may hold this id (a superset; compare exactly)."""
        if self._by_id is None:
            self._by_id = {}
            for row in self.table.rows:
                key = cell_key(row.cell(col))
                if key is None:
                    self._ids_odd = True
                else:
                    self._by_id.setdefault(key, []).append(row)
        key = cell_key(value)
        return self.table.rows if key is None or self._ids_odd else self._by_id.get(key, [])

    def with_cells(self, cols: tuple[int, ...], line: Sequence[object]) -> Sequence[SheetRow]:
        """Rows that may hold these cells of line in these columns (a superset)."""
        if cols not in self._by_cells:
            index: dict[tuple[object, ...], list[SheetRow]] = {}
            odd: list[SheetRow] = []
            for row in self.table.rows:
                keys = tuple(cell_key(row.cell(c)) for c in cols)
                if None in keys:
                    odd.append(row)
                else:
                    index.setdefault(keys, []).append(row)
            self._by_cells[cols], self._odd[cols] = index, odd
        keys = tuple(cell_key(_cell(line, c)) for c in cols)
        if None in keys:
            return self.table.rows
        return [*self._by_cells[cols].get(keys, []), *self._odd[cols]]


def restore(
    watch: Watch, line: Sequence[object], checked: Table | Checked | None
) -> tuple[dict[int, object], bool]:
    """What the written cells held before, for the row that slid under them, and whether that
    is known: the row is found in the check's read by its id, else by its people's cells. A row
    the check did not see (inserted or typed in that moment) held nothing of the worker's, so
    its cells go back to empty; so do a row's that cannot be told apart (reported as unsure)."""
    empty: dict[int, object] = dict.fromkeys(watch.written, "")
    if checked is None:
        return empty, False
    if isinstance(checked, Table):
        checked = Checked(checked)
    table = checked.table
    id_col = table.col("id")
    untouched = tuple(c for c, _v in watch.expect if c not in watch.written and c != id_col)
    own_id = _cell(line, id_col) if id_col is not None and id_col not in watch.written else ""
    if id_col is not None and not is_blank(own_id):
        candidates = [r for r in checked.with_id(id_col, own_id) if _same(r.cell(id_col), own_id)]
    else:
        candidates = list(checked.with_cells(untouched, line))
    matches = [
        r
        for r in candidates
        if not table.is_blank_row(r) and all(_same(r.cell(c), _cell(line, c)) for c in untouched)
    ]
    if len(matches) == 1:
        before = matches[0]
        return {c: ("" if before.cell(c) is None else before.cell(c)) for c in watch.written}, True
    if matches:
        return empty, False  # several rows fit: which one slid in cannot be told
    # No row of the check fits: an empty row, or one inserted or typed in that moment (sure
    # when it has no id of its own); else a row edited and moved at once (unsure).
    new = all(is_blank(_cell(line, c)) for c in untouched) or is_blank(own_id)
    return empty, new


@dataclass(frozen=True)
class Append:
    """Rows this write adds below a people's tab: a row inserted above them in that instant
    pushes the last row down onto the first of them, so the row above is watched too."""

    title: str
    first: int
    count: int
    width: int
    id_col: int | None
    above: object  # the id of the row just above, as checked ("" when none)
    cells: Mapping[int, Mapping[int, object]]  # row → column → value written
    people: tuple[int, ...] = ()  # the people's columns, which tell rows apart without ids


def appends(
    new_cells: Sequence[tuple[str, int, int, object]],
    current: Snapshot,
    cells: Mapping[tuple[str, int, int], object],
) -> list[Append]:
    """The blocks of rows appended to working (people's) tabs."""
    rows: dict[str, dict[int, dict[int, object]]] = {}
    for tab, row, col, _value in new_cells:
        table = current.table(tab)
        if table is None or table.tab.worker_tab:
            continue
        rows.setdefault(tab, {}).setdefault(row, {})[col] = cells[(table.title, row, col)]
    found = []
    for tab, by_row in rows.items():
        table = current.table(tab)
        assert table is not None
        first = min(by_row)
        above = next((r for r in table.rows if r.number == first - 1), None)
        id_col = table.col("id")
        found.append(
            Append(
                table.title,
                first,
                max(by_row) - first + 1,
                max(table.width, *(c + 1 for cols in by_row.values() for c in cols)),
                id_col,
                "" if above is None or id_col is None else (above.cell(id_col) or ""),
                by_row,
                tuple(c for k in table.tab.owned_by("human") if (c := table.col(k)) is not None),
            )
        )
    return found


ABOVE = 3  # rows above the appended ones that are looked at to tell a push-down from a sort


def append_block(append: Append) -> tuple[str, int, int, int]:
    """The probe of an append: a few rows above and the appended rows."""
    first = max(2, append.first - ABOVE)
    return (append.title, first, append.first + append.count - 1, append.width)


def mend_append(
    append: Append, seen: Mapping[tuple[str, int], list[object]], table: Table | None
) -> tuple[dict[tuple[str, int, int], object], bool]:
    """Cells that undo an append which landed on rows pushed down in that instant, and write
    the appended rows again below them; (cells, known). No cells when nothing slid."""
    if table is None or append.first <= table.header.header_row + 1:
        return {}, True  # nothing above the appended rows but the header
    line = seen.get((append.title, append.first - 1), [])
    by_number = {r.number: r for r in table.rows}
    checked = by_number.get(append.first - 1)

    def same_row(row: SheetRow) -> bool:  # by people's cells: ids may be this write's own
        return any(not is_blank(_cell(line, c)) for c in append.people) and all(
            _same(row.cell(c), _cell(line, c)) for c in append.people
        )

    if checked is not None and same_row(checked):
        return {}, True  # the row above stayed: the appended rows landed where planned
    was_at = [r.number for r in table.rows if not table.is_blank_row(r) and same_row(r)]
    if len(was_at) != 1:
        return {}, False  # the row above is new, blank or not unique: cannot be told
    shift = (append.first - 1) - was_at[0]
    if shift <= 0:
        return {}, True  # rows moved up (a delete): the appended rows landed on empty rows
    rows = sorted(append.cells)
    # A sort changes the row above too: a push-down moves the rows above it all by the same
    # amount, so the rows looked at above must each be the one checked `shift` rows higher.
    for row in range(max(2, append.first - ABOVE), append.first):
        was = by_number.get(row - shift)
        above = seen.get((append.title, row), [])
        if was is None or not all(_same(was.cell(c), _cell(above, c)) for c in append.people):
            return {}, False
    fixes: dict[tuple[str, int, int], object] = {}
    for i, row in enumerate(rows[:shift]):  # these rows now hold rows pushed down: put back
        was = by_number.get(row - shift)
        for col in append.cells[row]:
            value = was.cell(col) if was is not None else None
            fixes[(append.title, row, col)] = "" if value is None else value
        again = append.first + max(append.count, shift) + i  # and write ours below them
        for col, wrote in append.cells[row].items():
            fixes[(append.title, again, col)] = wrote
    return fixes, True
