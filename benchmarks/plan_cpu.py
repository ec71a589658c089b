"""CPU time of build_plan on a generated workbook, first and steady pass, after a warm-up.

    python -m benchmarks.plan_cpu medium        # or small, peak-small, peak …
    python -m benchmarks.plan_cpu peak --runs 5 --profile first
    python -m benchmarks.plan_cpu peak --parts      # CPU per part of the plan, by module

The *first* pass plans the generated workbook as people filled it; the *steady* pass plans the
same workbook five minutes later, once the first plan was written into it and people typed the
benchmark's usual activity (as benchmarks.run measures it). CPU time (time.process_time) is
what to compare on a shared machine: other people's work slows the wall clock, not this.

The quickest way to compare two versions of the planner on one machine: run it from each
checkout (PYTHONPATH=that checkout) with the same size.
"""

from __future__ import annotations

import argparse
import collections
import copy
import cProfile
import importlib
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

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


# the parts --parts times: (module, function) as the planner calls them, and a label
PARTS = (
    ("sync.planner.assignment", "read_requests", "validate.read_requests"),
    ("sync.planner.assignment", "find_duplicates", "validate.find_duplicates"),
    ("sync.planner.roster", "read_volunteers", "validate.read_volunteers"),
    ("sync.planner.passes", "read_stock", "validate.read_stock"),
    ("sync.planner.lots", "plan_stock", "stock.plan_stock"),
    ("sync.planner.passes", "build_summary", "summary.build_summary"),
    ("sync.planner.passes", "attach_chart", "chart.attach_chart"),
    ("sync.planner.writer", "Writer.set", "planner writer.set"),
    ("sync.planner.writer", "Writer.stamp", "planner writer.stamp"),
    ("sync.planner.writer", "Writer.log", "planner writer.log"),
)


@contextmanager
def timed_parts(spent: dict[str, float]) -> Iterator[None]:
    """Add each part's CPU seconds to `spent` while inside (outermost calls only)."""
    depth = [0]
    saved: list[tuple[Any, str, Callable[..., Any]]] = []

    def wrap(real: Callable[..., Any], label: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return real(*args, **kwargs)
            depth[0] += 1
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - started
                depth[0] -= 1

        return timed

    for module, name, label in PARTS:
        owner: Any = importlib.import_module(module)
        if "." in name:
            cls, name = name.split(".")
            owner = getattr(owner, cls)
        real = getattr(owner, name)
        saved.append((owner, name, real))
        setattr(owner, name, wrap(real, label))
    try:
        yield
    finally:
        for owner, name, real in saved:
            setattr(owner, name, real)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the CPU seconds of each plan of the named size, per pass."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", default="medium", choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passes", default="first,steady")
    parser.add_argument("--profile", choices=("first", "steady"), help="print a cProfile")
    parser.add_argument("--parts", action="store_true", help="CPU share of each part")
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
    if args.parts:
        for name in args.passes.split(","):
            snapshot, now = made[name]
            spent: dict[str, float] = collections.Counter()
            with timed_parts(spent):
                started = time.process_time()
                for _ in range(args.runs):
                    build_plan(snapshot, rules, now, TZ, schema)
                total = (time.process_time() - started) / args.runs
            print(f"{args.size} {name}: {total:.2f} s a plan, of which")
            for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
                print(
                    f"  {label:28s} {seconds / args.runs:.3f} s  {seconds / args.runs / total:4.0%}"
                )
            rest = total - sum(spent.values()) / args.runs
            print(f"  {'the rest of the planner':28s} {rest:.3f} s  {rest / total:4.0%}")
    if args.profile:
        snapshot, now = made[args.profile]
        profiler = cProfile.Profile()
        profiler.runcall(build_plan, snapshot, rules, now, TZ, schema)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
