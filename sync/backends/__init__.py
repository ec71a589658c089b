"""Where workbooks live: a local .xlsx file, or a Google spreadsheet."""
