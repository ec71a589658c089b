"""Passes killed (SIGKILL) at random moments leave a workbook that opens, and a rerun converges."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
from builders import SCHEMA, read_workbook, save_workbook, zh_tabs

from sync.sample import sample_rows

NOW = "2022-12-20T15:00:00+08:00"
TRIALS = 12  # the long campaign lives in reliability/; this keeps the suite quick


def sync_command(book: Path) -> list[str]:
    return [sys.executable, "-m", "sync", "sync", "--workbook", str(book), "--now", NOW, "-q"]


def working_tabs(book: Path) -> dict[str, Any]:
    tabs = read_workbook(book)
    return {title: rows for title, rows in tabs.items() if title != "汇总"}


def test_killed_passes_leave_a_valid_workbook_that_converges(tmp_path: Path) -> None:
    rows = sample_rows(SCHEMA, "zh")
    original = save_workbook(tmp_path / "original.xlsx",
                             zh_tabs(rows["requests"], rows["volunteers"], rows["stock"]))  # fmt: skip
    durations = []
    for attempt in range(2):  # the second run is warm, like the trials
        reference = tmp_path / f"reference{attempt}.xlsx"
        shutil.copy(original, reference)
        started = time.monotonic()
        subprocess.run(sync_command(reference), check=True, timeout=120)
        durations.append(time.monotonic() - started)
    duration = min(durations)
    expected = working_tabs(reference)

    rng = random.Random(20221220)
    killed_mid_pass = 0
    for trial in range(TRIALS):
        book = tmp_path / f"trial{trial}.xlsx"
        shutil.copy(original, book)
        with subprocess.Popen(sync_command(book)) as proc:
            time.sleep(rng.uniform(0.0, duration))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed_mid_pass += 1
            proc.wait(timeout=60)
        openpyxl.load_workbook(book)  # still a valid workbook
        state = working_tabs(book)
        assert state in (working_tabs(original), expected)  # never half-written
        subprocess.run(sync_command(book), check=True, timeout=120)
        assert working_tabs(book) == expected, f"trial {trial} did not converge"
        leftovers = [p.name for p in tmp_path.iterdir() if "aidsync-tmp" in p.name]
        assert leftovers == []  # the rerun clears what a killed save left behind
    assert killed_mid_pass >= TRIALS // 3
