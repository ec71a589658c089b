"""Slips a Chinese keyboard makes in a hand-edited YAML file, found from its text (pure).

PyYAML reports where its parser gave up, in parser words, often lines after the slip: a
full-width colon on line 9 surfaces as "expected <block end>" on line 13. These functions look
at the file's own lines for the usual culprits and name the line that holds one (a suspected
bad indentation is confirmed by parsing the text again with the line re-indented); the message
codes live in sync/messages/rules.py (each ``code`` with a ``code_fix``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

_CURLY = "“”‘’"
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
# a key typed with a full-width colon: `default_max_open：3`, `- name：独居`
_COLON_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:：#'\"\[\]{},]+)\s*：")
_ASCII_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a scalar that opens with a curly quote: `key: “x”`, `- “x”`, `[“x”, …]`
_CURLY_START = re.compile(r"(?:^\s*(?:-\s+)?|:\s+|[\[,]\s*)[“‘]")
_WHEN_KEY = re.compile(r"^\s*(?:-\s+)?when\s*:")
_FLOW_LIST = re.compile(r"\[[^\[\]]*\]?")
_LIST_ITEM = re.compile(r"^(\s*)-\s+")
_KEY = re.compile(r"^(\s*)(?:-\s+)?[^\s#][^:]*:(?:\s|$)")
# `name: 独居: 老人` — a value holding ': ' that YAML reads as a second key
_VALUE_WITH_COLON = re.compile(
    r"^(?P<key>\s*(?:-\s+)?[^\s:#][^:]*):\s+(?P<value>[^\s\[{'\"].*:(?:\s.*|$))"
)
_DASH_NO_SPACE = re.compile(r"^\s*-[^\s\d-]")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*$")
_FAIL_LATER = frozenset({"yaml_fullwidth_colon", "yaml_tab", "yaml_fullwidth_space"})
# parser complaints that mean "this line does not line up" when no other slip explains them
_STRUCTURE = (
    "expected <block end>",
    "mapping values are not allowed",
    "could not find expected ':'",
    "did not find expected key",
    "did not find expected '-' indicator",
)


@dataclass(frozen=True)
class Slip:
    """A slip named by its message code, the 1-based line holding it, and the message's fields."""

    code: str
    line: int
    fields: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # as written
    content: str  # comment removed, text inside straight quotes blanked out
    indent: str  # the leading whitespace, as written


def _content(text: str) -> str:
    """The line without its comment, with straight-quoted text blanked (quotes keep anything).

    A quote left open runs to the end of the line, which then ends in the open quote's mark
    followed by blanks ("_"), as `_opens_quote` checks.
    """
    out: list[str] = []
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
                out.append(ch)
            else:
                out.append("_")
            continue
        if ch in "\"'" and (i == 0 or text[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _opens_quote(content: str) -> bool:
    """Whether a line's content leaves a straight quote open at its end."""
    stripped = content.rstrip("_")
    return bool(stripped) and stripped[-1] in "\"'" and len(stripped) < len(content)


def _lines(text: str) -> Iterator[_Line]:
    """Each line that YAML reads as structure (block scalars' text skipped)."""
    block_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" \t\u3000")
        indent = raw[: len(raw) - len(stripped)]
        if block_indent is not None:
            if not stripped or len(indent) > block_indent:
                continue
            block_indent = None
        content = _content(raw)
        if not content.strip():
            continue
        if _BLOCK_SCALAR.search(content):
            block_indent = len(indent)
        yield _Line(number, raw, content, indent)


def _slips_of(line: _Line, loaded: bool) -> Iterator[Slip]:
    """The slips one line holds; `loaded` keeps to those that are slips even in valid YAML."""
    n = line.number
    if not loaded and "\t" in line.indent:
        yield Slip("yaml_tab", n)
    if not loaded and "\u3000" in line.indent:
        yield Slip("yaml_fullwidth_space", n)
    colon = _COLON_KEY.match(line.content)
    if colon and (not loaded or _ASCII_KEY.fullmatch(colon.group(1))):
        fixed = line.text.strip().replace("：", ": ", 1).replace(":  ", ": ")
        yield Slip("yaml_fullwidth_colon", n, {"key": colon.group(1), "fixed": fixed})
    for flow in _FLOW_LIST.finditer(line.content):
        if "，" in flow.group(0):
            written = line.text[flow.start() : flow.end()]
            fixed = re.sub(r"\s*，\s*", ", ", written)
            yield Slip("yaml_fullwidth_comma", n, {"text": written, "fixed": fixed})
            break
    has_curly = any(q in line.content for q in _CURLY)
    if has_curly and (
        not loaded or _CURLY_START.search(line.content) or _WHEN_KEY.match(line.content)
    ):
        found = next(q for q in line.content if q in _CURLY)
        fixed = line.text.strip().translate(_STRAIGHT)
        yield Slip("yaml_curly_quotes", n, {"quote": found, "fixed": fixed})


def slip_in_loaded(text: str) -> Slip | None:
    """A slip that YAML accepts but reads otherwise than meant ([甲，乙] is one item), or None."""
    for line in _lines(text):
        for slip in _slips_of(line, loaded=True):
            return slip
    return None


def slip_in_broken(
    text: str,
    error_line: int | None,
    problem: str,
    context: str = "",
    context_line: int | None = None,
) -> Slip | None:
    """The slip that most likely broke a file YAML refused at `error_line`, or None.

    `problem` and `context` are the parser's words, `context_line` the line its context began
    on (the '[' of an unclosed list). In order: a slip on the error line or the context line;
    a list, braces or quote left open; the nearest full-width colon after a key above (YAML
    fails on the next key); a ':' inside a value, or a key without its ':'; and, when the parser
    complains of structure, a line whose indentation matches none of the lines above.
    """
    lines = list(_lines(text))
    by_number = {line.number: line for line in lines}
    for number in (error_line, context_line):
        line = by_number.get(number) if number is not None else None
        for slip in _slips_of(line, loaded=False) if line is not None else ():
            return slip
    if "'\\t'" in problem and error_line is not None:  # a tab after the indentation
        return Slip("yaml_tab_inside", error_line)
    opened = context_line or error_line or 1
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "]" if "sequence" in context else "}"
        return Slip("yaml_unclosed", opened, {"bracket": bracket})
    if "quoted scalar" in context:
        return Slip("yaml_unclosed_quote", opened)
    if error_line is None:
        return None
    above = [line for line in lines if line.number < error_line]
    for line in reversed([*above, *([by_number[error_line]] if error_line in by_number else [])]):
        if _opens_quote(line.content):
            return Slip("yaml_unclosed_quote", line.number)
    for line in reversed(above):  # slips that make YAML fail only on a later line
        for slip in _slips_of(line, loaded=False):
            if slip.code in _FAIL_LATER and (
                slip.code != "yaml_fullwidth_colon" or _ASCII_KEY.fullmatch(slip.fields["key"])
            ):
                return slip
    here = by_number.get(error_line)
    if "mapping values are not allowed" in problem and here is not None:
        value = _VALUE_WITH_COLON.match(here.content)
        if value:
            fixed = f'{value["key"]}: "{value["value"].strip()}"'
            return Slip("yaml_colon_in_value", error_line, {"fixed": fixed.strip()})
        if above and ":" not in above[-1].content and not _LIST_ITEM.match(above[-1].content):
            return Slip("yaml_missing_colon", above[-1].number, {"text": above[-1].text.strip()})
    for line in ([here] if here is not None else []) + above[-1:]:
        if _DASH_NO_SPACE.match(line.content):
            return Slip("yaml_dash_space", line.number)
    if any(words in problem for words in _STRUCTURE):
        return _bad_indent(text, lines, error_line)
    return None


def _key_column(line: _Line) -> int:
    """Where a line's key starts: after the indentation, and after `- ` for a list item."""
    item = _LIST_ITEM.match(line.content)
    return item.end() if item else len(line.indent)


def _bad_indent(text: str, lines: list[_Line], error_line: int) -> Slip | None:
    """The error line when its indentation lines up with no open level above it.

    Confirmed by re-indenting the line to a level above and parsing again: the diagnosis stands
    only when YAML then gets past the line (so a slip further up is not blamed on this line).
    """
    at = next((i for i, line in enumerate(lines) if line.number == error_line), None)
    if at is None or at == 0:
        return None
    line = lines[at]
    found = len(line.indent)
    levels: set[int] = set()
    floor: int | None = None
    for above in reversed(lines[:at]):
        column = len(above.indent)
        if floor is not None and column >= floor:
            continue
        levels.update({column, _key_column(above)})
        floor = column
        if column == 0:
            break
    previous = lines[at - 1]
    opens = _KEY.match(previous.content) and previous.content.endswith(":")
    if opens and found > _key_column(previous):
        return None  # the first line under a key may go as deep as it likes
    if found in levels:
        return None
    nearest = _key_column(previous)
    for level in sorted(levels, key=lambda n: (n != nearest, abs(n - found))):
        if _parses_past(text, error_line, " " * level + line.text[len(line.indent) :]):
            return Slip("yaml_indent", error_line, {"found": str(found), "expected": str(level)})
    return None


def _parses_past(text: str, number: int, replacement: str) -> bool:
    """Whether YAML reads past line `number` once that line is replaced."""
    rows = text.splitlines()
    rows[number - 1] = replacement
    try:
        yaml.safe_load("\n".join(rows))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line + 1 > number
    except yaml.YAMLError:
        return False
    return True
