"""`aidsync check`: the rule files and the workbook checked, nothing changed."""

from __future__ import annotations

import sys
from typing import Any

import click

from sync.cli.options import (
    key_file_warnings,
    open_backend,
    parse_now,
    settings_from,
    workbook_options,
)
from sync.cli.printing import chosen_locale, echo_call_budget, echo_intake
from sync.cli.words import WordedCommand
from sync.messages import say
from sync.planner import build_plan
from sync.rules import load_rules
from sync.schema import load_schema
from sync.worker import rules_for


@click.command(cls=WordedCommand)
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
    backend = open_backend(settings)
    rules = rules_for(backend, settings, schema)
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
