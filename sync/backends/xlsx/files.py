"""What can be wrong with the workbook file itself, said with the fix in the workbook's language:
a name that is not .xlsx, a CSV, a file that is no workbook, an office suite's lock file (who
holds it, and how to remove it when it looks left behind)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sync.errors import UnusableWorkbook, WorkbookBusy
from sync.messages import say
from sync.schema import Locale

STALE_LOCK = 12 * 3600  # seconds: a lock file older than this was probably left by a crash
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ZIP = b"PK\x03\x04"


def system_locale() -> Locale:
    """The language to speak before any workbook is read: AIDSYNC_LANG, else the system's."""
    for var in ("AIDSYNC_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class FileProblem(UnusableWorkbook):
    """The workbook file is not one aidsync can use (exit 2); its words from the catalogue."""

    def __init__(self, code: str, locale: Locale, **fields: object) -> None:
        super().__init__(say(locale, code, **fields))
        self.code, self.locale, self.fields = code, locale, dict(fields)

    def text(self, locale: str) -> str:
        """The same problem said in another language."""
        return say("zh" if locale == "zh" else "en", self.code, **self.fields)


class OfficeLock(WorkbookBusy):
    """An office suite holds the workbook open (exit 1: the next pass catches up)."""

    def __init__(self, path: Path, lock: Path, locale: Locale, code: str) -> None:
        self.path, self.lock, self.locale, self.code = path, lock, locale, code
        try:
            self.since = lock.stat().st_mtime
            raw = lock.read_bytes()[:4096]
        except OSError:  # removed meanwhile, or not ours to read
            self.since, raw = time.time(), b""
        self.owner = lock_owner(raw)
        super().__init__(self.text(locale))
        self.code = code  # SyncError's init clears it; text() builds the words itself

    def text(self, locale: str) -> str:
        """Who holds the file since when and, for an old lock, how to remove it; in a language."""
        lang: Locale = "zh" if locale == "zh" else "en"
        fields = {**self.owner, "since": _clock(self.since)}
        if fields.get("user") and fields.get("host"):
            holder = say(lang, "file_holder", **fields)
        elif fields.get("user"):
            holder = say(lang, "file_holder_user", **fields)
        else:
            holder = say(lang, "file_holder_unknown", **fields)
        text = say(lang, self.code, path=self.path, holder=holder, lock=self.lock.name)
        age = time.time() - self.since
        if age <= STALE_LOCK:
            return text
        days = int(age // 86400)
        span = (
            say(lang, "file_age_days", n=days)
            if days
            else say(lang, "file_age_hours", n=int(age // 3600))
        )
        old = say(lang, "file_lock_old", age=span, lock=self.lock)
        return text + ("" if lang == "zh" else " ") + old


def _clock(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def refuse_other_names(path: Path, locale: Locale) -> None:
    """`init` makes .xlsx workbooks only: another name would hold an .xlsx under a false name."""
    if path.suffix.lower() != ".xlsx":
        raise FileProblem("file_not_xlsx_name", locale, path=path, fixed=path.with_suffix(".xlsx"))


def not_a_workbook(path: Path, data: bytes, reason: str) -> FileProblem:
    """The error for bytes that are no .xlsx: a CSV gets "save it as .xlsx"; anything else
    what was wrong and the same way out."""
    if not data.startswith(_ZIP):
        text = _as_text(data[:65536])
        if text is not None and ("," in text or ";" in text or "\t" in text):
            locale: Locale = "zh" if _HAN.search(text) else "en"
            return FileProblem("file_is_csv", locale, path=path, fixed=path.with_suffix(".xlsx"))
    return FileProblem("file_unreadable", system_locale(), path=path, reason=reason)


def lock_error(path: Path, lock: Path, locale: Locale, code: str = "file_locked") -> OfficeLock:
    """What to say when an office suite's lock file stands beside the workbook: who holds it,
    since when, and (when it is old) how to remove it once nobody has the file open."""
    return OfficeLock(path, lock, locale, code)


def lock_owner(raw: bytes) -> dict[str, str]:
    """Who a lock file names: LibreOffice writes `name,user,host,date,profile;` (its name in
    the office suite's settings, often empty, then the system's); Excel's `~$` owner file starts
    with the name's length in one byte, then the name."""
    text = _as_text(raw)
    if text is not None and text.count(",") >= 3:
        fields = [f.strip() for f in re.split(r"(?<!\\),", text.rstrip(";\n"))]
        return _named(fields[0] or fields[1], fields[2])
    if raw and 0 < raw[0] <= 54 and len(raw) > raw[0]:
        name = raw[1 : 1 + raw[0]].decode("latin-1", "replace").strip()
        if name.isprintable():
            return _named(name, "")
    return {}


def _named(user: str, host: str) -> dict[str, str]:
    found: Mapping[str, str] = {"user": user.replace("\\,", ","), "host": host}
    return {k: v for k, v in found.items() if v}


def _as_text(data: bytes) -> str | None:
    """Bytes as text, when they are (UTF-8, UTF-8 with a BOM, or GB18030 from Chinese Excel)."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in range(4):  # a sample may end inside a character
            try:
                return data[: len(data) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
    return None
