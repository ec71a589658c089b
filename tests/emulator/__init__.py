"""Loopback emulator of the Google Sheets API v4 and OAuth2 token endpoint, for tests."""

from .client import RewritingSession, emulator_client
from .faults import FaultPlan, Quota
from .server import RecordedRequest, SheetsEmulator

__all__ = [
    "FaultPlan",
    "Quota",
    "RecordedRequest",
    "RewritingSession",
    "SheetsEmulator",
    "emulator_client",
]
