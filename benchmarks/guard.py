"""What the Google write guard costs when people move rows in the instant of a write.

    python -m benchmarks.guard --size medium       # about a minute
    python -m benchmarks.guard --size large        # a few minutes

The first pass over a workbook of the size (every row written) and a steady pass five minutes
later each run three times through the Sheets emulator (no delay), from the same sheet each
time: undisturbed, with the Requests tab sorted by resident name in the instant before the
write (every row moves), and with a row inserted at the top in that instant (every row moves
down by one). It reports wall time, requests and how many changes the write put back. The guard (see
sync/backends/guard.py) must not make these passes much slower than the plain one.
"""

from __future__ import annotations

import copy
import itertools
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: python benchmarks/guard.py
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import NOW, SIZES, activity, apply_edits, generate, to_grids  # noqa: E402
from benchmarks.run import (  # noqa: E402
    LATER,
    google_pass,
    machine,
    running_emulator,
    save_record,
    side_arguments,
)
from sync.resources import default_rules_dir  # noqa: E402
from sync.rules import load_rules  # noqa: E402
from sync.schema import load_schema  # noqa: E402

Rows = list[list[Any]]


def by_name(rows: Rows) -> None:
    name = rows[0].index("居民姓名")
    rows[1:] = sorted(rows[1:], key=lambda r: str(r[name]) if len(r) > name else "")


def insert_at_top(rows: Rows) -> None:
    rows.insert(1, ["", "", "新居民", "13840009999", "创意社区", "新楼", "", "蔬菜食品"])


MOVES: dict[str, Callable[[Rows], None] | None] = {
    "undisturbed": None,
    "sorted in the instant": by_name,
    "row inserted in the instant": insert_at_top,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = side_arguments(__doc__ or "", argv)
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    size = SIZES[args.size]
    grids = to_grids(generate(size, args.seed))
    results: dict[str, Any] = {}
    info = machine()
    with running_emulator(0.0) as emu, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        emu.make_service_account_key(folder / "service-account.json")
        sid = emu.create_spreadsheet("互助登记", copy.deepcopy(grids))
        google_pass(emu, sid, folder, NOW, schema, rules)
        steady = {s.title: emu.get_values(sid, s.title) for s in emu.spreadsheet(sid).sheets}
        apply_edits(steady, activity(steady, size, args.seed))
        requests_title = "需求登记"
        for (name, move), (when, pass_name, start_from) in itertools.product(
            MOVES.items(), [(NOW, "first", grids), (LATER, "steady", steady)]
        ):
            fresh = emu.create_spreadsheet("互助登记", copy.deepcopy(start_from))

            def hook(
                call: Any, move: Callable[[Rows], None] | None = move, sid: str = fresh
            ) -> None:
                if move and call.method == "POST" and call.path.endswith("values:batchUpdate"):
                    emu.before_request(None)
                    emu.human_edit(sid, requests_title, move)

            emu.before_request(hook)
            start = time.perf_counter()
            outcome = google_pass(emu, fresh, folder, when, schema, rules)
            emu.before_request(None)
            outcome["wall_s"] = time.perf_counter() - start
            results[f"{pass_name} pass, {name}"] = outcome
            print(f"  {pass_name} pass, {name}: {outcome['wall_s']:.2f} s, "
                  f"{outcome['requests']} requests, "
                  f"{outcome['deferred']} changes deferred", flush=True)  # fmt: skip
    save_record(
        args.out, f"guard-{args.size}", "guard", argv, info, size=args.size, results=results
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
