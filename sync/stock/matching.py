"""Which lots a wanted item names: by name or by a synonym group of the stock rules."""

from __future__ import annotations

from collections.abc import Sequence

from sync.rules import Rules
from sync.schema import normalise
from sync.stock.items import Wanted
from sync.stock.ledger import Lot


class Matcher:
    """Which lots a wanted item matches by name or synonym (memoised per distinct wording)."""

    def __init__(self, lots: Sequence[Lot], rules: Rules) -> None:
        self.lots = lots
        self.groups = [
            tuple(k for k in (normalise(w) for w in s.words) if k) for s in rules.synonyms
        ]
        self.by_name: dict[str, list[int]] = {}
        for i, lot in enumerate(lots):
            self.by_name.setdefault(normalise(lot.item.item), []).append(i)
        self.cache: dict[str, frozenset[int]] = {}

    def names(self, want: Wanted) -> frozenset[int]:
        """Positions (in the lots given) of the lots whose item name matches."""
        hit = self.cache.get(want.key)
        if hit is None:
            key = want.key
            groups = [g for g in self.groups if any(w in key for w in g)]
            found: set[int] = set()
            for name, rows in self.by_name.items():
                if key and name and self._same(key, name, groups):
                    found.update(rows)
            hit = self.cache[key] = frozenset(found)
        return hit

    @staticmethod
    def _same(want: str, lot: str, groups: list[tuple[str, ...]]) -> bool:
        if lot in want or want in lot:
            return True
        return any(any(w in lot for w in group) for group in groups)
