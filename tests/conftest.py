"""Fixtures shared by the test files that run one scenario on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator import SheetsEmulator
from gsheets_fixtures import MemoryWorld, SheetsWorld, World, XlsxWorld

#: the stores every test taking `make` runs on; the backend contract suite adds the in-memory one
STORES = ["xlsx", "sheets"]
CONTRACT_STORES = [*STORES, "memory"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that takes `make` once per store (a module with a `make` of its own, such
    as the Feishu contract module, builds its own worlds)."""
    if "make" in metafunc.fixturenames and not hasattr(metafunc.module, "make"):
        contract = metafunc.module.__name__.endswith("test_backend_contract")
        metafunc.parametrize("make", CONTRACT_STORES if contract else STORES, indirect=True)


@pytest.fixture
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A factory of worlds of one backend kind: make(tabs) → World (options go to Google's)."""
    emulators: list[SheetsEmulator] = []

    def factory(tabs: dict[str, list[list[Any]]], **options: Any) -> World:
        if request.param == "xlsx":
            return XlsxWorld(tmp_path, tabs)
        if request.param == "memory":
            return MemoryWorld(tmp_path, tabs)
        if not emulators:
            emulators.append(SheetsEmulator().start())
        return SheetsWorld(emulators[0], tmp_path, tabs, **options)

    yield factory
    for emu in emulators:
        emu.stop()
