"""Rule-file errors: where a file went wrong and how to fix it.

A RuleError with a code renders ``code`` (the reason) and ``code_fix`` (the hint). English
reasons of YAML slips start with "not valid YAML" as every YAML error always has.
"""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    # the frame around every rule error
    "rule_error_at": ("{path} 第 {line} 行：{reason}", "{path}:{line}: {reason}"),
    "rule_error": ("{path}：{reason}", "{path}: {reason}"),
    "rule_hint": ("改法：{hint}", "hint: {hint}"),
    # slips a Chinese keyboard makes (sync/yamlslips.py finds them)
    "yaml_fullwidth_colon": (
        "「{key}」后面用了中文冒号「：」，规则文件只认英文冒号",
        "not valid YAML: '{key}' is followed by a full-width colon '：'",
    ),
    "yaml_fullwidth_colon_fix": (
        "改成英文冒号「:」，冒号后空一格：{fixed}",
        "use an ASCII colon ':' followed by a space: {fixed}",
    ),
    "yaml_tab": ("这一行用 Tab 键缩进了", "not valid YAML: this line is indented with a tab"),
    "yaml_tab_fix": (
        "用空格缩进，不要用 Tab 键（每层两个空格）",
        "indent with spaces, not tabs (two spaces a level)",
    ),
    "yaml_tab_inside": (
        "这一行有 Tab 字符，规则文件里不能用",
        "not valid YAML: this line holds a tab where YAML allows none",
    ),
    "yaml_tab_inside_fix": (
        "把 Tab 换成空格",
        "replace the tab with spaces",
    ),
    "yaml_fullwidth_space": (
        "缩进里有全角空格",
        "not valid YAML: the indentation holds a full-width space",
    ),
    "yaml_fullwidth_space_fix": (
        "删掉这一行开头的空白，用英文半角空格重新缩进",
        "delete the blanks that start the line and indent again with ASCII spaces",
    ),
    "yaml_fullwidth_comma": (
        "列表 {text} 里用了中文逗号「，」，会被当成一整项",
        "the list {text} is separated by a full-width comma '，', so it reads as one item",
    ),
    "yaml_fullwidth_comma_fix": (
        "用英文逗号「,」分隔各项：{fixed}（文字里确实要有「，」就用英文引号括起来）",
        "separate the items with an ASCII comma ',': {fixed} "
        '(to keep a "，" in a text, put the text in ASCII quotes)',
    ),
    "yaml_curly_quotes": (
        "用了中文引号「{quote}」，规则文件只认英文引号",
        "the curly quote {quote} is not a quote mark in a rule file",
    ),
    "yaml_curly_quotes_fix": (
        '改成英文引号 "…"：{fixed}',
        'use straight ASCII quotes "…": {fixed}',
    ),
    "yaml_indent": (
        "缩进没对齐：这一行缩进 {found} 个空格，上一行是 {expected} 个",
        Plural(
            "not valid YAML: this line is indented {found} space, the line above {expected}",
            "not valid YAML: this line is indented {found} spaces, the line above {expected}",
            count="found",
        ),
    ),
    "yaml_indent_fix": (
        "同一层的各行缩进要一样多（用空格，每层两个）",
        "indent the lines of one level by the same number of spaces (two a level)",
    ),
    "yaml_unclosed": (
        "这里开始的括号没有用「{bracket}」收尾",
        "not valid YAML: the bracket opened here is not closed with '{bracket}'",
    ),
    "yaml_unclosed_fix": (
        "在这一行末尾补上「{bracket}」（用英文括号）",
        "end the line with '{bracket}' (an ASCII bracket)",
    ),
    "yaml_unclosed_quote": (
        "这里开始的引号没有收尾",
        "not valid YAML: the quote opened here is not closed",
    ),
    "yaml_unclosed_quote_fix": (
        '在文字末尾补上同样的英文引号 "',
        'end the text with the same ASCII quote mark "',
    ),
    "yaml_colon_in_value": (
        "值里有「: 」，会被当成又一个键",
        "not valid YAML: the value holds ': ', which reads as another key",
    ),
    "yaml_colon_in_value_fix": (
        "把整段文字用英文引号括起来：{fixed}",
        "put the whole text in ASCII quotes: {fixed}",
    ),
    "yaml_missing_colon": (
        "「{text}」缺少冒号",
        "not valid YAML: '{text}' lacks its colon",
    ),
    "yaml_missing_colon_fix": (
        "在名称后面加英文冒号和空格，例如「default_max_open: 3」",
        "put an ASCII colon and a space after the name, e.g.  default_max_open: 3",
    ),
    "yaml_dash_space": (
        "列表项的「-」后面缺少空格",
        "not valid YAML: the list item's '-' is not followed by a space",
    ),
    "yaml_dash_space_fix": (
        "在「-」后面加一个空格：「- name: …」",
        "put a space after the '-': - name: …",
    ),
    "yaml_other": ("不是有效的 YAML：{problem}", "not valid YAML: {problem}"),
    "yaml_other_fix": (
        "检查缩进；含有「:」或「#」的文字请用英文引号括起来",
        "check the indentation and that text with ':' or '#' is quoted",
    ),
    # files and folders
    "rules_folder_missing": ("规则文件夹不存在", "the rules folder does not exist"),
    "rules_folder_missing_fix": (
        "用 --rules 指定规则文件夹，或不写它以使用自带的默认规则",
        "pass --rules DIR, or omit it to use the shipped defaults",
    ),
    "rules_folder_empty": (
        "文件夹里没有规则文件（*.yaml）",
        "no rule files (*.yaml) in this folder",
    ),
    "rules_not_utf8": (
        "不是 UTF-8 编码的文本（是否存成了 GBK 或 ANSI？）",
        "not UTF-8 text (was the file saved as GBK or ANSI?)",
    ),
    "rules_not_utf8_fix": (
        "把文件另存为 UTF-8 编码（记事本：另存为 → 编码：UTF-8）",
        "save the file with the encoding UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
    ),
    "rules_control_char": (
        "规则文件里不能有控制字符 U+{char}",
        "the control character U+{char} is not allowed in a rule file",
    ),
    "rules_control_char_fix": (
        "删掉它（它可能看不见：把这一行重新打一遍）",
        "delete it (it may be invisible: retype the line)",
    ),
    "rules_unreadable": ("无法读取：{problem}", "cannot read: {problem}"),
    "rules_not_mapping": (
        "规则文件应由若干节组成",
        "a rule file should be a mapping of sections",
    ),
    "rules_not_mapping_fix": (
        "以节名开头，例如「priority:」",
        "start with a section name such as  priority:",
    ),
}
