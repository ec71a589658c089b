"""Reading what people type: dates, phone numbers, duty hours; masking."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from builders import NOW, TZ

from sync.values import (
    chinese_number,
    day_of,
    format_day,
    mask_phones,
    minutes_between,
    on_duty,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_phone,
    plain_number,
    safe_text,
    split_list,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2022-12-20 14:30", datetime(2022, 12, 20, 14, 30, tzinfo=TZ)),
        ("2022/12/20 14:35", datetime(2022, 12, 20, 14, 35, tzinfo=TZ)),
        ("12月20日 14:40", datetime(2022, 12, 20, 14, 40, tzinfo=TZ)),
        ("１２月２０日　１４：４０", datetime(2022, 12, 20, 14, 40, tzinfo=TZ)),
        ("2022年12月20日 14时", datetime(2022, 12, 20, 14, 0, tzinfo=TZ)),
        ("12/20 9:05", datetime(2022, 12, 20, 9, 5, tzinfo=TZ)),
        ("2022-12-20T06:30:00+00:00", datetime(2022, 12, 20, 14, 30, tzinfo=TZ)),
        (datetime(2022, 12, 20, 14, 45), datetime(2022, 12, 20, 14, 45, tzinfo=TZ)),
        (44915.5, datetime(2022, 12, 20, 12, 0, tzinfo=TZ)),  # a spreadsheet serial date
        ("12月30日", datetime(2021, 12, 30, tzinfo=TZ)),  # no year, would be in the future
    ],
)
def test_dates_as_people_type_them(typed: object, expected: datetime) -> None:
    assert parse_datetime(typed, TZ, NOW) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["昨天下午", "2022-13-40", "", None, True, 12])
def test_unreadable_or_blank_dates_are_none(typed: object) -> None:
    assert parse_datetime(typed, TZ, NOW) is None  # type: ignore[arg-type]


def test_month_only_expiry_means_the_end_of_the_month() -> None:
    assert str(parse_date("2023-02", TZ, NOW)) == "2023-02-28"
    assert str(parse_date("2023年6月", TZ, NOW)) == "2023-06-30"


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138 0013 8000", "+86 138-0013-8000", "１３８００１３８０００", 13800138000,
     13800138000.0, "(024) 2345 6789"],
)  # fmt: skip
def test_valid_phone_forms(typed: object) -> None:
    phone = parse_phone(typed, "CN")  # type: ignore[arg-type]
    assert phone is not None and phone.valid


@pytest.mark.parametrize("typed", ["12345", "1384000", "abc", "+86 000 0000 0000"])
def test_invalid_phones_are_flagged(typed: str) -> None:
    phone = parse_phone(typed, "CN")
    assert phone is not None and not phone.valid


def test_masking_keeps_dates_and_ids_but_hides_numbers() -> None:
    text = "call 13800138000 or +86 138 0013 8000 at 2022-12-20 15:00 for R-0001"
    masked = mask_phones(text)
    assert "13800138000" not in masked and "0013 8000" not in masked
    assert masked.count("138****8000") == 2
    assert "2022-12-20 15:00" in masked and "R-0001" in masked


def test_safe_text_drops_control_characters_and_bounds_length() -> None:
    assert safe_text("a\x00b\x07c") == "abc"
    assert len(safe_text("x" * 50_000)) == 30_000


@pytest.mark.parametrize(
    ("typed", "windows"),
    [
        ("08:00-20:00", ((480, 1200),)),
        ("8-12, 18:00-22:00", ((480, 720), (1080, 1320))),
        ("22:00-06:00", ((1320, 360),)),
        ("全天", ((0, 1440),)),
        ("24h", ((0, 1440),)),
        ("８：００～２０：００", ((480, 1200),)),
        ("", ()),
        ("morning", None),
        ("25:00-26:00", None),
    ],
)
def test_duty_hours(typed: str, windows: object) -> None:
    assert parse_hours(typed) == windows


def test_on_duty_across_midnight() -> None:
    night = ((1320, 360),)
    assert on_duty(night, datetime(2022, 12, 20, 23, 0))
    assert on_duty(night, datetime(2022, 12, 20, 5, 59))
    assert not on_duty(night, datetime(2022, 12, 20, 6, 0))


def test_lists_split_on_chinese_and_western_separators() -> None:
    assert split_list("创意社区、建设社区；乐园,兴华 / 其他") == (
        "创意社区",
        "建设社区",
        "乐园",
        "兴华",
        "其他",
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [("三", 3), ("两", 2), ("俩", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25),
     ("九十九", 99), ("", None), ("日", None), ("abc", None)],
)  # fmt: skip
def test_chinese_numerals_read_as_people_write_them(text: str, number: int | None) -> None:
    # one reading for 布洛芬两盒 (stock) and 每三天 (recurring) alike
    assert chinese_number(text) == number


@pytest.mark.parametrize(("value", "shown"), [(2.0, 2), (2.5, 2.5), (1 / 3, 0.33), (0.0, 0)])
def test_numbers_show_without_a_trailing_zero(value: float, shown: float) -> None:
    assert plain_number(value) == shown
    assert str(plain_number(value)) == str(shown)


def test_worker_days_and_minutes() -> None:
    start = datetime(2022, 12, 20, 14, 40)
    assert minutes_between(start, datetime(2022, 12, 20, 15, 10, 30)) == 30.5
    assert minutes_between(datetime(2022, 12, 20, 15, 10), start) == -30
    assert format_day(start.date()) == "2022-12-20"
    assert day_of("2022-12-20") == date(2022, 12, 20)
    assert day_of("12月20日") is None
