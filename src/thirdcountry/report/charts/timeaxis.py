"""The time axis: dates as matplotlib date numbers, the window shown, date words, the axis."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from thirdcountry.report.charts.frame import TICK_SIZE
from thirdcountry.report.palette import INK, MUTED_INK

# -- dates -----------------------------------------------------------------------------------------

_EPOCH = np.datetime64(mdates.get_epoch(), "s")
DAY = 1.0  # matplotlib date numbers are days


def date_numbers(values) -> np.ndarray:
    """Matplotlib date numbers for dates/Timestamps; NaT and None become NaN."""
    stamps = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")
    seconds = (stamps - pd.Timestamp(_EPOCH)).dt.total_seconds()
    return seconds.to_numpy(dtype=float) / 86400.0


def stamp(value) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp


def day_text(day) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


def month_text(number: float) -> str:
    return mdates.num2date(number).strftime("%b %Y")


_ISO_DAY = r"(\d{4})-(\d{2})-(\d{2})"


def human_edtf(text: str) -> str:
    """'2019-07-26' → '26 Jul 2019', '2019-07' → 'Jul 2019', 'a/b' → 'a – b', 'a/..' → 'after a'.

    Done here for the few forms the analysis produces: the edtf parser is too slow to call for
    hundreds of labels.
    """
    text = str(text or "").strip()

    def one(part: str) -> str:
        bare = part.rstrip("~?%")
        mark = "about " if bare != part else ""
        if re.fullmatch(_ISO_DAY, bare):
            return mark + day_text(bare)
        if re.fullmatch(r"\d{4}-\d{2}", bare) and int(bare[5:]) <= 12:
            return mark + pd.Timestamp(bare + "-01").strftime("%b %Y")
        return part

    if "/" in text:
        start, _, end = text.partition("/")
        if start in ("", ".."):
            return f"by {one(end)}"
        if end in ("", ".."):
            return f"after {one(start)}"
        return f"{one(start)} – {one(end)}"
    return one(text)


class _WindowLocator(mdates.AutoDateLocator):
    """Date ticks from `start` on: none in the not-to-scale strip left of it."""

    def __init__(self, start: float, gap: float, **kwargs):
        super().__init__(**kwargs)
        self.start = start
        self.gap = gap

    def __call__(self):
        return [t for t in super().__call__() if t >= self.start + self.gap - 1e-9]


def date_axis(ax, lo: float, hi: float, top: bool = False, start: float | None = None) -> None:
    """A date axis from lo to hi; with `start`, ticks only from there (lo..start is the edge
    strip, labelled 'earlier', and the first tick keeps clear of that label)."""
    gap = 0.0 if start is None or start <= lo else (start - lo) * 0.45
    locator = _WindowLocator(lo if start is None else start, gap, minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlim(lo, hi)
    ax.tick_params(axis="x", labelsize=TICK_SIZE, colors=INK, labeltop=top, top=top)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    if start is not None and start > lo:
        ax.annotate(
            "earlier", ((lo + start) / 2, 0.0), xycoords=("data", "axes fraction"),
            xytext=(0, -3.5), textcoords="offset points", fontsize=TICK_SIZE - 1,
            color=MUTED_INK, style="italic", ha="center", va="top",
        )  # fmt: skip
        for x in (start - (start - lo) * 0.12, start - (start - lo) * 0.02):
            ax.annotate(
                "", (x, 0.0), xycoords=("data", "axes fraction"), xytext=(-2, -4),
                textcoords="offset points", annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.8},
            )  # fmt: skip


# The strip left of the window where older history is marked, in points.
EDGE_PT = 38.0


def draw_edge(ax, start: float, left: float, rows: dict, band: float, text_size: float) -> None:
    """Older history in the strip from `left` to `start`: per row, a stub in the colour of the
    status it runs in with (grey if it ended before the window), naming the year it began."""
    from matplotlib.collections import PolyCollection

    from thirdcountry.report.palette import style

    inset = (start - left) * 0.1  # a white gap before the window: the break
    verts, colours = [], []
    for row, (year, status) in rows.items():
        x0, x1 = left, start - inset
        verts.append(
            [(x0, row - band / 2), (x1, row - band / 2), (x1, row + band / 2), (x0, row + band / 2)]
        )
        look = style(status) if status else None
        colours.append(look.color if look else EDGE_COLOR)
        if text_size:
            ax.text(
                (x0 + x1) / 2, row, year, fontsize=text_size, ha="center", va="center",
                color=look.text_color if look else INK, zorder=6,
            )  # fmt: skip
    ax.add_collection(
        PolyCollection(verts, facecolors=colours, edgecolors="none", alpha=0.75, zorder=2)
    )


EDGE_COLOR = "#E4E4E4"


def padded_span(numbers: Iterable[float], pad: float = 0.02) -> tuple[float, float]:
    finite = [n for n in numbers if n is not None and math.isfinite(n)]
    if not finite:
        today = float(date_numbers([pd.Timestamp("2000-01-01")])[0])
        return today - 365, today + 365
    lo, hi = min(finite), max(finite)
    if hi - lo < 60:
        lo, hi = lo - 90, hi + 90
    margin = (hi - lo) * pad
    return lo - margin, hi + margin


# The period that matters: by default an axis starts shortly before the first date after this
# year, and anything older is marked at the left edge with its start date, not drawn to scale.
FOCUS_AFTER_YEAR = 2015
LEAD_DAYS = 75.0  # how far before that first date the axis starts (at least)
LEAD_SHARE = 0.03  # ...or this share of the span shown, if more


def focus_start(numbers: Iterable[float], hi: float) -> float | None:
    """Where the default axis starts, or None to show everything (pure).

    When some dates fall before FOCUS_AFTER_YEAR ends and some after, the axis starts a little
    before the first date after it; when all are on one side, nothing is cut.
    """
    finite = np.array([n for n in numbers if n is not None and math.isfinite(n)], dtype=float)
    if not len(finite):
        return None
    cutoff = float(date_numbers([pd.Timestamp(f"{FOCUS_AFTER_YEAR + 1}-01-01")])[0])
    recent = finite[finite >= cutoff]
    if not len(recent) or not (finite < cutoff).any():
        return None
    first = float(recent.min())
    lead = max(LEAD_DAYS, (hi - first) * LEAD_SHARE)
    return first - lead


def year_text(number: float) -> str:
    return str(mdates.num2date(number).year)


def date_window(lo: float, hi: float, since, until=None) -> tuple[float, float]:
    """The date range to show: the data's, or the one asked for."""
    start, end = stamp(since), stamp(until)
    if start is not None:
        lo = float(date_numbers([start])[0])
    if end is not None:
        hi = float(date_numbers([end])[0])
    if hi <= lo:
        raise ValueError(f"nothing to show between {since} and {until}")
    return lo, hi
