"""The `aidsync` command: parse flags, build objects, run the pass, map errors to exit codes."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from sync import __version__
from sync.backends import KINDS, Shared, kind_of
from sync.backends import open_backend as open_named
from sync.backends import options as backend_options
from sync.backends.base import Backend
from sync.config import (
    Settings,
    WorkbookEntry,
    key_file_warning,
    load_settings,
    load_workbooks,
)
from sync.errors import ConfigError, LockHeld, SyncError
from sync.messages import say
from sync.output import (
    describe_changes,
    describe_health,
    describe_notify,
    describe_pass,
    pass_record,
    summary_text,
)
from sync.planner import build_plan
from sync.rules import load_rules
from sync.schema import Locale, load_schema
from sync.wording import worded

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
        locale = chosen_locale()
        ways = say(locale, "cli_or").join(kind.hint for kind in KINDS)
        raise worded(ConfigError, "cli_which_workbook", ways=ways)
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
        raise worded(ConfigError, "cli_bad_now", text=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


class _Output:
    """How this process reports: plain lines for people, or JSON lines for log collectors,
    and in which language (None: follow the workbook)."""

    json = False
    lang: str | None = None
    workbook: Locale | None = None  # the language of the last workbook read, for later errors


def _set_log_format(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    _Output.json = value == "json"
    return value


log_format_option = click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    envvar="AIDSYNC_LOG_FORMAT",
    callback=_set_log_format,
    is_eager=True,
    help="json: one JSON object per line, without personal details (for log collectors).",
)


def echo_json(record: dict[str, Any], err: bool = False) -> None:
    """One JSON line (non-ASCII kept readable)."""
    click.echo(json.dumps(record, ensure_ascii=False, default=str), err=err)


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


def echo_call_budget(backend: Backend, err: bool = False) -> None:
    """A backend with a monthly call budget (Feishu's free plan) says what passes spend of it;
    the interval is AIDSYNC_EVERY (as given to `run --every`), 5m when unset."""
    from sync.worker import parse_interval

    budget = getattr(backend, "call_budget", None)  # an optional capability of a backend
    if budget is not None:
        for line in budget(parse_interval(os.environ.get("AIDSYNC_EVERY") or "5m")):
            click.echo(line, err=err)


def echo_intake(lines: tuple[str, ...], locale: Locale) -> None:
    """What each new Inbox message would become (check, --dry-run)."""
    if lines:
        click.echo(say(locale, "cli_intake", n=len(lines)))
        for line in lines:
            click.echo(f"  - {line}")


def echo_lines(lines: list[str], quiet: bool = False) -> None:
    """Print lines unless quiet."""
    if not quiet:
        for line in lines:
            click.echo(line)


def _set_lang(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    _Output.lang = value
    _Output.workbook = None  # a new command (several may run in one process) has read nothing
    return value


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
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="aidsync")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    envvar="AIDSYNC_LANG",
    callback=_set_lang,
    is_eager=True,
    expose_value=False,
    help="Language of what the commands print (default: the workbook's; env AIDSYNC_LANG).",
)
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
    words = chosen_locale(locale)  # type: ignore[arg-type]
    for line in done:
        click.echo(say(words, "cli_init_done", source=backend.describe(), line=line))
    if not done:
        click.echo(say(words, "cli_init_nothing", source=backend.describe()))
    copy_default_rules(flags, words)


def copy_default_rules(flags: dict[str, Any], locale: Locale) -> None:
    """In a folder with no rules/ (and no rules chosen elsewhere), a copy of the shipped rules
    to edit, never over an existing one; says which files to edit first."""
    import shutil

    from sync.resources import default_rules_dir

    here = Path.cwd() / "rules"
    if flags.get("rules") or os.environ.get("AIDSYNC_RULES") or here.exists():
        return
    shutil.copytree(default_rules_dir(), here)
    click.echo(say(locale, "cli_rules_copied", path=here, check=f"{own_command()} check"))


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
    from sync.checks import workbook_warnings
    from sync.resources import default_rules_dir

    settings = settings_from(flags)
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    backend = open_backend(settings)
    snapshot = backend.read(schema)
    locale = chosen_locale(snapshot.locale)
    click.echo(say(locale, "cli_rules_ok", path=settings.rules, n=len(rules.files)))
    echo_call_budget(backend)
    for warning in key_file_warnings(settings):
        click.echo(say(locale, "cli_warning", text=warning), err=True)
    plan = build_plan(snapshot, rules, parse_now(now, settings), settings.timezone, schema)
    for column in plan.new_columns:
        click.echo(say(locale, "cli_new_column", header=column.header, tab=column.tab))
    echo_intake(plan.intake, locale)
    example = load_rules(default_rules_dir(), schema)
    warnings = workbook_warnings(snapshot, rules, schema, locale, example=example)
    if warnings:
        click.echo(say(locale, "cli_warnings", source=snapshot.source, n=len(warnings)))
        for warning in warnings:
            click.echo(f"  - {warning}")
    if plan.problems:
        click.echo(say(locale, "cli_problems", source=snapshot.source, n=len(plan.problems)))
        for problem in plan.problems:
            click.echo(f"  - {problem}")
    if plan.problems:  # warnings do not fail the check: a new setup is still on the examples
        sys.exit(1)
    click.echo(say(locale, "cli_check_ok", source=snapshot.source))


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


def fleet_of(settings: Settings, only: tuple[str, ...]) -> list[WorkbookEntry]:
    """The listed workbooks to serve, or [] when one workbook was named directly."""
    if kind_of(settings) is not None:
        if only:
            raise worded(ConfigError, "cli_only_without_list")
        return []
    entries = load_workbooks(settings)
    if only:
        names = {e.name for e in entries}
        unknown = [n for n in only if n not in names]
        if unknown:
            locale = chosen_locale()
            listed = ", ".join(sorted(names)) or say(locale, "cli_none_listed")
            raise worded(ConfigError, "cli_only_unknown", names=", ".join(unknown),
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
    if failed and not quiet and not _Output.json:
        names = ", ".join(o.name for o in failed)
        done = len(outcomes) - len(failed)
        click.echo(say(reader_locale(), "cli_fleet_done", done=done, n=len(outcomes),
                       names=names), err=True)  # fmt: skip
    codes = {o.error.exit_code for o in failed if o.error}
    # the most telling code: bad settings, then a failed pass, then "another pass was running"
    return next((code for code in (2, 1, 3) if code in codes), max(codes, default=0))


@cli.command(name="sync")
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
        raise worded(ConfigError, "cli_dry_run_one")
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


@cli.command()
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
        elif _Output.json:
            echo_json({"level": "info", "event": "stopping", "signal": signum}, err=True)
        else:
            click.echo(say(chosen_locale(), "cli_signal", signum=signum), err=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    announced: list[bool] = []

    def announce() -> None:
        # after the first pass, so that the line is in the workbook's language
        if not announced and not quiet and not _Output.json:
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

    if _Output.json and not quiet:
        echo_json({"level": "info", "event": "start", "every": every, "source": where})
    run_every(seconds, job, stop)


@cli.command()
@workbook_options
@click.option("--now", metavar="ISO8601", help="Report as of this moment.")
@click.option("--from", "start", metavar="DATE", help="First day of a period report (with --to).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (included).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the period report to FILE.xlsx, FILE.csv or FILE.png.")  # fmt: skip
def report(
    now: str | None, start: str | None, end: str | None, out: Path | None, **flags: Any
) -> None:
    """Print the summary and the daily report, or the figures over a period (changes nothing).

    \b
    Examples:
      aidsync report --workbook aid.xlsx
      aidsync report --workbook aid.xlsx --from 2022-12-13 --to 2022-12-20 --out week.xlsx
    """
    settings = settings_from(flags)
    if start or end or out:
        from sync.report.command import period_report  # pandas: only for a period report

        moment, lang = parse_now(now, settings), _Output.lang
        echo_lines(period_report(open_backend(settings), settings, start, end, out, lang, moment))
        return
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    snapshot = open_backend(settings).read(schema)
    plan = build_plan(snapshot, rules, parse_now(now, settings), settings.timezone, schema)
    echo_lines(summary_text(plan))


@cli.command()
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
    if not _Output.json:
        echo_call_budget(backend, err=True)
    verdict = judge(snapshot, settings.timezone, parse_now(now, settings), limit)
    if _Output.json:
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
        text = describe_health(verdict, snapshot.source, limit, locale, own_command())
        click.echo(text, err=not verdict.ok)
    if not verdict.ok:
        sys.exit(1)


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

    words = chosen_locale(locale)  # type: ignore[arg-type]
    run_demo(folder, locale, words, own_command())  # type: ignore[arg-type]


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


def main() -> None:
    """Entry point: run the CLI and turn expected errors into a message and an exit code."""
    _Output.workbook = None
    try:
        cli.main(standalone_mode=False)
    except SyncError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(say(chosen_locale(), "cli_aborted"), err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("AIDSYNC_DEBUG"):
            raise
        text = say(chosen_locale(), "cli_unexpected", kind=type(exc).__name__, text=exc)
        click.echo(text, err=True)
        sys.exit(1)


__all__ = ["LockHeld", "cli", "main"]
