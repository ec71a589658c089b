"""Reading a workbook's values fast: python-calamine, with the values openpyxl would give.

openpyxl parses every cell in Python (about 70 % of a steady local pass over 10,000 requests);
python-calamine (Rust) reads the same values fifteen times faster. Its types differ in three
ways, mapped here so that the rest of aidsync sees exactly what openpyxl's reading gave:

* numbers come back as floats (60.0 where openpyxl gives 60): whole numbers become ints;
* a date-formatted cell may come back as a ``date``: openpyxl gives a ``datetime``;
* a formula cell comes back as its cached value where openpyxl gives the formula's text. So a
  workbook whose tabs hold any formula is read with openpyxl instead (``None`` here).

Both readers give a date-time cell to the whole second (its serial number's float noise
dropped), so that a time the worker wrote reads back as the minute it wrote.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from typing import Any

from sync.backends.xlsx.cells import whole_second
from sync.backends.xlsx.patch import Unpatchable, sheet_parts
from sync.model import CellValue

Grid = list[list[CellValue]]
_FORMULA = re.compile(rb"<(?:\w+:)?f[ />]")
_BIGGEST_INT = 2**53  # past this a float is no longer an exact whole number


def fast_grids(data: bytes) -> dict[str, Grid] | None:
    """Every tab's values (trailing blanks trimmed), or None when this reader cannot promise
    openpyxl's values (a formula somewhere, python-calamine missing or refusing the file)."""
    read = fast_read(data)
    return None if read is None else read[0]


def fast_read(data: bytes) -> tuple[dict[str, Grid], dict[str, bytes]] | None:
    """Every tab's values, and each tab's XML up to its cells (what says how it is dressed:
    frozen panes, column widths and styles), by title; None as for `fast_grids`."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - it is a dependency; keep reading without it
        return None
    try:
        heads: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                parts = {part: title for title, part in sheet_parts(archive).items()}
            except Unpatchable:
                parts = {}  # no tab's dressing is known: none is redone
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            for name in sheets:
                if not name.endswith(".xml"):
                    continue
                xml = archive.read(name)
                if _FORMULA.search(xml):
                    return None
                if name in parts:
                    heads[parts[name]] = xml[: max(xml.find(b"<sheetData"), 0)]
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids: dict[str, Grid] = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids[name] = _trimmed([[_value(v) for v in row] for row in rows])
        return grids, heads
    except Exception:  # any trouble: openpyxl reads it and says what is wrong
        return None


def _value(value: Any) -> CellValue:
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _BIGGEST_INT:
        return int(value)
    if isinstance(value, datetime):
        return whole_second(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value  # type: ignore[no-any-return]


def _trimmed(rows: Grid) -> Grid:
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    for row in rows:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
    return rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def chart_count(data: bytes, title: str) -> int | None:
    """How many charts a tab's drawings hold, read off the zip without loading the workbook;
    None when the file's layout is not one this can follow."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            targets = dict(_relations(archive, "xl/workbook.xml", by_id=True))
            part = next(
                (targets.get(s.get(f"{_REL}id", ""), "") for s in book.iter(f"{_MAIN}sheet")
                 if s.get("name") == title),
                "",
            )  # fmt: skip
            if not part:
                return None
            drawings = [p for kind, p in _relations(archive, part) if kind == _DRAWING_REL]
            return sum(
                1 for d in drawings for kind, _ in _relations(archive, d) if kind == _CHART_REL
            )
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return None


def _relations(archive: zipfile.ZipFile, part: str, by_id: bool = False) -> list[tuple[str, str]]:
    """A part's relationships as (type, or id when by_id; zip member of the target)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return []
    found = []
    for rel in ET.fromstring(archive.read(rels)):
        target = rel.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        found.append((rel.get("Id" if by_id else "Type", ""), path))
    return found
