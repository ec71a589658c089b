"""Slips on the command line are said in the reader's language, with how to get help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def aidsync(lang: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIDSYNC_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


def test_a_misspelt_option_is_named_with_the_right_one_in_chinese(tmp_path: Path) -> None:
    out = aidsync("zh", "sync", "--noww", "x", cwd=tmp_path)
    assert out.returncode == 2
    assert "错误：没有「--noww」这个选项。是不是「--now」？" in out.stderr
    assert "sync --help」查看用法。" in out.stderr
    assert "Error" not in out.stderr and "Usage" not in out.stderr


def test_a_bad_interval_and_an_unknown_command_in_chinese(tmp_path: Path) -> None:
    out = aidsync("zh", "run", "--every", "xx", "--workbook", "a.xlsx", cwd=tmp_path)
    assert out.returncode == 2
    assert "错误：「--every」的值不对：无法识别间隔「xx」，请写成 30s、5m 或 1h" in out.stderr
    out = aidsync("zh", "frob", cwd=tmp_path)
    assert out.returncode == 2 and "没有「frob」这个命令" in out.stderr
    out = aidsync("zh", "run", "--every", cwd=tmp_path)
    assert out.returncode == 2 and "选项「--every」后面要跟一个值。" in out.stderr


def test_in_english_click_says_it_as_ever(tmp_path: Path) -> None:
    out = aidsync("en", "sync", "--noww", "x", cwd=tmp_path)
    assert out.returncode == 2
    assert "Error: No such option '--noww'. Did you mean '--now'?" in out.stderr
    assert "sync sync --help' for help." in out.stderr
