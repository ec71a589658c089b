"""The period's tables, grouped with pandas from the facts (pure).

A request counts on the day of each of its own events: registered (submitted), first assigned,
delivered. Residents are counted once per table cell however many requests they made; the
elderly are residents whose request names a household of 独居, 孤寡 or 失独. Minutes to assign
run from submitted to first assigned (requests first assigned in the period), minutes to deliver
from first assigned to delivered (requests delivered in the period); the 90th percentile is
interpolated linearly between the two nearest spans, as spreadsheets' PERCENTILE does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from sync.messages import say
from sync.report.facts import ELDERLY, Facts
from sync.report.period import Period
from sync.rules import Rules
from sync.schema import Locale, Schema
from sync.values import plain_number

COUNTS = ("new", "assigned", "delivered", "residents", "elderly", "volunteers", "lots_received")
TIMES = ("assign_median", "assign_p90", "deliver_median", "deliver_p90")
DAILY = ("date", "new", "assigned", "delivered", "residents", "elderly")
_GROUPED = ("new", "assigned", "delivered", "residents", "elderly", *TIMES)


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: its name code and its frame (columns are column keys)."""

    code: str  # rp_daily, rp_by_community, …: the table's title and tab name
    frame: pd.DataFrame

    def headers(self, locale: Locale) -> list[str]:
        """The column headers in a language."""
        return [say(locale, f"rp_col_{key}") for key in self.frame.columns]


@dataclass(frozen=True)
class PeriodReport:
    """Every table of a period, and whether anything happened in it at all."""

    period: Period
    tables: tuple[ReportTable, ...]
    empty: bool
    first_day: date | None  # the earliest and latest registration in the workbook
    last_day: date | None

    def table(self, code: str) -> ReportTable:
        """The table of this code."""
        return next(t for t in self.tables if t.code == code)


@dataclass(frozen=True)
class _Events:
    """Request rows by the event that falls in the period."""

    new: pd.DataFrame
    assigned: pd.DataFrame
    delivered: pd.DataFrame


def build_report(
    facts: Facts, period: Period, rules: Rules, schema: Schema, locale: Locale, tz: ZoneInfo
) -> PeriodReport:
    """The period's tables, labelled in a language."""
    requests = _request_frame(facts, tz)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)

    def within(day: str) -> pd.DataFrame:
        return requests[(requests[day] >= start) & (requests[day] <= end)]

    events = _Events(within("new_day"), within("assign_day"), within("deliver_day"))
    stock = _stock_frames(facts, requests, tz, start, end)

    def w(code: str) -> str:
        return say(locale, code)

    households = schema.choice_list("household")
    categories = schema.choice_list("category")
    community_order = [c.name for c in rules.communities]
    community_order += [*sorted(set(requests["community"]) - set(community_order) - {""}), ""]
    volunteers = sorted(set(events.assigned["volunteer"]) | set(events.delivered["volunteer"]))
    volunteers = [v for v in volunteers if v]
    teams = sorted({t for t in _involved(events)["team"]} - {""})
    if any(_involved(events)["team"] == ""):
        teams.append("")
    tables = (
        ReportTable("rp_overview", _overview(events, stock, period, locale)),
        ReportTable("rp_daily", _daily(events, period)),
        ReportTable(
            "rp_by_community",
            _grouped(events, "community", community_order, _GROUPED, w("rp_total"),
                     lambda k: k or w("rp_no_community")),
        ),
        ReportTable(
            "rp_by_team",
            _grouped(events, "team", teams,
                     ("volunteers", "assigned", "delivered", "residents", "elderly",
                      "deliver_median", "deliver_p90"),
                     w("rp_total"), lambda k: k or w("rp_no_team")),
        ),
        ReportTable(
            "rp_by_volunteer",
            _grouped(events, "volunteer", volunteers,
                     ("assigned", "delivered", "residents", "elderly", "deliver_median"),
                     w("rp_total"), str, team_of=_team_of(events)),
        ),
        ReportTable(
            "rp_by_household",
            _grouped(events, "household", [*households.option_keys(), ""],
                     ("new", "delivered", "residents"), w("rp_total"),
                     lambda k: households.label(k, locale) if k else w("rp_no_household")),
        ),
        ReportTable(
            "rp_stock",
            _stock_table(stock, [*categories.option_keys(), ""], w("rp_total"),
                         lambda k: categories.label(k, locale) if k else w("rp_no_category")),
        ),
    )  # fmt: skip
    empty = all(len(f) == 0 for f in (events.new, events.assigned, events.delivered))
    empty = empty and len(stock.received) == 0 and len(stock.handed) == 0
    days = requests["new_day"].dropna()
    first_day = days.min().date() if len(days) else None
    last_day = days.max().date() if len(days) else None
    return PeriodReport(period, tables, empty, first_day, last_day)


def _moments(values: Sequence[datetime | None], tz: ZoneInfo) -> pd.Series:
    series = pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)
    return series.dt.tz_convert(tz)


def _day(moments: pd.Series) -> pd.Series:
    """The local calendar day of each moment (midnight, no zone)."""
    return moments.dt.tz_localize(None).dt.normalize()


def _minutes(start: pd.Series, end: pd.Series) -> pd.Series:
    spans = (end - start).dt.total_seconds() / 60
    return spans.where(spans >= 0)  # a time typed before the one it follows tells nothing


def _request_frame(facts: Facts, tz: ZoneInfo) -> pd.DataFrame:
    rows = facts.requests
    frame = pd.DataFrame(
        {
            "ref": [r.ref for r in rows],
            "resident": [r.resident for r in rows],
            "community": [r.community for r in rows],
            "household": [r.household for r in rows],
            "volunteer": [r.volunteer for r in rows],
            "team": [r.team for r in rows],
        },
        dtype=object,
    )
    submitted = _moments([r.submitted for r in rows], tz)
    assigned = _moments([r.assigned for r in rows], tz)
    delivered = _moments([r.delivered for r in rows], tz)
    frame["elderly"] = frame["household"].isin(ELDERLY)
    frame["new_day"] = _day(submitted)
    frame["assign_day"] = _day(assigned)
    frame["deliver_day"] = _day(delivered)
    frame["assign_min"] = _minutes(submitted, assigned)
    frame["deliver_min"] = _minutes(assigned, delivered)
    return frame


def _involved(events: _Events) -> pd.DataFrame:
    """The assigned and delivered rows: who took part in the period."""
    both = pd.concat([events.assigned, events.delivered])
    return both[both["volunteer"] != ""]


def _team_of(events: _Events) -> dict[str, str]:
    involved = _involved(events)
    return dict(zip(involved["volunteer"], involved["team"], strict=True))


def _figures(events: _Events, by: str) -> dict[str, pd.Series]:
    """Every grouped figure, by the values of one column."""
    delivered = events.delivered
    involved = _involved(events)
    return {
        "new": events.new.groupby(by).size(),
        "assigned": events.assigned.groupby(by).size(),
        "delivered": delivered.groupby(by).size(),
        "residents": delivered.groupby(by)["resident"].nunique(),
        "elderly": delivered[delivered["elderly"]].groupby(by)["resident"].nunique(),
        "volunteers": involved.groupby(by)["volunteer"].nunique(),
        "assign_median": events.assigned.groupby(by)["assign_min"].median(),
        "assign_p90": events.assigned.groupby(by)["assign_min"].quantile(0.9),
        "deliver_median": delivered.groupby(by)["deliver_min"].median(),
        "deliver_p90": delivered.groupby(by)["deliver_min"].quantile(0.9),
    }


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers (0 where nothing happened), minutes to one decimal."""
    for key in frame.columns:
        if key in COUNTS:
            frame[key] = frame[key].fillna(0).astype(int)
        elif key in TIMES:
            frame[key] = frame[key].astype(float).round(1)
    return frame


def _grouped(
    events: _Events,
    by: str,
    order: list[str],
    columns: Sequence[str],
    total: str,
    label: Callable[[str], str],
    team_of: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per group in order, then a total row over every request of the period."""
    figures = _figures(events, by)
    table = pd.DataFrame({key: figures[key] for key in columns}).reindex(order)
    sums = _figures(_everyone(events, total), "_all")
    table.loc["\0total"] = pd.DataFrame({k: sums[k] for k in columns}).reindex([total]).iloc[0]
    table = _tidy(table)
    labels = [label(k) for k in order] + [total]
    table.insert(0, by, labels)
    if team_of is not None:
        table.insert(1, "team", [team_of.get(k, "") for k in order] + [""])
    return _without_blank_group(table.reset_index(drop=True), order)


def _without_blank_group(table: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Drop the "(not given)" row when nothing in the period lacked the field."""
    if order and order[-1] == "":
        row = table.iloc[len(order) - 1]
        if not any(not isinstance(v, str) and pd.notna(v) and v != 0 for v in row.iloc[1:]):
            return table.drop(index=len(order) - 1).reset_index(drop=True)
    return table


def _daily(events: _Events, period: Period) -> pd.DataFrame:
    index = pd.date_range(pd.Timestamp(period.start), pd.Timestamp(period.end), freq="D")
    delivered = events.delivered
    elderly = delivered[delivered["elderly"]]
    table = pd.DataFrame(
        {
            "new": events.new.groupby("new_day").size(),
            "assigned": events.assigned.groupby("assign_day").size(),
            "delivered": delivered.groupby("deliver_day").size(),
            "residents": delivered.groupby("deliver_day")["resident"].nunique(),
            "elderly": elderly.groupby("deliver_day")["resident"].nunique(),
        },
        index=index,
    )
    table = _tidy(table)
    table.insert(0, "date", list(index.date))
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class _Stock:
    received: pd.DataFrame  # lots first seen in the period
    handed: pd.DataFrame  # hand-outs in the period


def _stock_frames(
    facts: Facts, requests: pd.DataFrame, tz: ZoneInfo, start: pd.Timestamp, end: pd.Timestamp
) -> _Stock:
    lots = pd.DataFrame(
        {
            "ref": [x.ref.casefold() for x in facts.lots],
            "category": [x.category for x in facts.lots],
            "quantity": [x.quantity for x in facts.lots],
        },
        dtype=object,
    )
    lots["quantity"] = lots["quantity"].astype(float)
    lots["day"] = _day(_moments([x.received for x in facts.lots], tz))
    handed = pd.DataFrame(
        {
            "lot": [h.lot.casefold() for h in facts.handouts],
            "request": [h.request.casefold() for h in facts.handouts],
            "units": [h.units for h in facts.handouts],
        },
        dtype=object,
    )
    handed["units"] = handed["units"].astype(float)
    handed["day"] = _day(_moments([h.time for h in facts.handouts], tz))
    category = dict(zip(lots["ref"], lots["category"], strict=True))
    handed["category"] = [category.get(lot, "") for lot in handed["lot"]]
    resident = dict(zip(requests["ref"].str.casefold(), requests["resident"], strict=True))
    handed["resident"] = [resident.get(r, f"request:{r}") for r in handed["request"]]
    return _Stock(
        lots[(lots["day"] >= start) & (lots["day"] <= end)],
        handed[(handed["day"] >= start) & (handed["day"] <= end)],
    )


def _stock_figures(stock: _Stock, by: str) -> dict[str, pd.Series]:
    return {
        "lots_received": stock.received.groupby(by).size(),
        "units_received": stock.received.groupby(by)["quantity"].sum(),
        "units_handed": stock.handed.groupby(by)["units"].sum(),
        "helped": stock.handed.groupby(by)["resident"].nunique(),
    }


def _stock_table(
    stock: _Stock, order: list[str], total: str, label: Callable[[str], str]
) -> pd.DataFrame:
    figures = _stock_figures(stock, "category")
    table = pd.DataFrame(figures).reindex(order)
    everyone = _Stock(stock.received.assign(_all=total), stock.handed.assign(_all=total))
    sums = pd.DataFrame(_stock_figures(everyone, "_all")).reindex([total])
    table.loc["\0total"] = sums.iloc[0]
    table = table.fillna(0)
    table["lots_received"] = table["lots_received"].astype(int)
    table["helped"] = table["helped"].astype(int)
    for key in ("units_received", "units_handed"):  # 20, not 20.0: units are mostly whole
        table[key] = pd.Series([plain_number(float(v)) for v in table[key]], index=table.index,
                               dtype=object)  # fmt: skip
    table.insert(0, "category", [label(k) for k in order] + [total])
    return _without_blank_group(table.reset_index(drop=True), order)


def _overview(events: _Events, stock: _Stock, period: Period, locale: Locale) -> pd.DataFrame:
    """The period's totals, one figure a row: what goes into the report sent upward."""
    totals = _tidy(pd.DataFrame(_figures(_everyone(events, "_"), "_all")).reindex(["_"])).iloc[0]
    whole = _Stock(stock.received.assign(_all="_"), stock.handed.assign(_all="_"))
    supplies = pd.DataFrame(_stock_figures(whole, "_all")).reindex(["_"]).fillna(0).iloc[0]
    span = say(locale, "rp_period_span", start=period.start, end=period.end, days=period.days)
    rows: list[tuple[str, object]] = [("rp_fig_period", span)]
    rows += [(f"rp_fig_{key}", int(totals[key])) for key in
             ("new", "assigned", "delivered", "residents", "elderly", "volunteers")]  # fmt: skip
    rows += [
        ("rp_fig_lots_received", int(supplies["lots_received"])),
        ("rp_fig_units_received", plain_number(float(supplies["units_received"]))),
        ("rp_fig_units_handed", plain_number(float(supplies["units_handed"]))),
        ("rp_fig_helped", int(supplies["helped"])),
    ]
    rows += [(f"rp_fig_{key}", _blank_nan(totals[key])) for key in TIMES]
    return pd.DataFrame(
        {"figure": [say(locale, code) for code, _ in rows], "value": [v for _, v in rows]},
        dtype=object,
    )


def _everyone(events: _Events, label: str) -> _Events:
    """The same rows, all in one group (for the total row)."""
    return _Events(*(f.assign(_all=label) for f in (events.new, events.assigned, events.delivered)))


def _blank_nan(value: object) -> object:
    return "" if pd.isna(value) else float(value)  # type: ignore[arg-type]
