"""`aidsync demo`: a sample workbook in a fresh folder, and one pass on it."""

from __future__ import annotations

from pathlib import Path

import click

from sync.cli.printing import chosen_locale, own_command
from sync.cli.words import WordedCommand


@click.command(cls=WordedCommand)
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
