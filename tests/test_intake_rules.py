"""rules/intake.yaml and the estates in communities.yaml: loaded, checked, file:line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import SCHEMA

from sync.errors import RuleError
from sync.resources import default_rules_dir
from sync.rules import load_rules
from sync.rules.vocabulary import load_vocabulary


def rules_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_vocabulary_loads_with_the_rules() -> None:
    rules = load_rules(default_rules_dir(), SCHEMA)
    assert "阿姨" in rules.intake.address_forms
    assert "独居" in rules.intake.household["living_alone"]
    assert "无儿无女" in rules.intake.household["childless"]
    assert {c.key for c in rules.intake.categories} >= {"medicine", "food", "protective"}
    assert "谢谢" in rules.intake.nothing and "收到" in rules.intake.nothing


def test_estates_load_and_one_estate_may_lie_in_two_communities() -> None:
    rules = load_rules(default_rules_dir(), SCHEMA)
    holding = [c.name for c in rules.communities if "金色家园" in c.estates]
    assert holding == ["建设社区", "兴华社区"]
    assert next(c for c in rules.communities if c.name == "创意社区").estates[0] == "海兴花园"


def test_a_rules_folder_without_an_intake_file_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    (folder / "intake.yaml").unlink()
    rules = load_rules(folder, SCHEMA)
    assert rules.intake.address_forms == () and rules.intake.categories == ()


def test_stock_synonyms_join_the_category_of_their_items() -> None:
    rules = load_rules(default_rules_dir(), SCHEMA)
    plain = {c.key: c.items for c in rules.intake.categories}
    assert "美林" not in plain["medicine"]  # only stock.yaml knows 美林 is a fever medicine
    joined = rules.intake.with_synonyms(s.words for s in rules.synonyms)
    medicine = next(c for c in joined.categories if c.key == "medicine")
    assert {"退烧药", "美林", "布洛芬", "板蓝根"} <= set(medicine.items)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("intake:\n  address_form: [阿姨]\n", 2, ["unknown setting 'address_form'", "address_forms"]),
        ("intake:\n  household:\n    alone: [独居]\n", 3, ["unknown household 'alone'", "living_alone"]),
        ("intake:\n  categories:\n    medicine: [药]\n", 3, ["category medicine should be a mapping"]),
        ("intake:\n  categories:\n    drugs:\n      words: [药]\n", 3, ["unknown category 'drugs'"]),
        ("intake:\n  categories:\n    food:\n      item: [米]\n", 4, ["unknown setting 'item'"]),
        ("intake:\n  urgent: 紧急: yes\n", 2, ["not valid YAML"]),
        ("intake:\n  urgent:\n    - 急\n    - {a: 1}\n", 4, ["is not a word"]),
        ("intake:\n  nothing: 5\n", 2, ["should be a list of words"]),
        ("intake:\n  categories:\n    food:\n      items: [鸡蛋]\n    medicine:\n      items: [鸡蛋]\n",
         5, ["'鸡蛋' is listed under both food and medicine"]),
        ("intake: [阿姨]\n", 1, ["intake should be a mapping"]),
    ],
)  # fmt: skip
def test_a_bad_intake_file_names_file_line_and_reason(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    folder = rules_with(tmp_path, "intake.yaml", text)
    with pytest.raises(RuleError) as info:
        load_rules(folder, SCHEMA)
    message = str(info.value)
    assert f"intake.yaml:{line}" in message, message
    for word in words:
        assert word in message, message


def test_the_vocabulary_reads_alone_from_one_file(tmp_path: Path) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("intake:\n  address_forms: [阿姨, ' 大爷 ']\n", encoding="utf-8")
    assert load_vocabulary(path, SCHEMA).address_forms == ("阿姨", "大爷")
    path.write_text("intake:\n  surnames: [王\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"words\.yaml:\d+: not valid YAML"):
        load_vocabulary(path, SCHEMA)


def test_a_community_setting_other_than_the_four_is_refused(tmp_path: Path) -> None:
    text = "communities:\n  - name: 创意社区\n    estate: [海兴花园]\n"
    folder = rules_with(tmp_path, "communities.yaml", text)
    with pytest.raises(RuleError, match=r"communities\.yaml:3: unknown setting 'estate'"):
        load_rules(folder, SCHEMA)


def test_a_bad_intake_file_is_explained_in_chinese_too(tmp_path: Path) -> None:
    folder = rules_with(tmp_path, "intake.yaml", "intake:\n  household:\n    alone: [独居]\n")
    with pytest.raises(RuleError) as info:
        load_rules(folder, SCHEMA)
    zh = info.value.text("zh")
    assert "intake.yaml 第 3 行：household 里没有「alone」这一项" in zh, zh
    assert "living_alone" in zh
