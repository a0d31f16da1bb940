"""The time axis: dates as matplotlib date numbers, the window shown, date words, the axis."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from thirdcountry.report.charts.frame import TICK_SIZE
from thirdcountry.report.palette import (
    INK,
)

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


def date_axis(ax, lo: float, hi: float, top: bool = False) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlim(lo, hi)
    ax.tick_params(axis="x", labelsize=TICK_SIZE, colors=INK, labeltop=top, top=top)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


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
