"""No error a person can meet is English typed inline: every SyncError that sync/ raises takes its
words from the catalogue (``Kind.worded(code, …)`` or ``code=``), so it can say itself in Chinese.

A raise fails this scan when it passes a message of its own: a literal, an f-string, a text joined
or formatted on the spot, or words already said in one language with ``say(…)``."""

from __future__ import annotations

import ast
from pathlib import Path

import sync
from sync.messages import CATALOG

SYNC = Path(sync.__file__).parent

# errors people never see, or that build their words from the catalogue themselves: each a reason
INTERNAL = {
    "StaleSnapshot": "the workbook changed under the pass; the worker re-plans and never shows it",
    "BadRange": "Google's 'range no longer fits'; turned into StaleSnapshot and re-planned",
    "LayoutChanged": "Feishu's 'sheet or range no longer fits'; re-planned like StaleSnapshot",
    "AnswerTooLarge": "Feishu's 10 MB answer limit; the read is split and tried again",
    "FileProblem": "its first argument is a catalogue code (sync/messages/files.py)",
    "OfficeLock": "builds its words from the catalogue in text(locale)",
}
# messages that say a programming error, never a person's mistake
INTERNAL_PREFIX = "internal: "
# raises in files other people were editing; the lead converts them at the merge with the
# catalogue entries already added (sync/messages/google.py), then deletes these lines
PENDING: dict[tuple[str, str], str] = {}  # raises waiting for a code (none left)


def error_classes() -> set[str]:
    """Names of SyncError and every class in sync/ that derives from one (by name)."""
    found = {"SyncError"}
    bases: dict[str, set[str]] = {}
    for path in SYNC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    grown = True
    while grown:
        grown = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                grown = True
    return found


def _text_of(node: ast.expr) -> str:
    """The literal parts of a message, to recognise an allowed one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text_of(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _text_of(node.left) + _text_of(node.right)
    return ""


def _inline(node: ast.expr) -> bool:
    """A message made on the spot rather than named by a catalogue code."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in ("say", "format", "join")
    return False


def raised_inline(tree: ast.AST, where: str, classes: set[str]) -> list[str]:
    """line and message of every SyncError in a module raised with words of its own, no code."""
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name = node.func.id
        if name not in classes or name in INTERNAL:
            continue
        if any(k.arg == "code" for k in node.keywords):
            continue
        # RuleError(path, line, reason, hint): the words start at its third argument
        words = node.args[2:] if name == "RuleError" else node.args[:1]
        inline = [arg for arg in words if _inline(arg)]
        if not inline:
            continue
        text = _text_of(inline[0])
        if text.startswith(INTERNAL_PREFIX):
            continue
        if any(file == where and part in text for file, part in PENDING):
            continue
        problems.append(f"{where}:{node.lineno}: {name}({text[:60]!r}…)")
    return problems


def inline_raises() -> list[str]:
    """Every such raise in sync/, as file:line and message."""
    classes = error_classes()
    problems = []
    for path in sorted(SYNC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += raised_inline(tree, path.relative_to(SYNC).as_posix(), classes)
    return problems


def test_no_error_is_raised_with_english_typed_inline() -> None:
    assert inline_raises() == [], "word these with Kind.worded(code, …) and a catalogue entry"


def test_the_pending_raises_have_their_catalogue_entries() -> None:
    for code in PENDING.values():
        assert code in CATALOG, code


def test_the_scan_catches_what_it_is_for() -> None:
    sample = ast.parse(
        'raise ConfigError(f"{path}: no such file")\n'
        'raise BackendError(say(locale, "x"))\n'
        'raise ConfigError.worded("cfg_no_config_file", path=p)\n'
        'raise RuleError(path, 3, code="rf_missing", fields={})\n'
        'raise RuleError(path, 3, "a community is listed twice")\n'
        'raise BackendError("internal: this snapshot was not read from this workbook")\n'
        'raise StaleSnapshot(f"{path} changed while the pass was planning")\n'
    )
    classes = error_classes()
    flagged = [line.split(":")[1] for line in raised_inline(sample, "x.py", classes)]
    assert flagged == ["1", "2", "5"]
    assert {"ConfigError", "UnusableWorkbook", "FileProblem", "BadRange"} <= classes
