"""Write cells into a .xlsx by rewriting only the rows that change (everything else kept as is).

openpyxl's save re-serialises every cell, style and validation of every tab: 4-8 s for a
workbook of 10,000 requests, where a pass changes a few hundred cells. Here the zip is copied
member by member; in the sheet parts that change, only the changed ``<row>`` elements are
rewritten, as text, each cell keeping its style index. Styles, dropdowns, comments, other tabs
and every untouched row are copied byte for byte. Text is written as an inline string, so it
never becomes a formula.

Anything this does not handle raises Unpatchable, and the caller saves through openpyxl instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import BinaryIO
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from sync.model import CellValue

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ROW = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)\br=\"([A-Z]+)\d+\"([^>]*?)(?:/>|>.*?</c>)", re.S)
_STYLE = re.compile(rb"\bs=\"(\d+)\"")
_DIMENSION = re.compile(rb"<dimension ref=\"[A-Z]+\d+(?::([A-Z]+)(\d+))?\"")
_EMPTY_DATA = re.compile(rb"<sheetData\s*/>")
_FILLED = re.compile(rb"<(?:v|is|f)\b")  # a value, an inline string or a formula
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cells = Mapping[tuple[int, int], CellValue]  # (1-based row, 0-based column) → value


class Unpatchable(Exception):
    """The workbook or a value needs openpyxl's full save."""


def patch_workbook(source: bytes, out: BinaryIO, cells: Mapping[str, Cells]) -> None:
    """Copy a workbook to out with these cells (by tab title) set; None or '' clears a value."""
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        parts = _sheet_parts(book)
        missing = [title for title in cells if title not in parts]
        if missing:
            raise Unpatchable(f"no sheet part for {missing}")
        edits = {parts[title]: by_cell for title, by_cell in cells.items() if by_cell}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in book.infolist():
                data = book.read(item.filename)
                if item.filename in edits:
                    data = patch_sheet(data, edits[item.filename])
                copy.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)


def sheet_titles(source: bytes) -> list[str]:
    """The workbook's tab titles, in order."""
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        return list(_sheet_parts(book))


def last_row_in_part(source: bytes, title: str) -> int:
    """The number of the last row of a tab holding a value or a formula (0: none does).

    A cell holding only an empty string counts as filled, so an append below it may leave one
    blank line; it never lands on a row that holds something.
    """
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        parts = _sheet_parts(book)
        if title not in parts:
            raise Unpatchable(f"no sheet part for {title}")
        xml = book.read(parts[title])
    rows = list(_ROW.finditer(xml))
    if len(rows) != xml.count(b"<row ") + xml.count(b"<row>"):
        raise Unpatchable("rows without a row number")
    for match in reversed(rows):
        if _FILLED.search(match.group(0)):
            return int(match.group(1))
    return 0


def patch_sheet(xml: bytes, cells: Cells) -> bytes:
    """One sheet part with the cells set, touching only the rows they are in."""
    xml = _EMPTY_DATA.sub(b"<sheetData></sheetData>", xml, count=1)
    if b"<sheetData>" not in xml and b"<sheetData " not in xml:
        raise Unpatchable("no sheetData")
    spans = {int(m.group(1)): m.span() for m in _ROW.finditer(xml)}
    if len(spans) != xml.count(b"<row ") + xml.count(b"<row>"):
        raise Unpatchable("rows without a row number")  # allowed by the format, rare in practice
    by_row: dict[int, dict[int, CellValue]] = {}
    for (number, col), value in cells.items():
        by_row.setdefault(number, {})[col] = value
    last = max(spans, default=0)
    pieces: list[bytes] = []
    tail: list[bytes] = []
    at = 0
    for number in sorted(by_row):
        span = spans.get(number)
        new_row = f'<row r="{number}"/>'.encode()
        if span is None and number > last:
            tail.append(_patch_row(new_row, number, by_row[number]))
            continue
        if span is None:  # an empty row between two written ones
            where = min(spans[n][0] for n in spans if n > number)
            pieces += [xml[at:where], _patch_row(new_row, number, by_row[number])]
            at = where
            continue
        start, end = span
        pieces += [xml[at:start], _patch_row(xml[start:end], number, by_row[number])]
        at = end
    rest = xml[at:]
    if tail:
        close = rest.rindex(b"</sheetData>")
        rest = rest[:close] + b"".join(tail) + rest[close:]
    width = max((col for row in by_row.values() for col in row), default=0)
    return _widen_dimension(b"".join(pieces) + rest, max([last, *by_row]), width)


def _patch_row(xml: bytes, number: int, cells: Mapping[int, CellValue]) -> bytes:
    if xml.endswith(b"/>"):
        head, body = xml[:-2].rstrip() + b">", b""
    else:
        split = xml.index(b">") + 1
        head, body = xml[:split], xml[split : -len(b"</row>")]
    head = re.sub(rb"\sspans=\"[^\"]*\"", b"", head)  # a reader's hint that may no longer hold
    if body.count(b"<c ") + body.count(b"<c>") != len(_CELL.findall(body)):
        raise Unpatchable(f"cells without a reference in row {number}")
    kept: dict[int, bytes] = {}
    styles: dict[int, bytes] = {}
    for match in _CELL.finditer(body):
        col = _column(match.group(2))
        kept[col] = match.group(0)
        style = _STYLE.search(match.group(1) + match.group(3))
        if style:
            styles[col] = style.group(1)
    for col, value in cells.items():
        if b"<f" in kept.get(col, b""):  # a shared formula's master or a calcChain entry may
            raise Unpatchable(f"a formula cell in row {number}")  # depend on it: openpyxl
        kept[col] = _cell(f"{get_column_letter(col + 1)}{number}", value, styles.get(col))
    return head + b"".join(kept[c] for c in sorted(kept)) + b"</row>"


def _cell(ref: str, value: CellValue, style: bytes | None) -> bytes:
    s = f' s="{style.decode()}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unpatchable(f"{value} is not a number a workbook can hold")
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'.encode()
    if not isinstance(value, str):
        raise Unpatchable(f"{type(value).__name__} values are written by openpyxl")
    if _NOT_XML.search(value):
        raise Unpatchable("text with characters XML cannot hold")
    text = escape(value)
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'.encode()


def _widen_dimension(xml: bytes, rows: int, col: int) -> bytes:
    match = _DIMENSION.search(xml)
    if not match:
        return xml
    if match.group(1):
        col = max(col, _column(match.group(1)))
        rows = max(rows, int(match.group(2)))
    ref = f'<dimension ref="A1:{get_column_letter(col + 1)}{max(rows, 1)}"'.encode()
    return xml[: match.start()] + ref + xml[match.end() :]


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Tab title → zip member of its sheet XML."""
    try:
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
    except (KeyError, ET.ParseError) as exc:
        raise Unpatchable(f"unusual workbook layout ({exc})") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if name not in book.namelist():
            raise Unpatchable(f"sheet part {name} not found")
        parts[sheet.get("name", "")] = name
    return parts


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1
