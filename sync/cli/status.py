"""`aidsync status`: is the worker alive? (when the last successful pass ran)."""

from __future__ import annotations

import sys
from typing import Any

import click

from sync.cli.options import (
    log_format_option,
    open_backend,
    parse_now,
    settings_from,
    target_flag,
    workbook_options,
)
from sync.cli.printing import chosen_locale, echo_call_budget, echo_json, json_output, own_command
from sync.cli.words import WordedCommand
from sync.output import describe_health
from sync.schema import load_schema


@click.command(cls=WordedCommand)
@workbook_options
@click.option(
    "--max-age",
    default="30m",
    show_default=True,
    help="How old the last successful pass may be: 30m, 2h. Set it above the cron interval.",
)
@click.option("--now", metavar="ISO8601", help="Judge as of this moment.")
@log_format_option
def status(max_age: str, now: str | None, log_format: str, **flags: Any) -> None:
    """Is the worker alive? Read when the last successful pass ran (from the Summary tab).

    Exit 0 when it is recent, 1 when it is older than --max-age or no pass is recorded, 2 when
    the workbook cannot be opened. Use it from monitoring (a health check, a second cron job
    that mails on failure).

    \b
    Examples:
      aidsync status --workbook aid.xlsx
      aidsync status --workbook aid.xlsx --max-age 20m || mail -s "aidsync stalled" me@example.org
    """
    from datetime import timedelta

    from sync.health import judge
    from sync.worker import parse_interval

    try:
        limit = timedelta(seconds=parse_interval(max_age, chosen_locale()))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-age") from None
    settings = settings_from(flags)
    backend = open_backend(settings)
    snapshot = backend.read(load_schema())
    if not json_output():
        echo_call_budget(backend, err=True)
    verdict = judge(snapshot, settings.timezone, parse_now(now, settings), limit)
    if json_output():
        echo_json(
            {
                "level": "info" if verdict.ok else "error",
                "event": "status",
                "ok": verdict.ok,
                "source": snapshot.source,
                "last_pass": verdict.last_pass.isoformat() if verdict.last_pass else None,
                "age_seconds": round(verdict.age.total_seconds()) if verdict.age else None,
                "max_age_seconds": round(limit.total_seconds()),
            }
        )
    else:
        locale = chosen_locale(snapshot.locale)
        text = describe_health(
            verdict, snapshot.source, limit, locale, own_command(), target_flag(settings)
        )
        click.echo(text, err=not verdict.ok)
    if not verdict.ok:
        sys.exit(1)
