"""Notifications: payloads and signatures per service, e-mail, and exactly-once across crashes.

Every pass here runs through sync.worker.run_pass on a real .xlsx file or on the Sheets emulator
(real gspread), with channels pointing at a loopback receiver (notify_fixtures.Receiver) that
checks each request the way the service documents it.
"""

from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import hashlib
import hmac
import socket
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from gsheets_fixtures import (
    LOG,
    NOW,
    SCHEMA,
    SUMMARY,
    TZ,
    World,
    XlsxWorld,
    request,
    volunteer,
    workbook,
)
from notify_fixtures import (
    DING_SECRET,
    FEISHU_SECRET,
    WEBHOOK_SECRET,
    WECOM_KEY,
    Receiver,
)

import sync.notify.notifier as deliver_module
from sync.errors import ConfigError, WorkbookBusy
from sync.events import event_id, request_events
from sync.notify import Channel, parse_channels
from sync.notify.outbox import journal_for
from sync.notify.send import dingtalk_sign, feishu_sign

NOTIFIED = "已通知"


class Crash(BaseException):
    """The process dying at a chosen moment (not an Exception: nothing catches it)."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_DING_SECRET", DING_SECRET)
    monkeypatch.setenv("T_FEISHU_SECRET", FEISHU_SECRET)
    monkeypatch.setenv("T_WEBHOOK_SECRET", WEBHOOK_SECRET)


def story() -> dict[str, list[list[Any]]]:
    """One urgent request to assign, one nobody can take (escalated), one late delivery."""
    return workbook(
        [
            request(
                "王秀英",
                household="独居",
                urgency="紧急",
                category="药品",
                items="布洛芬",
                phone="13840001001",
                address="海兴花园2号楼3单元",
            ),
            request(
                "李建国", community="兴华社区", submitted_at="2022-12-20 13:00", phone="13840001002"
            ),
            request(
                "赵桂兰",
                volunteer="张伟",
                status="已派单",
                assigned_at="2022-12-20 08:00",
                submitted_at="2022-12-20 07:30",
                phone="13840001003",
            ),
        ],
        [volunteer("张伟"), volunteer("孙丽", team="乐园志愿队", communities="乐园社区")],
    )


def channels(receiver: Receiver, *tables: dict[str, Any]) -> tuple[Channel, ...]:
    return parse_channels(list(tables), Path("."))


def webhook(receiver: Receiver, **extra: Any) -> dict[str, Any]:
    return {"name": "hook", "type": "webhook", "url": receiver.url("webhook"),
            "secret_env": "T_WEBHOOK_SECRET", **extra}  # fmt: skip


def with_channels(world: World, chans: tuple[Channel, ...]) -> World:
    world.settings = dataclasses.replace(world.settings, notify=chans)
    return world


def notified_lines(world: World) -> list[list[Any]]:
    return [row for row in world.values(LOG) if len(row) > 2 and row[2] == NOTIFIED]


# -- payloads and signatures, one service at a time --------------------------------------------


@pytest.mark.parametrize("service", ["webhook", "wecom", "dingtalk", "feishu", "slack"])
def test_each_service_accepts_the_payload_and_signature(
    service: str, receiver: Receiver, tmp_path: Path
) -> None:
    table: dict[str, Any] = {"name": service, "type": service, "url": receiver.url(service)}
    table.update({"webhook": {"secret_env": "T_WEBHOOK_SECRET"},
                  "dingtalk": {"secret_env": "T_DING_SECRET"},
                  "feishu": {"secret_env": "T_FEISHU_SECRET"}}.get(service, {}))  # fmt: skip
    world = with_channels(XlsxWorld(tmp_path, story()), channels(receiver, table))
    result = world.run()
    assert receiver.refused == []
    kinds = sorted(s.event.split(":")[0] for s in result.notified.sent)
    assert kinds == ["assignment", "escalation", "reminder"]  # the report waits for 18:00
    texts = [r.text for r in receiver.accepted]
    assert len(texts) == 3
    assignment = next(t for t in texts if "新派单" in t)
    assert "布洛芬" in assignment and "创意社区" in assignment and "张伟" in assignment
    assert "138****1001" in assignment and "13840001001" not in assignment  # not a private chat
    assert "海兴花园…" in assignment and "3单元" not in assignment
    assert any("待协调" in t and "兴华社区" in t for t in texts)
    assert any("催送达" in t and "6小时未送达" in t for t in texts)


def test_wecom_markdown_and_dingtalk_markdown(receiver: Receiver, tmp_path: Path) -> None:
    chans = channels(
        receiver,
        {"name": "wx", "type": "wecom", "url": receiver.url("wecom"), "msgtype": "markdown"},
        {"name": "dd", "type": "dingtalk", "url": receiver.url("dingtalk"), "msgtype": "markdown",
         "secret_env": "T_DING_SECRET"},
    )  # fmt: skip
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    world.run()
    assert receiver.refused == []
    assert {r.body["msgtype"] for r in receiver.accepted} == {"markdown"}
    assert len(receiver.accepted) == 6


def test_signatures_follow_the_documented_steps() -> None:
    # DingTalk: HmacSHA256(key=secret, msg=timestamp + "\n" + secret), then Base64
    digest = hmac.new(b"this is secret", b"1577262236757\nthis is secret", hashlib.sha256)
    assert (
        dingtalk_sign("this is secret", 1577262236757) == base64.b64encode(digest.digest()).decode()
    )
    # Feishu: HmacSHA256(key=timestamp + "\n" + secret, msg=""), then Base64
    digest = hmac.new(b"1599360473\ndemo", b"", hashlib.sha256)
    assert feishu_sign("demo", 1599360473) == base64.b64encode(digest.digest()).decode()


def test_a_refused_signature_is_a_failure_not_a_send(
    receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("T_DING_SECRET", "SECwrong")
    chans = channels(receiver, {"name": "dd", "type": "dingtalk", "url": receiver.url("dingtalk"),
                                "secret_env": "T_DING_SECRET"})  # fmt: skip
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    result = world.run()
    assert result.notified.sent == ()
    [(name, why)] = result.notified.failed
    assert name == "dd" and "310000" in why
    assert "SECwrong" not in why and DING_SECRET not in why
    assert notified_lines(world) == []
    failed = [r for r in world.values(LOG) if len(r) > 2 and r[2] == "通知失败"]
    assert len(failed) == 1 and "3 条未发出" in failed[0][4]


def test_errors_never_show_the_url_key_or_a_secret(
    receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver.down.add("wecom")
    chans = channels(receiver, {"name": "wx", "type": "wecom", "url": receiver.url("wecom")})
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    result = world.run()
    [(_name, why)] = result.notified.failed
    assert "503" in why and WECOM_KEY not in why
    assert all(WECOM_KEY not in str(v) for row in world.values(LOG) for v in row)


def test_missing_secret_is_a_clear_failure(
    receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("T_FEISHU_SECRET")
    chans = channels(receiver, {"name": "fs", "type": "feishu", "url": receiver.url("feishu"),
                                "secret_env": "T_FEISHU_SECRET"})  # fmt: skip
    result = with_channels(XlsxWorld(tmp_path, story()), chans).run()
    [(_name, why)] = result.notified.failed
    assert "环境变量 T_FEISHU_SECRET 没有设置" in why  # in the workbook's language


def test_a_silent_service_times_out(receiver: Receiver, tmp_path: Path) -> None:
    receiver.slow.add("slack")
    chans = channels(receiver, {"name": "sl", "type": "slack", "url": receiver.url("slack"),
                                "timeout": 0.3})  # fmt: skip
    result = with_channels(XlsxWorld(tmp_path, story()), chans).run()
    [(_name, why)] = result.notified.failed
    assert "在 0.3 秒内没有回答" in why


# -- who gets what -------------------------------------------------------------------------------


def test_private_channel_gets_full_details_and_filters_apply(
    receiver: Receiver, tmp_path: Path
) -> None:
    chans = channels(receiver, webhook(receiver, private=True, teams=["向日葵能量团"],
                                       events=["assignment"]))  # fmt: skip
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    world.run()
    [message] = receiver.accepted
    assert "13840001001" in message.text and "海兴花园2号楼3单元" in message.text
    assert message.body["fields"]["phone"] == "13840001001"


def test_daily_report_once_a_day_after_its_time(receiver: Receiver, tmp_path: Path) -> None:
    chans = channels(receiver, webhook(receiver, events=["report"], report_at="18:00"))
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    world.run(NOW)
    assert receiver.ids() == []
    world.run(NOW.replace(hour=18, minute=5))
    world.run(NOW.replace(hour=18, minute=10))
    assert receiver.ids() == ["report:2022-12-20"]
    assert "互助日报" in receiver.accepted[0].text
    world.run(NOW.replace(hour=18, minute=5) + timedelta(days=1))
    assert receiver.ids() == ["report:2022-12-20", "report:2022-12-21"]


def test_without_report_at_the_report_goes_when_the_rules_daily_at_releases_it(
    receiver: Receiver, tmp_path: Path
) -> None:
    """rules/report.yaml ships daily_at 18:00: the pass that records the report sends it."""
    chans = channels(receiver, webhook(receiver, events=["report"]))
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    world.run(NOW.replace(hour=17, minute=55))
    assert receiver.ids() == []
    world.run(NOW.replace(hour=18, minute=1))
    world.run(NOW.replace(hour=18, minute=6))
    assert receiver.ids() == ["report:2022-12-20"]


def test_english_channel_and_old_decisions_beyond_catch_up(
    receiver: Receiver, tmp_path: Path
) -> None:
    world = XlsxWorld(tmp_path, story())
    world.run()  # no channel yet: decisions are logged, nothing is sent
    late = channels(receiver, webhook(receiver, name="late", catch_up_hours=0.5,
                                      events=["assignment", "escalation"]))  # fmt: skip
    with_channels(world, late).run(NOW + timedelta(hours=2))
    assert receiver.accepted == []  # decisions two hours old are past this channel's catch-up
    chans = channels(receiver, webhook(receiver, locale="en", catch_up_hours=3))
    with_channels(world, chans).run(NOW + timedelta(hours=2, minutes=5))
    texts = [r.text for r in receiver.accepted]
    assert len(texts) >= 3 and all(t.startswith("[") for t in texts)  # English templates


# -- exactly once ----------------------------------------------------------------------------------


def test_rerun_sends_nothing_twice(make: Any, receiver: Receiver) -> None:
    world = with_channels(make(story()), channels(receiver, webhook(receiver)))
    world.run()
    first = receiver.ids()
    assert len(first) == 3
    world.run()
    world.run(NOW + timedelta(minutes=5))
    assert receiver.ids() == first
    recorded = notified_lines(world)
    assert sorted(r[4] for r in recorded) == sorted(first)
    assert all(r[3] == "hook" for r in recorded)


def die(*args: Any, **kwargs: Any) -> None:
    raise Crash


def test_crash_after_the_write_before_sending_skips_nothing(make: Any, receiver: Receiver) -> None:
    world = with_channels(make(story()), channels(receiver, webhook(receiver)))
    with pytest.MonkeyPatch.context() as mp, pytest.raises(Crash):
        mp.setattr(deliver_module, "send", die)
        world.run()
    assert receiver.ids() == [] and notified_lines(world) == []
    world.run(NOW + timedelta(minutes=5))  # the decisions are already written: none is re-planned
    assert len(receiver.ids()) == 3  # ... and none is lost: the Log is the outbox
    world.run(NOW + timedelta(minutes=10))
    assert len(receiver.ids()) == 3


def test_crash_between_sending_and_the_log_write_never_sends_twice(
    make: Any, receiver: Receiver
) -> None:
    world = with_channels(make(story()), channels(receiver, webhook(receiver)))
    with pytest.MonkeyPatch.context() as mp, pytest.raises(Crash):
        mp.setattr(type(world.backend), "append_log", die)
        world.run()
    sent = receiver.ids()
    assert len(sent) == 3 and notified_lines(world) == []
    world.run(NOW + timedelta(minutes=5))
    assert receiver.ids() == sent  # the journal said they went: not sent again
    assert sorted(r[4] for r in notified_lines(world)) == sorted(sent)  # and now recorded
    assert not journal_for(world.backend.lock_path()).path.exists()
    world.run(NOW + timedelta(minutes=10))
    assert receiver.ids() == sent


def test_crash_in_the_middle_of_sending_sends_the_rest_once(make: Any, receiver: Receiver) -> None:
    world = with_channels(make(story()), channels(receiver, webhook(receiver)))
    real = deliver_module.send
    calls: list[int] = []

    def second_dies(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise Crash
        real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp, pytest.raises(Crash):
        mp.setattr(deliver_module, "send", second_dies)
        world.run()
    assert len(receiver.ids()) == 1
    world.run(NOW + timedelta(minutes=5))
    ids = receiver.ids()
    assert len(ids) == 3 and len(set(ids)) == 3
    assert sorted(r[4] for r in notified_lines(world)) == sorted(ids)


def test_the_documented_window_journal_lost_means_a_second_send(
    receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At-least-once, honestly: if the journal is lost too (another machine, wiped state) after
    a crash between the send and the Log write, the rerun sends those messages again."""
    world = with_channels(XlsxWorld(tmp_path, story()), channels(receiver, webhook(receiver)))
    with pytest.MonkeyPatch.context() as mp, pytest.raises(Crash):
        mp.setattr(type(world.backend), "append_log", die)
        world.run()
    journal_for(world.backend.lock_path()).path.unlink()
    world.run(NOW + timedelta(minutes=5))
    ids = receiver.ids()
    assert len(ids) == 6 and len(set(ids)) == 3  # each sent twice, and the receiver can tell
    # (the generic webhook's Idempotency-Key lets a receiver drop the second copy)


def test_log_unwritable_keeps_the_journal_and_the_next_pass_records(
    receiver: Receiver, tmp_path: Path
) -> None:
    world = with_channels(XlsxWorld(tmp_path, story()), channels(receiver, webhook(receiver)))

    def busy(*args: Any, **kwargs: Any) -> None:
        raise WorkbookBusy("the file is open in an office suite")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(type(world.backend), "append_log", busy)
        result = world.run()
    assert "office suite" in result.notified.record_error
    world.run(NOW + timedelta(minutes=5))
    assert len(receiver.ids()) == 3
    assert len(notified_lines(world)) == 3


def test_failing_channel_retries_and_shows_in_the_summary(make: Any, receiver: Receiver) -> None:
    world = with_channels(make(story()), channels(receiver, webhook(receiver)))
    receiver.down.add("webhook")
    for minutes in (0, 5, 10, 15):
        world.run(NOW + timedelta(minutes=minutes))
    summary = [" ".join(str(c) for c in row) for row in world.values(SUMMARY)]
    assert any("hook" in line and "连续 3 轮发送失败" in line for line in summary), summary
    assert receiver.ids() == []
    receiver.down.clear()
    world.run(NOW + timedelta(minutes=20))
    assert len(receiver.ids()) == 3
    world.run(NOW + timedelta(minutes=25))
    summary = [" ".join(str(c) for c in row) for row in world.values(SUMMARY)]
    assert any("hook" in line and "正常" in line for line in summary), summary
    assert len(receiver.ids()) == 3


def test_max_per_pass_leaves_the_rest_for_the_next_pass(receiver: Receiver, tmp_path: Path) -> None:
    world = with_channels(XlsxWorld(tmp_path, story()),
                          channels(receiver, webhook(receiver, max_per_pass=2)))  # fmt: skip
    first = world.run()
    assert len(receiver.ids()) == 2 and first.notified.left == 1
    world.run(NOW + timedelta(minutes=5))
    assert len(set(receiver.ids())) == 3 and len(receiver.ids()) == 3


def test_dry_run_lists_and_sends_nothing(receiver: Receiver, tmp_path: Path) -> None:
    from sync.worker import run_pass

    world = with_channels(XlsxWorld(tmp_path, story()), channels(receiver, webhook(receiver)))
    world.run()  # decisions written and sent
    receiver.accepted.clear()
    world.edit("需求登记", lambda rows: rows.append([None, None, "钱大妈", "13840001009", "创意社区",
                                                    "海兴花园1号楼", "独居", "药品", "布洛芬", "紧急"]))  # fmt: skip
    dry = run_pass(world.backend, world.settings, NOW + timedelta(minutes=5), dry_run=True,
                   schema=SCHEMA)  # fmt: skip
    assert [o.event.kind for o in dry.notified.pending] == ["assignment"]
    assert receiver.accepted == []


# -- events --------------------------------------------------------------------------------------


def test_event_ids_are_the_same_on_a_rerun(tmp_path: Path) -> None:
    world = XlsxWorld(tmp_path, story())
    result = world.run()
    from sync.notify.notifier import written_log

    fresh = request_events(result.snapshot, result.plan, written_log(result.plan, result.applied,
                           result.snapshot), (), SCHEMA, TZ, NOW)  # fmt: skip
    again = world.run(NOW + timedelta(minutes=1))
    reread = request_events(again.snapshot, again.plan, [], (), SCHEMA, TZ, NOW)
    assert {e.id for e in fresh} == {e.id for e in reread}
    assert event_id("assignment", "R-0001", "2022-12-20 15:00") == "assignment:R-0001:202212201500"


# -- e-mail ---------------------------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
    ok = isinstance(auth, LoginPassword) and auth.login == b"office" and auth.password == b"pw-1"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_require_tls=False)  # fmt: skip
    controller.start()
    yield inbox, port
    controller.stop()


def test_smtp_sends_one_mail_per_event_with_login(
    smtp_server: tuple[_Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    secret = tmp_path / "smtp-password"
    secret.write_text("pw-1\n")
    chans = parse_channels([{"name": "mail", "type": "smtp", "host": "127.0.0.1", "port": port,
                             "starttls": False, "username": "office", "password_file": str(secret),
                             "sender": "aidsync@example.org", "to": ["coordinator@example.org"],
                             "events": ["escalation"]}], tmp_path)  # fmt: skip
    world = with_channels(XlsxWorld(tmp_path, story()), chans)
    world.run()
    world.run(NOW + timedelta(minutes=5))
    [mail] = inbox.messages
    assert "待协调" in mail["Subject"] and mail["To"] == "coordinator@example.org"
    assert mail["Message-ID"].endswith("@aidsync>")
    assert mail["X-Aidsync-Event"].startswith("escalation:")
    assert "兴华社区" in mail.get_content()


def test_smtp_wrong_password_fails_clearly(
    smtp_server: tuple[_Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inbox, port = smtp_server
    monkeypatch.setenv("T_SMTP", "not-it")
    chans = parse_channels([{"type": "smtp", "host": "127.0.0.1", "port": port, "starttls": False,
                             "username": "office", "password_env": "T_SMTP", "sender": "a@b.org",
                             "to": "c@d.org"}], tmp_path)  # fmt: skip
    result = with_channels(XlsxWorld(tmp_path, story()), chans).run()
    [(_name, why)] = result.notified.failed
    assert "邮件服务器不接受用户名或密码" in why and "not-it" not in why


# -- settings -------------------------------------------------------------------------------------


def test_settings_file_channels(tmp_path: Path) -> None:
    from sync.config import load_settings

    (tmp_path / "aidsync.toml").write_text(
        '[aidsync]\nworkbook = "aid.xlsx"\n\n'
        '[[aidsync.notify]]\nname = "向日葵群"\ntype = "wecom"\nurl_env = "WECOM_URL"\n'
        'teams = ["向日葵能量团"]\nevents = ["assignment", "reminder"]\n\n'
        '[[aidsync.notify]]\ntype = "dingtalk"\nurl = "https://oapi.dingtalk.com/robot/send?access_token=x"\n'
        'secret_file = "ding.secret"\nevents = ["escalation", "report"]\nreport_at = "19:30"\n',
        encoding="utf-8",
    )
    settings = load_settings({}, environ={}, cwd=tmp_path)
    wecom, ding = settings.notify
    assert wecom.name == "向日葵群" and wecom.teams == {"向日葵能量团"}
    assert ding.name == "dingtalk-2" and ding.secret.file == tmp_path / "ding.secret"
    assert ding.report_at.hour == 19


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"type": "pager", "url": "https://x"}, "use one of webhook"),
        ({"type": "dingtalk", "url": "https://x", "secret": "SEC123"}, "secrets are not written"),
        ({"type": "slack"}, "give the robot's webhook address"),
        ({"type": "wecom", "url": "https://x", "events": ["gossip"]}, "unknown event"),
        ({"type": "smtp", "host": "mail"}, "needs host, sender and to"),
        ({"type": "feishu", "url": "https://x", "report_at": "25:00"}, "write it like"),
    ],
)
def test_bad_channel_settings_say_what_to_fix(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_channels([table], Path("."))
    assert "SEC123" not in str(info.value)


def test_top_level_notify_tables_beside_aidsync(tmp_path: Path) -> None:
    from sync.config import load_settings

    text = '[aidsync]\nworkbook = "a.xlsx"\n\n[[notify]]\ntype = "slack"\nurl_env = "SLACK_URL"\n'
    tomllib.loads(text)
    (tmp_path / "aidsync.toml").write_text(text, encoding="utf-8")
    [slack] = load_settings({}, environ={}, cwd=tmp_path).notify
    assert slack.kind == "slack" and slack.url is None


# -- through the command ---------------------------------------------------------------------------


def test_demo_previews_the_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sync.demo import run_demo

    run_demo(tmp_path / "demo", "zh")
    out = capsys.readouterr().out
    assert "本轮会发出" in out and "一条也没发" in out
    assert "【新派单】" in out and "138****" in out


def test_sync_command_dry_run_lists_then_sync_sends(receiver: Receiver, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from builders import save_workbook

    save_workbook(tmp_path / "aid.xlsx", story())
    (tmp_path / "aidsync.toml").write_text(
        f'[aidsync]\nworkbook = "aid.xlsx"\nstate_dir = "state"\n\n[[notify]]\nname = "hook"\n'
        f'type = "webhook"\nurl = "{receiver.url("webhook")}"\nsecret_env = "T_WEBHOOK_SECRET"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDSYNC_")}
    command = [sys.executable, "-m", "sync", "sync", "--now", "2022-12-20T15:00:00+08:00"]
    dry = subprocess.run([*command, "--dry-run"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("将通知 hook") == 3 and receiver.accepted == []
    real = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert real.returncode == 0, real.stderr
    assert "已发送 3 条通知（hook 3 条）" in real.stdout
    assert len(receiver.ids()) == 3 and WEBHOOK_SECRET not in real.stdout + real.stderr


def test_a_recurring_occurrence_is_announced_by_the_pass_that_opens_it(
    make: Any, receiver: Receiver
) -> None:
    """The occurrence a pass appends and assigns is announced by that same pass, once."""
    origin = request("赵桂兰", id="R-0001", submitted_at="2022-12-13 09:00", household="独居",
                     repeat="每周一", volunteer="张伟", status="已送达",
                     assigned_at="2022-12-13 09:05", delivered_at="2022-12-13 10:00")  # fmt: skip
    world = with_channels(
        make(workbook([origin], [volunteer("张伟")])), channels(receiver, webhook(receiver))
    )
    first = world.run()
    assert [r.id for r in first.plan.new_rows] == ["R-0001/2022-12-19"]
    sent = [r.body for r in receiver.accepted if r.service == "webhook"]
    assert [b["kind"] for b in sent] == ["assignment"]
    assert "R-0001/2022-12-19" in sent[0]["subject"] + sent[0]["text"]
    world.run()  # a second pass at the same moment sends nothing more
    assert len(receiver.ids()) == 1


def test_the_demo_previews_the_daily_report_only_once_it_is_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample afternoon's pass runs at 15:00 and the rules send the report at 18:00."""
    from sync.demo import run_demo

    run_demo(tmp_path / "demo", "zh")
    out = capsys.readouterr().out
    assert "【互助日报】" not in out
    assert "【新派单】" in out
