"""Sending one message to one channel: payloads and signatures as each service documents them.

* generic webhook: POST JSON {id, kind, subject, text, fields}; headers Idempotency-Key and
  X-Aidsync-Event carry the event id; with a secret, X-Aidsync-Signature is
  "sha256=" + hex HMAC-SHA256(secret, body).
* WeCom (企业微信) group robot: POST {"msgtype": "text", "text": {"content": …}} or
  {"msgtype": "markdown", "markdown": {"content": …}}; success is {"errcode": 0}.
* DingTalk (钉钉) robot: the same shape ("markdown" has a title); with a signing secret, the
  query gains timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(key=secret,
  msg=timestamp + "\\n" + secret))); success is {"errcode": 0}.
* Feishu/Lark (飞书) custom bot: {"msg_type": "text", "content": {"text": …}}; with a secret, the
  body gains timestamp (s) and sign = base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg=""));
  success is {"code": 0} (older bots answer {"StatusCode": 0}).
* Slack incoming webhook: {"text": …}; success is HTTP 200 with the body "ok".
* SMTP: one e-mail per message; Message-ID is derived from the event id so mail clients fold a
  rare duplicate; STARTTLS or SSL as configured; the password from the environment or a file.

Every failure raises SendError with a message that names the channel and never a URL's query
string or a secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any

from sync.messages import say
from sync.notify.config import Channel, MissingSecret
from sync.notify.render import Message

#: bytes a service accepts in one message body (WeCom text 2048, markdown 4096)
_LIMITS = {"wecom": 2048, "wecom-markdown": 4096, "dingtalk": 18000, "feishu": 18000,
           "slack": 35000, "webhook": 100000, "smtp": 100000}  # fmt: skip


class SendError(Exception):
    """A message did not reach its channel; the reason is safe to print and to log.

    Its words are the catalogue's (sync/messages/notify.py): ``str()`` is English, ``text(locale)``
    says it in the workbook's language for the Log."""

    def __init__(self, code: str, /, **fields: object) -> None:
        self.code, self.fields = code, fields
        super().__init__(say("en", code, **fields))

    def text(self, locale: str) -> str:
        """The reason in 'zh' or 'en'."""
        return say("zh" if locale == "zh" else "en", self.code, **self.fields)


def clip(text: str, limit: int) -> str:
    """Text cut to at most `limit` UTF-8 bytes, with an ellipsis when cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), not yet urlencoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu/Lark: base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def webhook_signature(secret: str, body: bytes) -> str:
    """The generic webhook's X-Aidsync-Signature: sha256=<hex HMAC of the body>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def safe_url(url: str) -> str:
    """scheme://host/path with no query (WeCom and DingTalk keep their keys in the query)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path if parts.netloc != "hooks.slack.com" else "/services/…"
    return f"{parts.scheme}://{parts.netloc}{path}"


def build_request(
    channel: Channel,
    message: Message,
    fields: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> tuple[str, bytes, dict[str, str]]:
    """URL, JSON body and headers of one HTTP channel's request (secrets read here)."""
    url = channel.target_url(environ)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "aidsync"}
    kind = channel.kind
    payload: dict[str, Any]
    if kind == "webhook":
        payload = {"id": message.event_id, "kind": message.kind, "subject": message.subject,
                   "text": message.text, "fields": dict(fields)}  # fmt: skip
        headers["Idempotency-Key"] = message.event_id
        headers["X-Aidsync-Event"] = message.event_id
    elif kind == "wecom":
        if channel.msgtype == "markdown":
            text = clip(message.text, _LIMITS["wecom-markdown"])
            payload = {"msgtype": "markdown", "markdown": {"content": text}}
        else:
            payload = {"msgtype": "text", "text": {"content": clip(message.text, 2048)}}
    elif kind == "dingtalk":
        text = clip(message.text, _LIMITS["dingtalk"])
        if channel.msgtype == "markdown":
            payload = {"msgtype": "markdown", "markdown": {"title": message.subject,
                                                           "text": text}}  # fmt: skip
        else:
            payload = {"msgtype": "text", "text": {"content": text}}
        if channel.secret:
            stamp = int(clock() * 1000)
            sign = dingtalk_sign(channel.secret.read(environ), stamp)
            query = urllib.parse.urlencode({"timestamp": stamp, "sign": sign})
            url += ("&" if urllib.parse.urlsplit(url).query else "?") + query
    elif kind == "feishu":
        payload = {"msg_type": "text", "content": {"text": clip(message.text, 18000)}}
        if channel.secret:
            stamp = int(clock())
            sign = feishu_sign(channel.secret.read(environ), stamp)
            payload = {"timestamp": str(stamp), "sign": sign, **payload}
    elif kind == "slack":
        payload = {"text": clip(message.text, _LIMITS["slack"])}
    else:
        raise SendError("send_not_http", where=channel.describe())
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if kind == "webhook" and channel.secret:
        headers["X-Aidsync-Signature"] = webhook_signature(channel.secret.read(environ), body)
    return url, body, headers


def _check_answer(channel: Channel, status: int, text: str) -> None:
    """Services that answer 200 with an error code in the body: turn it into SendError."""
    where = channel.describe()
    if channel.kind == "slack":
        if text.strip() != "ok":
            raise SendError(
                "send_slack_answer", where=where, status=status, text=text.strip()[:120]
            )
        return
    if channel.kind == "webhook":
        return
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        raise SendError("send_not_json", where=where) from None
    if not isinstance(answer, dict):
        raise SendError("send_unexpected", where=where)
    if channel.kind in ("wecom", "dingtalk"):
        code, why = answer.get("errcode"), answer.get("errmsg", "")
    else:
        code = answer.get("code", answer.get("StatusCode"))
        why = answer.get("msg", answer.get("StatusMessage", ""))
    if code not in (0, "0"):
        raise SendError("send_refused", where=where, num=code, why=str(why)[:160])


def send_http(
    channel: Channel,
    message: Message,
    fields: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> None:
    """POST one message; SendError on a timeout, an HTTP error or a refusal in the answer."""
    where = channel.describe()
    try:
        url, body, headers = build_request(channel, message, fields, environ, clock)
    except MissingSecret as exc:
        raise SendError(exc.code, where=where, **exc.fields) from None
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=channel.timeout) as answer:
            status = answer.status
            text = answer.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        raise SendError(
            "send_http_error", where=where, url=safe_url(url), status=exc.code, detail=detail[:160]
        ) from None
    except TimeoutError:
        raise SendError(
            "send_no_answer", where=where, url=safe_url(url), seconds=f"{channel.timeout:g}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SendError("send_unreachable", where=where, url=safe_url(url), reason=reason) from None
    _check_answer(channel, status, text)


def send_mail(channel: Channel, message: Message, environ: Mapping[str, str] | None = None) -> None:
    """One e-mail over SMTP (STARTTLS or SSL when configured)."""
    where = channel.describe()
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.to)
    token = hashlib.sha256(message.event_id.encode("utf-8")).hexdigest()[:32]
    mail["Message-ID"] = f"<{token}@aidsync>"
    mail["X-Aidsync-Event"] = message.event_id
    mail.set_content(message.text)
    try:
        password = channel.secret.read(environ) if channel.secret else None
        smtp_class = smtplib.SMTP_SSL if channel.ssl else smtplib.SMTP
        with smtp_class(channel.host, channel.port, timeout=channel.timeout) as smtp:
            if channel.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if channel.username and password:
                smtp.login(channel.username, password)
            smtp.send_message(mail)
    except MissingSecret as exc:
        raise SendError(exc.code, where=where, **exc.fields) from None
    except smtplib.SMTPAuthenticationError:
        raise SendError("send_bad_login", where=where) from None
    except smtplib.SMTPException as exc:
        raise SendError("send_mail_refused", where=where, reason=str(exc)[:200]) from None
    except TimeoutError:
        raise SendError(
            "send_mail_no_answer", where=where, host=channel.host, port=channel.port
        ) from None
    except OSError as exc:
        raise SendError("send_mail_unreachable", where=where, host=channel.host,
                        port=channel.port, reason=exc.strerror or exc) from None  # fmt: skip


def send(
    channel: Channel,
    message: Message,
    fields: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
) -> None:
    """Send one message to one channel (SendError when it did not arrive)."""
    if channel.kind == "smtp":
        send_mail(channel, message, environ)
    else:
        send_http(channel, message, fields, environ)
