"""The `aidsync` command through its real entry point, on real .xlsx files."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
from builders import read_workbook, request, save_workbook, volunteer, zh_tabs
from shown import shown

NOW = "2022-12-20T15:00:00+08:00"
COMMANDS = ["init", "check", "sync", "run", "report", "status", "demo"]


def aidsync(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    full_env = {**os.environ, **(env or {})}
    full_env.pop("AIDSYNC_WORKBOOK", None)
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def column(rows: list[list[object]], header: str) -> list[object]:
    index = rows[0].index(header)
    return [r[index] if index < len(r) else None for r in rows[1:]]


def test_sample_workbook_assigns_urgent_living_alone_first_and_says_why(tmp_path: Path) -> None:
    book = tmp_path / "x.xlsx"
    made = aidsync("init", "--workbook", str(book), "--locale", "zh", "--sample", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    ran = aidsync("sync", "--workbook", str(book), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    rows = read_workbook(book)["需求登记"]
    households = column(rows, "家庭情况")
    urgency = column(rows, "紧急程度")
    notes = column(rows, "系统提示")
    statuses = column(rows, "状态")
    assigned_at = column(rows, "派单时间")
    priority = column(rows, "优先级")
    vulnerable = [i for i, h in enumerate(households)
                  if h in ("独居", "孤寡", "失独") and urgency[i] == "紧急" and shown(assigned_at[i]) == "2022-12-20 15:00"]  # fmt: skip
    assert len(vulnerable) >= 3
    for i in vulnerable:
        assert statuses[i] == "已派单"
        assert "紧急 +30" in str(notes[i]) and "派给" in str(notes[i])
        assert any(word in str(notes[i]) for word in ("独居 +50", "孤寡 +50", "失独 +50"))
    # the log lists assignments highest priority first
    log = read_workbook(book)["同步日志"]
    order = [r[1] for r in log[1:] if r[2] == "派单"]
    ids = column(rows, "编号")
    scores = [priority[ids.index(ref)] for ref in order]
    assert scores == sorted(scores, reverse=True)
    assert "13904121" not in "".join(str(c) for r in log for c in r)


def test_demo_runs_in_a_fresh_folder(tmp_path: Path) -> None:
    first = aidsync("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "派单" in first.stdout and "日报" in first.stdout
    assert (tmp_path / "aidsync-demo" / "互助登记.xlsx").is_file()
    second = aidsync("demo", "--locale", "en", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "aidsync-demo-2" / "mutual-aid.xlsx").is_file()
    assert "assigned to" in second.stdout or "assign" in second.stdout


def test_dry_run_lists_cells_and_writes_nothing(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    before = digest(book)
    out = aidsync("sync", "--workbook", str(book), "--now", NOW, "--dry-run")
    assert out.returncode == 0, out.stderr
    assert digest(book) == before
    assert "L2" in out.stdout and "「段珊珊」" in out.stdout  # a Chinese workbook's words
    assert "原因：派给 段珊珊" in out.stdout


def test_check_exit_codes(tmp_path: Path) -> None:
    good = save_workbook(tmp_path / "good.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    assert aidsync("check", "--workbook", str(good), "--now", NOW).returncode == 0
    flagged = save_workbook(tmp_path / "bad.xlsx",
                            zh_tabs([request("甲", phone="123")], [volunteer("段珊珊")]))  # fmt: skip
    out = aidsync("check", "--workbook", str(flagged), "--now", NOW)
    assert out.returncode == 1
    assert "电话号码无效" in out.stdout
    missing = aidsync("check", "--workbook", str(tmp_path / "none.xlsx"))
    assert missing.returncode == 2  # a workbook that does not exist is a setting to fix
    assert "aidsync init" in missing.stderr


def test_bad_rule_file_stops_before_anything_is_written(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "communities.yaml").write_text("communities:\n  - name: 创意社区\n", encoding="utf-8")
    (rules / "priority.yaml").write_text(
        'priority:\n  - name: x\n    when: urgncy == "urgent"\n    points: 3\n', encoding="utf-8"
    )
    before = digest(book)
    out = aidsync("sync", "--workbook", str(book), "--rules", str(rules), "--now", NOW)
    assert out.returncode == 2
    assert "priority.yaml 第 3 行" in out.stderr and "urgency" in out.stderr  # a Chinese book
    assert "Traceback" not in out.stderr
    assert digest(book) == before


def test_missing_required_column_exits_2_naming_it(tmp_path: Path) -> None:
    tabs = zh_tabs([request("甲")], [volunteer("段珊珊")])
    tabs["需求登记"] = [row[:3] + row[4:] for row in tabs["需求登记"]]
    book = save_workbook(tmp_path / "w.xlsx", tabs)
    before = digest(book)
    out = aidsync("sync", "--workbook", str(book), "--now", NOW)
    assert out.returncode == 2
    assert "联系电话" in out.stderr and "Traceback" not in out.stderr
    assert digest(book) == before


def test_second_pass_while_one_holds_the_lock_exits_3(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    with filelock.FileLock(str(tmp_path / ".w.xlsx.aidsync-lock")):
        out = aidsync("sync", "--workbook", str(book), "--now", NOW)
    assert out.returncode == 3
    assert "another aidsync pass is running" in out.stderr


def test_office_lock_exits_1_and_says_so(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    (tmp_path / ".~lock.w.xlsx#").write_text("x")
    out = aidsync("sync", "--workbook", str(book), "--now", NOW)
    assert out.returncode == 1
    assert "正在办公软件里打开" in out.stderr  # the workbook's language


def test_report_prints_summary_and_daily_report(tmp_path: Path) -> None:
    book = tmp_path / "x.xlsx"
    aidsync("init", "--workbook", str(book), "--sample")
    out = aidsync("report", "--workbook", str(book), "--now", NOW)
    assert out.returncode == 0, out.stderr
    assert "重工街道2022-12-20互助日报" in out.stdout
    assert "按社区" in out.stdout


def test_settings_from_environment_and_aidsync_toml(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    (tmp_path / "aidsync.toml").write_text('[aidsync]\nworkbook = "w.xlsx"\n', encoding="utf-8")
    out = aidsync("sync", "--now", NOW, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert column(read_workbook(book)["需求登记"], "状态") == ["已派单"]
    bad = aidsync("sync", "--now", NOW, env={"AIDSYNC_TIMEZONE": "Mars/Base"}, cwd=tmp_path)
    assert bad.returncode == 2 and "unknown time zone" in bad.stderr
    none = aidsync("sync", cwd=tmp_path / "..")
    assert none.returncode == 2 and "which workbook" in none.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str) -> None:
    out = aidsync(command, "--help")
    assert out.returncode == 0
    assert "Example" in out.stdout


def test_run_finishes_the_pass_in_flight_on_sigterm(tmp_path: Path) -> None:
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    with subprocess.Popen(
        [sys.executable, "-m", "sync", "run", "--workbook", str(book), "--every", "1s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 60
            seen = ""
            while "已写入" not in seen and "没有需要写入" not in seen:  # a Chinese workbook
                seen += proc.stdout.readline()
                assert time.monotonic() < deadline, seen
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
            assert proc.stderr is not None
            assert "收到信号 15：本轮同步完成后停止" in proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert column(read_workbook(book)["需求登记"], "状态") == ["已派单"]


def test_help_loads_no_backend_and_offers_every_backends_flags() -> None:
    """Backends are imported when a workbook of their kind is opened, not for --help."""
    script = (
        "import sys\nfrom sync.cli import cli\n"
        "try:\n    cli.main(['sync', '--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m == 'gspread' or m.startswith('sync.backends.')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--workbook" in out.stdout and "--spreadsheet" in out.stdout
    assert "GOOGLE_APPLICATION_CREDENTIALS" in out.stdout
    loaded = out.stdout.strip().splitlines()[-1]
    assert "gspread" not in loaded and "gsheets" not in loaded and "xlsx" not in loaded, loaded


def test_backend_options_come_from_the_environment_and_aidsync_toml(tmp_path: Path) -> None:
    from sync.config import load_settings
    from sync.errors import ConfigError

    config = tmp_path / "aidsync.toml"
    config.write_text('[aidsync]\nspreadsheet = "1AbCdEfGhIjKlMnOp"\nrequest_timeout = 7\n')
    env = {"GOOGLE_APPLICATION_CREDENTIALS": "key.json", "AIDSYNC_SHEETS_ENDPOINT": "http://x"}
    settings = load_settings({}, environ=env, cwd=tmp_path)
    assert settings.spreadsheet == "1AbCdEfGhIjKlMnOp" and settings.request_timeout == 7.0
    assert settings.credentials == tmp_path / "key.json"
    assert settings.sheets_endpoint == "http://x" and settings.workbook is None
    (tmp_path / "elsewhere").mkdir()
    flagged = load_settings({"workbook": "w.xlsx"}, environ={}, cwd=tmp_path / "elsewhere")
    assert flagged.workbook == tmp_path / "elsewhere" / "w.xlsx"
    assert flagged.request_timeout == 30.0 and flagged.spreadsheet is None
    with pytest.raises(ConfigError, match="not both"):
        load_settings({"workbook": "w.xlsx"}, environ={}, cwd=tmp_path)


def test_check_names_a_misspelt_backup_team_in_the_workbooks_language(tmp_path: Path) -> None:
    import shutil

    from sync.resources import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    escalation = rules / "escalation.yaml"
    text = escalation.read_text(encoding="utf-8")
    escalation.write_text(text.replace("党员先锋队", "党员先峰队"), encoding="utf-8")
    book = save_workbook(
        tmp_path / "w.xlsx",
        zh_tabs([request("甲", volunteer="小王")], [volunteer("段珊珊", team="党员先锋队")]),
    )
    out = aidsync("check", "--workbook", str(book), "--rules", str(rules), "--now", NOW)
    assert "后备团队「党员先峰队」" in out.stdout and "是不是「党员先锋队」" in out.stdout
    assert "「小王」" in out.stdout  # a claim by a name not on the roster
    assert "规则：" in out.stdout  # the command's own words follow the Chinese workbook
    english = aidsync("--lang", "en", "check", "--workbook", str(book), "--rules", str(rules),
                      "--now", NOW)  # fmt: skip
    assert "the backup team '党员先峰队'" in english.stdout and "Rules:" in english.stdout


def test_a_rule_file_slip_is_named_in_the_chosen_language(tmp_path: Path) -> None:
    import shutil

    from sync.resources import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    assignment = rules / "assignment.yaml"
    lines = assignment.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "default_max_open:" in line)
    lines[number - 1] = lines[number - 1].replace("default_max_open:", "default_max_open：")
    assignment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = save_workbook(tmp_path / "w.xlsx", zh_tabs([request("甲")], [volunteer("段珊珊")]))
    out = aidsync("sync", "--workbook", str(book), "--rules", str(rules), "--now", NOW,
                  env={"AIDSYNC_LANG": "zh"})  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.startswith("错误：") and f"第 {number} 行" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_and_dry_run_show_what_each_new_inbox_message_becomes(tmp_path: Path) -> None:
    from builders import grid

    tabs = zh_tabs([], [volunteer("段珊珊")])
    tabs["群消息"] = grid("inbox", [{"message": "能帮我们买点退烧药吗?家里没有了。"},
                                    {"message": "收到，谢谢"}])  # fmt: skip
    book = save_workbook(tmp_path / "w.xlsx", tabs)
    before = digest(book)
    check = aidsync("check", "--workbook", str(book), "--now", NOW)
    assert "群消息：2 条新消息" in check.stdout
    assert "物品明细「退烧药」" in check.stdout and "不生成需求" in check.stdout
    dry = aidsync("sync", "--workbook", str(book), "--now", NOW, "--dry-run")
    assert dry.returncode == 0 and "试运行：没有写入" in dry.stdout
    assert "物品明细「退烧药」" in dry.stdout
    assert digest(book) == before
    aidsync("sync", "--workbook", str(book), "--now", NOW)
    made = read_workbook(book)["需求登记"]
    assert [row[0] for row in made[1:]] == ["R-0001"]  # one request; the thanks made none


def test_init_in_a_folder_without_rules_copies_them_and_says_what_to_edit(tmp_path: Path) -> None:
    out = aidsync("init", "--workbook", "aid.xlsx", "--locale", "zh", cwd=tmp_path,
                  env={"AIDSYNC_RULES": ""})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "rules" / "communities.yaml").is_file()
    assert "communities.yaml" in out.stdout and "report.yaml" in out.stdout
    mine = tmp_path / "rules" / "communities.yaml"
    mine.write_text("communities:\n  - name: 幸福社区\n", encoding="utf-8")
    again = aidsync("init", "--workbook", "other.xlsx", cwd=tmp_path, env={"AIDSYNC_RULES": ""})
    assert again.returncode == 0 and "communities.yaml" not in again.stdout
    assert (
        mine.read_text(encoding="utf-8") == "communities:\n  - name: 幸福社区\n"
    )  # never overwritten


def test_a_damaged_workbook_exits_2_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    out = aidsync("sync", "--workbook", str(broken), "--now", NOW)
    assert out.returncode == 2 and "broken.xlsx" in out.stderr
    assert "Traceback" not in out.stderr
