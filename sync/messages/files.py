"""Words about the workbook file itself: a file that is not .xlsx, a lock left by an editor."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {}
