"""One reader per rule section: a section's YAML → the Rules fields it sets."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sync.rules.compiled import (
    PAIR_FIELDS,
    RANKING_KEYS,
    REQUEST_FIELDS,
    Community,
    LowStock,
    PairRule,
    PointsRule,
    RequiredWhen,
    Synonym,
    TimedRule,
    WaitRule,
)
from sync.rules.reader import Reader
from sync.rules.vocabulary import read_intake
from sync.yamlfile import LineDict

SECTIONS = (
    "communities",
    "requests",
    "priority",
    "assignment",
    "escalation",
    "reminders",
    "stock",
    "report",
    "retention",
    "recurring",
    "intake",
)


def _communities(r: Reader, value: Any, line: int) -> dict[str, Any]:
    result = []
    for item_line, item in r.items(value, line, "communities"):
        node = r.mapping(item, item_line, "a community")
        r.keys(node, ("name", "aliases", "neighbours", "estates"), "a community")
        result.append(
            Community(
                r.text(node, "name"),
                r.texts(node, "aliases"),
                r.texts(node, "neighbours"),
                r.texts(node, "estates"),
            )
        )
    return {"communities": tuple(result)}


def _requests(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "requests")
    r.keys(
        node, ("required", "required_when", "phone_region", "duplicate_window_hours"), "requests"
    )
    known = r.schema.tab("requests").owned_by("human", "shared")
    out: dict[str, Any] = {}
    if "required" in node:
        required = r.texts(node, "required")
        for wanted in required:
            if wanted not in known:
                raise r.fail(node.line_of("required"), "rf_unknown_request_field", field=wanted,
                             fields=", ".join(known))  # fmt: skip
        out["required"] = required
    conditional = []
    for item_line, item in r.items(
        node.get("required_when"), node.line_of("required_when"), "required_when"
    ):
        rule = r.mapping(item, item_line, "a required_when rule")
        r.keys(rule, ("name", "field", "when"), "a required_when rule")
        name = r.name(rule)
        target = r.text(rule, "field")
        if target not in known:
            raise r.fail(rule.line_of("field"), "rf_unknown_request_field", field=target,
                         fields=", ".join(known))  # fmt: skip
        conditional.append(
            RequiredWhen(name, target, r.condition(rule, "when", REQUEST_FIELDS, name))
        )
    out["required_when"] = tuple(conditional)
    if "phone_region" in node:
        out["phone_region"] = r.text(node, "phone_region").upper()
    if "duplicate_window_hours" in node:
        out["duplicate_window_hours"] = r.number(node, "duplicate_window_hours")
    return out


def _priority(r: Reader, value: Any, line: int) -> dict[str, Any]:
    points: list[PointsRule] = []
    waiting: list[WaitRule] = []
    for item_line, item in r.items(value, line, "priority"):
        node = r.mapping(item, item_line, "a priority rule")
        name = r.name(node)
        if "per_minute" in node:
            r.keys(node, ("name", "per_minute", "max", "when"), "a waiting-time rule")
            when = r.condition(node, "when", REQUEST_FIELDS, name) if "when" in node else None
            waiting.append(
                WaitRule(name, r.number(node, "per_minute"), r.number(node, "max", 1e9), when)
            )
        else:
            r.keys(node, ("name", "when", "points"), "a priority rule")
            if "points" not in node:
                raise r.fail(node.line, "rf_no_points", rule_zh=name.text("zh"),
                             rule_en=name.text("en"))  # fmt: skip
            points.append(
                PointsRule(
                    name, r.condition(node, "when", REQUEST_FIELDS, name), r.number(node, "points")
                )
            )
    return {"points": tuple(points), "waiting": tuple(waiting)}


def _assignment(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "assignment")
    r.keys(
        node,
        (
            "default_max_open",
            "blank_hours",
            "neighbours_after_minutes",
            "ranking",
            "role_order",
            "conditions",
        ),
        "assignment",
    )
    out: dict[str, Any] = {}
    if "default_max_open" in node:
        out["default_max_open"] = int(r.number(node, "default_max_open"))
    if "blank_hours" in node:
        choice = r.text(node, "blank_hours")
        if choice not in ("always", "never"):
            raise r.fail(node.line_of("blank_hours"), "rf_blank_hours")
        out["blank_hours_on_duty"] = choice == "always"
    if "neighbours_after_minutes" in node:
        out["neighbours_after_minutes"] = r.number(node, "neighbours_after_minutes")
    if "ranking" in node:
        ranking = r.texts(node, "ranking")
        for key in ranking:
            if key not in RANKING_KEYS:
                raise r.fail(node.line_of("ranking"), "rf_unknown_ranking", key=key,
                             keys=", ".join(RANKING_KEYS))  # fmt: skip
        out["ranking"] = ranking
    if "role_order" in node:
        roles = r.schema.choice_list("role")
        order = []
        for text in r.texts(node, "role_order"):
            role = roles.parse(text)
            if role is None:
                raise r.fail(node.line_of("role_order"), "rf_unknown_role", role=text,
                             roles=", ".join(roles.option_keys()))  # fmt: skip
            order.append(role)
        out["role_order"] = tuple(order)
    pair_rules = []
    for item_line, item in r.items(
        node.get("conditions"), node.line_of("conditions"), "conditions"
    ):
        rule = r.mapping(item, item_line, "an assignment condition")
        r.keys(rule, ("name", "when"), "an assignment condition")
        name = r.name(rule)
        pair_rules.append(PairRule(name, r.condition(rule, "when", PAIR_FIELDS, name)))
    out["pair_rules"] = tuple(pair_rules)
    return out


def _timed(
    r: Reader, value: Any, line: int, what: str, unit: str, scale: float
) -> tuple[TimedRule, ...]:
    result = []
    for item_line, item in r.items(value, line, what):
        node = r.mapping(item, item_line, f"an {what} rule")
        r.keys(node, ("name", "when", unit), f"an {what} rule")
        name = r.name(node)
        if unit not in node:
            raise r.fail(node.line, "rf_timed_needs", what=what, unit=unit,
                         rule_zh=name.text("zh"), rule_en=name.text("en"))  # fmt: skip
        when = r.condition(node, "when", REQUEST_FIELDS, name) if "when" in node else None
        result.append(TimedRule(name, r.number(node, unit) * scale, when))
    return tuple(result)


def _escalation(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "escalation")
    r.keys(node, ("rules", "backup_team", "backup_after_minutes"), "escalation")
    out: dict[str, Any] = {
        "escalation": _timed(
            r, node.get("rules"), node.line_of("rules"), "escalation", "after_minutes", 1.0
        )
    }
    if node.get("backup_team"):
        out["backup_team"] = r.text(node, "backup_team")
    if "backup_after_minutes" in node:
        out["backup_after_minutes"] = r.number(node, "backup_after_minutes")
    return out


def _reminders(r: Reader, value: Any, line: int) -> dict[str, Any]:
    return {"reminders": _timed(r, value, line, "reminder", "after_hours", 60.0)}


def _stock(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "stock")
    r.keys(node, ("expiry_margin_days", "expiring_soon_days", "synonyms", "low_stock"), "stock")
    out: dict[str, Any] = {}
    for key in ("expiry_margin_days", "expiring_soon_days"):
        if key in node:
            out[key] = r.number(node, key)
    synonyms = []
    for item_line, item in r.items(node.get("synonyms"), node.line_of("synonyms"), "synonyms"):
        group = r.mapping(item, item_line, "a synonym group")
        r.keys(group, ("name", "words"), "a synonym group")
        synonyms.append(Synonym(r.text(group, "name"), r.texts(group, "words")))
    out["synonyms"] = tuple(synonyms)
    categories = r.schema.choice_list("category")
    low = []
    for item_line, item in r.items(node.get("low_stock"), node.line_of("low_stock"), "low_stock"):
        entry = r.mapping(item, item_line, "a low_stock threshold")
        r.keys(entry, ("category", "below", "community"), "a low_stock threshold")
        category = categories.parse(r.text(entry, "category"))
        if category is None:
            raise r.fail(entry.line_of("category"), "rf_unknown_category",
                         category=entry["category"],
                         categories=", ".join(categories.option_keys()))  # fmt: skip
        community = entry.get("community")
        low.append(
            LowStock(category, r.number(entry, "below"), str(community) if community else None)
        )
    out["low_stock"] = tuple(low)
    return out


_CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})$")


def _clock(r: Reader, node: LineDict, key: str) -> int:
    """A time of day such as "18:00", in minutes after midnight."""
    text = r.text(node, key).strip()
    match = _CLOCK.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise r.fail(node.line_of(key), "rf_not_clock", key=key, value=text)
    return int(match[1]) * 60 + int(match[2])


def _report(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "report")
    r.keys(node, ("office", "daily_at"), "report")
    out: dict[str, Any] = {"office": r.text(node, "office", "")}
    if node.get("daily_at") is not None:
        out["daily_report_at"] = _clock(r, node, "daily_at")
    return out


def _switch(r: Reader, node: LineDict, key: str) -> bool:
    value = node.get(key)
    if not isinstance(value, bool):
        raise r.fail(node.line_of(key), "rf_not_switch", key=key, value=value)
    return value


def _recurring(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "recurring")
    r.keys(node, ("enabled", "wait_for_previous", "open_hours_before", "default_time"),
           "recurring")  # fmt: skip
    out: dict[str, Any] = {}
    if "enabled" in node:
        out["recurring_on"] = _switch(r, node, "enabled")
    if "wait_for_previous" in node:
        out["recurring_wait"] = _switch(r, node, "wait_for_previous")
    if "open_hours_before" in node:
        hours = r.number(node, "open_hours_before")
        if not 0 <= hours <= 24 * 7:
            raise r.fail(node.line_of("open_hours_before"), "rf_open_hours")
        out["recurring_ahead_hours"] = hours
    if node.get("default_time") is not None:
        out["recurring_time"] = _clock(r, node, "default_time")
    return out


def _retention(r: Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "retention")
    r.keys(node, ("blank_personal_after_days", "archive_closed_after_days"), "retention")
    out: dict[str, Any] = {"retention_days": None, "archive_days": None}
    if node.get("blank_personal_after_days") is not None:
        out["retention_days"] = r.number(node, "blank_personal_after_days")
    if node.get("archive_closed_after_days") is not None:
        out["archive_days"] = r.number(node, "archive_closed_after_days")
    return out


SECTION_READERS: dict[str, Callable[[Reader, Any, int], dict[str, Any]]] = {
    "communities": _communities,
    "requests": _requests,
    "priority": _priority,
    "assignment": _assignment,
    "escalation": _escalation,
    "reminders": _reminders,
    "stock": _stock,
    "report": _report,
    "retention": _retention,
    "recurring": _recurring,
    "intake": lambda r, value, line: {"intake": read_intake(r.path, value, line, r.schema)},
}
