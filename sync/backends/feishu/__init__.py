"""Feishu / Lark Sheets: an internal app's credential, the documented sheets endpoints only."""

from __future__ import annotations

from sync.backends import Configured, Shared
from sync.backends.feishu.backend import FeishuBackend


def open_backend(settings: Configured, shared: Shared | None = None) -> FeishuBackend:
    """The spreadsheet --feishu names (the registry's entry point)."""
    return FeishuBackend.from_settings(settings)


__all__ = ["FeishuBackend", "open_backend"]
