"""The intake words now live with the rules that load them (sync.rules.vocabulary)."""

from __future__ import annotations

from sync.rules.vocabulary import CategoryWords, Vocabulary, load_vocabulary, read_intake

__all__ = ["CategoryWords", "Vocabulary", "load_vocabulary", "read_intake"]
