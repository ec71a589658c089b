"""A Feishu spreadsheet in the emulator and its backend: the tests' FeishuWorld.

Same interface as gsheets_fixtures.World (values, edit, type_text, run), so scenario and
contract tests run unchanged on Feishu; the backend is the production one, only its base URL
points at the emulator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gsheets_fixtures import World, blank

from sync.backends.feishu import FeishuBackend
from sync.backends.feishu.http import RetryPolicy
from sync.config import Settings
from sync.resources import default_rules_dir

from .server import FeishuEmulator


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with '' for blanks, trailing blanks and rows trimmed."""
    out = []
    for row in rows:
        cells = [blank(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


class FeishuWorld(World):
    """A spreadsheet in the Feishu emulator, reached through the production client."""

    name = "feishu"

    def __init__(
        self,
        emulator: FeishuEmulator,
        folder: Path,
        tabs: Mapping[str, list[list[Any]]],
        timeout: float = 10.0,
        policy: RetryPolicy | None = None,
    ) -> None:
        """Create the spreadsheet (the app added to it) and a backend (sleeps recorded)."""
        self.emulator = emulator
        self.token = emulator.create_spreadsheet("互助登记", {k: list(v) for k, v in tabs.items()})
        self.settings = Settings(
            feishu=f"https://example.feishu.cn/sheets/{self.token}",
            feishu_app_id=emulator.app_id,
            feishu_app_secret=emulator.app_secret,
            feishu_endpoint=emulator.base_url,
            rules=default_rules_dir(),
            request_timeout=timeout,
            state_dir=folder / "state",
        )
        self.sleeps: list[float] = []
        self.backend = FeishuBackend.from_settings(
            self.settings, sleep=self.sleeps.append, policy=policy
        )

    def values(self, title: str) -> list[list[Any]]:
        """Stored values ('' for blanks)."""
        return trimmed(self.emulator.values(self.token, title))

    def edit(self, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """emulator.human_edit."""
        self.emulator.human_edit(self.token, title, fn)

    def type_text(self, title: str, row: int, col: int, text: str) -> None:
        """A person typing text (stored as text, even when it starts with '=')."""
        self.emulator.type_cell(self.token, title, row, col, text)

    def requests_made(self) -> list[str]:
        """API requests so far as 'METHOD endpoint' (token calls excluded)."""
        return [f"{r.method} {r.endpoint}" for r in self.emulator.sheets_requests()]


def cli_env(emulator: FeishuEmulator, state: Path) -> dict[str, str]:
    """Environment for the aidsync command pointed at the emulator (no stray settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDSYNC_", "GOOGLE_"))}
    env.update(
        AIDSYNC_FEISHU_ENDPOINT=emulator.base_url,
        AIDSYNC_FEISHU_APP_ID=emulator.app_id,
        AIDSYNC_FEISHU_APP_SECRET=emulator.app_secret,
        AIDSYNC_STATE_DIR=str(state),
        AIDSYNC_RULES=str(default_rules_dir()),
        AIDSYNC_REQUEST_TIMEOUT="10",
    )
    return env
