"""What a request's Items cell asks for: names and quantities, in Chinese or English."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sync.model.quick import quick_init
from sync.schema import normalise
from sync.values import chinese_number

_UNITS_ZH = (
    "公斤|千克|盒|瓶|袋|包|个|只|支|片|粒|板|斤|桶|箱|罐|提|件|双|副|"
    "卷|块|份|套|条|听|壶|把|颗|贴|张"
)
_UNITS_EN = (
    "boxes|box|bottles|bottle|bags|bag|packets|packet|packs|pack|pieces|piece|pcs|pc|units|unit|"
    "tablets|tablet|kg|cans|can|rolls|roll|sheets|sheet|pairs|pair|sets|set|strips|strip|tins|tin"
)
_UNIT = rf"(?:{_UNITS_ZH}|(?:{_UNITS_EN})(?![A-Za-z])(?:\s+of(?![A-Za-z]))?)"
_NUM = r"(\d+(?:\.\d+)?)"
_QUANTITY_PATTERNS = (
    re.compile(rf"(?:[×*]|(?<![A-Za-z])[xX])\s*{_NUM}\s*{_UNIT}?"),
    re.compile(rf"(?<![A-Za-z\d.\-]){_NUM}\s*{_UNIT}"),
    re.compile(rf"([一二两俩三四五六七八九十]+)\s*(?:{_UNITS_ZH})"),
    re.compile(rf"(?<![A-Za-z\d.\-]){_NUM}(?![A-Za-z\d.])"),
)
_PART_SPLIT = re.compile(r"[,，、;；\n/+&]+|\s+and\s+", re.IGNORECASE)
_UNIT_ONLY = re.compile(rf"^(?:{_UNIT}|of)?$", re.IGNORECASE)
_TRIM = " \t:：()（）[]【】\"'“”‘’.。-—~"


@quick_init  # built once per request or lot
@dataclass(frozen=True, slots=True)
class Wanted:
    """One thing a request names, and how many units (one when it names no number)."""

    name: str
    quantity: float
    key: str = field(default="", compare=False)


def _quantity(text: str) -> tuple[float | None, str]:
    for pattern in _QUANTITY_PATTERNS:
        match = pattern.search(text)
        if match:
            raw = match.group(1)
            value = float(chinese_number(raw) or 1) if not raw[0].isdigit() else float(raw)
            rest = text[: match.start()] + " " + text[match.end() :]
            return (value if value > 0 else None), rest
    return None, text


def parse_items(text: str) -> tuple[Wanted, ...]:
    """What a request's Items cell asks for: '布洛芬 2盒、口罩' → 布洛芬 ×2, 口罩 ×1."""
    folded = unicodedata.normalize("NFKC", text)
    wanted: list[Wanted] = []
    for piece in _PART_SPLIT.split(folded):
        quantity, rest = _quantity(piece.strip())
        name = " ".join(rest.split()).strip(_TRIM)
        if _UNIT_ONLY.match(name):  # "2 boxes" after "ibuprofen, ": the number of the last one
            if wanted and quantity is not None:
                last = wanted[-1]
                wanted[-1] = Wanted(last.name, quantity, last.key)
            continue
        wanted.append(Wanted(name, quantity or 1.0, normalise(name)))
    return tuple(wanted)
