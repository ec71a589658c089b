"""The chart of requests per day by status, as a PNG (pure: returns the bytes).

Chinese labels need a font that has Chinese glyphs, and a fresh machine may have none (a server,
a container, a new laptop): matplotlib would draw empty boxes. The font comes with the package
instead, from pylopdf-fonts-zh-cn on PyPI: Noto Sans SC, unmodified from notofonts/noto-cjk
(SIL Open Font License), a plain font file that pip installs like any dependency.
"""

from __future__ import annotations

import io
from functools import cache

from matplotlib import dates as mdates
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sync.messages import say
from sync.report.files import BAR_DAYS
from sync.report.tables import PeriodReport
from sync.schema import Locale

_SERIES = (("new", "#9dc3e6"), ("assigned", "#f4b183"), ("delivered", "#70ad47"))


@cache
def chinese_font() -> str:
    """The family name of the shipped Chinese font, registered with matplotlib once."""
    import pylopdf_fonts_zh_cn

    path = pylopdf_fonts_zh_cn.sans_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_png(report: PeriodReport, office: str, locale: Locale) -> bytes:
    """Requests registered, assigned and delivered each day of the period."""
    daily = report.table("rp_daily").frame
    days = list(daily["date"])
    period = report.period
    family = [chinese_font(), "DejaVu Sans"]  # DejaVu for any glyph Noto Sans SC lacks
    with rc_context({"font.family": "sans-serif", "font.sans-serif": family}):
        figure = Figure(figsize=(min(16.0, max(8.0, len(days) * 0.35)), 4.8), dpi=110)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if len(days) <= BAR_DAYS:
            width = 0.8 / len(_SERIES)
            positions = mdates.date2num(days)  # type: ignore[no-untyped-call]
            for n, (key, colour) in enumerate(_SERIES):
                offset = (n - (len(_SERIES) - 1) / 2) * width
                axes.bar(positions + offset, daily[key], width, label=_label(key, locale),
                         color=colour)  # fmt: skip
        else:
            for key, colour in _SERIES:
                axes.plot(days, daily[key], label=_label(key, locale), color=colour, lw=1.4)
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))  # type: ignore[no-untyped-call]
        # the year is in the title
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))  # type: ignore[no-untyped-call]
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel(say(locale, "rp_axis_requests"))
        axes.set_xlabel(say(locale, "rp_col_date"))
        title = say(locale, "rp_chart_title")
        span = say(locale, "rp_period_span", start=period.start, end=period.end, days=period.days)
        axes.set_title(f"{office} {title}\n{span}" if office else f"{title}\n{span}")
        axes.legend(loc="upper left", frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return out.getvalue()


def _label(key: str, locale: Locale) -> str:
    return say(locale, f"rp_col_{key}")
