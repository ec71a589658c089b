"""A deliberately tiny formula evaluator: arithmetic, '&', cell references, SUM/MIN/MAX.

Anything else evaluates to the error value '#NAME?'. This is a documented gap: the emulator
records formulas faithfully (FORMULA render option) but only computes trivial ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .a1 import A1Error, parse_reference

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|(?P<str>\"(?:[^\"]|\"\")*\")"
    r"|(?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?![A-Za-z0-9_(])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<op><=|>=|<>|[-+*/^&(),=<>]))"
)

CellReader = Callable[[int, int], Any]


class FormulaError(Exception):
    """A spreadsheet error value such as #DIV/0! or #NAME?."""

    def __init__(self, code: str) -> None:
        """Keep the spreadsheet error code."""
        super().__init__(code)
        self.code = code


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FormulaError("#ERROR!")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    raise FormulaError("#VALUE!")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], read: CellReader) -> None:
        self.tokens = tokens
        self.pos = 0
        self.read = read

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise FormulaError("#ERROR!")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        if self.take()[1] != op:
            raise FormulaError("#ERROR!")

    def concat(self) -> Any:
        value = self.additive()
        while self.peek() == "&":
            self.take()
            value = _text(value) + _text(self.additive())
        return value

    def additive(self) -> Any:
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = _number(self.term())
            value = _number(value) + right if op == "+" else _number(value) - right
        return value

    def term(self) -> Any:
        value = self.power()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            right = _number(self.power())
            if op == "*":
                value = _number(value) * right
            elif right == 0:
                raise FormulaError("#DIV/0!")
            else:
                value = _number(value) / right
        return value

    def power(self) -> Any:
        value = self.unary()
        while self.peek() == "^":
            self.take()
            value = _number(value) ** _number(self.unary())
        return value

    def unary(self) -> Any:
        if self.peek() in ("-", "+"):
            sign = -1.0 if self.take()[1] == "-" else 1.0
            return sign * _number(self.unary())
        return self.primary()

    def cells(self, ref: str) -> list[Any]:
        try:
            r1, c1, r2, c2 = parse_reference(ref.replace("$", ""))
        except A1Error as exc:
            raise FormulaError("#REF!") from exc
        assert r1 is not None and c1 is not None and r2 is not None and c2 is not None
        return [self.read(r, c) for r in range(r1, r2) for c in range(c1, c2)]

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            values = self.cells(text)
            if len(values) != 1:
                raise FormulaError("#VALUE!")
            return values[0]
        if text == "(":
            value = self.concat()
            self.expect(")")
            return value
        if kind == "name" and text.upper() in ("TRUE", "FALSE") and self.peek() != "(":
            return text.upper() == "TRUE"
        if kind == "name" and text.upper() in ("SUM", "MIN", "MAX") and self.peek() == "(":
            self.take()
            numbers: list[float] = []
            while self.peek() != ")":
                if self.pos < len(self.tokens) and self.tokens[self.pos][0] == "ref":
                    values = self.cells(self.take()[1])
                    numbers += [float(v) for v in values if isinstance(v, int | float)]
                else:
                    numbers.append(_number(self.concat()))
                if self.peek() == ",":
                    self.take()
            self.expect(")")
            name = text.upper()
            if name == "SUM":
                return float(sum(numbers))
            return (min if name == "MIN" else max)(numbers) if numbers else 0.0
        raise FormulaError("#NAME?")


def evaluate(formula: str, read: CellReader) -> Any:
    """Evaluate '=...' against a cell reader; returns a number, string, bool or error code."""
    try:
        parser = _Parser(_tokens(formula[1:]), read)
        value = parser.concat()
        if parser.pos != len(parser.tokens):
            raise FormulaError("#ERROR!")
    except FormulaError as exc:
        return exc.code
    except RecursionError:
        return "#REF!"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
