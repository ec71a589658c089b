"""What a review of a coordinator's first day found, each as a user meets it through the CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from builders import request, save_workbook, volunteer, zh_tabs

NOW = "2022-12-20T15:00:00+08:00"


def aidsync(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env={**env, "AIDSYNC_LANG": "zh"}, timeout=180,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def book(tmp_path: Path) -> Path:
    return save_workbook(tmp_path / "互助.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))


def test_a_period_report_never_writes_over_the_workbook(tmp_path: Path) -> None:
    path = book(tmp_path)
    before = digest(path)
    out = aidsync("report", "--workbook", str(path), "--from", "2022-12-19", "--to",
                  "2022-12-20", "--out", str(path), "--now", NOW, cwd=tmp_path)  # fmt: skip
    assert out.returncode == 2
    assert "就是工作簿本身" in out.stderr
    assert digest(path) == before


def test_init_leaves_a_workbook_an_office_suite_holds_open(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "互助.xlsx", {"需求登记": [["居民姓名"]]})
    before = digest(path)
    (tmp_path / ".~lock.互助.xlsx#").write_text("张三,zhangsan-pc,zhangsan-pc,03.12.2026 09:00,")
    out = aidsync("init", "--workbook", str(path), cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "张三" in out.stderr and digest(path) == before


def test_the_status_tip_of_a_workbook_never_synced_runs_as_it_is(tmp_path: Path) -> None:
    path = book(tmp_path)
    out = aidsync("status", "--workbook", str(path), cwd=tmp_path)
    assert out.returncode == 1
    assert f"sync --workbook {path}" in out.stderr


def test_a_renamed_tab_is_told_to_be_renamed_back(tmp_path: Path) -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["Sheet1"] = tabs.pop("需求登记")
    path = save_workbook(tmp_path / "改名.xlsx", tabs)
    out = aidsync("sync", "--workbook", str(path), "--now", NOW, cwd=tmp_path)
    assert out.returncode == 2
    assert "请改回「需求登记」" in out.stderr


def test_the_log_names_the_chosen_volunteer_with_a_chinese_colon(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = book(tmp_path)
    assert aidsync("sync", "--workbook", str(path), "--now", NOW, cwd=tmp_path).returncode == 0
    log = load_workbook(path)["同步日志"]
    details = [row[4] for row in log.iter_rows(min_row=2, values_only=True) if row[2] == "派单"]
    assert details and all(str(d).startswith("段珊珊：") for d in details)


def test_ctrl_c_before_a_pass_writes_ends_without_a_traceback(
    monkeypatch: object, capsys: object
) -> None:
    import pytest

    from sync.cli import entry

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # as while the rules compile, before any signal handler

    monkeypatch.setattr(entry.cli, "main", interrupted)  # type: ignore[attr-defined]
    monkeypatch.setenv("AIDSYNC_LANG", "zh")  # type: ignore[attr-defined]
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err.strip() == "已中止。"  # type: ignore[attr-defined]


def test_a_rule_mistake_is_said_in_the_workbooks_language_on_an_english_server(
    tmp_path: Path,
) -> None:
    import shutil

    from sync.resources import default_rules_dir

    path = book(tmp_path)
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    priority = rules / "priority.yaml"
    priority.write_text(priority.read_text(encoding="utf-8").replace(
        'household == "living_alone"', 'housold == "living_alone"', 1), encoding="utf-8")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "LC_"))}
    for command in ("check", "sync"):
        out = subprocess.run(
            [sys.executable, "-m", "sync", command, "--workbook", str(path), "--now", NOW],
            capture_output=True, text=True, cwd=tmp_path, env={**env, "LANG": "en_US.UTF-8"},
            timeout=180,
        )  # fmt: skip
        assert out.returncode == 2, out.stderr
        assert out.stderr.startswith("错误：") and "里没有「housold」这个字段" in out.stderr
