"""Where the shipped rule files and templates live (in the wheel or in a source checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def default_rules_dir() -> Path:
    """The commented default rule files installed with aidsync."""
    return _data_dir("rules")


def templates_dir() -> Path:
    """The workbook definition and report templates installed with aidsync."""
    return _data_dir("templates")
