"""A person with the workbook open in another program: waits, loads, edits, saves.

Run by reliability.concurrent as a long-lived child process. Each line on stdin is a JSON
command {"path", "delay", "edit"}; after `delay` seconds it loads the .xlsx, applies the edit
to the Requests tab (reliability.edits), saves the file the way office suites do (a temporary
file beside it, then a rename) and answers one JSON line: the Requests grid before and after,
and the moments it loaded and saved (time.monotonic, which is system-wide on Linux).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl

from reliability import edits
from reliability.common import REQUESTS, trim
from sync.backends.xlsx import set_text_safe


def edit_file(path: Path, edit: dict[str, Any]) -> dict[str, Any]:
    """Load, edit the Requests tab, save atomically."""
    loaded = time.monotonic()
    book = openpyxl.load_workbook(path)
    ws = book[REQUESTS]
    grid = trim(ws.iter_rows(values_only=True))
    before = [list(r) for r in grid]
    expect = edits.apply(grid, edit)
    ws.delete_rows(1, ws.max_row)
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            if value not in (None, ""):
                set_text_safe(ws.cell(row=r, column=c), value)
    temp = path.with_name(f".~editor-{os.getpid()}.xlsx")
    book.save(temp)
    os.replace(temp, path)
    saved = time.monotonic()
    return {"before": before, "after": grid, "expect": expect, "loaded": loaded, "saved": saved}


def main() -> None:
    """Serve commands until stdin closes."""
    for line in sys.stdin:
        command = json.loads(line)
        time.sleep(float(command["delay"]))
        try:
            answer = edit_file(Path(command["path"]), command["edit"])
        except Exception as exc:  # reported to the campaign, which counts it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main()
