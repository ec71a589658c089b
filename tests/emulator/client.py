"""Build an unmodified gspread client whose requests go to the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.service_account import Credentials

from .server import SheetsEmulator

GOOGLE_SHEETS = "https://sheets.googleapis.com"
SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)


class RewritingSession(AuthorizedSession):
    """An AuthorizedSession that sends https://sheets.googleapis.com calls to base_url."""

    def __init__(self, credentials: Credentials, base_url: str) -> None:
        """Wrap credentials; base_url replaces the Sheets API origin."""
        super().__init__(credentials)  # type: ignore[no-untyped-call]
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Rewrite the origin, then send as usual (token refresh included)."""
        if url.startswith(GOOGLE_SHEETS):
            url = self.base_url + url[len(GOOGLE_SHEETS) :]
        return super().request(method, url, *args, **kwargs)  # type: ignore[no-untyped-call]


def emulator_client(emulator: SheetsEmulator, keyfile: Path) -> gspread.Client:
    """Return gspread.Client using service-account credentials from keyfile, via the emulator."""
    credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        str(keyfile), scopes=list(SCOPES)
    )
    return gspread.Client(
        auth=credentials, session=RewritingSession(credentials, emulator.base_url)
    )
