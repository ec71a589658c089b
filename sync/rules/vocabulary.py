"""The `intake:` rule section (rules/intake.yaml) → the words the Inbox reader looks for.

Checked like every rule file: a problem raises RuleError naming the file and line. The stock
synonyms (rules/stock.yaml) join in through `Vocabulary.with_synonyms`, so a word the Stock
tab knows as the same thing (布洛芬 for 退烧药) reads as the same category.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sync.errors import RuleError
from sync.schema import Schema
from sync.yamlfile import LineDict, LineList, load_yaml

_PLAIN_LISTS = ("address_forms", "surnames", "titled_surnames", "name_cues", "urgent",
                "not_urgent", "asking", "nothing", "ignore")  # fmt: skip
_KEYS = (*_PLAIN_LISTS, "household", "categories")


@dataclass(frozen=True)
class CategoryWords:
    """The words that name one category: some only set it, `items` also go into Items."""

    key: str
    words: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Every word list the Inbox reader uses, checked."""

    address_forms: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    titled_surnames: tuple[str, ...] = ()  # names only before a form of address: 万奶奶
    name_cues: tuple[str, ...] = ()
    household: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    categories: tuple[CategoryWords, ...] = ()
    urgent: tuple[str, ...] = ()
    not_urgent: tuple[str, ...] = ()
    asking: tuple[str, ...] = ()
    nothing: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def words(self) -> tuple[str, ...]:
        """Every word listed for a need, a household, urgency or asking (none is a name)."""
        found: list[str] = [
            *self.urgent,
            *self.not_urgent,
            *self.asking,
            *self.nothing,
            *self.ignore,
        ]
        for words in self.household.values():
            found.extend(words)
        for category in self.categories:
            found.extend((*category.words, *category.items))
        return tuple(dict.fromkeys(found))

    def with_synonyms(self, groups: Iterable[Iterable[str]]) -> Vocabulary:
        """The vocabulary with each stock synonym group joined to the category of its items."""
        categories = list(self.categories)
        for group in groups:
            words = tuple(group)
            for i, category in enumerate(categories):
                if any(w in category.items for w in words):
                    extra = tuple(w for w in words if w not in category.items)
                    categories[i] = replace(category, items=category.items + extra)
                    break
        return replace(self, categories=tuple(categories))


def load_vocabulary(path: Path, schema: Schema) -> Vocabulary:
    """Read the `intake:` section of one rule file (an empty vocabulary when it has none)."""
    try:
        data = load_yaml(path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleError(str(path), mark.line + 1 if mark else None, code="yaml_other",
                        fields={"problem": exc.problem or exc}) from None  # fmt: skip
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), None, code="rf_unreadable", fields={"problem": exc}) from None
    if not isinstance(data, LineDict) or "intake" not in data:
        return Vocabulary()
    return read_intake(path, data["intake"], data.line_of("intake"), schema)


def read_intake(path: Path, value: Any, line: int, schema: Schema) -> Vocabulary:
    """Check and compile the `intake:` section; raise RuleError with file and line."""
    where = str(path)
    if not isinstance(value, LineDict):
        raise _fail(where, line, "intake_not_mapping", what="intake")
    for key in value:
        if key not in _KEYS:
            raise _fail(where, value.line_of(key), "intake_unknown_setting", key=key,
                        allowed=", ".join(_KEYS))  # fmt: skip
    out: dict[str, Any] = {}
    for key in _PLAIN_LISTS:
        if key in value:
            out[key] = _words(where, value[key], value.line_of(key), key)
    households = schema.choice_list("household").option_keys()
    if "household" in value:
        node = _mapping(where, value["household"], value.line_of("household"), "household")
        out["household"] = {
            _option(where, node, key, households, "household"): _words(
                where, words, node.line_of(key), f"household {key}"
            )
            for key, words in node.items()
        }
    if "categories" in value:
        out["categories"] = _categories(where, value["categories"], value.line_of("categories"),
                                        schema.choice_list("category").option_keys())  # fmt: skip
    vocabulary = Vocabulary(**out)
    _check_overlaps(where, vocabulary, value)
    return vocabulary


def _categories(
    where: str, value: Any, line: int, keys: tuple[str, ...]
) -> tuple[CategoryWords, ...]:
    node = _mapping(where, value, line, "categories")
    result = []
    for key, entry in node.items():
        option = _option(where, node, key, keys, "category")
        spec = _mapping(where, entry, node.line_of(key), f"category {key}")
        for setting in spec:
            if setting not in ("words", "items"):
                raise _fail(where, spec.line_of(setting), "intake_category_setting",
                            setting=setting, key=key)  # fmt: skip
        result.append(
            CategoryWords(
                option,
                _words(where, spec.get("words"), spec.line_of("words"), f"{key} words"),
                _words(where, spec.get("items"), spec.line_of("items"), f"{key} items"),
            )
        )
    return tuple(result)


def _check_overlaps(where: str, vocabulary: Vocabulary, node: LineDict) -> None:
    """A word under two categories or two households cannot say which it means."""
    for section, groups in (
        ("categories", {c.key: (*c.words, *c.items) for c in vocabulary.categories}),
        ("household", dict(vocabulary.household)),
    ):
        seen: dict[str, str] = {}
        for key, words in groups.items():
            for word in words:
                other = seen.setdefault(word, key)
                if other != key:
                    inner = node.get(section)
                    at = (
                        inner.line_of(key) if isinstance(inner, LineDict) else node.line_of(section)
                    )
                    raise _fail(where, at, "intake_word_twice", word=word, first=other, second=key)


def _fail(where: str, line: int | None, code: str, **fields: object) -> RuleError:
    """A rule error worded in the catalogue (sync/messages/intake.py), in either language."""
    return RuleError(where, line, code=code, fields=fields)


def _mapping(where: str, value: Any, line: int, what: str) -> LineDict:
    if not isinstance(value, LineDict):
        raise _fail(where, line, "intake_not_mapping", what=what)
    return value


def _option(where: str, node: LineDict, key: str, keys: tuple[str, ...], what: str) -> str:
    if key not in keys:
        raise _fail(where, node.line_of(key), "intake_unknown_option", what=what, key=key,
                    keys=", ".join(keys))  # fmt: skip
    return key


def _words(where: str, value: Any, line: int, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(where, line, "intake_not_words", what=what)
    lines = value.item_lines if isinstance(value, LineList) else [line] * len(value)
    words = []
    for item_line, item in zip(lines, value, strict=True):
        if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
            raise _fail(where, item_line, "intake_not_word", what=what, value=repr(item))
        words.append(str(item).strip())
    return tuple(dict.fromkeys(words))
