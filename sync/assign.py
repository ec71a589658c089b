"""Who may take a request, and who should: eligibility and ranking under the rules (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sync.messages import join, say
from sync.model import Request, Volunteer
from sync.rules import Rules
from sync.schema import Locale
from sync.validate import ALL_COMMUNITIES
from sync.values import format_time, on_duty

# How a volunteer relates to a request's community, best first.
SAME, ALL, NEIGHBOUR, BACKUP = 0, 1, 2, 3
_N = "\x00N"  # stands for a count until the reasons are tallied


@dataclass
class Load:
    """A volunteer's workload as the pass goes on (updated as requests are assigned)."""

    open: int = 0
    delivered: int = 0
    last: datetime | None = None


@dataclass(frozen=True)
class Choice:
    """The chosen volunteer and the reasons, ready for the note."""

    volunteer: Volunteer
    reasons: str


@dataclass
class Pool:
    """Every assignable volunteer, indexed by community, with their live workload."""

    rules: Rules
    local_now: datetime
    volunteers: list[Volunteer]
    loads: dict[str, Load]  # by volunteer id
    ids: Mapping[int, str]  # volunteer row → id (existing or given this pass)
    by_community: dict[str, list[Volunteer]] = field(default_factory=dict)
    on_duty_now: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for v in self.volunteers:
            for c in v.communities:
                self.by_community.setdefault(c, []).append(v)
            if v.hours is None:
                self.on_duty_now[v.row.number] = False
            elif v.hours == ():
                self.on_duty_now[v.row.number] = self.rules.blank_hours_on_duty
            else:
                self.on_duty_now[v.row.number] = on_duty(v.hours, self.local_now)

    def capacity(self, v: Volunteer) -> int:
        """How many open tasks this volunteer may hold."""
        return v.max_open if v.max_open is not None else self.rules.default_max_open

    def load(self, v: Volunteer) -> Load:
        """The live workload of a volunteer."""
        return self.loads.setdefault(self.ids[v.row.number], Load())

    def _candidates(
        self, request: Request, waited: float, escalated_for: float
    ) -> list[tuple[int, Volunteer]]:
        community = request.community or ""
        seen: set[int] = set()
        result: list[tuple[int, Volunteer]] = []

        def add(relation: int, volunteers: list[Volunteer]) -> None:
            for v in volunteers:
                if v.row.number not in seen and v.name:
                    seen.add(v.row.number)
                    result.append((relation, v))

        add(SAME, self.by_community.get(community, []))
        add(ALL, self.by_community.get(ALL_COMMUNITIES, []))
        if waited >= self.rules.neighbours_after_minutes:
            for neighbour in self.rules.neighbours(community):
                add(NEIGHBOUR, self.by_community.get(neighbour, []))
        if self.rules.backup_team and escalated_for >= self.rules.backup_after_minutes:
            add(BACKUP, [v for v in self.volunteers if v.team == self.rules.backup_team])
        return result

    def choose(
        self,
        request: Request,
        fields: dict[str, object],
        locale: Locale,
        escalated_for: float,
    ) -> tuple[Choice | None, str]:
        """The best eligible volunteer, or None and why nobody could take it."""
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        excluded: Counter[str] = Counter()
        eligible: list[tuple[tuple[object, ...], int, Volunteer]] = []
        candidates = self._candidates(request, waited, escalated_for)
        for relation, v in candidates:
            reason = self._exclusion(request, v, relation, fields, locale)
            if reason:
                excluded[reason] += 1
                continue
            eligible.append((self._rank(v, relation), relation, v))
        if not eligible:
            if not candidates:
                return None, say(locale, "x_no_one_serves")
            return None, join(locale, [f"{text}" for text in _ordered(excluded)])
        eligible.sort(key=lambda item: item[0])
        _, relation, best = eligible[0]
        return Choice(best, self._reasons(best, relation, locale)), ""

    def _exclusion(
        self,
        request: Request,
        v: Volunteer,
        relation: int,
        fields: dict[str, object],
        locale: Locale,
    ) -> str:
        if not v.active:
            return say(locale, "x_inactive", n=_N)
        if not self.on_duty_now[v.row.number]:
            return say(locale, "x_off_duty", n=_N)
        if self.load(v).open >= self.capacity(v):
            return say(locale, "x_full", n=_N)
        if v.categories is not None and request.category not in v.categories:
            return say(locale, "x_category", n=_N)
        if self.rules.pair_rules:
            pair = {
                **fields,
                "volunteer_name": v.name,
                "volunteer_role": v.role or "",
                "volunteer_team": v.team,
                "volunteer_open": float(self.load(v).open),
                "same_community": relation == SAME,
            }
            for rule in self.rules.pair_rules:
                if not rule.when.matches(pair):
                    return say(locale, "x_rule", n=_N, rule=rule.name.text(locale))
        return ""

    def _rank(self, v: Volunteer, relation: int) -> tuple[object, ...]:
        load = self.load(v)
        key: list[object] = []
        for criterion in self.rules.ranking:
            if criterion == "same_community":
                key.append(relation)
            elif criterion == "fewer_open":
                key.append(load.open)
            elif criterion == "least_recently_assigned":
                key.append(load.last.timestamp() if load.last else float("-inf"))
            elif criterion == "role":
                order = self.rules.role_order
                key.append(order.index(v.role) if v.role in order else len(order))
        key.append(relation)
        key.append(v.row.number)
        return tuple(key)

    def _reasons(self, v: Volunteer, relation: int, locale: Locale) -> str:
        load = self.load(v)
        parts = []
        if relation == SAME:
            parts.append(say(locale, "r_same_community"))
        elif relation == ALL:
            parts.append(say(locale, "r_all"))
        elif relation == NEIGHBOUR:
            parts.append(say(locale, "r_neighbour", community=join(locale, sorted(v.communities))))
        elif relation == BACKUP:
            parts.append(say(locale, "r_backup", team=v.team))
        parts.append(say(locale, "r_open", n=load.open))
        if load.last is None:
            parts.append(say(locale, "r_never"))
        else:
            parts.append(say(locale, "r_last", time=format_time(load.last)))
        return join(locale, parts)

    def take(self, v: Volunteer, moment: datetime) -> None:
        """Record an assignment made this pass."""
        load = self.load(v)
        load.open += 1
        load.last = moment if load.last is None or moment > load.last else load.last


def _ordered(excluded: Counter[str]) -> list[str]:
    return [template.replace(_N, str(count)) for template, count in excluded.most_common()]
