"""Words the Summary, stock, recurring and health texts use (folded in from their modules)."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {}
