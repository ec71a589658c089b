"""Settings from flags, AIDSYNC_* environment variables and an optional aidsync.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.backends import KINDS, kinds_named
from sync.backends import Option as BackendOption
from sync.backends import option as backend_option
from sync.backends import options as backend_options
from sync.errors import ConfigError
from sync.notify.config import parse_channels
from sync.resources import default_rules_dir

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: setting name → environment variables read for it, first found wins (the backends' options
#: come from their own tables in sync/backends/__init__.py)
ENVIRONMENT: Mapping[str, tuple[str, ...]] = {
    **{option.name: option.env for option in backend_options()},
    "rules": ("AIDSYNC_RULES",),
    "timezone": ("AIDSYNC_TIMEZONE",),
    "state_dir": ("AIDSYNC_STATE_DIR",),
}


@dataclass(frozen=True, init=False)
class Settings:
    """Everything a command needs to find its workbook and rules.

    Each backend's own options (workbook, spreadsheet, credentials …, see sync/backends) are in
    `options`, given as keywords (Settings(workbook=path)) and read as attributes too.
    """

    rules: Path
    timezone: ZoneInfo
    state_dir: Path
    config_file: Path | None
    notify: tuple[Any, ...]  # sync.notify.config.Channel, from [[notify]] tables
    options: Mapping[str, Any]

    def __init__(
        self,
        rules: Path = Path("rules"),
        timezone: ZoneInfo | None = None,
        state_dir: Path | None = None,
        config_file: Path | None = None,
        notify: tuple[Any, ...] = (),
        options: Mapping[str, Any] | None = None,
        **named: Any,
    ) -> None:
        """Common settings, then backend options by name (unknown names are a TypeError)."""
        given = {**(options or {}), **named}
        known = {option.name for option in backend_options()}
        if set(given) - known:
            raise TypeError(f"Settings has no option(s) {', '.join(sorted(set(given) - known))}")
        set_ = object.__setattr__  # frozen: set once, here
        set_(self, "rules", rules)
        set_(self, "timezone", timezone or ZoneInfo(DEFAULT_TIMEZONE))
        set_(self, "state_dir", state_dir or Path.home() / ".cache" / "aidsync")
        set_(self, "config_file", config_file)
        set_(self, "notify", notify)
        set_(self, "options", given)

    def __repr__(self) -> str:
        """The settings with every secret option masked (a traceback may print them)."""
        secret = {o.name for o in backend_options() if o.secret}
        shown = {k: ("***" if k in secret and v else v) for k, v in self.options.items()}
        return (
            f"Settings(rules={self.rules!r}, timezone={self.timezone!r}, "
            f"state_dir={self.state_dir!r}, config_file={self.config_file!r}, "
            f"notify={self.notify!r}, options={shown!r})"
        )

    def option(self, name: str) -> Any:
        """A backend option's value, its default when not given."""
        return self.options.get(name, backend_option(name).default)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "options":
            raise AttributeError(name)
        try:
            return self.option(name)
        except KeyError:
            raise AttributeError(f"Settings has no attribute {name!r}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError.worded("cfg_unreadable", path=path, problem=exc) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError.worded("cfg_not_toml", path=path, problem=exc) from exc
    table = data.get("aidsync", data)
    if not isinstance(table, dict):
        raise ConfigError.worded("cfg_not_table", path=path)
    if "aidsync" in data and "notify" in data:  # [[notify]] beside [aidsync]
        table = {**table, "notify": data["notify"]}
    secrets = [o for o in backend_options() if o.secret and o.name in table]
    if secrets:
        raise ConfigError.worded("cfg_secret_in_file", path=path, name=secrets[0].name,
                                 what=secrets[0].help, env=" ".join(secrets[0].env))  # fmt: skip
    unknown = sorted(set(table) - set(ENVIRONMENT) - {"workbooks", "notify"})
    if unknown:
        raise ConfigError.worded("cfg_unknown_settings", path=path, unknown=", ".join(unknown),
                                 n=len(unknown), known=", ".join(ENVIRONMENT))  # fmt: skip
    return table


def load_settings(
    flags: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Merge flags over environment over aidsync.toml over defaults."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    config_path: Path | None = None
    if flags.get("config"):
        config_path = Path(flags["config"])
        if not config_path.is_file():
            raise ConfigError.worded("cfg_no_config_file", path=config_path)
    elif environ.get("AIDSYNC_CONFIG"):
        config_path = Path(environ["AIDSYNC_CONFIG"])
    elif (cwd / "aidsync.toml").is_file():
        config_path = cwd / "aidsync.toml"
    from_file = _read_toml(config_path) if config_path else {}
    base = config_path.parent if config_path else cwd

    def pick(name: str) -> Any:
        if flags.get(name) not in (None, ""):
            return flags[name]
        for var in ENVIRONMENT[name]:
            if environ.get(var):
                return environ[var]
        return from_file.get(name)

    def path(name: str, relative_to: Path) -> Path | None:
        value = pick(name)
        if value in (None, ""):
            return None
        candidate = Path(str(value)).expanduser()
        return candidate if candidate.is_absolute() else relative_to / candidate

    from_flags_or_env = flags.get("rules") or any(environ.get(v) for v in ENVIRONMENT["rules"])
    rules = path("rules", cwd if from_flags_or_env else base)
    if rules is None:
        rules = cwd / "rules" if (cwd / "rules").is_dir() else default_rules_dir()
    tz_name = str(pick("timezone") or DEFAULT_TIMEZONE)
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError.worded("cfg_unknown_timezone", name=tz_name) from exc
    state = path("state_dir", base)
    values: dict[str, Any] = {}
    for option in backend_options():
        if option.kind == "path":
            values[option.name] = path(option.name, cwd if flags.get(option.name) else base)
        else:
            values[option.name] = _value(option, pick(option.name))
    named = [kind.target.name for kind in kinds_named(values)]
    if len(named) > 1:
        raise ConfigError.worded("cfg_two_workbooks", named=" and ".join(named))
    channels = parse_channels(from_file.get("notify"), base, str(config_path))
    return Settings(
        rules=rules,
        timezone=timezone,
        state_dir=state or Path.home() / ".cache" / "aidsync",
        config_file=config_path,
        notify=channels,
        options=values,
    )


def _value(option: BackendOption, raw: Any) -> Any:
    """A text or seconds option as given (a flag, an environment variable or the file)."""
    if raw in (None, ""):
        return option.default
    if option.kind == "seconds":
        try:
            return float(raw)
        except ValueError:
            raise ConfigError.worded("cfg_not_seconds", name=option.name, what=option.help,
                                     value=raw) from None  # fmt: skip
    return str(raw)


def key_file_warning(path: Path | None) -> str | None:
    """A warning when a credentials file can be read or changed by users other than its owner."""
    if path is None or os.name != "posix":
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a missing file is reported when the backend loads it
    if mode & 0o077:
        return (
            f"the key file {path} can be read by other users of this machine (mode "
            f"{mode & 0o777:o}); anyone who reads it can edit your sheets. Run: chmod 600 {path}"
        )
    return None


#: keys a [[aidsync.workbooks]] entry may set; the rest comes from the [aidsync] table
WORKBOOK_KEYS = (
    "name",
    *(option.name for option in backend_options() if option.per_workbook),
    "rules",
    "timezone",
)


@dataclass(frozen=True)
class WorkbookEntry:
    """One workbook of a district's list, with the settings its passes use."""

    name: str
    settings: Settings


def load_workbooks(settings: Settings) -> list[WorkbookEntry]:
    """The workbooks listed in aidsync.toml as [[aidsync.workbooks]]; [] when none are listed."""
    path = settings.config_file
    if path is None:
        return []
    entries = _read_toml(path).get("workbooks", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError.worded("cfg_workbooks_not_list", path=path)
    base = path.parent
    found: list[WorkbookEntry] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = {"path": path, "number": number}
        unknown = sorted(set(entry) - set(WORKBOOK_KEYS))
        if unknown:
            raise ConfigError.worded("cfg_workbook_unknown_keys", **where, n=len(unknown),
                                     unknown=", ".join(unknown),
                                     known=", ".join(WORKBOOK_KEYS))  # fmt: skip
        named = kinds_named(entry)
        if len(named) != 1:
            either = ", ".join(f"{kind.target.name} = …" for kind in KINDS)
            raise ConfigError.worded("cfg_workbook_one_target", **where, either=either)
        kind = named[0]

        def local(key: str, entry: dict[str, Any] = entry) -> Path | None:
            value = entry.get(key)
            if not value:
                return None
            candidate = Path(str(value)).expanduser()
            return candidate if candidate.is_absolute() else base / candidate

        timezone = settings.timezone
        if entry.get("timezone"):
            try:
                timezone = ZoneInfo(str(entry["timezone"]))
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ConfigError.worded("cfg_workbook_timezone", **where,
                                         name=entry["timezone"]) from exc  # fmt: skip
        options = dict(settings.options)
        for option in backend_options():
            if not option.per_workbook:
                continue
            given = local(option.name) if option.kind == "path" else entry.get(option.name)
            if given is not None and option.kind == "text":
                given = str(given)
            if given or option in (k.target for k in KINDS):  # targets: the entry's own only
                options[option.name] = given or None
        value = options[kind.target.name]
        target = kind.identity(value)
        name = str(entry.get("name") or kind.default_name(value))
        if target in seen:
            raise ConfigError.worded("cfg_workbook_same", **where, name=name, other=seen[target])
        if name in seen.values():
            raise ConfigError.worded("cfg_workbook_name_twice", **where, name=name)
        seen[target] = name
        found.append(
            WorkbookEntry(
                name,
                replace(
                    settings,
                    options=options,
                    rules=local("rules") or settings.rules,
                    timezone=timezone,
                ),
            )
        )
    return found
