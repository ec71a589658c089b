"""A Chinese reader gets the commands' help in Chinese; every option has its Chinese words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from sync.cli import cli
from sync.messages import CATALOG

COMMANDS = sorted(cli.commands)


def aidsync(lang: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIDSYNC_LANG": lang, "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_the_help_of_each_command_is_chinese_for_a_chinese_reader(
    command: str, tmp_path: Path
) -> None:
    out = aidsync("zh", *([command] if command else []), "--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("用法：")
    assert "选项：" in out.stdout and "显示本帮助并退出。" in out.stdout
    for english in ("Usage", "Options", "Show this message", "[default", "Examples"):
        assert english not in out.stdout
    if command:
        assert "例子：" in out.stdout


def test_the_group_lists_its_commands_in_chinese(tmp_path: Path) -> None:
    out = aidsync("zh", "--help", cwd=tmp_path)
    assert "命令：" in out.stdout and "运行一轮同步" in out.stdout


def test_every_option_has_chinese_help() -> None:
    missing = []
    for name in ["cli", *COMMANDS]:
        command = cli if name == "cli" else cli.commands[name]
        assert f"help_{name}" in CATALOG
        for param in command.params:
            if isinstance(param, click.Option) and param.help is not None:
                codes = (f"help_{name}_{param.name}", f"help_opt_{param.name}")
                if not any(code in CATALOG for code in codes):
                    missing.append(f"{name} --{param.name}")
    assert missing == []


def test_chinese_help_lines_fit_the_screen(tmp_path: Path) -> None:
    from sync.values import display_width

    out = aidsync("zh", "sync", "--help", cwd=tmp_path)
    assert max(display_width(line) for line in out.stdout.splitlines()) <= 100
    assert not any(line.lstrip().startswith(("。", "，", "）")) for line in out.stdout.splitlines())
