"""Write cells into a .xlsx by rewriting only the rows that change (everything else kept as is).

openpyxl's save re-serialises every cell, style and validation of every tab: 4-8 s for a
workbook of 10,000 requests, where a pass changes a few hundred cells. Here the zip is copied
member by member; in the sheet parts that change, only the changed ``<row>`` elements are
rewritten, as text, each cell keeping its style index (a cell without one takes its column's,
so a row added below a dressed tab is shaded and shows its times). Styles, dropdowns, comments,
other tabs and every untouched row are copied byte for byte. Text is written as an inline
string, so it never becomes a formula; a date-time as its serial number, in a cell whose style
shows it as one (else openpyxl writes it and sets the format).

Anything this does not handle raises Unpatchable, and the caller saves through openpyxl instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, unescape

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from sync.backends.xlsx.rows import fitted_height
from sync.backends.xlsx.styles import Styles, read_styles
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
_COL = re.compile(rb"<col\b[^>]*>")
_ATTR = re.compile(rb"\b(min|max|style|width)=\"(\d+(?:\.\d+)?)\"")
_HEIGHT = re.compile(rb"\s(?:ht|customHeight)=\"[^\"]*\"")
_ROW_HT = re.compile(rb"\bht=\"([\d.]+)\"")
_INLINE_TEXT = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)

Cells = Mapping[tuple[int, int], CellValue]  # (1-based row, 0-based column) → value


class Unpatchable(Exception):
    """The workbook or a value needs openpyxl's full save."""


def patch_workbook(source: bytes, out: BinaryIO, cells: Mapping[str, Cells]) -> None:
    """Copy a workbook to out with these cells (by tab title) set; None or '' clears a value."""
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        parts = sheet_parts(book)
        missing = [title for title in cells if title not in parts]
        if missing:
            raise Unpatchable(f"no sheet part for {missing}")
        edits = {parts[title]: by_cell for title, by_cell in cells.items() if by_cell}
        styles = read_styles(book)
        patched = {name: patch_sheet(book.read(name), by_cell, styles)
                   for name, by_cell in edits.items()}  # fmt: skip
        if styles.grown:
            patched["xl/styles.xml"] = styles.xml
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in book.infolist():
                data = patched.get(item.filename) or book.read(item.filename)
                copy.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)


def sheet_titles(source: bytes) -> list[str]:
    """The workbook's tab titles, in order."""
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        return list(sheet_parts(book))


def last_row_in_part(source: bytes, title: str) -> int:
    """The number of the last row of a tab holding a value or a formula (0: none does).

    A cell holding only an empty string counts as filled, so an append below it may leave one
    blank line; it never lands on a row that holds something.
    """
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        parts = sheet_parts(book)
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


def patch_sheet(xml: bytes, cells: Cells, styles: Styles | None = None) -> bytes:
    """One sheet part with the cells set, touching only the rows they are in (`styles`: the
    workbook's, needed to write a date-time; without them only openpyxl writes one)."""
    xml = _EMPTY_DATA.sub(b"<sheetData></sheetData>", xml, count=1)
    if b"<sheetData>" not in xml and b"<sheetData " not in xml:
        raise Unpatchable("no sheetData")
    columns, widths = _column_styles(xml[: xml.find(b"<sheetData")])
    wraps = styles.wraps if styles is not None else frozenset()
    wrapped = {c: widths.get(c, 13.0) for c, style in columns.items() if style in wraps}
    looks = _Looks(columns, styles, wrapped)
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
            tail.append(_patch_row(new_row, number, by_row[number], looks))
            continue
        if span is None:  # an empty row between two written ones
            where = min(spans[n][0] for n in spans if n > number)
            pieces += [xml[at:where], _patch_row(new_row, number, by_row[number], looks)]
            at = where
            continue
        start, end = span
        pieces += [xml[at:start], _patch_row(xml[start:end], number, by_row[number], looks)]
        at = end
    rest = xml[at:]
    if tail:
        close = rest.rindex(b"</sheetData>")
        rest = rest[:close] + b"".join(tail) + rest[close:]
    width = max((col for row in by_row.values() for col in row), default=0)
    return _widen_dimension(b"".join(pieces) + rest, max([last, *by_row]), width)


@dataclass(frozen=True)
class _Looks:
    columns: Mapping[int, bytes]  # 0-based column → its own style
    styles: Styles | None
    wrapped: Mapping[int, float]  # 0-based column whose style wraps text → its width


def _column_styles(head: bytes) -> tuple[dict[int, bytes], dict[int, float]]:
    """The styles columns carry (`<col min max style>`) and their widths, by 0-based column."""
    found: dict[int, bytes] = {}
    widths: dict[int, float] = {}
    for col in _COL.finditer(head):
        attrs = {k: v for k, v in _ATTR.findall(col.group(0))}
        if b"min" not in attrs:
            continue
        style = attrs.get(b"style", b"0")
        for index in range(int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"])) + 1):
            if style != b"0":
                found[index - 1] = style
            if b"width" in attrs:
                widths[index - 1] = float(attrs[b"width"])
    return found, widths


def _patch_row(xml: bytes, number: int, cells: Mapping[int, CellValue], looks: _Looks) -> bytes:
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
        if style and style.group(1) != b"0":
            styles[col] = style.group(1)
    for col, value in cells.items():
        if b"<f" in kept.get(col, b""):  # a shared formula's master or a calcChain entry may
            raise Unpatchable(f"a formula cell in row {number}")  # depend on it: openpyxl
        own = styles.get(col) or looks.columns.get(col)
        kept[col] = _cell(f"{get_column_letter(col + 1)}{number}", value, own, looks.styles)
    if looks.wrapped:
        head = _fitted(head, {c: cells[c] if c in cells else kept.get(c) for c in looks.wrapped},
                       looks.wrapped)  # fmt: skip
    return head + b"".join(kept[c] for c in sorted(kept)) + b"</row>"


def _fitted(
    head: bytes, shown: Mapping[int, CellValue | bytes | None], widths: Mapping[int, float]
) -> bytes:
    """A row's opening tag with the height its wrapped cells need (see xlsx_rows). A cell whose
    text is not in the row (a shared string, as office suites save text) is not measured: the
    row then keeps at least the height it had."""
    texts: list[tuple[object, float]] = []
    floor = 0.0
    for col, value in shown.items():
        if isinstance(value, bytes):  # a cell kept as it was
            if b"<is>" in value:
                value = unescape("".join(t.decode() for t in _INLINE_TEXT.findall(value)))
            elif b't="s"' in value or b't="str"' in value:
                had = _ROW_HT.search(head)
                floor = max(floor, float(had.group(1)) if had else 0.0)
                continue
            else:
                value = None
        texts.append((value, widths[col]))
    height = max(fitted_height(texts) or 0.0, floor)
    head = _HEIGHT.sub(b"", head)
    if not height:
        return head
    return head[:-1] + f' ht="{height:g}" customHeight="1">'.encode()


def _cell(ref: str, value: CellValue, style: bytes | None, styles: Styles | None) -> bytes:
    if isinstance(value, datetime):
        moment = styles.for_moment(style) if styles is not None else None
        if styles is None or moment is None or styles.date1904 or value.tzinfo is not None:
            raise Unpatchable("a date-time whose cell cannot show one is written by openpyxl")
        return f'<c r="{ref}" s="{moment.decode()}"><v>{to_excel(value)!r}</v></c>'.encode()
    if isinstance(value, int | float) and styles is not None and style in styles.dates:
        style = styles.for_number(style)  # else it would show as a date
        if style is None:
            raise Unpatchable("a number in a cell formatted as a date is written by openpyxl")
    s = f' s="{style.decode()}"' if style and style != b"0" else ""
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


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
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
