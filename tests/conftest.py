"""Fixtures shared by the test files that run one scenario on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator import SheetsEmulator
from gsheets_fixtures import SheetsWorld, World, XlsxWorld


@pytest.fixture(params=["xlsx", "sheets"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A factory of worlds of one backend kind: make(tabs) → World (options go to Google's)."""
    emulators: list[SheetsEmulator] = []

    def factory(tabs: dict[str, list[list[Any]]], **options: Any) -> World:
        if request.param == "xlsx":
            return XlsxWorld(tmp_path, tabs)
        if not emulators:
            emulators.append(SheetsEmulator().start())
        return SheetsWorld(emulators[0], tmp_path, tabs, **options)

    yield factory
    for emu in emulators:
        emu.stop()
