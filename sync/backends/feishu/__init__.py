"""Feishu / Lark Sheets: an internal app's credential, the documented sheets endpoints only."""

from sync.backends.feishu.backend import FeishuBackend, open_backend

__all__ = ["FeishuBackend", "open_backend"]
