"""Whether a change to the planner leaves every plan as it was, field by field.

    python -m benchmarks.same_plans --save /tmp/before.pickle     # on the old code
    python -m benchmarks.same_plans --against /tmp/before.pickle  # on the new code

Plans the first and the steady pass (as benchmarks.plan_cpu builds them) of each size, and
records every field of every plan, those a dataclass leaves out of its comparison included
(a Log line's `routine`), with each value's type (3 and 3.0 are different cells). --against
says which sizes and passes differ, and the first field that does.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import TZ
from benchmarks.plan_cpu import snapshots
from sync.planner import build_plan
from sync.resources import default_rules_dir
from sync.rules import load_rules
from sync.schema import load_schema

DEFAULT_SIZES = "small,peak-small,medium,peak"


def record(value: Any) -> Any:
    """A value as plain nested tuples: dataclasses field by field, each leaf with its type."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, record(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, Mapping):
        return ("mapping", tuple(sorted((repr(k), record(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(record(v) for v in value))
    if isinstance(value, frozenset | set):
        return ("set", tuple(sorted(repr(v) for v in value)))
    return (type(value).__name__, repr(value))


def plans(sizes: Sequence[str]) -> dict[str, Any]:
    """Every plan's record, keyed `size pass`."""
    schema = load_schema()
    rules = load_rules(default_rules_dir(), schema)
    found: dict[str, Any] = {}
    for size in sizes:
        for name, (snapshot, now) in snapshots(size, schema, rules).items():
            found[f"{size} {name}"] = record(build_plan(snapshot, rules, now, TZ, schema))
    return found


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two records first differ, as a path, or None when they are the same."""
    if a == b:
        return None
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            name = x[0] if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str) else i
            found = first_difference(x, y, f"{path}/{name}")
            if found is not None:
                return found
    return f"{path}: {str(a)[:200]} != {str(b)[:200]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Save the plans' records, or compare them with saved ones (exit 1 when any differs)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--save", type=Path)
    where.add_argument("--against", type=Path)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    found = plans(args.sizes.split(","))
    if args.save:
        args.save.write_bytes(pickle.dumps(found))
        print(f"saved {len(found)} plans to {args.save}")
        return 0
    saved = pickle.loads(args.against.read_bytes())
    differ = 0
    for key, value in found.items():
        if key not in saved:
            print(f"{key}: not in {args.against}")
            continue
        difference = first_difference(saved[key], value)
        print(f"{key}: {'same' if difference is None else 'DIFFERENT ' + difference}")
        differ += difference is not None
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
