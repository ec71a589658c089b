"""Text helpers the Inbox readers share: one folded form, word finding, blanking what was read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

HAN = r"\u4e00-\u9fff"
_ASCII_WORD = re.compile(r"^[A-Za-z0-9 ]+$")


@dataclass(frozen=True)
class Hit:
    """A word found in a text: where, and which listed word it was."""

    start: int
    end: int
    word: str


def fold(text: str) -> str:
    """Full-width digits and letters to plain ones (NFKC), so every reader sees one form.

    NFKC keeps Han characters and emoji as they are, so offsets in the folded text are what
    every later step works on.
    """
    return unicodedata.normalize("NFKC", text)


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with these spans replaced by spaces of the same length (offsets kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def find_words(text: str, words: Iterable[str]) -> list[Hit]:
    """Every listed word in the text, longest first where two overlap, in reading order."""
    lowered = text.casefold()
    found: list[Hit] = []
    for word in sorted(set(words), key=len, reverse=True):
        key = fold(word).casefold()
        if not key:
            continue
        ascii_word = bool(_ASCII_WORD.match(key))
        start = lowered.find(key)
        while start >= 0:
            end = start + len(key)
            if not (ascii_word and _glued(lowered, start, end)) and not any(
                h.start < end and start < h.end for h in found
            ):
                found.append(Hit(start, end, word))
            start = lowered.find(key, start + 1)
    return sorted(found, key=lambda h: h.start)


def _glued(text: str, start: int, end: int) -> bool:
    """An English word inside a longer one (oil in 'boil') is not that word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
