"""What every command shares: the options naming a workbook, the settings and backend they
give, the moment of a pass, and the options of commands that serve many workbooks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from sync.backends import Shared, kind_of, which_workbook
from sync.backends import open_backend as open_named
from sync.backends import options as backend_options
from sync.backends.base import Backend
from sync.cli.printing import set_log_format
from sync.config import Settings, key_file_warning, load_settings
from sync.errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])


def workbook_options(func: F) -> F:
    """The options every command takes to find its workbook, rules and clock (each backend's
    flags come from its option table in sync/backends)."""
    options = [
        click.option(
            f"--{option.name.replace('_', '-')}",
            type=click.Path(dir_okay=False, path_type=Path) if option.kind == "path" else None,
            metavar=option.metavar,
            help=option.help_text(),
        )
        for option in backend_options()
        if option.flag
    ]
    options += [
        click.option("--rules", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder of rule files (default ./rules if present, else the shipped "
                          "defaults; env AIDSYNC_RULES)."),
        click.option("--timezone", help="Time zone of the sheets (default Asia/Shanghai; "
                                        "env AIDSYNC_TIMEZONE)."),
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     help="Settings file (default ./aidsync.toml if present)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def settings_from(flags: dict[str, Any]) -> Settings:
    """Settings from this command's flags, the environment and aidsync.toml."""
    keys = [o.name for o in backend_options() if o.flag] + ["rules", "timezone", "config"]
    return load_settings({k: flags.get(k) for k in keys})


def open_backend(settings: Settings, shared: Shared | None = None) -> Backend:
    """The backend the settings name; backends opened with one Shared share its state (the
    quota of Google's API)."""
    backend = open_named(settings, shared)
    if backend is None:
        raise which_workbook()
    return backend


def key_file_warnings(settings: Settings) -> list[str]:
    """Warnings about key files other users of this machine can read."""
    kind = kind_of(settings)
    files = [o.name for o in kind.options if o.secret_file] if kind else []
    return [w for name in files if (w := key_file_warning(settings.option(name)))]


def parse_now(text: str | None, settings: Settings) -> datetime:
    """The moment of the pass: --now (ISO 8601; local time if no offset) or the clock."""
    if not text:
        return datetime.now(settings.timezone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError.worded("cli_bad_now", text=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


log_format_option = click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    envvar="AIDSYNC_LOG_FORMAT",
    callback=set_log_format,
    is_eager=True,
    help="json: one JSON object per line, without personal details (for log collectors).",
)

fleet_options = [
    click.option(
        "--only",
        "only",
        multiple=True,
        metavar="NAME",
        help="With workbooks listed in aidsync.toml: serve only this one (repeatable).",
    ),
    click.option(
        "--parallel",
        default=4,
        show_default=True,
        type=click.IntRange(1, 64),
        help="With workbooks listed in aidsync.toml: how many passes run at once.",
    ),
]


def with_fleet_options(func: F) -> F:
    """--only and --parallel, for commands that can serve every workbook of aidsync.toml."""
    for option in reversed(fleet_options):
        func = option(func)
    return func


def target_flag(settings: Settings) -> str:
    """How the command line named this workbook (`--workbook 互助.xlsx`), for a tip that gives a
    command to run next; empty when the settings file names it."""
    import shlex

    kind = kind_of(settings)
    if kind is None:
        return ""
    value = settings.options.get(kind.target.name)
    if value is None:
        return ""
    text = str(value)
    if any(ch.isspace() or ch in "'\"\\$`!*?;&|<>(){}[]#~" for ch in text):
        text = shlex.quote(text)  # only when the shell needs it: 互助.xlsx reads as it is
    return f" --{kind.target.name.replace('_', '-')} {text}"
