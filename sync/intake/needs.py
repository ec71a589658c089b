"""What the message asks for: household, category and items, urgency, and whether it asks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sync.intake.text import blank, find_words
from sync.rules.vocabulary import Vocabulary


@dataclass(frozen=True)
class Need:
    """The need a message states; blank where it says nothing."""

    asks: bool
    household: str = ""  # option key
    category: str = ""  # option key: the first category named
    categories: tuple[str, ...] = ()  # every category named, in reading order
    items: tuple[str, ...] = ()
    urgency: str = ""  # option key
    thanks: bool = False  # it thanks or acknowledges, and asks nothing


def read_need(text: str, vocabulary: Vocabulary) -> Need:
    """The need in a folded text whose phones, names and addresses are already blanked."""
    thanks = bool(find_words(text, vocabulary.nothing))  # before ignore: 不需要了 is one
    text = _without(text, vocabulary.ignore)
    household = ""
    for key, words in vocabulary.household.items():  # the first listed wins: 独居 before 困难
        if find_words(text, words):
            household = key
            break
    categories: list[str] = []
    items: list[str] = []
    owner: dict[str, tuple[str, bool]] = {}
    for group in vocabulary.categories:
        for word in group.words:
            owner.setdefault(word, (group.key, False))
        for word in group.items:
            owner.setdefault(word, (group.key, True))
    for hit in find_words(text, owner):
        key, is_item = owner[hit.word]
        if key not in categories:
            categories.append(key)
        if is_item and hit.word not in items:
            items.append(hit.word)
    # 米 beside 大米 names nothing more: keep the fuller word
    items = [i for i in items if not any(i != o and i in o for o in items)]
    calm = find_words(text, vocabulary.not_urgent)
    rest = _without(text, [h.word for h in calm])
    urgency = "urgent" if find_words(rest, vocabulary.urgent) else "normal" if calm else ""
    asking = bool(find_words(text, vocabulary.asking))
    # a need named, or an emergency, is a request unless the message only thanks or replies
    asks = asking or (bool(categories or urgency == "urgent") and not thanks)
    return Need(
        asks=asks,
        household=household,
        category=categories[0] if categories else "",
        categories=tuple(categories),
        items=tuple(items),
        urgency=urgency,
        thanks=thanks and not asks,
    )


def _without(text: str, phrases: Iterable[str]) -> str:
    """The text with each phrase blanked (same length, so nothing joins across it)."""
    return blank(text, ((h.start, h.end) for h in find_words(text, phrases)))
