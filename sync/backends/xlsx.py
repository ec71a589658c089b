"""The local workbook: a .xlsx file read and written with openpyxl, saved atomically."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sync.backends.base import place_plan, surviving_log
from sync.backends.xlsx_chart import place_chart
from sync.backends.xlsx_patch import Unpatchable, last_filled_row, patch_workbook, sheet_titles
from sync.errors import BackendError, StaleSnapshot, WorkbookBusy
from sync.layout import build_snapshot
from sync.model import ApplyResult, CellValue, LogLine, Plan, Snapshot
from sync.schema import Locale, Schema, Tab

APPEND_ATTEMPTS = 3
WORKER_FILL = PatternFill("solid", fgColor="E8EEF7")
HEADER_FONT = Font(bold=True)
_WORKER_NOTE = {
    "zh": "此列由 aidsync 自动填写，请勿手动修改。",
    "en": "aidsync fills in this column; please leave it alone.",
}
_SHARED_NOTE = {
    "zh": "此列可以手动填写；留空时由 aidsync 填写。",
    "en": "People may fill this column; aidsync fills it only when blank.",
}


@dataclass(frozen=True)
class _Token:
    workbook: Workbook
    digest: str
    data: bytes  # the file as read, for writing back only what changed


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


def set_text_safe(cell: Any, value: CellValue) -> None:
    """Write a value so that text stays text: '=…' never becomes a formula."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _grid(ws: Worksheet) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = []
    for raw in ws.iter_rows(values_only=True):
        rows.append(list(raw))
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    for row in rows:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
    return rows


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

    def _load(self) -> tuple[Workbook, str, bytes]:
        if not self.path.exists():
            raise BackendError(
                f"{self.path}: no such workbook; create one with"
                f"  aidsync init --workbook {self.path}"
            )
        try:
            data = self.path.read_bytes()
            workbook = openpyxl.load_workbook(io.BytesIO(data))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"{self.path}: cannot open as an .xlsx workbook ({exc})") from exc
        except Exception as exc:  # zipfile.BadZipFile and openpyxl's own errors
            raise BackendError(f"{self.path}: not a readable .xlsx workbook ({exc})") from exc
        return workbook, hashlib.sha256(data).hexdigest(), data

    def read(self, schema: Schema) -> Snapshot:
        """Load the file once and map every tab."""
        workbook, digest, data = self._load()
        grids = {ws.title: _grid(ws) for ws in workbook.worksheets}
        return build_snapshot(str(self.path), grids, schema, token=_Token(workbook, digest, data))

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Write the plan into the loaded workbook and replace the file atomically."""
        lock = office_lock(self.path)
        if lock is not None:
            raise WorkbookBusy(
                f"{self.path} is open in an office suite ({lock.name} is beside it); nothing was "
                "written, because its next save would overwrite aidsync's changes. Close the file "
                "and the next pass will catch up."
            )
        self._remove_stale_temporaries()
        token = snapshot.token
        if not isinstance(token, _Token):
            raise BackendError("internal: this snapshot was not read from this workbook")
        if not plan.new_columns and not plan.new_tabs:
            try:
                return self._apply_changed_cells(snapshot, plan, token)
            except Unpatchable:
                pass  # something only openpyxl writes: save the whole workbook as below
        workbook = token.workbook
        added = self._add_columns(workbook, snapshot, plan, schema)
        targets, deferred, new_cells, skipped = place_plan(plan, snapshot, added)
        for target in targets:
            ws = workbook[snapshot.tables[target.change.tab].title]
            set_text_safe(ws.cell(row=target.row, column=target.col + 1), target.change.new)
        for tab, row, col, value in new_cells:
            set_text_safe(workbook[snapshot.tables[tab].title].cell(row=row, column=col + 1), value)
        log = surviving_log(plan, deferred, plan.time, snapshot.locale, skipped)
        self._ensure_tabs(workbook, snapshot, plan, schema)
        log_ws = self._tab(workbook, snapshot, schema, "log")
        if log and _last_row(log_ws) == 0:  # an empty Log tab someone made: give it headers
            _write_headers(log_ws, schema.tab("log"), snapshot.locale)
        start = _last_row(log_ws) + 1
        for offset, line in enumerate(log):
            for col, value in enumerate(line.cells(), start=1):
                set_text_safe(log_ws.cell(row=start + offset, column=col), value)
        summary_ws = self._tab(workbook, snapshot, schema, "summary")
        _rewrite(summary_ws, plan.summary)
        chart_missing = place_chart(summary_ws, plan.chart)
        if (
            not targets
            and not new_cells
            and not chart_missing
            and not log
            and not added
            and not plan.new_tabs
            and _same_summary(snapshot, plan)
        ):
            return ApplyResult(written=0, deferred=tuple(deferred), log_lines=0)
        self._save(workbook.save, token.digest)
        return ApplyResult(
            written=len(targets) + len(new_cells), deferred=tuple(deferred), log_lines=len(log)
        )

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Append lines to the Log tab of the file as it is now (atomic save, re-read when
        someone saved meanwhile, nothing written while an office suite holds the file)."""
        if not lines:
            return
        for _attempt in range(APPEND_ATTEMPTS):
            lock = office_lock(self.path)
            if lock is not None:
                raise WorkbookBusy(
                    f"{self.path} is open in an office suite ({lock.name} is beside it); the "
                    "Log lines were not written"
                )
            try:
                if self._append_rows(lines, schema):
                    return
            except StaleSnapshot:
                continue
            workbook, digest, _data = self._load()
            title = schema.find_tab(ws.title for ws in workbook.worksheets).get("log")
            if title is None:
                title = _free_title(workbook, schema.tab("log").title(snapshot.locale))
                workbook.create_sheet(title)
            ws = workbook[title]
            if _last_row(ws) == 0:
                _write_headers(ws, schema.tab("log"), snapshot.locale)
            start = _last_row(ws) + 1
            for offset, line in enumerate(lines):
                for col, value in enumerate(line.cells(), start=1):
                    set_text_safe(ws.cell(row=start + offset, column=col), value)
            try:
                self._save(workbook.save, digest)
            except StaleSnapshot:
                continue
            return
        raise BackendError(
            f"{self.path} kept changing while aidsync tried to add {len(lines)} Log line(s)"
        )

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
            last = last_filled_row(data, title) if title is not None else 0
            if title is None or last == 0:
                return False
            cells = {
                (last + row, col): value
                for row, line in enumerate(lines, start=1)
                for col, value in enumerate(line.cells())
            }
            digest = hashlib.sha256(data).hexdigest()
            self._save(lambda out: patch_workbook(data, out, {title: cells}), digest)
        except (Unpatchable, zipfile.BadZipFile):
            return False  # the caller loads the workbook and reports what is wrong with it
        return True

    def _apply_changed_cells(self, snapshot: Snapshot, plan: Plan, token: _Token) -> ApplyResult:
        """Write the plan by rewriting only the rows it changes (see xlsx_patch); the usual case,
        where the plan adds no tab or column. Raises Unpatchable to fall back to openpyxl."""
        log_table, summary_table = snapshot.table("log"), snapshot.table("summary")
        if log_table is None or summary_table is None or not log_table.header.headers:
            raise Unpatchable("the Log tab needs its header row first")
        summary_ws = token.workbook[summary_table.title]
        if plan.chart is not None and len(summary_ws._charts) != 1:
            raise Unpatchable("the Summary's chart is drawn by openpyxl")
        targets, deferred, new_cells, skipped = place_plan(plan, snapshot, {})
        cells: dict[str, dict[tuple[int, int], CellValue]] = {}
        for target in targets:
            title = snapshot.tables[target.change.tab].title
            cells.setdefault(title, {})[(target.row, target.col)] = target.change.new
        for tab, row, col, value in new_cells:
            cells.setdefault(snapshot.tables[tab].title, {})[(row, col)] = value
        log = surviving_log(plan, deferred, plan.time, snapshot.locale, skipped)
        last = max([log_table.header.header_row, *(r.number for r in log_table.rows)])
        for offset, line in enumerate(log, start=last + 1):
            for col, value in enumerate(line.cells()):
                cells.setdefault(log_table.title, {})[(offset, col)] = value
        if not targets and not new_cells and not log and _same_summary(snapshot, plan):
            return ApplyResult(written=0, deferred=tuple(deferred), log_lines=0)
        # the Summary has no header row of its own: its first line was read as one
        header = summary_table.header
        old: list[tuple[int, tuple[CellValue, ...]]] = [(header.header_row, header.headers)]
        old += [(r.number, r.values) for r in summary_table.rows]
        summary = cells.setdefault(summary_table.title, {})
        for number, values in old:
            for c, held in enumerate(values):
                if held not in (None, ""):
                    summary[(number, c)] = None
        for r, new in enumerate(plan.summary, start=1):
            for c, shown in enumerate(new):
                summary[(r, c)] = shown
        self._save(lambda out: patch_workbook(token.data, out, cells), token.digest)
        return ApplyResult(
            written=len(targets) + len(new_cells), deferred=tuple(deferred), log_lines=len(log)
        )

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of passes that were killed mid-save (the pass lock is held now)."""
        for leftover in self.path.parent.glob(f".{self.path.stem}.*.aidsync-tmp.xlsx"):
            leftover.unlink(missing_ok=True)

    def _tab(self, workbook: Workbook, snapshot: Snapshot, schema: Schema, key: str) -> Worksheet:
        table = snapshot.table(key)
        title = table.title if table else schema.tab(key).title(snapshot.locale)
        return workbook[title]

    def _ensure_tabs(
        self, workbook: Workbook, snapshot: Snapshot, plan: Plan, schema: Schema
    ) -> None:
        for key in plan.new_tabs:
            tab = schema.tab(key)
            ws = workbook.create_sheet(_free_title(workbook, tab.title(snapshot.locale)))
            _write_headers(ws, tab, snapshot.locale)

    def _add_columns(
        self, workbook: Workbook, snapshot: Snapshot, plan: Plan, schema: Schema
    ) -> dict[tuple[str, str], int]:
        added: dict[tuple[str, str], int] = {}
        next_col: dict[str, int] = {}
        for column in plan.new_columns:
            table = snapshot.tables[column.tab]
            ws = workbook[table.title]
            col = next_col.get(column.tab, table.width)
            next_col[column.tab] = col + 1
            cell = ws.cell(row=table.header.header_row, column=col + 1)
            set_text_safe(cell, column.header)
            _mark(cell, table.tab.column(column.key).owner, snapshot.locale)
            added[(column.tab, column.key)] = col
        return added

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
        """Create the workbook or add what it lacks; never touch existing data."""
        from sync.backends.xlsx_init import initialise_workbook

        if self.path.exists():
            workbook, digest, _data = self._load()
        else:
            workbook, digest = openpyxl.Workbook(), ""
            workbook.remove(workbook.active)
        done = initialise_workbook(workbook, schema, locale, sample)
        if done:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._save(workbook.save, digest or None)
        return done


def _last_row(ws: Worksheet) -> int:
    for row in range(ws.max_row, 0, -1):
        if any(cell.value not in (None, "") for cell in ws[row]):
            return row
    return 0


def _trimmed(rows: list[tuple[CellValue, ...]]) -> list[tuple[CellValue, ...]]:
    result: list[tuple[CellValue, ...]] = []
    for row in rows:
        cells: list[CellValue] = ["" if v is None else v for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        result.append(tuple(cells))
    while result and not result[-1]:
        result.pop()
    return result


def _same_summary(snapshot: Snapshot, plan: Plan) -> bool:
    """Whether the Summary tab already shows exactly what the plan would write."""
    table = snapshot.table("summary")
    if table is None:
        return False
    # the Summary has no header row of its own: its first line was read as one
    current = [tuple(table.header.headers), *(tuple(r.values) for r in table.rows)]
    return _trimmed(current) == _trimmed(list(plan.summary))


def _rewrite(ws: Worksheet, rows: tuple[tuple[CellValue, ...], ...]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.value = None
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            set_text_safe(ws.cell(row=r, column=c), value)


def _free_title(workbook: Workbook, title: str) -> str:
    taken = {ws.title for ws in workbook.worksheets}
    candidate, n = title, 2
    while candidate in taken:
        candidate, n = f"{title} {n}", n + 1
    return candidate


def _mark(cell: Any, owner: str, locale: Locale) -> None:
    cell.font = HEADER_FONT
    if owner == "worker":
        cell.fill = WORKER_FILL
        cell.comment = Comment(_WORKER_NOTE[locale], "aidsync")
    elif owner == "shared":
        cell.comment = Comment(_SHARED_NOTE[locale], "aidsync")


def _write_headers(ws: Worksheet, tab: Tab, locale: Locale) -> None:
    for col, column in enumerate(tab.columns, start=1):
        cell = ws.cell(row=1, column=col)
        set_text_safe(cell, column.label(locale))
        _mark(cell, column.owner, locale)
        ws.column_dimensions[get_column_letter(col)].width = max(
            10, len(column.label(locale)) * 2 + 2
        )
    if tab.columns:
        ws.freeze_panes = "A2"


__all__ = ["DataValidation", "XlsxBackend", "office_lock", "set_text_safe"]
