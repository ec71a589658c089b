"""Bad input never crashes a pass (Hypothesis): cell contents and mutated rule files.

The properties live in reliability/fuzz.py, which also runs them for much longer
(`python -m reliability.fuzz --trials 2000`); here they run with few examples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.fuzz import check_rules, mutate, problem_names_its_place, properties

CHECKS = properties(examples=40, command_examples=4)


@pytest.mark.parametrize("name", list(CHECKS))
def test_fuzzed_input_never_crashes_and_problems_name_their_place(name: str) -> None:
    CHECKS[name]()


def test_problem_places_are_recognised() -> None:
    titles = {"需求登记", "Requests"}
    assert problem_names_its_place("需求登记 row 9 (R-0008): 缺少地址", titles)
    assert problem_names_its_place("需求登记第 9 行（R-0008）：缺少地址", titles)
    assert problem_names_its_place("Requests row 3: phone number not valid: 13***00", titles)
    assert not problem_names_its_place("something went wrong", titles)
    assert not problem_names_its_place("需求登记 row 9: 出错了", titles)


def test_mutations_and_an_invalid_utf8_rule_file(tmp_path: Path) -> None:
    assert mutate("a: 1\nb: 2", [("delete", 0, "")]) == b"b: 2"
    assert mutate("a: 1", [("bytes", 0, "")]).endswith(b"\xff\xfe\x00")
    check_rules("priority.yaml", [("bytes", 0, "")], tmp_path)  # a RuleError with its line
