"""Render the demo workbook as a coordinator sees it: LibreOffice (headless) → PDF → PNG pages.

    python tools/screenshots.py [--out docs/screenshots] [--locale zh]

Runs `aidsync demo` in a scratch folder, then prints each tab on its own landscape page, fitted
to the page's width, and turns the pages into PNG files named after the tab (requests-1.png,
volunteers-1.png …). Needs LibreOffice (`soffice`) and poppler (`pdftoppm`); on Debian:
`apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
# tabs worth a picture, in the order a coordinator meets them
TABS = ("requests", "volunteers", "stock", "inbox", "summary", "log")
RESOLUTION = 110  # dots per inch: an A4 page is about 1290 × 910 pixels


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        sys.exit(
            f"{program} is not installed. On Debian/Ubuntu: "
            "apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk"
        )
    return found


def _one_tab(source: Path, title: str, target: Path) -> None:
    """A copy of the workbook holding one tab, set to print landscape on pages one wide."""
    book = openpyxl.load_workbook(source)
    for sheet in list(book.worksheets):
        if sheet.title != title:
            book.remove(sheet)
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.3
    sheet.page_margins.top = sheet.page_margins.bottom = 0.4
    # print only what holds something: formatting or dropdowns may reach far past the table
    cells = (c for row in sheet.iter_rows() for c in row)
    filled = [(c.row, c.column) for c in cells if c.value not in (None, "")]
    if filled:
        last_row = max(r for r, _ in filled)
        last_col = max(c for _, c in filled)
        sheet.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    book.save(target)


def render(out: Path, locale: str) -> list[Path]:
    """Make the pictures; return the PNG files written."""
    soffice, pdftoppm = _need("soffice"), _need("pdftoppm")
    out.mkdir(parents=True, exist_ok=True)
    schema = load_schema()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        aidsync = Path(sys.executable).with_name("aidsync")
        subprocess.run(
            [str(aidsync), "demo", "--dir", str(work / "demo"), "--locale", locale],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        workbook = next((work / "demo").glob("*.xlsx"))
        titles = openpyxl.load_workbook(workbook, read_only=True).sheetnames
        for key in TABS:
            title = schema.tab(key).title(locale)  # type: ignore[arg-type]
            if title not in titles:
                continue
            single = work / f"{key}.xlsx"
            _one_tab(workbook, title, single)
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(single)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={"HOME": str(work), "PATH": "/usr/bin:/bin"},
            )
            for old in out.glob(f"{key}-*.png"):
                old.unlink()
            subprocess.run(
                [pdftoppm, "-png", "-r", str(RESOLUTION), str(work / f"{key}.pdf"), str(out / key)],
                check=True,
            )
            written += sorted(out.glob(f"{key}-*.png"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--locale", choices=("zh", "en"), default="zh")
    args = parser.parse_args()
    for path in render(args.out, args.locale):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
