"""What a rule file's settings must be: wrong types, unknown names, bad conditions, cross-checks.

Each reason ``code`` may have a ``code_fix`` hint; sync/rules/reader.py, sections.py and
loading.py raise them as RuleErrors, which add the file and line.
"""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # the shape of a value (sync/rules/reader.py)
    "rf_not_mapping": (
        "「{what}」应写成「键: 值」的若干行",
        "{what} should be a mapping (key: value lines)",
    ),
    "rf_not_mapping_fix": (
        "在「{what}:」下面每行写一个「键: 值」，比上一级多缩进两个空格",
        "under {what}: write one key: value a line, indented two spaces more",
    ),
    "rf_not_list": (
        "「{what}」应写成列表（每行以「- 」开头）",
        "{what} should be a list (lines starting with '- ')",
    ),
    "rf_not_list_fix": (
        "在「{what}:」下面每项一行，以「- 」开头",
        'under {what}: write one item a line, starting with "- "',
    ),
    "rf_unknown_setting": (
        "「{what}」里没有「{key}」这个设置",
        "unknown setting {key!r} in {what}",
    ),
    "rf_unknown_setting_fix": ("可用的设置：{allowed}", "expected one of: {allowed}"),
    "rf_not_number": (
        "「{key}」应是数字，不是「{value}」",
        "{key} should be a number, not {value!r}",
    ),
    "rf_not_number_fix": (
        "写一个数字，例如「{key}: 10」",
        "write a number, for example  {key}: 10",
    ),
    "rf_missing": ("缺少「{key}」", "{key} is missing"),
    "rf_missing_fix": (
        "加一行「{key}: …」",
        "add a line  {key}: …",
    ),
    "rf_not_text": ("「{key}」应是文字，不是「{value}」", "{key} should be text, not {value!r}"),
    "rf_not_text_fix": (
        "写一段文字，例如「{key}: 建设社区」",
        "write a text, for example  {key}: 建设社区",
    ),
    "rf_not_names": ("「{key}」应是一个名称或名称列表", "{key} should be a list of names"),
    "rf_not_names_fix": (
        "写一个名称，或「[名称一, 名称二]」",
        "write one name or a list such as  [name one, name two]",
    ),
    "rf_no_name": (
        "每条规则都要有名称（备注和日志里会引用）",
        "every rule needs a name (quoted in notes and the log)",
    ),
    "rf_no_name_fix": (
        "加一行「name: 独居老人 living alone」或「name: {{zh: 独居, en: living alone}}」",
        "add  name: 独居老人 living alone  or  name: {{zh: 独居, en: living alone}}",
    ),
    # conditions
    "rf_no_condition": (
        "规则「{rule_zh}」的「{key}」应是一个条件",
        "{key} in rule {rule_en!r} should be a condition",
    ),
    "rf_no_condition_fix": (
        '例如「urgency == "urgent"」',
        'for example  urgency == "urgent"',
    ),
    "rf_label_in_condition": (
        "规则「{rule_zh}」的条件「{source}」拿「{literal}」作比较，而「{literal}」是显示的名称",
        "{source!r} in rule {rule_en!r} compares with {literal!r}, which is a label",
    ),
    "rf_label_in_condition_fix": (
        '条件里要用选项的键：把「"{literal}"」改成「"{key}"」',
        'conditions use option keys: write "{key}" instead of "{literal}"',
    ),
    "rf_unknown_field": (
        "规则「{rule_zh}」的条件「{source}」里没有「{field}」这个字段",
        "unknown field {field!r} in {source!r} in rule {rule_en!r}",
    ),
    "rf_unknown_field_fix": ("可用的字段：{fields}", "fields: {fields}"),
    "rf_unknown_field_guess": (
        "规则「{rule_zh}」的条件「{source}」里没有「{field}」这个字段",
        "unknown field {field!r} in {source!r} in rule {rule_en!r}",
    ),
    "rf_unknown_field_guess_fix": (
        "是不是「{guess}」？可用的字段：{fields}",
        "did you mean {guess!r}? fields: {fields}",
    ),
    "rf_bad_syntax": (
        "看不懂规则「{rule_zh}」的条件「{source}」：{problem}",
        "cannot read the condition {source!r} in rule {rule_en!r}: {problem}",
    ),
    "rf_bad_syntax_fix": (
        "用「==」或「!=」比较，用 and、or、not 连接，文字加英文引号，"
        '例如「category == "medicine"」',
        'compare with == or !=, join with and/or/not, quote text: category == "medicine"',
    ),
    "rf_bad_condition": (
        "规则「{rule_zh}」的条件「{source}」有误：{problem}",
        "bad condition {source!r} in rule {rule_en!r}: {problem}",
    ),
    # sections (sync/rules/sections.py)
    "rf_bad_condition_fix": (
        "用「==」或「!=」比较，用 and、or、not 连接，文字加英文引号",
        "compare with == or !=, join with and/or/not, put text in quotes",
    ),
    "rf_unknown_request_field": (
        "需求登记没有「{field}」这个字段",
        "unknown request field {field!r}",
    ),
    "rf_unknown_request_field_fix": ("可用的字段：{fields}", "fields: {fields}"),
    "rf_no_points": (
        "优先级规则「{rule_zh}」没有写分数",
        "priority rule {rule_en!r} has no points",
    ),
    "rf_no_points_fix": (
        "加一行「points: 10」（按等待时间加分的规则用「per_minute:」）",
        "add  points: 10  (or per_minute: for a waiting-time rule)",
    ),
    "rf_blank_hours": (
        "「blank_hours」只能是 always 或 never",
        "blank_hours should be always or never",
    ),
    "rf_blank_hours_fix": (
        "写「blank_hours: always」或「blank_hours: never」",
        "write  blank_hours: always  or  blank_hours: never",
    ),
    "rf_unknown_ranking": ("没有「{key}」这种排序", "unknown ranking {key!r}"),
    "rf_unknown_ranking_fix": ("可用的排序：{keys}", "use: {keys}"),
    "rf_unknown_role": ("没有「{role}」这个角色", "unknown role {role!r}"),
    "rf_unknown_role_fix": ("可用的角色：{roles}", "roles: {roles}"),
    "rf_timed_needs": (
        "「{what}」里的规则「{rule_zh}」缺少「{unit}」",
        "{what} rule {rule_en!r} needs {unit}",
    ),
    "rf_timed_needs_fix": (
        "加一行「{unit}: 2」",
        "add a line  {unit}: 2",
    ),
    "rf_unknown_category": ("没有「{category}」这个物资类别", "unknown category {category!r}"),
    "rf_unknown_category_fix": ("可用的类别：{categories}", "categories: {categories}"),
    "rf_not_clock": (
        "「{key}」应是一天中的时间，不是「{value}」",
        "{key} should be a time of day, not {value!r}",
    ),
    "rf_not_clock_fix": (
        '写成 00:00 到 23:59 之间的时间，带英文引号，例如「"18:00"」',
        'write a time from 00:00 to 23:59, in quotes, like "18:00"',
    ),
    "rf_not_switch": (
        "「{key}」只能是 true 或 false，不是「{value}」",
        "{key} should be true or false, not {value!r}",
    ),
    "rf_not_switch_fix": (
        "写「{key}: true」或「{key}: false」",
        "write  {key}: true  or  {key}: false",
    ),
    "rf_open_hours": (
        "「open_hours_before」应在 0 到 168 之间（一周）",
        "open_hours_before should be between 0 and 168 (a week)",
    ),
    # the folder as a whole (sync/rules/loading.py)
    "rf_open_hours_fix": (
        "写一个 0 到 168 之间的小时数，例如「open_hours_before: 24」",
        "write a number of hours from 0 to 168, for example  open_hours_before: 24",
    ),
    "rf_unknown_section": ("没有「{key}」这一节", "unknown section {key!r}"),
    "rf_unknown_section_fix": ("可用的节：{sections}", "sections: {sections}"),
    "rf_section_twice": (
        "「{key}」这一节在 {other} 里也写了",
        "section {key!r} is also set in {other}",
    ),
    "rf_section_twice_fix": ("每一节只写在一个文件里", "keep each section in one file"),
    "rf_bad_template": (
        "日报模板无法生成：{problem}",
        "the report template does not render: {problem}",
    ),
    "rf_bad_template_fix": (
        "用「{{{{ name }}}}」引用 README 里列出的数字",
        "use {{{{ name }}}} with the figures listed in the README",
    ),
    "rf_no_communities": ("没有定义任何社区", "no communities are defined"),
    "rf_no_communities_fix": (
        "加上「communities:」一节，列出你们服务的社区",
        "add a communities: section listing the communities you serve",
    ),
    "rf_community_twice": ("有一个社区列了两次", "a community is listed twice"),
    "rf_community_twice_fix": ("删掉重复的那一项", "delete the repeated one"),
    "rf_unknown_neighbour": (
        "{community}的邻近社区「{neighbour}」不在社区列表里",
        "{community}'s neighbour {neighbour!r} is not a listed community",
    ),
    "rf_unknown_neighbour_fix": (
        "把它加到「communities:」下，或改正名称",
        "list it under communities: or fix the spelling",
    ),
    "rf_low_stock_community": (
        "「low_stock」里的社区「{community}」不在社区列表里",
        "low_stock names an unknown community {community!r}",
    ),
    "rf_low_stock_community_fix": (
        "把它加到「communities:」下，或改正名称",
        "list it under communities: or fix the spelling",
    ),
    "rf_unreadable": ("读不了这个文件：{problem}", "cannot read: {problem}"),
    "rf_unreadable_fix": (
        "确认文件存在、能打开，并以 UTF-8 保存",
        "check that the file exists, can be opened and is saved as UTF-8",
    ),
}
