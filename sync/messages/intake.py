"""Notes on Inbox rows (群消息) and on the requests made from them: what was read, what is not."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # rules/intake.yaml that does not load (a RuleError's reason and its _fix hint)
    "intake_not_mapping": (
        "{what} 应该是「名称: 内容」的几行",
        "{what} should be a mapping (key: value lines)",
    ),
    "intake_not_mapping_fix": (
        "每行写「名称: [词, 词]」，下一层多缩进两个空格",
        "write one  key: [word, word]  a line, indented two spaces under it",
    ),
    "intake_unknown_setting": ("intake 里没有「{key}」这一项", "unknown setting '{key}' in intake"),
    "intake_unknown_setting_fix": ("可以写：{allowed}", "expected one of: {allowed}"),
    "intake_unknown_option": ("{what} 里没有「{key}」这一项", "unknown {what} '{key}'"),
    "intake_unknown_option_fix": ("可以写：{keys}", "{what} keys: {keys}"),
    "intake_category_setting": (
        "类别 {key} 里没有「{setting}」这一项",
        "unknown setting '{setting}' in category {key}",
    ),
    "intake_category_setting_fix": (
        "可以写：words（只定类别）、items（也写进物品明细）",
        "expected: words (set the category), items (also go into Items)",
    ),
    "intake_not_words": (
        "{what} 应该是一串词，例如「[阿姨, 大爷]」",
        "{what} should be a list of words such as [阿姨, 大爷]",
    ),
    "intake_not_words_fix": (
        "用方括号把词括起来，词之间用英文逗号",
        "put the words in square brackets, separated by commas",
    ),
    "intake_not_word": ("{what}：{value} 不是一个词", "{what}: {value} is not a word"),
    "intake_not_word_fix": (
        "每个词写成文字；含「:」或「#」的词用英文引号括起来",
        "write each word as text; quote it if it holds : or #",
    ),
    "intake_word_twice": (
        "「{word}」同时写在 {first} 和 {second} 下，分不清是哪一种",
        "the word '{word}' is listed under both {first} and {second}",
    ),
    "intake_word_twice_fix": ("只保留在其中一处", "keep each word under one of them"),
    # what was read from a message
    "intake_and": ("、", ", "),
    "intake_read": ("从消息读到：{fields}", "read from the message: {fields}"),
    "intake_field": ("{column}「{value}」", "{column} '{value}'"),
    "intake_read_none": (
        "消息里没有读到姓名、电话或地址",
        "the message gives no name, phone or address",
    ),
    "intake_missing": (
        "消息里没有：{columns}，请在需求行补上",
        "not in the message: {columns}; fill them in on the request row",
    ),
    "intake_thanks": (
        "这条消息是道谢或回复，没有求助，不生成需求",
        "this message thanks or replies and asks for nothing; no request made",
    ),
    "intake_no_need": (
        "消息里没有读到要帮什么，不生成需求；如确有需要，请直接在需求登记表登记",
        "the message asks for nothing that could be read; no request made. If help is needed, "
        "add it on the Requests tab",
    ),
    "intake_empty": ("消息为空", "the message is empty"),
    "intake_residents": (
        "消息里有 {n} 位居民（{names}），只按第一位生成了需求，请把其余的另登一行",
        "the message names {n} residents ({names}); the request is for the first: "
        "please add the others as rows of their own",
    ),
    "intake_addresses": (
        "消息里有 {n} 个地址（{addresses}），可能是几位居民，只按第一个生成了需求，请核对后另登",
        "the message gives {n} addresses ({addresses}), perhaps several residents; the request "
        "is for the first: please check and add the others",
    ),
    "intake_needs": (
        "消息里有几类需求（{categories}），类别按「{first}」填写，请把其余的另登一行",
        "the message asks for several kinds of help ({categories}); the category is '{first}': "
        "please add the others as rows of their own",
    ),
    "intake_estate": (
        "小区「{estate}」分属 {communities}，社区留空，请核对后填写",
        "the estate '{estate}' lies in {communities}; community left blank, please fill it in",
    ),
    "intake_communities": (
        "消息里提到几个社区（{communities}），社区留空，请核对后填写",
        "the message names several communities ({communities}); community left blank, please "
        "fill it in",
    ),
    "intake_phones": ("另有电话 {phones}", "other numbers in the message: {phones}"),
    "intake_made": ("已生成需求 {id}", "request {id} made from this message"),
    "intake_from": ("由「{tab}」第 {row} 行的消息生成", "made from the message on {tab} row {row}"),
    "intake_log_action": ("群消息生成需求", "request from message"),
    "intake_log_detail": ("由「{tab}」第 {row} 行生成", "from {tab} row {row}"),
    # `check` and --dry-run: what each new message becomes (sync/intake/plan.py preview)
    "intake_preview": ("{tab}第 {row} 行：{text}", "{tab} {row}: {text}"),
    "intake_preview_sep": ("；", "; "),
}
