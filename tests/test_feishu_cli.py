"""The aidsync command on Feishu, through the real entry point against the emulator: init,
sync --now with the same results as on a local workbook, bad settings exit 2 without ever
printing the app secret, a service that stays down exits 1."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from emulator.feishu import FeishuEmulator
from emulator.feishu.world import cli_env, trimmed
from gsheets_fixtures import AIDSYNC, SCHEMA, by_name
from shown import shown_rows

from sync.backends.feishu import http

NOW = "2022-12-20T15:00"
TABS = ("requests", "volunteers")


@pytest.fixture
def emulator() -> Iterator[FeishuEmulator]:
    """A running emulator."""
    with FeishuEmulator() as emu:
        yield emu


def aidsync(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command."""
    return subprocess.run(
        [str(AIDSYNC), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180
    )


def same(value: Any) -> str:
    """A cell compared across backends: numbers as numbers, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def worker_cells(rows: list[list[Any]], tab: str) -> dict[str, tuple[str, ...]]:
    """Each row's cells (by name), as text."""
    return {name: tuple(same(v) for v in cells) for name, cells in by_name(rows, tab).items()}


def test_init_then_sync_gives_the_local_workbooks_results(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    token = emulator.create_spreadsheet("互助", {"Sheet1": []})
    env = cli_env(emulator, tmp_path / "state")
    where = ["--feishu", f"https://acme.feishu.cn/sheets/{token}"]
    init = aidsync(["init", *where, "--locale", "zh", "--sample"], env, tmp_path)
    assert init.returncode == 0, init.stderr
    assert "添加了「需求登记」表" in init.stdout and token in init.stdout
    again = aidsync(["init", *where], env, tmp_path)
    assert again.returncode == 0 and "各表和表头都已齐全，没有改动" in again.stdout, again.stdout

    dry = aidsync(["sync", *where, "--now", NOW, "--dry-run"], env, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert emulator.values(token, "需求登记")[1][0] is None  # nothing was written

    env["AIDSYNC_FEISHU"] = token
    synced = aidsync(["sync", "--now", NOW], env, tmp_path)
    assert synced.returncode == 0, synced.stderr

    book = tmp_path / "local.xlsx"
    local_env = {k: v for k, v in env.items() if not k.startswith("AIDSYNC_FEISHU")}
    assert aidsync(["init", "--workbook", str(book), "--locale", "zh", "--sample"],
                   local_env, tmp_path).returncode == 0  # fmt: skip
    assert aidsync(["sync", "--workbook", str(book), "--now", NOW], local_env,
                   tmp_path).returncode == 0  # fmt: skip
    local = openpyxl.load_workbook(book)
    for key in TABS:
        title = SCHEMA.tab(key).title("zh")
        feishu_rows = trimmed(emulator.values(token, title))
        local_rows = trimmed(shown_rows(local[title].iter_rows(values_only=True)))
        assert worker_cells(feishu_rows, key) == worker_cells(local_rows, key), key

    check = aidsync(["check", "--now", NOW], env, tmp_path)
    assert check.returncode == 1  # the sample has rows for people to fix
    assert "处需要人工处理" in check.stdout  # the words of a Chinese workbook
    assert "10,000" in check.stdout  # the monthly call budget
    everything = init.stdout + init.stderr + synced.stdout + synced.stderr + check.stdout
    assert emulator.app_secret not in everything


def test_a_wrong_app_secret_exits_2_and_is_never_printed(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    token = emulator.create_spreadsheet("互助", {"Sheet1": []})
    env = cli_env(emulator, tmp_path / "state")
    env["AIDSYNC_FEISHU_APP_SECRET"] = "wrong-secret-Zq81"
    for command in (["sync"], ["check"], ["init"], ["status"]):
        done = aidsync([*command, "--feishu", token], env, tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert "凭证与基础信息" in done.stderr
        assert "wrong-secret-Zq81" not in done.stdout + done.stderr
        assert emulator.app_secret not in done.stdout + done.stderr
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("wrong-secret-Zq81\n", encoding="utf-8")
    del env["AIDSYNC_FEISHU_APP_SECRET"]
    env["AIDSYNC_FEISHU_APP_SECRET_FILE"] = str(secret_file)
    done = aidsync(["sync", "--feishu", token], env, tmp_path)
    assert done.returncode == 2 and "wrong-secret-Zq81" not in done.stdout + done.stderr


def test_settings_errors_exit_2(emulator: FeishuEmulator, tmp_path: Path) -> None:
    token = emulator.create_spreadsheet("私有", {"需求登记": []}, shared=False)
    env = cli_env(emulator, tmp_path / "state")
    not_added = aidsync(["sync", "--feishu", token], env, tmp_path)
    assert not_added.returncode == 2 and "添加文档应用" in not_added.stderr
    bad_link = aidsync(["sync", "--feishu", "https://acme.feishu.cn/wiki/wikcn0123456789abc"],
                       env, tmp_path)  # fmt: skip
    assert bad_link.returncode == 2 and "obj_token" in bad_link.stderr
    del env["AIDSYNC_FEISHU_APP_ID"]
    no_app = aidsync(["sync", "--feishu", token], env, tmp_path)
    assert no_app.returncode == 2 and "AIDSYNC_FEISHU_APP_ID" in no_app.stderr
    toml = tmp_path / "aidsync.toml"
    toml.write_text('[aidsync]\nfeishu_app_secret = "x"\n', encoding="utf-8")
    in_file = aidsync(["sync", "--feishu", token, "--config", str(toml)], env, tmp_path)
    assert in_file.returncode == 2 and "AIDSYNC_FEISHU_APP_SECRET" in in_file.stderr


def test_a_service_that_stays_down_exits_1_after_bounded_retries(
    emulator: FeishuEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Through sync.cli.main in-process, so the backoff's sleeps can be skipped."""
    from sync import cli

    token = emulator.create_spreadsheet("互助", {"需求登记": [["编号"]]})
    slept: list[float] = []
    monkeypatch.setattr(http, "pause", slept.append)
    for name, value in cli_env(emulator, tmp_path / "state").items():
        if name.startswith("AIDSYNC_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["aidsync", "sync", "--feishu", token])
    emulator.down = True
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert f"Feishu spreadsheet {token}" in err and "503" in err
    assert len(slept) == http.RetryPolicy().attempts - 1


def test_a_fleet_lists_feishu_spreadsheets_in_aidsync_toml(
    emulator: FeishuEmulator, tmp_path: Path
) -> None:
    from gsheets_fixtures import request, volunteer, workbook

    tabs = workbook([request("王秀英")], [volunteer("张伟")])
    first = emulator.create_spreadsheet("重工街道", tabs)
    second = emulator.create_spreadsheet("启工街道", tabs)
    (tmp_path / "aidsync.toml").write_text(
        "[aidsync]\n"
        f'[[aidsync.workbooks]]\nname = "重工"\nfeishu = "{first}"\n'
        f'[[aidsync.workbooks]]\nname = "启工"\nfeishu = "https://acme.feishu.cn/sheets/{second}"\n',
        encoding="utf-8",
    )
    env = cli_env(emulator, tmp_path / "state")
    done = aidsync(["sync", "--now", NOW], env, tmp_path)
    assert done.returncode == 0, done.stderr
    for token in (first, second):
        assert emulator.values(token, "需求登记")[1][0] == "R-0001"


def test_the_settings_never_show_the_app_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """A traceback or a debug print of the settings must not carry the secret."""
    from sync.config import load_settings

    monkeypatch.setenv("AIDSYNC_FEISHU_APP_SECRET", "s3cr3t-Zq81-value")
    settings = load_settings({"feishu": "shtcnABCDEFGHIJ0123456789"}, cwd=Path("/"))
    assert settings.option("feishu_app_secret") == "s3cr3t-Zq81-value"  # the backend gets it
    assert "s3cr3t-Zq81-value" not in repr(settings) + str(settings)
