"""Words of the mobile pharmacy (sync/stock/): lot notes, request notes, Log lines, alerts."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # why a lot is not offered
    "stock_expired": ("已过期 {date}", "expired {date}"),
    "stock_near_expiry": (
        "{date} 到期（{days} 天内不发放）",
        "expires {date} (not offered within {days} days)",
    ),
    "stock_bad_expiry": ("有效期无法识别", "expiry not readable"),
    "stock_opened": ("已开封", "opened"),
    "stock_sealed_unknown": ("未填是否开封", "not marked unopened"),
    "stock_not_disinfected": ("未消杀", "not disinfected"),
    "stock_no_quantity": ("无有效数量", "no usable quantity"),
    # lot notes
    "stock_not_offered": ("不发放：{reasons}", "not offered: {reasons}"),
    "stock_manual_unusable": (
        "已手动标为不可用，不再预留",
        "marked unusable by hand; not reserved",
    ),
    "stock_manual_handed_out": (
        "已手动标为已发放，不再新增预留",
        "marked handed out by hand; no new reservations",
    ),
    "stock_manual_unreadable": (
        "状态无法识别，暂不新增预留",
        "status not recognised; no new reservations meanwhile",
    ),
    "stock_all_handed": ("已全部发放（{qty}）", "all handed out ({qty})"),
    "stock_left": (
        "剩余 {left}（预留 {reserved}，已发放 {handed}）",
        "{left} left ({reserved} reserved, {handed} handed out)",
    ),
    "stock_no_community": (
        "存放社区未填或无法识别，不参与匹配",
        "community blank or unknown: not matched to requests",
    ),
    "stock_over_handed": (
        "已发放 {handed} 超过数量 {quantity}：数量应填收到时的总数",
        "handed out {handed} exceeds the quantity {quantity}: Quantity is the count received",
    ),
    # request notes
    "stock_pickup": (
        "【物资】{lot} {item} ×{qty}：到{community}领取{donor}",
        "[stock] {lot} {item} ×{qty}: pick up at {community}{donor}",
    ),
    "stock_donor": ("（捐赠：{donor}）", " (donor: {donor})"),
    "stock_short": (
        "【物资】{name} 还差 {n}：附近暂无可领用库存",
        "[stock] {name}: {n} more needed, none available nearby",
    ),
    # log
    "stock_log_reserve": ("预留物资", "reserve stock"),
    "stock_log_release": ("释放预留", "release stock"),
    "stock_log_handout": ("发放物资", "hand out stock"),
    "stock_log_status": ("物资状态 {old} → {new}", "stock status {old} → {new}"),
    "stock_why_cancelled": ("需求已取消", "request cancelled"),
    "stock_why_needs_info": ("需求信息不全", "request needs info"),
    "stock_why_not_found": ("需求不在表中", "request not on the sheet"),
    "stock_why_lot": ("物资不可发放", "lot not offered"),
    "stock_why_reallocated": ("按优先级重新分配", "re-allocated by priority"),
    "stock_why_not_needed": ("需求不再需要", "no longer needed"),
    # alerts
    "stock_alert_low": (
        "{where}{category}库存偏低：可领用 {n}（低于 {below}）",
        "low stock of {category}{where}: {n} available (below {below})",
    ),
    "stock_alert_expiring": (
        "{id} {item} 将于 {date} 过期，剩余 {qty}",
        "{id} {item} expires on {date}, {qty} left",
    ),
    "stock_alert_disinfect": (
        "{id} {item} 待消杀（{qty}{where}）",
        "{id} {item} waiting for disinfection ({qty}{where})",
    ),
    "stock_sep": ("，", ", "),
    # where an alert's lot is
    "stock_where_low": ("{community} ", " in {community}"),
    "stock_where_lot": ("，{community}", ", {community}"),
}
