"""Feishu's error answers: an HTTP status, a code and a msg in the {code, msg, data} envelope.

Codes and messages are the ones of the Open Platform's server error code page
(api-call-guide/ugjM14COyUjL4ITN) and of each endpoint's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FeishuError(Exception):
    """An error answer."""

    status: int
    code: int
    msg: str
    detail: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, object]:
        """The JSON the emulator sends."""
        msg = f"{self.msg}: {self.detail}" if self.detail else self.msg
        return {"code": self.code, "msg": msg, "data": {}}


def wrong_range(text: str) -> FeishuError:
    """90202: the range does not parse or does not fit."""
    return FeishuError(400, 90202, "validate RangeVal fail", f"range {text!r}")


def no_permission(v3: bool = False) -> FeishuError:
    """The app was not added to the document (or only as a reader for a write)."""
    if v3:
        return FeishuError(400, 1310213, "Permission Fail")
    return FeishuError(403, 90213, "PermissionFail", "forbidden")


def not_found(v3: bool = False) -> FeishuError:
    """No spreadsheet with this token."""
    if v3:
        return FeishuError(400, 1310214, "SpreadSheet Not Found")
    return FeishuError(400, 90214, "SpreadSheetNotFound")


def invalid_token() -> FeishuError:
    """99991663: the tenant_access_token is invalid or expired."""
    return FeishuError(
        400, 99991663, "Invalid access token for authorization. Please make a request with "
        "token attached"
    )  # fmt: skip


def need_token() -> FeishuError:
    """99991661: no Authorization header."""
    return FeishuError(400, 99991661, "Need a token")


def rate_limited(reset: int, limit: int = 100) -> FeishuError:
    """99991400 with HTTP 429 and the x-ogw-ratelimit headers (frequency-control page)."""
    return FeishuError(
        429,
        99991400,
        "request trigger frequency limit",
        headers={"x-ogw-ratelimit-limit": str(limit), "x-ogw-ratelimit-reset": str(reset)},
    )


def monthly_quota() -> FeishuError:
    """99991403 with HTTP 429: the tenant's custom apps used this month's calls."""
    return FeishuError(429, 99991403, "This month's API call quota has been exceeded")


def server_error(status: int = 500) -> FeishuError:
    """An internal error (90203 Fail)."""
    return FeishuError(status, 90203, "Fail", "internal error")
