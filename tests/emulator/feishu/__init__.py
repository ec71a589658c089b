"""Loopback emulator of the Feishu / Lark Open Platform's sheets endpoints, for tests."""

from .model import DateValue, Formula, serial_of
from .server import FeishuEmulator, Recorded

__all__ = ["DateValue", "FeishuEmulator", "Formula", "Recorded", "serial_of"]
