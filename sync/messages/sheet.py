"""What the worker writes into a workbook's own furniture: header notes, deferral lines."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    # the note on a header the worker fills (a comment locally, a protection's description on
    # Google) and on a header people may fill
    "header_worker": (
        "此列由 aidsync 自动填写，请勿手动修改。",
        "aidsync fills in this column; please leave it alone.",
    ),
    "header_shared": (
        "此列可以手动填写；留空时由 aidsync 填写。",
        "People may fill this column; aidsync fills it only when blank.",
    ),
    # the Log line of a row whose changes wait: someone edited or moved it after the read
    "deferred_changes": (
        "{n} 处改动延到下一轮：读取后此行被人修改或移动",
        Plural(
            "{n} change left for the next pass: the row was edited or moved after the read",
            "{n} changes left for the next pass: the row was edited or moved after the read",
        ),
    ),
    # what init did, line by line (sync/writes.py lay_out_init, the backends' init modules)
    "init_added_tab": ("添加了「{tab}」表", "added tab {tab}"),
    "init_added_column": ("在「{tab}」表添加了「{column}」列", "added column {column} to {tab}"),
    "init_dressed": ("设置了列宽和系统列底色：{tabs}", "set column widths and shading on {tabs}"),
    "init_froze": ("冻结了「{tab}」表的表头行", "froze the header row of {tab}"),
    "init_kept_rows": (
        "「{tab}」表已有内容，保持原样，没有加示例行",
        "kept {tab} as it is: it already has rows, so no sample was added",
    ),
    "init_sample_rows": (
        "在「{tab}」表加了 {n} 行示例",
        Plural("added {n} sample row to {tab}", "added {n} sample rows to {tab}"),
    ),
    "init_dropdowns": (
        "在「{tab}」表加了 {n} 个下拉选项",
        Plural("added {n} dropdown to {tab}", "added {n} dropdowns to {tab}"),
    ),
    "init_protected_tab": (
        "保护了「{tab}」表（有人修改时会先提醒）",
        "protected the tab {tab} with a warning",
    ),
    "init_protected_columns": (
        "保护了「{tab}」表的 {n} 个系统列（有人修改时会先提醒）",
        Plural(
            "protected {n} worker column of {tab} with a warning",
            "protected {n} worker columns of {tab} with a warning",
        ),
    ),
    "init_highlighted": (
        "给紧急和待协调的行加了底色（{n} 条规则）",
        Plural(
            "highlighted urgent and escalated rows ({n} rule)",
            "highlighted urgent and escalated rows ({n} rules)",
        ),
    ),
    # a workbook that lacks what people must fill (sync/layout.py)
    "schema_nothing_written": (
        "{source}：没有写入任何内容，因为\n  - {problems_zh}\n"
        "  （表或列改过名字的，请改回上面的名字；真的缺少时，aidsync init 会补上缺少的表和表头，"
        "不会动你的数据）",
        "{source}: nothing was written because\n  - {problems_en}\n"
        "  (a tab or column that was renamed: give it back the name above; one that is really "
        "missing: aidsync init adds missing tabs and headers without touching your data)",
    ),
    "schema_no_tab": (
        "工作簿里没有「{zh}」表（现有的表：{found}）；如果它改了名字，请改回「{zh}」",
        "the workbook has no {en} tab ({zh}); tabs found: {found}; if it was renamed, "
        "name it {en} or {zh} again",
    ),
    "schema_no_tabs": (
        "工作簿里没有「{zh}」表；工作簿里一个表也没有",
        "the workbook has no {en} tab ({zh}); tabs found: none",
    ),
    "schema_no_column": (
        "表「{tab}」缺少「{zh}」列；请添加一个表头，写成其中之一：{accepted}",
        "tab '{tab}' has no column for {en} ({zh}); add a header cell with one of: {accepted}",
    ),
    # the workbook definition shipped with aidsync (sync/schema.py)
    "schema_unknown_choices": (
        "workbook.yaml：列 {tab}.{column} 用了不存在的选项表「{choices}」",
        "workbook.yaml: column {tab}.{column} names an unknown choice list {choices!r}",
    ),
    "schema_unreadable": (
        "读不了工作簿定义 {path}：{problem}",
        "cannot read the workbook definition {path}: {problem}",
    ),
}
