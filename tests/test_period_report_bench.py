"""The period report's benchmark runs end to end on a tiny workbook and records what it measured
(no timing is asserted: the figures live in benchmarks/results/)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import period_report


def test_the_period_benchmark_times_every_form_and_records_its_command(tmp_path: Path) -> None:
    assert period_report.main(["--size", "tiny", "--runs", "1", "--out", str(tmp_path)]) == 0
    record = json.loads(next(tmp_path.glob("*-period-report-tiny.json")).read_text())
    assert record["command"].startswith("python -m benchmarks.period_report --size tiny")
    assert set(record["command_seconds"]) == {"print only", ".xlsx", ".csv", ".png"}
    assert all(len(t["wall"]) == len(t["cpu"]) == 1 for t in record["command_seconds"].values())
    assert record["period"] == ["2021-12-21", "2022-12-20"]
    made = record["workbook"]
    assert made["live"] + made["archived"] == record["steps_cpu_seconds"]["requests counted"] == 120
    assert made["archived"] > 0 and made["log_lines"] > 0
