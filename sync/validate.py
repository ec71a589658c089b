"""Rows as read → checked records, each with the problems a person must fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sync.model import CellValue, Problem, Request, SheetRow, StockItem, Table, Volunteer, is_blank
from sync.recurrence import is_readable
from sync.rules import Rules
from sync.schema import Locale, Schema
from sync.values import (
    format_time,
    minutes_between,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_phone,
    quote,
    split_list,
    text_of,
    typed_without_year,
)

OPEN_STATUSES = frozenset({"new", "needs_info", "escalated", "assigned", "in_progress"})
ALL_COMMUNITIES = "*"
_ALL_WORDS = {"all", "全部", "所有", "全部社区", "*"}


class _Row:
    """Reads one row's cells by key and collects its problems."""

    def __init__(self, table: Table, row: SheetRow, locale: Locale) -> None:
        self.table = table
        self.row = row
        self.locale = locale
        self.problems: list[Problem] = []
        # every cell by key in one go (about 25 reads a row follow): raw is then dict.get
        self.raw: Callable[[str], CellValue] = table.cells(row).get

    def text(self, key: str) -> str:
        return text_of(self.raw(key))

    def label(self, key: str) -> str:
        return self.table.tab.column(key).label(self.locale)

    def flag(self, code: str, key: str = "", value: CellValue = "") -> None:
        self.problems.append(Problem(code, self.label(key) if key else "", quote(value)))

    def choice(self, schema: Schema, key: str, list_name: str) -> str | None:
        raw = self.raw(key)
        if is_blank(raw):
            return None
        parsed = schema.choice_list(list_name).parse(raw)
        if parsed is None:
            self.flag("unknown_choice", key, raw)
        return parsed

    def moment(self, key: str, tz: ZoneInfo, now: datetime) -> datetime | None:
        raw = self.raw(key)
        parsed = parse_datetime(raw, tz, now)
        if parsed is None and not is_blank(raw):
            self.flag("bad_date", key, raw)
        return parsed


PERSONAL = ("name", "phone", "address", "notes")  # blanked after the retention period
# The note line left when a closed request's details were blanked; it carries the resident code.
RETAINED = re.compile(r"(?:居民代号|resident) ([^)）;；\s]+)[)）]")


def read_requests(
    table: Table, schema: Schema, rules: Rules, locale: Locale, tz: ZoneInfo, now: datetime
) -> list[Request]:
    """Check every non-blank request row."""
    records = []
    statuses = schema.choice_list("request_status")
    for sheet_row in table.data_rows:
        r = _Row(table, sheet_row, locale)
        raw = r.raw  # the row's dict.get: text_of(raw(key)) is r.text(key) without its call
        phone = parse_phone(raw("phone"), rules.phone_region)
        if phone and not phone.valid:
            r.flag("bad_phone", "phone", phone.masked)
        community_text = text_of(raw("community"))
        community = rules.community(community_text) if community_text else None
        if community_text and community is None:
            r.flag("unknown_community", "community", community_text)
        household = r.choice(schema, "household", "household")
        category = r.choice(schema, "category", "category")
        urgency = r.choice(schema, "urgency", "urgency") or "normal"
        status_text = text_of(raw("status"))
        status = statuses.parse(status_text) if status_text else None
        if status_text and status is None:
            r.flag("unknown_status", "status", status_text)
        if not is_readable(raw("repeat")):
            r.flag("bad_repeat", "repeat", raw("repeat"))
        submitted = r.moment("submitted_at", tz, now)
        if submitted is not None and status not in ("delivered", "cancelled"):
            _check_submitted(r, submitted, rules, now)
        record = Request(
            row=sheet_row,
            id=text_of(raw("id")) or None,
            submitted_at=submitted,
            name=text_of(raw("name")),
            phone=phone.e164 if phone and phone.valid else None,
            phone_masked=phone.masked if phone else "",
            community=community,
            address=text_of(raw("address")),
            household=household,
            category=category,
            items=text_of(raw("items")),
            urgency=urgency,
            notes=text_of(raw("notes")),
            volunteer_text=text_of(raw("volunteer")),
            status=status,
            status_text=status_text,
            priority=raw("priority"),
            assigned_at=parse_datetime(raw("assigned_at"), tz, now),
            delivered_at=parse_datetime(raw("delivered_at"), tz, now),
            stock=text_of(raw("stock")),
            note=text_of(raw("sync_note")),
        )
        conditions = request_fields(record, None)
        required = list(rules.required) + [
            rw.field for rw in rules.required_when if rw.when.matches(conditions)
        ]
        missing = [key for key in dict.fromkeys(required) if is_blank(raw(key))]
        if status in ("delivered", "cancelled") and RETAINED.search(record.note):
            missing = [key for key in missing if key not in PERSONAL]  # blanked on purpose
        r.problems[:0] = [Problem("missing", r.label(k)) for k in missing]
        records.append(_with_problems(record, r.problems) if r.problems else record)
    return records


# Typed times have minute precision; a few minutes ahead is a clock, not a mistake.
_FUTURE_SLACK = timedelta(minutes=5)
_LONG_AGO = timedelta(days=30)
_OCCURRENCE_ID = re.compile(r"/\d{4}-\d{2}-\d{2}$")  # a recurring series' occurrence


def _check_submitted(r: _Row, submitted: datetime, rules: Rules, now: datetime) -> None:
    """A note when an open request's Submitted time lies ahead, or more than 30 days back.

    Only a date typed without a year is suspect for being old: a year written out (or a real
    date cell) says what was meant, and a request may really have waited that long.
    """
    slack = _FUTURE_SLACK
    if _OCCURRENCE_ID.search(r.text("id")):  # opened ahead of its time on purpose
        slack += timedelta(hours=rules.recurring_ahead_hours)
    if submitted > now + slack:
        r.flag("time_in_future", "submitted_at", format_time(submitted))
    elif submitted < now - _LONG_AGO and typed_without_year(r.raw("submitted_at")):
        r.flag("time_long_ago", "submitted_at", format_time(submitted))


def _with_problems(record: Request, problems: list[Problem]) -> Request:
    return replace(record, problems=tuple(problems))


def request_fields(request: Request, now: datetime | None) -> dict[str, object]:
    """A request's fields as rule conditions see them."""
    waited = 0.0
    if now is not None and request.submitted_at is not None:
        waited = max(0.0, minutes_between(request.submitted_at, now))
    local = now or request.submitted_at
    return {
        "household": request.household or "",
        "category": request.category or "",
        "urgency": request.urgency,
        "community": request.community or "",
        "items": request.items,
        "notes": request.notes,
        "minutes_waited": waited,
        "hour": float(local.hour) if local else 0.0,
        "weekday": float(local.isoweekday()) if local else 0.0,
    }


def read_volunteers(table: Table, schema: Schema, rules: Rules, locale: Locale) -> list[Volunteer]:
    """Check every non-blank volunteer row."""
    records = []
    categories_list = schema.choice_list("category")
    for sheet_row in table.data_rows:
        r = _Row(table, sheet_row, locale)
        name = r.text("name")
        if not name:
            r.problems.append(Problem("volunteer_missing_name"))
        phone = parse_phone(r.raw("phone"), rules.phone_region)
        if phone and not phone.valid:
            r.flag("bad_phone", "phone", phone.masked)
        communities: set[str] = set()
        for part in split_list(r.raw("communities")):
            if part.casefold() in _ALL_WORDS:
                communities.add(ALL_COMMUNITIES)
                continue
            known = rules.community(part)
            if known is None:
                r.flag("unknown_community", "communities", part)
            else:
                communities.add(known)
        takes: set[str] | None = None
        parts = split_list(r.raw("categories"))
        if parts and not any(p.casefold() in _ALL_WORDS for p in parts):
            takes = set()
            for part in parts:
                key = categories_list.parse(part)
                if key is None:
                    r.flag("unknown_choice", "categories", part)
                else:
                    takes.add(key)
        hours = parse_hours(r.raw("hours"))
        if hours is None:
            r.flag("bad_hours", "hours", r.raw("hours"))
        max_open = None
        raw_max = r.raw("max_open")
        if not is_blank(raw_max):
            try:
                max_open = int(text_of(raw_max))
                if max_open < 0:
                    raise ValueError
            except ValueError:
                r.flag("bad_number", "max_open", raw_max)
        active_key = r.choice(schema, "active", "yes_no")
        records.append(
            Volunteer(
                row=sheet_row,
                id=r.text("id") or None,
                name=name,
                phone_masked=phone.masked if phone else "",
                communities=frozenset(communities),
                team=r.text("team"),
                role=r.choice(schema, "role", "role"),
                categories=frozenset(takes) if takes is not None else None,
                hours=hours,
                max_open=max_open,
                # blank means active; an unreadable answer is treated as "no" until fixed
                active=active_key != "no" and not (active_key is None and r.text("active")),
                note=text_of(r.raw("sync_note")),
                problems=tuple(r.problems),
            )
        )
    return records


def read_stock(
    table: Table, schema: Schema, rules: Rules, locale: Locale, tz: ZoneInfo, now: datetime
) -> list[StockItem]:
    """Check every non-blank stock row."""
    records = []
    for sheet_row in table.data_rows:
        r = _Row(table, sheet_row, locale)
        quantity: float | None = None
        raw_quantity = r.raw("quantity")
        if not is_blank(raw_quantity):
            try:
                quantity = float(text_of(raw_quantity))
            except ValueError:
                r.flag("bad_number", "quantity", raw_quantity)
        community_text = r.text("community")
        community = rules.community(community_text) if community_text else None
        if community_text and community is None:
            r.flag("unknown_community", "community", community_text)
        expiry = parse_date(r.raw("expiry"), tz, now)
        if expiry is None and not is_blank(r.raw("expiry")):
            r.flag("bad_date", "expiry", r.raw("expiry"))
        sealed = r.choice(schema, "sealed", "yes_no")
        disinfected = r.choice(schema, "disinfected", "yes_no")
        records.append(
            StockItem(
                row=sheet_row,
                id=r.text("id") or None,
                item=r.text("item"),
                category=r.choice(schema, "category", "category"),
                quantity=quantity,
                unit=r.text("unit"),
                community=community,
                expiry=expiry,
                sealed=None if sealed is None else sealed == "yes",
                disinfected=None if disinfected is None else disinfected == "yes",
                status=r.choice(schema, "status", "stock_status"),
                reserved_for=r.text("reserved_for"),
                note=text_of(r.raw("sync_note")),
                problems=tuple(r.problems),
            )
        )
    return records


def find_duplicates(requests: list[Request], rules: Rules) -> dict[int, Request]:
    """Open requests that repeat an earlier open one (same phone and category, within the window).

    Maps the later request's sheet row to the earlier request.
    """
    window = timedelta(hours=rules.duplicate_window_hours)
    seen: dict[tuple[str, str], list[Request]] = {}
    found: dict[int, Request] = {}
    ordered = sorted(
        (r for r in requests if r.phone and r.category and _is_open(r) and r.submitted_at),
        key=lambda r: (r.submitted_at, r.row.number),
    )
    for request in ordered:
        key = (request.phone or "", request.category or "")
        for earlier in seen.get(key, []):
            assert request.submitted_at and earlier.submitted_at
            if request.submitted_at - earlier.submitted_at <= window:
                found[request.row.number] = earlier
                break
        seen.setdefault(key, []).append(request)
    return found


def _is_open(request: Request) -> bool:
    return request.status is None or request.status in OPEN_STATUSES
