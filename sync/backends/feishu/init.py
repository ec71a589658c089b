"""`aidsync init --feishu`: tabs, headers, dropdowns, protected worker columns, frozen header.

What init adds is laid out once for every backend (``sync.writes.lay_out_init``: missing tabs
with their header rows, missing headers after a tab's last, sample rows only into empty tabs;
existing cells are never written). Here it is sent, and dressed: dropdowns and protections go
only on tabs and columns init adds; widths and shading (sync/backends/feishu/dress.py) on tabs
it adds and tabs whose header is not frozen yet, and a header row is frozen only when none is,
so a second run changes nothing. Feishu protects whole columns (protected_dimension) for
everyone but the app and the users it names: it has no warning-only protection, so the note on
each says what the column is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from sync.backends.feishu.dress import dress_tabs, undressed
from sync.backends.feishu.sheets import SheetInfo, Sheets
from sync.backends.feishu.write import Write, translate
from sync.layout import build_snapshot
from sync.messages import join, say
from sync.schema import Locale, Schema, Tab
from sync.writes import lay_out_init


class Spreadsheet(Protocol):
    """What init needs of the backend (FeishuBackend): its API, its name, its tabs' growth."""

    sheets: Sheets

    def describe(self) -> str:
        """The spreadsheet, for messages."""
        ...

    def known_titles(self, sheets: Mapping[str, SheetInfo], schema: Schema) -> list[str]:
        """Titles of the tabs the schema knows."""
        ...

    def _structure(self, write: Write, sheets: dict[str, SheetInfo]) -> int: ...


_MULTI_TYPES = {"communities", "categories"}  # several choices in one cell: no dropdown


def initialise_spreadsheet(
    backend: Spreadsheet,
    schema: Schema,
    locale: Locale,
    sample: Mapping[str, list[dict[str, object]]] | None,
) -> list[str]:
    """Add what the spreadsheet lacks; return what was done (empty: nothing changed)."""
    api = backend.sheets
    sheets = api.list_sheets()
    known = [sheets[t] for t in backend.known_titles(sheets, schema)]
    grids = api.read_tabs(known)
    every = {title: grids.get(title, []) for title in sheets}
    snapshot = build_snapshot(backend.describe(), every, schema)
    if not snapshot.tables:  # no tab of ours yet: the language asked for
        snapshot = build_snapshot(backend.describe(), every, schema, locale=locale)
    locale = snapshot.locale
    layout, said = lay_out_init(snapshot, schema, locale, sample)
    done = list(said)
    write = translate(layout)
    backend._structure(write, sheets)  # new tabs, and grid room for headers and sample rows
    ranges = write.ranges()
    if ranges:
        api.write([(sheets[t], r, c, rows) for t, r, c, rows in ranges], "writing headers")
    freeze: list[str] = []
    marks: list[tuple[Tab, str, dict[str, int], set[str]]] = []
    for new in layout.tabs:
        tab = schema.tab(new.key)
        if tab.columns:
            freeze.append(sheets[new.title].sheet_id)
        columns = {c.key: i for i, c in enumerate(tab.columns)}
        marks.append((tab, new.title, columns, set(columns)))
    added: dict[str, set[str]] = {}
    for cell in layout.headers:
        added.setdefault(cell.tab, set()).add(cell.column)
    for key, table in snapshot.tables.items():
        info = sheets[table.title]
        if table.tab.columns and info.frozen_rows == 0 and table.header.header_row == 1:
            freeze.append(info.sheet_id)
            done.append(say(locale, "init_froze", tab=table.title))
        if key in added:
            columns = dict(table.header.columns)
            columns.update({c.column: c.col for c in layout.headers if c.tab == key})
            marks.append((table.tab, table.title, columns, added[key]))
    added_tabs = {t.title for t in layout.tabs}
    bare = undressed(snapshot, sheets)
    formats = [f for f in layout.formats if f.title in added_tabs or f.key in bare]
    dress_tabs(api, formats, sheets, freeze=False)  # before the freeze that marks them dressed
    if formats:
        done.append(say(locale, "init_dressed", tabs=join(locale, [f.title for f in formats])))
    api.freeze_header(freeze)
    for tab, title, columns, only in marks:
        done.extend(_dress(backend, schema, locale, tab, sheets[title], columns, only))
    return done


def _dress(
    backend: Spreadsheet,
    schema: Schema,
    locale: Locale,
    tab: Tab,
    info: SheetInfo,
    columns: Mapping[str, int],
    only: set[str],
) -> list[str]:
    """Dropdowns and protection for the columns init adds; what was done."""
    api = backend.sheets
    protect: list[int] = []
    dropdowns = 0
    for column in tab.columns:
        if column.key not in only or column.key not in columns:
            continue
        col = columns[column.key]
        if column.choices and column.type not in _MULTI_TYPES:
            labels = [o.label(locale) for o in schema.choice_list(column.choices).options]
            api.dropdown(info, col, 2, max(info.rows, 2), labels)
            dropdowns += 1
        if column.owner == "worker" or tab.worker_tab:
            protect.append(col)
    runs: list[tuple[str, int, int, str]] = []
    for col in sorted(protect):
        if runs and runs[-1][2] == col - 1:
            runs[-1] = (info.sheet_id, runs[-1][1], col, say(locale, "feishu_protected_note"))
        else:
            runs.append((info.sheet_id, col, col, say(locale, "feishu_protected_note")))
    if runs:
        api.protect_columns(runs)
    done = []
    if dropdowns:
        done.append(say(locale, "init_dropdowns", tab=info.title, n=dropdowns))
    if protect:
        done.append(say(locale, "init_protected_columns", tab=info.title, n=len(protect)))
    return done
