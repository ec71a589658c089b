"""What `aidsync check` warns of beyond row problems: rules and workbook at odds (pure).

Each warning is a mistake no single row shows: a misspelt backup team means escalations silently
never reach it; a claim by a name not on the roster counts for nobody; rules still on the
shipped example communities make every real community unknown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from sync.messages import say
from sync.model import Snapshot, Table, Volunteer
from sync.rules import Rules
from sync.schema import Locale, Schema, normalise
from sync.validate import read_volunteers
from sync.values import text_of

# literals a condition compares volunteer_team with: == "x", != "x", "x" == …, in ["x", "y"]
_TEAM_LITERAL = re.compile(
    r"""volunteer_team\s*[!=]=\s*(["'])(?P<a>.*?)\1"""
    r"""|(["'])(?P<b>.*?)\3\s*[!=]=\s*volunteer_team"""
    r"""|volunteer_team\s+in\s+\[(?P<list>[^\]]*)\]"""
)
_QUOTED = re.compile(r"""(["'])(.*?)\1""")
_NAME_AND_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]\s*$")
_ROWS_SHOWN = 5


def workbook_warnings(
    snapshot: Snapshot,
    rules: Rules,
    schema: Schema,
    locale: Locale,
    example: Rules | None = None,
) -> list[str]:
    """Warnings with their fix, in the coordinator's language; `example`: the shipped rules."""
    table = snapshot.table("volunteers")
    volunteers = read_volunteers(table, schema, rules, locale) if table is not None else []
    warnings = _team_warnings(volunteers, rules, locale)
    requests = snapshot.table("requests")
    if requests is not None and requests.col("volunteer") is not None:
        warnings += _claim_warnings(requests, volunteers, locale)
    if example is not None:
        warnings += _example_warnings(snapshot, rules, example, locale)
    return warnings


def rule_teams(rules: Rules) -> list[tuple[str, str]]:
    """(rule name, team) for every team an assignment rule compares volunteer_team with."""
    found: list[tuple[str, str]] = []
    for rule in rules.pair_rules:
        for match in _TEAM_LITERAL.finditer(rule.when.source):
            if match["list"] is not None:
                teams = [m.group(2) for m in _QUOTED.finditer(match["list"])]
            else:
                teams = [match["a"] if match["a"] is not None else match["b"]]
            found += [(rule.name.text("zh"), team) for team in teams if team]
    return found


def _suggest(locale: Locale, typed: str, known: Iterable[str]) -> str:
    names = sorted(set(known))
    if not names:
        return say(locale, "check_no_teams")
    close = difflib.get_close_matches(typed, names, n=1, cutoff=0.6)
    return say(locale, "check_suggest", name=close[0]) if close else ""


def _team_warnings(volunteers: list[Volunteer], rules: Rules, locale: Locale) -> list[str]:
    teams = {v.team for v in volunteers if v.name and v.team}
    warnings = []
    if rules.backup_team and rules.backup_team not in teams:
        suggest = _suggest(locale, rules.backup_team, teams)
        warnings.append(say(locale, "check_backup_team", team=rules.backup_team, suggest=suggest))
    for name, team in dict.fromkeys(rule_teams(rules)):
        if team not in teams:
            suggest = _suggest(locale, team, teams)
            warnings.append(say(locale, "check_rule_team", rule=name, team=team, suggest=suggest))
    return warnings


def _claim_warnings(requests: Table, volunteers: list[Volunteer], locale: Locale) -> list[str]:
    """Names typed in Requests' Volunteer column that match no volunteer's name or id."""
    ids = {v.id.casefold() for v in volunteers if v.id}
    names = {normalise(v.name) for v in volunteers if v.name}
    unknown: dict[str, list[int]] = {}
    for row in requests.data_rows:
        typed = text_of(requests.get(row, "volunteer"))
        if not typed or typed.casefold() in ids or normalise(typed) in names:
            continue
        with_id = _NAME_AND_ID.match(typed)
        if with_id and with_id["id"].casefold() in ids:
            continue  # "王芳 (V002)": the id decides, as a pass reads it
        unknown.setdefault(typed, []).append(row.number)
    warnings = []
    for typed, rows in unknown.items():
        shown = [str(n) for n in rows[:_ROWS_SHOWN]] + (["…"] if len(rows) > _ROWS_SHOWN else [])
        warnings.append(
            say(
                locale,
                "check_unknown_claim",
                name=typed,
                rows=say(locale, "check_sep").join(shown),
                n=len(rows),
            )
        )
    return warnings


def _example_warnings(
    snapshot: Snapshot, rules: Rules, example: Rules, locale: Locale
) -> list[str]:
    ours = {c.name for c in rules.communities}
    shipped = [c.name for c in example.communities]
    if not shipped or ours != set(shipped):
        return []
    sep = say(locale, "check_sep")
    names = sep.join(shipped[:3] + (["…"] if len(shipped) > 3 else []))
    unknown = _unknown_communities(snapshot, rules)
    if unknown:
        quoted = sep.join(say(locale, "quoted_name", name=n) for n in unknown[:3])
        why = say(locale, "check_example_unknown", found=quoted, n=len(unknown))
    else:
        why = say(locale, "check_example_any")
    text = say(locale, "check_example_communities", names=names, why=why)
    warnings = [text]
    if rules.office and rules.office == example.office:
        warnings.append(say(locale, "check_example_office", office=rules.office))
    return warnings


def _unknown_communities(snapshot: Snapshot, rules: Rules) -> list[str]:
    """Communities typed in Requests and Stock that the rules do not know, first seen first."""
    found: dict[str, None] = {}
    for key in ("requests", "stock"):
        table = snapshot.table(key)
        if table is None or table.col("community") is None:
            continue
        for row in table.data_rows:
            typed = text_of(table.get(row, "community"))
            if typed and rules.community(typed) is None:
                found.setdefault(typed)
    return list(found)
