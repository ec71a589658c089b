"""Where the resident lives: the community (names, aliases, estates) and the address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sync.intake.text import HAN, blank, find_words

_NUM = r"(?:\d+|[一二三四五六七八九十]{1,3})"
# one part of a door: 5号楼 3栋 2单元 1门 302室 12号, or 5-1-302
_PART = (
    rf"(?:{_NUM}\s*(?:号楼|栋|幢|座|号院|单元|门|楼|期)|[东西南北中]区|\d+\s*(?:室|户|号)"
    r"|\d+(?:-\d+){1,2}(?:室|号)?|\d{3,4}(?![\d.]))"
)
# at most two spaces between parts: a phone number blanked out never joins two addresses
_TAIL = re.compile(rf"(?:[\s,，]{{0,2}}(?:{_PART}))+")
_BUILDING = re.compile(r"号楼|栋|幢|单元|\d+-\d+")
_STREET = re.compile(rf"[{HAN}]{{1,6}}?(?:路|街|巷|胡同|大道|大街|弄)\s*\d+\s*(?:号院|号|弄)")
_ESTATE = re.compile(rf"[{HAN}]{{2,5}}(?:小区|花园|家园|新村|公寓|大院|苑|里|村)")
# characters that end a word before an estate's name: 住在 / 家住 / 帮 … are not part of it
_LEAD = set("在住是的帮给我你他她家到去送于")


@dataclass(frozen=True)
class Community:
    """A community as the reader knows it: its names and the estates it lists."""

    name: str
    aliases: tuple[str, ...] = ()
    estates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    """The community and address a message states, and what could not be settled."""

    community: str = ""
    address: str = ""
    addresses: tuple[str, ...] = ()  # every distinct address named (two: two residents?)
    address_starts: tuple[int, ...] = ()  # where each of them begins
    ambiguous_estate: str = ""  # an estate listed under several communities
    estate_communities: tuple[str, ...] = ()
    conflict: tuple[str, ...] = ()  # the text names several communities
    spans: tuple[tuple[int, int], ...] = ()  # what was read, blanked before the other readers


def read_place(text: str, communities: Sequence[Community]) -> Place:
    """The community and address in a folded text (phones already blanked)."""
    named: dict[str, str] = {}  # word → community
    for c in communities:
        named.setdefault(c.name, c.name)
        for alias in c.aliases:
            named.setdefault(alias, c.name)
    estates: dict[str, list[str]] = {}
    for c in communities:
        for estate in c.estates:
            estates.setdefault(estate, [])
            if c.name not in estates[estate]:
                estates[estate].append(c.name)
    spans: list[tuple[int, int]] = []
    said: list[str] = []
    estate_hits = find_words(text, estates)
    for hit in find_words(text, [*named, *estates]):
        if hit.word in estates and any(h.start == hit.start for h in estate_hits):
            continue
        if hit.word not in named or _alias_inside_word(text, hit.end, hit.word, named):
            continue
        said.append(named[hit.word])
        spans.append((hit.start, hit.end))
    by_estate: list[tuple[str, list[str]]] = []
    for hit in estate_hits:
        by_estate.append((hit.word, estates[hit.word]))
    community, ambiguous, among, conflict = _settle(said, by_estate)
    # a community's own name is no part of a street (兴华社区幸福路8号 → 幸福路8号)
    addresses, address_spans, starts = _addresses(
        blank(text, spans), [(h.start, h.end) for h in estate_hits]
    )
    return Place(
        community=community,
        address=addresses[0] if addresses else "",
        addresses=tuple(addresses),
        address_starts=tuple(starts),
        ambiguous_estate=ambiguous,
        estate_communities=among,
        conflict=conflict,
        spans=tuple(spans + address_spans),
    )


def _alias_inside_word(text: str, end: int, word: str, named: dict[str, str]) -> bool:
    """A short alias glued to more Han text (建设路, 建设银行) names a street or a bank."""
    if word == named[word] or len(word) > 2:
        return False
    after = text[end : end + 2]
    return bool(after) and bool(re.match(rf"[{HAN}]", after)) and after not in ("社区", "小区")


def _settle(
    said: list[str], by_estate: list[tuple[str, list[str]]]
) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """(community, ambiguous estate, its communities, conflicting communities)."""
    named = list(dict.fromkeys(said))
    if len(named) > 1:
        return "", "", (), tuple(named)
    if named:
        for _estate, among in by_estate:
            if named[0] not in among:
                return "", "", (), tuple(dict.fromkeys([named[0], *among]))
        return named[0], "", (), ()
    sure = list(dict.fromkeys(among[0] for _e, among in by_estate if len(among) == 1))
    if len(sure) > 1:
        return "", "", (), tuple(sure)
    if sure:
        return sure[0], "", (), ()
    if by_estate:
        estate, among = by_estate[0]
        return "", estate, tuple(among), ()
    return "", "", (), ()


def _addresses(
    text: str, known: list[tuple[int, int]]
) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    """Each address: an estate or street with the door after it, or a door with a building."""
    anchors: list[tuple[int, int]] = list(known)
    streets: set[int] = set()
    for pattern in (_STREET, _ESTATE):
        for match in pattern.finditer(text):
            start = _trim_lead(text, match.start(), match.end())
            if any(s < match.end() and start < e for s, e in anchors):
                continue
            tail = _TAIL.match(text, match.end())
            if pattern is _ESTATE and not (tail and _BUILDING.search(tail.group(0))):
                continue  # an unlisted estate counts only with a building after it
            anchors.append((start, match.end()))
            if pattern is _STREET:
                streets.add(start)
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end in sorted(anchors):
        if any(s <= start < e for s, e in taken):
            continue
        stop = end
        # an estate then a street (海兴花园 幸福路12号) or a street then an estate: one address
        for s, e in sorted(anchors):
            joins = (s in streets) != (start in streets) and len(text[stop:s]) <= 2
            if s >= stop and joins and not text[stop:s].strip(" ,，"):
                stop = e
        tail = _TAIL.match(text, stop)
        if tail:
            stop = tail.end()
        taken.append((start, stop))
        found.append((start, stop, _tidy(text[start:stop])))
    for match in _TAIL.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if _BUILDING.search(match.group(0)):
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" ,，"))
            taken.append((start, match.end()))
            found.append((start, match.end(), _tidy(text[start : match.end()])))
    found.sort()
    first: dict[str, int] = {}
    for start, _end, address in found:
        first.setdefault(address, start)
    return list(first), [(s, e) for s, e, _a in found], list(first.values())


def _trim_lead(text: str, start: int, end: int) -> int:
    """Skip words before an estate's name that the pattern took in (住在绿城小区 → 绿城小区)."""
    cut = start
    for i in range(start, end - 3):
        if text[i] in _LEAD:
            cut = i + 1
    return cut


def _tidy(text: str) -> str:
    return re.sub(r"[\s,，]+", "", text)
