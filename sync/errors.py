"""The errors aidsync raises on purpose.

Each carries a message that says where the problem is and how to fix it, and an exit code::

    SyncError                 exit 1  (base; a pass that could not finish)
    ├── ConfigError           exit 2  bad flags, settings or credentials
    ├── SchemaError           exit 2  a tab or a required column is missing
    ├── RuleError             exit 2  a rule file does not load (file, line, reason)
    ├── BackendError          exit 1  the workbook could not be read or written
    │   ├── WorkbookBusy      exit 1  an office suite holds the file open
    │   └── StaleSnapshot     (internal) the workbook changed since it was read: re-plan
    └── LockHeld              exit 3  another pass holds the lock
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from sync.messages import CATALOG, say


class SyncError(Exception):
    """Base of every error aidsync reports without a traceback.

    Raised with a catalogue ``code`` and its ``fields`` (``ConfigError.worded("cli_bad_now",
    text=t)``), it says itself in either language through ``text(locale)``; ``str()`` is English.
    A plain message still works and is said as raised.
    """

    exit_code = 1
    locale: str | None = None  # the workbook's language, when whoever raised it knew it

    def __init__(
        self, message: str = "", *, code: str = "", fields: Mapping[str, object] | None = None
    ) -> None:
        self.code = code
        self.fields: dict[str, object] = dict(fields or {})
        super().__init__(message or (_say("en", code, self.fields) if code else ""))

    @classmethod
    def worded(cls, code: str, /, **fields: object) -> Self:
        """An error of this kind whose words are the catalogue's message ``code``."""
        return cls(code=code, fields=fields)

    def in_language(self, locale: str | None) -> Self:
        """This error, marked as about a workbook in this language (the CLI then says it so)."""
        self.locale = locale
        return self

    def text(self, locale: str) -> str:
        """The error in a language: the catalogue's words when it has a code, else as raised."""
        if self.code and self.code in CATALOG:
            return _say(locale, self.code, self.fields)
        return str(self)


class ConfigError(SyncError):
    """Settings, flags or credentials are unusable."""

    exit_code = 2


class SchemaError(SyncError):
    """The workbook lacks a tab or a column that people must fill."""

    exit_code = 2


class RuleError(SyncError):
    """A rule file failed to load; the message names the file and line.

    Given a message ``code`` (sync/messages/rules.py) and its ``fields``, the reason and hint come
    from the catalogue, so ``text(locale)`` can say them in either language; ``str()`` is English.
    """

    exit_code = 2

    def __init__(
        self,
        path: str,
        line: int | None,
        reason: str = "",
        hint: str = "",
        *,
        code: str = "",
        fields: Mapping[str, object] | None = None,
    ) -> None:
        self.path = path
        self.line = line
        fields = dict(fields or {})
        if code:
            reason = reason or _say("en", code, fields)
            hint = hint or _say("en", f"{code}_fix", fields)
        self.reason = reason
        self.hint = hint
        where = f"{path}:{line}" if line else path
        text = f"{where}: {reason}"
        if hint:
            text += f"\n  hint: {hint}"
        super().__init__(text)
        self.code, self.fields = code, fields

    def text(self, locale: str) -> str:
        """The error in a language: the catalogue's words when it has a code, else the English."""
        reason, hint = self.reason, self.hint
        if self.code:
            reason = _say(locale, self.code, self.fields)
            hint = _say(locale, f"{self.code}_fix", self.fields) if self.hint else ""
        frame = {"path": self.path, "line": self.line, "reason": reason}
        text = _say(locale, "rule_error_at" if self.line else "rule_error", frame)
        if hint:
            text += "\n  " + _say(locale, "rule_hint", {"hint": hint})
        return text


def render_rule_error(error: RuleError, locale: str) -> str:
    """A rule error as the coordinator reads it, in 'zh' or 'en'."""
    return error.text(locale)


def _say(locale: str, code: str, fields: Mapping[str, object]) -> str:
    if code not in CATALOG:
        return ""
    return say("zh" if locale == "zh" else "en", code, **fields)


class BackendError(SyncError):
    """The workbook could not be read or written."""

    exit_code = 1


class UnusableWorkbook(BackendError):
    """The workbook does not exist or cannot be read as one: a setting to fix, not a retry."""

    exit_code = 2


class WorkbookBusy(BackendError):
    """An office suite has the workbook open; writing now would be overwritten."""


class StaleSnapshot(BackendError):
    """The workbook changed between the read and the write; the pass re-plans."""


class LockHeld(SyncError):
    """Another aidsync pass is running on the same workbook."""

    exit_code = 3
