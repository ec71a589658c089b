"""Talking to the Feishu / Lark Open Platform: the app's token, timeouts, bounded retries.

One ``requests.Session`` sends every call to the configured base URL (open.feishu.cn,
open.larksuite.com, or an emulator). The tenant_access_token is cached and asked for again
in its last 30 minutes (before that, Feishu hands back the same token), and once more when an
answer says it is invalid or expired. Failures that may pass (429 with code 99991400 — waiting
the seconds of ``x-ogw-ratelimit-reset`` —, 5xx, 90217, connection errors, timeouts) are
retried a bounded number of times with exponential backoff and jitter; each code a user can
cause becomes a ConfigError or BackendError whose message says the fix (codes.py). The app
secret goes into the token request's body and nowhere else: never a message, a log or a file.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from sync.backends.feishu.codes import Refusal, refusal
from sync.errors import BackendError, ConfigError
from sync.messages import CATALOG, say
from sync.schema import Locale

TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"
RENEW_BEFORE = 1800.0  # seconds: within the last 30 minutes Feishu gives a fresh token
#: codes that mean the token itself is no good: fetch a new one and try once more
TOKEN_CODES = frozenset({99991661, 99991663, 99991665, 99991671})
#: codes that may pass: too many requests, retry later, a document still loading
TRANSIENT_CODES = frozenset({99991400, 90217, 90235, 90242, 1000004, 1000005})


@dataclass(frozen=True)
class AppCredential:
    """An internal app's id and secret (the secret is left out of repr)."""

    app_id: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: attempts in all, backoff min(base·2^n + jitter, max_delay)."""

    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    jitter: float = 1.0
    max_reset: float = 300.0  # a longer x-ogw-ratelimit-reset is not waited for: give up


# what a call was doing, and what was written, as callers name them, to their catalogue codes
_PHRASES = {
    say(locale, code): code
    for code in CATALOG
    if code.startswith("fs_act_") or code in ("feishu_maybe_written", "feishu_nothing_written")
    for locale in ("zh", "en")
}


class Transient(Exception):
    """A failure that may pass: retry after a pause."""

    def __init__(
        self, code: str, wait: float | None = None, unsure: bool = False, **fields: object
    ) -> None:
        """code: the catalogue's words; wait: the server's reset; unsure: it may have landed."""
        self.code, self.fields = code, fields
        self.reason = say("en", code, **fields)
        super().__init__(self.reason)
        self.wait = wait
        self.unsure = unsure


class LayoutChanged(BackendError):
    """A sheet id or range no longer fits the spreadsheet: a tab or rows changed under us."""


class AnswerTooLarge(BackendError):
    """90221: the read's answer would pass 10 MB; read fewer cells at once."""


def pause(seconds: float) -> None:
    """The default sleep between attempts."""
    time.sleep(seconds)


@dataclass
class _Token:
    value: str = ""
    expires: float = 0.0


class FeishuClient:
    """Calls of one app on one base URL, with its token, retries and a call counter."""

    def __init__(
        self,
        base_url: str,
        credential: AppCredential,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """base_url: https://open.feishu.cn or another origin; sleep and clock are injectable."""
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.sleep = sleep or pause
        self.clock = clock
        self.session = session or requests.Session()
        self.rng = rng or random.Random()
        self.where: Callable[[], str] = lambda: "Feishu"
        self.locale: Callable[[], Locale] = lambda: "zh"
        self.workbook_locale: Callable[[], Locale | None] = lambda: None  # errors say it so
        self.calls = 0  # answered API calls (they count against the monthly budget)
        self.token_calls = 0
        self.retries = 0
        self._token = _Token()

    # -- the token ------------------------------------------------------------------------------
    def token(self) -> str:
        """A valid tenant_access_token, from the cache while it has over 30 minutes left."""
        if self._token.value and self._token.expires - self.clock() > RENEW_BEFORE:
            return self._token.value
        try:
            response = self.session.post(
                self.base_url + TOKEN_PATH,
                json={"app_id": self.credential.app_id, "app_secret": self.credential.secret},
                timeout=self.timeout,
            )
        except requests.exceptions.RequestException as exc:
            raise self._transport(exc) from None
        self.token_calls += 1
        answer = self._json(response)
        code = int(answer.get("code", -1))
        if response.status_code >= 500 or code in TRANSIENT_CODES or response.status_code == 429:
            raise Transient("feishu_token_answered", _reset(response), status=response.status_code)
        if code != 0 or not answer.get("tenant_access_token"):
            raise self._refused(response.status_code, code, str(answer.get("msg") or ""))
        self._token = _Token(
            str(answer["tenant_access_token"]), self.clock() + float(answer.get("expire") or 0)
        )
        return self._token.value

    def forget_token(self) -> None:
        """Drop the cached token (the next call asks for one)."""
        self._token = _Token()

    # -- calls ----------------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        action: str,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        written: str = "",
    ) -> dict[str, Any]:
        """One API call with bounded retries; returns the answer's data.

        action names the call in messages ("reading the tabs"); written says what a final
        failure leaves behind (default: nothing was written).
        """
        attempt, renewed = 1, False
        unsure = False
        while True:
            try:
                return self.once(method, path, params, body)
            except _StaleToken:
                if renewed:
                    raise self._refused(400, 99991663, "invalid access token") from None
                renewed = True
                self.forget_token()
                continue
            except Transient as problem:
                failure = problem
            unsure = unsure or failure.unsure
            if not self._pause(attempt, failure):
                said = _PHRASES.get(written) if written else "feishu_nothing_written"
                if unsure:
                    said = "feishu_maybe_written"
                act = _PHRASES.get(action)
                fields: dict[str, object] = {"where": self.where(), "attempts": attempt}
                for locale in ("zh", "en"):
                    fields[f"action_{locale}"] = say(locale, act) if act else action
                    fields[f"reason_{locale}"] = say(locale, failure.code, **failure.fields)
                    fields[f"written_{locale}"] = say(locale, said) if said else written
                raise BackendError.worded("feishu_gave_up", **fields).in_language(
                    self.workbook_locale()
                ) from None
            attempt += 1

    def once(
        self, method: str, path: str, params: Mapping[str, str] | None = None, body: Any = None
    ) -> dict[str, Any]:
        """One attempt; raises Transient for what may pass, _StaleToken for a bad token."""
        headers = {
            "Authorization": f"Bearer {self.token()}",
            "Content-Type": "application/json; charset=utf-8",
        }
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=body,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.exceptions.RequestException as exc:
            raise self._transport(exc) from None
        answer = self._json(
            response, lenient=response.status_code >= 500 or response.status_code == 429
        )
        code = int(answer.get("code", -1)) if answer else -1
        status = response.status_code
        if code in TOKEN_CODES:
            raise _StaleToken()
        if status == 429 or code in TRANSIENT_CODES:
            if code == 99991403:
                raise self._refused(status, code, str(answer.get("msg") or ""))
            raise Transient("feishu_rate_limited", _reset(response), status=status, num=code)
        if status >= 500:
            raise Transient("feishu_answered", status=status)
        if code != 0:
            raise self._refused(status, code, str(answer.get("msg") or ""))
        self.calls += 1
        data = answer.get("data")
        return data if isinstance(data, dict) else {}

    # -- failures -------------------------------------------------------------------------------
    def _pause(self, attempt: int, problem: Transient) -> bool:
        policy = self.policy
        if attempt >= policy.attempts:
            return False
        if problem.wait is not None and problem.wait > policy.max_reset:
            return False
        backoff = min(
            policy.base_delay * 2 ** (attempt - 1) + self.rng.uniform(0, policy.jitter),
            policy.max_delay,
        )
        self.retries += 1
        self.sleep(max(backoff, problem.wait or 0.0))
        return True

    def _transport(self, exc: requests.exceptions.RequestException) -> Exception:
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return Transient("feishu_no_connection")
        if isinstance(exc, requests.exceptions.Timeout):
            return Transient("feishu_no_answer", unsure=True)
        if isinstance(
            exc, requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError
        ):
            return Transient("feishu_unreachable", unsure=True)
        # an invalid URL or scheme: nothing to retry
        return ConfigError.worded("feishu_bad_endpoint", endpoint=self.base_url).in_language(
            self.workbook_locale()
        )

    def _json(self, response: requests.Response, lenient: bool = False) -> dict[str, Any]:
        try:
            answer = response.json()
        except ValueError:
            if lenient:
                return {}
            raise BackendError.worded("feishu_not_json", where=self.where()).in_language(
                self.workbook_locale()
            ) from None
        return answer if isinstance(answer, dict) else {}

    def _refused(self, status: int, code: int, msg: str) -> Exception:
        kind: Refusal = refusal(code)
        fields = {
            "where": self.where(),
            "app": self.credential.app_id,
            "status": status,
            "num": code,
            "msg": msg[:200],
        }
        error_kind: type[BackendError | ConfigError] = BackendError
        if kind.layout:
            error_kind = LayoutChanged
        elif kind.too_large:
            error_kind = AnswerTooLarge
        elif kind.config:
            error_kind = ConfigError
        return error_kind.worded(kind.message, **fields).in_language(self.workbook_locale())


class _StaleToken(Exception):
    """The answer said the token is invalid or expired."""


def _reset(response: requests.Response) -> float | None:
    """Seconds the x-ogw-ratelimit-reset header asks to wait, if any."""
    value = response.headers.get("x-ogw-ratelimit-reset")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
