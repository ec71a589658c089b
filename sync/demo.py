"""`aidsync demo`: a sample workbook in a fresh folder, and one pass on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from sync.backends import open_backend
from sync.config import load_settings
from sync.errors import ConfigError
from sync.messages import CATALOG, say
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


def _preview_messages(result: PassResult, schema: Schema, locale: Locale, shown: int = 3) -> None:
    """The group-chat messages this pass would send (no channel is configured in the demo)."""
    from sync.notify import preview

    outgoing = preview(result.snapshot, result.plan, result.applied, SAMPLE_NOW, schema)
    if not outgoing:
        return
    click.echo("\n" + say(locale, "demo_messages", n=len(outgoing)))
    first = {o.event.kind: o for o in reversed(outgoing)}  # one of each kind first
    picked = list(first.values())
    picked += [o for o in outgoing if all(o is not p for p in picked)]
    for item in picked[:shown]:
        kind = f"kind_{item.event.kind}"
        named = say(locale, kind) if kind in CATALOG else item.event.kind
        click.echo(f"  ── {named} · {item.event.id}")
        for line in item.message.text.splitlines():
            click.echo("     " + line)


def _show_inbox(result: PassResult, locale: Locale) -> None:
    """What the messages pasted into the Inbox tab became."""
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


def shown_path(path: Path) -> str:
    """A path as short as it can be said from here: relative when under this folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run_demo(
    folder: Path | None, locale: Locale, words: Locale | None = None, command: str = "aidsync"
) -> Path:
    """Create the folder with a workbook and a copy of the rules, run a pass, explain it (in
    `words`, the workbook's language when not given; `command`: how to run aidsync again)."""
    say_in: Locale = words or locale
    folder = folder or fresh_folder(Path.cwd())
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError.worded("cli_demo_not_empty", folder=folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(default_rules_dir(), folder / "rules")
    workbook = folder / ("互助登记.xlsx" if locale == "zh" else "mutual-aid.xlsx")
    schema = load_schema()
    settings = load_settings({"workbook": str(workbook), "rules": str(folder / "rules")})
    backend = open_backend(settings)  # through the registry, like every command
    assert backend is not None  # the settings name the workbook
    backend.initialise(schema, locale, sample_rows(schema, locale))
    book, rules = shown_path(workbook), shown_path(folder / "rules")
    click.echo(say(say_in, "demo_created", workbook=book, rules=rules) + "\n")
    result = run_pass(backend, settings, SAMPLE_NOW)
    click.echo(say(say_in, "demo_pass"))
    for line in describe_pass(result.snapshot, result.plan, result.applied, say_in):
        click.echo(line)
    _show_inbox(result, say_in)
    _preview_messages(result, schema, say_in)
    summary = result.snapshot.table("summary")
    title = summary.title if summary else schema.tab("summary").title(locale)
    click.echo("\n" + say(say_in, "demo_summary", tab=title))
    for line in summary_text(result.plan):
        click.echo("  " + line)
    again = (
        f"{command} sync --workbook {_quoted(book)} --rules {_quoted(rules)} --now 2022-12-20T15:30"
    )
    click.echo("\n" + say(say_in, "demo_next", workbook=book, command=again))
    return folder


def _quoted(text: str) -> str:
    """A path as a shell word (quoted only when it needs to be: Chinese letters do not)."""
    import re
    import shlex

    return shlex.quote(text) if re.search(r"[\s'\"$`\\!*?&;|<>()#~]", text) else text
