"""The commands' help in Chinese (sync/cli/words.py shows it to a Chinese reader).

The English help is each command's docstring and each option's ``help``, where click reads it;
so the English side of these entries stays empty and is never shown.
"""

from __future__ import annotations

from sync.messages.entry import Entry

_EN = ""  # the English is the command's own docstring or option help

WORDS: dict[str, Entry] = {
    "help_options": ("选项", _EN),
    "help_commands": ("命令", _EN),
    # the group
    "help_cli": (
        "aidsync 帮互助工作簿保持有序：检查每条需求，按规则文件派给志愿者，匹配捐赠物资，"
        "写回状态、说明、日志和汇总。\n\n"
        "\b\n"
        "第一次用？   aidsync demo\n"
        "自己的工作簿：aidsync init --workbook 互助.xlsx --locale zh\n"
        "              aidsync sync --workbook 互助.xlsx",
        _EN,
    ),
    # each command: the whole text, and the line in the group's list
    "help_init": (
        "新建工作簿，或给已有的工作簿补上缺少的表和表头（不动你的数据）。"
        "旁边还没有 rules/ 文件夹时，复制一份默认规则进去。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync init --workbook 互助.xlsx --locale zh\n"
        "  aidsync init --workbook demo.xlsx --locale en --sample\n"
        "  aidsync init --spreadsheet 1AbC... --credentials key.json",
        _EN,
    ),
    "help_init_short": ("新建工作簿，或补上缺少的表和表头", _EN),
    "help_check": (
        "检查规则文件和工作簿，什么都不改。\n\n"
        "一切正常时退出码为 0，有行需要人工处理时为 1，规则或工作簿无法使用时为 2。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync check --workbook 互助.xlsx\n"
        "  aidsync check --workbook 互助.xlsx --rules ./rules",
        _EN,
    ),
    "help_check_short": ("检查规则文件和工作簿，什么都不改", _EN),
    "help_sync": (
        "运行一轮同步：检查、派单、升级，写回说明、日志和汇总。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync sync --workbook 互助.xlsx\n"
        "  aidsync sync --workbook 互助.xlsx --dry-run\n"
        "  aidsync sync --workbook 互助.xlsx --now 2022-12-20T15:00:00+08:00\n"
        "  aidsync sync --workbook 互助.xlsx --quiet --log-format json\n"
        "  aidsync sync --config district.toml            # 其中列出的每个工作簿\n"
        "  aidsync sync --config district.toml --only 重工街道\n\n"
        "aidsync.toml 里列了工作簿（[[aidsync.workbooks]]）而命令行上没有指定时，"
        "每个工作簿各同步一轮；一个工作簿出错不影响其他工作簿。",
        _EN,
    ),
    "help_sync_short": ("运行一轮同步：检查、派单，写回说明、日志和汇总", _EN),
    "help_run": (
        "立即同步一轮，之后按间隔一直运行，直到按 Ctrl-C 或收到 SIGTERM"
        "（正在进行的一轮会先做完）。某一轮失败会报告出来，下一轮照常进行。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync run --workbook 互助.xlsx --every 5m\n"
        "  aidsync run --config district.toml --every 5m --parallel 8\n\n"
        "aidsync.toml 里列了工作簿时，每一轮依次同步所有工作簿，共用一份 Google 配额"
        "（每个服务账号每分钟 60 次请求，每个项目 300 次）。",
        _EN,
    ),
    "help_run_short": ("按间隔一直同步，直到按 Ctrl-C", _EN),
    "help_report": (
        "打印汇总和日报，或一段时间的统计（什么都不改）。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync report --workbook 互助.xlsx\n"
        "  aidsync report --workbook 互助.xlsx --from 2022-12-13 --to 2022-12-20 --out week.xlsx",
        _EN,
    ),
    "help_report_short": ("打印汇总和日报，或一段时间的统计", _EN),
    "help_status": (
        "同步还在运行吗？从汇总表读出上一次成功同步的时间。\n\n"
        "时间够近时退出码为 0，超过 --max-age 或没有同步记录时为 1，工作簿打不开时为 2。"
        "可以用在监控里（健康检查，或另一个出错时发邮件的定时任务）。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync status --workbook 互助.xlsx\n"
        "  aidsync status --workbook 互助.xlsx --max-age 20m \\\n"
        '      || mail -s "aidsync stalled" me@example.org',
        _EN,
    ),
    "help_status_short": ("同步还在运行吗？看上一次成功同步的时间", _EN),
    "help_demo": (
        "在一个新文件夹里建一份示例工作簿，并对它同步一轮。\n\n"
        "示例是某街道办 2022 年 12 月 20 日的一个下午；同步按当天 15:00 运行，"
        "所以每次演示的结果都一样。\n\n"
        "\b\n"
        "例子：\n"
        "  aidsync demo\n"
        "  aidsync demo --locale en --dir /tmp/aid",
        _EN,
    ),
    "help_demo_short": ("建一份示例工作簿并同步一轮", _EN),
    # options, shared by every command unless a command has its own words
    "help_opt_help": ("显示本帮助并退出。", _EN),
    "help_opt_version": ("显示版本并退出。", _EN),
    "help_opt_lang": ("命令输出用的语言（默认跟随工作簿；环境变量 AIDSYNC_LANG）。", _EN),
    "help_opt_workbook": ("本机的 .xlsx 工作簿（环境变量 AIDSYNC_WORKBOOK）。", _EN),
    "help_opt_spreadsheet": ("Google 表格的键或地址（环境变量 AIDSYNC_SPREADSHEET）。", _EN),
    "help_opt_credentials": (
        "服务账号密钥文件（环境变量 AIDSYNC_CREDENTIALS 或 GOOGLE_APPLICATION_CREDENTIALS）。",
        _EN,
    ),
    "help_opt_feishu": ("飞书 / Lark 电子表格的 token 或链接（环境变量 AIDSYNC_FEISHU）。", _EN),
    "help_opt_rules": (
        "规则文件所在的文件夹（默认：有 ./rules 就用它，否则用自带的默认规则；"
        "环境变量 AIDSYNC_RULES）。",
        _EN,
    ),
    "help_opt_timezone": ("表格所用的时区（默认 Asia/Shanghai；环境变量 AIDSYNC_TIMEZONE）。", _EN),
    "help_opt_config": ("设置文件（默认：有 ./aidsync.toml 就用它）。", _EN),
    "help_opt_now": ("按这个时刻运行（重放、测试用）。", _EN),
    "help_check_now": ("按这个时刻检查。", _EN),
    "help_report_now": ("按这个时刻出报告。", _EN),
    "help_status_now": ("按这个时刻判断。", _EN),
    "help_opt_dry_run": ("列出每个会改动的单元格和原因，什么都不写。", _EN),
    "help_opt_quiet": ("只打印错误（给定时任务用）。", _EN),
    "help_opt_log_format": ("json：每行一个 JSON 对象，不含个人信息（给日志收集用）。", _EN),
    "help_opt_only": ("aidsync.toml 里列了工作簿时：只同步这一个（可以写多次）。", _EN),
    "help_opt_parallel": ("aidsync.toml 里列了工作簿时：同时运行几轮。", _EN),
    "help_opt_every": ("间隔：30s、5m、1h。", _EN),
    "help_opt_start": ("统计时段的第一天（和 --to 一起用）。", _EN),
    "help_opt_end": ("统计时段的最后一天（含这一天）。", _EN),
    "help_opt_out": ("同时把时段报告写进 FILE.xlsx、FILE.csv 或 FILE.png。", _EN),
    "help_opt_max_age": ("上一次成功同步最多可以过去多久：30m、2h。要大于定时任务的间隔。", _EN),
    "help_opt_locale": ("新表和表头用的语言。", _EN),
    "help_opt_sample": ("在空表里填上一个虚构的示例下午。", _EN),
    "help_opt_folder": ("要新建的文件夹（默认：在当前位置新建 aidsync-demo 文件夹）。", _EN),
}
