"""Notes on times people typed that are unlikely to be what they meant."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    "time_in_future": (
        "{column}读作 {value}，还没到：请核对日期和时间（例：2022-12-20 14:30）",
        "{column} reads as {value}, which is still to come: check the date and time "
        "(e.g. 2022-12-20 14:30)",
    ),
    "time_long_ago": (
        "{column}没写年份，读作 {value}，已是 30 多天前（不写年份的日期按最近一个已过去的日子算）："
        "请写上年份（例：2022-12-20 14:30）",
        "{column} has no year and reads as {value}, more than 30 days ago (a date without a "
        "year is the latest such day that has passed): write the year (e.g. 2022-12-20 14:30)",
    ),
}
