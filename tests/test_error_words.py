"""Every error a person can meet is the catalogue's, in Chinese or English: through the real
command (a subprocess) or the rules loader, for a Chinese workbook or AIDSYNC_LANG=zh the words
are Chinese and name the fix; otherwise they are English."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import SCHEMA, grid, request, save_workbook, volunteer
from emulator import SheetsEmulator
from emulator.feishu import FeishuEmulator
from emulator.feishu.world import cli_env as feishu_env
from gsheets_fixtures import LOG, XlsxWorld, workbook
from gsheets_fixtures import cli_env as sheets_env
from gsheets_fixtures import request as sheets_request
from gsheets_fixtures import volunteer as sheets_volunteer

from sync.backends import which_workbook
from sync.errors import ConfigError, RuleError
from sync.notify import parse_channels
from sync.resources import default_rules_dir, templates_dir
from sync.rules import load_rules
from sync.schema import parse_schema

NOW = "2022-12-20T15:00:00+08:00"
_CJK = re.compile(r"[\u3400-\u9fff]")


def aidsync(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    """The command on an English system, with only the AIDSYNC_* variables given."""
    full = {k: v for k, v in (env or os.environ).items() if not k.startswith("AIDSYNC_")}
    full.update({k: v for k, v in (env or {}).items() if k.startswith("AIDSYNC_")})
    full.update({"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    return subprocess.run([sys.executable, "-m", "sync", *args], capture_output=True, text=True,
                          cwd=cwd, env=full, timeout=180)  # fmt: skip


def zh(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**(env or {}), "AIDSYNC_LANG": "zh"}


def rules_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def line_holding(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


def zh_workbook(folder: Path) -> Path:
    tabs = {"需求登记": grid("requests", [request("王奶奶")]),
            "志愿者": grid("volunteers", [volunteer("段珊珊")])}  # fmt: skip
    return save_workbook(folder / "互助.xlsx", tabs)


# -- rule files (sync/rules/reader.py, sections.py, loading.py) --------------------------------


def test_a_chinese_rule_file_comparing_with_a_label_is_told_in_chinese(tmp_path: Path) -> None:
    folder = rules_with(
        tmp_path, "priority.yaml", 'household == "living_alone"', 'household == "独居"'
    )
    path = folder / "priority.yaml"
    line = line_holding(path, 'household == "独居"')
    book = zh_workbook(tmp_path)
    said = aidsync("check", "--workbook", str(book), "--rules", str(folder), cwd=tmp_path,
                   env=zh())  # fmt: skip
    assert said.returncode == 2, said.stderr
    assert f"{path} 第 {line} 行：" in said.stderr
    assert "拿「独居」作比较" in said.stderr and "显示的名称" in said.stderr
    assert '改法：条件里要用选项的键：把「"独居"」改成「"living_alone"」' in said.stderr
    assert "which is a label" not in said.stderr and "Traceback" not in said.stderr
    english = aidsync("check", "--workbook", str(book), "--rules", str(folder), cwd=tmp_path,
                      env={"AIDSYNC_LANG": "en"})  # fmt: skip
    assert f"{path}:{line}: " in english.stderr
    assert "compares with '独居', which is a label" in english.stderr
    assert 'write "living_alone" instead of "独居"' in english.stderr


@pytest.mark.parametrize(
    ("name", "old", "new", "zh_words", "en_words"),
    [
        (
            "communities.yaml",
            "communities:",
            "communitees:",
            ["没有「communitees」这一节", "改法：可用的节："],
            ["unknown section 'communitees'", "sections: "],
        ),
        (
            "assignment.yaml",
            "blank_hours: always",
            "blank_hours: sometimes",
            ["只能是 always 或 never", "改法：写「blank_hours: always」"],
            ["blank_hours should be always or never", "hint: write  blank_hours: always"],
        ),
        (
            "assignment.yaml",
            "default_max_open: 3",
            "default_max_open: many",
            ["「default_max_open」应是数字，不是「many」", "改法：写一个数字"],
            ["default_max_open should be a number, not 'many'", "hint: write a number"],
        ),
    ],
)
def test_rule_mistakes_name_the_line_and_the_fix_in_both_languages(
    tmp_path: Path, name: str, old: str, new: str, zh_words: list[str], en_words: list[str]
) -> None:
    folder = rules_with(tmp_path, name, old, new)
    with pytest.raises(RuleError) as raised:
        load_rules(folder, SCHEMA)
    error = raised.value
    assert error.line == line_holding(folder / name, new.split(":")[0] + ":")
    chinese, english = error.text("zh"), error.text("en")
    assert chinese.startswith(f"{folder / name} 第 {error.line} 行：")
    for words in zh_words:
        assert words in chinese
    for words in en_words:
        assert words in english
    assert english == str(error)


# -- aidsync.toml (sync/config.py) --------------------------------------------------------------


def test_a_bad_settings_entry_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    (tmp_path / "aidsync.toml").write_text('[aidsync]\nworbook = "a.xlsx"\n', encoding="utf-8")
    chinese = aidsync("check", cwd=tmp_path, env=zh())
    assert chinese.returncode == 2
    assert "不认识的设置 worbook；可用的设置：" in chinese.stderr and "workbook" in chinese.stderr
    english = aidsync("check", cwd=tmp_path)
    assert english.returncode == 2
    assert "unknown setting worbook; known: " in english.stderr
    assert not _CJK.search(english.stderr)


def test_a_bad_workbook_list_entry_names_the_entry(tmp_path: Path) -> None:
    (tmp_path / "aidsync.toml").write_text(
        '[aidsync]\n[[aidsync.workbooks]]\nworkbook = "a.xlsx"\nowner = "me"\nboss = "x"\n',
        encoding="utf-8",
    )
    chinese = aidsync("sync", "--now", NOW, cwd=tmp_path, env=zh())
    assert chinese.returncode == 2, chinese.stderr
    assert "第 1 个工作簿有不认识的设置 boss, owner" in chinese.stderr
    english = aidsync("sync", "--now", NOW, cwd=tmp_path)
    assert "workbook #1: unknown keys boss, owner" in english.stderr


# -- [[notify]] (sync/notify/config.py) ---------------------------------------------------------


def test_a_bad_notify_channel_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    (tmp_path / "aidsync.toml").write_text(
        '[aidsync]\n[[notify]]\ntype = "wecom"\nname = "街道群"\nurl = "ftp://example.org/hook"\n',
        encoding="utf-8",
    )
    book = zh_workbook(tmp_path)
    chinese = aidsync("check", "--workbook", str(book), cwd=tmp_path, env=zh())
    assert chinese.returncode == 2
    assert "通知「街道群」的 url 应以 https:// 开头（本机测试可用 http://）" in chinese.stderr
    english = aidsync("check", "--workbook", str(book), cwd=tmp_path)
    assert "notify '街道群': url should start with https://" in english.stderr


# -- Google Sheets through the emulator (sync/backends/gsheets/http.py, sheets.py) --------------


@pytest.fixture
def sheets() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emulator:
        yield emulator


def test_a_spreadsheet_not_shared_is_told_in_the_chosen_language(
    sheets: SheetsEmulator, tmp_path: Path
) -> None:
    key = tmp_path / "key.json"
    email = sheets.make_service_account_key(key)["client_email"]
    private = sheets.create_spreadsheet("私有", {"需求登记": []}, readers=["boss@example.com"])
    env = sheets_env(sheets, tmp_path / "state")
    where = ("check", "--spreadsheet", private, "--credentials", str(key))
    chinese = aidsync(*where, cwd=tmp_path, env=zh(env))
    assert chinese.returncode == 2, chinese.stderr
    assert "服务账号无权打开这个表格（403" in chinese.stderr
    assert "请把表格以「编辑者」身份共享给服务账号（它的地址是 key.json 里的 client_email）" in (
        chinese.stderr
    )
    english = aidsync(*where, cwd=tmp_path, env=env)
    assert "the service account may not open this spreadsheet (403" in english.stderr
    assert "share the spreadsheet with the service account" in english.stderr
    assert email not in chinese.stderr + english.stderr


def test_a_bad_spreadsheet_key_is_told_in_the_chosen_language(
    sheets: SheetsEmulator, tmp_path: Path
) -> None:
    key = tmp_path / "key.json"
    sheets.make_service_account_key(key)
    env = sheets_env(sheets, tmp_path / "state")
    where = ("check", "--spreadsheet", "not/a key", "--credentials", str(key))
    chinese = aidsync(*where, cwd=tmp_path, env=zh(env))
    assert chinese.returncode == 2
    assert "这个地址里没有表格键" in chinese.stderr or "不是表格键" in chinese.stderr
    english = aidsync(*where, cwd=tmp_path, env=env)
    assert "spreadsheet key" in english.stderr and not _CJK.search(english.stderr.split(":")[-1])


# -- Feishu (sync/backends/feishu/settings.py) --------------------------------------------------


def test_a_feishu_settings_error_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    with FeishuEmulator() as emulator:
        env = feishu_env(emulator, tmp_path / "state")
        wiki = "https://acme.feishu.cn/wiki/wikcn0123456789abc"
        chinese = aidsync("check", "--feishu", wiki, cwd=tmp_path, env=zh(env))
        english = aidsync(
            "check", "--feishu", wiki, cwd=tmp_path, env={**env, "AIDSYNC_LANG": "en"}
        )
        no_app = {k: v for k, v in env.items() if k != "AIDSYNC_FEISHU_APP_ID"}
        token = emulator.create_spreadsheet("互助", {"需求登记": []})
        missing_zh = aidsync("check", "--feishu", token, cwd=tmp_path, env=zh(no_app))
        missing_en = aidsync("check", "--feishu", token, cwd=tmp_path, env=no_app)
    assert chinese.returncode == english.returncode == 2
    assert "这不是飞书表格的链接或 token" in chinese.stderr and "obj_token" in chinese.stderr
    assert "is not a Feishu spreadsheet link or token" in english.stderr
    assert "没有飞书应用凭证：请设置 AIDSYNC_FEISHU_APP_ID" in missing_zh.stderr
    assert "no Feishu app credential: set AIDSYNC_FEISHU_APP_ID" in missing_en.stderr


# -- the workbook itself (sync/layout.py, sync/backends/xlsx/backend.py) ------------------------


def test_a_chinese_workbook_missing_a_tab_is_told_in_chinese_without_asking(tmp_path: Path) -> None:
    book = save_workbook(
        tmp_path / "互助.xlsx", {"需求登记": grid("requests", [request("王奶奶")])}
    )
    said = aidsync("sync", "--workbook", str(book), "--now", NOW, cwd=tmp_path)
    assert said.returncode == 2, said.stderr
    assert "没有写入任何内容，因为" in said.stderr and "工作簿里没有「志愿者」表" in said.stderr
    assert "aidsync init 会补上缺少的表和表头" in said.stderr
    english = aidsync("sync", "--workbook", str(book), "--now", NOW, cwd=tmp_path,
                      env={"AIDSYNC_LANG": "en"})  # fmt: skip
    assert "nothing was written because" in english.stderr
    assert "the workbook has no Volunteers tab" in english.stderr


def test_a_missing_workbook_says_how_to_create_it(tmp_path: Path) -> None:
    chinese = aidsync("sync", "--workbook", "无.xlsx", "--now", NOW, cwd=tmp_path, env=zh())
    assert chinese.returncode == 2
    assert "没有这个工作簿；请用 aidsync init --workbook" in chinese.stderr
    english = aidsync("sync", "--workbook", "none.xlsx", "--now", NOW, cwd=tmp_path)
    assert "no such workbook; create one with  aidsync init --workbook" in english.stderr


# -- the period report (sync/report/period.py) --------------------------------------------------


def test_a_bad_report_date_is_told_in_the_workbooks_language(tmp_path: Path) -> None:
    book = zh_workbook(tmp_path)
    said = aidsync("report", "--workbook", str(book), "--from", "2022-13-45", "--to", "2022-12-20",
                   "--now", NOW, cwd=tmp_path)  # fmt: skip
    assert said.returncode == 2, said.stderr
    assert "--from「2022-13-45」不是日期，请写成 2022-12-13" in said.stderr
    english = aidsync("report", "--workbook", str(book), "--from", "Dec 13", "--to",
                      "2022-12-20", "--now", NOW, cwd=tmp_path, env={"AIDSYNC_LANG": "en"})  # fmt: skip
    assert "--from 'Dec 13' is not a date: write it like 2022-12-13" in english.stderr


# -- the registry and the workbook definition ---------------------------------------------------


def test_which_workbook_names_every_way_in_both_languages() -> None:
    error = which_workbook()
    assert isinstance(error, ConfigError) and error.exit_code == 2
    chinese = error.text("zh")
    assert "--workbook 文件.xlsx（本机文件） 或 --spreadsheet 表格键" in chinese
    assert "--feishu 表格令牌或链接（飞书／Lark" in chinese and " or " not in chinese
    assert str(error).startswith("which workbook? pass --workbook PATH.xlsx (local) or ")


def test_a_workbook_definition_naming_an_unknown_list_is_worded() -> None:
    data: dict[str, Any] = yaml.safe_load((templates_dir() / "workbook.yaml").read_text("utf-8"))
    tab = next(t for t in data["tabs"] if t["key"] == "requests")
    column = next(c for c in tab["columns"] if c.get("choices"))
    column["choices"] = "urgencies"
    key = column["key"]
    with pytest.raises(ConfigError) as raised:
        parse_schema(data)
    assert raised.value.text("zh") == (
        f"workbook.yaml：列 requests.{key} 用了不存在的选项表「urgencies」"
    )
    assert str(raised.value) == (
        f"workbook.yaml: column requests.{key} names an unknown choice list 'urgencies'"
    )


# -- a message that did not arrive (sync/notify/send.py): the Log says why in its language -------


def test_a_failed_notification_is_logged_in_the_workbooks_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("T_UNSET_SECRET", raising=False)
    channels = parse_channels([{"name": "街道群", "type": "feishu", "url": "http://127.0.0.1:9/x",
                                "secret_env": "T_UNSET_SECRET"}], tmp_path)  # fmt: skip
    world = XlsxWorld(tmp_path, workbook([sheets_request("王秀英", urgency="紧急")],
                                         [sheets_volunteer("张伟")]))  # fmt: skip
    world.settings = dataclasses.replace(world.settings, notify=channels)
    result = world.run()
    [(_name, why)] = result.notified.failed
    assert why == "街道群 (feishu)：环境变量 T_UNSET_SECRET 没有设置"  # the command says it too
    logged = [" ".join(str(c) for c in row if c) for row in world.values(LOG)]
    assert any("街道群 (feishu)：环境变量 T_UNSET_SECRET 没有设置" in line for line in logged), (
        logged
    )
    assert not any("is not set" in line for line in logged)
