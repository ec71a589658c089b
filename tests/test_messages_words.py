"""The catalogue's own texts: Chinese punctuation in Chinese, plurals in English."""

from __future__ import annotations

import re

import pytest

from sync.messages import CATALOG, Plural, say

# what may keep ASCII punctuation inside a Chinese text: fields, what people type (「…」 and
# "…"), links, [[tables]] of aidsync.toml, and tokens such as 08:00-20:00, 5,000,000,
# sheets:spreadsheet or http(s)
_ALLOWED = [
    r"\{[a-z_]+\}",
    r"「[^」]*」",
    r'"[^"]*"',
    r"https?://\S+",
    r"\[\[[a-z_.]+\]\]",
    r"[A-Za-z0-9_.\-/*<>@]+(?:[:,()][A-Za-z0-9_.\-/*<>@ ]*[A-Za-z0-9_.\-/*<>@)])+",
]
_ASCII_PUNCTUATION = re.compile(r"[:,;()!?]")


def ascii_punctuation(zh: str) -> list[str]:
    """ASCII punctuation used as punctuation of a Chinese sentence."""
    rest = zh
    for allowed in _ALLOWED:
        rest = re.sub(allowed, "X", rest)
    return _ASCII_PUNCTUATION.findall(rest)


def english_texts(en: str | Plural) -> list[str]:
    return [en.one, en.other] if isinstance(en, Plural) else [en]


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_chinese_text_uses_chinese_punctuation(code: str) -> None:
    zh, _en = CATALOG[code]
    assert ascii_punctuation(zh) == [], f"{code}: {zh!r} (use ：，；（）！？)"


def test_the_check_catches_what_it_is_for() -> None:
    assert ascii_punctuation("优先级 0: 无加分规则") == [":"]
    assert ascii_punctuation("需求登记 row 16 (R-0008)，缺少地址") == ["(", ")"]
    assert ascii_punctuation("值班时间「{value}」无法识别（例：08:00-20:00 或 全天）") == []


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_english_counts_are_plurals(code: str) -> None:
    _zh, en = CATALOG[code]
    for text in english_texts(en):
        assert not re.search(r"(?<!http)\(s\)", text), f"{code}: {text!r} (use Plural)"
    if isinstance(en, Plural):
        assert en.one != en.other, code


@pytest.mark.parametrize(
    ("n", "said"), [(1, "Wrote 1 cell and 1 log line"), (2, "Wrote 2 cells and 2 log lines")]
)
def test_a_count_of_one_is_singular(n: int, said: str) -> None:
    cells, lines = say("en", "out_cells", n=n), say("en", "out_log_lines", n=n)
    assert say("en", "out_wrote", cells=cells, lines=lines) == said
    assert say("zh", "out_wrote", cells=say("zh", "out_cells", n=n),
               lines=say("zh", "out_log_lines", n=n)) == f"已写入 {n} 个单元格和 {n} 行日志"  # fmt: skip


def test_the_notes_say_what_to_fix() -> None:
    assert say("zh", "priority_none") == "优先级 0：不符合任何加分条件"
    assert "无加分规则" not in say("zh", "priority_none")
    assert "请核对" in say("zh", "bad_phone", value="*****")
