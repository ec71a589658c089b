"""The commands' own words, through the real entry point: a Chinese workbook's session reads
Chinese line by line, an English one reads English with its plurals right, and --lang or
AIDSYNC_LANG overrides either."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from builders import SCHEMA, grid, request, save_workbook, volunteer, zh_tabs

NOW = "2022-12-20T15:00:00+08:00"
EVENING = "2022-12-20T19:00:00+08:00"  # after the daily report's 18:00

# words of the command line itself, which stay as typed in any language
_COMMAND_WORDS = {"aidsync", "python", "sync", "check", "init", "demo", "run", "report", "token"}
_CJK = re.compile(r"[\u3400-\u9fff]")
# paths, file names, flags, ids, times and other tokens that are not words of a sentence
_TOKEN = re.compile(r"\S*[/\\.:_\-@=\[\]*]\S*")


def aidsync(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    full = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    full.update({"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})  # an English system
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "sync", *args], capture_output=True, text=True,
                          cwd=cwd, env=full, timeout=180)  # fmt: skip


def english_leaks(text: str) -> list[str]:
    """Lines of a Chinese session that hold an English word of a sentence."""
    leaks = []
    for line in text.splitlines():
        rest = _TOKEN.sub(" ", re.sub(r"「[^」]*」", " ", line))  # quoted: what people type
        words = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in _COMMAND_WORDS]
        if words:
            leaks.append(line)
    return leaks


def chinese_or_data(text: str) -> list[str]:
    """Lines that are neither Chinese nor only paths, numbers and ids."""
    return [
        line
        for line in text.splitlines()
        if line.strip()
        and not _CJK.search(line)
        and re.search(r"[A-Za-z]{2,}", _TOKEN.sub(" ", line))
    ]


def zh_book(folder: Path) -> Path:
    tabs = zh_tabs([request("王奶奶", household="独居", urgency="紧急")], [volunteer("段珊珊")])
    return save_workbook(folder / "互助.xlsx", tabs)


def en_tabs(requests: list[dict[str, Any]], volunteers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        SCHEMA.tab("requests").title("en"): grid("requests", requests, "en"),
        SCHEMA.tab("volunteers").title("en"): grid("volunteers", volunteers, "en"),
        SCHEMA.tab("stock").title("en"): grid("stock", [], "en"),
    }


def en_book(folder: Path, requests: list[dict[str, Any]] | None = None) -> Path:
    rows = requests if requests is not None else [request("Mrs Wang")]
    return save_workbook(folder / "aid.xlsx", en_tabs(rows, [volunteer("Duan")]))


def test_a_chinese_workbooks_session_is_chinese_line_by_line(tmp_path: Path) -> None:
    book = zh_book(tmp_path)
    aidsync("init", "--workbook", str(book), cwd=tmp_path)  # its tabs (see the xfail below)
    runs = {
        "check": aidsync("check", "--workbook", str(book), "--now", NOW, cwd=tmp_path),
        "dry-run": aidsync(
            "sync", "--workbook", str(book), "--now", NOW, "--dry-run", cwd=tmp_path
        ),
        "sync": aidsync("sync", "--workbook", str(book), "--now", NOW, cwd=tmp_path),
        "second sync": aidsync("sync", "--workbook", str(book), "--now", EVENING, cwd=tmp_path),
        "status": aidsync("status", "--workbook", str(book), "--now", EVENING, cwd=tmp_path),
        "init again": aidsync("init", "--workbook", str(book), cwd=tmp_path),
    }
    for name, done in runs.items():
        assert done.returncode == 0, (name, done.stderr)
        said = done.stdout + done.stderr
        assert said.strip(), name
        assert english_leaks(said) == [], name
        assert chinese_or_data(said) == [], name
    assert "试运行：没有写入" in runs["dry-run"].stdout
    assert re.search(r"已写入 \d+ 个单元格和 \d+ 行日志", runs["sync"].stdout)
    assert "各表和表头都已齐全，没有改动" in runs["init again"].stdout
    assert "正常：最近一次成功同步在 2022-12-20 19:00（不到一分钟前）" in runs["status"].stdout


def test_the_chinese_demo_speaks_chinese_and_its_tip_is_a_command_that_works(
    tmp_path: Path,
) -> None:
    program = Path(sys.executable).parent / "aidsync"  # as `make demo` runs it: .venv/bin/aidsync
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    env["PATH"] = "/usr/bin:/bin"  # as after `make demo`: the venv is not on PATH
    env["LANG"] = "C.UTF-8"
    done = subprocess.run([str(program), "demo"], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert english_leaks(done.stdout) == []
    assert chinese_or_data(done.stdout) == []
    assert "已写入" in done.stdout and "「汇总」表现在是：" in done.stdout
    tip = done.stdout.rstrip().splitlines()[-1].strip()
    assert not tip.startswith("aidsync ")  # not on PATH: the tip names the program that ran
    again = subprocess.run(tip, shell=True, capture_output=True, text=True, cwd=tmp_path,
                           env=env, timeout=180)  # fmt: skip
    assert again.returncode == 0, (tip, again.stderr)
    assert "已写入" in again.stdout or "没有需要写入的内容" in again.stdout


def test_an_english_workbook_reads_english_with_plurals_right(tmp_path: Path) -> None:
    one = en_book(tmp_path, [request("Mrs Wang", phone="12345")])
    checked = aidsync("check", "--workbook", str(one), "--now", NOW, cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert ": 1 problem for people to fix:" in checked.stdout
    assert re.search(r"^Rules: .* \(\d+ files\) OK$", checked.stdout, re.M)

    two_dir = tmp_path / "two"
    two_dir.mkdir()
    two = en_book(two_dir, [request("Mrs Wang", phone="12345"), request("Mr Li", phone="1")])
    assert (
        ": 2 problems for people to fix:"
        in aidsync("check", "--workbook", str(two), "--now", NOW, cwd=two_dir).stdout
    )

    quiet_dir = tmp_path / "quiet"
    quiet_dir.mkdir()
    quiet = en_book(quiet_dir, [])
    first = aidsync("sync", "--workbook", str(quiet), "--now", EVENING, cwd=quiet_dir)
    assert first.returncode == 0, first.stderr
    wrote = re.search(r"Wrote (\d+) cells? and (\d+) log lines?", first.stdout)
    assert wrote, first.stdout
    for count, noun in zip(wrote.groups(), ("cell", "log line"), strict=True):
        said = f"{count} {noun}" + ("" if count == "1" else "s")
        assert said in wrote.group(0)
    assert "(s)" not in first.stdout + first.stderr
    for done in (checked, first):
        for line in done.stdout.splitlines():  # a line of its own starts with a capital
            if line and not line.startswith((" ", "/", str(tmp_path))):
                assert line[0].isupper(), line


def test_lang_overrides_the_workbooks_language_both_ways(tmp_path: Path) -> None:
    book = zh_book(tmp_path)
    english = aidsync("--lang", "en", "sync", "--workbook", str(book), "--now", NOW,
                      "--dry-run", cwd=tmp_path)  # fmt: skip
    assert english.returncode == 0, english.stderr
    assert "Dry run: nothing was written to" in english.stdout and "试运行" not in english.stdout
    assert "Why: " in english.stdout and "原因：" not in english.stdout

    en_dir = tmp_path / "en"
    en_dir.mkdir()
    other = en_book(en_dir)
    chinese = aidsync("sync", "--workbook", str(other), "--now", NOW, cwd=en_dir,
                      env={"AIDSYNC_LANG": "zh"})  # fmt: skip
    assert chinese.returncode == 0, chinese.stderr
    assert "已写入" in chinese.stdout and "Wrote" not in chinese.stdout


def test_errors_before_any_workbook_follow_the_readers_language(tmp_path: Path) -> None:
    chinese = aidsync("sync", cwd=tmp_path, env={"LANG": "zh_CN.UTF-8"})
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("错误：要处理哪个工作簿？")
    english = aidsync("sync", "--now", "tomorrow", "--workbook", "x.xlsx", cwd=tmp_path)
    assert english.returncode == 2
    assert english.stderr.startswith("Error: --now 'tomorrow': write it like")
    bad_now = aidsync("--lang", "zh", "sync", "--workbook", "x.xlsx", "--now", "明天",
                      cwd=tmp_path)  # fmt: skip
    assert "错误：--now「明天」无法识别" in bad_now.stderr


def test_a_lock_held_by_another_pass_is_said_in_chinese(tmp_path: Path) -> None:
    import filelock

    book = zh_book(tmp_path)
    with filelock.FileLock(str(tmp_path / f".{book.name}.aidsync-lock")):
        held = aidsync("--lang", "zh", "sync", "--workbook", str(book), "--now", NOW,
                       cwd=tmp_path)  # fmt: skip
    assert held.returncode == 3
    assert held.stderr.startswith("错误：这个工作簿上已经有另一轮 aidsync 同步在运行")


def test_check_names_a_row_the_chinese_way(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲", phone="12345")],
                                                       [volunteer("段珊珊")]))  # fmt: skip
    out = aidsync("check", "--workbook", str(book), "--now", NOW, cwd=tmp_path)
    assert "有 1 处需要人工处理" in out.stdout
    assert "需求登记第 2 行" in out.stdout and english_leaks(out.stdout) == []


def test_init_of_a_new_chinese_workbook_is_chinese(tmp_path: Path) -> None:
    made = aidsync("init", "--workbook", str(tmp_path / "新.xlsx"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert english_leaks(made.stdout) == []


def test_init_says_which_command_to_run_next_and_it_runs(tmp_path: Path) -> None:
    book = tmp_path / "新.xlsx"
    made = aidsync("init", "--workbook", str(book), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    line = next(x for x in made.stdout.splitlines() if "已把默认规则复制到" in x)
    command = line.rsplit("再运行 ", 1)[1]
    assert command.endswith(f" check --workbook {book}")  # the tip runs as it is, workbook named
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    again = subprocess.run(command, shell=True, capture_output=True,
                           text=True, cwd=tmp_path, env=env, timeout=180)  # fmt: skip
    assert again.returncode in (0, 1), (command, again.stderr)  # 1: the example rules warn
    assert "规则：" in again.stdout
