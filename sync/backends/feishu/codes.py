"""Feishu's error codes a user can cause, and what each means for a pass (pure).

From the server error code page (api-call-guide/ugjM14COyUjL4ITN) and the sheets pages
(spreadsheet-sheet/query lists the v3 1310xxx codes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """How to report one code: its message, and ConfigError (exit 2) or BackendError (exit 1)."""

    message: str
    config: bool = False
    layout: bool = False  # the spreadsheet changed under the pass: re-plan
    too_large: bool = False  # read fewer cells at once


_BY_CODE: dict[int, Refusal] = {
    # the app's credential (tenant_access_token/internal)
    10003: Refusal("feishu_bad_secret", config=True),
    10014: Refusal("feishu_bad_secret", config=True),
    10015: Refusal("feishu_bad_secret", config=True),
    20002: Refusal("feishu_bad_secret", config=True),
    99991543: Refusal("feishu_bad_secret", config=True),
    99991663: Refusal("feishu_bad_secret", config=True),  # a fresh token refused too
    99991662: Refusal("feishu_app_off", config=True),
    99991673: Refusal("feishu_app_off", config=True),
    99991401: Refusal("feishu_ip_denied", config=True),
    99991672: Refusal("feishu_no_scope", config=True),
    99991676: Refusal("feishu_no_scope", config=True),
    # the document
    90213: Refusal("feishu_no_permission", config=True),
    1310213: Refusal("feishu_no_permission", config=True),
    91403: Refusal("feishu_no_permission", config=True),
    90214: Refusal("feishu_not_found", config=True),
    1310214: Refusal("feishu_not_found", config=True),
    1310249: Refusal("feishu_not_found", config=True),
    91402: Refusal("feishu_not_found", config=True),
    # the sheets
    90202: Refusal("feishu_refused", layout=True),  # wrong range: rows or a tab changed
    90211: Refusal("feishu_refused", layout=True),
    90215: Refusal("feishu_refused", layout=True),  # unknown sheet id: a tab was deleted
    90210: Refusal("feishu_refused", layout=True),  # a tab of that title appeared meanwhile
    90218: Refusal("feishu_locked"),
    90219: Refusal("feishu_cell_limit"),
    90221: Refusal("feishu_too_large", too_large=True),
    90222: Refusal("feishu_cell_too_long"),
    99991403: Refusal("feishu_monthly_quota"),
}


def refusal(code: int) -> Refusal:
    """What a code means (a plain refusal with the code for the rest)."""
    return _BY_CODE.get(code, Refusal("feishu_refused"))
