"""Words of the Feishu / Lark backend: what went wrong, and what to do about it."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    "feishu_which": (
        "哪个飞书表格？请用 --feishu 给出表格链接"
        "（https://<租户>.feishu.cn/sheets/<token>）或 token",
        "which Feishu spreadsheet? pass --feishu with its link "
        "(https://<tenant>.feishu.cn/sheets/<token>) or its token",
    ),
    "feishu_bad_token": (
        "--feishu {text}：这不是飞书表格的链接或 token。请复制表格地址 "
        "https://<租户>.feishu.cn/sheets/<token>（知识库里的表格请用其 obj_token）",
        "--feishu {text} is not a Feishu spreadsheet link or token: copy the sheet's address "
        "https://<tenant>.feishu.cn/sheets/<token> (for a sheet inside a wiki, its obj_token)",
    ),
    "feishu_no_app": (
        "没有飞书应用凭证：请设置 AIDSYNC_FEISHU_APP_ID 和 AIDSYNC_FEISHU_APP_SECRET"
        "（或 AIDSYNC_FEISHU_APP_SECRET_FILE 指向一个只含密钥的文件），见 docs/feishu.md",
        "no Feishu app credential: set AIDSYNC_FEISHU_APP_ID and AIDSYNC_FEISHU_APP_SECRET "
        "(or AIDSYNC_FEISHU_APP_SECRET_FILE, a file holding only the secret); see docs/feishu.md",
    ),
    "feishu_secret_file": (
        "无法读取应用密钥文件 {path}（{reason_zh}）",
        "cannot read the app secret file {path} ({reason_en})",
    ),
    "feishu_bad_endpoint": (
        "AIDSYNC_FEISHU_ENDPOINT {endpoint} 不是 http(s) 地址；飞书用 https://open.feishu.cn，"
        "Lark 用 https://open.larksuite.com",
        "AIDSYNC_FEISHU_ENDPOINT {endpoint} is not an http(s) URL; Feishu is "
        "https://open.feishu.cn, Lark https://open.larksuite.com",
    ),
    "feishu_bad_secret": (
        "飞书不接受应用 {app} 的凭证（{num} {msg}）：请到开发者后台「凭证与基础信息」核对 "
        "App ID 和 App Secret，再设置 AIDSYNC_FEISHU_APP_ID / AIDSYNC_FEISHU_APP_SECRET",
        "Feishu refused the credential of app {app} ({num} {msg}): compare App ID and App "
        "Secret with the app's 凭证与基础信息 (Credentials & Basic Info) page in the developer "
        "console, then set AIDSYNC_FEISHU_APP_ID / AIDSYNC_FEISHU_APP_SECRET",
    ),
    "feishu_app_off": (
        "应用 {app} 不可用（{num} {msg}）：请在开发者后台启用并发布该应用",
        "app {app} cannot be used ({num} {msg}): enable and publish it in the developer console",
    ),
    "feishu_ip_denied": (
        "应用 {app} 开启了 IP 白名单，本机不在其中（{num}）："
        "请在开发者后台「安全设置」添加本机出口 IP",
        "app {app} has an IP allow-list that does not hold this machine ({num}): add this "
        "machine's outgoing IP under 安全设置 (Security Settings) in the developer console",
    ),
    "feishu_no_permission": (
        "{where}：应用 {app} 无权打开这个表格（{num} {msg}）。请把应用添加到表格：打开表格 →"
        " 右上角「…」→「…更多」→「添加文档应用」，选中该应用并给「可编辑」权限",
        "{where}: app {app} may not open this spreadsheet ({num} {msg}). Add the app to the "
        "spreadsheet: open it → top right 「…」 → 「…更多」 → 添加文档应用 (Add document app), "
        "pick the app and give it edit rights",
    ),
    "feishu_no_scope": (
        "应用 {app} 缺少表格权限（{num} {msg}）：请在开发者后台「权限管理」开通 "
        "sheets:spreadsheet（查看、评论、编辑和管理电子表格），并发布新版本",
        "app {app} lacks the sheets permission ({num} {msg}): grant sheets:spreadsheet in the "
        "developer console's 权限管理 (Permissions) page and publish a new version",
    ),
    "feishu_not_found": (
        "{where}：没有这个表格（{num} {msg}）。请检查 --feishu 的链接或 token；"
        "知识库中的表格要用其 obj_token",
        "{where}: no such spreadsheet ({num} {msg}); check the link or token given with "
        "--feishu (a sheet inside a wiki is reached by its obj_token)",
    ),
    "feishu_locked": (
        "{where}：要写入的单元格被别人设置了保护（{num} {msg}）。请在表格中取消这些行/列的保护，"
        "或把应用加为保护范围的可编辑者；本次没有写入任何单元格",
        "{where}: a cell aidsync writes is protected by someone else ({num} {msg}). Remove "
        "that protection of rows/columns in the sheet, or let the app edit the protected "
        "range; no cell was written this time",
    ),
    "feishu_cell_limit": (
        "{where}：工作表已到 5,000,000 个单元格上限（{num}）。"
        "请删除多余的空行空列，或把已完成的需求归档",
        "{where}: a sheet reached Feishu's limit of 5,000,000 cells ({num}); delete spare "
        "empty rows and columns, or archive completed requests",
    ),
    "feishu_cell_too_long": (
        "{where}：有单元格超过 50,000 个字符（{num}），请缩短后再试",
        "{where}: a cell holds more than 50,000 characters ({num}); shorten it",
    ),
    "feishu_too_large": (
        "{where}：即使拆成最小的读取，飞书仍回答数据过大（{num}）：请归档旧记录，让各个表短一些",
        "{where}: even the smallest read is too large for Feishu's 10 MB answers ({num}); "
        "archive old records so the tabs are shorter",
    ),
    "feishu_monthly_quota": (
        "{where}：本月飞书自建应用的 API 调用次数已用完（{num}）。下月 1 日恢复；"
        "请放慢同步频率（--every），或请管理员升级飞书版本。本次没有写入",
        "{where}: this month's API calls of the tenant's custom apps are used up ({num}); "
        "they come back on the 1st. Run passes less often (--every) or ask the administrator "
        "to upgrade the Feishu plan. Nothing was written",
    ),
    "feishu_refused": (
        "{where}：飞书拒绝了请求（HTTP {status}，{num} {msg}）",
        "{where}: Feishu refused a request (HTTP {status}, {num} {msg})",
    ),
    "feishu_not_json": (
        "{where}：飞书的回答不是 JSON：请检查 AIDSYNC_FEISHU_ENDPOINT 和中间的代理",
        "{where}: Feishu answered something that is not JSON; check AIDSYNC_FEISHU_ENDPOINT "
        "and any proxy in between",
    ),
    "feishu_gave_up": (
        "{where}：{action_zh}尝试 {attempts} 次后放弃：{reason_zh}。{written_zh}下一轮会再试",
        Plural(
            "{where}: gave up {action_en} after {attempts} attempt: {reason_en}. {written_en}The "
            "next pass will try again",
            "{where}: gave up {action_en} after {attempts} attempts: {reason_en}. {written_en}The "
            "next pass will try again",
            count="attempts",
        ),
    ),
    "feishu_nothing_written": ("没有写入任何单元格。", "No cell was written. "),
    "feishu_maybe_written": (
        "最后一次写入没有收到回答，可能已写入，也可能没有；下一轮写入前会重新核对每个单元格。",
        "The last write got no answer, so it may or may not have landed; the next pass checks "
        "every cell again before writing. ",
    ),
    "feishu_calls": (
        "飞书 API 调用：每轮同步最多 {per_pass} 次（本命令用了 {calls} 次）；每 {interval} 一轮，"
        "每月最多约 {monthly} 次（免费版所有自建应用合计每月 10,000 次）",
        "Feishu API calls: a pass costs at most {per_pass} (this command made {calls}); a pass "
        "every {interval} spends up to about {monthly} a month (the free plan allows 10,000 a "
        "month for all custom apps together)",
    ),
    "feishu_over_budget": (
        "警告：按这个频率每月约需 {monthly} 次调用，超过免费版的 10,000 次；"
        "请把间隔放到 {safe} 以上",
        "Warning: at this interval a month needs about {monthly} calls, over the free plan's "
        "10,000; make the interval {safe} or longer",
    ),
    "feishu_bad_timeout": (
        "请求超时必须是大于 0 的秒数；检查 AIDSYNC_REQUEST_TIMEOUT",
        "the request timeout must be a positive number of seconds; check AIDSYNC_REQUEST_TIMEOUT",
    ),
    "feishu_no_such_file": ("没有这个文件", "no such file"),
    "feishu_unreadable": ("无法读取", "not readable"),
    "feishu_tab_not_added": (
        "{where}：飞书没有添加表「{title}」；请再运行一次，仍然不行就手动添加这个表",
        "{where}: Feishu did not add the tab {title}; run again, and if it still fails add "
        "the tab by hand",
    ),
    # failures that may pass (sync/backends/feishu/http.py)
    "feishu_token_answered": (
        "令牌服务回答 {status}",
        "the token endpoint answered {status}",
    ),
    "feishu_rate_limited": (
        "调用太频繁（{status}，代码 {num}）",
        "rate limited ({status}, code {num})",
    ),
    "feishu_answered": ("飞书回答 {status}", "Feishu answered {status}"),
    "feishu_no_connection": ("在请求超时之内没有连上", "no connection within the request timeout"),
    "feishu_no_answer": ("在请求超时之内没有回答", "no answer within the request timeout"),
    "feishu_unreachable": ("连不上飞书", "cannot reach Feishu"),
    # what a call was doing, for "gave up …" (sync/backends/feishu/sheets.py and backend.py)
    "fs_act_title": ("读取表格标题", "reading the spreadsheet's title"),
    "fs_act_tabs": ("读取表格的各个表", "reading the spreadsheet's tabs"),
    "fs_act_reading": ("读取各表", "reading the tabs"),
    "fs_act_freezing": ("冻结表头行", "freezing header rows"),
    "fs_act_growing": ("添加行或列", "adding rows or columns"),
    "fs_act_widths": ("设置列宽", "setting column widths"),
    "fs_act_shading": ("给 aidsync 的列上底色", "shading worker columns"),
    "fs_act_dropdowns": ("添加下拉选项", "adding dropdowns"),
    "fs_act_protecting": ("保护 aidsync 的列", "protecting worker columns"),
    "fs_act_writing": ("写入", "writing"),
    "fs_act_add_tabs": ("添加表", "adding tabs"),
    "fs_act_checking": ("写入前核对各表", "checking the tabs before writing"),
    "fs_act_looking": ("查看写入的行", "looking at the rows written"),
    "fs_act_log_lines": ("往日志里添加通知记录", "adding notification lines to the Log"),
    "fs_act_headers": ("写入表头", "writing headers"),
    # the note on a protected column (sync/backends/feishu/init.py)
    "feishu_protected_note": (
        "aidsync 写入的列：请勿手动修改",
        "written by aidsync: please do not edit by hand",
    ),
}
