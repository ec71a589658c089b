"""Words about the workbook file itself: a file that is not .xlsx, a lock left by an editor."""

from __future__ import annotations

from sync.messages.entry import Entry, Plural

WORDS: dict[str, Entry] = {
    # `init --workbook b.csv`: refused before anything is written
    "file_not_xlsx_name": (
        "{path}：工作簿的文件名要以 .xlsx 结尾（aidsync 只读写 .xlsx 工作簿），没有创建任何文件。"
        "请改用：aidsync init --workbook {fixed}",
        "{path}: a workbook's name must end in .xlsx (aidsync reads and writes .xlsx workbooks "
        "only); nothing was created. Use: aidsync init --workbook {fixed}",
    ),
    # a real CSV given as the workbook
    "file_is_csv": (
        "{path} 是 CSV 文本文件，不是 .xlsx 工作簿。请在 WPS、Excel 或 LibreOffice 里打开它，"
        "「另存为」Excel 工作簿（.xlsx），再用 --workbook {fixed}",
        "{path} is a CSV text file, not an .xlsx workbook. Open it in Excel, LibreOffice or WPS, "
        "save it as an Excel workbook (.xlsx), then use --workbook {fixed}",
    ),
    # a file that is neither: an old .xls, a damaged download, another program's file
    "file_unreadable": (
        "{path} 无法作为 .xlsx 工作簿打开（{reason}）。如果它是别的格式（例如 .xls），"
        "请在 WPS、Excel 或 LibreOffice 里「另存为」Excel 工作簿（.xlsx）；"
        "如果它已损坏，请换用备份",
        "{path} cannot be opened as an .xlsx workbook ({reason}). If it is in another format "
        "(an old .xls, say), save it as an Excel workbook (.xlsx) in Excel, LibreOffice or WPS; "
        "if it is damaged, use a backup",
    ),
    # an office suite's lock file beside the workbook: nothing is written
    "file_locked": (
        "{path} 正在办公软件里打开（{holder}；旁边有锁文件 {lock}），本轮没有写入："
        "它下次保存会覆盖 aidsync 的改动。请关闭这个文件，下一轮同步会补上。",
        "{path} is open in an office suite ({holder}; {lock} is beside it); nothing was "
        "written, because its next save would overwrite aidsync's changes. Close the file and "
        "the next pass will catch up.",
    ),
    "file_locked_log": (
        "{path} 正在办公软件里打开（{holder}；旁边有锁文件 {lock}），同步日志没有写入。"
        "请关闭这个文件。",
        "{path} is open in an office suite ({holder}; {lock} is beside it); the Log lines were "
        "not written. Close the file.",
    ),
    "file_holder": ("{user} 在 {host} 上，{since} 起", "by {user} on {host} since {since}"),
    "file_holder_user": ("{user}，{since} 起", "by {user} since {since}"),
    "file_holder_unknown": ("不知道是谁，{since} 起", "by someone, since {since}"),
    # a lock file older than STALE_LOCK: perhaps left by a crash
    "file_lock_old": (
        "这个锁文件是 {age}前留下的，可能是办公软件没有正常退出。确认没有人开着这个文件后，"
        "请删除锁文件：rm '{lock}'（Windows：del \"{lock}\"）",
        "The lock file was left {age} ago, perhaps by an office suite that did not close "
        "properly. Once you are sure nobody has the file open, delete it: rm '{lock}' "
        '(Windows: del "{lock}")',
    ),
    "file_age_days": ("{n} 天", Plural("{n} day", "{n} days")),
    "file_age_hours": ("{n} 小时", Plural("{n} hour", "{n} hours")),
    # opening a local workbook (sync/backends/xlsx/backend.py)
    "xlsx_missing": (
        "{path}：没有这个工作簿；请用 aidsync init --workbook {path} 创建",
        "{path}: no such workbook; create one with  aidsync init --workbook {path}",
    ),
    "xlsx_unopenable": (
        "{path}：无法作为 .xlsx 工作簿打开（{problem}）；请在表格软件里打开它，另存为 .xlsx 后再试",
        "{path}: cannot open as an .xlsx workbook ({problem}); open it in a spreadsheet "
        "program, save it as .xlsx and try again",
    ),
    "xlsx_kept_changing": (
        "{path} 在 aidsync 添加 {n} 行日志时一直在变化；请关掉正在编辑它的程序，再运行一次",
        Plural(
            "{path} kept changing while aidsync tried to add {n} Log line; close the program "
            "editing it and run again",
            "{path} kept changing while aidsync tried to add {n} Log lines; close the program "
            "editing it and run again",
        ),
    ),
}
