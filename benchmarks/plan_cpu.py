"""CPU time of build_plan on a generated workbook, first and steady pass, after a warm-up.

    python -m benchmarks.plan_cpu medium        # or small, peak-small, peak …
    python -m benchmarks.plan_cpu peak --runs 5 --profile first

The *first* pass plans the generated workbook as people filled it; the *steady* pass plans the
same workbook five minutes later, once the first plan was written into it and people typed the
benchmark's usual activity (as benchmarks.run measures it). CPU time (time.process_time) is
what to compare on a shared machine: other people's work slows the wall clock, not this.

The quickest way to compare two versions of the planner on one machine: run it from each
checkout (PYTHONPATH=that checkout) with the same size.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Sequence
from datetime import datetime

from benchmarks.generate import NOW, SIZES, TZ, activity, apply_edits, generate, to_grids
from benchmarks.run import LATER, settle
from sync.layout import build_snapshot
from sync.model import Snapshot
from sync.planner import build_plan
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules
from sync.schema import Schema, load_schema


def snapshots(size: str, schema: Schema, rules: Rules) -> dict[str, tuple[Snapshot, datetime]]:
    """The first pass's snapshot and the steady pass's, each with its moment."""
    rows = generate(SIZES[size], 1)
    first = to_grids(rows)
    first_snapshot = build_snapshot("benchmark", first, schema)
    settled = copy.deepcopy(first)
    settle(settled, first_snapshot, build_plan(first_snapshot, rules, NOW, TZ, schema))
    apply_edits(settled, activity(settled, SIZES[size], 1))
    steady_snapshot = build_snapshot("benchmark", settled, schema)
    return {"first": (first_snapshot, NOW), "steady": (steady_snapshot, LATER)}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the CPU seconds of each plan of the named size, per pass."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", default="medium", choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passes", default="first,steady")
    parser.add_argument("--profile", choices=("first", "steady"), help="print a cProfile")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    made = snapshots(args.size, schema, rules)
    load = os.getloadavg()[0]
    for name in args.passes.split(","):
        snapshot, now = made[name]
        plan = build_plan(snapshot, rules, now, TZ, schema)  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.process_time()
            build_plan(snapshot, rules, now, TZ, schema)
            times.append(time.process_time() - started)
        print(
            f"{args.size} {name}: plan CPU seconds {', '.join(f'{t:.2f}' for t in times)}"
            f" (min {min(times):.2f}; {len(plan.changes)} changes; load {load:.2f})"
        )
    if args.profile:
        snapshot, now = made[args.profile]
        profiler = cProfile.Profile()
        profiler.runcall(build_plan, snapshot, rules, now, TZ, schema)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
