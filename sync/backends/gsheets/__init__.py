"""Google Sheets through gspread and google-auth: backend.py is the Backend; http.py the retrying
client and quota.py the shared request budget; sheets, write, dress, chart and init its parts."""

from sync.backends.gsheets.backend import (
    READ_OPTIONS,
    GSheetsBackend,
    SheetInfo,
    cell_json,
    open_backend,
    parse_sheets,
    quote_title,
    spreadsheet_key,
)

__all__ = [
    "READ_OPTIONS",
    "GSheetsBackend",
    "SheetInfo",
    "cell_json",
    "open_backend",
    "parse_sheets",
    "quote_title",
    "spreadsheet_key",
]
