"""What init puts on tabs so that people type values the worker reads and leave its cells
alone: dropdowns, warning-only protections, highlights of urgent and escalated rows.

Each function answers the Sheets API requests still missing; what init added before is
recognised (protections by description, highlights by formula), so a second run adds none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.backends.gsheets.sheets import column_letters
from sync.messages import say
from sync.schema import Locale, Schema, Tab

_MULTI_TYPES = {"communities", "categories"}
_MARK = "aidsync"
_URGENT_FORMAT = {
    "backgroundColor": {"red": 1.0, "green": 0.9, "blue": 0.9},
    "textFormat": {"bold": True},
}
_ESCALATED_FORMAT = {"backgroundColor": {"red": 1.0, "green": 0.95, "blue": 0.8}}


def dropdowns(
    tab: Tab,
    schema: Schema,
    locale: Locale,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    only: set[str],
) -> list[dict[str, Any]]:
    """Dropdowns (a warning, not a refusal) on choice columns that init itself adds."""
    requests: list[dict[str, Any]] = []
    for column in tab.columns:
        if column.key not in only or not column.choices or column.type in _MULTI_TYPES:
            continue
        labels = [o.label(locale) for o in schema.choice_list(column.choices).options]
        col = columns[column.key]
        requests.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": header_row,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": label} for label in labels],
                        },
                        "strict": False,
                        "showCustomUi": True,
                    },
                }
            }
        )
    return requests


def protections(
    tab: Tab,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    extra: Mapping[str, Any],
    locale: Locale,
) -> list[dict[str, Any]]:
    """Warning-only protection over worker-owned columns (the whole tab for Summary/Log)."""
    existing = {str(p.get("description", "")) for p in extra.get("protectedRanges") or []}
    ranges: list[tuple[str, dict[str, Any]]] = []
    if tab.worker_tab:
        ranges.append((f"{_MARK}: {tab.key}", {"sheetId": sheet_id}))
    else:
        for column in tab.columns:
            if column.owner != "worker" or column.key not in columns:
                continue
            col = columns[column.key]
            grid = {
                "sheetId": sheet_id,
                "startRowIndex": header_row - 1,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            }
            ranges.append((f"{_MARK}: {tab.key}.{column.key}", grid))
    return [
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": grid,
                    "description": f"{description} — {say(locale, 'header_worker')}",
                    "warningOnly": True,
                }
            }
        }
        for description, grid in ranges
        if not _matches(description, existing)
    ]


def _matches(description: str, existing: set[str]) -> bool:
    return any(d == description or d.startswith(description + " ") for d in existing)


def highlights(
    schema: Schema,
    sheet_id: int,
    header_row: int,
    columns: Mapping[str, int],
    extra: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Conditional formats: urgent rows bold on pink, escalated rows on amber."""
    existing = set()
    for rule in extra.get("conditionalFormats") or []:
        for value in ((rule.get("booleanRule") or {}).get("condition") or {}).get("values") or []:
            existing.add(str(value.get("userEnteredValue", "")))
    width = max(columns.values()) + 1
    first = header_row + 1
    requests: list[dict[str, Any]] = []
    for key, list_name, option, fmt in (
        ("urgency", "urgency", "urgent", _URGENT_FORMAT),
        ("status", "request_status", "escalated", _ESCALATED_FORMAT),
    ):
        if key not in columns:
            continue
        choice = schema.choice_list(list_name).get(option)
        cell = f"${column_letters(columns[key])}{first}"
        tests = ",".join(f'{cell}="{label}"' for label in dict.fromkeys((choice.zh, choice.en)))
        formula = f"=OR({tests})"
        if formula in existing:
            continue
        requests.append(
            {
                "addConditionalFormatRule": {
                    "index": 0,
                    "rule": {
                        "ranges": [
                            {
                                "sheetId": sheet_id,
                                "startRowIndex": header_row,
                                "startColumnIndex": 0,
                                "endColumnIndex": width,
                            }
                        ],
                        "booleanRule": {
                            "condition": {
                                "type": "CUSTOM_FORMULA",
                                "values": [{"userEnteredValue": formula}],
                            },
                            "format": fmt,
                        },
                    },
                }
            }
        )
    return requests
