"""The shape of one catalogue entry: a Chinese text and an English one (which may be plural)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plural:
    """English forms that depend on a count: 'one' when the count field is 1, else 'other'."""

    one: str
    other: str
    count: str = "n"  # the field that holds the count

    def pick(self, fields: dict[str, object]) -> str:
        """The form for these fields (a missing or non-numeric count takes 'other')."""
        value = fields.get(self.count)
        try:
            return self.one if value is not None and float(str(value)) == 1 else self.other
        except ValueError:
            return self.other


Entry = tuple[str, str | Plural]
