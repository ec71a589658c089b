"""How the commands print: plain lines or JSON lines, and in which language."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from sync.backends.base import Backend
from sync.errors import SyncError
from sync.messages import say
from sync.output import describe_notify, describe_pass, pass_record
from sync.schema import Locale


class _Output:
    """How this process reports: plain lines for people, or JSON lines for log collectors,
    and in which language (None: follow the workbook)."""

    json = False
    lang: str | None = None
    workbook: Locale | None = None  # the language of the last workbook read, for later errors


def set_log_format(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """--log-format's callback: JSON lines or plain ones from here on."""
    _Output.json = value == "json"
    return value


def set_lang(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--lang's callback: the language chosen, and no workbook read yet."""
    _Output.lang = value
    _Output.workbook = None  # a new command (several may run in one process) has read nothing
    return value


def forget_workbook() -> None:
    """A new run of the commands (main) has read no workbook yet."""
    _Output.workbook = None


def json_output() -> bool:
    """Whether the commands print JSON lines (--log-format json)."""
    return _Output.json


def chosen_lang() -> str | None:
    """--lang or AIDSYNC_LANG as given (None: follow the workbook)."""
    return _Output.lang


def chosen_locale(workbook: Locale | None = None) -> Locale:
    """The language of what the commands print: --lang or AIDSYNC_LANG, else the workbook's
    (this one, or the last one this command read), else the reader's."""
    if _Output.lang in ("zh", "en"):
        return _Output.lang  # type: ignore[return-value]
    if workbook is not None:
        _Output.workbook = workbook
        return workbook
    if _Output.workbook is not None:
        return _Output.workbook
    return reader_locale()


def reader_locale() -> Locale:
    """The language of lines about no one workbook (a run over many): --lang or AIDSYNC_LANG,
    else the system's (LC_ALL, LC_MESSAGES, LANG), else English."""
    if _Output.lang in ("zh", "en"):
        return _Output.lang  # type: ignore[return-value]
    chosen = os.environ.get("AIDSYNC_LANG", "").strip().lower()  # also before --lang is parsed
    if chosen in ("zh", "en"):
        return chosen  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def echo_json(record: dict[str, Any], err: bool = False) -> None:
    """One JSON line (non-ASCII kept readable)."""
    click.echo(json.dumps(record, ensure_ascii=False, default=str), err=err)


def echo_lines(lines: list[str], quiet: bool = False) -> None:
    """Print lines unless quiet."""
    if not quiet:
        for line in lines:
            click.echo(line)


def echo_intake(lines: tuple[str, ...], locale: Locale) -> None:
    """What each new Inbox message would become (check, --dry-run)."""
    if lines:
        click.echo(say(locale, "cli_intake", n=len(lines)))
        for line in lines:
            click.echo(f"  - {line}")


def echo_call_budget(backend: Backend, err: bool = False) -> None:
    """A backend with a monthly call budget (Feishu's free plan) says what passes spend of it;
    the interval is AIDSYNC_EVERY (as given to `run --every`), 5m when unset."""
    from sync.worker import parse_interval

    budget = getattr(backend, "call_budget", None)  # an optional capability of a backend
    if budget is not None:
        for line in budget(parse_interval(os.environ.get("AIDSYNC_EVERY") or "5m")):
            click.echo(line, err=err)


def report_pass(result: Any, quiet: bool, name: str = "") -> None:
    """Print a finished pass in the chosen format (name: the workbook, when serving many)."""
    notified = result.notified
    if _Output.json:
        if not quiet:
            record = pass_record(result.snapshot, result.plan, result.applied)
            if notified is not None:  # counts only: message subjects may name a community
                record["notified"] = {"sent": len(notified.sent), "failed": len(notified.failed)}
            echo_json({"workbook": name, **record} if name else record)
        return
    locale = chosen_locale(result.snapshot.locale)
    lines = describe_pass(result.snapshot, result.plan, result.applied, locale)
    lines += describe_notify(notified, locale)
    echo_lines([f"[{name}] {line}" for line in lines] if name else lines, quiet)


def report_error(exc: SyncError, name: str = "", locale: Locale | None = None) -> None:
    """An expected error on stderr: `Error: …`, or a JSON line in --log-format json."""
    if _Output.json:  # English for log collectors, whatever the reader's language
        record = {"level": "error", "error": type(exc).__name__, "message": str(exc)}
        where = {"workbook": name} if name else {}
        echo_json({**where, **record, "exit_code": exc.exit_code}, err=True)
    else:
        locale = locale or chosen_locale(exc.locale if exc.locale in ("zh", "en") else None)  # type: ignore[arg-type]
        text = exc.text(locale)
        prefix = f"[{name}] " if name else ""
        click.echo(say(locale, "cli_error", text=prefix + text), err=True)


def own_command() -> str:
    """How to run aidsync again from here: `aidsync` when that is on PATH, else the program
    that is running (`.venv/bin/aidsync` after `make demo`, `…/python -m sync`)."""
    import shutil

    program = Path(sys.argv[0])
    if program.name == "__main__.py":  # python -m sync
        return f"{_shown(Path(sys.executable))} -m sync"
    if not program.exists():
        return "aidsync"
    found = shutil.which("aidsync")
    if found and Path(found).resolve() == program.resolve():
        return "aidsync"
    return _shown(program)


def _shown(program: Path) -> str:
    # not resolved: a venv's python is a link, and only the link's path knows the venv
    here = os.path.relpath(os.path.abspath(program), Path.cwd())
    if here.startswith(".."):
        return os.path.abspath(program)
    return here if os.sep in here else f".{os.sep}{here}"
