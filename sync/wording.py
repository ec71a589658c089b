"""Errors that carry a catalogue code, so a command says them in its reader's language.

Kept while callers move to ``Kind.worded(code, **fields)`` and ``error.text(locale)``
(sync/errors.py), which replace both functions here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sync.errors import SyncError
from sync.schema import Locale

E = TypeVar("E", bound=SyncError)


def worded(kind: type[E], code: str, /, **fields: Any) -> E:
    """An error of this kind whose text is a catalogue message (English when str()'d)."""
    return kind.worded(code, **fields)


def error_text(error: SyncError, locale: Locale) -> str:
    """What an expected error says, in a language when it knows its words, else as raised."""
    return error.text(locale)
