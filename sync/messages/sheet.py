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
}
