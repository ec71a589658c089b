"""The concurrent-edit campaign on Feishu, seeded and small: a person edits the Requests tab
(claims a row, changes a status, types a note, sorts, inserts or deletes a row) before the
k-th API call of a pass, or after it; with reliability.concurrent's checker, no human edit is
lost and no worker cell lands on a wrong row, and two more passes converge.

The moment Google cannot see (after the check, before the write) is covered on Feishu by the
write's revision: the look after the write puts back what slid. Two edits in that instant may
still be lost, as on Google: a claim or a status typed into the very cell the write sets (the
write wins), and a row pushed down onto the rows the write appends when the row above them is
new too (nothing tells where it came from; the appended cells may then mix with that row's):
the Log then asks people to check those rows. Neither is ever silent about a wrong row.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator.feishu import FeishuEmulator
from emulator.feishu.world import FeishuWorld, trimmed

from reliability import edits
from reliability.common import LOG, NOW, REQUESTS, make_sample, read_xlsx
from reliability.concurrent import RULES, Outcome, check, follow_up, moment, reference
from sync.worker import run_pass

TRIALS = 24
ASK = "无法确认新增的行"  # the Log's check_appended_rows line


@pytest.fixture(scope="module")
def emulator() -> Iterator[FeishuEmulator]:
    """One emulator for the campaign."""
    with FeishuEmulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    """The sample afternoon's grids (the campaign's starting workbook)."""
    folder = tmp_path_factory.mktemp("sample")
    return read_xlsx(make_sample(folder / "sample.xlsx"))


def trial(
    emulator: FeishuEmulator, folder: Path, start: dict[str, list[list[Any]]], n: int,
    rng: random.Random,
) -> tuple[Outcome, bool, bool]:  # fmt: skip
    """One pass with an edit before call `target`: (outcome, edited between check and write,
    the Log asks people to check appended rows)."""
    world = FeishuWorld(emulator, folder, start)
    for sheet in emulator.book(world.token).sheets:  # dressed as init leaves it: a steady pass
        sheet.frozen_rows = 1
    volunteers = [r[1] for r in start["志愿者"][1:] if len(r) > 1 and r[1]]
    edit = edits.choose(trimmed(start[REQUESTS]), volunteers, rng, n)
    outcome = Outcome("feishu", edit["kind"])
    target = rng.randint(1, 5)
    seen: dict[str, Any] = {"n": 0, "calls": []}

    def make_edit() -> None:
        def change(grid: list[list[Any]]) -> None:
            seen["before"] = trimmed(grid)
            seen["expect"] = edits.apply(grid, edit)
            seen["after"] = trimmed(grid)

        emulator.human_edit(world.token, REQUESTS, change)

    def hook(record: Any) -> None:
        seen["n"] += 1
        seen["calls"].append(record.endpoint)
        if seen["n"] == target and "after" not in seen:
            make_edit()
            seen["at"] = len(seen["calls"])

    emulator.before_request(hook)
    try:
        run_pass(world.backend, world.settings, moment(NOW), rules=RULES)
    finally:
        emulator.before_request(None)
    calls = seen["calls"]
    reads = [i for i, c in enumerate(calls, start=1) if c == "values_batch_get"]
    writes = [i for i, c in enumerate(calls, start=1) if c == "values_batch_update"]
    window = bool(len(reads) > 1 and writes and reads[1] < seen.get("at", 0) <= writes[0])
    if "after" not in seen:
        make_edit()
    final = {s.title: trimmed(emulator.values(world.token, s.title))
             for s in emulator.book(world.token).sheets}  # fmt: skip
    person_left = {**start, REQUESTS: seen["after"]}
    versions = [trimmed(start[REQUESTS]), seen["before"], seen["after"],
                reference(start, NOW)[REQUESTS], reference(person_left, NOW)[REQUESTS]]  # fmt: skip
    check(outcome, final, versions, person_left, seen["expect"])
    follow_up(outcome, world.backend, world.settings, NOW)
    asked = any(ASK in str(line) for line in final.get(LOG, []))
    return outcome, window, asked


def test_edits_at_any_moment_of_a_pass_lose_nothing_and_misplace_nothing(
    emulator: FeishuEmulator, start: dict[str, list[list[Any]]], tmp_path: Path
) -> None:
    rng = random.Random(14)
    outcomes = [trial(emulator, tmp_path, start, n, rng) for n in range(1, TRIALS + 1)]
    same_cell = {"claim", "status"}

    def excused(outcome: Outcome, window: bool, asked: bool) -> bool:
        """The two losses of that instant: the same cell, or rows the Log asks to check."""
        if not window:
            return False
        return (outcome.kind in same_cell and not outcome.wrong) or asked

    wrong = [(o.kind, o.problems) for o, w, a in outcomes if o.wrong and not excused(o, w, a)]
    assert wrong == []  # no worker cell on a wrong row that nobody is told about
    lost = [(o.kind, o.problems) for o, w, a in outcomes if o.lost and not excused(o, w, a)]
    assert lost == []  # no human edit lost outside the two cases above
    assert all(o.converged for o, _w, _a in outcomes)
    assert len({o.kind for o, _w, _a in outcomes}) >= 4  # several kinds of edit were tried
    assert sum(1 for _o, window, _a in outcomes if window) >= 3  # and the instant before a write
