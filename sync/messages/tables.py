"""Words of the Summary tab, its chart, recurring requests and the notification channels' section
(each module's own table folded in here; the stock words are in stock.py)."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # the Summary tab (sync/summary.py)
    "summary_title": (
        "aidsync 汇总（每轮同步自动重写，请勿手动编辑）",
        "aidsync summary (rewritten by every pass; do not edit)",
    ),
    "summary_last_pass": ("最近一次同步", "Last pass"),
    "summary_health": (
        "每轮同步都会更新上面的时间。若它比现在早了很多（例如超过半小时），说明自动同步已停止，"
        "请告诉负责运行的人。",
        "Every pass updates the time above. If it is much older than now (say, over half an "
        "hour), automatic syncing has stopped: tell whoever runs it.",
    ),
    "summary_did": ("本轮", "This pass"),
    "summary_community": ("社区", "Community"),
    "summary_team": ("团队", "Team"),
    "summary_volunteers_active": ("在岗志愿者", "Volunteers active"),
    "summary_completed": ("完成派单", "Dispatches completed"),
    "summary_served": ("服务居民", "Residents served"),
    "summary_median_assign": ("派单中位数（分钟）", "Median min to assign"),
    "summary_median_deliver": ("送达中位数（分钟）", "Median min to deliver"),
    "summary_open": ("进行中", "Open tasks"),
    "summary_stock": ("可领用物资", "Stock available"),
    "summary_by_community": ("按社区", "By community"),
    "summary_by_team": ("按团队", "By team"),
    "summary_by_category": ("物资（按类别）", "Stock by category"),
    "summary_category": ("类别", "Category"),
    "summary_available": ("可领用数量", "Available"),
    "summary_lots": ("批次", "Lots"),
    "summary_warnings": ("提醒", "Warnings"),
    "summary_with_archive": ("累计（含「归档」表里的需求）", "Totals (the Archive tab included)"),
    "summary_of_which_archived": ("其中已归档 {n}", "of which archived {n}"),
    "summary_low": (
        "{category}库存偏低：{n}（低于 {below}）",
        "low stock of {category}: {n} (below {below})",
    ),
    "summary_expiring": ("{id} {item} 将于 {date} 过期", "{id} {item} expires on {date}"),
    "summary_daily": (
        "日报（可直接转发到群里）",
        "Daily report (ready to paste into the group chat)",
    ),
    "summary_total": ("合计", "Total"),
    "summary_none": ("无", "none"),
    "summary_stat_assigned": ("派单 {n}", "assigned {n}"),
    "summary_stat_claimed": ("认领 {n}", "claimed {n}"),
    "summary_stat_escalated": ("升级 {n}", "escalated {n}"),
    "summary_stat_needs_info": ("信息不全 {n}", "needs info {n}"),
    "summary_stat_reminders": ("提醒 {n}", "reminders {n}"),
    "summary_stat_delivered": ("送达 {n}", "delivered {n}"),
    "summary_stat_ids": ("新编号 {n}", "new ids {n}"),
    "summary_stat_recurring": ("定期需求 {n}", "recurring opened {n}"),
    "summary_stat_retention": ("清除个人信息 {n}", "details blanked {n}"),
    "summary_stat_archived": ("归档 {n}", "archived {n}"),
    "summary_stat_changes": ("改动单元格 {n}", "cells changed {n}"),
    "summary_no_team": ("（未填团队）", "(no team)"),
    # the Summary's chart (sync/chart.py)
    "chart_title": ("每日需求（按状态）", "Requests per day by status"),
    "chart_date": ("日期", "Date"),
    # recurring requests (sync/recurring.py)
    "recurring_member": ("由 {origin} 定期生成", "Opened by the schedule of {origin}"),
    "recurring_origin": ("定期需求：{schedule}", "Repeats {schedule}"),
    "recurring_latest": ("已生成到 {id}", "latest {id}"),
    "recurring_waiting": (
        "下一次（{due}）等 {previous} 办结后生成",
        "next ({due}) waits until {previous} is delivered or cancelled",
    ),
    "recurring_log_action": ("定期生成", "repeat opened"),
    "recurring_log_detail": (
        "由 {origin} 定期生成，{due}",
        "opened by the schedule of {origin}, due {due}",
    ),
    "recurring_sep": ("；", "; "),
    # the Summary's section on notification channels (sync/notify/notifier.py)
    "channels_title": ("通知渠道", "Notification channels"),
    "channels_channel": ("渠道", "Channel"),
    "channels_type": ("类型", "Type"),
    "channels_state": ("状态", "State"),
    "channels_ok": ("正常{since}", "working{since}"),
    "channels_since": ("，最近发送 {time}", ", last sent {time}"),
    "channels_never": ("尚未发送", "nothing sent yet"),
    "channels_failing": (
        "⚠ 连续 {n} 轮发送失败（最近 {time}：{reason}），消息暂存待重发，请检查设置",
        "⚠ failed {n} passes in a row (last {time}: {reason}); messages wait; check the settings",
    ),
    "channels_failed": (
        "最近一轮发送失败（{time}），下一轮重试",
        "last pass failed ({time}); retrying",
    ),
    # the daily report's Log line (sync/daily.py)
    "daily_action": ("日报", "daily report"),
    "daily_rule": ("每天 {clock}", "daily at {clock}"),
    # a channel's failure in the Log (sync/notify/outbox.py)
    "outbox_not_sent": ("{n} 条未发出：", "{n} not sent: "),
    # a name quoted in a sentence (sync/checks.py)
    "quoted_name": ("「{name}」", "'{name}'"),
}
