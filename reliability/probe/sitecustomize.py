"""Trace when each `aidsync` process holds the pass lock and writes (reliability.overlap).

Python imports sitecustomize at startup when this folder is on PYTHONPATH. With
AIDSYNC_PROBE_TRACE set, the real command runs unchanged but appends one line per event to that
file: pid, event, monotonic nanoseconds (system-wide on Linux, so comparable across processes).
"""

from __future__ import annotations

import os

TRACE = os.environ.get("AIDSYNC_PROBE_TRACE")


def _note(event: str) -> None:
    line = f"{os.getpid()} {event} {__import__('time').monotonic_ns()}\n".encode()
    fd = os.open(str(TRACE), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)  # one small O_APPEND write: lines never interleave
    finally:
        os.close(fd)


def _install() -> None:
    import contextlib

    from sync import worker
    from sync.backends.gsheets import backend as gsheets
    from sync.backends.xlsx import backend as xlsx

    hold_lock = worker.hold_lock

    @contextlib.contextmanager
    def traced_lock(path):  # type: ignore[no-untyped-def]
        with hold_lock(path):
            _note("locked")
            try:
                yield
            finally:
                _note("unlocking")

    worker.hold_lock = traced_lock
    save = xlsx.XlsxBackend._save

    def traced_save(self, workbook, digest):  # type: ignore[no-untyped-def]
        _note("write-start")
        try:
            save(self, workbook, digest)
        finally:
            _note("write-end")

    xlsx.XlsxBackend._save = traced_save
    send = gsheets.GSheetsBackend.send

    def traced_send(self, write, sheets):  # type: ignore[no-untyped-def]
        _note("write-start")
        try:
            send(self, write, sheets)
        finally:
            _note("write-end")

    gsheets.GSheetsBackend.send = traced_send


if TRACE:
    _install()
