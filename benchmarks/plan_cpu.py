"""CPU time of build_plan on a generated workbook, three runs after a warm-up.

    python -m benchmarks.plan_cpu medium        # or small, peak-small, peak …

The quickest way to compare two versions of the planner on one machine: run it from each
checkout (PYTHONPATH=that checkout) with the same size.
"""

from __future__ import annotations

import sys
import time
from zoneinfo import ZoneInfo

from benchmarks.generate import NOW, SIZES, generate, to_grids
from sync.layout import build_snapshot
from sync.planner import build_plan
from sync.resources import default_rules_dir
from sync.rules import load_rules
from sync.schema import load_schema


def main(argv: list[str] | None = None) -> int:
    """Print the CPU seconds of three plans of the named size."""
    size = (argv if argv is not None else sys.argv[1:] or ["medium"])[0]
    tz = ZoneInfo("Asia/Shanghai")
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    snapshot = build_snapshot("benchmark", to_grids(generate(SIZES[size], 1)), schema)
    build_plan(snapshot, rules, NOW, tz, schema)
    times = []
    for _ in range(3):
        started = time.process_time()
        build_plan(snapshot, rules, NOW, tz, schema)
        times.append(time.process_time() - started)
    print(size, "plan CPU seconds:", ", ".join(f"{t:.2f}" for t in times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
