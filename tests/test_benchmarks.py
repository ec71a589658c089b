"""The benchmark scripts work: a tiny workbook generated, then the quick benchmark path end to end
(plan, a local pass in a child process, Google passes and the naive script on the emulator).
No timing is asserted here; the targets live in benchmarks/."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import generate, run
from sync.backends.xlsx import XlsxBackend
from sync.schema import load_schema

SCHEMA = load_schema()


def test_generated_workbooks_are_the_same_for_a_seed_and_read_back(tmp_path: Path) -> None:
    size = generate.SIZES["tiny"]
    rows = generate.generate(size, seed=3)
    assert rows == generate.generate(size, seed=3)
    assert rows != generate.generate(size, seed=4)
    path = generate.write_xlsx(tmp_path / "tiny.xlsx", rows)
    snapshot = XlsxBackend(path).read(SCHEMA)
    requests, volunteers, stock = (snapshot.tables[k] for k in ("requests", "volunteers", "stock"))
    assert (len(requests.rows), len(volunteers.rows), len(stock.rows)) == (
        size.requests,
        size.volunteers,
        size.stock,
    )
    known = {name for name, aliases, _ in generate.communities() for name in (name, *aliases)}
    assert {requests.get(r, "community") for r in requests.rows} <= known
    assert generate.to_grids(rows)["需求登记"][0] == [c.zh for c in SCHEMA.tab("requests").columns]


def test_quick_benchmark_runs_and_writes_its_results(tmp_path: Path) -> None:
    assert (
        run.main(["--quick", "--naive-cap", "3", "--latency", "0.01", "--out", str(tmp_path)]) == 0
    )
    data = json.loads(next(tmp_path.glob("*.json")).read_text())
    (result,) = data["results"]
    assert result["size"] == "tiny"
    for name in run.PASSES:
        assert result[f"plan_{name}"]["changes"] > 0
        assert result[f"local_{name}"]["cells_written"] > 0
        # the first pass over a sheet also draws the Summary's chart and grows the Log: its
        # structural request carries the check before writing, so it is four requests too
        assert result[f"aidsync_{name}"]["requests"] == 4
        naive = result[f"naive_{name}"]
        assert naive["writes_done"] == 3 and naive["extrapolated"]
        assert naive["requests"] > result[f"aidsync_{name}"]["requests"]
        assert result[f"local_{name}"]["append_s"] > 0  # the notifier's Log append, timed
    assert next(tmp_path.glob("*.md")).read_text().startswith("# aidsync benchmark")


def test_guard_benchmark_puts_back_rows_moved_in_the_instant_of_the_write(tmp_path: Path) -> None:
    from benchmarks import guard

    assert guard.main(["--size", "tiny", "--out", str(tmp_path)]) == 0
    results = json.loads(next(tmp_path.glob("*-guard-tiny.json")).read_text())["results"]
    assert results["steady pass, undisturbed"]["deferred"] == 0
    moved = results["steady pass, sorted in the instant"]
    assert (
        moved["deferred"] > 0
        and moved["requests"] == results["steady pass, undisturbed"]["requests"] + 1
    )  # one request puts the rows back


def test_log_append_benchmark_times_both_ways(tmp_path: Path) -> None:
    from benchmarks import log_append

    assert log_append.main(["--size", "tiny", "--out", str(tmp_path)]) == 0
    seconds = json.loads(next(tmp_path.glob("*-log-append-tiny.json")).read_text())["seconds"]
    assert all(len(times) == 2 and min(times) > 0 for times in seconds.values())
