"""Slips a Chinese keyboard makes in a rule file: named on the line that holds them, with the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import SCHEMA

from sync.errors import RuleError, render_rule_error
from sync.resources import default_rules_dir
from sync.rules import load_rules


def edited(tmp_path: Path, name: str, edit: Callable[[str], str]) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    text = (folder / name).read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text, "the edit did not apply to the shipped file"
    (folder / name).write_text(changed, encoding="utf-8")
    return folder


def line_of(name: str, fragment: str) -> int:
    text = (default_rules_dir() / name).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def refused(folder: Path) -> RuleError:
    with pytest.raises(RuleError) as raised:
        load_rules(folder, SCHEMA)
    return raised.value


# file, the shipped line's text, what the coordinator typed instead,
# words of the English reason and fix, words of the Chinese reason and fix
SLIPS = [
    ("assignment.yaml", "default_max_open: 3", "default_max_open：3",
     ["full-width colon", "use an ASCII colon ':'", "default_max_open: 3"],
     ["中文冒号", "改成英文冒号「:」", "default_max_open: 3"]),
    ("report.yaml", 'daily_at: "18:00"', 'daily_at："18:00"',
     ["full-width colon", 'daily_at: "18:00"'], ["中文冒号", 'daily_at: "18:00"']),
    ("assignment.yaml", "  blank_hours: always", "\tblank_hours: always",
     ["indented with a tab", "indent with spaces, not tabs"], ["Tab 键", "用空格缩进"]),
    ("assignment.yaml", "  blank_hours: always", "\u3000\u3000blank_hours: always",
     ["full-width space"], ["全角空格"]),
    ("communities.yaml", "neighbours: [建设社区, 乐园社区]", "neighbours: [建设社区，乐园社区]",
     ["full-width comma", "reads as one item", "[建设社区, 乐园社区]"],
     ["中文逗号", "用英文逗号「,」", "[建设社区, 乐园社区]"]),
    ("priority.yaml", 'when: household == "living_alone"', "when: household == “living_alone”",
     ["curly quote “", 'when: household == "living_alone"'],
     ["中文引号「“」", '改成英文引号', 'when: household == "living_alone"']),
    ("assignment.yaml", "blank_hours: always", "blank_hours: “always”",
     ["curly quote", '"always"'], ["中文引号"]),
    ("assignment.yaml", "  blank_hours: always", "   blank_hours: always",
     ["indented 3 spaces, the line above 2", "same number of spaces"], ["缩进 3 个空格，上一行是 2 个"]),
    ("assignment.yaml", "  blank_hours: always", " blank_hours: always",
     ["indented 1 space, the line above 2"], ["缩进没对齐"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "shipped", "typed", "english", "chinese"), SLIPS)
def test_each_slip_is_named_on_its_own_line_with_the_fix_in_both_languages(
    tmp_path: Path, name: str, shipped: str, typed: str, english: list[str], chinese: list[str]
) -> None:
    folder = edited(tmp_path, name, lambda text: text.replace(shipped, typed, 1))
    error = refused(folder)
    assert error.path == str(folder / name)
    assert error.line == line_of(name, shipped)
    message = str(error)
    assert message.startswith(f"{folder / name}:{error.line}: "), message
    for words in english:
        assert words in message, message
    zh = render_rule_error(error, "zh")
    assert zh.startswith(f"{folder / name} 第 {error.line} 行："), zh
    assert "改法：" in zh
    for words in chinese:
        assert words in zh, zh
    assert "expected <block end>" not in message + zh
    assert render_rule_error(error, "en") == message


def test_a_full_width_colon_is_named_on_its_line_not_where_yaml_gave_up(tmp_path: Path) -> None:
    folder = edited(tmp_path, "assignment.yaml",
                    lambda t: t.replace("default_max_open: 3", "default_max_open：3"))  # fmt: skip
    error = refused(folder)
    # YAML itself fails four lines further down, at the next key
    assert line_of("assignment.yaml", "default_max_open") == error.line
    assert "blank_hours" not in str(error)


def test_full_width_marks_inside_text_are_left_alone(tmp_path: Path) -> None:
    """Chinese text may hold ：，“” — only where YAML reads them as structure are they slips."""
    text = (
        "priority:\n"
        "  - name: {zh: 独居：请带“健康码”，谢谢, en: alone}\n"
        '    when: items =~ ".*退烧.*"\n'
        "    points: 7\n"
        '  - name: "逗号，也可以"\n'
        '    when: urgency == "urgent"  # 注释里：“随便”写，[甲，乙]\n'
        "    points: 3\n"
    )
    folder = edited(tmp_path, "priority.yaml", lambda _: text)
    rules = load_rules(folder, SCHEMA)
    assert [p.name.zh for p in rules.points] == ["独居：请带“健康码”，谢谢", "逗号，也可以"]


def test_a_quoted_full_width_comma_in_a_list_is_kept(tmp_path: Path) -> None:
    folder = edited(tmp_path, "communities.yaml",
                    lambda t: t.replace("aliases: [创意, Chuangyi]",
                                        'aliases: [创意, "创意，社区"]'))  # fmt: skip
    assert load_rules(folder, SCHEMA).community("创意，社区") == "创意社区"


def test_other_yaml_errors_keep_the_parsers_reason_in_both_languages(tmp_path: Path) -> None:
    folder = edited(tmp_path, "priority.yaml", lambda _: "priority: *nowhere\n")
    error = refused(folder)
    assert "not valid YAML" in str(error)
    assert "不是有效的 YAML" in render_rule_error(error, "zh")


def test_a_rule_error_beyond_yaml_is_said_in_chinese_too(tmp_path: Path) -> None:
    folder = edited(tmp_path, "priority.yaml",
                    lambda t: t.replace('household == "living_alone"', 'housold == "living_alone"'))  # fmt: skip
    error = refused(folder)
    zh = render_rule_error(error, "zh")
    assert zh.startswith(f"{folder / 'priority.yaml'} 第 {error.line} 行：")
    assert "是不是「household」" in zh and "did you mean" not in zh
    assert "did you mean 'household'" in render_rule_error(error, "en")


def test_the_check_command_names_the_slip_and_exits_2(tmp_path: Path) -> None:
    folder = edited(tmp_path, "assignment.yaml",
                    lambda t: t.replace("default_max_open: 3", "default_max_open：3"))  # fmt: skip
    book = tmp_path / "w.xlsx"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    run = [sys.executable, "-m", "sync"]
    made = subprocess.run([*run, "init", "--workbook", str(book)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    assert made.returncode == 0, made.stderr
    out = subprocess.run([*run, "check", "--workbook", str(book), "--rules", str(folder)],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    assert out.returncode == 2
    line = line_of("assignment.yaml", "default_max_open")
    # init made a Chinese workbook, so the slip is said in Chinese whatever the server's language
    assert f"assignment.yaml 第 {line} 行" in out.stderr, out.stderr
    assert "改成英文冒号「:」" in out.stderr
    assert "Traceback" not in out.stderr


# whole files with one slip each: file, text, line of the slip, English words, Chinese words
BROKEN = [
    ("assignment.yaml",
     "assignment:\n  default_max_open: 3\n  ranking: [same_community, fewer_open\n"
     "  blank_hours: always\n", 3, ["not closed with ']'"], ["没有用「]」收尾"]),
    ("report.yaml", 'report:\n  office: "重工街道\n  daily_at: "18:00"\n', 2,
     ["quote opened here is not closed"], ["引号没有收尾"]),
    ("report.yaml", 'report:\n  office: 重工街道: 互助\n  daily_at: "18:00"\n', 2,
     ["holds ': '", 'office: "重工街道: 互助"'], ["用英文引号括起来", 'office: "重工街道: 互助"']),
    ("priority.yaml", 'priority:\n  -name: x\n    when: urgency == "urgent"\n    points: 3\n', 2,
     ["'-' is not followed by a space"], ["「-」后面缺少空格"]),
    ("assignment.yaml", "assignment:\n  default_max_open 3\n  blank_hours: always\n", 2,
     ["'default_max_open 3' lacks its colon"], ["缺少冒号"]),
    # Chinese quotes inside a text above are fine: the open bracket below is the slip
    ("priority.yaml",
     'priority:\n  - name: {zh: 请带“健康码”, en: x}\n    when: urgency == "urgent"\n'
     "    points: [3\n", 4, ["not closed with ']'"], ["括号"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "line", "english", "chinese"), BROKEN)
def test_other_common_yaml_slips_are_named_on_their_line(
    tmp_path: Path, name: str, text: str, line: int, english: list[str], chinese: list[str]
) -> None:
    error = refused(edited(tmp_path, name, lambda _: text))
    assert error.line == line, str(error)
    zh = render_rule_error(error, "zh")
    for words in english:
        assert words in str(error), str(error)
    for words in chinese:
        assert words in zh, zh
    assert "expected" not in str(error)


def test_a_tab_after_the_indentation_is_named_too(tmp_path: Path) -> None:
    text = "assignment:\n  default_max_open: 3\n  blank_hours: always\t# 注释\n"
    folder = edited(tmp_path, "assignment.yaml", lambda _: text)
    error = refused(folder)
    assert error.line == 3
    assert "replace the tab with spaces" in str(error)
    assert "Tab" in render_rule_error(error, "zh")
