"""Errors that carry a catalogue code, so a command says them in its reader's language."""

from __future__ import annotations

from typing import Any, TypeVar

from sync.errors import RuleError, SyncError
from sync.messages import CATALOG, say
from sync.schema import Locale

E = TypeVar("E", bound=SyncError)


def worded(kind: type[E], code: str, /, **fields: Any) -> E:
    """An error of this kind whose text is a catalogue message (English when str()'d)."""
    error = kind(say("en", code, **fields))
    setattr(error, "said", (code, fields))  # noqa: B010 (errors.py has no field for it yet)
    return error


def error_text(error: SyncError, locale: Locale) -> str:
    """What an expected error says, in a language when it knows its words, else as raised."""
    if isinstance(error, RuleError):
        return error.text(locale)
    said = getattr(error, "said", None)
    if said is not None and said[0] in CATALOG:
        return say(locale, said[0], **said[1])
    return str(error)
