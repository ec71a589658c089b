"""Google Sheets: the key file, the API's refusals and retries that ran out (sync/backends/gsheets).

``{name}`` names the spreadsheet, ``{account}`` where to find the service account's address.
The ``gs_act_*`` and ``gs_wrote_*`` phrases are the parts of a "gave up" message: what was being
done, and what was written before it stopped.
"""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

_SHARE_ZH = (
    "请把表格以「编辑者」身份共享给{account_zh}（Google 表格右上角的「共享」按钮），"
    "并确认该账号所在项目已启用 Google Sheets API"
)
_SHARE_EN = (
    "share the spreadsheet with {account} as an Editor (Share button in Google Sheets), and "
    "check that the Google Sheets API is enabled in the account's project"
)

WORDS: dict[str, Entry] = {
    # the service account (its key file)
    "gs_account": (
        "服务账号（它的地址是 {file} 里的 client_email）",
        "the service account (its address is client_email in {file})",
    ),
    "gs_no_key_file": (
        "没有服务账号密钥文件：请给出 --credentials 文件，或设置 AIDSYNC_CREDENTIALS 或 "
        "GOOGLE_APPLICATION_CREDENTIALS（docs/google-sheets.md 说明了怎样创建）",
        "no service-account key file: pass --credentials FILE, or set AIDSYNC_CREDENTIALS "
        "or GOOGLE_APPLICATION_CREDENTIALS (docs/google-sheets.md shows how to create one)",
    ),
    "gs_key_missing": (
        "密钥文件 {path} 不存在；检查 --credentials 给的路径",
        "credentials {path}: no such file; check the path given with --credentials",
    ),
    "gs_key_folder": (
        "密钥文件 {path} 是一个文件夹，不是密钥文件；请指向其中的 .json 文件",
        "credentials {path}: is a folder, not a key file; name the .json file in it",
    ),
    "gs_key_unreadable": (
        "读不了密钥文件 {path}（{reason}）；检查文件的权限",
        "credentials {path}: cannot read the key file ({reason}); check its permissions",
    ),
    "gs_key_not_json": (
        "密钥文件 {path} 不是 JSON 密钥；"
        "请下载服务账号的 JSON 密钥（格式见 credentials.example.json）",
        "credentials {path}: not a JSON key file; download a JSON key for the service "
        "account (see credentials.example.json for its shape)",
    ),
    "gs_key_not_object": (
        "密钥文件 {path} 不是服务账号密钥（应是一个 JSON 对象）；请下载服务账号的 JSON 密钥",
        "credentials {path}: not a service-account key (expected a JSON object); download a "
        "JSON key for the service account",
    ),
    "gs_key_wrong_type": (
        "密钥文件 {path} 不是服务账号密钥（它的 type 是「{type}」）；"
        "aidsync 需要服务账号的 JSON 密钥，不是 OAuth 客户端或个人凭据",
        "credentials {path}: not a service-account key (its type is {type!r}); aidsync needs "
        "a service account's JSON key, not an OAuth client or user credentials",
    ),
    "gs_key_lacks": (
        "密钥文件 {path} 缺少 {missing}；请为服务账号重新下载一份 JSON 密钥",
        "credentials {path}: the key file lacks {missing}; download a fresh "
        "JSON key for the service account",
    ),
    "gs_key_private": (
        "密钥文件 {path} 里的私钥无法读取；请为服务账号重新下载一份 JSON 密钥",
        "credentials {path}: the private key in the key file cannot be read; download a "
        "fresh JSON key for the service account",
    ),
    "gs_bad_endpoint": (
        "AIDSYNC_SHEETS_ENDPOINT「{endpoint}」不是 http(s) 地址；"
        "请写成 https://sheets.googleapis.com 或 http://127.0.0.1:8080 这样",
        "AIDSYNC_SHEETS_ENDPOINT {endpoint!r} is not an http(s) URL; write it like "
        "https://sheets.googleapis.com or http://127.0.0.1:8080",
    ),
    "gs_bad_timeout": (
        "请求超时必须是大于 0 的秒数；检查 AIDSYNC_REQUEST_TIMEOUT",
        "the request timeout must be a positive number of seconds; check AIDSYNC_REQUEST_TIMEOUT",
    ),
    # --spreadsheet
    "gs_url_no_key": (
        "--spreadsheet「{text}」：这个地址里没有表格键；请复制表格的地址"
        "（https://docs.google.com/spreadsheets/d/KEY/edit）或只给 KEY",
        "--spreadsheet {text!r}: no spreadsheet key in this URL; copy the address of "
        "the spreadsheet (https://docs.google.com/spreadsheets/d/KEY/edit) or just KEY",
    ),
    "gs_not_key": (
        "--spreadsheet「{text}」不是表格键：表格键是地址里 /d/ 和 /edit 之间的那一长串",
        "--spreadsheet {text!r} is not a spreadsheet key: it is the long part of the "
        "sheet's address between /d/ and /edit",
    ),
    # what the Sheets API answered
    "gs_401": (
        "{name}：Google 不接受服务账号的凭据（401 {message}）；确认密钥文件仍然有效，并"
        + _SHARE_ZH,
        "{name}: Google did not accept the service account's credentials "
        "(401 {message}); check the key file is current, and " + _SHARE_EN,
    ),
    "gs_403": (
        "{name}：服务账号无权打开这个表格（403 {message}）；" + _SHARE_ZH,
        "{name}: the service account may not open this spreadsheet (403 {message}); " + _SHARE_EN,
    ),
    "gs_404": (
        "{name}：没有这个表格（404）；检查 --spreadsheet 给的键或地址，"
        "并确认表格已共享给{account_zh}",
        "{name}: no such spreadsheet (404); check the key or URL given with "
        "--spreadsheet, and that it is shared with {account}",
    ),
    "gs_refused": (
        "{name}：Google 表格拒绝了一个请求（{status} {message}）",
        "{name}: Google Sheets refused a request ({status} {message})",
    ),
    "gs_key_refused": (
        "{name}：Google 拒绝了服务账号的密钥{detail}；"
        "密钥可能已被删除或停用：请重新下载一份 JSON 密钥",
        "{name}: Google refused the service account's key{detail}; the key may be deleted or "
        "disabled: download a fresh JSON key for the service account",
    ),
    "gs_cannot_send": (
        "{name}：无法向 Sheets API 发出请求（{problem}）；检查 AIDSYNC_SHEETS_ENDPOINT",
        "{name}: cannot send a request to the Sheets API ({problem}); check "
        "AIDSYNC_SHEETS_ENDPOINT",
    ),
    "gs_not_json": (
        "{name}：Sheets API 的回答不是 JSON；检查 AIDSYNC_SHEETS_ENDPOINT 和中间的代理",
        "{name}: the Sheets API answered something that is not JSON; "
        "check AIDSYNC_SHEETS_ENDPOINT and any proxy in between",
    ),
    # failures that may pass, and the message when retries run out
    "gs_quota": ("超出配额 {status}（{message}）", "quota exceeded {status} ({message})"),
    "gs_answered": ("Google 回答 {status}（{message}）", "Google answered {status} ({message})"),
    "gs_timeout": ("在请求超时之内没有回答", "no answer within the request timeout"),
    "gs_no_connection": ("连不上 Google", "cannot connect to Google"),
    "gs_broken_answer": ("回答途中连接断了", "the connection broke during the answer"),
    "gs_token_down": ("令牌服务暂时不可用", "the token endpoint is unavailable"),
    "gs_gave_up": (
        "{name}：{action_zh}时尝试了 {attempts} 次，都失败了：{reason_zh}。{written_zh}"
        "如果是配额问题，请减少运行次数，或提高项目的 Sheets API 配额；下一次运行会再试。",
        Plural(
            "{name}: gave up {action_en} after {attempts} attempt: {reason_en}. {written_en} "
            "If this is a quota error, run passes less often or raise the project's "
            "Sheets API quota; the next pass will try again.",
            "{name}: gave up {action_en} after {attempts} attempts: {reason_en}. {written_en} "
            "If this is a quota error, run passes less often or raise the project's "
            "Sheets API quota; the next pass will try again.",
            count="attempts",
        ),
    ),
    "gs_act_reading_tabs": ("读取各表", "reading the tabs"),
    "gs_act_reading_meta": ("读取表格的各个表", "reading the spreadsheet's tabs"),
    "gs_act_checking": ("写入前核对各表", "checking the tabs before writing"),
    "gs_act_writing": ("写入", "writing"),
    "gs_act_changing_tabs": ("修改各表", "changing the tabs"),
    "gs_act_log_lines": ("往日志里添加通知记录", "adding notification lines to the Log"),
    "gs_act_putting_back": (
        "把写入时移动了的行的单元格放回原处",
        "putting back cells of rows that moved during the write",
    ),
    "gs_act_adding_tabs": ("添加表和格式", "adding tabs and formatting"),
    "gs_act_headers": ("写入表头", "writing headers"),
    "gs_wrote_nothing": ("什么都没有写入。", "Nothing was written."),
    "gs_wrote_no_cell": ("没有写入任何单元格。", "No cell was written."),
    "gs_wrote_maybe": (
        "最后一次写入没有收到回答，可能已到达 Google，也可能没有（要么全部写入，要么都没有）；"
        "下一次运行会先重新核对每个单元格再写。",
        "The last write got no answer, so it may or may not have reached Google (it is all or "
        "nothing); the next pass checks every cell again before writing.",
    ),
    "gs_wrote_log_maybe": ("日志记录可能没有添加。", "The Log lines may not have been added."),
    "gs_wrote_headers": (
        "表和格式可能已经添加，但没有写入表头；请再运行一次 aidsync init。",
        "Tabs and formatting may have been added, but no header was written; "
        "run aidsync init again.",
    ),
    # raised in backend.py and init.py (the lead converts them at the merge)
    "gs_which": (
        "哪个 Google 表格？请用 --spreadsheet 给出表格键或地址",
        "which spreadsheet? pass --spreadsheet KEY|URL",
    ),
    "gs_incomplete_read": (
        "{name}：Sheets API 的回答少了一部分；请再运行一次",
        "{name}: the Sheets API answered an incomplete read; run again",
    ),
    "gs_tabs_missing": (
        "{name}：Sheets API 回答修改各表时缺少 {missing}；请再运行一次",
        "{name}: the Sheets API answered the tab changes without {missing}; run again",
    ),
    "gs_init_changed": (
        "{problem}：init 运行时表格被改动了；没有丢失任何内容，请再运行一次 aidsync init",
        "{problem} — the spreadsheet changed while init ran; nothing was lost, run aidsync "
        "init again",
    ),
}
