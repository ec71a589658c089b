"""The commands' help in the reader's language.

The English help is each command's docstring and each option's ``help``, as click shows them;
the Chinese comes from the catalogue (sync/messages/help.py), keyed by command and option name.
A text the catalogue lacks is shown in English, so a new option is never without help.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click

from sync.cli.printing import chosen_locale
from sync.messages import CATALOG, say
from sync.values import display_width

# what a Chinese line may not start with: it stays on the line before
_NO_LINE_START = frozenset("。，、；：）」！？")
# click's own words in the help it formats (the rest of it is ours)
_CLICK_WORDS = (("[default: ", "[默认："), ("[required]", "[必填]"), ("; ", "；"))


def _zh(*codes: str) -> str | None:
    """The first of these help entries the catalogue has, in Chinese."""
    for code in codes:
        if code in CATALOG:
            return say("zh", code)
    return None


@contextmanager
def _chinese_params(command: click.Command) -> Iterator[None]:
    """The command's option help in Chinese while its help is formatted."""
    kept = {}
    for param in command.params:
        if isinstance(param, click.Option) and param.name:
            zh = _zh(f"help_{command.name}_{param.name}", f"help_opt_{param.name}")
            if zh is not None:
                kept[param.name] = param.help
                param.help = zh
    try:
        yield
    finally:
        for param in command.params:
            if isinstance(param, click.Option) and param.name in kept:
                param.help = kept[param.name]


class _Worded(click.Command):
    """A command whose help follows the reader's language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if chosen_locale() != "zh":
            super().format_help(ctx, formatter)
            return
        width = formatter.width
        with _chinese_params(self):
            pieces = self.collect_usage_pieces(ctx)
            formatter.write_usage(
                ctx.command_path, " ".join(pieces), prefix=say("zh", "usage_line")
            )
            text = _zh(f"help_{self.name}")
            if text is not None:
                formatter.write_paragraph()
                for paragraph in text.split("\n\n"):
                    lines = paragraph.split("\n")[1:] if paragraph.startswith("\b") else None
                    for line in lines if lines is not None else wrap(paragraph, width - 2):
                        formatter.write(f"  {line}\n")
                    formatter.write("\n")
            else:
                self.format_help_text(ctx, formatter)
            records = []
            for param in self.get_params(ctx):
                record = param.get_help_record(ctx)
                if record is not None:
                    name = "help" if param is self.get_help_option(ctx) else param.name
                    zh = _zh(f"help_opt_{name}") if name == "help" else record[1]
                    records.append((record[0], _chinese_click(zh or record[1])))
            _write_list(formatter, say("zh", "help_options"), records)
            self.format_more(ctx, formatter)
            self.format_epilog(ctx, formatter)

    def format_more(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """What follows the options (a group lists its commands)."""

    def get_short_help_str(self, limit: int = 45) -> str:
        if chosen_locale() == "zh":
            short = _zh(f"help_{self.name}_short")
            if short is not None:
                return short
        return super().get_short_help_str(limit)


def wrap(text: str, width: int) -> list[str]:
    """Lines of a text no wider than width on screen (a CJK character counts two; click's own
    wrapping counts characters and breaks only at spaces, which Chinese has few of)."""
    lines: list[str] = []
    line, used = "", 0
    for word in re.findall(r"\[[^\]]*\]|[A-Za-z0-9_./:@<>|=+\-'\"]+|\s|.", text):
        size = display_width(word)
        if used + size > width and line.strip() and word not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = ("", 0) if word.isspace() else (word, size)
            continue
        line, used = line + word, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _write_list(formatter: click.HelpFormatter, heading: str, rows: list[tuple[str, str]]) -> None:
    """A heading with a Chinese colon, then term and text, the text wrapped by screen width."""
    if not rows:
        return
    formatter.write(f"{heading}：\n")
    first = min(max(display_width(term) for term, _ in rows), 30) + 2
    room = max(formatter.width - first - 4, 20)
    for term, text in rows:
        lines = wrap(text, room) or [""]
        pad = " " * (first - display_width(term))
        if display_width(term) > 30:  # a long term gets a line of its own
            formatter.write(f"  {term}\n")
            pad = " " * (first + 2)
            formatter.write(f"{pad}{lines[0]}\n")
        else:
            formatter.write(f"  {term}{pad}{lines[0]}\n")
        for line in lines[1:]:
            formatter.write(" " * (first + 2) + line + "\n")


def _chinese_click(text: str) -> str:
    for english, chinese in _CLICK_WORDS:
        text = text.replace(english, chinese)
    return text


class WordedCommand(_Worded):
    """A command of aidsync, its help in the reader's language."""


class WordedGroup(_Worded, click.Group):
    """The aidsync group, its help and its list of commands in the reader's language."""

    def format_more(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=formatter.width)))
        formatter.write("\n")
        _write_list(formatter, say("zh", "help_commands"), rows)
