"""A rules folder → Rules: reading the files, dispatching sections, cross-checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sync.errors import RuleError
from sync.resources import templates_dir
from sync.rules.compiled import Rules
from sync.rules.reader import Reader
from sync.rules.sections import SECTION_READERS, SECTIONS
from sync.rules.template import check_template
from sync.schema import Schema
from sync.yamlfile import LineDict, load_yaml
from sync.yamlslips import slip_in_broken, slip_in_loaded


def _read_files(directory: Path) -> list[tuple[Path, LineDict]]:
    if not directory.is_dir():
        raise RuleError(str(directory), None, code="rules_folder_missing")
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise RuleError(str(directory), None, code="rules_folder_empty")
    loaded: list[tuple[Path, LineDict]] = []
    for path in files:
        try:
            data = load_yaml(path)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = str(exc.problem or exc)
            context_line = exc.context_mark.line + 1 if exc.context_mark else None
            slip = slip_in_broken(_text_of(path), line, problem, exc.context or "", context_line)
            if slip is not None:
                raise RuleError(str(path), slip.line, code=slip.code, fields=slip.fields) from None
            raise RuleError(
                str(path), line, code="yaml_other", fields={"problem": problem}
            ) from None
        except UnicodeDecodeError as exc:
            line = _line_of_byte(path, exc.start)
            raise RuleError(str(path), line, code="rules_not_utf8") from None
        except yaml.reader.ReaderError as exc:  # a control character the file cannot hold
            code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1])
            raise RuleError(
                str(path),
                _line_of_character(path, exc.position),
                code="rules_control_char",
                fields={"char": f"{code:04X}"},
            ) from None
        except (OSError, yaml.YAMLError) as exc:
            raise RuleError(
                str(path), None, code="rules_unreadable", fields={"problem": str(exc)}
            ) from None
        if data is None:
            continue
        # valid YAML that still holds a slip: [建设社区，乐园社区] would be one item
        slip = slip_in_loaded(_text_of(path))
        if slip is not None:
            raise RuleError(str(path), slip.line, code=slip.code, fields=slip.fields)
        if not isinstance(data, LineDict):
            raise RuleError(str(path), 1, code="rules_not_mapping")
        loaded.append((path, data))
    return loaded


def _text_of(path: Path) -> str:
    """A rule file's text once YAML has read it (empty when it cannot be read again)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of_byte(path: Path, offset: int) -> int | None:
    """The 1-based line holding a byte of a file (None when the file cannot be read again)."""
    try:
        return path.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return None


def _line_of_character(path: Path, offset: int) -> int | None:
    """The 1-based line holding a character of a UTF-8 file."""
    try:
        return path.read_text(encoding="utf-8")[:offset].count("\n") + 1
    except (OSError, UnicodeDecodeError):
        return None


def load_rules(directory: Path, schema: Schema) -> Rules:
    """Load and check every rule file in a folder; raise RuleError naming file and line."""
    sections: dict[str, tuple[Path, LineDict, Any]] = {}
    for path, data in _read_files(directory):
        for key, value in data.items():
            if key not in SECTIONS:
                raise RuleError(str(path), data.line_of(key), code="rf_unknown_section",
                                fields={"key": key, "sections": ", ".join(SECTIONS)})  # fmt: skip
            if key in sections:
                raise RuleError(str(path), data.line_of(key), code="rf_section_twice",
                                fields={"key": key, "other": sections[key][0].name})  # fmt: skip
            sections[key] = (path, data, value)
    settings: dict[str, Any] = {
        "files": tuple(str(p) for p in sorted({s[0] for s in sections.values()}))
    }
    for key, (path, parent, value) in sections.items():
        reader = Reader(path, schema)
        settings.update(SECTION_READERS[key](reader, value, parent.line_of(key)))
    settings["report_templates"] = _report_templates(directory)
    rules = Rules(**settings)
    _cross_check(rules, sections, directory)
    return rules


def _report_templates(directory: Path) -> dict[str, str]:
    """report.zh.txt / report.en.txt from the rules folder, else the shipped ones."""
    found: dict[str, str] = {}
    for locale in ("zh", "en"):
        for folder in (directory, templates_dir()):
            path = folder / f"report.{locale}.txt"
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                problem = check_template(text)
                if problem:
                    raise RuleError(str(path), None, code="rf_bad_template",
                                    fields={"problem": problem})  # fmt: skip
                found[locale] = text
                break
    return found


def _cross_check(
    rules: Rules, sections: Mapping[str, tuple[Path, LineDict, Any]], directory: Path
) -> None:
    """Checks that span sections: neighbours and low-stock communities must be known."""
    if "communities" not in sections:
        raise RuleError(str(directory), None, code="rf_no_communities")
    names = {c.name for c in rules.communities}
    path, parent, _ = sections["communities"]
    if len(names) != len(rules.communities):
        raise RuleError(str(path), parent.line_of("communities"), code="rf_community_twice")
    for c in rules.communities:
        for n in c.neighbours:
            if rules.community(n) is None:
                raise RuleError(str(path), parent.line_of("communities"),
                                code="rf_unknown_neighbour",
                                fields={"community": c.name, "neighbour": n})  # fmt: skip
    if "stock" in sections:
        spath, sparent, _ = sections["stock"]
        for low in rules.low_stock:
            if low.community and rules.community(low.community) is None:
                raise RuleError(str(spath), sparent.line_of("stock"),
                                code="rf_low_stock_community",
                                fields={"community": low.community})  # fmt: skip
