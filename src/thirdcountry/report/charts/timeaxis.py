"""The time axis: dates as matplotlib date numbers, the window shown, date words, the axis."""

from __future__ import annotations

import itertools
import math
import re
import warnings
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


# -- long empty stretches, compressed --------------------------------------------------------------
# A stretch of the axis where nothing happens (no step, no date) longer than GAP_MIN_DAYS and than
# GAP_MIN_SHARE of the span is drawn GAP_WIDTH_SHARE wide, between break marks, so that two
# periods years apart (the 2019–2020 transfers and the 2025 flights) both get room. Lines run on
# across it at their level: nothing changed there.
GAP_MIN_DAYS = 730.0
GAP_MIN_SHARE = 0.25
GAP_WIDTH_SHARE = 0.05
GAP_PAD_DAYS = 90.0  # room kept on either side of the dates that bound a gap


def axis_gaps(
    marks: Iterable[float],
    lo: float,
    hi: float,
    *,
    min_days: float = GAP_MIN_DAYS,
    min_share: float = GAP_MIN_SHARE,
    pad: float = GAP_PAD_DAYS,
) -> tuple[tuple[float, float], ...]:
    """The empty stretches of lo..hi to compress (pure): between consecutive `marks` (the dates
    where something is drawn), less `pad` days on each side, where long enough."""
    points = sorted({m for m in marks if m is not None and math.isfinite(m) and lo <= m <= hi})
    gaps = []
    for before, after in itertools.pairwise(points):
        start, end = before + pad, after - pad
        if end - start >= min_days and end - start >= min_share * (hi - lo):
            gaps.append((start, end))
    return tuple(gaps)


def gap_knots(
    lo: float,
    hi: float,
    gaps: tuple[tuple[float, float], ...],
    width_share: float = GAP_WIDTH_SHARE,
) -> tuple[np.ndarray, np.ndarray]:
    """A piecewise-linear axis (pure): date numbers at the knots and where they are drawn.

    Outside the gaps one day is one unit; each gap takes `width_share` of the drawn width.
    """
    kept = (hi - lo) - sum(end - start for start, end in gaps)
    drawn_gap = width_share * kept / max(1e-9, 1 - width_share * len(gaps))
    data, drawn = [lo], [lo]
    for start, end in gaps:
        drawn.append(drawn[-1] + (start - data[-1]))  # the kept stretch before the gap, 1:1
        data.append(start)
        drawn.append(drawn[-1] + drawn_gap)
        data.append(end)
    drawn.append(drawn[-1] + (hi - data[-1]))
    data.append(hi)
    return np.array(data, dtype=float), np.array(drawn, dtype=float)


class _GapLocator(mdates.AutoDateLocator):
    """Date ticks from the kept stretches, each with as many ticks as its drawn width allows:
    none inside a gap."""

    def __init__(self, gaps: tuple[tuple[float, float], ...], knots, **kwargs):
        super().__init__(**kwargs)
        self.gaps = gaps
        self.knots = knots  # (data, drawn) of gap_knots

    def __call__(self):
        ticks = []
        lo, hi = self.axis.get_view_interval() if self.axis else (0.0, 0.0)
        data, drawn = self.knots
        width = float(np.interp(hi, data, drawn) - np.interp(lo, data, drawn)) or 1.0
        edges = [lo, *[x for gap in self.gaps for x in gap], hi]
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            if end <= start:
                continue
            share = float(np.interp(end, data, drawn) - np.interp(start, data, drawn)) / width
            most = max(2, round(TICKS_ACROSS * share))
            locator = mdates.AutoDateLocator(minticks=1, maxticks=most)
            with warnings.catch_warnings():  # a short stretch: its default interval is fine
                warnings.simplefilter("ignore", UserWarning)
                values = locator.tick_values(mdates.num2date(start), mdates.num2date(end))
            ticks += [t for t in values if start <= t <= end]
        return sorted(set(ticks))


TICKS_ACROSS = 9  # date ticks across the whole axis, shared out by drawn width


def compress_gaps(ax, lo: float, hi: float, gaps: tuple[tuple[float, float], ...]) -> None:
    """Draw the x axis with `gaps` compressed: a piecewise scale, ticks per kept stretch, and
    at each gap a pale band between break marks, labelled with the years it leaves out."""
    if not gaps:
        return
    data, drawn = gap_knots(lo, hi, gaps)
    ax.set_xscale(
        "function",
        functions=(lambda x: np.interp(x, data, drawn), lambda u: np.interp(u, drawn, data)),
    )
    ax.set_xlim(lo, hi)
    locator = _GapLocator(gaps, (data, drawn))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    for start, end in gaps:
        ax.axvspan(start, end, color="#F2F2F2", zorder=0, linewidth=0)
        middle = float(np.interp((np.interp(start, data, drawn) + np.interp(end, data, drawn)) / 2,
                                 drawn, data))  # fmt: skip
        ax.annotate(
            f"{year_text(start)}–{year_text(end)}\nnot to scale", (middle, 1.0),
            xycoords=("data", "axes fraction"), xytext=(0, -3), textcoords="offset points",
            fontsize=TICK_SIZE - 2, color=MUTED_INK, style="italic", ha="center", va="top",
        )  # fmt: skip
        for x in (start, end):  # the break marks on the axis line
            ax.annotate(
                "", (x, 0.0), xycoords=("data", "axes fraction"), xytext=(-3, -5),
                textcoords="offset points", annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.9},
            )  # fmt: skip
