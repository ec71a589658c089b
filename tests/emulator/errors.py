"""Google API error model (google.rpc.Status JSON) used by every emulated endpoint."""

from __future__ import annotations

from typing import Any

_STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

_DEFAULT_MESSAGE = {
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    404: "Requested entity was not found.",
    403: "The caller does not have permission",
}


class ApiError(Exception):
    """An error answered as Google's JSON error body."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        """Build an error with an HTTP code, message and canonical status."""
        self.code = code
        self.message = message if message is not None else _DEFAULT_MESSAGE.get(code, "Error")
        self.status = status or _STATUS_BY_CODE.get(code, "UNKNOWN")
        self.details = details
        super().__init__(f"{code} {self.status}: {self.message}")

    def body(self) -> dict[str, Any]:
        """Return the JSON body Google sends for this error."""
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str) -> ApiError:
    """Return a 400 INVALID_ARGUMENT error."""
    return ApiError(400, message)


def invalid_value(field: str, value: Any, type_name: str) -> ApiError:
    """Return Google's 'Invalid value at ...' error with its BadRequest detail."""
    import json

    message = f"Invalid value at '{field}' ({type_name}), {json.dumps(value, ensure_ascii=False)}"
    detail = {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [{"field": field, "description": message}],
    }
    return ApiError(400, message, details=[detail])


def unauthenticated(missing: bool) -> ApiError:
    """Return Google's 401 UNAUTHENTICATED error (missing or invalid credential)."""
    lead = "Request is missing required" if missing else "Request had invalid"
    message = (
        f"{lead} authentication credential. Expected OAuth 2 access token, login cookie or "
        "other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project."
    )
    reason = "CREDENTIALS_MISSING" if missing else "ACCESS_TOKEN_TYPE_UNSUPPORTED"
    detail = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "sheets.googleapis.com"},
    }
    return ApiError(401, message, details=[detail])
