"""The notifier's Log append on a local workbook: new rows only, against openpyxl's whole save.

    python -m benchmarks.log_append --size medium      # about half a minute

A workbook of the size gets its first local pass (its Log then holds that pass's lines), then
20 Log lines (what a notifier records after a pass that sent messages) are appended to copies
of it, twice each way: through the changed-rows path the backend uses, and through openpyxl's
load and whole save, which the backend falls back to.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: python benchmarks/log_append.py
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import NOW, SIZES, generate, write_xlsx  # noqa: E402
from benchmarks.run import NOTIFIED_LINES, local_pass, machine, save_record, side_arguments  # noqa: E402
from sync.backends.xlsx import XlsxBackend  # noqa: E402
from sync.model import LogLine  # noqa: E402
from sync.schema import load_schema  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    args = side_arguments(__doc__ or "", argv)
    schema = load_schema()
    info = machine()
    lines = [
        LogLine("2022-12-20 15:05", f"R-{i:04d}", "已通知", "wecom", f"evt-{i}")
        for i in range(NOTIFIED_LINES)
    ]
    times: dict[str, list[float]] = {"new rows only": [], "openpyxl whole save": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "w.xlsx", generate(SIZES[args.size], args.seed))
        local_pass(path, NOW)
        snapshot = XlsxBackend(path).read(schema)
        for _round in range(2):
            for way, spent in times.items():
                copy = Path(tmp) / "copy.xlsx"
                shutil.copyfile(path, copy)
                backend = XlsxBackend(copy)
                if way == "openpyxl whole save":
                    backend._append_rows = lambda *_args: False  # type: ignore[method-assign]
                start = time.perf_counter()
                backend.append_log(snapshot, lines, schema)
                spent.append(time.perf_counter() - start)
    for way, spent in times.items():
        print(f"  {way}: " + ", ".join(f"{t:.2f} s" for t in spent))
    save_record(args.out, f"log-append-{args.size}", "log_append", argv, info,
                size=args.size, lines=NOTIFIED_LINES, seconds=times)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
