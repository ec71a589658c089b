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

from sync.errors import BackendError, ConfigError

GOOGLE_SHEETS = "https://sheets.googleapis.com"
#: the narrowest scope that reads and writes a spreadsheet shared with the account (no Drive)
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
RETRY_STATUSES = frozenset({408, 429})
_KEY_FIELDS = ("client_email", "private_key", "token_uri")
#: 400 answers that mean a tab was renamed, deleted, shrunk or added since it was read
_LAYOUT_CHANGED = ("Unable to parse range", "exceeds grid limits", "already exists")

T = TypeVar("T")


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
        return f"the service account (its address is client_email in {self.key_file.name})"


def load_service_account(path: Path | None) -> ServiceAccount:
    """Read a service-account key file; ConfigError (never quoting the key) when unusable."""
    if path is None:
        raise ConfigError(
            "no service-account key file: pass --credentials FILE, or set AIDSYNC_CREDENTIALS "
            "or GOOGLE_APPLICATION_CREDENTIALS (docs/google-sheets.md shows how to create one)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"credentials {path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"credentials {path}: is a folder, not a key file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not readable"
        raise ConfigError(f"credentials {path}: cannot read the key file ({reason})") from None
    try:
        info = json.loads(text)
    except ValueError:
        raise ConfigError(
            f"credentials {path}: not a JSON key file; download a JSON key for the service "
            "account (see credentials.example.json for its shape)"
        ) from None
    if not isinstance(info, dict):
        raise ConfigError(f"credentials {path}: not a service-account key (expected a JSON object)")
    if info.get("type") != "service_account":
        raise ConfigError(
            f"credentials {path}: not a service-account key (its type is "
            f"{str(info.get('type') or 'missing')[:40]!r}); aidsync needs a service account's "
            "JSON key, not an OAuth client or user credentials"
        )
    missing = [k for k in _KEY_FIELDS if not isinstance(info.get(k), str) or not info.get(k)]
    if missing:
        raise ConfigError(
            f"credentials {path}: the key file lacks {', '.join(missing)}; download a fresh "
            "JSON key for the service account"
        )
    try:
        credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(path), scopes=list(SCOPES)
        )
    except Exception:  # the library's message may quote key material: never show it
        raise ConfigError(
            f"credentials {path}: the private key in the key file cannot be read; download a "
            "fresh JSON key for the service account"
        ) from None
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
        raise ConfigError(
            f"AIDSYNC_SHEETS_ENDPOINT {endpoint!r} is not an http(s) URL; write it like "
            "https://sheets.googleapis.com or http://127.0.0.1:8080"
        )
    if timeout <= 0:
        raise ConfigError("the request timeout must be a positive number of seconds")
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

    def __init__(self, reason: str, retry_after: float | None = None, unsure: bool = False) -> None:
        """reason is shown to people; unsure: no answer came, so the request may have landed."""
        super().__init__(reason)
        self.reason = reason
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
    def share_hint(self) -> str:
        """What to do when Google says the account may not open the spreadsheet."""
        return (
            f"share the spreadsheet with {self.account} as an Editor "
            "(Share button in Google Sheets), and check that the Google Sheets API is enabled "
            "in the account's project"
        )

    def classify(self, exc: BaseException) -> Transient:
        """The Transient for a failure that may pass; raise an aidsync error for the rest."""
        if isinstance(exc, gspread.exceptions.APIError):
            response = getattr(exc, "response", None)
            code = response.status_code if response is not None else exc.code
            message = _api_message(exc)
            if code in RETRY_STATUSES or 500 <= code <= 599:
                label = "quota exceeded" if code == 429 else "Google answered"
                return Transient(f"{label} {code} ({message})", retry_after(response))
            if code == 401:
                raise ConfigError(
                    f"{self.name()}: Google did not accept the service account's credentials "
                    f"(401 {message}); check the key file is current, and {self.share_hint()}"
                ) from None
            if code == 403:
                raise ConfigError(
                    f"{self.name()}: the service account may not open this spreadsheet "
                    f"(403 {message}); {self.share_hint()}"
                ) from None
            if code == 404:
                raise ConfigError(
                    f"{self.name()}: no such spreadsheet (404); check the key or URL given with "
                    f"--spreadsheet, and that it is shared with {self.account}"
                ) from None
            if code == 400 and any(sign in message for sign in _LAYOUT_CHANGED):
                raise BadRange(f"{self.name()}: {message}") from None
            raise BackendError(
                f"{self.name()}: Google Sheets refused a request ({code} {message})"
            ) from None
        if isinstance(exc, requests.exceptions.Timeout):
            unsure = not isinstance(exc, requests.exceptions.ConnectTimeout)
            return Transient("no answer within the request timeout", unsure=unsure)
        broken = requests.exceptions.ConnectionError | google.auth.exceptions.TransportError
        if isinstance(exc, broken):
            return Transient("cannot connect to Google", unsure=True)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return Transient("the connection broke during the answer", unsure=True)
        if isinstance(exc, google.auth.exceptions.RefreshError):
            if getattr(exc, "retryable", False):
                return Transient("the token endpoint is unavailable")
            detail = str(exc.args[0])[:200] if exc.args and isinstance(exc.args[0], str) else ""
            raise ConfigError(
                f"{self.name()}: Google refused the service account's key"
                f"{f' ({detail})' if detail else ''}; the key may be deleted or disabled: "
                "download a fresh JSON key for the service account"
            ) from None
        if isinstance(exc, requests.exceptions.RequestException):
            raise ConfigError(
                f"{self.name()}: cannot send a request to the Sheets API "
                f"({type(exc).__name__}); check AIDSYNC_SHEETS_ENDPOINT"
            ) from None
        if isinstance(exc, ValueError) and "JSON" in type(exc).__name__ + str(exc):
            raise BackendError(
                f"{self.name()}: the Sheets API answered something that is not JSON; "
                "check AIDSYNC_SHEETS_ENDPOINT and any proxy in between"
            ) from None
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
        """The error a pass ends with when retries run out."""
        return BackendError(
            f"{self.name()}: gave up {action} after {attempts} attempt(s): {problem.reason}. "
            f"{written} If this is a quota error, run passes less often or raise the project's "
            "Sheets API quota; the next pass will try again."
        )

    def call(self, action: str, fn: Callable[[], T], written: str = "Nothing was written.") -> T:
        """Run fn with bounded retries; action names it in messages ('reading the tabs')."""
        attempt = 1
        while True:
            try:
                return fn()
            except Exception as exc:
                problem = self.classify(exc)
            if not self.pause(attempt, problem):
                raise self.gave_up(action, attempt, problem, written) from None
            attempt += 1
