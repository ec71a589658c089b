"""Messages from templates/messages/{kind}.{zh,en}.txt, rendered in a Jinja2 sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from sync.errors import ConfigError
from sync.events import Event
from sync.resources import templates_dir
from sync.schema import Locale
from sync.values import safe_text

_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False
)
#: fields that carry personal details: a channel that is not private gets the masked form
PERSONAL = ("phone", "address", "resident")


@dataclass(frozen=True)
class Message:
    """One rendered message: the first line doubles as an e-mail subject."""

    event_id: str
    kind: str
    subject: str
    text: str


def template_path(kind: str, locale: Locale, rules_dir: Path | None) -> Path:
    """The coordinator's copy in RULES/messages/ when there is one, else the shipped template."""
    name = f"{kind}.{locale}.txt"
    if rules_dir is not None and (rules_dir / "messages" / name).is_file():
        return rules_dir / "messages" / name
    return templates_dir() / "messages" / name


@lru_cache(maxsize=64)
def _template(path: Path, mtime: float) -> object:
    try:
        return _ENV.from_string(path.read_text(encoding="utf-8"))
    except (OSError, TemplateError) as exc:
        raise ConfigError.worded("ntf_template_unusable", path=path, problem=exc) from exc


def context(event: Event, private: bool) -> dict[str, str]:
    """What a template may use: personal details masked unless the channel is private."""
    values = dict(event.fields)
    for key in PERSONAL:
        if key in values and not private:
            values[key] = values.get(f"{key}_masked", "")
    return values


def render(event: Event, locale: Locale, private: bool, rules_dir: Path | None = None) -> Message:
    """The message for an event in a language; ConfigError names a broken template."""
    path = template_path(event.kind, locale, rules_dir)
    template = _template(path, path.stat().st_mtime)
    try:
        text = template.render(context(event, private)).strip()  # type: ignore[attr-defined]
    except TemplateError as exc:
        raise ConfigError.worded("ntf_template_render", path=path, problem=exc) from exc
    if not private:
        text = safe_text(text)  # any phone number typed into free text is masked too
    subject = text.splitlines()[0] if text else event.id
    return Message(event.id, event.kind, subject[:150], text)
