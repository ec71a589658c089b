"""The `aidsync` command: parse flags, build objects, run the pass, map errors to exit codes."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from sync import __version__
from sync.backends.base import Backend
from sync.config import Settings, load_settings
from sync.errors import ConfigError, LockHeld, SyncError
from sync.output import describe_changes, describe_pass, summary_text
from sync.planner import build_plan
from sync.rules import load_rules
from sync.schema import load_schema

F = TypeVar("F", bound=Callable[..., Any])


def workbook_options(func: F) -> F:
    """The options every command takes to find its workbook, rules and clock."""
    options = [
        click.option("--workbook", type=click.Path(dir_okay=False, path_type=Path),
                     help="Local .xlsx workbook (env AIDSYNC_WORKBOOK)."),
        click.option("--spreadsheet", metavar="KEY|URL",
                     help="Google spreadsheet key or URL (env AIDSYNC_SPREADSHEET)."),
        click.option("--credentials", type=click.Path(dir_okay=False, path_type=Path),
                     help="Service-account key file (env AIDSYNC_CREDENTIALS or "
                          "GOOGLE_APPLICATION_CREDENTIALS)."),
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
    keys = ("workbook", "spreadsheet", "credentials", "rules", "timezone", "config")
    return load_settings({k: flags.get(k) for k in keys})


def open_backend(settings: Settings) -> Backend:
    """The backend the settings point at."""
    if settings.workbook is not None:
        from sync.backends.xlsx import XlsxBackend

        return XlsxBackend(settings.workbook)
    if settings.spreadsheet:
        from sync.backends.gsheets import GSheetsBackend

        return cast(Backend, GSheetsBackend.from_settings(settings))
    raise ConfigError(
        "which workbook? pass --workbook PATH.xlsx (local) or --spreadsheet KEY --credentials "
        "FILE (Google), or set them in aidsync.toml"
    )


def parse_now(text: str | None, settings: Settings) -> datetime:
    """The moment of the pass: --now (ISO 8601; local time if no offset) or the clock."""
    if not text:
        return datetime.now(settings.timezone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--now {text!r}: write it like 2022-12-20T15:00:00+08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


def echo_lines(lines: list[str], quiet: bool = False) -> None:
    """Print lines unless quiet."""
    if not quiet:
        for line in lines:
            click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="aidsync")
def cli() -> None:
    """aidsync keeps a mutual-aid workbook in order: it checks every request, assigns volunteers
    under your rule files, matches donated stock, and writes status, notes, a log and a summary.

    \b
    First time?   aidsync demo
    Your workbook: aidsync init --workbook aid.xlsx --locale zh
                   aidsync sync --workbook aid.xlsx
    """


@cli.command()
@workbook_options
@click.option(
    "--locale",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of new tabs and headers.",
)
@click.option("--sample", is_flag=True, help="Fill empty tabs with a synthetic sample afternoon.")
def init(locale: str, sample: bool, **flags: Any) -> None:
    """Create a workbook, or add the tabs and headers it lacks (never touching your data).

    \b
    Examples:
      aidsync init --workbook aid.xlsx --locale zh
      aidsync init --workbook demo.xlsx --locale en --sample
      aidsync init --spreadsheet 1AbC... --credentials key.json
    """
    from sync.sample import sample_rows

    settings = settings_from(flags)
    schema = load_schema()
    backend = open_backend(settings)
    rows = sample_rows(schema, locale) if sample else None  # type: ignore[arg-type]
    done = backend.initialise(schema, locale, rows)  # type: ignore[arg-type]
    if done:
        for line in done:
            click.echo(f"{backend.describe()}: {line}")
    else:
        click.echo(f"{backend.describe()}: already has every tab and header; nothing changed")


@cli.command()
@workbook_options
@click.option("--now", metavar="ISO8601", help="Check as of this moment.")
def check(now: str | None, **flags: Any) -> None:
    """Check the rule files and the workbook; change nothing.

    Exit 0 when all is well, 1 when rows need attention, 2 when the rules or the workbook
    cannot be used.

    \b
    Examples:
      aidsync check --workbook aid.xlsx
      aidsync check --workbook aid.xlsx --rules ./rules
    """
    settings = settings_from(flags)
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    click.echo(f"rules: {settings.rules} ({len(rules.files)} files) OK")
    backend = open_backend(settings)
    snapshot = backend.read(schema)
    plan = build_plan(snapshot, rules, parse_now(now, settings), settings.timezone, schema)
    for column in plan.new_columns:
        click.echo(f"note: the next pass adds the column '{column.header}' to {column.tab}")
    if plan.problems:
        click.echo(f"{snapshot.source}: {len(plan.problems)} problem(s) for people to fix:")
        for problem in plan.problems:
            click.echo(f"  - {problem}")
        sys.exit(1)
    click.echo(f"{snapshot.source}: OK, no row needs attention")


@cli.command(name="sync")
@workbook_options
@click.option("--now", metavar="ISO8601", help="Run as if it were this moment (replays, tests).")
@click.option(
    "--dry-run", is_flag=True, help="Show every cell that would change, and why; write nothing."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (for cron).")
def sync_command(now: str | None, dry_run: bool, quiet: bool, **flags: Any) -> None:
    """Run one pass: check, assign, escalate, and write back notes, log and summary.

    \b
    Examples:
      aidsync sync --workbook aid.xlsx
      aidsync sync --workbook aid.xlsx --dry-run
      aidsync sync --workbook aid.xlsx --now 2022-12-20T15:00:00+08:00
    """
    from sync.worker import run_pass

    settings = settings_from(flags)
    backend = open_backend(settings)
    result = run_pass(backend, settings, parse_now(now, settings), dry_run=dry_run)
    from sync.notify import describe as describe_notify

    if dry_run:
        lines = describe_changes(result.snapshot, result.plan)
        click.echo(f"dry run: nothing was written to {result.snapshot.source}")
        if not lines:
            click.echo("nothing would change")
        echo_lines(lines)
        echo_lines(describe_notify(result.notified))
        return
    echo_lines(describe_pass(result.snapshot, result.plan, result.applied), quiet)
    echo_lines(describe_notify(result.notified), quiet)


@cli.command()
@workbook_options
@click.option("--every", default="5m", show_default=True, help="Interval: 30s, 5m, 1h.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def run(every: str, quiet: bool, **flags: Any) -> None:
    """Run a pass now and then on a schedule, until Ctrl-C or SIGTERM (the pass in flight
    finishes first). A failed pass is reported and the next one runs on time.

    \b
    Examples:
      aidsync run --workbook aid.xlsx --every 5m
    """
    from sync.worker import parse_interval, run_every, run_pass

    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    settings = settings_from(flags)
    backend = open_backend(settings)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if not quiet:
            click.echo(f"received signal {signum}: stopping after the pass in flight", err=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    def job() -> None:
        try:
            result = run_pass(backend, settings, datetime.now(settings.timezone))
        except SyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            return
        echo_lines(describe_pass(result.snapshot, result.plan, result.applied), quiet)
        from sync.notify import describe as describe_notify

        echo_lines(describe_notify(result.notified), quiet)

    if not quiet:
        click.echo(f"aidsync: a pass every {every} on {backend.describe()}; Ctrl-C to stop")
    run_every(seconds, job, stop)


@cli.command()
@workbook_options
@click.option("--now", metavar="ISO8601", help="Report as of this moment.")
def report(now: str | None, **flags: Any) -> None:
    """Print the summary and the daily report (changes nothing).

    \b
    Examples:
      aidsync report --workbook aid.xlsx
    """
    settings = settings_from(flags)
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    snapshot = open_backend(settings).read(schema)
    plan = build_plan(snapshot, rules, parse_now(now, settings), settings.timezone, schema)
    echo_lines(summary_text(plan))


@cli.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create (default: a new aidsync-demo folder here).",
)
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def demo(folder: Path | None, locale: str) -> None:
    """Build a sample workbook in a fresh folder and run one pass on it.

    The sample is one afternoon (20 December 2022) of a street office; the pass runs as of
    15:00 that day, so the demo tells the same story every time.

    \b
    Examples:
      aidsync demo
      aidsync demo --locale en --dir /tmp/aid
    """
    from sync.demo import run_demo

    run_demo(folder, locale)  # type: ignore[arg-type]


def main() -> None:
    """Entry point: run the CLI and turn expected errors into a message and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except SyncError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("AIDSYNC_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected {type(exc).__name__}: {exc}\n"
            "  (set AIDSYNC_DEBUG=1 to see the traceback, and please report it)",
            err=True,
        )
        sys.exit(1)


__all__ = ["LockHeld", "cli", "main"]
