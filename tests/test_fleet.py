"""Many workbooks from one aidsync.toml: a shared Google quota, one lock each, failures isolated."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from pathlib import Path
from typing import Any

import filelock
import pytest
from builders import read_workbook, request, save_workbook, volunteer, zh_tabs
from emulator import SheetsEmulator
from gsheets_fixtures import request as sheet_request
from gsheets_fixtures import volunteer as sheet_volunteer
from gsheets_fixtures import workbook as sheet_workbook

from sync.backends.gsheets import GSheetsBackend
from sync.backends.gsheets.quota import Budget, bucket_for
from sync.config import Settings, WorkbookEntry, load_settings, load_workbooks
from sync.errors import ConfigError
from sync.resources import default_rules_dir
from sync.worker import run_fleet

NOW = "2022-12-20T15:00:00+08:00"


class FakeClock:
    """Time that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def most_in_any_minute(times: list[float]) -> int:
    window: deque[float] = deque()
    most = 0
    for t in sorted(times):
        window.append(t)
        while window[0] <= t - 60:
            window.popleft()
        most = max(most, len(window))
    return most


# -- the budget ----------------------------------------------------------------------------------
@pytest.mark.parametrize("per_minute,burst", [(60, 10), (300, 50), (5, 10)])
def test_a_bucket_never_lets_more_than_its_limit_through_in_any_minute(
    per_minute: int, burst: int
) -> None:
    bucket = bucket_for(per_minute, burst)
    assert bucket.capacity + bucket.per_second * 60 <= per_minute + 1e-9


def test_the_budget_keeps_each_account_and_the_project_within_google_limits() -> None:
    clock = FakeClock()
    budget = Budget(clock=clock, sleep=clock.sleep)
    sent: dict[str, list[float]] = {}
    for i in range(900):
        user = f"robot{i % 9}"  # nine service accounts of one project
        budget.acquire(user, "district")
        sent.setdefault(user, []).append(clock())
    assert max(most_in_any_minute(times) for times in sent.values()) <= 60
    assert most_in_any_minute([t for times in sent.values() for t in times]) <= 300
    assert budget.waited > 0
    # Two projects do not share a budget.
    fresh = Budget(clock=clock, sleep=clock.sleep)
    fresh.acquire("a", "one")
    fresh.acquire("b", "two")
    assert fresh.waited == 0


# -- the list of workbooks -----------------------------------------------------------------------
def write_config(folder: Path, body: str) -> Path:
    path = folder / "aidsync.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_workbooks_are_read_from_the_config_with_their_own_overrides(tmp_path: Path) -> None:
    (tmp_path / "rules-b").mkdir()
    config = write_config(
        tmp_path,
        """
[aidsync]
timezone = "Asia/Shanghai"

[[aidsync.workbooks]]
name = "重工街道"
workbook = "a.xlsx"

[[aidsync.workbooks]]
workbook = "sub/b.xlsx"
rules = "rules-b"
timezone = "Europe/London"

[[aidsync.workbooks]]
name = "滑翔街道"
spreadsheet = "1AbCdEfGhIjKlMnOp"
credentials = "key.json"
""",
    )
    settings = load_settings({"config": config}, environ={}, cwd=tmp_path)
    entries = load_workbooks(settings)
    assert [e.name for e in entries] == ["重工街道", "b.xlsx", "滑翔街道"]
    assert entries[0].settings.workbook == tmp_path / "a.xlsx"
    assert entries[1].settings.rules == tmp_path / "rules-b"
    assert str(entries[1].settings.timezone) == "Europe/London"
    assert entries[2].settings.spreadsheet == "1AbCdEfGhIjKlMnOp"
    assert entries[2].settings.credentials == tmp_path / "key.json"
    assert entries[2].settings.workbook is None


@pytest.mark.parametrize(
    "entries,message",
    [
        ('workbook = "a.xlsx"\nspreadsheet = "1x"', "exactly one of"),
        ('name = "x"', "exactly one of"),
        ('workbook = "a.xlsx"\nowner = "me"', "unknown key owner"),
        ('workbook = "a.xlsx"\n[[aidsync.workbooks]]\nworkbook = "./a.xlsx"', "same workbook"),
        ('workbook = "a.xlsx"\ntimezone = "Mars/Base"', "unknown time zone"),
    ],
)
def test_mistakes_in_the_list_name_the_entry(tmp_path: Path, entries: str, message: str) -> None:
    config = write_config(tmp_path, f"[aidsync]\n[[aidsync.workbooks]]\n{entries}\n")
    settings = load_settings({"config": config}, environ={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="workbook #") as failed:
        load_workbooks(settings)
    assert message in str(failed.value)


# -- local workbooks through the command ---------------------------------------------------------
def aidsync(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "GOOGLE_"))}
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


def district(tmp_path: Path) -> None:
    for name in ("a", "c"):
        save_workbook(tmp_path / f"{name}.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    write_config(
        tmp_path,
        "[aidsync]\n"
        + "".join(f'[[aidsync.workbooks]]\nname = "{n}"\nworkbook = "{n}.xlsx"\n' for n in "abc"),
    )


def ids(path: Path) -> list[Any]:
    rows = read_workbook(path)["需求登记"]
    return [r[0] for r in rows[1:]]


def test_one_missing_workbook_does_not_stop_the_others(tmp_path: Path) -> None:
    district(tmp_path)  # b.xlsx does not exist
    out = aidsync("sync", "--now", NOW, cwd=tmp_path)
    assert out.returncode == 2  # the worst of the passes': a workbook that does not exist
    assert "Error: [b]" in out.stderr and "failed: b" in out.stderr
    assert "[a]" in out.stdout and "[c]" in out.stdout
    assert ids(tmp_path / "a.xlsx") == ["R-0001"] and ids(tmp_path / "c.xlsx") == ["R-0001"]


def test_a_workbook_busy_elsewhere_is_skipped_and_only_picks_one(tmp_path: Path) -> None:
    district(tmp_path)
    save_workbook(tmp_path / "b.xlsx", zh_tabs([request("乙")], [volunteer("段珊珊")]))
    with filelock.FileLock(str(tmp_path / ".a.xlsx.aidsync-lock")):
        out = aidsync("sync", "--now", NOW, cwd=tmp_path)
    assert out.returncode == 3, out.stderr
    assert "Error: [a] another aidsync pass is running" in out.stderr
    assert ids(tmp_path / "a.xlsx") == [None]
    assert ids(tmp_path / "b.xlsx") == ["R-0001"]
    only = aidsync("sync", "--now", NOW, "--only", "a", cwd=tmp_path)
    assert only.returncode == 0 and ids(tmp_path / "a.xlsx") == ["R-0001"]
    unknown = aidsync("sync", "--only", "z", cwd=tmp_path)
    assert unknown.returncode == 2 and "listed: a, b, c" in unknown.stderr
    dry = aidsync("sync", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 2 and "--only NAME" in dry.stderr


# -- Google spreadsheets sharing one quota ---------------------------------------------------------
def test_many_spreadsheets_share_one_quota_and_never_hit_429(tmp_path: Path) -> None:
    clock = FakeClock()
    with SheetsEmulator(clock=clock) as emu:
        key = tmp_path / "key.json"
        emu.make_service_account_key(key)
        tabs = sheet_workbook([sheet_request("王秀英")], [sheet_volunteer("张伟")])

        def entries() -> list[WorkbookEntry]:
            found = []
            for i in range(40):
                sid = emu.create_spreadsheet(f"街道{i}", {k: list(v) for k, v in tabs.items()})
                settings = Settings(spreadsheet=sid, credentials=key, rules=default_rules_dir(),
                                    sheets_endpoint=emu.base_url, state_dir=tmp_path / "state")  # fmt: skip
                found.append(WorkbookEntry(f"街道{i}", settings))
            return found

        def serve(budget: Budget | None) -> list[Any]:
            emu.quota.reset()
            return run_fleet(
                entries(),
                lambda s: GSheetsBackend.from_settings(s, sleep=clock.sleep, budget=budget),
                lambda s: __import__("datetime").datetime.fromisoformat(NOW),
                workers=4,
            )

        start = len(emu.sheets_requests)
        shared = serve(Budget(clock=clock, sleep=clock.sleep))
        calls = emu.sheets_requests[start:]
        assert all(o.error is None for o in shared), [o.error for o in shared if o.error]
        assert len(calls) > 120  # far more than one minute's quota
        assert [c.status for c in calls if c.status != 200] == []
        assert most_in_any_minute([c.time for c in calls]) <= 60

        # Without the shared budget the same work runs into Google's quota.
        start = len(emu.sheets_requests)
        clock.now += 120
        serve(None)
        assert 429 in [c.status for c in emu.sheets_requests[start:]]
