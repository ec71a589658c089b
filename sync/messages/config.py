"""Settings people write: aidsync.toml, flags and AIDSYNC_* variables, and the store they name.

sync/config.py and the registry of stores (sync/backends/__init__.py) raise these as ConfigErrors.
"""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    # reading aidsync.toml
    "cfg_unreadable": ("读不了 {path}：{problem}", "cannot read {path}: {problem}"),
    "cfg_not_toml": (
        "{path} 不是有效的 TOML：{problem}（检查引号和等号，文字要用英文引号括起来）",
        "{path}: not valid TOML: {problem} (check the quotes and the = signs; text goes in quotes)",
    ),
    "cfg_not_table": (
        "{path}：[aidsync] 下面应是若干「名称 = 值」的设置",
        "{path}: [aidsync] should be a table of settings (name = value lines)",
    ),
    "cfg_secret_in_file": (
        "{path}：设置文件里不要写密钥「{name}」；"
        "请在环境变量 {env} 里设置（或指向只存放密钥的文件）",
        "{path}: keep {what} out of settings files; set {env} in the environment "
        "(or name a file holding only the secret)",
    ),
    "cfg_unknown_settings": (
        "{path}：不认识的设置 {unknown}；可用的设置：{known}",
        Plural(
            "{path}: unknown setting {unknown}; known: {known}",
            "{path}: unknown settings {unknown}; known: {known}",
        ),
    ),
    "cfg_no_config_file": (
        "--config {path}：没有这个文件（检查路径，或去掉 --config 用当前目录的 aidsync.toml）",
        "--config {path}: no such file (check the path, or leave out --config to use "
        "aidsync.toml in this folder)",
    ),
    "cfg_unknown_timezone": (
        "不认识的时区「{name}」；请写 Asia/Shanghai 或 Europe/London 这样的名称",
        "unknown time zone {name!r}; use a name such as Asia/Shanghai or Europe/London",
    ),
    "cfg_two_workbooks": (
        "同时设置了 {named}（来自参数、AIDSYNC_* 环境变量或 aidsync.toml）；只能指定一个工作簿",
        "{named} are both set (by flags, AIDSYNC_* variables or aidsync.toml); "
        "name one workbook, not both",
    ),
    "cfg_not_seconds": (
        "「{name}」的值「{value}」不是秒数；请写一个数字，例如 30",
        "{what} {value!r} is not a number of seconds; write a number such as 30",
    ),
    # [[aidsync.workbooks]]
    "cfg_workbooks_not_list": (
        "{path}：workbooks 应写成若干个 [[aidsync.workbooks]] 表",
        "{path}: workbooks should be a list of tables, written [[aidsync.workbooks]]",
    ),
    "cfg_workbook_unknown_keys": (
        "{path}：第 {number} 个工作簿有不认识的设置 {unknown}；可用的设置：{known}",
        Plural(
            "{path}: workbook #{number}: unknown key {unknown}; known: {known}",
            "{path}: workbook #{number}: unknown keys {unknown}; known: {known}",
        ),
    ),
    "cfg_workbook_one_target": (
        "{path}：第 {number} 个工作簿要在 {either} 中写且只写一个",
        "{path}: workbook #{number}: give exactly one of {either}",
    ),
    "cfg_workbook_timezone": (
        "{path}：第 {number} 个工作簿的时区「{name}」不认识；请写 Asia/Shanghai 这样的名称",
        "{path}: workbook #{number}: unknown time zone {name!r}; use a name such as Asia/Shanghai",
    ),
    "cfg_workbook_same": (
        "{path}：第 {number} 个工作簿（{name}）和 {other} 是同一个工作簿；每个工作簿只能写一项",
        "{path}: workbook #{number} ({name}) names the same workbook as {other}; each workbook "
        "belongs to exactly one entry",
    ),
    "cfg_workbook_name_twice": (
        "{path}：第 {number} 个工作簿的名称「{name}」用了两次；请给每项起不同的名称",
        "{path}: workbook #{number}: the name {name!r} is used twice; names must differ",
    ),
    # which store: the registry's ways of naming a workbook
    "which_workbook": (
        "要处理哪个工作簿？请给出 {ways_zh}，或写进 aidsync.toml",
        "which workbook? pass {ways_en}, or set them in aidsync.toml",
    ),
    "kind_hint_xlsx": ("--workbook 文件.xlsx（本机文件）", "--workbook PATH.xlsx (local)"),
    "kind_hint_google": (
        "--spreadsheet 表格键 --credentials 密钥文件（Google）",
        "--spreadsheet KEY --credentials FILE (Google)",
    ),
    "kind_hint_feishu": (
        "--feishu 表格令牌或链接（飞书／Lark；应用取自 AIDSYNC_FEISHU_APP_ID 和 "
        "AIDSYNC_FEISHU_APP_SECRET）",
        "--feishu TOKEN|URL (Feishu / Lark; the app from AIDSYNC_FEISHU_APP_ID and "
        "AIDSYNC_FEISHU_APP_SECRET)",
    ),
}
