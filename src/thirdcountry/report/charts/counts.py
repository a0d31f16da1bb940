"""Status counts over time: one small step chart per status, certain and possible counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from thirdcountry.report import palette
from thirdcountry.report.charts.alt import count_phrase, set_alt
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MARGIN,
    STATUS_GID,
    TICK_SIZE,
    WIDTH,
    Frame,
    empty_figure,
)
from thirdcountry.report.charts.status_periods import bounded_ends
from thirdcountry.report.charts.timeaxis import (
    date_axis,
    date_numbers,
    date_window,
    day_text,
    focus_start,
    month_text,
    padded_span,
    stamp,
)
from thirdcountry.report.palette import (
    AS_OF_COLOR,
    INK,
    MUTED_INK,
    UNCERTAIN_ALPHA,
    status_label,
    style,
)

# -- d. status counts over time --------------------------------------------------------------------


def intervals(history: pd.DataFrame) -> dict[str, tuple[np.ndarray, ...]]:
    """Per status: when each period certainly ran [s1, e0) and possibly ran [s0, e1)."""
    s0 = date_numbers(history["start_earliest"])
    s1 = date_numbers(history["start_latest"])
    e0 = date_numbers(history["end_earliest"])
    e1 = date_numbers(history["end_latest"])
    ongoing = np.isnan(e0) & np.isnan(e1)
    s0 = np.where(np.isnan(s0), -np.inf, s0)
    s1 = np.where(np.isnan(s1), np.inf, s1)  # an open start is never certainly reached
    e0 = np.where(ongoing, np.inf, np.where(np.isnan(e0), s1, e0))
    e1 = np.where(ongoing | np.isnan(e1), np.inf, e1)
    e0 = np.maximum(e0, s1)  # a period that may already be over before it surely began
    e1 = np.maximum(e1, s0)
    statuses = history["status"].astype(str).to_numpy()
    result: dict[str, tuple[np.ndarray, ...]] = {}
    for status in np.unique(statuses):
        mask = statuses == status
        result[status] = (s0[mask], s1[mask], e0[mask], e1[mask])
    return result


def count_at(starts: np.ndarray, ends: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many [start, end) intervals contain each time."""
    started = np.searchsorted(np.sort(starts), times, side="right")
    ended = np.searchsorted(np.sort(ends), times, side="right")
    return started - ended


# A status gets a panel when some agreement was (possibly) in it for at least this share of the
# dates shown, or on the as-of date; the others would be mostly empty and are named instead.
MIN_PANEL_SHARE = 0.2


@dataclass
class CountsLayout:
    """The counts each panel shows, at `times` (pure)."""

    day: pd.Timestamp
    lo: float
    hi: float
    end: float  # the as-of date
    times: np.ndarray
    counted: dict[str, tuple[np.ndarray, np.ndarray]]  # status -> (certain, possible) counts
    panels: list[str]  # statuses with a panel, in lifecycle order
    brief: list[str]  # statuses held only briefly in these dates: named, no panel
    never: list[str]  # statuses no agreement stayed in for a day in these dates
    earlier: int  # agreements counted at the left edge whose status began before it


def held_share(times: np.ndarray, upper: np.ndarray, end: float) -> float:
    """The share of [times[0], end] in which the possible count is above zero (pure)."""
    widths = np.diff(np.append(times, end))
    span = end - times[0]
    return float(widths[upper > 0].sum() / span) if span > 0 else float(upper[-1] > 0)


def counts_layout(history: pd.DataFrame, as_of=None, since=None) -> CountsLayout | None:
    """Counts per status over the window (default: the period that matters, as in the other
    charts), and which statuses get a panel. None when no agreement had a status then."""
    periods = intervals(bounded_ends(history))
    bounds = np.concatenate([np.concatenate(v) for v in periods.values()])
    finite = bounds[np.isfinite(bounds)]
    day = stamp(as_of)
    end = float(date_numbers([day])[0]) if day is not None else float(finite.max())
    day = day or pd.Timestamp(mdates.num2date(end).date())
    lo, hi = padded_span([*finite[finite <= end], end], pad=0.015)
    hi = end + (hi - end) * 0.3
    if since is None:
        starts = np.concatenate([np.concatenate([v[0], v[1]]) for v in periods.values()])
        lo = focus_start([s for s in starts if s <= end], hi) or lo
    lo, hi = date_window(lo, hi, since)
    times = np.unique(np.concatenate([finite[(finite > lo) & (finite <= end)], [lo, end]]))
    counted = {}
    for status in palette.STATUSES:
        if status in periods:
            s0, s1, e0, e1 = periods[status]
            counted[status] = (count_at(s1, e0, times), count_at(s0, e1, times))
    held = [s for s, (_, upper) in counted.items() if upper.max() > 0]
    if not held:
        return None
    panels = [
        s for s in held
        if counted[s][1][-1] > 0 or held_share(times, counted[s][1], end) >= MIN_PANEL_SHARE
    ]  # fmt: skip
    if not panels:
        panels = held
    earlier = sum(int(counted[s][1][0]) for s in held)
    return CountsLayout(
        day=day, lo=lo, hi=hi, end=end, times=times, counted=counted, panels=panels,
        brief=[s for s in held if s not in panels],
        never=[s for s in counted if s not in held],  # e.g. same-day steps
        earlier=earlier if lo > finite.min() else 0,
    )  # fmt: skip


def status_counts(
    history: pd.DataFrame,
    as_of: dt.date | str | None = None,
    *,
    since: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> Figure:
    """How many agreements were in each status over time: one small step chart per status.

    The solid, hatched area counts agreements certainly in the status; the faded band above it
    those possibly in it (a change of status dated only to an interval). Each panel has its own
    scale. Counts run to `as_of` (default: the last date in the history), from `since` if given
    (default: the period that matters); a status held only briefly gets no panel, but is named.
    """
    title = title or "Agreements in each status over time"
    if history is None or len(history) == 0:
        return empty_figure(title, "No status history matches.", source)
    layout = counts_layout(history, as_of, since)
    if layout is None:
        return empty_figure(title, "No agreement had a status in these dates; none match.", source)
    day, lo, hi, end, times, counted = (
        layout.day, layout.lo, layout.hi, layout.end, layout.times, layout.counted
    )  # fmt: skip
    statuses = layout.panels
    handles = [
        Patch(
            facecolor="#8C8C8C", hatch="//", edgecolor="#FFFFFF", label="certainly in the status"
        ),
        Patch(
            facecolor="#8C8C8C",
            alpha=UNCERTAIN_ALPHA,
            edgecolor="none",
            label="possibly (date of change uncertain)",
        ),
        Line2D([], [], color=AS_OF_COLOR, linestyle="--", linewidth=1, label="as of"),
    ]
    agreements = history["agreement_id"].nunique()
    subtitle = [
        f"{count_phrase(agreements, 'agreement')}, {month_text(lo)} – {day_text(day)}",
        "each panel has its own scale",
    ]
    if layout.earlier:
        subtitle.append(
            f"at the left edge, {count_phrase(layout.earlier, 'agreement')} already in its "
            f"status before {month_text(lo)}"
        )
    if layout.brief:
        subtitle.append(
            f"no panel for {' or '.join(status_label(s) for s in layout.brief)}: held only "
            "briefly in these dates, and not on the as-of date (see the status history)"
        )
    if layout.never:
        subtitle.append(
            f"no panel for {' or '.join(status_label(s) for s in layout.never)}: no agreement "
            "stayed so for a day in these dates"
        )
    panel = 0.95  # inches per panel, title included
    frame = Frame.make(title, subtitle, source, handles, above=0.0, below=0.5)
    fig, bottom, top = frame.figure(panel * len(statuses))
    height = fig.get_figheight()
    panel = (top - bottom) * height / len(statuses)
    left, right = MARGIN + 0.45, 1.35
    gap = 0.3  # inches above each panel for its title
    summary = []
    axes = []
    for index, status in enumerate(statuses):
        lower, upper = counted[status]
        y_top = top - index * panel / height - gap / height
        y_bottom = top - (index + 1) * panel / height
        ax = fig.add_axes((left / WIDTH, y_bottom, 1 - (left + right) / WIDTH, y_top - y_bottom))
        axes.append(ax)
        look = style(status)
        ax.fill_between(
            times,
            0,
            lower,
            step="post",
            facecolor=look.color,
            hatch=look.hatch,
            edgecolor=look.hatch_color,
            linewidth=0,
            gid=STATUS_GID + status,
            zorder=2,
        )
        ax.fill_between(
            times,
            lower,
            upper,
            step="post",
            facecolor=look.color,
            alpha=UNCERTAIN_ALPHA,
            linewidth=0,
            zorder=2,
        )
        ax.step(
            times,
            lower,
            where="post",
            color=look.hatch_color if look.text_color == INK else look.color,
            linewidth=0.9,
            zorder=3,
        )
        ax.set_xlim(lo, hi)
        peak = max(1, int(upper.max()))
        ax.set_ylim(0, peak * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True, min_n_ticks=2))
        ax.tick_params(axis="y", labelsize=7.5, colors=INK, length=2)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        ax.axvline(end, color=AS_OF_COLOR, linestyle="--", linewidth=0.9, zorder=4)
        ax.set_title(look.label, loc="left", fontsize=9, weight="bold", color=INK, pad=3)
        now_low, now_up = int(lower[-1]), int(upper[-1])
        now = f"{now_low:,}" if now_low == now_up else f"{now_low:,}–{now_up:,}"
        ax.annotate(
            now,
            (1.0, 0.5),
            xycoords="axes fraction",
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=8.5,
            weight="bold",
            color=INK,
            va="center",
            ha="left",
        )
        if index == 0:
            ax.annotate(
                f"as of {day_text(day)}",
                (1.0, 1.0),
                xycoords="axes fraction",
                xytext=(6, 3),
                textcoords="offset points",
                fontsize=7.5,
                color=MUTED_INK,
                va="bottom",
                ha="left",
            )
        summary.append(f"{look.label} {now}")
        date_axis(ax, lo, hi)
        if index < len(statuses) - 1:
            ax.tick_params(axis="x", labelbottom=False)
    axes[-1].set_xlabel("Date", fontsize=TICK_SIZE, color=INK)
    axes[len(axes) // 2].set_ylabel("Agreements", fontsize=TICK_SIZE, color=INK)

    alt = (
        f"Small step charts, one per status, of how many of {agreements:,} agreements were in "
        f"each status from {month_text(lo)} to {day_text(day)}. Solid areas count agreements "
        f"certainly in the status, faded bands those possibly in it. As of {day_text(day)}: "
        + "; ".join(summary)
        + "."
    )
    set_alt(fig, alt)
    return fig
