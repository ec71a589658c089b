"""Google Sheets backend (being built): gspread over service-account credentials."""

from __future__ import annotations

from sync.config import Settings
from sync.errors import ConfigError


class GSheetsBackend:
    """A Google spreadsheet."""

    @classmethod
    def from_settings(cls, settings: Settings) -> GSheetsBackend:
        """Build the backend from settings."""
        raise ConfigError("the Google Sheets backend is not available yet; use --workbook")
