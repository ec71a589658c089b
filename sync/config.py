"""Settings from flags, AIDSYNC_* environment variables and an optional aidsync.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.errors import ConfigError
from sync.resources import default_rules_dir

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: setting name → environment variables read for it, first found wins
ENVIRONMENT: Mapping[str, tuple[str, ...]] = {
    "workbook": ("AIDSYNC_WORKBOOK",),
    "spreadsheet": ("AIDSYNC_SPREADSHEET",),
    "credentials": ("AIDSYNC_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"),
    "rules": ("AIDSYNC_RULES",),
    "timezone": ("AIDSYNC_TIMEZONE",),
    "sheets_endpoint": ("AIDSYNC_SHEETS_ENDPOINT",),
    "request_timeout": ("AIDSYNC_REQUEST_TIMEOUT",),
    "state_dir": ("AIDSYNC_STATE_DIR",),
    "feishu": ("AIDSYNC_FEISHU",),
    "feishu_app_id": ("AIDSYNC_FEISHU_APP_ID",),
    "feishu_app_secret": ("AIDSYNC_FEISHU_APP_SECRET",),
    "feishu_secret_file": ("AIDSYNC_FEISHU_APP_SECRET_FILE",),
    "feishu_endpoint": ("AIDSYNC_FEISHU_ENDPOINT",),
}


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to find its workbook and rules."""

    workbook: Path | None = None
    spreadsheet: str | None = None
    credentials: Path | None = None
    rules: Path = Path("rules")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    sheets_endpoint: str | None = None
    request_timeout: float = 30.0
    state_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "aidsync")
    config_file: Path | None = None
    notify: tuple[Any, ...] = ()  # sync.notify.config.Channel, from [[notify]] tables
    feishu: str | None = None  # a Feishu / Lark spreadsheet token or link
    feishu_app_id: str | None = None
    feishu_app_secret: str | None = field(default=None, repr=False)  # never printed
    feishu_secret_file: Path | None = None
    feishu_endpoint: str | None = None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    table = data.get("aidsync", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [aidsync] should be a table of settings")
    if "aidsync" in data and "notify" in data:  # [[notify]] beside [aidsync]
        table = {**table, "notify": data["notify"]}
    if "feishu_app_secret" in table:
        raise ConfigError(
            f"{path}: keep the Feishu app secret out of settings files; set "
            "AIDSYNC_FEISHU_APP_SECRET or feishu_secret_file = a file holding only the secret"
        )
    unknown = sorted(set(table) - set(ENVIRONMENT) - {"workbooks", "notify"})
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(ENVIRONMENT)}"
        )
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
            raise ConfigError(f"--config {config_path}: no such file")
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
        raise ConfigError(
            f"unknown time zone {tz_name!r}; use a name such as Asia/Shanghai or Europe/London"
        ) from exc
    timeout_text = pick("request_timeout")
    try:
        timeout = float(timeout_text) if timeout_text not in (None, "") else 30.0
    except ValueError as exc:
        raise ConfigError(f"request timeout {timeout_text!r} is not a number of seconds") from exc
    workbook = path("workbook", cwd if flags.get("workbook") else base)
    spreadsheet = pick("spreadsheet")
    feishu = pick("feishu")
    if sum(1 for x in (workbook, spreadsheet, feishu) if x) > 1:
        raise ConfigError(
            "give one workbook: a local workbook, a Google spreadsheet or a Feishu spreadsheet"
        )
    state = path("state_dir", base)
    from sync.notify.config import parse_channels

    channels = parse_channels(from_file.get("notify"), base, str(config_path))
    return Settings(
        workbook=workbook,
        spreadsheet=str(spreadsheet) if spreadsheet else None,
        credentials=path("credentials", cwd if flags.get("credentials") else base),
        rules=rules,
        timezone=timezone,
        sheets_endpoint=pick("sheets_endpoint"),
        request_timeout=timeout,
        state_dir=state or Path.home() / ".cache" / "aidsync",
        config_file=config_path,
        notify=channels,
        feishu=str(feishu) if feishu else None,
        feishu_app_id=pick("feishu_app_id"),
        feishu_app_secret=pick("feishu_app_secret"),
        feishu_secret_file=path("feishu_secret_file", cwd if flags.get("feishu") else base),
        feishu_endpoint=pick("feishu_endpoint"),
    )


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
WORKBOOK_KEYS = ("name", "workbook", "spreadsheet", "feishu", "credentials", "rules", "timezone")


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
        raise ConfigError(
            f"{path}: workbooks should be a list of tables, written [[aidsync.workbooks]]"
        )
    base = path.parent
    found: list[WorkbookEntry] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: workbook #{number}"
        unknown = sorted(set(entry) - set(WORKBOOK_KEYS))
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(WORKBOOK_KEYS)}"
            )
        if sum(1 for k in ("workbook", "spreadsheet", "feishu") if entry.get(k)) != 1:
            raise ConfigError(
                f"{where}: give exactly one of workbook = …, spreadsheet = … or feishu = …"
            )

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
                raise ConfigError(f"{where}: unknown time zone {entry['timezone']!r}") from exc
        workbook = local("workbook")
        spreadsheet = str(entry["spreadsheet"]) if entry.get("spreadsheet") else None
        feishu = str(entry["feishu"]) if entry.get("feishu") else None
        if workbook:
            target = str(workbook.resolve())
        else:
            target = f"google:{spreadsheet}" if spreadsheet else f"feishu:{feishu}"
        name = str(entry.get("name") or (workbook.name if workbook else spreadsheet or feishu))
        if target in seen:
            raise ConfigError(
                f"{where} ({name}) names the same workbook as {seen[target]}; each workbook "
                "belongs to exactly one entry"
            )
        if name in seen.values():
            raise ConfigError(f"{where}: the name {name!r} is used twice; names must differ")
        seen[target] = name
        found.append(
            WorkbookEntry(
                name,
                replace(
                    settings,
                    workbook=workbook,
                    spreadsheet=spreadsheet,
                    feishu=feishu,
                    credentials=local("credentials") or settings.credentials,
                    rules=local("rules") or settings.rules,
                    timezone=timezone,
                ),
            )
        )
    return found
