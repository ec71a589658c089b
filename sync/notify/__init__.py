"""Notifications: tell people what a pass decided, in their group chat or by e-mail, once.

config.py   [[notify]] tables from aidsync.toml → Channel (secrets by reference only)
render.py   templates/messages/{kind}.{zh,en}.txt → Message (Jinja2 sandbox)
send.py     one message to one channel: webhook, WeCom, DingTalk, Feishu, Slack, SMTP
outbox.py   what the Log records as sent or failed; the local journal for the crash window
notifier.py after a written pass: due → send → journal → one Log append
The events themselves are derived in sync/events.py (pure).
"""

from sync.notify.config import Channel, parse_channels
from sync.notify.notifier import NotifyReport, deliver, pending, preview, with_health

__all__ = [
    "Channel",
    "NotifyReport",
    "deliver",
    "parse_channels",
    "pending",
    "preview",
    "with_health",
]
