"""One message → a frozen reading of what it states (pure): the Inbox reader's entry point."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sync.intake.names import FoundName, find_names
from sync.intake.needs import read_need
from sync.intake.phones import find_phones
from sync.intake.places import Community, read_place
from sync.intake.text import blank, fold
from sync.rules import Rules
from sync.rules.vocabulary import Vocabulary

#: the request fields a reading fills, in the order notes list them
FIELDS = ("name", "phone", "community", "address", "household", "category", "items", "urgency")


class Requirement(Protocol):
    """A field required when a condition holds (sync.rules.RequiredWhen)."""

    @property
    def field(self) -> str: ...

    @property
    def when(self) -> Any: ...


@dataclass(frozen=True)
class Context:
    """What the reader knows besides the text: communities, volunteers, who forwarded it."""

    communities: tuple[Community, ...] = ()
    volunteers: tuple[str, ...] = ()  # names never taken for the resident's
    source: str = ""  # the From cell: the group, or who forwarded the message
    region: str = "CN"
    required: tuple[str, ...] = ("name", "phone", "community", "address", "category")
    required_when: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class Reading:
    """What one message states, field by field; blank where it states nothing."""

    asks: bool
    name: str = ""
    phone: str = ""
    community: str = ""
    address: str = ""
    household: str = ""  # option keys for the choice fields
    category: str = ""
    items: str = ""
    urgency: str = ""
    thanks: bool = False  # asks nothing: a thank-you or a volunteer's 收到
    names: tuple[str, ...] = ()  # every resident named (two or more: split it)
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # two or more: two separate needs, split it
    ambiguous_estate: str = ""
    estate_communities: tuple[str, ...] = ()
    communities_named: tuple[str, ...] = ()  # several communities named: left blank
    missing: tuple[str, ...] = ()

    @property
    def several_residents(self) -> bool:
        """The text names two residents (two messages pasted together?)."""
        return len(self.names) > 1 or len(self.addresses) > 1

    @property
    def several_needs(self) -> bool:
        """The text asks for things of two categories."""
        return len(self.categories) > 1


def read_message(text: str, vocabulary: Vocabulary, context: Context) -> Reading:
    """Read one pasted message; nothing the text does not state is filled in."""
    folded = fold(text)
    phones = find_phones(folded, context.region)
    rest = blank(folded, ((p.start, p.end) for p in phones))
    place = read_place(rest, context.communities)
    rest = blank(rest, place.spans)
    names = find_names(
        rest,
        vocabulary.surnames,
        vocabulary.address_forms,
        vocabulary.name_cues,
        [(p.start, p.end) for p in phones],
        [*context.volunteers, context.source],
        vocabulary.words(),
        vocabulary.titled_surnames,
    )
    rest = blank(rest, ((n.start, n.end) for n in names))
    distinct = _distinct(n.name for n in names)
    need = read_need(rest, vocabulary)
    second = _second_resident(names, distinct, place.address_starts)
    if second is not None:  # two residents: the request is the first one's, and so its need
        first = read_need(rest[:second], vocabulary)
        if first.category:
            need = first
    reading = Reading(
        asks=need.asks,
        name=distinct[0] if distinct else "",
        phone=phones[0].number if phones else "",
        community=place.community,
        address=place.address,
        household=need.household,
        category=need.category,
        items="、".join(need.items),
        urgency=need.urgency,
        thanks=need.thanks,
        names=tuple(distinct),
        phones=tuple(p.number for p in phones),
        addresses=place.addresses,
        categories=need.categories,
        ambiguous_estate=place.ambiguous_estate,
        estate_communities=place.estate_communities,
        communities_named=place.conflict,
    )
    return _with_missing(reading, context)


def _second_resident(
    names: Sequence[FoundName], distinct: Sequence[str], address_starts: Sequence[int]
) -> int | None:
    """Where the second resident's part of the text begins, when it names two."""
    starts = [n.start for n in names if len(distinct) > 1 and n.name == distinct[1]]
    starts += list(address_starts[1:2])
    return min(starts) if starts else None


def _distinct(names: Iterable[str]) -> list[str]:
    """Names in order, one per person: 王奶奶 and 王 are one, 王奶奶 and 李素文 two."""
    kept: list[str] = []
    for name in names:
        if not any(name in k or k in name for k in kept):
            kept.append(name)
    return kept


def _with_missing(reading: Reading, context: Context) -> Reading:
    values: Mapping[str, object] = {
        "household": reading.household,
        "category": reading.category,
        "urgency": reading.urgency,
        "community": reading.community,
        "items": reading.items,
        "notes": "",
        "minutes_waited": 0.0,
        "hour": 0.0,
        "weekday": 1.0,
    }
    wanted = [*context.required]
    wanted += [r.field for r in context.required_when if r.when.matches(values)]
    missing = tuple(k for k in dict.fromkeys(wanted) if not getattr(reading, k, ""))
    return Reading(**{**reading.__dict__, "missing": missing})


def context_from(rules: Rules, volunteers: Iterable[str] = (), source: str = "") -> Context:
    """A reader's context: the rules' communities and checks, the volunteers, the From cell."""
    known = tuple(Community(c.name, c.aliases, c.estates) for c in rules.communities)
    return Context(
        known,
        tuple(v for v in volunteers if v),
        source,
        region=rules.phone_region,
        required=tuple(rules.required),
        required_when=tuple(rules.required_when),
    )
