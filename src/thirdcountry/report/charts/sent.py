"""People sent per agreement over time: running totals as steps, ranges where sources disagree.

`sent_layout` (pure) picks the agreements to name, builds each one's step path and places the
end labels so they never overlap; `people_sent` draws it. Counts are on a log scale: deals that
sent seven people and deals that sent thousands share one chart.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from thirdcountry.report.charts.alt import count_phrase, set_alt
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    LABEL_SIZE,
    MARGIN,
    TICK_SIZE,
    WIDTH,
    Frame,
    empty_figure,
)
from thirdcountry.report.charts.labels import fit_text, text_width
from thirdcountry.report.charts.timeaxis import (
    axis_gaps,
    compress_gaps,
    date_axis,
    date_numbers,
    day_text,
    month_text,
    padded_span,
    stamp,
)
from thirdcountry.report.palette import AS_OF_COLOR, INK, UNCERTAIN_ALPHA

# Agreements, not statuses: Okabe–Ito's colour-blind-safe set, darkest first, for named lines.
SERIES_COLORS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#8E6C00",
    "#6A3D9A",
    "#B15928",
)
OTHER_COLOR = "#B3B3B3"
NAMED = len(SERIES_COLORS)  # at most this many agreements get a colour and a label
BODY_HEIGHT = 4.2  # inches
END_LABEL_MIN = 7.0  # points: the smallest end label
LABEL_ROOM = 3.1  # inches right of the plot for end labels: a short name and its total, whole
LABEL_GAP_PT = LABEL_SIZE * 1.25  # vertical room per end label


@dataclass(frozen=True)
class SentLine:
    """One agreement's running total: steps at `x` (date numbers), from `x_from` where the date
    is an interval; `low`..`high` (NaN: only a floor), and how its end label reads."""

    agreement_id: str
    label: str
    x: tuple[float, ...]
    x_from: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    open_above: tuple[bool, ...]
    disputed: tuple[bool, ...]
    approximate: tuple[bool, ...]
    named: bool
    color: str
    end_text: str
    label_y: float  # log10 of where the end label sits


@dataclass(frozen=True)
class SentLayout:
    lines: tuple[SentLine, ...]  # named ones first
    lo: float
    hi: float
    end: float
    y_min: float
    y_max: float
    gaps: tuple[tuple[float, float], ...] = ()  # empty stretches drawn compressed (date numbers)

    @property
    def others(self) -> int:
        return sum(not line.named for line in self.lines)


def count_text(low: float, high: float, open_above: bool, approximate: bool) -> str:
    """'939', '238–252', '≥19', '~250'."""
    if open_above and (math.isnan(high) or high <= low):
        return f"≥{low:,.0f}"
    if not math.isnan(high) and high > low:
        return f"{low:,.0f}–{high:,.0f}" + ("+" if open_above else "")
    return ("~" if approximate else "") + f"{low:,.0f}"


def spread_labels(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Positions as close to `wanted` as possible, at least `gap` apart, within lo..hi.

    Keeps the order of `wanted`; where the room is too small they are spaced evenly.
    """
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    if gap * (len(wanted) - 1) > hi - lo:
        step = (hi - lo) / max(len(wanted) - 1, 1)
        placed = [lo + k * step for k in range(len(wanted))]
    else:
        placed = []
        for i in order:  # push up from below
            y = max(wanted[i], lo, (placed[-1] + gap) if placed else lo)
            placed.append(y)
        overflow = placed[-1] - hi
        if overflow > 0:  # then push down from the top
            placed[-1] = hi
            for k in range(len(placed) - 2, -1, -1):
                placed[k] = min(placed[k], placed[k + 1] - gap)
    result = [0.0] * len(wanted)
    for rank, i in enumerate(order):
        result[i] = placed[rank]
    return result


def sent_layout(
    steps: pd.DataFrame,
    labels: dict[str, str],
    *,
    as_of: dt.date | str | None = None,
    since: dt.date | str | None = None,
    named: int = NAMED,
    label_gap: float = 0.09,
) -> SentLayout:
    """Lines for the steps of `analysis.running_totals(..., 'people_transferred')`.

    The `named` agreements with the highest latest counts get a colour and an end label; the
    others are drawn thin and grey. `label_gap` is the least distance between end labels, in
    log10 units of the count axis.
    """
    steps = steps[steps["unit"] == "people"] if "unit" in steps else steps
    x = date_numbers(steps["latest"])
    x_from = date_numbers(steps["earliest"].fillna(steps["latest"]))
    steps = steps.assign(_x=x, _x_from=np.where(np.isnan(x_from), x, x_from))
    day = stamp(as_of)
    end = float(date_numbers([day])[0]) if day is not None else float(np.nanmax(x))
    steps = steps[steps["_x"] <= end]
    lo, hi = padded_span([*steps["_x_from"], end], pad=0.03)
    if since is not None and stamp(since) is not None:
        lo = float(date_numbers([stamp(since)])[0])
    latest = steps.sort_values("_x").groupby("agreement_id").tail(1)
    ranking = latest.sort_values(["low", "agreement_id"], ascending=[False, True])
    chosen = list(ranking["agreement_id"][:named])
    tops = np.concatenate([steps["low"].to_numpy(), steps["high"].dropna().to_numpy()])
    y_min = max(0.8, float(np.nanmin(steps["low"])) / 1.6) if len(steps) else 1.0
    y_max = float(np.nanmax(tops)) * 2.2 if len(tops) else 10.0
    wanted = []
    for agreement_id in chosen:
        last = latest[latest["agreement_id"] == agreement_id].iloc[0]
        wanted.append(math.log10(max(last["low"], y_min)))
    placed = spread_labels(wanted, label_gap, math.log10(y_min), math.log10(y_max))
    lines = []
    for agreement_id, group in steps.groupby("agreement_id", sort=False):
        group = group.sort_values("_x")
        last = group.iloc[-1]
        is_named = agreement_id in chosen
        rank = chosen.index(agreement_id) if is_named else -1
        lines.append(
            SentLine(
                agreement_id=str(agreement_id),
                label=labels.get(str(agreement_id), str(agreement_id)),
                x=tuple(group["_x"]),
                x_from=tuple(group["_x_from"]),
                low=tuple(group["low"].astype(float)),
                high=tuple(group["high"].astype(float)),
                open_above=tuple(bool(v) for v in group["open_above"]),
                disputed=tuple(bool(v) for v in group["disputed"]),
                approximate=tuple(bool(v) for v in group["approximate"]),
                named=is_named,
                color=SERIES_COLORS[rank] if is_named else OTHER_COLOR,
                end_text=count_text(
                    last["low"], last["high"], bool(last["open_above"]), bool(last["approximate"])
                ),
                label_y=placed[rank] if is_named else math.nan,
            )
        )
    lines.sort(
        key=lambda line: (not line.named, chosen.index(line.agreement_id) if line.named else 0)
    )
    marks = [*steps["_x"], *steps["_x_from"], end]
    gaps = axis_gaps(marks, lo, max(hi, end))
    return SentLayout(tuple(lines), lo, hi, end, y_min, y_max, gaps)


def people_sent(
    steps: pd.DataFrame,
    labels: dict[str, str],
    as_of: dt.date | str | None = None,
    *,
    since: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> Figure:
    """Running totals of people sent per agreement, as steps on a log scale, to `as_of`.

    A band shows the range where sources disagree or round; an open triangle marks a floor
    ('at least'); a bracket under a step shows a date known only to a month or an interval.
    """
    title = title or "People sent under each agreement, over time"
    if steps is None or len(steps) == 0:
        return empty_figure(title, "No counts of people sent match.", source)
    layout = sent_layout(steps, labels, as_of=as_of, since=since)
    if not layout.lines:
        return empty_figure(title, "No counts of people sent by this date.", source)
    total = len(layout.lines)
    subtitle = [
        "running total" if total == 1 else f"running totals of {count_phrase(total, 'agreement')}",
        "log scale",
        f"to {day_text(pd.Timestamp(_num_to_day(layout.end)))}",
    ]
    if layout.others:
        subtitle.append(f"the {NAMED} largest named, {layout.others:,} others in grey")
    if layout.gaps:
        subtitle.append("years without any count drawn narrow")
    handles = [
        Patch(facecolor="#8C8C8C", alpha=UNCERTAIN_ALPHA, label="range: imprecise or disputed"),
        Line2D(
            [],
            [],
            marker="^",
            linestyle="none",
            markerfacecolor="white",
            color=INK,
            label="at least (floor)",
        ),
        Line2D(
            [],
            [],
            marker="|",
            linestyle="-",
            color=INK,
            linewidth=0.8,
            label="date known to a month or interval",
        ),
        Line2D([], [], color=AS_OF_COLOR, linestyle="--", linewidth=1, label="as of"),
    ]
    frame = Frame.make(title, subtitle, source, handles, below=0.55)
    fig, bottom, top = frame.figure(BODY_HEIGHT)
    left = MARGIN + 0.55
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + LABEL_ROOM) / WIDTH, top - bottom))
    ax.set_yscale("log")
    ax.set_ylim(layout.y_min, layout.y_max)
    for line in reversed(layout.lines):  # named lines drawn last, on top
        _draw_line(ax, line, layout.end)
    ax.axvline(layout.end, color=AS_OF_COLOR, linestyle="--", linewidth=0.9, zorder=4)
    date_axis(ax, layout.lo, max(layout.hi, layout.end))
    compress_gaps(ax, layout.lo, max(layout.hi, layout.end), layout.gaps)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else ""))
    ax.tick_params(axis="y", labelsize=TICK_SIZE, colors=INK)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.6, zorder=0)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_ylabel("People sent (running total)", fontsize=TICK_SIZE, color=INK)
    ax.set_xlabel("Date", fontsize=TICK_SIZE, color=INK)
    room = (LABEL_ROOM - 0.15) * 72
    for line in layout.lines:
        if not line.named:
            continue
        text = f"{line.label} {line.end_text}"
        # Set smaller (down to END_LABEL_MIN) before a name is ever shortened.
        size = max(
            END_LABEL_MIN, min(LABEL_SIZE, 0.96 * LABEL_SIZE * room / text_width(text, LABEL_SIZE))
        )
        ax.annotate(
            fit_text(text, size, room),
            xy=(1.0, 10**line.label_y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=size,
            color=line.color if line.color != "#E69F00" else "#8E6C00",
            va="center",
            ha="left",
            annotation_clip=False,
        )
    named = [f"{line.label}: {line.end_text}" for line in layout.lines if line.named]
    alt = (
        "Step chart, log scale, of how many people were sent under "
        f"{count_phrase(total, 'agreement')} up to "
        f"{day_text(pd.Timestamp(_num_to_day(layout.end)))}. Latest totals: " + "; ".join(named)
    )
    if layout.others:
        alt += f"; and {layout.others:,} smaller ones"
    alt += "."
    for start, end in layout.gaps:
        alt += (
            f" No count changes from {month_text(start)} to {month_text(end)}: that stretch is"
            " drawn narrow, not to scale."
        )
    set_alt(fig, alt)
    return fig


def _num_to_day(number: float) -> pd.Timestamp:
    import matplotlib.dates as mdates

    return pd.Timestamp(mdates.num2date(number).date())


def _draw_line(ax, line: SentLine, end: float) -> None:
    xs = [*line.x, end]
    lows = [*line.low, line.low[-1]]
    highs = [h if not math.isnan(h) else lo for h, lo in zip(line.high, line.low, strict=True)]
    highs = [*highs, highs[-1]]
    width = 1.8 if line.named else 0.7
    z = 3 if line.named else 2
    ax.step(xs, lows, where="post", color=line.color, linewidth=width, zorder=z)
    if any(h > lo for h, lo in zip(highs, lows, strict=True)):
        ax.fill_between(
            xs,
            lows,
            highs,
            step="post",
            color=line.color,
            alpha=UNCERTAIN_ALPHA,
            linewidth=0,
            zorder=z,
        )
    if not line.named:
        return
    for x, x_from, low, is_open in zip(line.x, line.x_from, line.low, line.open_above,
                                       strict=True):  # fmt: skip
        if is_open:
            ax.plot(
                [x],
                [low],
                marker="^",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=line.color,
                linestyle="none",
                zorder=z + 1,
            )
        else:
            ax.plot([x], [low], marker="o", markersize=3, color=line.color, zorder=z + 1)
        if x_from < x:
            ax.plot(
                [x_from, x],
                [low, low],
                color=line.color,
                linewidth=0.8,
                zorder=z,
                marker="|",
                markersize=6,
            )


__all__ = ["SentLayout", "SentLine", "count_text", "people_sent", "sent_layout", "spread_labels"]
