"""`aidsync demo`: a sample workbook in a fresh folder, and one pass on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from sync.backends.xlsx import XlsxBackend
from sync.config import load_settings
from sync.messages import say
from sync.output import describe_pass, summary_text
from sync.resources import default_rules_dir
from sync.sample import SAMPLE_NOW, sample_rows
from sync.schema import Locale, Schema, load_schema
from sync.values import text_of
from sync.worker import PassResult, run_pass


def fresh_folder(base: Path) -> Path:
    """aidsync-demo, or aidsync-demo-2, -3 … whichever does not exist yet."""
    candidate, n = base / "aidsync-demo", 2
    while candidate.exists():
        candidate, n = base / f"aidsync-demo-{n}", n + 1
    return candidate


def _preview_messages(result: PassResult, schema: Schema, shown: int = 3) -> None:
    """The group-chat messages this pass would send (no channel is configured in the demo)."""
    from sync.notify import preview

    outgoing = preview(result.snapshot, result.plan, result.applied, SAMPLE_NOW, schema)
    if not outgoing:
        return
    click.echo(
        f"\nMessages it would send ({len(outgoing)}; no channel is set up, so none went out; "
        "add [[notify]] to aidsync.toml, see docs/notifications.md). The first few:"
    )
    first = {o.event.kind: o for o in reversed(outgoing)}  # one of each kind first
    picked = list(first.values())
    picked += [o for o in outgoing if all(o is not p for p in picked)]
    for item in picked[:shown]:
        click.echo(f"  ── {item.event.kind} · {item.event.id}")
        for line in item.message.text.splitlines():
            click.echo("     " + line)


def _show_inbox(result: PassResult) -> None:
    """What the messages pasted into the Inbox tab became."""
    locale = result.snapshot.locale
    made = [r for r in result.plan.new_rows if r.depends_tab == "inbox"]
    inbox = result.snapshot.table("inbox")
    if inbox is None or not result.plan.intake:
        return
    click.echo("\n" + say(locale, "demo_inbox", tab=inbox.title, n=len(result.plan.intake)))
    for row in made:
        status, volunteer = text_of(row.get("status")), text_of(row.get("volunteer"))
        who = say(locale, "demo_inbox_volunteer", volunteer=volunteer) if volunteer else ""
        click.echo("  " + say(locale, "demo_inbox_request", id=row.id, status=status) + who)
    for line in result.plan.intake:
        click.echo("    " + line)


def run_demo(folder: Path | None, locale: Locale) -> Path:
    """Create the folder with a workbook and a copy of the rules, run a pass, explain it."""
    folder = folder or fresh_folder(Path.cwd())
    if folder.exists() and any(folder.iterdir()):
        raise click.UsageError(f"{folder} is not empty; choose a new folder with --dir")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(default_rules_dir(), folder / "rules")
    workbook = folder / ("互助登记.xlsx" if locale == "zh" else "mutual-aid.xlsx")
    schema = load_schema()
    backend = XlsxBackend(workbook)
    backend.initialise(schema, locale, sample_rows(schema, locale))
    click.echo(f"Created {workbook} with a sample afternoon (20 December 2022) and copied the")
    click.echo(f"rule files to {folder / 'rules'} so you can edit them.\n")
    settings = load_settings({"workbook": str(workbook), "rules": str(folder / "rules")})
    result = run_pass(backend, settings, SAMPLE_NOW)
    click.echo("One pass as of 2022-12-20 15:00:")
    for line in describe_pass(result.snapshot, result.plan, result.applied):
        click.echo(line)
    _show_inbox(result)
    _preview_messages(result, schema)
    click.echo("\nThe Summary tab now reads:")
    for line in summary_text(result.plan):
        click.echo("  " + line)
    click.echo(
        f"\nOpen {workbook} to see the notes in the 系统提示/Sync note column.\n"
        f"Try a change (claim a request by typing a volunteer's name, mark one delivered), then:\n"
        f"  aidsync sync --workbook {workbook} --rules {folder / 'rules'} --now 2022-12-20T15:30"
    )
    return folder
