"""The program's entry point: the commands run, expected errors turned into a message and an
exit code."""

from __future__ import annotations

import os
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
