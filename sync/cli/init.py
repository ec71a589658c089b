"""`aidsync init`: the tabs and headers a workbook lacks, and a copy of the rules to edit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from sync.cli.options import open_backend, settings_from, target_flag, workbook_options
from sync.cli.printing import chosen_locale, own_command
from sync.cli.words import WordedCommand
from sync.messages import say
from sync.schema import Locale, load_schema


@click.command(cls=WordedCommand)
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
    """Create a workbook, or add the tabs and headers it lacks (never touching your data). With
    no rules/ folder beside you yet, a copy of the default rules goes there.

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
    copy_default_rules(flags, words, target_flag(settings))


def copy_default_rules(flags: dict[str, Any], locale: Locale, target: str = "") -> None:
    """In a folder with no rules/ (and no rules chosen elsewhere), a copy of the shipped rules
    to edit, never over an existing one; says which files to edit first."""
    import shutil

    from sync.resources import default_rules_dir

    here = Path.cwd() / "rules"
    if flags.get("rules") or os.environ.get("AIDSYNC_RULES") or here.exists():
        return
    shutil.copytree(default_rules_dir(), here)
    click.echo(say(locale, "cli_rules_copied", path=here, check=f"{own_command()} check{target}"))
