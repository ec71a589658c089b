"""What the commands themselves print: results, errors and hints."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    "cli_error": ("错误：{text}", "Error: {text}"),
    "cli_warning": ("注意：{text}", "Warning: {text}"),
    "cli_rules_ok": (
        "规则：{path}（{n} 个文件）无误",
        Plural("rules: {path} ({n} file) OK", "rules: {path} ({n} files) OK"),
    ),
    "cli_new_column": (
        "提示：下一轮同步会在「{tab}」表添加「{header}」列",
        "note: the next pass adds the column '{header}' to {tab}",
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
    "demo_inbox": (
        "「{tab}」表里贴了 {n} 条群消息，本轮读到：",
        Plural(
            "{n} message pasted into the {tab} tab; this pass read:",
            "{n} messages pasted into the {tab} tab; this pass read:",
        ),
    ),
    "demo_inbox_request": ("生成需求 {id}（{status}）", "made request {id} ({status})"),
    "demo_inbox_volunteer": ("，派给 {volunteer}", ", assigned to {volunteer}"),
    "cli_intake": (
        "群消息：{n} 条新消息，各会生成：",
        Plural(
            "Inbox: {n} new message, and what it becomes:",
            "Inbox: {n} new messages, and what each becomes:",
        ),
    ),
    "cli_dry_run": ("试运行：没有写入 {source}", "dry run: nothing was written to {source}"),
    "cli_nothing_would_change": ("没有需要改动的格子", "nothing would change"),
    "cli_rules_copied": (
        "已把默认规则复制到 {path}：请先改 communities.yaml（本街道的社区）和 report.yaml"
        "（街道名称、日报时间），再运行 aidsync check",
        "copied the default rules to {path}: edit communities.yaml (your communities) and "
        "report.yaml (your office's name, the daily report's time) first, then run aidsync check",
    ),
    "cli_check_ok": (
        "{source}：一切正常，没有需要处理的行",
        "{source}: OK, no row needs attention",
    ),
}
