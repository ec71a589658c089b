"""Every reliability campaign still runs: each with a tiny trial count (docs/reliability.md).

The full campaigns take tens of minutes; these runs prove the scripts work and that the
promises hold on a few trials.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from reliability import concurrent, crash, faults, fuzz, overlap

CAMPAIGNS: dict[str, tuple[Callable[[list[str] | None], int], list[str]]] = {
    "crash": (crash.main, ["--trials", "1"]),
    "concurrent": (concurrent.main, ["--trials", "3"]),
    "faults": (faults.main, ["--trials", "4"]),
    "overlap": (overlap.main, ["--trials", "1", "--processes", "4"]),
    "fuzz": (fuzz.main, ["--trials", "6"]),
}


@pytest.mark.parametrize("name", list(CAMPAIGNS))
def test_campaign_runs_and_its_promises_hold(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIDSYNC_CAMPAIGN_DIR", str(tmp_path))
    main, argv = CAMPAIGNS[name]
    out = tmp_path / f"{name}.json"
    status = main([*argv, "--seed", "7", "--quiet", "--out", str(out)])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["campaign"] == name
    assert result["command"].startswith(f"python -m reliability.{name} --trials")
    assert result["machine"]["cpus"]
    assert result["figures"]
    assert status == 0, result["findings"]
