"""Replay real gspread<->Google recordings against the emulator and compare the answers.

The recordings live outside the repository (../shared/sheets-api-recordings, vcrpy JSON
cassettes recorded by the gspread project); they are read in place, never copied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import google.auth.transport.requests
import pytest
import requests
from emulator import SheetsEmulator
from emulator.client import SCOPES
from google.oauth2.service_account import Credentials

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "sheets-api-recordings"
SHEETS = "https://sheets.googleapis.com"
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
ID_KEYS = ("sheetId", "protectedRangeId", "chartId")
SPREADSHEET_ID = re.compile(r"^[A-Za-z0-9_-]{44}$")

# Interactions the emulator deliberately does not reproduce: (cassette stem, index) -> reason.
# Each is still replayed (to keep state in step); only its answer is not compared.
DELIBERATE_GAPS: dict[tuple[str, int], str] = {
    # autoResizeDimensions is accepted as a no-op: the emulator has no font metrics, so the
    # resized column keeps its 100 px instead of Google's measured 8691 px.
    ("WorksheetTest.test_auto_resize_columns", 8): "autoResizeDimensions has no text metrics",
    ("WorksheetTest.test_auto_resize_columns", 17): "autoResizeDimensions has no text metrics",
}


@dataclass
class Replay:
    """The outcome of replaying one cassette."""

    compared: int = 0
    matched: int = 0
    skipped: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def cassettes() -> list[Path]:
    """The cassette files, or none when the recordings folder is absent."""
    return sorted(RECORDINGS.glob("*.json")) if RECORDINGS.is_dir() else []


def _body(record: dict[str, Any]) -> Any:
    body = record.get("body")
    if isinstance(body, dict):
        body = body.get("string")
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body


def _walk_ids(recorded: Any, emulated: Any, ids: dict[int, int]) -> None:
    """Learn recorded->emulated numeric ids (sheetId, protectedRangeId...) from two answers."""
    if isinstance(recorded, dict) and isinstance(emulated, dict):
        for key, value in recorded.items():
            other = emulated.get(key)
            if key in ID_KEYS and isinstance(value, int) and isinstance(other, int):
                ids.setdefault(value, other)
            else:
                _walk_ids(value, other, ids)
    elif isinstance(recorded, list) and isinstance(emulated, list):
        for a, b in zip(recorded, emulated, strict=False):
            _walk_ids(a, b, ids)


def _rewrite(value: Any, ss_ids: dict[str, str], ids: dict[int, int], key: str = "") -> Any:
    """Map recorded spreadsheet ids, numeric ids and service-account emails."""
    if isinstance(value, dict):
        return {k: _rewrite(v, ss_ids, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, ss_ids, ids, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and key in ID_KEYS:
        return ids.get(value, value)
    if isinstance(value, str):
        if value.endswith(".iam.gserviceaccount.com"):
            return "<service-account>"
        for old, new in ss_ids.items():
            value = value.replace(old, new)
    return value


def _diff(expected: Any, actual: Any, path: str = "$") -> Iterator[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                yield f"{path}.{key}: missing (expected {json.dumps(expected[key])[:80]})"
            elif key not in expected:
                yield f"{path}.{key}: unexpected {json.dumps(actual[key])[:80]}"
            else:
                yield from _diff(expected[key], actual[key], f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            yield from _diff(a, b, f"{path}[{i}]")
    elif expected != actual or type(expected) is not type(actual):
        yield f"{path}: expected {json.dumps(expected)[:120]}, got {json.dumps(actual)[:120]}"


def replay(cassette: Path, emulator: SheetsEmulator, keyfile: Path) -> Replay:
    """Replay every Sheets interaction of a cassette against a fresh emulator."""
    credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        str(keyfile), scopes=list(SCOPES)
    )
    credentials.refresh(google.auth.transport.requests.Request())
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {credentials.token}"
    interactions = json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    ss_ids: dict[str, str] = {}
    ids: dict[int, int] = {}
    outcome = Replay()
    for index, interaction in enumerate(interactions):
        request, response = interaction["request"], interaction["response"]
        uri: str = request["uri"]
        if uri.startswith(DRIVE_FILES + "?") and request["method"] == "POST":
            created = _body(response)
            title = (_body(request) or {}).get("name", "Untitled")
            new_id = emulator.create_spreadsheet(title, locale="en_US", time_zone="Etc/GMT")
            ss_ids[created["id"]] = new_id
            continue
        if not uri.startswith(SHEETS):
            continue  # Drive metadata reads and deletions are outside the emulator
        recorded_id = uri[len(SHEETS) :].split("/")[3].split("?")[0].split(":")[0]
        if recorded_id not in ss_ids and SPREADSHEET_ID.match(recorded_id):
            # A real spreadsheet the cassette did not create: someone else's, not shared.
            ss_ids[recorded_id] = emulator.create_spreadsheet("private", readers=[])
        url = emulator.base_url + _rewrite(uri[len(SHEETS) :], ss_ids, ids)
        body = _rewrite(_body(request), ss_ids, ids)
        answer = session.request(request["method"], url, json=body)
        expected_body = _body(response)
        actual_body = answer.json()
        _walk_ids(expected_body, actual_body, ids)
        gap = DELIBERATE_GAPS.get((cassette.stem, index))
        if gap is not None:
            outcome.skipped.append(f"[{index}] {gap}")
            continue
        outcome.compared += 1
        problems = []
        if answer.status_code != response["status"]["code"]:
            problems.append(f"status {answer.status_code} != {response['status']['code']}")
        problems += list(_diff(_rewrite(expected_body, ss_ids, ids), _rewrite(actual_body, {}, {})))
        if problems:
            outcome.mismatches.append(
                f"[{index}] {request['method']} {uri[len(SHEETS) :][:90]}\n    "
                + "\n    ".join(problems[:8])
            )
        else:
            outcome.matched += 1
    return outcome


@pytest.mark.parametrize(
    "cassette",
    cassettes() or [pytest.param(None, id="recordings-absent")],
    ids=lambda p: p.stem if isinstance(p, Path) else str(p),
)
def test_cassette_conformance(cassette: Path | None, tmp_path: Path) -> None:
    """Every non-gap Sheets interaction answers like the live API did."""
    if cassette is None:
        pytest.skip(f"recordings folder absent: {RECORDINGS}")
    with SheetsEmulator() as emulator:
        keyfile = tmp_path / "key.json"
        emulator.make_service_account_key(keyfile)
        emulator.quota.enabled = False
        outcome = replay(cassette, emulator, keyfile)
    assert not outcome.mismatches, "\n".join(outcome.mismatches)


def test_gaps_name_existing_interactions() -> None:
    """Every DELIBERATE_GAPS entry points at a Sheets interaction of an existing cassette."""
    if not RECORDINGS.is_dir():
        pytest.skip(f"recordings folder absent: {RECORDINGS}")
    for (stem, index), reason in DELIBERATE_GAPS.items():
        path = RECORDINGS / f"{stem}.json"
        assert path.is_file(), reason
        interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
        assert interactions[index]["request"]["uri"].startswith(SHEETS), (stem, index)
