"""Mistakes with the workbook file itself, through the CLI: named with the fix, in the
workbook's language, with the exit code PRODUCT.md gives (2: a setting to fix, 1: try later)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from builders import request, save_workbook, volunteer, zh_tabs

from sync.backends.xlsx.files import lock_error, lock_owner

AT = "2022-12-20T15:00"


def aidsync(*args: str, cwd: Path, lang: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    env["LANG"] = "C.UTF-8"
    if lang:
        env["AIDSYNC_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=180,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    out = aidsync("init", "--workbook", str(tmp_path / "b.csv"), cwd=tmp_path)
    assert out.returncode == 2
    assert not (tmp_path / "b.csv").exists()  # no .xlsx file under a false name
    assert "要以 .xlsx 结尾" in out.stderr
    assert f"aidsync init --workbook {tmp_path / 'b.xlsx'}" in out.stderr
    en = aidsync("init", "--workbook", "b.xls", "--locale", "en", cwd=tmp_path)
    assert en.returncode == 2 and "must end in .xlsx" in en.stderr
    assert en.stderr.rstrip().endswith(f"Use: aidsync init --workbook {tmp_path / 'b.xlsx'}")
    assert "Traceback" not in out.stderr + en.stderr


def test_a_csv_given_as_the_workbook_is_told_to_save_it_as_xlsx(tmp_path: Path) -> None:
    zh = tmp_path / "登记.csv"
    zh.write_text("居民姓名,联系电话,社区\n张三,13840001005,创意社区\n", encoding="utf-8")
    out = aidsync("sync", "--workbook", str(zh), "--now", AT, cwd=tmp_path)
    assert out.returncode == 2
    assert "是 CSV 文本文件" in out.stderr and "另存为" in out.stderr
    assert f"--workbook {tmp_path / '登记.xlsx'}" in out.stderr
    en = tmp_path / "orders.csv"
    en.write_text("Resident,Phone,Community\nAnn,13840001005,Hillside\n", encoding="utf-8")
    out = aidsync("check", "--workbook", str(en), cwd=tmp_path)
    assert out.returncode == 2
    assert (
        "is a CSV text file" in out.stderr and "save it as an Excel workbook (.xlsx)" in out.stderr
    )
    assert en.read_text(encoding="utf-8").startswith("Resident")  # left as it was


def test_a_file_that_is_no_workbook_exits_2_with_the_way_out(tmp_path: Path) -> None:
    bad = tmp_path / "w.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = aidsync("sync", "--workbook", str(bad), "--now", AT, cwd=tmp_path, lang="en")
    assert out.returncode == 2
    assert "cannot be opened as an .xlsx workbook" in out.stderr and "backup" in out.stderr


def test_a_libreoffice_lock_names_who_holds_the_file(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    before = digest(book)
    lock = tmp_path / ".~lock.w.xlsx#"
    lock.write_text(",wangfang,office-pc,20.12.2022 14:50,file:///home/wangfang/.config/lo/4;")
    out = aidsync("sync", "--workbook", str(book), "--now", AT, cwd=tmp_path)
    assert out.returncode == 1  # try again later: the next pass catches up
    assert digest(book) == before
    assert "正在办公软件里打开" in out.stderr and "wangfang 在 office-pc 上" in out.stderr
    assert "请关闭这个文件" in out.stderr
    assert "rm " not in out.stderr  # a fresh lock: somebody is working in the file


def test_an_old_lock_file_says_how_to_remove_it_once_nobody_has_the_file_open(
    tmp_path: Path,
) -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    book = save_workbook(tmp_path / "w.xlsx", tabs)
    lock = tmp_path / ".~lock.w.xlsx#"
    lock.write_text("Wang Fang,wangfang,office-pc,17.12.2022 09:12,file:///x;")
    three_days = time.time() - 3 * 86400 - 60
    os.utime(lock, (three_days, three_days))
    out = aidsync("sync", "--workbook", str(book), "--now", AT, cwd=tmp_path)
    assert out.returncode == 1
    assert "Wang Fang 在 office-pc 上" in out.stderr
    assert "这个锁文件是 3 天前留下的" in out.stderr and "确认没有人开着这个文件后" in out.stderr
    assert f"rm '{lock}'" in out.stderr


def test_an_english_workbook_hears_about_its_lock_in_english(tmp_path: Path) -> None:
    book = tmp_path / "aid.xlsx"
    assert aidsync("init", "--workbook", str(book), "--locale", "en", cwd=tmp_path).returncode == 0
    lock = tmp_path / "~$aid.xlsx"
    lock.write_bytes(bytes([5]) + b"Alice" + b" " * 48 + b"\x05\x00A\x00l\x00i\x00c\x00e\x00")
    old = time.time() - 13 * 3600
    os.utime(lock, (old, old))
    out = aidsync("sync", "--workbook", str(book), "--now", AT, cwd=tmp_path)
    assert out.returncode == 1
    assert "is open in an office suite (by Alice since" in out.stderr
    assert "The lock file was left 13 hours ago" in out.stderr
    assert "Once you are sure nobody has the file open, delete it" in out.stderr


def test_lock_owners_as_each_office_suite_writes_them() -> None:
    assert lock_owner(b",wangfang,office-pc,20.12.2022 14:50,file:///x;") == {
        "user": "wangfang",
        "host": "office-pc",
    }
    assert lock_owner("王芳,wangfang,办公室,20.12.2022 14:50,x;".encode()) == {
        "user": "王芳",
        "host": "办公室",
    }
    assert lock_owner(bytes([3]) + b"Bob" + b"\x00" * 50) == {"user": "Bob"}
    assert lock_owner(b"") == {}
    assert lock_owner(b"someone") == {}


def test_the_lock_message_can_be_said_in_the_other_language(tmp_path: Path) -> None:
    """For `--lang`: the error carries what it needs to be said again in English."""
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    lock = tmp_path / ".~lock.w.xlsx#"
    lock.write_text(",wangfang,office-pc,17.12.2022 09:12,x;")
    old = time.time() - 86400 - 60
    os.utime(lock, (old, old))
    error = lock_error(book, lock, "zh")
    assert "1 天前" in str(error)
    english = error.text("en")
    assert "by wangfang on office-pc since" in english
    assert "The lock file was left 1 day ago" in english
