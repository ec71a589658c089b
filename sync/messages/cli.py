"""What the commands themselves print: results, errors and hints."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    "cli_error": ("错误：{text}", "Error: {text}"),
    "cli_warning": ("注意：{text}", "Warning: {text}"),
    "cli_unexpected": (
        "错误：意外的 {kind}：{text}\n"
        "  （设置 AIDSYNC_DEBUG=1 可以看到详细的出错位置，请把它报告给我们）",
        "Error: unexpected {kind}: {text}\n"
        "  (set AIDSYNC_DEBUG=1 to see the traceback, and please report it)",
    ),
    "cli_aborted": ("已中止。", "Aborted."),
    # command-line slips, in Chinese (click says them itself in English)
    "usage_line": ("用法：", "Usage:"),
    "usage_try_help": ("运行「{command} --help」查看用法。", "Try '{command} --help' for help."),
    "usage_no_option": ("没有「{name}」这个选项。", "No such option '{name}'."),
    "usage_did_you_mean": ("是不是「{names}」？", " Did you mean {names}?"),
    "usage_needs_value": (
        "选项「{name}」后面要跟一个值。",
        "Option '{name}' requires an argument.",
    ),
    "usage_missing": ("缺少「{name}」。", "Missing {name}."),
    "usage_bad_value": ("「{name}」的值不对：{text}", "Invalid value for {name}: {text}"),
    "usage_no_command": (
        "没有「{name}」这个命令；可用的命令见 aidsync --help。",
        "No such command '{name}'.",
    ),
    "cli_rules_ok": (
        "规则：{path}（{n} 个文件）无误",
        Plural("Rules: {path} ({n} file) OK", "Rules: {path} ({n} files) OK"),
    ),
    "cli_new_column": (
        "提示：下一轮同步会在「{tab}」表添加「{header}」列",
        "Note: the next pass adds the column '{header}' to {tab}",
    ),
    "cli_problems": (
        "{source}：有 {n} 处需要人工处理：",
        Plural(
            "{source}: {n} problem for people to fix:", "{source}: {n} problems for people to fix:"
        ),
    ),
    "cli_warnings": (
        "{source}：规则与表格有 {n} 处对不上：",
        Plural(
            "{source}: {n} thing in the rules and the sheet to put right:",
            "{source}: {n} things in the rules and the sheet to put right:",
        ),
    ),
    "cli_intake": (
        "群消息：{n} 条新消息，各会生成：",
        Plural(
            "Inbox: {n} new message, and what it becomes:",
            "Inbox: {n} new messages, and what each becomes:",
        ),
    ),
    "cli_dry_run": ("试运行：没有写入 {source}", "Dry run: nothing was written to {source}"),
    "cli_nothing_would_change": ("没有需要改动的格子", "Nothing would change"),
    "cli_rules_copied": (
        "已把默认规则复制到 {path}：请先改 communities.yaml（本街道的社区）和 report.yaml"
        "（街道名称、日报时间），再运行 {check}",
        "Copied the default rules to {path}: edit communities.yaml (your communities) and "
        "report.yaml (your office's name, the daily report's time) first, then run {check}",
    ),
    "cli_check_ok": (
        "{source}：一切正常，没有需要处理的行",
        "{source}: OK, no row needs attention",
    ),
    # init
    "cli_init_done": ("{source}：{line}", "{source}: {line}"),
    "cli_init_nothing": (
        "{source}：各表和表头都已齐全，没有改动",
        "{source}: already has every tab and header; nothing changed",
    ),
    # errors of the command line itself (exit 2)
    "cli_or": (" 或 ", " or "),
    "cli_bad_now": (
        "--now「{text}」无法识别，请写成 2022-12-20T15:00:00+08:00",
        "--now '{text}': write it like 2022-12-20T15:00:00+08:00",
    ),
    "cli_only_without_list": (
        "--only 只能从 aidsync.toml 列出的工作簿里选",
        "--only picks from the workbooks listed in aidsync.toml",
    ),
    "cli_only_unknown": (
        "--only {names}：{config} 里没有这个工作簿；列出的有：{listed}",
        "--only {names}: not in {config}; listed: {listed}",
    ),
    "cli_none_listed": ("（没有）", "none"),
    "cli_dry_run_one": (
        "--dry-run 一次只能看一个工作簿：请加上 --only 名称",
        "--dry-run shows one workbook at a time: add --only NAME",
    ),
    "cli_bad_interval": (
        "无法识别间隔「{text}」，请写成 30s、5m 或 1h",
        "cannot read the interval '{text}'; write 30s, 5m or 1h",
    ),
    "cli_interval_positive": ("间隔必须大于 0", "the interval must be positive"),
    "cli_demo_not_empty": (
        "{folder} 不是空文件夹：请用 --dir 指定一个新文件夹",
        "{folder} is not empty; choose a new folder with --dir",
    ),
    # many workbooks (aidsync.toml)
    "cli_fleet_done": (
        "{n} 个工作簿中 {done} 个完成；失败：{names}",
        Plural(
            "{done} of {n} workbook done; failed: {names}",
            "{done} of {n} workbooks done; failed: {names}",
        ),
    ),
    "cli_fleet_where": ("{n} 个工作簿", Plural("{n} workbook", "{n} workbooks")),
    # the scheduled loop
    "cli_run_start": (
        "aidsync：每 {every} 同步一次 {where}；按 Ctrl-C 停止",
        "aidsync: a pass every {every} on {where}; Ctrl-C to stop",
    ),
    "cli_signal": (
        "收到信号 {signum}：本轮同步完成后停止",
        "Received signal {signum}: stopping after the pass in flight",
    ),
    # a pass, as the command reports it
    "out_pass": ("{source} · {time} 同步", "{source} · pass at {time}"),
    "out_wrote": ("已写入 {cells}和 {lines}", "Wrote {cells} and {lines}"),
    "out_cells": ("{n} 个单元格", Plural("{n} cell", "{n} cells")),
    "out_log_lines": ("{n} 行日志", Plural("{n} log line", "{n} log lines")),
    "out_nothing_written": ("没有需要写入的内容", "Nothing needed writing"),
    "out_deferred_rows": (
        "同步期间有人改动了 {n} 行：这些行的改动留到下一轮",
        Plural(
            "{n} row was edited by someone during the pass; its changes wait for the next pass",
            "{n} rows were edited by someone during the pass; their changes wait for the next pass",
        ),
    ),
    # a dry run's cells, row by row
    "out_add_column": (
        "「{tab}」表：在最后一列后面添加「{header}」列",
        "{tab}: add the column '{header}' after the last header",
    ),
    "out_add_tab": ("添加「{tab}」表", "Add the tab {tab}"),
    "out_append_row": ("「{tab}」表：新增一行 {id}", "{tab}: append row {id}"),
    "out_append_row_why": ("「{tab}」表：新增一行 {id}（{why}）", "{tab}: append row {id} ({why})"),
    "out_new_cell": ("新行", "New row"),
    "out_cell": ("{label}：{value}", "{label}: {value}"),
    "out_change": ("{label}：{old} → {new}", "{label}: {old} → {new}"),
    "out_why": ("原因：{text}", "Why: {text}"),
    "out_value": ("「{text}」", "'{text}'"),
    "out_blank": ("（空）", "(blank)"),
    "out_row": ("「{tab}」第 {row} 行：", "{tab} row {row}:"),
    "out_row_ref": ("「{tab}」第 {row} 行（{ref}）：", "{tab} row {row} {ref}:"),
    "out_row_waits": (
        "「{tab}」第 {row} 行{ref}：{n} 处改动等下一轮（这一行被人改动了）",
        Plural(
            "{tab} row {row}{ref}: {n} change waits for the next pass (the row changed)",
            "{tab} row {row}{ref}: {n} changes wait for the next pass (the row changed)",
        ),
    ),
    "out_log_from": (
        "「{tab}」表：从第 {row} 行起写入 {n} 行日志",
        Plural("{tab}: {n} log line from row {row}", "{tab}: {n} log lines from row {row}"),
    ),
    "out_summary_rewritten": (
        "「{tab}」表：重写（{n} 行）",
        Plural("{tab}: rewritten ({n} row)", "{tab}: rewritten ({n} rows)"),
    ),
    # messages to group chats (notify)
    "out_would_notify": (
        "将通知 {channel}：{id} · {subject}",
        "Would notify {channel}: {id} · {subject}",
    ),
    "out_notified": (
        "已发送 {n} 条通知（{parts}）",
        Plural("Notified {n} message ({parts})", "Notified {n} messages ({parts})"),
    ),
    "out_notified_part": ("{channel} {n} 条", "{channel} {n}"),
    "out_notify_failed": (
        "通知 {channel} 发送失败：{why}（下一轮重试）",
        "Notifying {channel} failed: {why} (retried next pass)",
    ),
    "out_notify_left": (
        "还有 {n} 条通知留到下一轮（max_per_pass）",
        Plural(
            "{n} more message waits for the next pass (max_per_pass)",
            "{n} more messages wait for the next pass (max_per_pass)",
        ),
    ),
    "out_notify_unrecorded": (
        "已发送的通知没能记进日志：{why}；它们保存在本机的记录里，下一轮会补记（不会重复发送）",
        "Sent messages could not be recorded in the Log: {why}; they are kept in the local "
        "journal and the next pass records them (nothing is sent twice)",
    ),
    # aidsync status
    "out_status_never": (
        "{source}：汇总表里没有成功同步的记录：请先运行一次 {sync}，并检查应定时运行它的任务",
        "{source}: no successful pass is recorded in the Summary tab; run {sync} once, and "
        "check the cron job or timer that should run it",
    ),
    "out_status_ok": (
        "{source}：正常：最近一次成功同步在 {time}（{ago}）",
        "{source}: OK: last successful pass at {time} ({ago})",
    ),
    "out_status_stale": (
        "{source}：已停止：最近一次成功同步在 {time}（{ago}），已超过 {limit}；"
        "请检查定时任务和它的日志",
        "{source}: STALE: the last successful pass was at {time} ({ago}), longer ago than "
        "{limit}; check the cron job or timer and its log",
    ),
    "out_ago_now": ("不到一分钟前", "less than a minute ago"),
    "out_ago_minutes": ("{n} 分钟前", Plural("{n} minute ago", "{n} minutes ago")),
    "out_ago_hours": ("{n} 小时前", Plural("{n} hour ago", "{n} hours ago")),
    "out_ago_days": ("{n} 天前", Plural("{n} day ago", "{n} days ago")),
    "out_minutes": ("{n} 分钟", Plural("{n} minute", "{n} minutes")),
    "out_hours": ("{n} 小时", Plural("{n} hour", "{n} hours")),
    # aidsync demo
    "demo_created": (
        "已创建 {workbook}，里面是一个示例下午（2022 年 12 月 20 日）；规则文件复制到了 {rules}，"
        "可以直接修改。",
        "Created {workbook} with a sample afternoon (20 December 2022) and copied the rule "
        "files to {rules} so you can edit them.",
    ),
    "demo_pass": ("按 2022-12-20 15:00 同步一轮：", "One pass as of 2022-12-20 15:00:"),
    "demo_messages": (
        "本轮会发出 {n} 条群消息（还没有设置通知渠道，所以一条也没发；要发送请在 aidsync.toml "
        "里加 [[notify]]，见 docs/notifications.md）。前几条：",
        Plural(
            "Message it would send ({n}; no channel is set up, so none went out; add [[notify]] "
            "to aidsync.toml, see docs/notifications.md):",
            "Messages it would send ({n}; no channel is set up, so none went out; add [[notify]] "
            "to aidsync.toml, see docs/notifications.md). The first few:",
        ),
    ),
    "demo_summary": ("「{tab}」表现在是：", "The {tab} tab now reads:"),
    "demo_next": (
        "打开 {workbook}，在「系统提示」列里看每一行的说明。\n"
        "试着改一处（在一条需求上填志愿者的名字表示认领，或把一条改成已送达），然后运行：\n"
        "  {command}",
        "Open {workbook} to see the notes in the Sync note column.\n"
        "Try a change (claim a request by typing a volunteer's name, mark one delivered), then:\n"
        "  {command}",
    ),
    "demo_inbox": (
        "「{tab}」表里贴了 {n} 条群消息，本轮读到：",
        Plural(
            "{n} message pasted into the {tab} tab; this pass read:",
            "{n} messages pasted into the {tab} tab; this pass read:",
        ),
    ),
    "demo_inbox_request": ("生成需求 {id}（{status}）", "Made request {id} ({status})"),
    "demo_inbox_volunteer": ("，派给 {volunteer}", ", assigned to {volunteer}"),
    # the kinds of message a group chat gets (the demo's preview)
    "kind_assignment": ("派单", "assignment"),
    "kind_escalation": ("升级", "escalation"),
    "kind_reminder": ("提醒", "reminder"),
    "kind_report": ("日报", "daily report"),
    # the pass itself (sync/worker.py)
    "worker_lock_held": (
        "这个工作簿上已经有另一轮 aidsync 同步在运行（锁文件 {path}），本轮没有读也没有写就停下了。"
        "如果其实没有同步在运行，那个进程结束时锁会自动解开。",
        "another aidsync pass is running on this workbook (lock {path}); this one stopped "
        "without reading or writing. If no pass is running, the lock frees itself when its "
        "process ends.",
    ),
    "worker_kept_changing": (
        "aidsync 写入时 {source} 一直在被改动（试了 {n} 次），什么也没有写入；下一轮会再试。",
        "{source} kept changing while aidsync tried to write ({n} attempts); nothing was "
        "written. The next pass will try again.",
    ),
    "worker_unexpected": ("意外的 {kind}：{text}", "unexpected {kind}: {text}"),
}
