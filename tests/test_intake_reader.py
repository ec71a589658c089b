"""The Inbox reader, rule by rule: what each kind of phrase gives, and what it must not."""

from __future__ import annotations

import re
import unicodedata

import pytest
from builders import SCHEMA
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.intake.note import describe
from sync.intake.reading import Context, Reading, context_from, read_message
from sync.resources import default_rules_dir
from sync.rules import load_rules

RULES = load_rules(default_rules_dir(), SCHEMA)
WORDS = RULES.intake.with_synonyms(s.words for s in RULES.synonyms)
CONTEXT = context_from(RULES, ["邱瑾", "段珊珊", "李娜"])


def read(text: str, source: str = "", context: Context = CONTEXT) -> Reading:
    return read_message(text, WORDS, Context(**{**context.__dict__, "source": source}))


def test_the_story_message_reads_as_a_medicine_request_missing_who_and_where() -> None:
    reading = read("能帮我们买点退烧药吗?家里没有了。")
    assert reading.asks
    assert (reading.category, reading.items) == ("medicine", "退烧药")
    assert reading.name == reading.phone == reading.address == reading.community == ""
    assert reading.missing == ("name", "phone", "community", "address")


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("电话13812345678", "13812345678"),
        ("电话 138 1234 5678 王阿姨", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８ 要药", "13812345678"),
        ("座机 010-65529988", "010-65529988"),
        ("座机0411 8765 4321", "0411-87654321"),
        ("电话 8765 4321", ""),  # no area code: not a number anyone can dial from a mobile
        ("5号楼302室", ""),
    ],
)  # fmt: skip
def test_phone_numbers_in_every_shape(text: str, phone: str) -> None:
    assert read(text).phone == phone


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("李素文阿姨家里没有退烧药了", "李素文"),
        ("张德明大爷要买菜", "张德明"),
        ("帮5号楼王奶奶买点菜", "王奶奶"),  # a surname alone keeps its form of address
        ("周淑珍老人独居", "周淑珍"),
        ("姓名：张桂芳 要药", "张桂芳"),
        ("老人叫张桂芳，住3号楼", "张桂芳"),
        ("我爸张德明独居", "张德明"),
        ("要降压药 张桂芳 13812345678", "张桂芳"),
        ("电话13812345678 刘玉芬", "刘玉芬"),
        ("张家老人需要药", ""),  # a family, not a person
        ("我电话 138-0412-6655，麻烦了", ""),  # 麻烦 is a word, not 麻 the surname
        ("家里高烧39度", ""),
        ("要点白菜和方便面", ""),
        ("幸福小区2号楼 万奶奶 要买点猪肉", "万奶奶"),  # 万 names someone only before a title
        ("方秀英阿姨要买菜", "方秀英"),
        ("万一 没有药了", ""),
        ("要 成人纸尿裤", ""),
    ],
)  # fmt: skip
def test_the_residents_name_without_forms_of_address(text: str, name: str) -> None:
    assert read(text).name == name


def test_a_volunteers_or_the_forwarders_name_is_never_the_residents() -> None:
    assert read("@段珊珊 海兴花园1号楼 杨大爷 退烧药").name == "杨大爷"
    assert read("邱瑾转：要降压药 13812345678").name == ""
    assert read("要降压药 王建国 13812345678", source="网格员王建国").name == ""
    assert read("要降压药 王建国 13812345678").name == "王建国"


@pytest.mark.parametrize(
    ("text", "community", "address"),
    [
        ("海兴花园5号楼1单元302 要药", "创意社区", "海兴花园5号楼1单元302"),
        ("创意社区 绿城小区3号楼402", "创意社区", "绿城小区3号楼402"),
        ("兴华苑 3 号楼 2 单元 501", "兴华社区", "兴华苑3号楼2单元501"),
        ("乐园小区五号楼三单元", "乐园社区", "乐园小区五号楼三单元"),
        ("阳光花园 3-2-501", "乐园社区", "阳光花园3-2-501"),
        ("兴华社区幸福路8号院2号楼", "兴华社区", "幸福路8号院2号楼"),
        ("住在建设路12号3单元201", "", "建设路12号3单元201"),  # 建设路 is a street, not 建设社区
        ("金色家园北区5号楼", "", "金色家园北区5号楼"),  # the estate lies in two communities
        ("建设社区金色家园3号楼", "建设社区", "金色家园3号楼"),
        ("3号楼2单元502室", "", "3号楼2单元502室"),
        ("12月5号要药", "", ""),
        ("Chuangyi 要口罩", "创意社区", ""),
    ],
)  # fmt: skip
def test_community_from_names_aliases_and_estates_and_the_address(
    text: str, community: str, address: str
) -> None:
    reading = read(text)
    assert (reading.community, reading.address) == (community, address)


def test_an_estate_in_two_communities_is_left_blank_with_a_note() -> None:
    reading = read("金色家园6号楼 高奶奶 要降压药 15840011317")
    assert reading.community == ""
    assert reading.ambiguous_estate == "金色家园"
    assert reading.estate_communities == ("建设社区", "兴华社区")
    assert "community" in reading.missing
    assert "小区「金色家园」分属 建设社区、兴华社区，社区留空" in describe(reading, "zh", SCHEMA)


def test_two_communities_named_leave_it_blank() -> None:
    reading = read("创意社区还是乐园社区我也不清楚，要买菜")
    assert reading.community == "" and reading.communities_named == ("创意社区", "乐园社区")


@pytest.mark.parametrize(
    ("text", "household"),
    [
        ("老人独居，要买菜", "living_alone"),
        ("一个人住，要买菜", "living_alone"),
        ("无儿无女，要买菜", "childless"),
        ("没有子女，要买菜", "childless"),
        ("老两口没有孩子，要买菜", "childless"),
        ("老两口，孩子都在国外，要买菜", ""),
        ("老人没有孩子在身边，要买菜", ""),
        ("失独老人，要买菜", "bereaved"),
        ("低保户，要买菜", "hardship"),
        ("老人要买菜", ""),
    ],
)  # fmt: skip
def test_household_words(text: str, household: str) -> None:
    assert read(text).household == household


@pytest.mark.parametrize(
    ("text", "category", "items"),
    [
        ("能帮我们买点退烧药吗", "medicine", "退烧药"),
        ("求美林", "medicine", "美林"),  # a stock synonym of 退烧药
        ("缺药", "medicine", ""),
        ("帮忙买点菜", "food", ""),
        ("想要青菜和鸡蛋", "food", "青菜、鸡蛋"),
        ("家里米快没了，想买一袋大米", "food", "大米"),
        ("尿不湿没了", "daily_goods", "尿不湿"),
        ("求口罩 N95", "protective", "口罩、N95"),
        ("需要陪诊去医院", "other", ""),
        ("my mother needs ibuprofen", "medicine", "ibuprofen"),
        ("大家加油", "", ""),
    ],
)  # fmt: skip
def test_category_and_items(text: str, category: str, items: str) -> None:
    reading = read(text)
    assert (reading.category, reading.items) == (category, items)


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("急！要药", "urgent"),
        ("孩子高烧", "urgent"),
        ("我爸喘不上气", "urgent"),
        ("烧到三十九度多", "urgent"),
        ("不急，这两天送就行，要米", "normal"),
        ("急不急？不急，要药", "normal"),
        ("要点菜", ""),
    ],
)  # fmt: skip
def test_urgency_words(text: str, urgency: str) -> None:
    assert read(text).urgency == urgency


@pytest.mark.parametrize(
    ("text", "asks", "thanks"),
    [
        ("谢谢志愿者！药已经收到了🙏", False, True),
        ("收到", False, True),
        ("收到，我马上去送", False, True),
        ("感谢邱瑾帮忙买的菜", False, True),
        ("我家的药已经买到了，不需要了", False, True),
        ("今天天气真冷啊", False, False),
        ("谢谢上次帮忙，这次能再帮买点菜吗", True, False),
        ("🆘 老人晕倒了", True, False),
        ("有布洛芬吗", True, False),
    ],
)  # fmt: skip
def test_whether_a_message_asks_for_anything(text: str, asks: bool, thanks: bool) -> None:
    reading = read(text)
    assert (reading.asks, reading.thanks) == (asks, thanks)


def test_two_residents_make_one_reading_of_the_first_and_a_split_note() -> None:
    reading = read("海兴花园5号楼 王奶奶要降压药 13840001101；6号楼 李素文阿姨要买菜 13840001102")
    assert reading.several_residents
    assert (reading.name, reading.phone, reading.items) == ("王奶奶", "13840001101", "降压药")
    assert reading.names == ("王奶奶", "李素文")
    note = describe(reading, "en", SCHEMA)
    assert "names 2 residents (王奶奶, 李素文)" in note
    assert "138****1102" in note and "13840001102" not in note


def test_two_separate_needs_make_one_reading_and_a_split_note() -> None:
    reading = read("锦绣家园3栋 冯阿姨 需要退烧药和尿不湿 13704121301")
    assert reading.several_needs and not reading.several_residents
    assert (reading.category, reading.categories) == ("medicine", ("medicine", "daily_goods"))
    assert "类别按「药品」填写，请把其余的另登一行" in describe(reading, "zh", SCHEMA)


def test_medicine_without_items_lists_items_as_missing() -> None:
    assert read("缺药 王奶奶 13812345678 海兴花园5号楼").missing == ("items",)


def test_the_note_says_what_was_read_in_either_language_with_the_phone_masked() -> None:
    reading = read("海兴花园2号楼3单元101 李素文阿姨 独居 急需布洛芬 138 4000 1005")
    zh = describe(reading, "zh", SCHEMA)
    assert zh == (
        "从消息读到：居民姓名「李素文」，联系电话「138****1005」，社区「创意社区」，"
        "地址「海兴花园2号楼3单元101」，家庭情况「独居」，类别「药品」，物品明细「布洛芬」，"
        "紧急程度「紧急」"
    )
    en = describe(read("能帮我们买点退烧药吗?"), "en", SCHEMA)
    assert en == (
        "read from the message: Category 'medicine', Items '退烧药'\n"
        "not in the message: Resident, Phone, Community, Address; fill them in on the request row"
    )
    assert describe(read("谢谢！"), "zh", SCHEMA) == "这条消息是道谢或回复，没有求助，不生成需求"


def test_reading_is_pure_and_frozen() -> None:
    text = "海兴花园5号楼 王奶奶要降压药 13840001101"
    first = read(text)
    assert read(text) == first
    with pytest.raises(AttributeError):
        first.name = "x"  # type: ignore[misc]


_PIECES = [
    "李素文阿姨", "王奶奶", "海兴花园", "5号楼", "3单元", "201", "金色家园", "建设路12号", "退烧药",
    "布洛芬", "买菜", "独居", "无儿无女", "急", "不急", "谢谢", "收到", "138 4000 1005", "+86",
    "０１０－６５５２９９８８", "，", "。", " ", "\n", "🙏", "=", "帮忙", "需要", "老两口", "的", "和",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=14))
def test_every_value_read_is_in_the_text_nothing_guessed(pieces: list[str]) -> None:
    text = "".join(pieces)
    reading = read(text)
    folded = unicodedata.normalize("NFKC", text)
    plain = re.sub(r"[\s,]", "", folded)  # an address is written without its spaces and commas
    digits = re.sub(r"\D", "", folded)
    for phone in reading.phones:
        assert re.sub(r"\D", "", phone).lstrip("0") in digits
    for value in (reading.name, reading.address, *reading.items.split("、")):
        assert re.sub(r"[\s,]", "", value) in plain
    if reading.community:
        known = next(c for c in RULES.communities if c.name == reading.community)
        assert any(w in folded for w in (known.name, *known.aliases, *known.estates))
