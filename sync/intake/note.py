"""The note an Inbox row gets: what was read from its message and what is missing (zh, en)."""

from __future__ import annotations

from sync.intake.reading import FIELDS, Reading
from sync.messages import join, pattern, say
from sync.schema import Locale, Schema
from sync.values import mask_phone

_CHOICES = {"household": "household", "category": "category", "urgency": "urgency"}


def describe(reading: Reading, locale: Locale, schema: Schema, empty: bool = False) -> str:
    """One line per finding: what was read, what is missing, what a person should split."""
    if empty:
        return say(locale, "intake_empty")
    if not reading.asks:
        return say(locale, "intake_thanks" if reading.thanks else "intake_no_need")
    tab = schema.tab("requests")
    parts = [
        say(
            locale,
            "intake_field",
            column=tab.column(key).label(locale),
            value=_shown(reading, key, locale, schema),
        )
        for key in FIELDS
        if getattr(reading, key)
    ]
    lines = [
        say(locale, "intake_read", fields=join(locale, parts))
        if parts
        else say(locale, "intake_read_none")
    ]
    if reading.missing:
        columns = _list(locale, [tab.column(k).label(locale) for k in reading.missing])
        lines.append(say(locale, "intake_missing", columns=columns))
    lines.extend(remarks(reading, locale, schema))
    return "\n".join(lines)


def remarks(reading: Reading, locale: Locale, schema: Schema) -> list[str]:
    """What a person should look at: two residents or needs, an unclear community, more phones."""
    lines: list[str] = []
    if len(reading.names) > 1:
        lines.append(
            say(
                locale,
                "intake_residents",
                n=len(reading.names),
                names=_list(locale, list(reading.names)),
            )
        )
    elif len(reading.addresses) > 1:
        lines.append(
            say(
                locale,
                "intake_addresses",
                n=len(reading.addresses),
                addresses=_list(locale, list(reading.addresses)),
            )
        )
    if reading.several_needs:
        categories = schema.choice_list("category")
        labels = [categories.label(k, locale) for k in reading.categories]
        lines.append(say(locale, "intake_needs", categories=_list(locale, labels), first=labels[0]))
    if reading.ambiguous_estate:
        lines.append(
            say(
                locale,
                "intake_estate",
                estate=reading.ambiguous_estate,
                communities=_list(locale, list(reading.estate_communities)),
            )
        )
    if reading.communities_named:
        lines.append(
            say(
                locale,
                "intake_communities",
                communities=_list(locale, list(reading.communities_named)),
            )
        )
    if len(reading.phones) > 1:
        lines.append(
            say(
                locale,
                "intake_phones",
                phones=_list(locale, [mask_phone(p) for p in reading.phones[1:]]),
            )
        )
    return lines


def _list(locale: Locale, values: list[str]) -> str:
    """Values named in a row: 建设社区、兴华社区 / 建设社区, 兴华社区."""
    return say(locale, "intake_and").join(values)


def _shown(reading: Reading, key: str, locale: Locale, schema: Schema) -> str:
    value = str(getattr(reading, key))
    if key == "phone":
        return mask_phone(value)
    if key in _CHOICES:
        return schema.choice_list(_CHOICES[key]).label(value, locale)
    return value


#: the lines that follow the origin line of a request made from a message (see remarks)
_REMARKS = ("intake_residents", "intake_addresses", "intake_needs", "intake_estate",
            "intake_communities", "intake_phones")  # fmt: skip


def origin_block(note: str) -> list[str]:
    """The lines a request made from an Inbox message starts with (which row it came from, and
    what a person should look at), which every later pass keeps; [] for any other note."""
    lines = note.split("\n") if note else []
    if not lines or not pattern("intake_from").match(lines[0]):
        return []
    block = [lines[0]]
    for line in lines[1:]:
        if not any(pattern(code).match(line) for code in _REMARKS):
            break
        block.append(line)
    return block
