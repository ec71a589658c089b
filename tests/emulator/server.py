"""SheetsEmulator: a loopback HTTP server speaking Sheets API v4 and the OAuth2 token endpoint."""

from __future__ import annotations

import copy
import json
import random
import re
import socket
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import batch_update, metadata, values_api
from .auth import TokenAuthority, TokenError
from .errors import ApiError, bad_request, unauthenticated
from .faults import FaultPlan, Quota, fault_error
from .model import Sheet, Spreadsheet, cell_from_python

_SS = r"/v4/spreadsheets/(?P<id>[^/:]+)"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v4/spreadsheets/?$"), "create"),
    ("GET", re.compile(f"^{_SS}$"), "get"),
    ("POST", re.compile(f"^{_SS}:batchUpdate$"), "batch_update"),
    ("GET", re.compile(f"^{_SS}/values:batchGet$"), "values_batch_get"),
    ("POST", re.compile(f"^{_SS}/values:batchUpdate$"), "values_batch_update"),
    ("POST", re.compile(f"^{_SS}/values:batchClear$"), "values_batch_clear"),
    ("POST", re.compile(f"^{_SS}/values/(?P<range>.+):append$"), "values_append"),
    ("POST", re.compile(f"^{_SS}/values/(?P<range>.+):clear$"), "values_clear"),
    ("GET", re.compile(f"^{_SS}/values/(?P<range>.+)$"), "values_get"),
    ("PUT", re.compile(f"^{_SS}/values/(?P<range>.+)$"), "values_update"),
]


@dataclass
class RecordedRequest:
    """One request the emulator received (status is filled in once answered)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    time: float
    is_token: bool = False
    status: int = 0
    user: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        """Disable Nagle's algorithm: headers and body are separate writes."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        self.server.emulator._serve(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: SheetsEmulator


class SheetsEmulator:
    """A faithful-enough fake of Google Sheets API v4 + OAuth2, on 127.0.0.1."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        """Create a stopped emulator; clock drives quotas and token expiry."""
        self.clock: Callable[[], float] = clock or time.monotonic
        self.requests: list[RecordedRequest] = []
        self.formulas_created: list[tuple[str, str, str, str]] = []
        self.quota = Quota(clock=lambda: self.clock())
        self.faults = FaultPlan()
        self._auth = TokenAuthority(lambda: self.token_uri, lambda: self.clock())
        self._spreadsheets: dict[str, Spreadsheet] = {}
        self._lock = threading.RLock()
        self._hook: Callable[[RecordedRequest], None] | None = None
        self._rng = random.Random(20240101)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.token_uri = ""

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> SheetsEmulator:
        """Start serving on an ephemeral loopback port."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.emulator = self
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self.token_uri = f"{self.base_url}/token"
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SheetsEmulator:
        """Start on entering a with-block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving a with-block."""
        self.stop()

    # -- test set-up and inspection -----------------------------------------------------------
    def make_service_account_key(
        self, path: Path, client_email: str = "aidsync@test-project.iam.gserviceaccount.com"
    ) -> dict[str, Any]:
        """Write a trusted service-account key file (token_uri -> emulator); return it."""
        return self._auth.write_key(path, client_email)

    def create_spreadsheet(
        self,
        title: str,
        sheets: dict[str, list[list[Any]]] | None = None,
        locale: str = "zh_CN",
        time_zone: str = "Asia/Shanghai",
        readers: list[str] | None = None,
    ) -> str:
        """Create a spreadsheet with typed data; readers=[...] restricts access (else open)."""
        with self._lock:
            sid = "1" + "".join(
                self._rng.choices(string.ascii_letters + string.digits + "-_", k=43)
            )
            default = "工作表1" if locale.startswith("zh") else "Sheet1"
            ss = Spreadsheet(sid, title, locale, time_zone)
            ss.readers = None if readers is None else frozenset(readers)
            for index, (name, rows) in enumerate((sheets or {default: []}).items()):
                sheet = Sheet(sheet_id=0 if index == 0 else self._new_id(), title=name, index=index)
                self._fill(sheet, rows)
                ss.sheets.append(sheet)
            self._spreadsheets[sid] = ss
            return sid

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """Return the live model of a spreadsheet (for direct inspection)."""
        return self._spreadsheets[spreadsheet_id]

    def sheet(self, spreadsheet_id: str, sheet_title: str) -> Sheet:
        """Return the live model of one sheet (protected ranges, validations, size...)."""
        found = self._spreadsheets[spreadsheet_id].sheet_by_title(sheet_title)
        if found is None:
            raise KeyError(sheet_title)
        return found

    def get_values(
        self, spreadsheet_id: str, sheet_title: str, formulas: bool = False
    ) -> list[list[Any]]:
        """Typed effective values (formula text if formulas=True), trimmed like the API."""
        with self._lock:
            sheet = self.sheet(spreadsheet_id, sheet_title)
            rows = [
                [sheet.python_value(r, c, not formulas) for c in range(len(line))]
                for r, line in enumerate(sheet.rows)
            ]
        return values_api._trim(rows)

    def set_values(self, spreadsheet_id: str, sheet_title: str, rows: list[list[Any]]) -> None:
        """Replace a sheet's whole content with typed values ('=...' is a formula)."""
        with self._lock:
            self._fill(self.sheet(spreadsheet_id, sheet_title), rows)

    def human_edit(
        self, spreadsheet_id: str, sheet_title: str, fn: Callable[[list[list[Any]]], None]
    ) -> None:
        """Let fn mutate the sheet's rows in place (insert/delete/sort rows, edit cells)."""
        with self._lock:
            grid = self.get_values(spreadsheet_id, sheet_title, formulas=True)
            fn(grid)
            self.set_values(spreadsheet_id, sheet_title, grid)

    def before_request(self, hook: Callable[[RecordedRequest], None] | None) -> None:
        """Run hook(request) before handling each Sheets API request (None to remove)."""
        self._hook = hook

    def inject(self, status: int | None = None, delay: float = 0.0, times: int = 1) -> None:
        """Fail (status) and/or delay (seconds) the next `times` Sheets requests."""
        self.faults.inject(status=status, delay=delay, times=times)

    def fail_randomly(
        self,
        rate: float,
        statuses: tuple[int, ...] = (429, 500, 503),
        delay: float = 0.0,
        seed: int | None = 0,
    ) -> None:
        """Fail each Sheets request with probability rate, seeded for reproducibility."""
        self.faults.fail_randomly(rate, statuses, delay, seed)

    def clear_faults(self) -> None:
        """Remove every planned fault."""
        self.faults.clear()

    def revoke_tokens(self) -> None:
        """Invalidate all access tokens so clients get 401 and must refresh."""
        self._auth.revoke_all()

    @property
    def sheets_requests(self) -> list[RecordedRequest]:
        """Recorded Sheets API requests (token endpoint calls excluded)."""
        return [r for r in self.requests if not r.is_token]

    # -- internals ----------------------------------------------------------------------------
    def _new_id(self) -> int:
        return self._rng.randrange(1, 2**31 - 1)

    @staticmethod
    def _fill(sheet: Sheet, rows: list[list[Any]]) -> None:
        sheet.rows = []
        sheet.row_count = max(sheet.row_count, len(rows))
        sheet.column_count = max([sheet.column_count, *(len(r) for r in rows)])
        for r, line in enumerate(rows):
            for c, value in enumerate(line):
                sheet.set_cell(r, c, cell_from_python(value))

    def _serve(self, handler: _Handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        query = parse_qs(split.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if split.path == "/token":
            record = RecordedRequest("POST", "/token", query, None, self.clock(), is_token=True)
            self._record(record)
            try:
                status, body = 200, self._auth.grant(raw)
            except TokenError as exc:
                status, body = 400, {"error": exc.error, "error_description": exc.description}
            self._respond(handler, record, status, body)
            return
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        record = RecordedRequest(
            handler.command, unquote(split.path), query, parsed, self.clock(), headers=headers
        )
        self._record(record)
        try:
            status, body = 200, self._sheets(handler.command, split.path, record, headers)
        except ApiError as exc:
            status, body = exc.code, exc.body()
        self._respond(handler, record, status, body)

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)

    def _sheets(
        self, method: str, raw_path: str, record: RecordedRequest, headers: dict[str, str]
    ) -> dict[str, Any]:
        hook = self._hook
        if hook is not None:
            with self._lock:
                hook(record)
        fault = self.faults.next()
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None:
                raise fault_error(fault.status)
        user, missing = self._auth.user_for(headers.get("authorization"))
        if user is None:
            raise unauthenticated(missing)
        record.user = user
        for route_method, pattern, name in _ROUTES:  # noqa: B007
            match = pattern.match(raw_path)
            if match and route_method == method:
                break
        else:
            raise ApiError(404, "Method not found.")
        with self._lock:
            self.quota.charge(user, write=method != "GET")
            return self._route(name, match.groupdict(), record, user)

    def _route(
        self, name: str, groups: dict[str, str], record: RecordedRequest, user: str
    ) -> dict[str, Any]:
        query, body = record.query, record.body
        if name == "create":
            return self._create_from_body(body)
        sid = unquote(groups["id"])
        ss = self._spreadsheets.get(sid)
        if ss is None:
            raise ApiError(404)
        if ss.readers is not None and user not in ss.readers:
            raise ApiError(403)
        text = unquote(groups.get("range") or "")
        if name == "get":
            return metadata.spreadsheet_resource(ss, query)
        if name == "values_get":
            return values_api.values_get(ss, text, query)
        if name == "values_batch_get":
            return values_api.values_batch_get(ss, query)
        effects = values_api.Effects()
        snapshot = copy.deepcopy(ss)
        try:
            result = self._mutate(name, ss, text, query, body, effects, user)
        except ApiError:
            self._spreadsheets[sid] = snapshot
            raise
        self.formulas_created.extend(effects.formulas)
        return result

    def _mutate(
        self,
        name: str,
        ss: Spreadsheet,
        text: str,
        query: dict[str, list[str]],
        body: Any,
        effects: values_api.Effects,
        user: str,
    ) -> dict[str, Any]:
        if name == "values_update":
            return values_api.values_update(ss, text, query, body, effects)
        if name == "values_batch_update":
            return values_api.values_batch_update(ss, body, effects)
        if name == "values_append":
            return values_api.values_append(ss, text, query, body, effects)
        if name == "values_clear":
            return values_api.values_clear(ss, text)
        if name == "values_batch_clear":
            return values_api.values_batch_clear(ss, body)
        return batch_update.batch_update(ss, body, user, self._rng, query)

    def _create_from_body(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        props = body.get("properties") or {}
        titles = [
            (s.get("properties") or {}).get("title") or f"Sheet{i + 1}"
            for i, s in enumerate(body.get("sheets") or [])
        ]
        sid = self.create_spreadsheet(
            props.get("title") or "Untitled spreadsheet",
            {t: [] for t in titles} or None,
            locale=props.get("locale") or "en_US",
            time_zone=props.get("timeZone") or "Etc/GMT",
        )
        if len(titles) != len(set(titles)):
            raise bad_request("Duplicate sheet titles.")
        return metadata.spreadsheet_resource(self._spreadsheets[sid], {})

    @staticmethod
    def _respond(
        handler: _Handler, record: RecordedRequest, status: int, body: dict[str, Any]
    ) -> None:
        record.status = status
        payload = json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=UTF-8")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test): nothing left to answer
