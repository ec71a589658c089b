"""The resident's name: before a form of address, after a cue, or beside a phone number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sync.intake.text import HAN

# characters that are never part of a given name here: they end the name (张三住5号楼 → 张三)
_NOT_NAME = set(
    "的了是在和与给帮买送号楼室栋门单元区里有没我你他她们这那个人住要想家电话手机联系老小大"
)
# characters a name may follow directly: 邻居王奶奶, 楼下吴奶奶, 我妈刘玉芬
_BEFORE_NAME = _NOT_NAME | set("居下上壁妈爸姨姑舅婆姥奶爷叔伯姐哥弟妹公报转")
_EDGE = r"\s,，.。:：;；!！?？()（）【】\[\]、"


@dataclass(frozen=True)
class FoundName:
    """A name read from the text, and where."""

    start: int
    end: int
    name: str


def find_names(
    text: str,
    surnames: Sequence[str],
    forms: Sequence[str],
    cues: Sequence[str],
    phone_spans: Sequence[tuple[int, int]],
    not_residents: Iterable[str] = (),
    words: Iterable[str] = (),
    titled: Sequence[str] = (),
) -> list[FoundName]:
    """Every resident's name in reading order (volunteers and the forwarder left out).

    `words` are the vocabulary's other words: a candidate holding one (高烧, 白菜, 麻烦) is a
    word, not a name. `titled` surnames are also everyday words (万, 方, 成): they start a name
    only right before a form of address (万奶奶, 方秀英阿姨).
    """
    excluded = {n.strip() for n in not_residents if n.strip()}
    common = [w for w in words if len(w) > 1]
    family = "|".join(sorted(map(re.escape, surnames), key=len, reverse=True)) or "(?!)"
    before_title = "|".join(sorted(map(re.escape, (*surnames, *titled)), key=len, reverse=True))
    titles = "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) or "(?!)"
    found: list[FoundName] = []

    def add(start: int, name: str) -> None:
        name = name.strip()
        if not name or name in excluded or any(name in e or e in name for e in excluded):
            return
        if any(w in name for w in common):
            return
        if any(f.start <= start < f.end for f in found):
            return
        found.append(FoundName(start, start + len(name), name))

    # 李素文阿姨 → 李素文; 王奶奶 stays 王奶奶 (a surname alone is no name to call her by)
    pattern = rf"(?P<name>(?:{before_title or family})[{HAN}]{{0,2}}?)(?P<form>{titles})"
    for match in re.finditer(pattern, text):
        name, form = match["name"], match["form"]
        given = name[len(_surname(name, (*surnames, *titled))) :]
        if any(ch in _NOT_NAME for ch in given) or _inside_word(text, match.start()):
            continue
        if given:
            add(match.start(), name)
        elif form != "家":  # 张家 is a family, not a person
            add(match.start(), name + form)
    for cue in sorted(cues, key=len, reverse=True):
        for match in re.finditer(
            rf"{re.escape(cue)}\s*[:：是为]?\s*(?P<name>(?:{family})[{HAN}]{{1,2}})", text
        ):
            add(match.start("name"), _cut(match["name"], surnames))
    for start, end in phone_spans:
        before = re.search(
            rf"(?:^|[^{HAN}])?(?P<name>(?:{family})[{HAN}]{{1,2}})[\s:：,，]*$",
            text[max(0, start - 8) : start],
        )
        if before:
            offset = max(0, start - 8) + before.start("name")
            if not _inside_word(text, offset):
                add(offset, _cut(before["name"], surnames))
        after = re.match(rf"[\s,，]*(?P<name>(?:{family})[{HAN}]{{1,2}})(?:[^{HAN}]|$)", text[end:])
        if after:
            add(end + after.start("name"), _cut(after["name"], surnames))
    # a name standing alone between spaces or punctuation: 「802 邓秀珍 失独」
    for match in re.finditer(
        rf"(?:^|(?<=[{_EDGE}的]))(?P<name>(?:{family})[{HAN}]{{1,2}})(?=[{_EDGE}]|$)", text
    ):
        name = match["name"]
        if _cut(name, surnames) == name:
            add(match.start("name"), name)
    found.sort(key=lambda f: f.start)
    return found


def _surname(name: str, surnames: Sequence[str]) -> str:
    return max((s for s in surnames if name.startswith(s)), key=len, default=name[:1])


def _cut(name: str, surnames: Sequence[str]) -> str:
    """A name ends at the first character that is never part of one."""
    family = _surname(name, surnames)
    given = ""
    for ch in name[len(family) :]:
        if ch in _NOT_NAME:
            break
        given += ch
    return family + given if given else ""


def _inside_word(text: str, start: int) -> bool:
    """A surname character glued to the Han word before it (金色家园, 小王) starts no name."""
    return (
        start > 0
        and bool(re.match(rf"[{HAN}]", text[start - 1]))
        and text[start - 1] not in _BEFORE_NAME
    )
