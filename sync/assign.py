"""Who may take a request, and who should: eligibility and ranking under the rules (pure)."""

from __future__ import annotations

import heapq
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


class _Entry:
    """A volunteer as the pool sees them during one pass."""

    __slots__ = ("capacity", "load", "ranks", "static", "volunteer")

    def __init__(self, volunteer: Volunteer, load: Load, capacity: int, static: str) -> None:
        self.volunteer = volunteer
        self.load = load
        self.capacity = capacity
        self.static = static  # "x_inactive", "x_off_duty" or "" when available this pass
        self.ranks: dict[int, tuple[object, ...]] = {}  # relation → rank, until the load changes


@dataclass
class _Group:
    """The volunteers one kind of request may reach, split by what can change in a pass."""

    size: int
    static: Counter[str]  # inactive / off duty: fixed for the whole pass
    live: list[tuple[int, _Entry]]  # everyone else (their load changes as the pass assigns)
    # per category, the live volunteers who take it, best rank first (see Pool._first_fit)
    queues: dict[str | None, list[tuple[tuple[object, ...], int, _Entry]]] = field(
        default_factory=dict
    )


@dataclass
class Pool:
    """Every assignable volunteer, indexed by community, with their live workload."""

    rules: Rules
    local_now: datetime
    volunteers: list[Volunteer]
    loads: dict[str, Load]  # by volunteer id
    ids: Mapping[int, str]  # volunteer row → id (existing or given this pass)
    entries: dict[int, _Entry] = field(default_factory=dict)
    by_community: dict[str, list[_Entry]] = field(default_factory=dict)
    _groups: dict[tuple[str, bool, bool], _Group] = field(default_factory=dict)
    _explained: dict[tuple[object, ...], str] = field(default_factory=dict)
    _symbols: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for v in self.volunteers:
            if not v.name:
                continue
            if not v.active:
                static = "x_inactive"
            elif v.hours is None:
                static = "x_off_duty"
            elif v.hours == ():
                static = "" if self.rules.blank_hours_on_duty else "x_off_duty"
            else:
                static = "" if on_duty(v.hours, self.local_now) else "x_off_duty"
            load = self.loads.setdefault(self.ids[v.row.number], Load())
            capacity = v.max_open if v.max_open is not None else self.rules.default_max_open
            entry = _Entry(v, load, capacity, static)
            self.entries[v.row.number] = entry
            for c in v.communities:
                self.by_community.setdefault(c, []).append(entry)

    def load(self, v: Volunteer) -> Load:
        """The live workload of a volunteer."""
        return self.entries[v.row.number].load

    def _candidates(self, community: str, neighbours: bool, backup: bool) -> _Group:
        key = (community, neighbours, backup)
        cached = self._groups.get(key)
        if cached is not None:
            return cached
        seen: set[int] = set()
        result: list[tuple[int, _Entry]] = []

        def add(relation: int, entries: list[_Entry]) -> None:
            for entry in entries:
                if entry.volunteer.row.number not in seen:
                    seen.add(entry.volunteer.row.number)
                    result.append((relation, entry))

        add(SAME, self.by_community.get(community, []))
        add(ALL, self.by_community.get(ALL_COMMUNITIES, []))
        if neighbours:
            for neighbour in self.rules.neighbours(community):
                add(NEIGHBOUR, self.by_community.get(neighbour, []))
        if backup:
            team = self.rules.backup_team
            add(BACKUP, [e for e in self.entries.values() if e.volunteer.team == team])
        group = _Group(
            size=len(result),
            static=Counter(entry.static for _, entry in result if entry.static),
            live=[(relation, entry) for relation, entry in result if not entry.static],
        )
        self._groups[key] = group
        return group

    def reach(
        self, request: Request, fields: dict[str, object], escalated_for: float
    ) -> tuple[str, bool, bool]:
        """Which volunteers a request may reach: its community, and whether the neighbouring
        communities and the backup team are in (they join after waiting times in the rules)."""
        waited = float(fields["minutes_waited"])  # type: ignore[arg-type]
        return (
            request.community or "",
            waited >= self.rules.neighbours_after_minutes,
            bool(self.rules.backup_team) and escalated_for >= self.rules.backup_after_minutes,
        )

    def choose(
        self,
        request: Request,
        fields: dict[str, object],
        locale: Locale,
        escalated_for: float,
    ) -> Choice | None:
        """The best eligible volunteer with room now, or None (see explain for why)."""
        group = self._candidates(*self.reach(request, fields, escalated_for))
        best = self._first_fit(group, request.category, fields)
        if best is None:
            return None
        _, relation, entry = best
        return Choice(entry.volunteer, self._reasons(entry, relation, locale))

    def explain(
        self,
        request: Request,
        fields: dict[str, object],
        locale: Locale,
        escalated_for: float,
    ) -> str:
        """Why nobody can take a request, counted against the volunteers as they stand now.

        Called once the pass has made its last assignment, this describes the pass's end state:
        exactly what the next pass sees at its start, so the note does not change on its own.
        Requests that reach the same volunteers, in the same category, with the same values of
        the fields the assignment conditions read share one explanation, worked out once.
        """
        reach = self.reach(request, fields, escalated_for)
        if self._symbols is None:
            self._symbols = self._pair_symbols()
        key = (*reach, request.category, locale, *(fields.get(s) for s in self._symbols))
        cached = self._explained.get(key)
        if cached is not None:
            return cached
        group = self._candidates(*reach)
        if not group.size:
            text = say(locale, "x_no_one_serves")
        else:
            text = self._count_reasons(group, request.category, fields, locale)
        self._explained[key] = text
        return text

    def _count_reasons(
        self, group: _Group, category: str | None, fields: dict[str, object], locale: Locale
    ) -> str:
        """The reasons, most common first (ties in a fixed order: the rules' own order)."""
        counts: Counter[tuple[str, str]] = Counter()
        full = other = 0
        excluded: Counter[str] = Counter()
        for relation, entry in group.live:
            if entry.load.open >= entry.capacity:
                full += 1
                continue
            categories = entry.volunteer.categories
            if categories is not None and category not in categories:
                other += 1
                continue
            failed = self._pair_rule_failing(entry, relation, fields)
            if failed:
                excluded[failed] += 1
        if other:
            counts[("x_category", "")] += other
        for index in sorted(excluded, key=int):
            counts[("x_rule", index)] += excluded[index]
        for code, count in sorted(group.static.items()):
            counts[(code, "")] += count
        if full:
            counts[("x_full", "")] += full
        order = {reason: n for n, reason in enumerate(counts)}
        ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
        texts = [
            say(locale, code, n=count, rule=self._rule_text(rule, locale))
            for (code, rule), count in ranked
        ]
        return join(locale, texts)

    def _pair_symbols(self) -> tuple[str, ...]:
        """The request fields the assignment conditions read (their explanation depends on them)."""
        volunteer = {"volunteer_name", "volunteer_role", "volunteer_team", "volunteer_open",
                     "same_community"}  # fmt: skip
        found: dict[str, None] = {}
        for rule in self.rules.pair_rules:
            for symbol in rule.when.symbols:
                if symbol not in volunteer:
                    found[symbol] = None
        return tuple(found)

    def _first_fit(
        self, group: _Group, category: str | None, fields: dict[str, object]
    ) -> tuple[tuple[object, ...], int, _Entry] | None:
        """The best-ranked volunteer with room who takes the category and meets the pair rules.

        A heap per category, kept for the whole pass. A rank only ever grows during a pass
        (take() adds an open request and a later last-assigned time; every ranking criterion
        prefers fewer and earlier), so an entry whose rank changed sits above its true place:
        it is re-pushed with its new rank when it reaches the top. A full volunteer stays full.
        """
        queue = group.queues.get(category)
        if queue is None:
            queue = [
                (self._ranked(entry, relation), relation, entry)
                for relation, entry in group.live
                if entry.volunteer.categories is None or category in entry.volunteer.categories
            ]
            heapq.heapify(queue)
            group.queues[category] = queue
        failing = []
        best = None
        while queue:
            rank, relation, entry = queue[0]
            if entry.load.open >= entry.capacity:
                heapq.heappop(queue)
                continue
            current = self._ranked(entry, relation)
            if current != rank:
                heapq.heapreplace(queue, (current, relation, entry))
                continue
            if not self._pair_rule_failing(entry, relation, fields):
                best = queue[0]
                break
            failing.append(heapq.heappop(queue))
        for item in failing:
            heapq.heappush(queue, item)
        return best

    def _ranked(self, entry: _Entry, relation: int) -> tuple[object, ...]:
        rank = entry.ranks.get(relation)
        if rank is None:
            rank = entry.ranks[relation] = self._rank(entry, relation)
        return rank

    def _pair_rule_failing(self, entry: _Entry, relation: int, fields: dict[str, object]) -> str:
        v = entry.volunteer
        pair = {
            **fields,
            "volunteer_name": v.name,
            "volunteer_role": v.role or "",
            "volunteer_team": v.team,
            "volunteer_open": float(entry.load.open),
            "same_community": relation == SAME,
        }
        for index, rule in enumerate(self.rules.pair_rules):
            if not rule.when.matches(pair):
                return str(index)
        return ""

    def _rule_text(self, index: str, locale: Locale) -> str:
        return self.rules.pair_rules[int(index)].name.text(locale) if index else ""

    def _rank(self, entry: _Entry, relation: int) -> tuple[object, ...]:
        load = entry.load
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
                role = entry.volunteer.role
                key.append(order.index(role) if role in order else len(order))
        key.append(relation)
        key.append(entry.volunteer.row.number)
        return tuple(key)

    def _reasons(self, entry: _Entry, relation: int, locale: Locale) -> str:
        v = entry.volunteer
        load = entry.load
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
        entry = self.entries[v.row.number]
        entry.ranks.clear()
        load = entry.load
        load.open += 1
        load.last = moment if load.last is None or moment > load.last else load.last
