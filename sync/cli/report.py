"""`aidsync report`: the summary and the daily report, or the figures over a period."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sync.cli.options import open_backend, parse_now, settings_from, workbook_options
from sync.cli.printing import chosen_lang, echo_lines
from sync.cli.words import WordedCommand
from sync.output import summary_text
from sync.planner import build_plan
from sync.rules import load_rules
from sync.schema import load_schema


@click.command(cls=WordedCommand)
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

        moment, lang = parse_now(now, settings), chosen_lang()
        echo_lines(period_report(open_backend(settings), settings, start, end, out, lang, moment))
        return
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    snapshot = open_backend(settings).read(schema)
    plan = build_plan(snapshot, rules, parse_now(now, settings), settings.timezone, schema)
    echo_lines(summary_text(plan))
