"""Properties on Feishu (Hypothesis): whatever people type, a pass never turns a cell into a
formula, never changes a cell people own, and a second pass plans nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator.feishu import FeishuEmulator, Formula
from emulator.feishu.world import FeishuWorld
from gsheets_fixtures import REQUESTS, SCHEMA, VOLUNTEERS, request, volunteer, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

typed = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["=1+1", "=IMPORTRANGE(\"x\")", "+86 138 0000 0000", "-5", "@张伟", "007",
                     "2022-12-20", "14:30", "1,000", "50%", "  ", "=", "全角１２３"]),
    st.integers(min_value=-10**9, max_value=10**12),
)  # fmt: skip
HUMAN = SCHEMA.tab("requests").owned_by("human")


_NOW = [1_000_000.0]  # the emulator's clock: it moves only when the client waits


@pytest.fixture(scope="module")
def emulator() -> Iterator[FeishuEmulator]:
    """One emulator for every example; its rate limits see time pass as the client waits (the
    examples run faster than a person could make spreadsheets)."""
    with FeishuEmulator(clock=lambda: _NOW[0]) as emu:
        yield emu


def _wait(seconds: float) -> None:
    _NOW[0] += seconds


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.fixed_dictionaries({k: typed for k in ("items", "address", "notes",
                                                          "name")}), min_size=1, max_size=5))  # fmt: skip
def test_typed_text_never_becomes_a_formula_and_human_cells_survive(
    emulator: FeishuEmulator, tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    requests = [request(f"居民{i}", **{k: v for k, v in r.items() if k != "name"})
                for i, r in enumerate(rows)]  # fmt: skip
    world = FeishuWorld(emulator, tmp_path, workbook(requests, [volunteer("张伟")]))
    world.backend.client.sleep = _wait
    world.backend.client.clock = lambda: _NOW[0]
    keys = SCHEMA.tab("requests").keys()
    human_cols = [keys.index(k) for k in HUMAN]
    before = [[r[c] if c < len(r) else None for c in human_cols]
              for r in emulator.values(world.token, REQUESTS)]  # fmt: skip
    world.run()
    for title in (REQUESTS, VOLUNTEERS, *(s.title for s in emulator.book(world.token).sheets)):
        cells = [v for row in emulator.sheet(world.token, title).cells for v in row]
        assert not any(isinstance(v, Formula) for v in cells), title
    after = [[r[c] if c < len(r) else None for c in human_cols]
             for r in emulator.values(world.token, REQUESTS)]  # fmt: skip
    assert after[: len(before)] == before
    assert world.run().plan.changes == ()
