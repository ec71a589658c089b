"""The office's report over a period: table names, column headers and what the command says."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    # tables (also the tab names of the .xlsx file)
    "rp_overview": ("总览", "Overview"),
    "rp_daily": ("每日", "Daily"),
    "rp_by_community": ("按社区", "By community"),
    "rp_by_team": ("按团队", "By team"),
    "rp_by_volunteer": ("按志愿者", "By volunteer"),
    "rp_by_household": ("按家庭情况", "By household"),
    "rp_stock": ("物资", "Stock"),
    # columns
    "rp_col_date": ("日期", "Date"),
    "rp_col_new": ("新登记", "New"),
    "rp_col_assigned": ("已派单", "Assigned"),
    "rp_col_delivered": ("已送达", "Delivered"),
    "rp_col_residents": ("服务居民", "Residents served"),
    "rp_col_elderly": ("服务老人", "Elderly served"),
    "rp_col_community": ("社区", "Community"),
    "rp_col_team": ("团队", "Team"),
    "rp_col_volunteer": ("志愿者", "Volunteer"),
    "rp_col_volunteers": ("参与志愿者", "Volunteers involved"),
    "rp_col_household": ("家庭情况", "Household"),
    "rp_col_category": ("类别", "Category"),
    "rp_col_lots_received": ("入库批次", "Lots received"),
    "rp_col_units_received": ("入库数量", "Units received"),
    "rp_col_units_handed": ("发放数量", "Units handed out"),
    "rp_col_helped": ("受助居民", "Residents helped"),
    "rp_col_assign_median": ("派单中位数（分钟）", "Median min to assign"),
    "rp_col_assign_p90": ("派单90分位（分钟）", "90th pct min to assign"),
    "rp_col_deliver_median": ("送达中位数（分钟）", "Median min to deliver"),
    "rp_col_deliver_p90": ("送达90分位（分钟）", "90th pct min to deliver"),
    "rp_col_figure": ("项目", "Figure"),
    "rp_col_value": ("数值", "Value"),
    # overview rows
    "rp_fig_period": ("时段", "Period"),
    "rp_period_span": (
        "{start} 至 {end}（{days} 天）",
        Plural("{start} to {end} ({days} day)", "{start} to {end} ({days} days)", "days"),
    ),
    "rp_fig_volunteers": ("参与志愿者", "Volunteers involved"),
    "rp_fig_new": ("新登记需求", "Requests registered"),
    "rp_fig_assigned": ("派单", "Dispatches made"),
    "rp_fig_delivered": ("完成派单（已送达）", "Dispatches completed (delivered)"),
    "rp_fig_residents": ("服务居民（每人只计一次）", "Residents served (each counted once)"),
    "rp_fig_elderly": (
        "其中老人（独居、孤寡、失独）",
        "of whom elderly (alone, childless, bereaved)",
    ),
    "rp_fig_lots_received": ("入库物资批次", "Stock lots received"),
    "rp_fig_units_received": ("入库物资数量", "Stock units received"),
    "rp_fig_units_handed": ("发放物资数量", "Stock units handed out"),
    "rp_fig_helped": ("物资受助居民", "Residents helped with stock"),
    "rp_fig_assign_median": ("派单用时中位数（分钟）", "Median minutes to assign"),
    "rp_fig_assign_p90": ("派单用时90分位（分钟）", "90th percentile minutes to assign"),
    "rp_fig_deliver_median": ("送达用时中位数（分钟）", "Median minutes to deliver"),
    "rp_fig_deliver_p90": ("送达用时90分位（分钟）", "90th percentile minutes to deliver"),
    # group labels
    "rp_total": ("合计", "Total"),
    "rp_no_community": ("（未填社区）", "(no community)"),
    "rp_no_team": ("（未填团队）", "(no team)"),
    "rp_no_household": ("（未填）", "(not given)"),
    "rp_no_category": ("（未填类别）", "(no category)"),
    # what the command prints
    "rp_heading": (
        "{office}统计：{start} 至 {end}（含已归档的需求）",
        "{office}: figures from {start} to {end} (archived requests included)",
    ),
    "rp_chart_title": ("每日需求（按状态）", "Requests per day by status"),
    "rp_axis_requests": ("需求数", "Requests"),
    "rp_no_data": (
        "{start} 至 {end} 之间没有任何登记、派单、送达或物资记录；以下各项均为 0。{span}",
        "nothing was registered, assigned, delivered or stocked between {start} and {end}; "
        "every figure below is 0.{span}",
    ),
    "rp_data_span": (
        "工作簿里的需求登记时间从 {first} 到 {last}。",
        " The workbook's requests were registered from {first} to {last}.",
    ),
    "rp_wrote": ("已写入 {path}", "wrote {path}"),
    # errors (exit 2)
    "rp_bad_date": (
        "{flag}「{value}」不是日期，请写成 2022-12-13",
        "{flag} '{value}' is not a date: write it like 2022-12-13",
    ),
    "rp_need_both": (
        "统计时段需要同时给出 --from 和 --to（例：--from 2022-12-13 --to 2022-12-20）",
        "a period needs both --from and --to (e.g. --from 2022-12-13 --to 2022-12-20)",
    ),
    "rp_backwards": (
        "时段结束日 {end} 早于开始日 {start}，请检查 --from 和 --to",
        "the period ends ({end}) before it starts ({start}): check --from and --to",
    ),
    "rp_bad_out": (
        "--out {path}：只能写 .xlsx、.csv 或 .png 文件",
        "--out {path}: the report can be written as .xlsx, .csv or .png",
    ),
    "rp_out_is_workbook": (
        "--out {path} 就是工作簿本身：报告不会覆盖工作簿，请换一个文件名，例如 周报.xlsx",
        "--out {path} is the workbook itself: the report never writes over it; "
        "name another file, such as week.xlsx",
    ),
    "rp_cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
}
