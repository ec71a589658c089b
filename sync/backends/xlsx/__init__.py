"""The local .xlsx workbook: read with python-calamine (openpyxl for what only it knows), written
by patching the sheet parts or by openpyxl; backend.py is the Backend, the rest its parts."""

from sync.backends.xlsx.backend import (
    DataValidation,
    XlsxBackend,
    office_lock,
    open_backend,
    set_text_safe,
)

__all__ = ["DataValidation", "XlsxBackend", "office_lock", "open_backend", "set_text_safe"]
