"""FeishuEmulator: a loopback HTTP server speaking the Open Platform's sheets endpoints.

Only what aidsync uses: the internal app token, v3 spreadsheet and sheets/query, and the v2
values_batch_get, values_batch_update, sheets_batch_update, dimension_range, dataValidation and
protected_dimension. Every answer is the {code, msg, data} envelope; errors carry Feishu's codes
with their HTTP statuses; rate limits answer 429 with x-ogw-ratelimit-reset; the token lives
two hours and a new one is handed out in its last 30 minutes (auth-v3 tenant_access_token_internal).
"""

from __future__ import annotations

import json
import random
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import api
from .errors import (
    FeishuError,
    invalid_token,
    monthly_quota,
    need_token,
    no_permission,
    not_found,
    rate_limited,
    server_error,
)
from .model import Sheet, Spreadsheet

TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"
TOKEN_LIFE = 7200
TOKEN_RENEW_WINDOW = 1800  # asked again with under 30 minutes left, a new token is given
_V2 = "/open-apis/sheets/v2/spreadsheets/"
_V3 = "/open-apis/sheets/v3/spreadsheets/"
#: per-minute limits (frequency-control page; sheets/query is 100 a minute, the v2 endpoints
#: 100 a second)
PER_MINUTE = {"sheets_query": 100}
PER_SECOND = 100


@dataclass
class Recorded:
    """One request the emulator received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    endpoint: str
    status: int = 0
    code: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_token(self) -> bool:
        """Whether this was the token endpoint."""
        return self.endpoint == "token"


@dataclass
class Fault:
    """A planned failure: an HTTP status (5xx or 429), and for 429 the reset seconds."""

    status: int
    reset: int = 1
    delay: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        """Disable Nagle's algorithm: headers and body are separate writes."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        self.server.emulator._serve(self)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: FeishuEmulator


class FeishuEmulator:
    """A fake Feishu Open Platform (sheets only) on 127.0.0.1, with a settable clock."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        """A stopped emulator with one internal app (app_id / app_secret below)."""
        self.clock: Callable[[], float] = clock or time.monotonic
        self.apps: dict[str, str] = {"cli_emulator0001": "emulator-secret-0001"}
        self.requests: list[Recorded] = []
        self.max_answer_bytes = api.MAX_ANSWER_BYTES
        self.monthly_limit: int | None = None  # the free plan: 10,000 calls a month
        self.monthly_used = 0
        self.down = False  # every API answers 503 until cleared
        self._faults: deque[Fault] = deque()
        self._random: tuple[float, tuple[int, ...], random.Random] = (0.0, (), random.Random(0))
        self._tokens: dict[str, tuple[str, float]] = {}  # token → (app id, expiry)
        self._books: dict[str, Spreadsheet] = {}
        self._windows: dict[tuple[str, int], int] = {}
        self._hook: Callable[[Recorded], None] | None = None
        self._lock = threading.RLock()
        self._rng = random.Random(20221220)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    @property
    def app_id(self) -> str:
        """The id of the app tests use."""
        return next(iter(self.apps))

    @property
    def app_secret(self) -> str:
        """Its secret."""
        return self.apps[self.app_id]

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FeishuEmulator:
        """Serve on an ephemeral loopback port."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.emulator = self
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FeishuEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls -------------------------------------------------------------------------
    def create_spreadsheet(
        self, title: str, tabs: dict[str, list[list[Any]]], shared: bool = True
    ) -> str:
        """A spreadsheet with these tabs (title → rows); shared: the app added as an editor."""
        token = "shtcn" + "".join(self._rng.choice("abcdefghijkLMNOPQRST0123456789")
                                  for _ in range(22))  # fmt: skip
        book = Spreadsheet(token, title)
        for name, rows in tabs.items():
            sheet = Sheet(api.new_sheet_id(book, self._rng), name)
            sheet.set_rows([list(r) for r in rows])
            book.sheets.append(sheet)
        if shared:
            book.editors.add(self.app_id)
        with self._lock:
            self._books[token] = book
        return token

    def book(self, token: str) -> Spreadsheet:
        """The spreadsheet itself (for assertions)."""
        return self._books[token]

    def sheet(self, token: str, title: str) -> Sheet:
        """One sheet by title."""
        return self._books[token].by_title(title)

    def values(self, token: str, title: str) -> list[list[Any]]:
        """A tab's stored cells, trailing empties trimmed (None for empty cells inside)."""
        with self._lock:
            return self.sheet(token, title).rows()

    def human_edit(self, token: str, title: str, fn: Callable[[list[list[Any]]], None]) -> None:
        """A person edits the tab: fn mutates its rows in place (sort, insert, type a claim)."""
        with self._lock:
            sheet = self.sheet(token, title)
            rows = sheet.rows()
            fn(rows)
            sheet.set_rows(rows)
            self._books[token].revision += 1

    def type_cell(self, token: str, title: str, row: int, col: int, value: Any) -> None:
        """A person types one value at 1-based row, 0-based column."""
        with self._lock:
            self.sheet(token, title).put(row - 1, col, value)
            self._books[token].revision += 1

    def before_request(self, hook: Callable[[Recorded], None] | None) -> None:
        """Run hook(request) before each sheets request is handled (None to remove)."""
        self._hook = hook

    def inject(self, status: int, times: int = 1, reset: int = 1, delay: float = 0.0) -> None:
        """Fail the next `times` sheets requests with this status (429: with reset seconds)."""
        with self._lock:
            self._faults.extend(Fault(status, reset, delay) for _ in range(times))

    def fail_randomly(self, rate: float, statuses: tuple[int, ...] = (429, 500, 503),
                      seed: int = 0) -> None:  # fmt: skip
        """From now on fail each sheets request with probability rate (0 to stop)."""
        self._random = (rate, statuses, random.Random(seed))

    def expire_tokens(self) -> None:
        """Make every issued token invalid now (as if two hours had passed)."""
        with self._lock:
            self._tokens.clear()

    def sheets_requests(self) -> list[Recorded]:
        """Recorded API requests, token calls excluded."""
        return [r for r in self.requests if not r.is_token]

    def reset_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()

    # -- serving --------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "not json"
        record = Recorded(handler.command, parts.path, parse_qs(parts.query), body, "")
        try:
            data = self._dispatch(handler, record)
            status, payload, headers = 200, {"code": 0, "msg": "success", "data": data}, {}
            if record.is_token:
                payload = data
        except FeishuError as error:
            status, payload, headers = error.status, error.body(), error.headers
            record.code = error.code
        except Exception as exc:  # a bug of the emulator: answer 500 rather than hang up
            error = server_error(500)
            status, payload, headers = 500, {**error.body(), "msg": repr(exc)}, {}
        record.status = status
        record.headers = headers
        with self._lock:
            self.requests.append(record)
        encoded = json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(encoded)))
        handler.end_headers()
        handler.wfile.write(encoded)

    def _dispatch(self, handler: BaseHTTPRequestHandler, record: Recorded) -> Any:
        path, method, body = record.path, record.method, record.body
        if path == TOKEN_PATH:
            record.endpoint = "token"
            if method != "POST":
                raise FeishuError(400, 99991301, "request method doesn't match")
            return self._issue_token(body)
        v3 = path.startswith(_V3)
        if not (v3 or path.startswith(_V2)):
            raise FeishuError(404, 99991201, "resource not find")
        rest = path[len(_V3 if v3 else _V2) :]
        token, _, endpoint = rest.partition("/")
        record.endpoint = endpoint or "spreadsheet"
        if body == "not json":
            raise FeishuError(400, 90201, "WrongRequestJson")
        if self._hook is not None:
            with self._lock:
                self._hook(record)
        fault = self._take_fault()
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status == 429:
                raise rate_limited(fault.reset)
            raise server_error(fault.status)
        if self.down:
            raise server_error(503)
        app = self._authorise(handler)
        self._count(app, record.endpoint)
        with self._lock:
            book = self._books.get(unquote(token))
            if book is None:
                raise not_found(v3)
            writing = method != "GET"
            if app not in book.editors and (writing or app not in book.readers):
                raise no_permission(v3)
            data = self._route(book, app, method, v3, record)
        self.monthly_used += 1  # failed calls do not count against the monthly quota
        return data

    def _route(self, book: Spreadsheet, app: str, method: str, v3: bool, rec: Recorded) -> Any:
        endpoint = rec.endpoint
        if v3 and endpoint == "spreadsheet" and method == "GET":
            return api.spreadsheet_get(book, self.base_url)
        if v3 and endpoint == "sheets/query" and method == "GET":
            return api.sheets_query(book)
        if not v3 and endpoint == "values_batch_get" and method == "GET":
            return api.values_batch_get(book, rec.query, self.max_answer_bytes)
        if not v3 and endpoint == "values_batch_update" and method == "POST":
            return api.values_batch_update(book, app, rec.body)
        if not v3 and endpoint == "sheets_batch_update" and method == "POST":
            return api.sheets_batch_update(book, rec.body, self._rng)
        if not v3 and endpoint == "dimension_range" and method in ("POST", "PUT"):
            return api.dimension_range(book, method, rec.body)
        if not v3 and endpoint == "dataValidation" and method == "POST":
            return api.data_validation(book, rec.body)
        if not v3 and endpoint == "styles_batch_update" and method == "PUT":
            return api.styles_batch_update(book, rec.body)
        if not v3 and endpoint == "protected_dimension" and method == "POST":
            return api.protected_dimension(book, app, rec.body, self._rng)
        raise FeishuError(404, 99991201, "resource not find")

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if self._faults:
                return self._faults.popleft()
            rate, statuses, rng = self._random
            if rate and rng.random() < rate:
                return Fault(rng.choice(statuses), reset=rng.randint(1, 3))
            return None

    def _issue_token(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        app_id, secret = str(body.get("app_id") or ""), str(body.get("app_secret") or "")
        if not app_id or not secret:
            raise FeishuError(400, 10003, "invalid param")
        if app_id not in self.apps:
            raise FeishuError(400, 10003, "invalid param", "app_id not found")
        if self.apps[app_id] != secret:
            raise FeishuError(400, 10014, "app secret invalid")
        now = self.clock()
        with self._lock:
            for token, (owner, expiry) in self._tokens.items():
                if owner == app_id and expiry - now >= TOKEN_RENEW_WINDOW:
                    left = int(expiry - now)
                    return {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": left}
            token = "t-" + secrets.token_hex(20)
            self._tokens[token] = (app_id, now + TOKEN_LIFE)
        return {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": TOKEN_LIFE}

    def _authorise(self, handler: BaseHTTPRequestHandler) -> str:
        header = handler.headers.get("Authorization") or ""
        if not header:
            raise need_token()
        if not header.startswith("Bearer t-"):
            raise FeishuError(400, 99991671, "Invalid token: must start with t-/u-")
        found = self._tokens.get(header[len("Bearer ") :])
        if found is None or found[1] <= self.clock():
            raise invalid_token()
        return found[0]

    def _count(self, app: str, endpoint: str) -> None:
        """Rate limits per API and app; the monthly quota of the tenant's custom apps."""
        if self.monthly_limit is not None and self.monthly_used >= self.monthly_limit:
            raise monthly_quota()
        now = self.clock()
        per_minute = PER_MINUTE.get(endpoint.replace("/", "_"))
        window, limit = (60, per_minute) if per_minute else (1, PER_SECOND)
        key = (f"{app} {endpoint}", int(now // window))
        with self._lock:
            used = self._windows.get(key, 0)
            if used >= limit:
                raise rate_limited(max(1, int(window - now % window)), limit)
            self._windows[key] = used + 1
