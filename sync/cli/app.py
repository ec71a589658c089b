"""The `aidsync` command group: its help, --lang and --version, and its commands."""

from __future__ import annotations

import click

from sync import __version__
from sync.cli.check import check
from sync.cli.demo import demo
from sync.cli.init import init
from sync.cli.passes import run, sync_command
from sync.cli.printing import set_lang
from sync.cli.report import report
from sync.cli.status import status
from sync.cli.words import WordedGroup


@click.group(
    cls=WordedGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="aidsync")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    envvar="AIDSYNC_LANG",
    callback=set_lang,
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


for command in (init, check, sync_command, run, report, status, demo):
    cli.add_command(command)
