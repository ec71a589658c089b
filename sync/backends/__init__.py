"""Where workbooks live: the registry of backend kinds, keyed by how the target is named.

Each kind is one entry here (its option table: flags, AIDSYNC_* variables, aidsync.toml keys,
help) and one module with ``open_backend(settings, shared) -> Backend``, imported only when a
workbook of that kind is opened (so ``aidsync --help`` does not load gspread). cli.py and
config.py read these tables and never name a backend. Adding a service: one `Kind` below, one
module (see memory.py for the smallest).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from sync.backends.base import Backend
from sync.errors import ConfigError
from sync.locale import Locale
from sync.messages import say

T = TypeVar("T")


@dataclass(frozen=True)
class Option:
    """One setting of a backend: its flag, environment variables and aidsync.toml key."""

    name: str  # the aidsync.toml key and the Settings attribute; the flag is --name (- for _)
    help: str
    env: tuple[str, ...] = ()
    flag: bool = False  # offered on the command line as --name
    kind: Literal["text", "path", "seconds"] = "text"  # paths are relative to aidsync.toml
    metavar: str | None = None
    default: Any = None
    per_workbook: bool = True  # may be set in a [[aidsync.workbooks]] entry
    secret_file: bool = False  # a key file: warn when other users can read it
    secret: bool = False  # a secret itself: from the environment only, never a settings file

    def help_text(self) -> str:
        """The --help line: the help and where else the setting can come from."""
        return f"{self.help} (env {' or '.join(self.env)})." if self.env else f"{self.help}."


@dataclass(frozen=True)
class Kind:
    """One kind of store: the option naming its target (first in `options`) and its module."""

    name: str
    module: str  # imported on first use; provides open_backend(settings, shared)
    options: tuple[Option, ...]
    hint_code: str  # the catalogue's words for naming a target, for "which workbook?"

    def hint_text(self, locale: Locale) -> str:
        """How to name a target of this kind, for "which workbook?"."""
        return say(locale, self.hint_code)

    @property
    def target(self) -> Option:
        """The option that names the workbook (--workbook, --spreadsheet …)."""
        return self.options[0]

    def identity(self, value: object) -> str:
        """What makes two entries the same workbook (a file's resolved path, else the key)."""
        if self.target.kind == "path":
            return str(Path(str(value)).resolve())
        return f"{self.name}:{value}"

    def default_name(self, value: object) -> str:
        """A fleet entry's name when it gives none: the file's name, else the key."""
        return Path(str(value)).name if self.target.kind == "path" else str(value)


KINDS: tuple[Kind, ...] = (
    Kind(
        "xlsx",
        "sync.backends.xlsx",
        (
            Option(
                "workbook", "Local .xlsx workbook", ("AIDSYNC_WORKBOOK",), flag=True, kind="path"
            ),
        ),
        "kind_hint_xlsx",
    ),
    Kind(
        "google",
        "sync.backends.gsheets",
        (
            Option(
                "spreadsheet",
                "Google spreadsheet key or URL",
                ("AIDSYNC_SPREADSHEET",),
                flag=True,
                metavar="KEY|URL",
            ),
            Option(
                "credentials",
                "Service-account key file",
                ("AIDSYNC_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"),
                flag=True,
                kind="path",
                secret_file=True,
            ),
            Option(
                "sheets_endpoint",
                "Sheets API base URL (emulators, proxies)",
                ("AIDSYNC_SHEETS_ENDPOINT",),
                per_workbook=False,
            ),
            Option(
                "request_timeout",
                "request timeout",
                ("AIDSYNC_REQUEST_TIMEOUT",),
                kind="seconds",
                default=30.0,
                per_workbook=False,
            ),
        ),
        "kind_hint_google",
    ),
    Kind(
        "feishu",
        "sync.backends.feishu",
        (
            Option(
                "feishu",
                "Feishu / Lark spreadsheet token or link",
                ("AIDSYNC_FEISHU",),
                flag=True,
                metavar="TOKEN|URL",
            ),
            Option("feishu_app_id", "Feishu app id", ("AIDSYNC_FEISHU_APP_ID",)),
            Option(
                "feishu_app_secret",
                "Feishu app secret",
                ("AIDSYNC_FEISHU_APP_SECRET",),
                secret=True,
                per_workbook=False,
            ),
            Option(
                "feishu_secret_file",
                "File holding only the Feishu app secret",
                ("AIDSYNC_FEISHU_APP_SECRET_FILE",),
                kind="path",
                secret_file=True,
            ),
            Option(
                "feishu_endpoint",
                "Feishu Open Platform base URL (https://open.larksuite.com for Lark)",
                ("AIDSYNC_FEISHU_ENDPOINT",),
                per_workbook=False,
            ),
        ),
        "kind_hint_feishu",
    ),
)


def options() -> Iterator[Option]:
    """Every backend option, kind by kind."""
    for kind in KINDS:
        yield from kind.options


def option(name: str) -> Option:
    """The backend option of this name (KeyError when no backend has it)."""
    for candidate in options():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


class Configured(Protocol):
    """What a backend reads from the settings (sync.config.Settings)."""

    @property
    def state_dir(self) -> Path:
        """Where locks and local state go."""
        ...

    @property
    def options(self) -> Mapping[str, Any]:
        """The backend options given (option name → value)."""
        ...

    def option(self, name: str) -> Any:
        """One backend option, its default when not given."""
        ...


def kinds_named(options: Mapping[str, Any]) -> list[Kind]:
    """The kinds whose target these option values name (one, normally)."""
    return [kind for kind in KINDS if options.get(kind.target.name)]


def kind_of(settings: Configured) -> Kind | None:
    """The kind of workbook the settings name, or None when they name none."""
    named = kinds_named(settings.options)
    return named[0] if named else None


class Shared:
    """State the backends of one process share across its workbooks (Google's quota budget)."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], T]) -> T:
        """The state under key, made on first use."""
        with self._lock:
            if key not in self._state:
                self._state[key] = make()
            return self._state[key]  # type: ignore[no-any-return]


def open_backend(settings: Configured, shared: Shared | None = None) -> Backend | None:
    """The backend the settings name, or None when they name no workbook."""
    kind = kind_of(settings)
    if kind is None:
        return None
    module = importlib.import_module(kind.module)
    backend: Backend = module.open_backend(settings, shared)
    return backend


__all__ = ["KINDS", "Configured", "Kind", "Option", "Shared", "kind_of", "open_backend"]


def which_workbook() -> ConfigError:
    """The error when no setting names a workbook: every way to name one, in either language."""
    ways = {
        f"ways_{locale}": say(locale, "cli_or").join(kind.hint_text(locale) for kind in KINDS)
        for locale in ("zh", "en")
    }
    return ConfigError.worded("which_workbook", **ways)
