"""The workbook definition: tabs, columns, choices, and matching headers people typed to keys."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from sync.errors import ConfigError
from sync.resources import templates_dir

Owner = Literal["human", "worker", "shared"]
Locale = Literal["zh", "en"]

_SPACES = re.compile(r"[\s\u200b\ufeff]+")


def normalise(text: object) -> str:
    """Fold a header or choice for matching: full-width forms, case and spaces ignored."""
    if isinstance(text, str):
        return _normalise_text(text)
    return _fold(str(text))


@functools.lru_cache(maxsize=8192)
def _normalise_text(text: str) -> str:
    # the same few hundred labels, names and choices come back on every row of every pass
    return _fold(text)


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub("", folded)


@dataclass(frozen=True)
class Choice:
    """One option of a choice list, with its labels in both languages."""

    key: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()

    def label(self, locale: Locale) -> str:
        """The text written into a sheet of this language."""
        return self.zh if locale == "zh" else self.en


@dataclass(frozen=True)
class ChoiceList:
    """The options of one choice column, matched in either language."""

    name: str
    options: tuple[Choice, ...]
    _index: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for option in self.options:
            for text in (option.key, option.en, option.zh, *option.aliases):
                index.setdefault(normalise(text), option.key)
        object.__setattr__(self, "_index", index)

    def parse(self, value: object) -> str | None:
        """The option key a cell names, or None when it names none."""
        if value is None:
            return None
        if isinstance(value, bool):
            value = "yes" if value else "no"
        return self._index.get(normalise(value))

    def get(self, key: str) -> Choice:
        """The option with this key."""
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)

    def label(self, key: str, locale: Locale) -> str:
        """The label of an option in a language."""
        return self.get(key).label(locale)

    def option_keys(self) -> tuple[str, ...]:
        """Every option key, in order."""
        return tuple(option.key for option in self.options)


@dataclass(frozen=True)
class Column:
    """One column of a tab."""

    key: str
    en: str
    zh: str
    owner: Owner
    type: str
    aliases: tuple[str, ...] = ()
    choices: str | None = None
    required: bool = False
    width: int | None = None  # in characters (CJK counted double); None: from the type
    wrap: bool = False  # long text shown on several lines

    def label(self, locale: Locale) -> str:
        """The header written into a sheet of this language."""
        return self.zh if locale == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        """Every header that identifies this column."""
        return (self.en, self.zh, self.key, *self.aliases)


@dataclass(frozen=True)
class Tab:
    """One tab of the workbook."""

    key: str
    en: str
    zh: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    id_prefix: str = ""
    worker_tab: bool = False
    on_demand: bool = False  # made by the pass that first needs it, not by `init`

    def title(self, locale: Locale) -> str:
        """The tab's name in a language."""
        return self.zh if locale == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        """Every name that identifies this tab."""
        return (self.en, self.zh, self.key, *self.aliases)

    def column(self, key: str) -> Column:
        """The column with this key."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key}.{key}")

    def keys(self) -> tuple[str, ...]:
        """Every column key, in template order."""
        return tuple(c.key for c in self.columns)

    def owned_by(self, *owners: Owner) -> tuple[str, ...]:
        """Keys of the columns whose owner is one of these."""
        return tuple(c.key for c in self.columns if c.owner in owners)

    def header_index(self) -> Mapping[str, str]:
        """Normalised header text → column key."""
        index: dict[str, str] = {}
        for column in self.columns:
            for name in (column.en, column.zh, column.key):
                index.setdefault(normalise(name), column.key)
        for column in self.columns:  # aliases never shadow a real label
            for name in column.aliases:
                index.setdefault(normalise(name), column.key)
        return index


@dataclass(frozen=True)
class Schema:
    """The whole workbook definition."""

    tabs: tuple[Tab, ...]
    choices: Mapping[str, ChoiceList]

    def tab(self, key: str) -> Tab:
        """The tab with this key."""
        for tab in self.tabs:
            if tab.key == key:
                return tab
        raise KeyError(key)

    def choice_list(self, name: str) -> ChoiceList:
        """The choice list with this name."""
        return self.choices[name]

    def find_tab(self, titles: Iterable[str]) -> dict[str, str]:
        """Map tab keys to the actual titles present, matching either language."""
        found: dict[str, str] = {}
        for title in titles:
            norm = normalise(title)
            for tab in self.tabs:
                if tab.key not in found and norm in {normalise(n) for n in tab.names()}:
                    found[tab.key] = title
                    break
        return found


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column sits in a tab as people laid it out."""

    header_row: int  # 1-based sheet row holding the headers
    columns: Mapping[str, int]  # key → 0-based column index
    headers: tuple[str, ...]  # the header row as read, for messages
    duplicates: tuple[tuple[str, int], ...] = ()  # (key, column) of ignored second copies


def map_headers(tab: Tab, rows: Sequence[Sequence[Any]], scan: int = 10) -> HeaderMap:
    """Find the header row (among the first rows) and map its cells to column keys.

    People sometimes put a title line above the headers, so the row matching the most known
    headers wins; unknown headers are ignored (and kept in the sheet).
    """
    index = tab.header_index()
    best: HeaderMap | None = None
    best_hits = 0
    for offset, row in enumerate(rows[:scan]):
        columns: dict[str, int] = {}
        duplicates: list[tuple[str, int]] = []
        for col, cell in enumerate(row):
            if cell is None or str(cell).strip() == "":
                continue
            key = index.get(normalise(cell))
            if key is None:
                continue
            if key in columns:
                duplicates.append((key, col))
            else:
                columns[key] = col
        hits = len(columns)
        if hits > best_hits:
            best_hits = hits
            headers = tuple("" if c is None else str(c) for c in row)
            best = HeaderMap(offset + 1, columns, headers, tuple(duplicates))
    if best is None or (best_hits < 2 and len(tab.columns) > 1):
        return HeaderMap(
            1, {}, tuple("" if c is None else str(c) for c in (rows[0] if rows else ()))
        )
    return best


def _choice(raw: Mapping[str, Any]) -> Choice:
    return Choice(
        key=str(raw["key"]),
        en=str(raw["en"]),
        zh=str(raw["zh"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
    )


def _column(raw: Mapping[str, Any]) -> Column:
    return Column(
        key=str(raw["key"]),
        en=str(raw["en"]),
        zh=str(raw["zh"]),
        owner=raw["owner"],
        type=str(raw["type"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        choices=raw.get("choices"),
        required=bool(raw.get("required", False)),
        width=int(raw["width"]) if raw.get("width") is not None else None,
        wrap=bool(raw.get("wrap", False)),
    )


def parse_schema(data: Mapping[str, Any]) -> Schema:
    """Build a Schema from the parsed workbook definition."""
    choices = {
        name: ChoiceList(name, tuple(_choice(o) for o in options))
        for name, options in data["choices"].items()
    }
    raw_columns = {str(t["key"]): t.get("columns") or () for t in data["tabs"]}

    def columns_of(t: Mapping[str, Any]) -> tuple[Column, ...]:
        if "columns_from" not in t:
            return tuple(_column(c) for c in raw_columns[str(t["key"])])
        # a copy of another tab's columns that only the worker writes (the Archive)
        source = raw_columns[str(t["columns_from"])]
        return tuple(
            replace(_column(c), owner="worker", choices=None, required=False) for c in source
        )

    tabs = tuple(
        Tab(
            key=str(t["key"]),
            en=str(t["en"]),
            zh=str(t["zh"]),
            columns=columns_of(t),
            aliases=tuple(str(a) for a in t.get("aliases") or ()),
            id_prefix=str(t.get("id_prefix", "")),
            worker_tab=bool(t.get("worker_tab", False)),
            on_demand=bool(t.get("on_demand", False)),
        )
        for t in data["tabs"]
    )
    for tab in tabs:
        for column in tab.columns:
            if column.choices and column.choices not in choices:
                raise ConfigError.worded("schema_unknown_choices", tab=tab.key, column=column.key,
                                         choices=column.choices)  # fmt: skip
    return Schema(tabs, choices)


@cache
def load_schema(path: Path | None = None) -> Schema:
    """Load the workbook definition (templates/workbook.yaml by default)."""
    path = path or templates_dir() / "workbook.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError.worded("schema_unreadable", path=path, problem=exc) from exc
    return parse_schema(data)
