"""Walking one rule file's parsed YAML: typed values and compiled conditions, with lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import rule_engine

from sync.errors import RuleError
from sync.rules.compiled import Condition, Name
from sync.schema import Schema
from sync.yamlfile import LineDict, LineList

_QUOTED = re.compile(r"""(["'])(.*?)\1""")


class Reader:
    """Walks one file's parsed YAML, turning type problems into RuleErrors with lines."""

    def __init__(self, path: Path, schema: Schema) -> None:
        self.path = path
        self.schema = schema
        self.labels = self._choice_labels(schema)

    @staticmethod
    def _choice_labels(schema: Schema) -> dict[str, str]:
        labels: dict[str, str] = {}
        for choice_list in schema.choices.values():
            for option in choice_list.options:
                for text in (option.en, option.zh, *option.aliases):
                    if text != option.key:
                        labels.setdefault(text, option.key)
        return labels

    def fail(self, line: int | None, code: str, **fields: object) -> RuleError:
        """A RuleError at a line of this file, in the catalogue's words (messages/rulefile.py)."""
        return RuleError(str(self.path), line, code=code, fields=fields)

    def mapping(self, value: Any, line: int, what: str) -> LineDict:
        """The value as a mapping, or a RuleError saying it should be one."""
        if not isinstance(value, LineDict):
            raise self.fail(line, "rf_not_mapping", what=what)
        return value

    def items(self, value: Any, line: int, what: str) -> list[tuple[int, Any]]:
        """A list's items with their lines (none for a missing list)."""
        if value is None:
            return []
        if not isinstance(value, LineList):
            raise self.fail(line, "rf_not_list", what=what)
        return list(zip(value.item_lines, value, strict=True))

    def keys(self, node: LineDict, allowed: Iterable[str], what: str) -> None:
        """Refuse a setting this part of the file does not know, listing those it does."""
        allowed = tuple(allowed)
        for key in node:
            if key not in allowed:
                raise self.fail(node.line_of(key), "rf_unknown_setting", key=key, what=what,
                                allowed=", ".join(allowed))  # fmt: skip

    def number(self, node: LineDict, key: str, default: float | None = None) -> float:
        """A number setting (a default when missing)."""
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node.line_of(key), "rf_not_number", key=key, value=value)
        return float(value)

    def text(self, node: LineDict, key: str, default: str | None = None) -> str:
        """A text setting (a default when missing; numbers read as text)."""
        value = node.get(key, default)
        if value is None:
            raise self.fail(node.line_of(key), "rf_missing", key=key)
        if not isinstance(value, str | int | float):
            raise self.fail(node.line_of(key), "rf_not_text", key=key, value=value)
        return str(value)

    def texts(self, node: LineDict, key: str) -> tuple[str, ...]:
        """A name or a list of names."""
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise self.fail(node.line_of(key), "rf_not_names", key=key)
        return tuple(str(v) for v in value)

    def name(self, node: LineDict) -> Name:
        """A rule's name, in one language or both."""
        value = node.get("name")
        if isinstance(value, str) and value.strip():
            return Name(value.strip(), value.strip())
        if isinstance(value, LineDict) and ("zh" in value or "en" in value):
            return Name(str(value.get("zh", "")), str(value.get("en", "")))
        raise self.fail(node.line_of("name"), "rf_no_name")

    def condition(
        self, node: LineDict, key: str, fields: Mapping[str, Any], rule_name: Name
    ) -> Condition:
        """A condition compiled over these fields; labels instead of option keys refused."""
        source = node.get(key)
        line = node.line_of(key)
        named = {"rule_zh": rule_name.text("zh"), "rule_en": rule_name.text("en")}
        if not isinstance(source, str) or not source.strip():
            raise self.fail(line, "rf_no_condition", key=key, **named)
        for _, literal in _QUOTED.findall(source):
            if literal in self.labels:
                raise self.fail(line, "rf_label_in_condition", source=source, literal=literal,
                                key=self.labels[literal], **named)  # fmt: skip
        used: list[str] = []

        def resolver(name: str) -> Any:
            used.append(name)
            return _resolve(name)

        _resolve = rule_engine.type_resolver_from_dict(dict(fields))
        context = rule_engine.Context(type_resolver=resolver)
        try:
            compiled = rule_engine.Rule(source, context=context)
        except rule_engine.SymbolResolutionError as exc:
            code = "rf_unknown_field_guess" if exc.suggestion else "rf_unknown_field"
            raise self.fail(line, code, field=exc.symbol_name, source=source, guess=exc.suggestion,
                            fields=", ".join(sorted(fields)), **named) from None  # fmt: skip
        except rule_engine.RuleSyntaxError as exc:
            raise self.fail(line, "rf_bad_syntax", source=source, problem=exc.message,
                            **named) from None  # fmt: skip
        except rule_engine.EngineError as exc:
            raise self.fail(line, "rf_bad_condition", source=source, problem=exc.message,
                            **named) from None  # fmt: skip
        return Condition(source, compiled, tuple(dict.fromkeys(used)))
