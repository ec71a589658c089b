"""Talking to the Sheets API: credentials, the endpoint override, timeouts and bounded retries.

gspread and google-auth are used unmodified: a gspread.Client over an AuthorizedSession that
may send https://sheets.googleapis.com calls to another base URL (AIDSYNC_SHEETS_ENDPOINT).
gspread's own BackOffHTTPClient is not used: it retries forever and never retries timeouts.
Here every request gets a timeout, and failures that may pass (408, 429, 5xx, connection
errors, timeouts) are retried a bounded number of times with exponential backoff and jitter,
honouring Retry-After. Everything else becomes a ConfigError or BackendError whose message
says what to do. No message ever carries the private key.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import google.auth.exceptions
import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.service_account import Credentials

from sync.errors import BackendError, ConfigError, SyncError
from sync.messages import say

GOOGLE_SHEETS = "https://sheets.googleapis.com"
#: the narrowest scope that reads and writes a spreadsheet shared with the account (no Drive)
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
RETRY_STATUSES = frozenset({408, 429})
_KEY_FIELDS = ("client_email", "private_key", "token_uri")
#: 400 answers that mean a tab was renamed, deleted, shrunk or added since it was read
_LAYOUT_CHANGED = ("Unable to parse range", "exceeds grid limits", "already exists")

T = TypeVar("T")
E = TypeVar("E", bound=SyncError)

# the account as ServiceAccount.describe() names it, to say it again in Chinese
_ACCOUNT = re.compile(r"client_email in (.+)\)$")


def pause(seconds: float) -> None:
    """The default sleep between attempts (looked up at call time, so tests can replace it)."""
    time.sleep(seconds)


class EndpointSession(AuthorizedSession):
    """An AuthorizedSession that sends Sheets API calls to another base URL when configured."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str | None,
        meter: Callable[[], None] | None = None,
    ) -> None:
        """Wrap the credentials; base_url (or None) replaces https://sheets.googleapis.com;
        meter, when given, is called before every request (the shared quota budget)."""
        super().__init__(credentials)  # type: ignore[no-untyped-call]
        self.base_url = base_url.rstrip("/") if base_url else None
        self.meter = meter

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Rewrite the origin, then send as usual (token refresh included)."""
        if self.base_url and url.startswith(GOOGLE_SHEETS):
            url = self.base_url + url[len(GOOGLE_SHEETS) :]
        if self.meter is not None:
            self.meter()
        return super().request(method, url, *args, **kwargs)  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class ServiceAccount:
    """Credentials loaded from a key file, and how to name the account without quoting it."""

    credentials: Credentials
    email: str  # the quota user; never put into a message (it identifies the key)
    key_file: Path
    project: str = ""  # the key's project_id: Google counts the project quota on it

    def describe(self) -> str:
        """The account as messages name it: where to find its address, not the address."""
        return say("en", "gs_account", file=self.key_file.name)


def load_service_account(path: Path | None) -> ServiceAccount:
    """Read a service-account key file; ConfigError (never quoting the key) when unusable."""
    if path is None:
        raise ConfigError.worded("gs_no_key_file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError.worded("gs_key_missing", path=path) from None
    except IsADirectoryError:
        raise ConfigError.worded("gs_key_folder", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not readable"
        raise ConfigError.worded("gs_key_unreadable", path=path, reason=reason) from None
    try:
        info = json.loads(text)
    except ValueError:
        raise ConfigError.worded("gs_key_not_json", path=path) from None
    if not isinstance(info, dict):
        raise ConfigError.worded("gs_key_not_object", path=path)
    if info.get("type") != "service_account":
        kind = str(info.get("type") or "missing")[:40]
        raise ConfigError.worded("gs_key_wrong_type", path=path, type=kind)
    missing = [k for k in _KEY_FIELDS if not isinstance(info.get(k), str) or not info.get(k)]
    if missing:
        raise ConfigError.worded("gs_key_lacks", path=path, missing=", ".join(missing))
    try:
        credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(path), scopes=list(SCOPES)
        )
    except Exception:  # the library's message may quote key material: never show it
        raise ConfigError.worded("gs_key_private", path=path) from None
    project = str(info.get("project_id") or str(info["client_email"]).partition("@")[2])
    return ServiceAccount(credentials, str(info["client_email"]), path, project)


def build_client(
    account: ServiceAccount,
    endpoint: str | None,
    timeout: float,
    meter: Callable[[], None] | None = None,
) -> gspread.Client:
    """A gspread client over the account's credentials, the endpoint, a request timeout and,
    when several workbooks share one quota, the meter every request waits on."""
    if endpoint is not None and not endpoint.startswith(("https://", "http://")):
        raise ConfigError.worded("gs_bad_endpoint", endpoint=endpoint)
    if timeout <= 0:
        raise ConfigError.worded("gs_bad_timeout")
    session = EndpointSession(account.credentials, endpoint, meter)
    client = gspread.Client(auth=account.credentials, session=session)
    client.set_timeout(timeout)
    return client


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: attempts in all, and Google's backoff min(2^n + jitter, max_delay)."""

    attempts: int = 7
    base_delay: float = 1.0
    max_delay: float = 64.0
    jitter: float = 1.0
    max_retry_after: float = 300.0


class Transient(Exception):
    """A failure that may pass: retry after a pause."""

    def __init__(
        self, code: str, retry_after: float | None = None, unsure: bool = False, **fields: object
    ) -> None:
        """code: the catalogue's words for it; unsure: no answer came, so it may have landed."""
        self.code, self.fields = code, fields
        self.reason = say("en", code, **fields)
        super().__init__(self.reason)
        self.retry_after = retry_after
        self.unsure = unsure


class BadRange(BackendError):
    """A range no longer fits the spreadsheet: its tabs changed since they were read."""


def retry_after(response: requests.Response | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), if any."""
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _api_message(exc: gspread.exceptions.APIError) -> str:
    error = exc.error if isinstance(exc.error, dict) else {}
    message = str(error.get("message") or "").strip()
    status = str(error.get("status") or "").strip()
    text = f"{status}: {message}" if status and message else message or status
    return text[:300]


def _default_sleep() -> Callable[[float], None]:
    return SLEEP


SLEEP: Callable[[float], None] = pause  # tests may swap this for the command line's passes


class SheetsCaller:
    """Runs Sheets API calls with bounded retries and turns failures into aidsync errors."""

    def __init__(
        self,
        name: Callable[[], str],
        account: str,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """name() names the spreadsheet in messages; sleep and rng are injectable for tests."""
        self.name = name
        self.account = account  # a description such as ServiceAccount.describe(), not an address
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.retries = 0  # how many pauses were taken, for tests and messages

    # -- classification ------------------------------------------------------------------------
    def worded(self, kind: type[E], code: str, **fields: object) -> E:
        """An error about this spreadsheet and account, in the catalogue's words."""
        named = _ACCOUNT.search(self.account)
        zh = say("zh", "gs_account", file=named[1]) if named else self.account
        return kind.worded(code, name=self.name(), account=self.account, account_zh=zh, **fields)

    def classify(self, exc: BaseException) -> Transient:
        """The Transient for a failure that may pass; raise an aidsync error for the rest."""
        if isinstance(exc, gspread.exceptions.APIError):
            response = getattr(exc, "response", None)
            code = response.status_code if response is not None else exc.code
            message = _api_message(exc)
            if code in RETRY_STATUSES or 500 <= code <= 599:
                label = "gs_quota" if code == 429 else "gs_answered"
                return Transient(label, retry_after(response), status=code, message=message)
            if code in (401, 403, 404):
                raise self.worded(ConfigError, f"gs_{code}", message=message) from None
            if code == 400 and any(sign in message for sign in _LAYOUT_CHANGED):
                raise BadRange(f"{self.name()}: {message}") from None
            raise self.worded(BackendError, "gs_refused", status=code, message=message) from None
        if isinstance(exc, requests.exceptions.Timeout):
            unsure = not isinstance(exc, requests.exceptions.ConnectTimeout)
            return Transient("gs_timeout", unsure=unsure)
        broken = requests.exceptions.ConnectionError | google.auth.exceptions.TransportError
        if isinstance(exc, broken):
            return Transient("gs_no_connection", unsure=True)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return Transient("gs_broken_answer", unsure=True)
        if isinstance(exc, google.auth.exceptions.RefreshError):
            if getattr(exc, "retryable", False):
                return Transient("gs_token_down")
            detail = str(exc.args[0])[:200] if exc.args and isinstance(exc.args[0], str) else ""
            detail = f" ({detail})" if detail else ""
            raise self.worded(ConfigError, "gs_key_refused", detail=detail) from None
        if isinstance(exc, requests.exceptions.RequestException):
            raise self.worded(ConfigError, "gs_cannot_send", problem=type(exc).__name__) from None
        if isinstance(exc, ValueError) and "JSON" in type(exc).__name__ + str(exc):
            raise self.worded(BackendError, "gs_not_json") from None
        raise exc

    # -- retries ----------------------------------------------------------------------------------
    def delay(self, attempt: int, problem: Transient) -> float:
        """The pause before retry number `attempt` (1-based)."""
        policy = self.policy
        exponential = policy.base_delay * float(2 ** (attempt - 1))
        backoff = min(exponential + self.rng.uniform(0, policy.jitter), policy.max_delay)
        if problem.retry_after is not None:
            return max(backoff, problem.retry_after)
        return backoff

    def pause(self, attempt: int, problem: Transient) -> bool:
        """Sleep before the next attempt; False when no attempt is left (or the wait is absurd)."""
        if attempt >= self.policy.attempts:
            return False
        if problem.retry_after is not None and problem.retry_after > self.policy.max_retry_after:
            return False
        self.retries += 1
        (self.sleep or _default_sleep())(self.delay(attempt, problem))
        return True

    def gave_up(self, action: str, attempts: int, problem: Transient, written: str) -> BackendError:
        """The error a pass ends with when retries run out; action and written are the codes
        (gs_act_*, gs_wrote_*) of what was being done and what that means for the sheet."""
        fields: dict[str, object] = {"attempts": attempts}
        for part, code in (("action", action), ("written", written)):  # catalogue codes
            fields[f"{part}_zh"] = say("zh", code)
            fields[f"{part}_en"] = say("en", code)
        fields["reason_zh"] = say("zh", problem.code, **problem.fields)
        fields["reason_en"] = problem.reason
        return self.worded(BackendError, "gs_gave_up", **fields)

    def call(self, action: str, fn: Callable[[], T], written: str = "gs_wrote_nothing") -> T:
        """Run fn with bounded retries; action is the code naming it (gs_act_reading_tabs)."""
        attempt = 1
        while True:
            try:
                return fn()
            except Exception as exc:
                problem = self.classify(exc)
            if not self.pause(attempt, problem):
                raise self.gave_up(action, attempt, problem, written) from None
            attempt += 1
