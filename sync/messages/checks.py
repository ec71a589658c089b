"""What `aidsync check` warns of beyond row problems: rules and workbook at odds."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    "check_backup_team": (
        "后备团队「{team}」（escalation.yaml 的 backup_team）没有任何志愿者："
        "待协调的需求永远派不到后备团队。改法：写成志愿者表「所属团队」里的名字{suggest}",
        "the backup team '{team}' (backup_team in escalation.yaml) has no volunteer, so escalated "
        "requests never reach a backup team. Fix: use a team name from the Volunteers tab's Team "
        "column{suggest}",
    ),
    "check_rule_team": (
        "规则「{rule}」提到的团队「{team}」没有任何志愿者，这条规则永远不会按它生效。"
        "改法：写成志愿者表「所属团队」里的名字{suggest}",
        "the rule '{rule}' names the team '{team}', which has no volunteer, so the rule never "
        "applies as meant. Fix: use a team name from the Volunteers tab's Team column{suggest}",
    ),
    "check_sep": ("、", ", "),
    "check_suggest": ("（是不是「{name}」？）", " (did you mean '{name}'?)"),
    "check_no_teams": ("（志愿者表里还没有人填团队）", " (no volunteer has a team yet)"),
    "check_unknown_claim": (
        "需求登记第 {rows} 行的接单志愿者是「{name}」，志愿者表里没有这个人："
        "这些单不计入任何志愿者，也不会提醒。改法：把「{name}」加进志愿者表，或改成表里的姓名或编号",
        Plural(
            "'{name}' claimed request row {rows} but is not on the Volunteers tab, so the request "
            "counts for no volunteer and reminders reach nobody. Fix: add '{name}' to the "
            "Volunteers tab, or type a name or id from it",
            "'{name}' claimed request rows {rows} but is not on the Volunteers tab, so the "
            "requests count for no volunteer and reminders reach nobody. Fix: add '{name}' to "
            "the Volunteers tab, or type a name or id from it",
        ),
    ),
    "check_example_communities": (
        "规则里的社区还是 aidsync 自带的示例（{names}）：{why}。"
        "改法：在 rules/communities.yaml 里写上本街道的社区"
        "（旁边还没有 rules/ 文件夹时，aidsync init 会复制一份）",
        "the rules still list the example communities shipped with aidsync ({names}): {why}. "
        "Fix: list your own communities in rules/communities.yaml (with no rules/ folder beside "
        "you yet, aidsync init copies one there)",
    ),
    "check_example_any": (
        "换成本街道的社区之前，别的社区名都会被当成未知社区",
        "until they are yours, any other community reads as unknown",
    ),
    "check_example_unknown": (
        "工作簿里的{found}不在这份名单里，这些需求会停在信息不全",
        Plural(
            "the workbook's community {found} is not on it, so its requests wait as needs info",
            "the workbook's communities {found} are not on it, so their requests wait as needs "
            "info",
        ),
    ),
    "check_example_office": (
        "日报的单位名称还是示例「{office}」。改法：改 rules/report.yaml 里的「office」",
        "the daily report still names the example office '{office}'. Fix: set office in "
        "rules/report.yaml",
    ),
}
