"""The `aidsync` command: flags parsed, objects built, the pass run, errors mapped to exit codes.

app.py is the command group; one module per command or group of commands (init, check,
passes: sync and run, report, status, demo); options.py what they share to find a workbook;
printing.py how they print (plain or JSON lines, in which language); entry.py ``main``.
"""

from sync.cli.app import cli
from sync.cli.entry import main

__all__ = ["cli", "main"]
