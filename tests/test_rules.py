"""Rule files: the shipped defaults load; every mistake is reported with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import SCHEMA

from sync.errors import RuleError
from sync.resources import default_rules_dir
from sync.rules import load_rules


def rules_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_shipped_defaults_load() -> None:
    rules = load_rules(default_rules_dir(), SCHEMA)
    assert rules.community("创意") == "创意社区"
    assert "乐园社区" in rules.neighbours("创意社区")
    assert any(p.name.zh == "独居" and p.points == 50 for p in rules.points)
    assert rules.escalation and rules.reminders
    assert set(rules.report_templates) == {"zh", "en"}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("priority:\n  - name: x\n    when: housold == \"living_alone\"\n    points: 1\n",
         3, ["unknown field 'housold'", "did you mean 'household'"]),
        ("priority:\n  - name: x\n    when: household = 1\n    points: 1\n",
         3, ["cannot read the condition"]),
        ("priority:\n  - name: x\n    when: household == \"独居\"\n    points: 1\n",
         3, ["which is a label", '"living_alone"']),
        ("priority:\n  - when: urgency == \"urgent\"\n    points: 5\n",
         2, ["every rule needs a name"]),
        ("priority:\n  - name: x\n    when: urgency == \"urgent\"\n    points: lots\n",
         4, ["points should be a number"]),
        ("priority:\n  - name: x\n    when: urgency == \"urgent\"\n    pionts: 5\n",
         4, ["unknown setting 'pionts'"]),
        ("priority:\n  - name: x\n   when: bad indent\n", 3, ["not valid YAML"]),
        ("prioritee: []\n", 1, ["unknown section 'prioritee'"]),
    ],
)  # fmt: skip
def test_bad_priority_file_names_file_line_and_reason(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    folder = rules_with(tmp_path, "priority.yaml", text)
    with pytest.raises(RuleError) as info:
        load_rules(folder, SCHEMA)
    message = str(info.value)
    assert f"priority.yaml:{line}" in message, message
    for word in words:
        assert word in message, message


def test_unknown_neighbour_is_reported(tmp_path: Path) -> None:
    folder = rules_with(tmp_path, "communities.yaml",
                        "communities:\n  - name: 甲社区\n    neighbours: [乙社区]\n")  # fmt: skip
    with pytest.raises(RuleError, match="neighbour '乙社区' is not a listed community"):
        load_rules(folder, SCHEMA)


def test_section_in_two_files_is_refused(tmp_path: Path) -> None:
    folder = rules_with(tmp_path, "extra.yaml", "priority: []\n")
    with pytest.raises(RuleError, match="also set in"):
        load_rules(folder, SCHEMA)


def test_bad_report_template_is_refused(tmp_path: Path) -> None:
    folder = rules_with(tmp_path, "report.zh.txt", "{{ volunteers_actve }} 人")
    with pytest.raises(RuleError, match="report template"):
        load_rules(folder, SCHEMA)


def test_report_template_in_the_rules_folder_overrides_the_shipped_one(tmp_path: Path) -> None:
    folder = rules_with(tmp_path, "report.zh.txt", "今日完成 {{ dispatches_completed }} 单")
    assert load_rules(folder, SCHEMA).report_templates["zh"].startswith("今日完成")


def test_chinese_strings_work_in_conditions(tmp_path: Path) -> None:
    text = 'priority:\n  - name: 发烧\n    when: items =~ ".*退烧.*"\n    points: 7\n'
    rules = load_rules(rules_with(tmp_path, "priority.yaml", text), SCHEMA)
    assert rules.points[0].when.matches({"items": "要退烧药"})
    assert not rules.points[0].when.matches({"items": "白菜"})


def test_a_file_saved_as_gbk_is_reported_with_its_line(tmp_path: Path) -> None:
    """Found by reliability/fuzz.py: the error gave a byte offset, not a line to look at."""
    folder = rules_with(tmp_path, "report.yaml", "")
    text = (default_rules_dir() / "report.yaml").read_text(encoding="utf-8")
    (folder / "report.yaml").write_bytes(b"# office\n\n" + text.encode("gbk"))
    first = next(i for i, line in enumerate(text.splitlines()) if not line.isascii())
    with pytest.raises(RuleError) as raised:
        load_rules(folder, SCHEMA)
    assert raised.value.path == str(folder / "report.yaml")
    assert raised.value.line == first + 3
    assert str(raised.value).startswith(f"{folder / 'report.yaml'}:{first + 3}: not UTF-8 text")
    assert "UTF-8" in raised.value.hint


def test_an_invisible_control_character_is_reported_with_its_line(tmp_path: Path) -> None:
    """Found by reliability/fuzz.py: YAML refuses it, and the error had no line."""
    text = (default_rules_dir() / "assignment.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[4] = lines[4] + "\x1f"
    folder = rules_with(tmp_path, "assignment.yaml", "\n".join(lines))
    with pytest.raises(RuleError) as raised:
        load_rules(folder, SCHEMA)
    assert raised.value.line == 5
    assert "U+001F is not allowed" in raised.value.reason
