"""The [[notify]] tables of aidsync.toml and their message templates: what to fix in them.

``{origin}`` is the settings file, ``{channel}`` the channel's name (or #n before it has one).
"""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    "ntf_not_list": (
        "{origin}：notify 应写成若干个 [[notify]] 表",
        "{origin}: notify should be a list of [[notify]] tables",
    ),
    "ntf_not_table": (
        "{origin}：第 {n} 个 notify 应是若干「名称 = 值」的设置",
        "{origin}: notify #{n} should be a table of settings",
    ),
    "ntf_name_twice": (
        "{origin}：有两个通知渠道都叫「{name}」；请给每个渠道起不同的 name",
        "{origin}: two notify channels are named {name!r}; give each a name",
    ),
    "ntf_bad_type": (
        "{origin}：第 {n} 个 notify 的 type「{kind}」不认识；可用的有：{kinds}",
        "{origin}: notify #{n}: type {kind!r}; use one of {kinds}",
    ),
    "ntf_secret_in_file": (
        "{origin}：通知「{channel}」的密钥不要写在设置文件里；"
        '请放进环境变量（secret_env = "NAME"）或文件（secret_file = "path"）',
        "{origin}: notify {channel!r}: secrets are not written in the settings file; put it in an "
        'environment variable (secret_env = "NAME") or a file (secret_file = "path")',
    ),
    "ntf_unknown_settings": (
        "{origin}：通知「{channel}」有不认识的设置 {unknown}；可用的设置：{known}",
        Plural(
            "{origin}: notify {channel!r}: unknown setting {unknown}; known: {known}",
            "{origin}: notify {channel!r}: unknown settings {unknown}; known: {known}",
        ),
    ),
    "ntf_unknown_events": (
        "{origin}：通知「{channel}」有不认识的事件 {bad}；可用的事件：{events}",
        Plural(
            "{origin}: notify {channel!r}: unknown event {bad}; use {events}",
            "{origin}: notify {channel!r}: unknown events {bad}; use {events}",
        ),
    ),
    "ntf_bad_locale": (
        '{origin}：通知「{channel}」的 locale「{locale}」不认识；写 "zh" 或 "en"（或不写）',
        '{origin}: notify {channel!r}: locale {locale!r}; use "zh" or "en" (or leave it out)',
    ),
    "ntf_url_one_way": (
        '{origin}：通知「{channel}」要给出机器人的 webhook 地址：url = "https://…"，'
        '或用 url_env = "NAME"／url_file = "path" 放在文件之外（三者选一）',
        '{origin}: notify {channel!r}: give the robot\'s webhook address as url = "https://…", '
        'or keep it out of the file with url_env = "NAME" / url_file = "path" (one of them)',
    ),
    "ntf_url_scheme": (
        "{origin}：通知「{channel}」的 url 应以 https:// 开头（本机测试可用 http://）",
        "{origin}: notify {channel!r}: url should start with https:// "
        "(or http:// for a local test)",
    ),
    "ntf_slack_secret": (
        "{origin}：通知「{channel}」：Slack 的 incoming webhook 不用签名密钥，"
        "请删掉 secret_env／secret_file",
        "{origin}: notify {channel!r}: Slack incoming webhooks take no signing secret; "
        "remove secret_env / secret_file",
    ),
    "ntf_bad_msgtype": (
        '{origin}：通知「{channel}」的 msgtype「{msgtype}」不认识；写 "text" 或 "markdown"',
        '{origin}: notify {channel!r}: msgtype {msgtype!r}; use "text" or "markdown"',
    ),
    "ntf_smtp_needs": (
        '{origin}：通知「{channel}」是 smtp 渠道，需要 host、sender 和 to = ["a@b.org"]',
        '{origin}: notify {channel!r}: an smtp channel needs host, sender and to = ["a@b.org"]',
    ),
    "ntf_password_user": (
        "{origin}：通知「{channel}」设了密码却没有 username；请加上 username",
        "{origin}: notify {channel!r}: a password needs a username",
    ),
    "ntf_secret_both": (
        "{origin}：通知「{channel}」的 {env_key} 和 {file_key} 只能写一个",
        "{origin}: notify {channel!r}: give {env_key} or {file_key}, not both",
    ),
    "ntf_not_names": (
        '{origin}：通知「{channel}」的 {key} 应是名称列表，例如 ["a", "b"]',
        '{origin}: notify {channel!r}: {key} should be a list of names, like ["a", "b"]',
    ),
    "ntf_not_switch": (
        "{origin}：通知「{channel}」的 {key} 只能是 true 或 false",
        "{origin}: notify {channel!r}: {key} should be true or false",
    ),
    "ntf_not_positive": (
        "{origin}：通知「{channel}」的 {key} 应是大于 0 的数字",
        "{origin}: notify {channel!r}: {key} should be a positive number",
    ),
    "ntf_bad_clock": (
        '{origin}：通知「{channel}」的 report_at「{value}」无法识别；请写成 "20:00" 这样',
        '{origin}: notify {channel!r}: report_at {value!r}; write it like "20:00"',
    ),
    # message templates (sync/notify/render.py)
    "ntf_template_unusable": (
        "{path}：消息模板无法使用（{problem}）；检查 {{{{ }}}} 和 {{% %}} 是否成对",
        "{path}: the message template cannot be used ({problem}); check that every {{{{ }}}} "
        "and {{% %}} is closed",
    ),
    "ntf_template_render": (
        "{path}：消息模板无法生成（{problem}）；只能引用 README 列出的字段",
        "{path}: the message template does not render ({problem}); use only the fields "
        "listed in the README",
    ),
    # a message that did not arrive (sync/notify/send.py); {where} is the channel and its kind
    "send_not_http": ("{where}：不是 HTTP 渠道", "{where}: not an HTTP channel"),
    "send_slack_answer": (
        "{where}：Slack 回答 {status}「{text}」",
        "{where}: Slack answered {status} {text!r}",
    ),
    "send_not_json": (
        "{where}：服务的回答不是 JSON；检查 url 是否是机器人的 webhook 地址",
        "{where}: the service answered something that is not JSON; check that url is the "
        "robot's webhook address",
    ),
    "send_unexpected": ("{where}：服务的回答看不懂", "{where}: unexpected answer from the service"),
    "send_refused": (
        "{where}：服务拒收了消息（代码 {num}：{why}）",
        "{where}: the service refused the message (code {num}: {why})",
    ),
    "send_http_error": (
        "{where}：{url} 回答 HTTP {status}「{detail}」",
        "{where}: {url} answered HTTP {status} {detail!r}",
    ),
    "send_no_answer": (
        "{where}：{url} 在 {seconds} 秒内没有回答",
        "{where}: no answer from {url} in {seconds} s",
    ),
    "send_unreachable": (
        "{where}：连不上 {url}（{reason}）",
        "{where}: cannot reach {url} ({reason})",
    ),
    "send_bad_login": (
        "{where}：邮件服务器不接受用户名或密码",
        "{where}: the mail server refused the username or password",
    ),
    "send_mail_refused": (
        "{where}：邮件服务器拒收了这封邮件（{reason}）",
        "{where}: the mail server refused the message ({reason})",
    ),
    "send_mail_no_answer": (
        "{where}：{host}:{port} 没有回答",
        "{where}: no answer from {host}:{port}",
    ),
    "send_mail_unreachable": (
        "{where}：连不上 {host}:{port}（{reason}）",
        "{where}: cannot reach {host}:{port} ({reason})",
    ),
    # a secret named in the settings but not there at send time
    "secret_env_unset": (
        "{where}：环境变量 {env} 没有设置",
        "{where}: the environment variable {env} is not set",
    ),
    "secret_file_unreadable": (
        "{where}：读不了密钥文件 {file}（{reason}）",
        "{where}: cannot read the secret file {file} ({reason})",
    ),
    "secret_file_empty": (
        "{where}：密钥文件 {file} 是空的",
        "{where}: the secret file {file} is empty",
    ),
    "secret_none": ("{where}：没有设置密钥", "{where}: no secret configured"),
}
