"""The local workbook: a .xlsx file read and written with openpyxl, saved atomically."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends import Configured, Shared
from sync.backends.xlsx.cells import (
    last_row,
    mark_header,
    put,
    set_text_safe,
    sheet_grid,
    write_headers,
)
from sync.backends.xlsx.chart import place_chart
from sync.backends.xlsx.dress import dress, dressed_part, dressed_sheet, fit_rows
from sync.backends.xlsx.files import lock_error, not_a_workbook, refuse_other_names
from sync.backends.xlsx.init import initialise_workbook
from sync.backends.xlsx.patch import Unpatchable, last_row_in_part, patch_workbook, sheet_titles
from sync.backends.xlsx.read import chart_count, fast_read
from sync.errors import BackendError, StaleSnapshot, UnusableWorkbook
from sync.layout import build_snapshot
from sync.model import ApplyResult, CellValue, LogLine, Plan, Snapshot, WriteSet, moment_of
from sync.schema import Locale, Schema
from sync.writes import free_title, lay_out

APPEND_ATTEMPTS = 3


@dataclass
class _Token:
    """What a read leaves for the write: the file's bytes and digest, and openpyxl's workbook,
    loaded only when a write needs it (most passes write changed rows into the bytes)."""

    digest: str
    data: bytes  # the file as read, for writing back only what changed
    loaded: Workbook | None = None

    @property
    def workbook(self) -> Workbook:
        """openpyxl's workbook of the bytes as read (parsed on first use)."""
        if self.loaded is None:
            self.loaded = openpyxl.load_workbook(io.BytesIO(self.data))
        return self.loaded


def file_digest(path: Path) -> str:
    """A digest of the file's bytes: tells whether someone saved it since the read."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def office_lock(path: Path) -> Path | None:
    """The lock file an office suite keeps beside a workbook it has open, if any."""
    name = path.name
    candidates = [f".~lock.{name}#", f"~${name}"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")  # Excel drops two characters of long names
    for candidate in candidates:
        lock = path.with_name(candidate)
        if lock.exists():
            return lock
    return None


class XlsxBackend:
    """A local .xlsx workbook."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        """The file's path."""
        return str(self.path)

    def lock_path(self) -> Path:
        """A hidden lock file beside the workbook."""
        return self.path.with_name(f".{self.path.name}.aidsync-lock")

    def _load(self, data: bytes | None = None) -> tuple[Workbook, str, bytes]:
        data = self._bytes() if data is None else data
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data))
        except Exception as exc:  # zipfile.BadZipFile, OSError, ValueError, openpyxl's own
            raise not_a_workbook(self.path, data, str(exc) or type(exc).__name__) from exc
        return workbook, hashlib.sha256(data).hexdigest(), data

    def read(self, schema: Schema) -> Snapshot:
        """Read the file once and map every tab (python-calamine for the values when it gives
        what openpyxl would, see xlsx_read; openpyxl otherwise). The worker's times are kept as
        date-time cells; tabs without aidsync's dressing (a column with a style of its own,
        widths on the Summary: see xlsx_format) are named for the next write to dress."""
        data = self._bytes()
        fast = fast_read(data)
        token = _Token(hashlib.sha256(data).hexdigest(), data)
        if fast is None:
            workbook, digest, data = self._load(data)
            token = _Token(digest, data, workbook)
            grids = {ws.title: sheet_grid(ws) for ws in workbook.worksheets}
            snapshot = build_snapshot(str(self.path), grids, schema, token=token)
            bare = [
                k for k, t in snapshot.tables.items() if not dressed_sheet(workbook[t.title], k)
            ]
        else:
            grids, heads = fast
            snapshot = build_snapshot(str(self.path), grids, schema, token=token)
            bare = [
                k for k, t in snapshot.tables.items()
                if t.title in heads and not dressed_part(heads[t.title], k)
            ]  # fmt: skip
        return replace(snapshot, unformatted=frozenset(bare), moments=True)

    def _bytes(self) -> bytes:
        if not self.path.exists():
            raise UnusableWorkbook.worded("xlsx_missing", path=self.path)
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise UnusableWorkbook.worded("xlsx_unopenable", path=self.path, problem=exc) from exc

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Write the plan into the loaded workbook and replace the file atomically."""
        lock = office_lock(self.path)
        if lock is not None:
            raise lock_error(self.path, lock, snapshot.locale)
        self._remove_stale_temporaries()
        token = snapshot.token
        if not isinstance(token, _Token):
            raise BackendError("internal: this snapshot was not read from this workbook")
        layout = lay_out(plan, snapshot, schema)
        if not layout.tabs and not layout.headers and not layout.formats:
            try:
                return self._apply_changed_cells(snapshot, layout, token)
            except Unpatchable:
                pass  # something only openpyxl writes: save the whole workbook as below
        workbook, locale = token.workbook, snapshot.locale
        dressed: set[str] = set()  # tabs whose header row is written and marked
        for new in layout.tabs:
            ws = workbook.create_sheet(new.title)
            if new.header:
                write_headers(ws, schema.tab(new.key), locale)
                dressed.add(new.title)
        for cell in layout.headers:
            target = put(workbook[cell.title], cell.row, cell.col + 1, cell.value)
            mark_header(target, schema.tab(cell.tab).column(cell.column).owner, locale)
        for cell in layout.changes + layout.rows:
            put(workbook[cell.title], cell.row, cell.col + 1, cell.value)
        for block in layout.tab_headers:
            if block.title not in dressed:
                write_headers(workbook[block.title], schema.tab(block.tab), locale)
        if layout.log is not None:
            log_ws = workbook[layout.log.title]
            if layout.log.header and layout.log.title not in dressed:
                write_headers(log_ws, schema.tab("log"), locale)
            start = layout.log.row + (1 if layout.log.header else 0)
            header_rows = 1 if layout.log.header else 0
            for offset, values in enumerate(layout.log.rows()[header_rows:]):
                for col, value in enumerate(values, start=1):
                    put(log_ws, start + offset, col, value)
        assert layout.summary is not None
        summary_ws = workbook[layout.summary.title]
        _rewrite(summary_ws, layout.summary.rows)
        chart_missing = place_chart(summary_ws, layout.chart)
        for tab in layout.formats:
            dress(workbook[tab.title], tab)
        written: dict[str, set[int]] = {}
        for cell in chain(layout.changes, layout.rows):
            written.setdefault(cell.title, set()).add(cell.row)
        if layout.log is not None:
            written.setdefault(layout.log.title, set()).update(
                range(layout.log.row, layout.log.next_row)
            )
        for title, rows in written.items():
            fit_rows(workbook[title], sorted(rows))
        if layout.is_empty() and not chart_missing and not layout.formats:
            return ApplyResult.unsent(layout)
        self._save(workbook.save, token.digest)
        return ApplyResult.sent(layout)

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Append lines to the Log tab of the file as it is now (atomic save, re-read when
        someone saved meanwhile, nothing written while an office suite holds the file)."""
        if not lines:
            return
        for _attempt in range(APPEND_ATTEMPTS):
            lock = office_lock(self.path)
            if lock is not None:
                raise lock_error(self.path, lock, snapshot.locale, "file_locked_log")
            try:
                if self._append_rows(lines, schema):
                    return
            except StaleSnapshot:
                continue
            workbook, digest, _data = self._load()
            title = schema.find_tab(ws.title for ws in workbook.worksheets).get("log")
            if title is None:
                taken = [ws.title for ws in workbook.worksheets]
                title = free_title(taken, schema.tab("log").title(snapshot.locale))
                workbook.create_sheet(title)
            ws = workbook[title]
            if last_row(ws) == 0:
                write_headers(ws, schema.tab("log"), snapshot.locale)
            start = last_row(ws) + 1
            for offset, line in enumerate(lines):
                for col, value in enumerate(_log_cells(line), start=1):
                    put(ws, start + offset, col, value)
            fit_rows(ws, range(start, start + len(lines)))
            try:
                self._save(workbook.save, digest)
            except StaleSnapshot:
                continue
            return
        raise BackendError.worded("xlsx_kept_changing", path=self.path, n=len(lines))

    def _append_rows(self, lines: Sequence[LogLine], schema: Schema) -> bool:
        """Append Log lines by adding rows to the file's XML (see xlsx_patch), without loading
        the workbook: the usual case. False when the Log tab is missing or has no header yet,
        or when something needs openpyxl; StaleSnapshot when someone saved meanwhile."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return False  # the caller's load says what is wrong (missing, unreadable)
        try:
            title = schema.find_tab(sheet_titles(data)).get("log")
            last = last_row_in_part(data, title) if title is not None else 0
            if title is None or last == 0:
                return False
            cells = {
                (last + row, col): value
                for row, line in enumerate(lines, start=1)
                for col, value in enumerate(_log_cells(line))
            }
            digest = hashlib.sha256(data).hexdigest()
            self._save(lambda out: patch_workbook(data, out, {title: cells}), digest)
        except (Unpatchable, zipfile.BadZipFile):
            return False  # the caller loads the workbook and reports what is wrong with it
        return True

    def _apply_changed_cells(
        self, snapshot: Snapshot, layout: WriteSet, token: _Token
    ) -> ApplyResult:
        """Write by rewriting only the rows that change (see xlsx_patch); the usual case, where
        the write adds no tab or column. Raises Unpatchable to fall back to openpyxl."""
        summary = layout.summary
        assert summary is not None
        if layout.chart is not None and chart_count(token.data, summary.title) != 1:
            raise Unpatchable("the Summary's chart is drawn by openpyxl")
        if layout.is_empty():
            return ApplyResult.unsent(layout)
        if layout.tab_headers or (layout.log is not None and layout.log.header):
            raise Unpatchable("a header row is written and marked by openpyxl")
        cells: dict[str, dict[tuple[int, int], CellValue]] = {}
        blocks = [layout.log.block()] if layout.log is not None else []
        for cell in chain(layout.cells(), *(b.cells() for b in blocks)):
            cells.setdefault(cell.title, {})[(cell.row, cell.col)] = cell.value
        by_cell = cells.setdefault(summary.title, {})
        table = snapshot.table("summary")
        if table is not None:  # clear what the Summary held (the rest of its extent is blank)
            # the Summary has no header row of its own: its first line was read as one
            old: list[tuple[int, tuple[CellValue, ...]]] = [
                (table.header.header_row, table.header.headers)
            ]
            old += [(r.number, r.values) for r in table.rows]
            for number, values in old:
                for c, held in enumerate(values):
                    if held not in (None, ""):
                        by_cell[(number, c)] = None
        for r, new in enumerate(summary.rows, start=1):
            for c, shown in enumerate(new):
                by_cell[(r, c)] = shown
        self._save(lambda out: patch_workbook(token.data, out, cells), token.digest)
        return ApplyResult.sent(layout)

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of passes that were killed mid-save (the pass lock is held now)."""
        for leftover in self.path.parent.glob(f".{self.path.stem}.*.aidsync-tmp.xlsx"):
            leftover.unlink(missing_ok=True)

    def _save(self, write: Callable[[BinaryIO], None], digest: str | None) -> None:
        """Write a temporary file beside the workbook, then replace it, but only if the file
        still has the digest it had when read (None: only if it still does not exist)."""
        folder = self.path.parent
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.stem}.", suffix=".aidsync-tmp.xlsx", dir=folder
        )
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            mode = self.path.stat().st_mode & 0o7777 if digest else 0o644
            os.chmod(temp, mode)
            if digest is None and self.path.exists():
                raise StaleSnapshot(f"{self.path} appeared while it was being created")
            if digest is not None and file_digest(self.path) != digest:
                raise StaleSnapshot(f"{self.path} changed while the pass was planning")
            os.replace(temp, self.path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Create the workbook or add what it lacks; never touch existing data. Only a name
        ending in .xlsx: anything else would be an .xlsx file under a false name."""
        refuse_other_names(self.path, locale)
        if self.path.exists():
            workbook, digest, _data = self._load()
        else:
            workbook, digest = openpyxl.Workbook(), ""
            workbook.remove(workbook.active)
        done = initialise_workbook(workbook, schema, locale, sample)
        if done:
            lock = office_lock(self.path)
            if lock is not None:  # the office suite's next save would undo init, or init its edits
                raise lock_error(self.path, lock, locale)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._save(workbook.save, digest or None)
        return done


def _log_cells(line: LogLine) -> tuple[CellValue, ...]:
    """A Log line's cells, its time a date-time cell (as `LogBlock.rows` sends them)."""
    time, *rest = line.cells()
    return (moment_of(time) or time, *rest)


def _rewrite(ws: Worksheet, rows: tuple[tuple[CellValue, ...], ...]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.value = None
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            set_text_safe(ws.cell(row=r, column=c), value)


def open_backend(settings: Configured, shared: Shared | None = None) -> XlsxBackend:
    """The local workbook --workbook names (the registry's entry point)."""
    return XlsxBackend(Path(settings.option("workbook")))


__all__ = ["DataValidation", "XlsxBackend", "office_lock", "open_backend", "set_text_safe"]
