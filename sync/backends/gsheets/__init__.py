"""Google Sheets through gspread and google-auth: backend.py is the Backend (the write; read.py
the reads it inherits); http.py the retrying client and quota.py the shared request budget;
sheets, write, dress, chart, init and safeguards its parts."""

from sync.backends.gsheets.backend import GSheetsBackend, open_backend
from sync.backends.gsheets.sheets import READ_OPTIONS, cell_json, quote_title, spreadsheet_key

__all__ = [
    "READ_OPTIONS",
    "GSheetsBackend",
    "cell_json",
    "open_backend",
    "quote_title",
    "spreadsheet_key",
]
