"""A loopback receiver that plays WeCom, DingTalk, Feishu, Slack and a generic webhook, checking
each payload and signature the way the service documents it, and answering as the service does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WECOM_KEY = "wecom-key-0d3c"
DING_TOKEN = "ding-token-77"
DING_SECRET = "SECdingtalk-signing-secret"
FEISHU_SECRET = "feishu-signing-secret"
WEBHOOK_SECRET = "webhook-hmac-secret"


@dataclass
class Received:
    """One accepted message."""

    service: str
    text: str
    body: dict[str, Any]
    headers: dict[str, str]
    query: str


@dataclass
class Receiver:
    """The services on one loopback port: /webhook, /wecom, /dingtalk, /feishu, /slack."""

    accepted: list[Received] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # services answering 503
    slow: set[str] = field(default_factory=set)  # services that never answer in time
    base_url: str = ""

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                service = parts.path.strip("/")
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if service in receiver.slow:
                    time.sleep(1.5)
                if service in receiver.down:
                    return self.answer(503, "service unavailable")
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self.answer(400, "invalid_payload")
                status, answer, text = receiver.check(service, parts.query, body, raw, self.headers)
                if text is not None:
                    receiver.accepted.append(
                        Received(service, text, body, dict(self.headers), parts.query)
                    )
                else:
                    receiver.refused.append((service, answer))
                self.answer(status, answer)

            def answer(self, status: int, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, service: str) -> str:
        query = {"wecom": f"?key={WECOM_KEY}", "dingtalk": f"?access_token={DING_TOKEN}"}
        return f"{self.base_url}/{service}{query.get(service, '')}"

    # -- each service's documented checks ------------------------------------------------------
    def check(
        self, service: str, query: str, body: Any, raw: bytes, headers: Any
    ) -> tuple[int, str, str | None]:
        """(status, answer, accepted text or None)."""
        q = urllib.parse.parse_qs(query)
        if service == "webhook":
            expected = (
                "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
            )
            if headers.get("X-Aidsync-Signature") != expected:
                return 401, "bad signature", None
            if headers.get("Idempotency-Key") != body.get("id"):
                return 400, "no idempotency key", None
            return 200, "{}", str(body["text"])
        if service == "wecom":
            if q.get("key") != [WECOM_KEY]:
                return 200, json.dumps({"errcode": 93000, "errmsg": "invalid webhook url"}), None
            kind = body.get("msgtype")
            content = (
                (body.get(kind) or {}).get("content") if kind in ("text", "markdown") else None
            )
            limit = 2048 if kind == "text" else 4096
            if not content or len(content.encode()) > limit:
                return 200, json.dumps({"errcode": 40008, "errmsg": "invalid message type"}), None
            return 200, json.dumps({"errcode": 0, "errmsg": "ok"}), str(content)
        if service == "dingtalk":
            stamp = query_value(query, "timestamp")
            sign = query_value(query, "sign")  # raw: base64 then urlencoded
            to_sign = f"{stamp}\n{DING_SECRET}".encode()
            digest = hmac.new(DING_SECRET.encode(), to_sign, hashlib.sha256).digest()
            expected = urllib.parse.quote_plus(base64.b64encode(digest))
            fresh = stamp.isdigit() and abs(time.time() * 1000 - int(stamp)) < 3600 * 1000
            if q.get("access_token") != [DING_TOKEN] or sign != expected or not fresh:
                return 200, json.dumps({"errcode": 310000, "errmsg": "sign not match"}), None
            kind = body.get("msgtype")
            if kind == "text":
                return 200, json.dumps({"errcode": 0, "errmsg": "ok"}), body["text"]["content"]
            if kind == "markdown" and body["markdown"].get("title"):
                return 200, json.dumps({"errcode": 0, "errmsg": "ok"}), body["markdown"]["text"]
            return 200, json.dumps({"errcode": 40035, "errmsg": "missing parameter"}), None
        if service == "feishu":
            stamp = str(body.get("timestamp", ""))
            key = f"{stamp}\n{FEISHU_SECRET}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 3600
            if body.get("sign") != expected or not fresh:
                answer = {
                    "code": 19021,
                    "msg": "sign match fail or timestamp is not within one hour",
                }
                return 200, json.dumps(answer), None
            if body.get("msg_type") != "text" or not body.get("content", {}).get("text"):
                return 200, json.dumps({"code": 9499, "msg": "Bad Request"}), None
            return (
                200,
                json.dumps({"code": 0, "msg": "success", "data": {}}),
                body["content"]["text"],
            )
        if service == "slack":
            if not isinstance(body.get("text"), str) or not body["text"]:
                return 400, "invalid_payload", None
            return 200, "ok", body["text"]
        return 404, "no_service", None

    def ids(self, service: str = "webhook") -> list[str]:
        """Event ids the generic webhook accepted, in order."""
        return [r.body["id"] for r in self.accepted if r.service == service]


def query_value(query: str, name: str) -> str:
    """A query parameter as sent (still urlencoded)."""
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return ""
