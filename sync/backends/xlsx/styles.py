"""A workbook's cell styles as the changed-rows writer (xlsx_patch) needs them: which show a
date-time, which wrap text, and each style's twin that shows a date-time (or a plain number),
added to xl/styles.xml when the workbook has none, so that a time lands in any cell as one."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from sync.model import MOMENT_PATTERN

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Styles:
    """What the writer needs of a workbook's styles: which cell styles show a date-time, the
    twin of each style that shows one (or shows a plain number), and whether dates count from
    1904 (then openpyxl writes them)."""

    dates: set[bytes]  # style indices, as in s="…"
    wraps: frozenset[bytes] = frozenset()  # styles that wrap text
    as_date: dict[bytes, bytes] = field(default_factory=dict)  # style → its date-time twin
    as_number: dict[bytes, bytes] = field(default_factory=dict)  # a date style → plain twin
    date1904: bool = False
    xml: bytes = b""  # xl/styles.xml, grown by the twins `for_moment` adds
    grown: bool = False

    def for_moment(self, style: bytes | None) -> bytes | None:
        """A style that shows a date-time and otherwise looks like `style`: its twin, added to
        the styles when the workbook has none (None: the styles are not ones this can grow)."""
        style = style or b"0"
        if style in self.dates:
            return style
        if style not in self.as_date and self.xml:
            try:
                grown = _add_moment_twin(self.xml, int(style))
            except ValueError:  # a layout this does not follow: openpyxl writes the time
                grown = None
            if grown is not None:
                self.xml, twin = grown
                self.grown = True
                self.dates.add(twin)
                self.as_date[style], self.as_number[twin] = twin, style
        return self.as_date.get(style)

    def for_number(self, style: bytes | None) -> bytes | None:
        """A style that shows a number as one and otherwise looks like `style`."""
        style = style or b"0"
        return self.as_number.get(style) if style in self.dates else style


def read_styles(book: zipfile.ZipFile) -> Styles:
    """The cell styles of xl/styles.xml that show their number as a date or time, and which
    styles differ only by that (the dressing leaves a plain date-time style behind: the
    Requests' submitted time column's)."""
    try:
        date1904 = b'date1904="1"' in book.read("xl/workbook.xml").replace(b"true", b"1")
        root = ET.fromstring(book.read("xl/styles.xml"))
    except (KeyError, ET.ParseError):
        return Styles(set())
    formats = dict(BUILTIN_FORMATS)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    dates: set[bytes] = set()
    looks: dict[tuple[object, ...], dict[bool, bytes]] = {}
    xfs = root.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        code = formats.get(int(xf.get("numFmtId", "0")), "")
        shows_date = is_date_format(code)
        name = str(index).encode()
        if shows_date:
            dates.add(name)
        look = (
            tuple(sorted((k, v) for k, v in xf.attrib.items() if k not in _NUMBER_ATTRS)),
            b"".join(ET.tostring(child) for child in xf),
        )
        twins = looks.setdefault(look, {})
        if shows_date and (code == MOMENT_PATTERN or True not in twins):
            twins[True] = name
        elif not shows_date and code in ("General", "") and False not in twins:
            twins[False] = name
    as_date: dict[bytes, bytes] = {}
    as_number: dict[bytes, bytes] = {}
    for twins in looks.values():
        if True in twins and False in twins:
            as_date[twins[False]] = twins[True]
            as_number[twins[True]] = twins[False]
    wraps = frozenset(
        str(index).encode()
        for index, xf in enumerate(xfs if xfs is not None else ())
        if any(a.get("wrapText") in ("1", "true") for a in xf.iter(f"{_MAIN}alignment"))
    )
    return Styles(dates, wraps, as_date, as_number, date1904, book.read("xl/styles.xml"))


_CELL_XFS = re.compile(rb"(<cellXfs\b[^>]*>)(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_NUM_FMT = re.compile(rb"<numFmt\b[^>]*>")
_FMT_ID = re.compile(rb"\bnumFmtId=\"(\d+)\"")
_COUNT = re.compile(rb"\bcount=\"\d+\"")


def _add_moment_twin(xml: bytes, base: int) -> tuple[bytes, bytes] | None:
    """styles.xml with one more cell style: `base` showing `yyyy-mm-dd hh:mm`; and its index.
    None when the styles are laid out in a way this does not follow."""
    xfs = _CELL_XFS.search(xml)
    if xfs is None:
        return None
    items = _XF.findall(xfs.group(2))
    if base >= len(items):
        return None
    fmt_id, xml = _moment_format(xml)
    twin = _FMT_ID.sub(b"", items[base], count=1)
    twin = re.sub(rb"\sapplyNumberFormat=\"[^\"]*\"", b"", twin)
    twin = f'<xf numFmtId="{fmt_id}" applyNumberFormat="1"'.encode() + twin[len(b"<xf") :]
    xfs = _CELL_XFS.search(xml)
    assert xfs is not None
    head = _COUNT.sub(f'count="{len(items) + 1}"'.encode(), xfs.group(1), count=1)
    if b"count=" not in head:
        head = head[:-1] + f' count="{len(items) + 1}">'.encode()
    grown = xml[: xfs.start()] + head + xfs.group(2) + twin + b"</cellXfs>" + xml[xfs.end() :]
    return grown, str(len(items)).encode()


def _moment_format(xml: bytes) -> tuple[int, bytes]:
    """The number format id of `yyyy-mm-dd hh:mm` in styles.xml, added when missing."""
    ids = [163]
    for fmt in _NUM_FMT.findall(xml):
        found = _FMT_ID.search(fmt)
        if found is None:
            continue
        ids.append(int(found.group(1)))
        if f'formatCode="{MOMENT_PATTERN}"'.encode() in fmt:
            return int(found.group(1)), xml
    fmt_id = max(ids) + 1
    entry = f'<numFmt numFmtId="{fmt_id}" formatCode="{MOMENT_PATTERN}"/>'.encode()
    block = re.search(rb"<numFmts\b[^>]*?(/>|>)", xml)
    if block is None:  # numFmts comes first in a styleSheet
        start = xml.index(b">", xml.index(b"<styleSheet")) + 1
        return fmt_id, xml[:start] + b'<numFmts count="1">' + entry + b"</numFmts>" + xml[start:]
    count = len(_NUM_FMT.findall(xml)) + 1
    head = f'<numFmts count="{count}">'.encode()
    if block.group(1) == b"/>":
        return fmt_id, xml[: block.start()] + head + entry + b"</numFmts>" + xml[block.end() :]
    close = xml.index(b"</numFmts>")
    return fmt_id, xml[: block.start()] + head + xml[block.end() : close] + entry + xml[close:]


_NUMBER_ATTRS = {"numFmtId", "applyNumberFormat"}
