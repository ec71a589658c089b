"""One pass's steps in order, from ids to the Summary: each step's module does the work."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sync.chart import attach_chart
from sync.daily import daily_report_due, daily_report_line
from sync.layout import WORKING_TABS
from sync.model import NewColumn, Plan, Snapshot, StockItem
from sync.planner.assignment import plan_requests
from sync.planner.ids import Numbering, give_ids
from sync.planner.lots import plan_lots
from sync.planner.retention import archive, archived_outcomes
from sync.planner.roster import Roster
from sync.planner.series import keep_origins, note_series
from sync.planner.state import PassState
from sync.rules import Rules
from sync.schema import Schema
from sync.stock import StockPlan
from sync.summary import build_summary
from sync.validate import read_stock


class Pass:
    """One pass over a snapshot at a moment (build_plan sets it up and runs it)."""

    def __init__(
        self, snapshot: Snapshot, rules: Rules, now: datetime, tz: ZoneInfo, schema: Schema
    ) -> None:
        self.state = PassState(snapshot, rules, now, tz, schema)
        self.series_notes: Mapping[int, str] = {}  # request row → its recurring-series line
        self.numbered: dict[str, Numbering] = {}  # tab → its rows' ids, when worked out already

    def run(self, new_tabs: tuple[str, ...], new_columns: tuple[NewColumn, ...]) -> Plan:
        """Every step of the pass, and the plan they make together."""
        state = self.state
        snapshot = state.snapshot
        for key in WORKING_TABS:
            table = snapshot.table(key)
            if table is not None:
                give_ids(state, table, self.numbered.get(key))
        roster = Roster(state)
        done = plan_requests(state, roster)
        keep_origins(state, done.table)
        note_series(state, done.table, self.series_notes)
        roster.write_figures(done.loads)
        stock_table = snapshot.table("stock")
        stock: list[StockItem] = []
        stock_plan: StockPlan | None = None
        if stock_table is not None:
            stock = read_stock(
                stock_table, state.schema, state.rules, state.locale, state.tz, state.now
            )
            stock_plan = plan_lots(state, stock_table, stock, done)
        archived, new_tabs = archive(state, done.table, done.outcomes, new_tabs)
        for column in new_columns:
            state.out.log("", state.say("log_column"), "", f"{column.tab}: {column.header}")
        state.stats["changes"] = len(state.out.changes)
        summary, report = build_summary(
            done.outcomes,
            {roster.vid(v): v for v in roster.records},
            stock,
            stock_plan,
            state.rules,
            state.schema,
            state.locale,
            state.now,
            state.stats,
            archived_outcomes(state, done.outcomes),
        )
        summary, chart = attach_chart(summary, done.outcomes, state.schema, state.locale, state.now)
        report_due = daily_report_due(snapshot, state.rules, state.now)
        if report_due:
            state.out.log(report_due, *daily_report_line(state.rules, state.locale, report))
        return Plan(
            new_rows=archived,
            report_due=report_due,
            chart=chart,
            changes=tuple(state.out.changes),
            new_columns=tuple(new_columns),
            new_tabs=new_tabs,
            log=tuple(state.out.log_lines),
            summary=summary,
            report=report,
            problems=tuple(state.problems),
            stats=dict(state.stats),
            time=state.out.time,
        )
