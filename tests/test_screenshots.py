"""tools/screenshots.py: each tab printed alone, landscape, one page wide, over its filled cells."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl

from sync.backends.xlsx import XlsxBackend
from sync.sample import sample_rows
from sync.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_tab_is_printed_alone_one_page_wide_over_what_it_holds(tmp_path: Path) -> None:
    schema = load_schema()
    book = tmp_path / "demo.xlsx"
    XlsxBackend(book).initialise(schema, "zh", sample_rows(schema, "zh"))
    requests = openpyxl.load_workbook(book)["需求登记"]
    last_col = max(c.column for c in requests[1] if c.value)

    _tool()._one_tab(book, "需求登记", tmp_path / "one.xlsx")

    copy = openpyxl.load_workbook(tmp_path / "one.xlsx")
    assert copy.sheetnames == ["需求登记"]
    sheet = copy["需求登记"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    area = sheet.print_area if isinstance(sheet.print_area, str) else sheet.print_area[0]
    letter = openpyxl.utils.get_column_letter(last_col)
    assert area.replace("$", "").endswith(f":{letter}{requests.max_row}")
