"""`aidsync sync` and `aidsync run`: one pass, or passes on a schedule, over one workbook
or every workbook aidsync.toml lists."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime
from typing import Any

import click

from sync.backends import Shared, kind_of
from sync.cli.options import (
    log_format_option,
    open_backend,
    parse_now,
    settings_from,
    with_fleet_options,
    workbook_options,
)
from sync.cli.printing import (
    chosen_locale,
    echo_intake,
    echo_json,
    echo_lines,
    json_output,
    reader_locale,
    report_error,
    report_pass,
)
from sync.cli.words import WordedCommand
from sync.config import Settings, WorkbookEntry, load_workbooks
from sync.errors import ConfigError, SyncError
from sync.messages import say
from sync.output import describe_changes, describe_notify


def fleet_of(settings: Settings, only: tuple[str, ...]) -> list[WorkbookEntry]:
    """The listed workbooks to serve, or [] when one workbook was named directly."""
    if kind_of(settings) is not None:
        if only:
            raise ConfigError.worded("cli_only_without_list")
        return []
    entries = load_workbooks(settings)
    if only:
        names = {e.name for e in entries}
        unknown = [n for n in only if n not in names]
        if unknown:
            locale = chosen_locale()
            listed = ", ".join(sorted(names)) or say(locale, "cli_none_listed")
            raise ConfigError.worded("cli_only_unknown", names=", ".join(unknown),
                                     config=settings.config_file, listed=listed)  # fmt: skip
        entries = [e for e in entries if e.name in only]
    return entries


def serve_fleet(
    entries: list[WorkbookEntry], now: str | None, quiet: bool, parallel: int, shared: Shared
) -> int:
    """One pass over each listed workbook; the exit code is the worst of theirs."""
    from sync.worker import FleetPass, run_fleet

    def on_done(outcome: FleetPass) -> None:
        if outcome.error is not None:  # a workbook that failed may not have been read
            report_error(outcome.error, outcome.name, reader_locale())
        elif outcome.result is not None:
            report_pass(outcome.result, quiet, outcome.name)

    outcomes = run_fleet(
        entries,
        lambda settings: open_backend(settings, shared),
        lambda settings: parse_now(now, settings),
        workers=parallel,
        on_done=on_done,
    )
    failed = [o for o in outcomes if o.error is not None]
    if failed and not quiet and not json_output():
        names = ", ".join(o.name for o in failed)
        done = len(outcomes) - len(failed)
        click.echo(say(reader_locale(), "cli_fleet_done", done=done, n=len(outcomes),
                       names=names), err=True)  # fmt: skip
    codes = {o.error.exit_code for o in failed if o.error}
    # the most telling code: bad settings, then a failed pass, then "another pass was running"
    return next((code for code in (2, 1, 3) if code in codes), max(codes, default=0))


@click.command(name="sync", cls=WordedCommand)
@workbook_options
@click.option("--now", metavar="ISO8601", help="Run as if it were this moment (replays, tests).")
@click.option(
    "--dry-run", is_flag=True, help="Show every cell that would change, and why; write nothing."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (for cron).")
@log_format_option
@with_fleet_options
def sync_command(
    now: str | None,
    dry_run: bool,
    quiet: bool,
    log_format: str,
    only: tuple[str, ...],
    parallel: int,
    **flags: Any,
) -> None:
    """Run one pass: check, assign, escalate, and write back notes, log and summary.

    \b
    Examples:
      aidsync sync --workbook aid.xlsx
      aidsync sync --workbook aid.xlsx --dry-run
      aidsync sync --workbook aid.xlsx --now 2022-12-20T15:00:00+08:00
      aidsync sync --workbook aid.xlsx --quiet --log-format json
      aidsync sync --config district.toml            # every workbook listed in it
      aidsync sync --config district.toml --only 重工街道

    With workbooks listed in aidsync.toml ([[aidsync.workbooks]]) and none named on the command
    line, one pass runs over each of them; one workbook's failure does not stop the others.
    """
    from sync.worker import run_pass

    settings = settings_from(flags)
    fleet = fleet_of(settings, only)
    if fleet and dry_run and len(fleet) == 1:
        settings = fleet[0].settings
    elif fleet and dry_run:
        raise ConfigError.worded("cli_dry_run_one")
    elif fleet:
        sys.exit(serve_fleet(fleet, now, quiet, parallel, Shared()))
    backend = open_backend(settings)
    result = run_pass(backend, settings, parse_now(now, settings), dry_run=dry_run)
    if dry_run:
        locale = chosen_locale(result.snapshot.locale)
        lines = describe_changes(result.snapshot, result.plan, result.write_set, locale)
        click.echo(say(locale, "cli_dry_run", source=result.snapshot.source))
        if not lines:
            click.echo(say(locale, "cli_nothing_would_change"))
        echo_intake(result.plan.intake, locale)
        echo_lines(lines)
        echo_lines(describe_notify(result.notified, locale))
        return
    report_pass(result, quiet)


@click.command(cls=WordedCommand)
@workbook_options
@click.option("--every", default="5m", show_default=True, help="Interval: 30s, 5m, 1h.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@log_format_option
@with_fleet_options
def run(
    every: str, quiet: bool, log_format: str, only: tuple[str, ...], parallel: int, **flags: Any
) -> None:
    """Run a pass now and then on a schedule, until Ctrl-C or SIGTERM (the pass in flight
    finishes first). A failed pass is reported and the next one runs on time.

    \b
    Examples:
      aidsync run --workbook aid.xlsx --every 5m
      aidsync run --config district.toml --every 5m --parallel 8

    With workbooks listed in aidsync.toml, each round passes over all of them, sharing one
    Google quota budget (60 requests a minute per service account, 300 per project).
    """
    from sync.worker import parse_interval, run_every, run_pass

    try:
        seconds = parse_interval(every, chosen_locale())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    settings = settings_from(flags)
    fleet = fleet_of(settings, only)
    shared = Shared()
    backend = None if fleet else open_backend(settings, shared)
    # JSON's start event: the English of log collectors
    where = backend.describe() if backend else say("en", "cli_fleet_where", n=len(fleet))
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if quiet:
            pass
        elif json_output():
            echo_json({"level": "info", "event": "stopping", "signal": signum}, err=True)
        else:
            click.echo(say(chosen_locale(), "cli_signal", signum=signum), err=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    announced: list[bool] = []

    def announce() -> None:
        # after the first pass, so that the line is in the workbook's language
        if not announced and not quiet and not json_output():
            announced.append(True)
            locale = reader_locale() if fleet else chosen_locale()
            named = backend.describe() if backend else say(locale, "cli_fleet_where", n=len(fleet))
            click.echo(say(locale, "cli_run_start", every=every, where=named))

    def job() -> None:
        if fleet:
            serve_fleet(fleet, None, quiet, parallel, shared)
            announce()
            return
        assert backend is not None
        try:
            result = run_pass(backend, settings, datetime.now(settings.timezone))
        except SyncError as exc:
            report_error(exc)
            announce()
            return
        report_pass(result, quiet)
        announce()

    if json_output() and not quiet:
        echo_json({"level": "info", "event": "start", "every": every, "source": where})
    run_every(seconds, job, stop)
