"""Which spreadsheet and which app: --feishu TOKEN|URL and the app credential (no requests)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sync.backends import Configured
from sync.backends.feishu.http import AppCredential
from sync.errors import ConfigError
from sync.messages import say
from sync.schema import Locale

_TOKEN = re.compile(r"^[A-Za-z0-9]{10,64}$")
_HOSTS = (".feishu.cn", ".larksuite.com", ".larkoffice.com", ".feishu-pre.cn")


def spreadsheet_token(text: str, locale: Locale = "zh") -> str:
    """The spreadsheet token in a token or a link (https://<tenant>.feishu.cn/sheets/<token>,
    https://<tenant>.larksuite.com/sheets/<token>)."""
    text = text.strip()
    if "/" in text or text.lower().startswith("http"):
        parts = urlsplit(text if "://" in text else f"https://{text}")
        host = (parts.hostname or "").lower()
        segments = [s for s in parts.path.split("/") if s]
        if (
            host.endswith(_HOSTS)
            and len(segments) >= 2
            and segments[-2] == "sheets"
            and _TOKEN.match(segments[-1])
        ):
            return segments[-1]
        raise ConfigError.worded("feishu_bad_token", text=repr(text))
    if not _TOKEN.match(text):
        raise ConfigError.worded("feishu_bad_token", text=repr(text))
    return text


def load_credential(settings: Configured, locale: Locale = "zh") -> AppCredential:
    """The app id and secret: AIDSYNC_FEISHU_APP_SECRET, or the file it names; never quoted."""
    app_id = (settings.option("feishu_app_id") or "").strip()
    secret = (settings.option("feishu_app_secret") or "").strip()
    path = settings.option("feishu_secret_file")
    if not secret and path is not None:
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            # before any read the workbook's language is unknown: the CLI picks the language
            code = "feishu_no_such_file" if isinstance(exc, FileNotFoundError) else ""
            strerror = exc.strerror if isinstance(exc, OSError) and exc.strerror else ""
            reasons = {
                f"reason_{lang}": say(lang, code or "feishu_unreadable") if code or not strerror
                else strerror
                for lang in ("zh", "en")
            }  # fmt: skip
            raise ConfigError.worded("feishu_secret_file", path=path, **reasons) from None
    if not app_id or not secret:
        raise ConfigError.worded("feishu_no_app")
    return AppCredential(app_id, secret)
