"""The wave's peak: requests outnumber what volunteers can take, and a pass is still a fixed point.

A second pass over a pass's own output, at the same moment, plans nothing: no cell of the working
tabs, no Log line, no Summary figure below its first lines (when the last pass ran and what it
did). At the peak the notes of requests nobody could take are where this used to break.
"""

from __future__ import annotations

import functools
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import NOW, RULES, SCHEMA, TZ, apply_in_memory, grid, snapshot_of
from gsheets_fixtures import LOG, REQUESTS, STOCK, SUMMARY, VOLUNTEERS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import SIZES, generate, to_grids, write_xlsx
from sync.planner import build_plan
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules

SUMMARY_HEAD = 3  # title, last pass, this pass: the lines a second pass may rewrite
WORKING = (REQUESTS, VOLUNTEERS, STOCK, LOG)

peak_requests = st.lists(
    st.fixed_dictionaries({
        "submitted_at": st.sampled_from(["2022-12-20 09:00", "2022-12-20 14:20", "2022-12-20 14:58",
                                         "", "12月20日 13:00"]),
        "community": st.sampled_from(["创意社区", "建设社区", "乐园社区", "兴华社区"]),
        "category": st.sampled_from(["药品", "蔬菜食品", "生活物资", "防疫用品"]),
        "urgency": st.sampled_from(["紧急", "一般"]),
        "household": st.sampled_from(["独居", "孤寡", "其他"]),
        "volunteer": st.sampled_from([None] * 8 + ["张伟", "李娜"]),
        "status": st.sampled_from([None] * 6 + ["已派单", "配送中", "已送达", "待协调"]),
    }),
    min_size=10,
    max_size=60,
)  # fmt: skip
peak_volunteers = st.lists(
    st.fixed_dictionaries({
        "name": st.sampled_from(["张伟", "李娜", "王芳", "赵强", "孙丽", "周杰"]),
        "communities": st.sampled_from(["创意社区", "建设社区", "全部", "乐园社区、兴华社区"]),
        "team": st.sampled_from(["向日葵能量团", "党员先锋队"]),
        "role": st.sampled_from(["居民", "党员", "商户"]),
        "categories": st.sampled_from(["", "药品", "蔬菜食品、生活物资"]),
        "hours": st.sampled_from(["全天", "08:00-20:00", "22:00-06:00", "14:00-14:59"]),
        "max_open": st.sampled_from([1, 1, 2, None]),
        "active": st.sampled_from(["是", "是", "是", "否"]),
    }),
    min_size=1,
    max_size=6,
)  # fmt: skip


def summary_body(plan: Any) -> list[tuple[Any, ...]]:
    """The Summary's rows below the lines that say when the pass ran and what it did."""
    return [tuple(row) for row in plan.summary[SUMMARY_HEAD:]]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(peak_requests, peak_volunteers, st.integers(0, 59), st.booleans())
def test_a_second_pass_at_the_peak_plans_nothing(
    requests: list[dict[str, Any]], volunteers: list[dict[str, Any]], seconds: int, rule: bool
) -> None:
    """Capacity runs out midway through the queue (mixed categories and duty hours), the clock
    has seconds, and an assignment condition may read the candidate's open tasks."""
    from builders import request, volunteer

    rules = rules_with_open_condition() if rule else RULES
    now = NOW + timedelta(seconds=seconds)
    tabs = {
        REQUESTS: grid("requests", [request(f"居民{i}", phone=f"1384000{i:04d}", **fields)
                                    for i, fields in enumerate(requests)]),
        VOLUNTEERS: grid("volunteers", [volunteer(**fields) for fields in volunteers]),
        STOCK: grid("stock", []),
        SUMMARY: [],
        LOG: [[c.label("zh") for c in SCHEMA.tab("log").columns]],
    }  # fmt: skip
    first = build_plan(snapshot_of(tabs), rules, now, TZ, SCHEMA)
    after = apply_in_memory(tabs, first)
    second = build_plan(snapshot_of(after), rules, now, TZ, SCHEMA)
    assert second.changes == ()
    assert second.log == ()
    assert summary_body(second) == summary_body(first)


@functools.cache
def rules_with_open_condition() -> Rules:
    """The shipped rules plus a condition whose verdict changes as the pass fills volunteers up."""
    folder = Path(tempfile.mkdtemp(prefix="aidsync-peak-rules-"))
    shutil.copytree(default_rules_dir(), folder, dirs_exist_ok=True)
    assignment = folder / "assignment.yaml"
    assignment.write_text(
        assignment.read_text(encoding="utf-8")
        + "    - name: 非急单只派给空闲的人\n"
        + '      when: volunteer_open < 1 or urgency == "urgent"\n',
        encoding="utf-8",
    )
    return load_rules(folder, SCHEMA)


def test_the_peak_workload_outnumbers_capacity() -> None:
    """The benchmark's peak sizes really are a peak: far more waiting than volunteers can take."""
    rows = generate(SIZES["peak-3k"], 1)
    plan = build_plan(snapshot_of(to_grids(rows)), RULES, NOW, TZ, SCHEMA)
    assert plan.stats["assigned"] < plan.stats["escalated"] + plan.stats.get("needs_info", 0)
    assert plan.stats["escalated"] > 300


@pytest.fixture(scope="module")
def peak_grids() -> dict[str, list[list[Any]]]:
    """3,000 requests and 100 volunteers, most of them soon full (benchmarks/generate.py)."""
    return to_grids(generate(SIZES["peak-3k"], 1))


def test_on_both_backends_a_second_pass_at_the_peak_changes_nothing(
    make: Any, peak_grids: dict[str, list[list[Any]]]
) -> None:
    world = make({title: [list(r) for r in rows] for title, rows in peak_grids.items()})
    first = world.run()
    assert first.plan.stats["escalated"] > 300  # many requests nobody could take
    before = {title: world.values(title) for title in WORKING}
    summary = world.values(SUMMARY)
    second = world.run()
    assert second.plan.changes == () and second.plan.log == ()
    assert {title: world.values(title) for title in WORKING} == before
    assert world.values(SUMMARY)[SUMMARY_HEAD:] == summary[SUMMARY_HEAD:]


def sync_command(book: Path) -> list[str]:
    now = "2022-12-20T15:00:37+08:00"
    return [sys.executable, "-m", "sync", "sync", "--workbook", str(book), "--now", now, "-q"]


def working_tabs(book: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(book, read_only=True)
    return {title: [tuple(r) for r in workbook[title].iter_rows(values_only=True)]
            for title in WORKING}  # fmt: skip


def test_passes_killed_at_the_peak_converge_to_an_uninterrupted_pass(tmp_path: Path) -> None:
    """A few kills here; reliability/crash.py runs the long campaign."""
    original = write_xlsx(tmp_path / "original.xlsx", generate(SIZES["peak-3k"], 1))
    reference = tmp_path / "reference.xlsx"
    shutil.copy(original, reference)
    started = time.monotonic()
    subprocess.run(sync_command(reference), check=True, timeout=300)
    duration = time.monotonic() - started
    expected = working_tabs(reference)
    rng = random.Random(3000)
    for trial in range(3):
        book = tmp_path / f"trial{trial}.xlsx"
        shutil.copy(original, book)
        with subprocess.Popen(sync_command(book)) as proc:
            time.sleep(rng.uniform(duration * 0.3, duration * 0.95))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        subprocess.run(sync_command(book), check=True, timeout=300)
        assert working_tabs(book) == expected, f"trial {trial} did not converge"
