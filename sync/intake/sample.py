"""Three messages pasted into the sample workbook's Inbox tab, for `init --sample` and `demo`.

The story message (who and where missing: the request waits in needs info), a full one that
the pass assigns, and a thank-you that makes no request. Made up, like all sample data.
"""

from __future__ import annotations

#: (message, From, Received) as a grid worker pastes them on the sample afternoon
SAMPLE_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("能帮我们买点退烧药吗?家里没有了。", "创意社区居民群", "2022-12-20 14:40"),
    (
        "海兴花园9号楼2单元401 张桂芳阿姨，独居，降压药吃完了，麻烦帮忙买一盒，电话 138 4000 1031",
        "网格员邱瑾转",
        "2022-12-20 14:45",
    ),
    ("谢谢志愿者！药已经收到了🙏", "创意社区居民群", "2022-12-20 14:50"),
)


def sample_inbox_rows() -> list[dict[str, object]]:
    """The sample Inbox rows by column key."""
    return [
        {"message": message, "source": source, "received_at": received}
        for message, source, received in SAMPLE_MESSAGES
    ]
