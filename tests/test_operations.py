"""Running aidsync for months: status for monitoring, JSON logs, quiet cron, key-file hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import read_workbook, request, save_workbook, volunteer, zh_tabs
from emulator import SheetsEmulator
from gsheets_fixtures import cli_env
from gsheets_fixtures import request as sheet_request
from gsheets_fixtures import volunteer as sheet_volunteer
from gsheets_fixtures import workbook as sheet_workbook
from shown import shown

NOW = "2022-12-20T15:00:00+08:00"
PHONES = ("13840001005", "13904121001")  # the fixtures' resident and volunteer numbers


def small_workbook() -> dict[str, list[list[object]]]:
    return sheet_workbook(
        [
            sheet_request("王秀英", household="独居", urgency="紧急"),
            sheet_request("刘芳", phone=""),
        ],
        [sheet_volunteer("张伟")],
    )


def aidsync(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "GOOGLE_"))}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "sync", *args], capture_output=True, text=True, env=full, timeout=120
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return save_workbook(
        tmp_path / "aid.xlsx",
        zh_tabs([request("王奶奶", household="独居", urgency="紧急")], [volunteer("段珊珊")]),
    )


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        yield emu


# -- aidsync status -----------------------------------------------------------------------------
def test_status_is_ok_after_a_pass_and_stale_when_the_worker_stops(book: Path) -> None:
    never = aidsync("status", "--workbook", str(book), "--now", NOW)
    assert never.returncode == 1
    assert "汇总表里没有成功同步的记录" in never.stderr

    assert aidsync("sync", "--workbook", str(book), "--now", NOW).returncode == 0
    fresh = aidsync("status", "--workbook", str(book), "--now", "2022-12-20T15:12:00+08:00")
    assert fresh.returncode == 0, fresh.stderr
    assert "正常：最近一次成功同步在 2022-12-20 15:00（12 分钟前）" in fresh.stdout

    late = "2022-12-20T17:00:00+08:00"
    stale = aidsync("status", "--workbook", str(book), "--now", late, "--max-age", "1h")
    assert stale.returncode == 1
    assert "已停止" in stale.stderr and "（2 小时前）" in stale.stderr
    relaxed = aidsync("status", "--workbook", str(book), "--now", late, "--max-age", "3h")
    assert relaxed.returncode == 0


def test_the_summary_says_when_the_last_pass_ran_in_plain_words(book: Path) -> None:
    aidsync("sync", "--workbook", str(book), "--now", NOW)
    summary = read_workbook(book)["汇总"]
    row = next(r for r in summary if r and r[0] == "最近一次同步")
    assert shown(row[1]) == "2022-12-20 15:00"
    assert "自动同步已停止" in str(row[2])


def test_status_reads_an_english_workbook_and_speaks_json(tmp_path: Path) -> None:
    book = tmp_path / "en.xlsx"
    assert aidsync("init", "--workbook", str(book), "--locale", "en", "--sample").returncode == 0
    assert aidsync("sync", "--workbook", str(book), "--now", NOW).returncode == 0
    out = aidsync(
        "status", "--workbook", str(book), "--now", "2022-12-20T16:00:00+08:00",
        "--max-age", "30m", "--log-format", "json",
    )  # fmt: skip
    assert out.returncode == 1
    record = json.loads(out.stdout)
    assert record["ok"] is False and record["event"] == "status"
    assert record["age_seconds"] == 3600 and record["max_age_seconds"] == 1800
    assert record["last_pass"].startswith("2022-12-20T15:00")


def test_status_rejects_an_unreadable_age(book: Path) -> None:
    out = aidsync("status", "--workbook", str(book), "--max-age", "soon")
    assert out.returncode == 2 and "--max-age" in out.stderr


# -- logs for people and for collectors ----------------------------------------------------------
def test_json_log_is_one_record_per_pass_without_personal_details(book: Path) -> None:
    out = aidsync("sync", "--workbook", str(book), "--now", NOW, "--log-format", "json")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["event"] == "pass" and record["written_cells"] > 0
    assert record["stats"]["assigned"] == 1
    assert any(d["ref"] == "R-0001" for d in record["decisions"])
    for secret in (*PHONES, "王奶奶", "段珊珊", "海兴花园"):
        assert secret not in out.stdout


def test_json_errors_carry_the_exit_code(tmp_path: Path) -> None:
    out = aidsync("sync", "--workbook", str(tmp_path / "missing.xlsx"), "--log-format", "json")
    assert out.returncode == 2  # no such workbook: a setting to fix
    record = json.loads(out.stderr.strip().splitlines()[-1])
    assert record["level"] == "error" and record["exit_code"] == 2
    assert "missing.xlsx" in record["message"] and "aidsync init" in record["message"]


def test_quiet_prints_nothing_when_all_is_well_and_the_error_when_not(book: Path) -> None:
    ok = aidsync("sync", "--workbook", str(book), "--now", NOW, "--quiet")
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr == ""
    (book.parent / f".~lock.{book.name}#").write_text("someone,at,desk")
    held = aidsync("sync", "--workbook", str(book), "--now", NOW, "--quiet")
    assert held.returncode == 1 and held.stdout == ""
    # the error, prefix included, in the workbook's language (the book is a Chinese one)
    assert held.stderr.startswith("错误：") and "正在办公软件里打开" in held.stderr


def test_text_output_masks_phone_numbers(book: Path) -> None:
    out = aidsync("sync", "--workbook", str(book), "--now", NOW)
    assert out.returncode == 0
    for phone in PHONES:
        assert phone not in out.stdout + out.stderr
    dry = aidsync("sync", "--workbook", str(book), "--now", NOW, "--dry-run")
    for phone in PHONES:
        assert phone not in dry.stdout + dry.stderr


# -- credentials ---------------------------------------------------------------------------------
def _key_secrets(key: dict[str, str]) -> list[str]:
    body = [line for line in key["private_key"].splitlines() if "PRIVATE KEY" not in line]
    return [key["client_email"], key["private_key_id"], *body]


def test_credentials_never_appear_in_output_logs_or_the_sheet(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    key_file = tmp_path / "key.json"
    key = emulator.make_service_account_key(key_file)
    key_file.chmod(0o600)
    sid = emulator.create_spreadsheet("互助", small_workbook())
    private = emulator.create_spreadsheet("私有", small_workbook(), readers=["boss@example.com"])
    env = cli_env(emulator, tmp_path / "state")
    creds = ["--credentials", str(key_file)]
    runs = [
        aidsync("init", "--spreadsheet", sid, *creds, env=env),
        aidsync("check", "--spreadsheet", sid, *creds, "--now", NOW, env=env),
        aidsync("sync", "--spreadsheet", sid, *creds, "--now", NOW, env=env),
        aidsync(
            "sync", "--spreadsheet", sid, *creds, "--now", NOW, "--log-format", "json", env=env
        ),
        aidsync("sync", "--spreadsheet", sid, *creds, "--dry-run", env=env),
        aidsync("report", "--spreadsheet", sid, *creds, "--now", NOW, env=env),
        aidsync("status", "--spreadsheet", sid, *creds, "--now", NOW, env=env),
        aidsync("sync", "--spreadsheet", private, *creds, env=env),  # not shared: 403
        aidsync("sync", "--spreadsheet", "1" + "x" * 43, *creds, env=env),  # 404
    ]
    # A key whose private key is damaged, and one the token endpoint refuses.
    broken = dict(key, private_key=key["private_key"].replace("MII", "XXX", 1))
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    runs.append(aidsync("sync", "--spreadsheet", sid, "--credentials",
                        str(tmp_path / "broken.json"), env=env))  # fmt: skip
    refused = dict(key, client_email="stranger@test-project.iam.gserviceaccount.com")
    (tmp_path / "refused.json").write_text(json.dumps(refused))
    runs.append(aidsync("sync", "--spreadsheet", sid, "--credentials",
                        str(tmp_path / "refused.json"), env=env))  # fmt: skip
    assert runs[2].returncode == 0, runs[2].stderr
    assert {r.returncode for r in runs[7:]} == {2}
    everything = "\n".join(r.stdout + r.stderr for r in runs)
    everything += json.dumps(emulator.get_values(sid, "需求登记"), ensure_ascii=False, default=str)
    everything += json.dumps(emulator.get_values(sid, "同步日志"), ensure_ascii=False, default=str)
    everything += json.dumps(emulator.get_values(sid, "汇总"), ensure_ascii=False, default=str)
    for secret in [*_key_secrets(key), "stranger@test-project"]:
        assert secret not in everything, secret[:12]


def test_check_warns_when_the_key_file_is_readable_by_others(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    key_file = tmp_path / "key.json"
    emulator.make_service_account_key(key_file)
    sid = emulator.create_spreadsheet("互助", small_workbook())
    env = cli_env(emulator, tmp_path / "state")
    key_file.chmod(0o644)
    loose = aidsync("check", "--spreadsheet", sid, "--credentials", str(key_file), env=env)
    assert "can be read by other users" in loose.stderr and "chmod 600" in loose.stderr
    key_file.chmod(0o600)
    tight = aidsync("check", "--spreadsheet", sid, "--credentials", str(key_file), env=env)
    assert "can be read by other users" not in tight.stderr
    assert tight.returncode in (0, 1), tight.stderr
