"""The program's entry point: the commands run, expected errors turned into a message and an
exit code."""

from __future__ import annotations

import os
import re
import sys

import click

from sync.cli.app import cli
from sync.cli.printing import chosen_locale, forget_workbook, report_error
from sync.errors import SyncError
from sync.messages import say


def main() -> None:
    """Entry point: run the CLI and turn expected errors into a message and an exit code."""
    forget_workbook()
    try:
        cli.main(standalone_mode=False)
    except SyncError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        show_usage_error(exc)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C before a pass began to write
        click.echo(say(chosen_locale(), "cli_aborted"), err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("AIDSYNC_DEBUG"):
            raise
        text = say(chosen_locale(), "cli_unexpected", kind=type(exc).__name__, text=exc)
        click.echo(text, err=True)
        sys.exit(1)


_NO_COMMAND = re.compile(r"No such command '(.+)'")


def show_usage_error(exc: click.UsageError) -> None:
    """A mistake on the command line, in the reader's language: click's own words in English,
    the catalogue's for the usual slips in Chinese (the usage line stays as click prints it)."""
    locale = chosen_locale()
    if locale != "zh":
        exc.show()
        return
    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "aidsync"
    if isinstance(exc, click.NoSuchOption):
        text = say("zh", "usage_no_option", name=exc.option_name)
        if exc.possibilities:
            text += say("zh", "usage_did_you_mean", names="、".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        text = say("zh", "usage_needs_value", name=exc.option_name)
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        text = say("zh", "usage_missing", name=exc.param.get_error_hint(ctx) if ctx else "")
    elif isinstance(exc, click.BadParameter):
        name = exc.param_hint or (exc.param.get_error_hint(ctx) if exc.param and ctx else "")
        text = say("zh", "usage_bad_value", name=str(name).strip("'\""), text=exc.message)
    elif (found := _NO_COMMAND.match(exc.message)) is not None:
        text = say("zh", "usage_no_command", name=found.group(1))
    else:
        text = exc.format_message()
    if ctx is not None:
        click.echo(ctx.get_usage().replace("Usage: ", say("zh", "usage_line"), 1), err=True)
    click.echo(say("zh", "usage_try_help", command=command) + "\n", err=True)
    click.echo(say("zh", "cli_error", text=text), err=True)
