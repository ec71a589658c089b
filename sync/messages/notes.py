"""Notes on rows and Log lines: what the worker writes about each decision."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # row problems (the note lists each; the row waits in "needs info" until fixed)
    "missing": ("缺少{column}", "{column} is missing"),
    "bad_phone": (
        "电话号码无效：{value}，请核对（手机号 11 位，座机要带区号）",
        "phone number not valid: {value}; check it (a mobile number has 11 digits, a landline "
        "its area code)",
    ),
    "unknown_community": (
        "社区「{value}」不在规则的社区名单里",
        "community '{value}' is not in the rules' list",
    ),
    "unknown_choice": (
        "{column}「{value}」无法识别，请从下拉选项中选",
        "{column} '{value}' not recognised; pick from the list",
    ),
    "bad_date": (
        "{column}「{value}」无法识别，请写成 2022-12-20 14:30",
        "{column} '{value}' not readable; write it like 2022-12-20 14:30",
    ),
    "unknown_status": (
        "状态「{value}」无法识别，系统不改动此行的状态",
        "status '{value}' not recognised; the worker leaves this row's status alone",
    ),
    "bad_hours": (
        "值班时间「{value}」无法识别（例：08:00-20:00 或 全天），暂不派单",
        "on-duty hours '{value}' not readable (e.g. 08:00-20:00 or 24h); not assigned meanwhile",
    ),
    "bad_repeat": (
        "{column}「{value}」无法识别（例：每周一、每周一和周四、每3天、每天、每月1日），暂不定期生成",
        "{column} '{value}' not readable (e.g. every Monday, every Mon and Thu, every 3 days, "
        "daily, monthly on the 1st); nothing repeats meanwhile",
    ),
    "bad_number": ("{column}「{value}」应为整数", "{column} '{value}' should be a whole number"),
    "duplicate_id": (
        "编号 {value} 与第 {other} 行重复（复制的行？），已改为新编号 {new}",
        "id {value} also on row {other} (a copied row?); given the new id {new}",
    ),
    "duplicate_name": (
        "与 {others} 同名，认领时请写编号 {id}",
        "same name as {others}; claim with the id {id}",
    ),
    # decisions
    "priority": ("优先级 {score}：{parts}", "priority {score}: {parts}"),
    "p_rule": ("{name} +{points}", "{name} +{points}"),
    "p_wait": ("{name} {minutes} 分钟 +{points}", "{name} {minutes} min +{points}"),
    "priority_none": ("优先级 0：不符合任何加分条件", "priority 0: no rule gives it points"),
    "assigned": ("派给 {volunteer}：{reasons}", "assigned to {volunteer}: {reasons}"),
    "claimed": ("{volunteer} 已认领", "claimed by {volunteer}"),
    "unknown_volunteer": (
        "接单志愿者「{value}」不在志愿者名单中，请核对",
        "volunteer '{value}' is not on the Volunteers tab; please check",
    ),
    "ambiguous_volunteer": (
        "接单志愿者「{value}」有重名，请写编号（{ids}）",
        "volunteer '{value}' matches several people; type the id ({ids})",
    ),
    "nobody": ("暂无可派志愿者：{reasons}", "no volunteer can take it now: {reasons}"),
    "no_volunteers": ("志愿者名单为空", "the Volunteers tab lists nobody"),
    "escalated": (
        "已升级待协调（{rule}）：{reasons}，请网格员协调",
        "escalated ({rule}): {reasons}; a coordinator should step in",
    ),
    "reminder": (
        "提醒（{rule}）：{since} 派单后仍未送达",
        "reminder ({rule}): assigned {since}, not delivered yet",
    ),
    "duplicate_request": (
        "可能与 {other} 重复（同一电话、同一类别，{hours} 小时内）",
        "possible duplicate of {other} (same phone and category within {hours} h)",
    ),
    "volunteer_missing_name": ("缺少姓名，不会派单", "name is missing; not assigned"),
    # reasons a volunteer was chosen or not
    "r_same_community": ("同社区", "same community"),
    "r_neighbour": ("相邻社区 {community}", "neighbouring {community}"),
    "r_all": ("服务全部社区", "serves every community"),
    "r_backup": ("后备团队 {team}", "backup team {team}"),
    "r_open": ("进行中 {n} 单", "{n} open"),
    "r_never": ("尚未派过单", "not assigned before"),
    "r_last": ("上次派单 {time}", "last assigned {time}"),
    "r_team": ("团队 {team}", "team {team}"),
    "x_inactive": ("{n} 人不在岗", "{n} inactive"),
    "x_off_duty": ("{n} 人不在值班时间", "{n} off duty"),
    "x_full": ("{n} 人已满单", "{n} at capacity"),
    "x_category": ("{n} 人不接此类别", "{n} do not take this category"),
    "x_rule": ("{n} 人不符合「{rule}」", "{n} excluded by '{rule}'"),
    "x_no_one_serves": ("无人服务此社区", "nobody serves this community"),
    # log actions
    "log_id": ("编号", "id"),
    "log_status": ("状态 {old} → {new}", "status {old} → {new}"),
    "log_assign": ("派单", "assign"),
    "log_claim": ("认领", "claim"),
    "log_reassign": ("人工改派", "reassigned by hand"),
    "log_escalate": ("升级", "escalate"),
    "log_remind": ("提醒", "remind"),
    "log_problem": ("信息不全", "needs info"),
    "log_deferred": ("延后", "deferred"),
    "log_column": ("添加列", "add column"),
    "log_delivered": ("送达", "delivered"),
    "log_retention": ("清除个人信息", "personal data blanked"),
    "log_archive": ("归档", "archived"),
    "check_moved_row": (
        "{where} 在写入时被移动且无法确认原内容，已清空本系统写入的格子，请人工核对这一行",
        "{where} moved while aidsync wrote and its earlier cells cannot be told; the cells "
        "aidsync wrote there were emptied: please check that row",
    ),
    "check_appended_rows": (
        "写入时表格被改动，无法确认新增的行（{where}）是否盖住了别的行，请人工核对",
        "the sheet changed while aidsync added rows ({where}); it cannot tell whether they "
        "covered other rows: please check them",
    ),
    "pushed_during_write": (
        "写入时有人在上方插入了行（{where}），新增的行已改写到下方，被覆盖的行已恢复",
        "rows were inserted above while aidsync wrote ({where}): the rows it added were written "
        "again below, and the rows they had covered were put back",
    ),
    "moved_during_write": (
        "写入时第 {row} 行被人移动（排序、插入或删除行），已把该行改回原样，下一轮重新处理",
        "row {row} moved while aidsync wrote (a sort, insert or delete); its cells were put "
        "back and the next pass redoes this row",
    ),
    "archive_days": (
        "办结超过 {days} 天，整行移到「{tab}」表",
        "closed over {days} days ago; row moved to the {tab} tab",
    ),
    "archive_duplicate": (
        "{id} 已在「{tab}」表中，此行保留不动（请核对后删除其中一行）",
        "{id} is already in the {tab} tab, so this row stays (check and delete one of them)",
    ),
    "archive_column": (
        "「{tab}」表缺少「{column}」列，{id} 暂不归档（请补上这一列）",
        "the {tab} tab has no {column} column, so {id} is not archived (add the column)",
    ),
    "retention_days": ("办结超过 {days} 天", "closed more than {days} days ago"),
    "retained": (
        "个人信息已按规定清除（办结超过 {days} 天；居民代号 {resident}）",
        "personal details blanked (closed more than {days} days ago; resident {resident})",
    ),
    # where the planner names a row (sync/planner.py; problems and Log details)
    "row_at": ("{tab}第 {row} 行", "{tab} row {row}"),
    "row_at_ref": ("{tab}第 {row} 行（{ref}）", "{tab} row {row} ({ref})"),
    "row_problem": ("{where}：{text}", "{where}: {text}"),
    "row_other": ("第 {row} 行", "row {row}"),
    "log_chosen": ("{volunteer}：{reasons}", "{volunteer}: {reasons}"),
    "log_new_column": ("{tab}：{header}", "{tab}: {header}"),
    "sep": ("，", ", "),
    "list_sep": ("；", "; "),
}
