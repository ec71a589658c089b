"""The one catalogue of words people read, in Chinese and English, and one way to say them.

Each area keeps its entries in a module of this package (``WORDS``: code → (zh, en)); codes
are unique across areas, which importing this package checks. Chinese texts use Chinese
punctuation; an English text that depends on a count is a ``Plural``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from sync.locale import Locale
from sync.messages import (
    checks,
    cli,
    config,
    dates,
    feishu,
    files,
    google,
    help,
    intake,
    notes,
    notify,
    planning,
    report,
    rulefile,
    rules,
    sheet,
    stock,
    tables,
)
from sync.messages.entry import Entry, Plural

_AREAS = (
    notes, notify, sheet, report, rules, rulefile, checks, dates, cli, config, intake, feishu,
    files, google, help, tables, stock, planning,
)  # fmt: skip


def _merge() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in _AREAS:
        for code, entry in area.WORDS.items():
            if code in merged:
                raise RuntimeError(f"message code {code!r} is defined twice ({area.__name__})")
            merged[code] = entry
    return merged


CATALOG: Mapping[str, Entry] = _merge()


def say(locale: Locale, code: str, **fields: Any) -> str:
    """Render one message in a language."""
    zh, en = CATALOG[code]
    if locale == "zh":
        return zh.format(**fields)
    text = en.pick(fields) if isinstance(en, Plural) else en
    return text.format(**fields)


@functools.cache
def pattern(code: str) -> re.Pattern[str]:
    """A regular expression matching a whole line that says this message, in either language
    (every field stands for some text): how a later pass recognises a line an earlier one wrote."""
    zh, en = CATALOG[code]
    texts = [zh, *((en.one, en.other) if isinstance(en, Plural) else (en,))]
    parts = []
    for text in texts:
        pieces = re.split(r"\{[a-z_]+\}", text)
        parts.append(".+?".join(re.escape(piece) for piece in pieces))
    return re.compile("^(?:" + "|".join(parts) + ")$")


def join(locale: Locale, parts: list[str], list_level: bool = False) -> str:
    """Join parts with the language's separator."""
    return say(locale, "list_sep" if list_level else "sep").join(parts)


__all__ = ["CATALOG", "Entry", "Locale", "Plural", "join", "pattern", "say"]
