"""Feishu / Lark Sheets: an internal app's credential, the documented sheets endpoints only."""

from sync.backends.feishu.backend import FeishuBackend

__all__ = ["FeishuBackend"]
