"""Rule files (rules/*.yaml) → compiled rules; every problem reported with file and line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rule_engine
import yaml

from sync.errors import RuleError
from sync.intake.vocabulary import Vocabulary, read_intake
from sync.resources import templates_dir
from sync.schema import Locale, Schema, normalise
from sync.yamlfile import LineDict, LineList, load_yaml
from sync.yamlslips import slip_in_broken, slip_in_loaded

_S = rule_engine.DataType.STRING
_F = rule_engine.DataType.FLOAT
_B = rule_engine.DataType.BOOLEAN

#: Fields a request condition may use (choice fields hold option keys such as "living_alone").
REQUEST_FIELDS: Mapping[str, Any] = {
    "household": _S,
    "category": _S,
    "urgency": _S,
    "community": _S,
    "items": _S,
    "notes": _S,
    "minutes_waited": _F,
    "hour": _F,
    "weekday": _F,
}

#: Fields an assignment condition may use: the request's, plus the candidate volunteer's.
PAIR_FIELDS: Mapping[str, Any] = {
    **REQUEST_FIELDS,
    "volunteer_name": _S,
    "volunteer_role": _S,
    "volunteer_team": _S,
    "volunteer_open": _F,
    "same_community": _B,
}

RANKING_KEYS = ("same_community", "fewer_open", "least_recently_assigned", "role")
_SECTIONS = (
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
_QUOTED = re.compile(r"""(["'])(.*?)\1""")


@dataclass(frozen=True)
class Name:
    """A rule's name as the log and notes quote it, in one or both languages."""

    zh: str
    en: str

    def text(self, locale: Locale) -> str:
        """The name in a language (falls back to the other)."""
        return (self.zh or self.en) if locale == "zh" else (self.en or self.zh)


@dataclass(frozen=True)
class Condition:
    """A compiled safe expression; evaluation is memoised on the fields it reads."""

    source: str
    rule: Any = field(compare=False, repr=False)
    symbols: tuple[str, ...] = ()
    _cache: dict[tuple[Any, ...], bool] = field(default_factory=dict, compare=False, repr=False)

    def matches(self, values: Mapping[str, Any]) -> bool:
        """Evaluate against a row's fields."""
        key = tuple(map(values.get, self.symbols))
        hit = self._cache.get(key)
        if hit is None:
            hit = bool(self.rule.matches(values))
            if len(self._cache) < 100_000:
                self._cache[key] = hit
        return hit


@dataclass(frozen=True)
class Community:
    """A known community, the names people type for it, and its neighbours."""

    name: str
    aliases: tuple[str, ...]
    neighbours: tuple[str, ...]
    estates: tuple[str, ...] = ()  # housing estates in it, as messages name them


@dataclass(frozen=True)
class PointsRule:
    """Fixed points when a condition holds."""

    name: Name
    when: Condition
    points: float


@dataclass(frozen=True)
class WaitRule:
    """Points that grow with minutes waited, capped."""

    name: Name
    per_minute: float
    max: float
    when: Condition | None = None


@dataclass(frozen=True)
class RequiredWhen:
    """A field required only when a condition holds."""

    name: Name
    field: str
    when: Condition


@dataclass(frozen=True)
class TimedRule:
    """A timer: fires after a number of minutes when its condition (if any) holds."""

    name: Name
    minutes: float
    when: Condition | None = None


@dataclass(frozen=True)
class PairRule:
    """An extra eligibility condition over a request and a candidate volunteer."""

    name: Name
    when: Condition


@dataclass(frozen=True)
class Synonym:
    """A group of item names that mean the same thing when matching stock."""

    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class LowStock:
    """Warn when available stock of a category (optionally in one community) falls below."""

    category: str
    below: float
    community: str | None = None


@dataclass(frozen=True)
class Rules:
    """Every rule the coordinator set, compiled and checked."""

    communities: tuple[Community, ...] = ()
    required: tuple[str, ...] = ("name", "phone", "community", "address", "category")
    required_when: tuple[RequiredWhen, ...] = ()
    phone_region: str = "CN"
    duplicate_window_hours: float = 24.0
    points: tuple[PointsRule, ...] = ()
    waiting: tuple[WaitRule, ...] = ()
    default_max_open: int = 3
    blank_hours_on_duty: bool = True
    neighbours_after_minutes: float = 0.0
    ranking: tuple[str, ...] = ("same_community", "fewer_open", "least_recently_assigned")
    role_order: tuple[str, ...] = ()
    pair_rules: tuple[PairRule, ...] = ()
    escalation: tuple[TimedRule, ...] = ()
    backup_team: str | None = None
    backup_after_minutes: float = 30.0
    reminders: tuple[TimedRule, ...] = ()
    expiry_margin_days: float = 7.0
    expiring_soon_days: float = 30.0
    synonyms: tuple[Synonym, ...] = ()
    low_stock: tuple[LowStock, ...] = ()
    office: str = ""
    daily_report_at: int | None = None  # minutes after midnight; None: no scheduled report
    recurring_on: bool = True
    recurring_wait: bool = True  # wait until the previous occurrence is closed
    recurring_ahead_hours: float = 0.0
    recurring_time: int = 8 * 60  # time of day of an occurrence whose Repeat cell gives none
    retention_days: float | None = None
    archive_days: float | None = None  # closed requests move to the Archive tab after this
    report_templates: Mapping[str, str] = field(default_factory=dict)
    intake: Vocabulary = field(default_factory=Vocabulary)  # words the Inbox reader looks for
    files: tuple[str, ...] = ()
    _community_index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for c in self.communities:
            for text in (c.name, *c.aliases):
                index.setdefault(normalise(text), c.name)
        object.__setattr__(self, "_community_index", index)

    def community(self, text: object) -> str | None:
        """The canonical community a cell names, or None."""
        if text is None:
            return None
        return self._community_index.get(normalise(text))

    def neighbours(self, name: str) -> tuple[str, ...]:
        """Communities that may help this one (either side may declare it)."""
        found: list[str] = []
        for c in self.communities:
            if c.name == name:
                found.extend(c.neighbours)
            elif name in c.neighbours:
                found.append(c.name)
        return tuple(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Loading


class _Reader:
    """Walks one file's parsed YAML, turning type problems into RuleErrors with lines."""

    def __init__(self, path: Path, schema: Schema) -> None:
        self.path = path
        self.schema = schema
        self.labels = self._choice_labels(schema)

    @staticmethod
    def _choice_labels(schema: Schema) -> dict[str, str]:
        labels: dict[str, str] = {}
        for choice_list in schema.choices.values():
            for option in choice_list.options:
                for text in (option.en, option.zh, *option.aliases):
                    if text != option.key:
                        labels.setdefault(text, option.key)
        return labels

    def fail(self, line: int | None, reason: str, hint: str = "") -> RuleError:
        return RuleError(str(self.path), line, reason, hint)

    def mapping(self, value: Any, line: int, what: str) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(line, f"{what} should be a mapping (key: value lines)")
        return value

    def items(self, value: Any, line: int, what: str) -> list[tuple[int, Any]]:
        if value is None:
            return []
        if not isinstance(value, LineList):
            raise self.fail(line, f"{what} should be a list (lines starting with '- ')")
        return list(zip(value.item_lines, value, strict=True))

    def keys(self, node: LineDict, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key in node:
            if key not in allowed:
                raise self.fail(
                    node.line_of(key),
                    f"unknown setting {key!r} in {what}",
                    "expected one of: " + ", ".join(allowed),
                )

    def number(self, node: LineDict, key: str, default: float | None = None) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node.line_of(key), f"{key} should be a number, not {value!r}")
        return float(value)

    def text(self, node: LineDict, key: str, default: str | None = None) -> str:
        value = node.get(key, default)
        if value is None:
            raise self.fail(node.line_of(key), f"{key} is missing")
        if not isinstance(value, str | int | float):
            raise self.fail(node.line_of(key), f"{key} should be text, not {value!r}")
        return str(value)

    def texts(self, node: LineDict, key: str) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise self.fail(node.line_of(key), f"{key} should be a list of names")
        return tuple(str(v) for v in value)

    def name(self, node: LineDict) -> Name:
        value = node.get("name")
        if isinstance(value, str) and value.strip():
            return Name(value.strip(), value.strip())
        if isinstance(value, LineDict) and ("zh" in value or "en" in value):
            return Name(str(value.get("zh", "")), str(value.get("en", "")))
        raise self.fail(
            node.line_of("name"),
            "every rule needs a name (quoted in notes and the log)",
            "add  name: 独居老人 living alone  or  name: {zh: 独居, en: living alone}",
        )

    def condition(
        self, node: LineDict, key: str, fields: Mapping[str, Any], rule_name: Name | None
    ) -> Condition:
        source = node.get(key)
        line = node.line_of(key)
        label = f" in rule {rule_name.text('zh')!r}" if rule_name else ""
        if not isinstance(source, str) or not source.strip():
            raise self.fail(line, f'{key} should be a condition such as  urgency == "urgent"')
        for _, literal in _QUOTED.findall(source):
            if literal in self.labels:
                raise self.fail(
                    line,
                    f"{source!r}{label} compares with {literal!r}, which is a label",
                    f'conditions use option keys: write "{self.labels[literal]}" '
                    f'instead of "{literal}"',
                )
        used: list[str] = []

        def resolver(name: str) -> Any:
            used.append(name)
            return _resolve(name)

        _resolve = rule_engine.type_resolver_from_dict(dict(fields))
        context = rule_engine.Context(type_resolver=resolver)
        try:
            compiled = rule_engine.Rule(source, context=context)
        except rule_engine.SymbolResolutionError as exc:
            hint = f"did you mean {exc.suggestion!r}? " if exc.suggestion else ""
            raise self.fail(
                line,
                f"unknown field {exc.symbol_name!r} in {source!r}{label}",
                hint + "fields: " + ", ".join(sorted(fields)),
            ) from None
        except rule_engine.RuleSyntaxError as exc:
            raise self.fail(
                line,
                f"cannot read the condition {source!r}{label}: {exc.message}",
                'compare with == or !=, join with and/or/not, quote text: category == "medicine"',
            ) from None
        except rule_engine.EngineError as exc:
            raise self.fail(line, f"bad condition {source!r}{label}: {exc.message}") from None
        return Condition(source, compiled, tuple(dict.fromkeys(used)))


def _read_files(directory: Path) -> list[tuple[Path, LineDict]]:
    if not directory.is_dir():
        raise RuleError(str(directory), None, code="rules_folder_missing")
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise RuleError(str(directory), None, code="rules_folder_empty")
    loaded: list[tuple[Path, LineDict]] = []
    for path in files:
        try:
            data = load_yaml(path)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = str(exc.problem or exc)
            context_line = exc.context_mark.line + 1 if exc.context_mark else None
            slip = slip_in_broken(_text_of(path), line, problem, exc.context or "", context_line)
            if slip is not None:
                raise RuleError(str(path), slip.line, code=slip.code, fields=slip.fields) from None
            raise RuleError(
                str(path), line, code="yaml_other", fields={"problem": problem}
            ) from None
        except UnicodeDecodeError as exc:
            line = _line_of_byte(path, exc.start)
            raise RuleError(str(path), line, code="rules_not_utf8") from None
        except yaml.reader.ReaderError as exc:  # a control character the file cannot hold
            code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1])
            raise RuleError(
                str(path),
                _line_of_character(path, exc.position),
                code="rules_control_char",
                fields={"char": f"{code:04X}"},
            ) from None
        except (OSError, yaml.YAMLError) as exc:
            raise RuleError(
                str(path), None, code="rules_unreadable", fields={"problem": str(exc)}
            ) from None
        if data is None:
            continue
        # valid YAML that still holds a slip: [建设社区，乐园社区] would be one item
        slip = slip_in_loaded(_text_of(path))
        if slip is not None:
            raise RuleError(str(path), slip.line, code=slip.code, fields=slip.fields)
        if not isinstance(data, LineDict):
            raise RuleError(str(path), 1, code="rules_not_mapping")
        loaded.append((path, data))
    return loaded


def _text_of(path: Path) -> str:
    """A rule file's text once YAML has read it (empty when it cannot be read again)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of_byte(path: Path, offset: int) -> int | None:
    """The 1-based line holding a byte of a file (None when the file cannot be read again)."""
    try:
        return path.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return None


def _line_of_character(path: Path, offset: int) -> int | None:
    """The 1-based line holding a character of a UTF-8 file."""
    try:
        return path.read_text(encoding="utf-8")[:offset].count("\n") + 1
    except (OSError, UnicodeDecodeError):
        return None


def load_rules(directory: Path, schema: Schema) -> Rules:
    """Load and check every rule file in a folder; raise RuleError naming file and line."""
    sections: dict[str, tuple[Path, LineDict, Any]] = {}
    for path, data in _read_files(directory):
        for key, value in data.items():
            if key not in _SECTIONS:
                raise RuleError(
                    str(path),
                    data.line_of(key),
                    f"unknown section {key!r}",
                    "sections: " + ", ".join(_SECTIONS),
                )
            if key in sections:
                raise RuleError(
                    str(path),
                    data.line_of(key),
                    f"section {key!r} is also set in {sections[key][0].name}",
                    "keep each section in one file",
                )
            sections[key] = (path, data, value)
    settings: dict[str, Any] = {
        "files": tuple(str(p) for p in sorted({s[0] for s in sections.values()}))
    }
    for key, (path, parent, value) in sections.items():
        reader = _Reader(path, schema)
        settings.update(_SECTION_READERS[key](reader, value, parent.line_of(key)))
    settings["report_templates"] = _report_templates(directory)
    rules = Rules(**settings)
    _cross_check(rules, sections, directory)
    return rules


def _report_templates(directory: Path) -> dict[str, str]:
    """report.zh.txt / report.en.txt from the rules folder, else the shipped ones."""
    from sync.summary import check_template

    found: dict[str, str] = {}
    for locale in ("zh", "en"):
        for folder in (directory, templates_dir()):
            path = folder / f"report.{locale}.txt"
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                problem = check_template(text)
                if problem:
                    raise RuleError(
                        str(path),
                        None,
                        f"the report template does not render: {problem}",
                        "use {{ name }} with the figures listed in the README",
                    )
                found[locale] = text
                break
    return found


def _communities(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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


def _requests(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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
                raise r.fail(
                    node.line_of("required"),
                    f"unknown request field {wanted!r}",
                    "fields: " + ", ".join(known),
                )
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
            raise r.fail(
                rule.line_of("field"),
                f"unknown request field {target!r}",
                "fields: " + ", ".join(known),
            )
        conditional.append(
            RequiredWhen(name, target, r.condition(rule, "when", REQUEST_FIELDS, name))
        )
    out["required_when"] = tuple(conditional)
    if "phone_region" in node:
        out["phone_region"] = r.text(node, "phone_region").upper()
    if "duplicate_window_hours" in node:
        out["duplicate_window_hours"] = r.number(node, "duplicate_window_hours")
    return out


def _priority(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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
                raise r.fail(
                    node.line,
                    f"priority rule {name.text('zh')!r} has no points",
                    "add  points: 10  (or per_minute: for a waiting-time rule)",
                )
            points.append(
                PointsRule(
                    name, r.condition(node, "when", REQUEST_FIELDS, name), r.number(node, "points")
                )
            )
    return {"points": tuple(points), "waiting": tuple(waiting)}


def _assignment(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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
            raise r.fail(node.line_of("blank_hours"), "blank_hours should be always or never")
        out["blank_hours_on_duty"] = choice == "always"
    if "neighbours_after_minutes" in node:
        out["neighbours_after_minutes"] = r.number(node, "neighbours_after_minutes")
    if "ranking" in node:
        ranking = r.texts(node, "ranking")
        for key in ranking:
            if key not in RANKING_KEYS:
                raise r.fail(
                    node.line_of("ranking"),
                    f"unknown ranking {key!r}",
                    "use: " + ", ".join(RANKING_KEYS),
                )
        out["ranking"] = ranking
    if "role_order" in node:
        roles = r.schema.choice_list("role")
        order = []
        for text in r.texts(node, "role_order"):
            role = roles.parse(text)
            if role is None:
                raise r.fail(
                    node.line_of("role_order"),
                    f"unknown role {text!r}",
                    "roles: " + ", ".join(roles.option_keys()),
                )
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
    r: _Reader, value: Any, line: int, what: str, unit: str, scale: float
) -> tuple[TimedRule, ...]:
    result = []
    for item_line, item in r.items(value, line, what):
        node = r.mapping(item, item_line, f"an {what} rule")
        r.keys(node, ("name", "when", unit), f"an {what} rule")
        name = r.name(node)
        if unit not in node:
            raise r.fail(node.line, f"{what} rule {name.text('zh')!r} needs {unit}")
        when = r.condition(node, "when", REQUEST_FIELDS, name) if "when" in node else None
        result.append(TimedRule(name, r.number(node, unit) * scale, when))
    return tuple(result)


def _escalation(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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


def _reminders(r: _Reader, value: Any, line: int) -> dict[str, Any]:
    return {"reminders": _timed(r, value, line, "reminder", "after_hours", 60.0)}


def _stock(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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
            raise r.fail(
                entry.line_of("category"),
                f"unknown category {entry['category']!r}",
                "categories: " + ", ".join(categories.option_keys()),
            )
        community = entry.get("community")
        low.append(
            LowStock(category, r.number(entry, "below"), str(community) if community else None)
        )
    out["low_stock"] = tuple(low)
    return out


_CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})$")


def _clock(r: _Reader, node: LineDict, key: str) -> int:
    """A time of day such as "18:00", in minutes after midnight."""
    text = r.text(node, key).strip()
    match = _CLOCK.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise r.fail(node.line_of(key), f"{key} should be a time of day, not {text!r}",
                     'write it in quotes like  "18:00"')  # fmt: skip
    return int(match[1]) * 60 + int(match[2])


def _report(r: _Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "report")
    r.keys(node, ("office", "daily_at"), "report")
    out: dict[str, Any] = {"office": r.text(node, "office", "")}
    if node.get("daily_at") is not None:
        out["daily_report_at"] = _clock(r, node, "daily_at")
    return out


def _switch(r: _Reader, node: LineDict, key: str) -> bool:
    value = node.get(key)
    if not isinstance(value, bool):
        raise r.fail(node.line_of(key), f"{key} should be true or false, not {value!r}")
    return value


def _recurring(r: _Reader, value: Any, line: int) -> dict[str, Any]:
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
            raise r.fail(node.line_of("open_hours_before"),
                         "open_hours_before should be between 0 and 168 (a week)")  # fmt: skip
        out["recurring_ahead_hours"] = hours
    if node.get("default_time") is not None:
        out["recurring_time"] = _clock(r, node, "default_time")
    return out


def _retention(r: _Reader, value: Any, line: int) -> dict[str, Any]:
    node = r.mapping(value, line, "retention")
    r.keys(node, ("blank_personal_after_days", "archive_closed_after_days"), "retention")
    out: dict[str, Any] = {"retention_days": None, "archive_days": None}
    if node.get("blank_personal_after_days") is not None:
        out["retention_days"] = r.number(node, "blank_personal_after_days")
    if node.get("archive_closed_after_days") is not None:
        out["archive_days"] = r.number(node, "archive_closed_after_days")
    return out


_SECTION_READERS: dict[str, Callable[[_Reader, Any, int], dict[str, Any]]] = {
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


def _cross_check(
    rules: Rules, sections: Mapping[str, tuple[Path, LineDict, Any]], directory: Path
) -> None:
    """Checks that span sections: neighbours and low-stock communities must be known."""
    if "communities" not in sections:
        raise RuleError(
            str(directory),
            None,
            "no communities are defined",
            "add a communities: section listing the communities you serve",
        )
    names = {c.name for c in rules.communities}
    path, parent, _ = sections["communities"]
    if len(names) != len(rules.communities):
        raise RuleError(str(path), parent.line_of("communities"), "a community is listed twice")
    for c in rules.communities:
        for n in c.neighbours:
            if rules.community(n) is None:
                raise RuleError(
                    str(path),
                    parent.line_of("communities"),
                    f"{c.name}'s neighbour {n!r} is not a listed community",
                    "list it under communities: or fix the spelling",
                )
    if "stock" in sections:
        spath, sparent, _ = sections["stock"]
        for low in rules.low_stock:
            if low.community and rules.community(low.community) is None:
                raise RuleError(
                    str(spath),
                    sparent.line_of("stock"),
                    f"low_stock names an unknown community {low.community!r}",
                )
