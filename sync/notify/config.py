"""Notification channels as written in aidsync.toml: `[[aidsync.notify]]` or `[[notify]]` tables.

Parsed and checked here; sync/config.py only stores the result. Secrets (signing keys, SMTP
passwords, and webhook URLs that carry a key) come from an environment variable or a file named
in the table, never from the table itself or the sheet, and are read only when a message is sent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from sync.errors import ConfigError

KINDS = ("webhook", "wecom", "dingtalk", "feishu", "slack", "smtp")
EVENTS = ("assignment", "escalation", "reminder", "report")
_HTTP_KEYS = {"url", "url_env", "url_file", "secret_env", "secret_file", "msgtype"}
_SMTP_KEYS = {
    "host", "port", "starttls", "ssl", "username", "password_env", "password_file",
    "sender", "to",
}  # fmt: skip
_COMMON_KEYS = {
    "name", "type", "events", "private", "locale", "teams", "communities", "timeout",
    "report_at", "catch_up_hours", "max_per_pass",
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
Where = dict[
    str, object
]  # the settings file and the channel: the catalogue fields {origin} {channel}


@dataclass(frozen=True)
class SecretRef:
    """Where a secret lives: an environment variable or a file (never its value)."""

    env: str | None = None
    file: Path | None = None

    def __bool__(self) -> bool:
        return bool(self.env or self.file)

    def describe(self) -> str:
        """Where the secret is read from, for error messages."""
        return f"environment variable {self.env}" if self.env else f"file {self.file}"

    def read(self, environ: Mapping[str, str] | None = None) -> str:
        """The secret's value; MissingSecret naming the place (never the value) if missing."""
        environ = os.environ if environ is None else environ
        if self.env:
            value = environ.get(self.env, "").strip()
            if not value:
                raise MissingSecret("secret_env_unset", env=self.env)
            return value
        if self.file:
            try:
                value = self.file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                reason = exc.strerror or "unreadable"
                raise MissingSecret(
                    "secret_file_unreadable", file=self.file, reason=reason
                ) from None
            if not value:
                raise MissingSecret("secret_file_empty", file=self.file)
            return value
        raise MissingSecret("secret_none")


class MissingSecret(Exception):
    """A secret named in the settings is not there at send time: a catalogue code and its fields,
    said with the channel's name as a SendError."""

    def __init__(self, code: str, /, **fields: object) -> None:
        self.code, self.fields = code, fields
        super().__init__(code)


@dataclass(frozen=True)
class Channel:
    """One place messages go to, and which messages it takes."""

    name: str
    kind: str
    events: frozenset[str] = frozenset(EVENTS)
    private: bool = False
    locale: str | None = None  # None: the sheet's language
    teams: frozenset[str] = frozenset()  # blank: every team
    communities: frozenset[str] = frozenset()  # blank: every community
    timeout: float = 10.0
    report_at: time | None = None  # None: when the rules' report.daily_at releases it
    catch_up_hours: float = 24.0
    max_per_pass: int = 20
    url: str | None = None
    url_secret: SecretRef = field(default_factory=SecretRef)
    secret: SecretRef = field(default_factory=SecretRef)
    msgtype: str = "text"
    host: str = ""
    port: int = 0
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    sender: str = ""
    to: tuple[str, ...] = ()

    def describe(self) -> str:
        """The channel's name and kind: never its URL or a secret."""
        return f"{self.name} ({self.kind})"

    def target_url(self, environ: Mapping[str, str] | None = None) -> str:
        """The webhook URL, read from the settings or from where they say it is kept."""
        if self.url:
            return self.url
        return self.url_secret.read(environ)


def parse_channels(raw: object, base: Path, origin: str = "aidsync.toml") -> tuple[Channel, ...]:
    """The [[notify]] tables of a settings file, checked; ConfigError says what to fix."""
    if raw in (None, [], {}):
        return ()
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise ConfigError.worded("ntf_not_list", origin=origin)
    channels: list[Channel] = []
    for n, table in enumerate(raw, start=1):
        if not isinstance(table, dict):
            raise ConfigError.worded("ntf_not_table", origin=origin, n=n)
        channels.append(_channel(table, n, base, origin))
    names = [c.name for c in channels]
    twice = sorted({x for x in names if names.count(x) > 1})
    if twice:
        raise ConfigError.worded("ntf_name_twice", origin=origin, name=twice[0])
    return tuple(channels)


def _channel(table: dict[str, Any], n: int, base: Path, origin: str) -> Channel:
    kind = str(table.get("type", "")).strip().lower()
    if kind not in KINDS:
        raise ConfigError.worded("ntf_bad_type", origin=origin, n=n, kind=kind,
                                 kinds=", ".join(KINDS))  # fmt: skip
    name = str(table.get("name") or f"{kind}-{n}").strip()
    where: Where = {"origin": origin, "channel": name}
    allowed = _COMMON_KEYS | (_SMTP_KEYS if kind == "smtp" else _HTTP_KEYS)
    unknown = sorted(set(table) - allowed)
    if unknown:
        if any(k in ("secret", "password", "token", "key") for k in unknown):
            raise ConfigError.worded("ntf_secret_in_file", **where)
        raise ConfigError.worded("ntf_unknown_settings", **where, unknown=", ".join(unknown),
                                 n=len(unknown), known=", ".join(sorted(allowed)))  # fmt: skip
    events = _strings(table.get("events", list(EVENTS)), where, "events")
    bad = sorted(set(events) - set(EVENTS))
    if bad:
        raise ConfigError.worded("ntf_unknown_events", **where, bad=", ".join(bad), n=len(bad),
                                 events=", ".join(EVENTS))  # fmt: skip
    locale = table.get("locale")
    if locale not in (None, "zh", "en"):
        raise ConfigError.worded("ntf_bad_locale", **where, locale=locale)
    fields: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "events": frozenset(events),
        "private": _bool(table.get("private", False), where, "private"),
        "locale": locale,
        "teams": frozenset(_strings(table.get("teams", []), where, "teams")),
        "communities": frozenset(_strings(table.get("communities", []), where, "communities")),
        "timeout": _number(table.get("timeout", 10), where, "timeout"),
        "report_at": _clock(table["report_at"], where) if "report_at" in table else None,
        "catch_up_hours": _number(table.get("catch_up_hours", 24), where, "catch_up_hours"),
        "max_per_pass": int(_number(table.get("max_per_pass", 20), where, "max_per_pass")),
    }
    if kind == "smtp":
        fields.update(_smtp(table, where, base))
    else:
        fields.update(_http(table, kind, where, base))
    return Channel(**fields)


def _http(table: dict[str, Any], kind: str, where: Where, base: Path) -> dict[str, Any]:
    url = table.get("url")
    url_secret = _secret(table, "url_env", "url_file", where, base)
    if bool(url) == bool(url_secret):
        raise ConfigError.worded("ntf_url_one_way", **where)
    if url and not re.match(r"^https?://", str(url)):
        raise ConfigError.worded("ntf_url_scheme", **where)
    secret = _secret(table, "secret_env", "secret_file", where, base)
    if kind == "slack" and secret:
        raise ConfigError.worded("ntf_slack_secret", **where)
    msgtype = str(table.get("msgtype", "text"))
    if msgtype not in ("text", "markdown"):
        raise ConfigError.worded("ntf_bad_msgtype", **where, msgtype=msgtype)
    return {"url": str(url) if url else None, "url_secret": url_secret, "secret": secret,
            "msgtype": msgtype}  # fmt: skip


def _smtp(table: dict[str, Any], where: Where, base: Path) -> dict[str, Any]:
    host = str(table.get("host") or "").strip()
    sender = str(table.get("sender") or "").strip()
    to = _strings(table.get("to", []), where, "to")
    if not host or not sender or not to:
        raise ConfigError.worded("ntf_smtp_needs", **where)
    use_ssl = _bool(table.get("ssl", False), where, "ssl")
    starttls = _bool(table.get("starttls", not use_ssl), where, "starttls")
    port = int(_number(table.get("port", 465 if use_ssl else 587), where, "port"))
    password = _secret(table, "password_env", "password_file", where, base)
    username = table.get("username")
    if password and not username:
        raise ConfigError.worded("ntf_password_user", **where)
    return {"host": host, "port": port, "ssl": use_ssl, "starttls": starttls and not use_ssl,
            "username": str(username) if username else None, "secret": password,
            "sender": sender, "to": tuple(to)}  # fmt: skip


def _secret(
    table: dict[str, Any], env_key: str, file_key: str, where: Where, base: Path
) -> SecretRef:
    env, file = table.get(env_key), table.get(file_key)
    if env and file:
        raise ConfigError.worded("ntf_secret_both", **where, env_key=env_key, file_key=file_key)
    if file:
        path = Path(str(file)).expanduser()
        return SecretRef(file=path if path.is_absolute() else base / path)
    return SecretRef(env=str(env)) if env else SecretRef()


def _strings(value: object, where: Where, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError.worded("ntf_not_names", **where, key=key)
    return [v.strip() for v in value if v.strip()]


def _bool(value: object, where: Where, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError.worded("ntf_not_switch", **where, key=key)
    return value


def _number(value: object, where: Where, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError.worded("ntf_not_positive", **where, key=key)
    return float(value)


def _clock(value: object, where: Where) -> time:
    match = _TIME.match(str(value).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError.worded("ntf_bad_clock", **where, value=value)
    return time(int(match[1]), int(match[2]))
