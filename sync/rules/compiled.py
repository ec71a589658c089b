"""Compiled rules: the frozen values a loaded rules folder becomes (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import rule_engine

from sync.rules.vocabulary import Vocabulary
from sync.schema import Locale, normalise

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
