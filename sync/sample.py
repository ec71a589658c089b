"""Synthetic sample data for `init --sample` and `demo`: one afternoon of a street office.

Everything here is made up (names, phones, addresses); the day is fixed at 2022-12-20 so that a
pass at 15:00 that day always tells the same story.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sync.intake.sample import sample_inbox_rows
from sync.schema import Locale, Schema

SAMPLE_NOW = datetime(2022, 12, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Requests that repeat (zh, en): 赵桂兰 gets vegetables every Tuesday; last week's delivery is
# in the sample, and the pass at 15:00 opens this Tuesday's (sync/recurring.py).
_REPEATS = {"赵桂兰": ("每周二", "every Tuesday")}

# name, phone, communities, team, role, takes, hours, max_open, active
_VOLUNTEERS = [
    ("段珊珊", "13904121001", "创意社区", "向日葵能量团", "party_member", "", "全天", 3, "yes"),
    ("邱瑾", "13904121002", "创意社区", "向日葵能量团", "grid_worker", "", "08:00-20:00", 4, "yes"),
    (
        "孙丽",
        "13904121003",
        "创意社区、建设社区",
        "向日葵能量团",
        "resident",
        "food,daily_goods",
        "12:00-20:00",
        2,
        "yes",
    ),
    (
        "冯玉杰",
        "13904121004",
        "建设社区",
        "建设社区邻里队",
        "party_member",
        "food,daily_goods",
        "08:00-18:00",
        2,
        "yes",
    ),
    (
        "王磊",
        "13904121005",
        "建设社区",
        "建设社区邻里队",
        "merchant",
        "medicine,protective",
        "09:00-21:00",
        3,
        "yes",
    ),
    ("李娜", "13904121006", "乐园社区", "乐园志愿队", "resident", "", "18:00-23:00", 2, "yes"),
    (
        "张伟",
        "13904121007",
        "乐园社区",
        "乐园志愿队",
        "resident",
        "",
        "08:00-12:00,14:00-22:00",
        1,
        "yes",
    ),
    ("刘洋", "13904121008", "兴华社区", "兴华互助组", "resident", "", "全天", 2, "no"),
    ("陈静", "13904121009", "兴华社区", "兴华互助组", "merchant", "food", "07:00-19:00", 1, "yes"),
    ("赵强", "13904121010", "全部", "党员先锋队", "party_member", "", "全天", 5, "yes"),
    (
        "周敏",
        "13904121011",
        "创意社区",
        "向日葵能量团",
        "resident",
        "medicine",
        "22:00-06:00",
        2,
        "yes",
    ),
    ("吴刚", "13904121012", "建设社区", "建设社区邻里队", "resident", "", "13:00-17:00", 2, "yes"),
]

# time, name, phone, community, address, household, category, items, urgency, notes,
# volunteer, status, assigned, delivered
_REQUESTS = [
    ("2022-12-20 08:10", "杨淑珍", "13840001001", "建设社区", "乐园小区3号楼2单元501", "bereaved",
     "medicine", "退烧药", "urgent", "发烧38.5度", "王磊", "delivered", "2022-12-20 08:15", "2022-12-20 09:40"),
    ("2022-12-13 09:30", "赵桂兰", "13840001002", "创意社区", "海兴花园5号楼1单元302", "living_alone",
     "food", "白菜、土豆、鸡蛋", "normal", "每周二送菜", "邱瑾", "delivered", "2022-12-13 09:45", "2022-12-13 11:05"),
    ("2022-12-20 10:20", "钱德明", "13840001003", "兴华社区", "兴华里12号", "hardship",
     "daily_goods", "卫生纸、洗衣粉", "normal", "", "陈静", "in_progress", "2022-12-20 10:30", ""),
    ("2022-12-20 13:05", "孙秀英", "13840001004", "乐园社区", "乐园小区8号楼302", "other",
     "food", "大米一袋", "normal", "", "", "", "", ""),
    ("2022-12-20 13:40", "李素文", "13840001005", "创意社区", "海兴花园2号楼3单元101", "childless",
     "medicine", "退烧药 布洛芬", "urgent", "老两口都发烧", "", "", "", ""),
    ("2022-12-20 14:10", "周淑华", "13840001006", "乐园社区", "乐园小区11号楼6单元201", "living_alone",
     "medicine", "对乙酰氨基酚", "urgent", "独居，腿脚不便", "", "", "", ""),
    ("2022-12-20 14:20", "王建国", "13840001007", "建设社区", "建设大街21号4单元", "living_alone",
     "food", "蔬菜、挂面", "urgent", "", "", "", "", ""),
    ("2022-12-20 14:25", "刘玉芬", "1384000", "创意社区", "海兴花园7号楼", "living_alone",
     "food", "鸡蛋", "normal", "", "", "", "", ""),
    ("2022-12-20 14:30", "陈国栋", "13840001009", "兴华社区", "", "hardship",
     "protective", "N95口罩", "normal", "", "", "", "", ""),
    ("2022-12-20 14:35", "吴美兰", "13840001010", "建设社区", "建设大街3号", "other",
     "daily_goods", "", "normal", "", "冯玉杰", "", "", ""),
    ("2022-12-20 14:40", "郑志强", "13840001011", "兴华社区", "兴华里5号", "other",
     "medicine", "感冒药", "normal", "", "", "", "", ""),
    ("2022-12-20 14:45", "马淑芳", "13840001012", "创意社区", "海兴花园1号楼1单元601", "other",
     "daily_goods", "暖水袋", "normal", "", "", "cancelled", "", ""),
    ("2022-12-20 14:50", "周淑华", "13840001006", "乐园社区", "乐园小区11号楼6单元201", "living_alone",
     "medicine", "退烧药", "urgent", "又登记了一次", "", "", "", ""),
    ("2022-12-20 14:55", "高翠兰", "13840001013", "创意社区", "海兴花园9号楼", "living_alone",
     "daily_goods", "暖宝宝", "normal", "", "", "", "", ""),
]  # fmt: skip

# item, category, quantity, unit, donor, community, expiry, sealed, disinfected
_STOCK = [
    ("布洛芬缓释胶囊", "medicine", 6, "盒", "海兴花园 王先生 13904129001", "创意社区", "2024-06-30", "yes", "yes"),
    ("对乙酰氨基酚片", "medicine", 4, "盒", "乐园小区 居民", "乐园社区", "2023-03-31", "yes", "yes"),
    ("连花清瘟胶囊", "medicine", 3, "盒", "建设社区 党员", "建设社区", "2022-12-25", "yes", "yes"),
    ("感冒灵颗粒", "medicine", 5, "盒", "兴华社区 药店", "兴华社区", "2023-08-31", "no", "yes"),
    ("N95口罩", "protective", 40, "个", "建设社区 居民", "建设社区", "2025-01-01", "yes", "yes"),
    ("医用外科口罩", "protective", 100, "个", "创意社区 商户", "创意社区", "2025-06-30", "yes", "no"),
    ("大米", "food", 2, "袋", "乐园小区 张阿姨", "乐园社区", "2023-10-01", "yes", "yes"),
    ("豆油", "food", 3, "桶", "创意社区 李叔", "创意社区", "2023-05-01", "yes", "yes"),
    ("布洛芬混悬液", "medicine", 2, "瓶", "建设社区 居民", "建设社区", "2022-11-30", "yes", "yes"),
]  # fmt: skip


def sample_rows(schema: Schema, locale: Locale) -> dict[str, list[dict[str, object]]]:
    """Rows for the Requests, Volunteers, Stock and Inbox tabs, with choices in the sheet's
    language."""

    def label(list_name: str, key: str) -> str:
        return schema.choice_list(list_name).label(key, locale) if key else ""

    def labels(list_name: str, keys: str) -> str:
        sep = "、" if locale == "zh" else ", "
        return sep.join(label(list_name, k) for k in keys.split(",")) if keys else ""

    volunteers: list[dict[str, object]] = [
        {
            "name": name, "phone": phone, "communities": communities, "team": team,
            "role": label("role", role), "categories": labels("category", takes),
            "hours": hours if locale == "zh" or hours != "全天" else "24h",
            "max_open": max_open, "active": label("yes_no", active),
        }
        for name, phone, communities, team, role, takes, hours, max_open, active in _VOLUNTEERS
    ]  # fmt: skip
    if locale == "en":
        for v in volunteers:
            v["communities"] = str(v["communities"]).replace("全部", "all").replace("、", ", ")
    requests: list[dict[str, object]] = [
        {
            "submitted_at": at, "name": name, "phone": phone, "community": community,
            "address": address, "household": label("household", household),
            "category": label("category", category), "items": items,
            "urgency": label("urgency", urgency), "notes": notes, "volunteer": volunteer,
            "status": label("request_status", status), "assigned_at": assigned,
            "delivered_at": delivered,
            "repeat": _REPEATS.get(name, ("", ""))[0 if locale == "zh" else 1],
        }
        for (at, name, phone, community, address, household, category, items, urgency, notes,
             volunteer, status, assigned, delivered) in _REQUESTS
    ]  # fmt: skip
    stock: list[dict[str, object]] = [
        {
            "item": item, "category": label("category", category), "quantity": quantity,
            "unit": unit, "donor": donor, "community": community, "expiry": expiry,
            "sealed": label("yes_no", sealed), "disinfected": label("yes_no", disinfected),
            "status": label("stock_status", "available"),
        }
        for item, category, quantity, unit, donor, community, expiry, sealed, disinfected in _STOCK
    ]  # fmt: skip
    inbox = sample_inbox_rows()  # three messages pasted from the group chat that afternoon
    return {"volunteers": volunteers, "requests": requests, "stock": stock, "inbox": inbox}
