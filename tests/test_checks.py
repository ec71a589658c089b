"""`check`'s warnings: a team nobody belongs to, claims by unknown names, example communities."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from builders import RULES, SCHEMA, grid, request, snapshot_of, volunteer, zh_tabs

from sync.checks import rule_teams, workbook_warnings
from sync.layout import build_snapshot
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules
from sync.sample import sample_rows


def rules_with(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Rules:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    for name, (old, new) in edits.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_rules(folder, SCHEMA)


OWN_COMMUNITIES = {"communities.yaml": ("name: 创意社区", "name: 幸福社区")}


def team_roster(*teams: str) -> list[dict[str, Any]]:
    return [volunteer(f"志愿者{i}", team=team) for i, team in enumerate(teams)]


def test_a_misspelt_backup_team_is_named_with_the_team_people_belong_to() -> None:
    rules = replace(RULES, backup_team="党员先峰队")
    snapshot = snapshot_of(zh_tabs([request("甲")], team_roster("党员先锋队", "向日葵能量团")))
    warnings = workbook_warnings(snapshot, rules, SCHEMA, "zh")
    assert len(warnings) == 1
    assert "后备团队「党员先峰队」" in warnings[0]
    assert "是不是「党员先锋队」" in warnings[0]
    english = workbook_warnings(snapshot, rules, SCHEMA, "en")
    assert "backup team '党员先峰队'" in english[0] and "did you mean '党员先锋队'" in english[0]


def test_the_shipped_backup_team_with_members_gives_no_warning() -> None:
    assert RULES.backup_team
    snapshot = snapshot_of(zh_tabs([request("甲")], team_roster(RULES.backup_team)))
    assert workbook_warnings(snapshot, RULES, SCHEMA, "zh") == []


def test_a_backup_team_when_nobody_has_a_team_says_so() -> None:
    snapshot = snapshot_of(zh_tabs([request("甲")], [volunteer("段珊珊", team="")]))
    (warning,) = workbook_warnings(snapshot, RULES, SCHEMA, "en")
    assert "no volunteer has a team yet" in warning


def test_a_team_in_an_assignment_rule_that_nobody_belongs_to(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, {"assignment.yaml": (
        "  conditions:\n",
        "  conditions:\n"
        "    - name: {zh: 夜间只派给夜班队, en: nights}\n"
        '      when: hour < 22 or volunteer_team in ["夜班队", "党员先锋队"]\n',
    )})  # fmt: skip
    assert ("夜间只派给夜班队", "夜班队") in rule_teams(rules)
    snapshot = snapshot_of(zh_tabs([request("甲")], team_roster("党员先锋队")))
    warnings = workbook_warnings(snapshot, rules, SCHEMA, "zh")
    assert len(warnings) == 1
    assert "规则「夜间只派给夜班队」提到的团队「夜班队」" in warnings[0]


def test_claims_by_names_not_on_the_roster_are_listed_once_with_their_rows() -> None:
    requests = [
        request("甲", volunteer="小王"),
        request("乙", volunteer="段珊珊"),
        request("丙", volunteer="小王"),
        request("丁", volunteer="段姗姗"),
        request("戊"),
    ]
    roster = [*team_roster(RULES.backup_team or ""), volunteer("段珊珊", team=RULES.backup_team)]
    snapshot = snapshot_of(zh_tabs(requests, roster))
    warnings = workbook_warnings(snapshot, RULES, SCHEMA, "zh")
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("需求登记第 2、4 行的接单志愿者是「小王」")
    assert "「段姗姗」" in warnings[1]
    english = workbook_warnings(snapshot, RULES, SCHEMA, "en")
    assert english[0].startswith("'小王' claimed request rows 2, 4 but")
    assert english[1].startswith("'段姗姗' claimed request row 5 but")


def test_a_claim_by_id_or_by_name_and_id_is_on_the_roster() -> None:
    roster = [volunteer("段珊珊", id="V001", team=RULES.backup_team)]
    requests = [request("甲", volunteer="V001"), request("乙", volunteer="珊珊 (v001)"),
                request("丙", volunteer=" 段珊珊 ")]  # fmt: skip
    snapshot = snapshot_of(zh_tabs(requests, roster))
    assert workbook_warnings(snapshot, RULES, SCHEMA, "zh") == []


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_rules_still_on_the_shipped_example_communities_are_named(locale: str) -> None:
    rows = sample_rows(SCHEMA, locale)  # type: ignore[arg-type]
    tabs = {SCHEMA.tab(key).title(locale): grid(key, data, locale)  # type: ignore[arg-type]
            for key, data in rows.items()}  # fmt: skip
    snapshot = build_snapshot("sample", tabs, SCHEMA)
    warnings = workbook_warnings(snapshot, RULES, SCHEMA, locale, example=RULES)  # type: ignore[arg-type]
    words = ("示例", "rules/communities.yaml") if locale == "zh" else ("example communities",)
    assert any(all(w in text for w in words) and "创意社区" in text for text in warnings)
    assert any(RULES.office in text for text in warnings)


def test_own_communities_give_no_example_warning(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, OWN_COMMUNITIES)
    snapshot = snapshot_of(zh_tabs([], team_roster(rules.backup_team or "")))
    assert workbook_warnings(snapshot, rules, SCHEMA, "zh", example=RULES) == []


def test_the_example_warning_names_the_workbooks_own_communities() -> None:
    """The first day: init with no rules beside it, then a workbook of the office's own."""
    requests = [request("甲", community="幸福社区"), request("乙", community="幸福社区"),
                request("丙", community="创意社区")]  # fmt: skip
    snapshot = snapshot_of(zh_tabs(requests, team_roster(RULES.backup_team or "")))
    warnings = workbook_warnings(snapshot, RULES, SCHEMA, "zh", example=RULES)
    assert "工作簿里的「幸福社区」不在这份名单里" in warnings[0]
    english = workbook_warnings(snapshot, RULES, SCHEMA, "en", example=RULES)
    assert "the workbook's community '幸福社区' is not on it" in english[0]
