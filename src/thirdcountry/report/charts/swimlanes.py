"""Status swimlanes: one lane per agreement, one band per status period, uncertain changes faded.

`swimlane_layout` (pure) computes the window of dates, the lanes and every band; `status_swimlanes`
draws them. By default the axis shows the period that matters (see `timeaxis.focus_start`): a
lane whose history began earlier runs in from a narrow strip at the left edge, not to scale,
which names the year it began.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from thirdcountry.report import palette
from thirdcountry.report.charts.alt import count_phrase, set_alt, status_counts_text
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MARGIN,
    STATUS_GID,
    TICK_SIZE,
    WIDTH,
    FadePatch,
    Frame,
    empty_figure,
    row_font,
)
from thirdcountry.report.charts.labels import cell_flag, row_labels, text_width
from thirdcountry.report.charts.status_periods import bounded_ends
from thirdcountry.report.charts.timeaxis import (
    EDGE_PT,
    date_axis,
    date_numbers,
    date_window,
    day_text,
    draw_edge,
    focus_start,
    month_text,
    padded_span,
    stamp,
    year_text,
)
from thirdcountry.report.palette import (
    AS_OF_COLOR,
    DISPUTED_COLOR,
    INK,
    MUTED_INK,
    status_label,
    style,
)

RAMP_STEPS = 8  # an uncertain stretch fades in this many steps
MAX_PITCH = 0.28  # inches per lane, at most: room for a title on two lines
MAX_LANES = 40  # beyond, the agreements with the latest change of status (the table has all)


@dataclass
class Band:
    """One stretch of a lane in one status: solid, or fading in ('rising') or out ('falling')."""

    row: int
    status: str
    x0: float
    x1: float
    shape: str = "solid"


@dataclass
class SwimlaneLayout:
    """Everything the drawing needs, in matplotlib date numbers and lane rows."""

    lanes: list[str]  # agreement ids, top to bottom
    titles: list[str]
    lo: float  # the window shown
    hi: float
    day: pd.Timestamp  # the as-of date
    as_of: float
    bands: list[Band] = field(default_factory=list)
    open_left: list[int] = field(default_factory=list)  # rows: a period open at its start
    open_right: list[int] = field(default_factory=list)  # rows: a period still running past hi
    earlier: dict[int, tuple[float, str]] = field(default_factory=dict)  # row: (first start,
    # status at the window's start) for lanes whose history began before it
    disputed: list[tuple[float, int]] = field(default_factory=list)
    no_steps: list[int] = field(default_factory=list)  # rows with no dated step
    periods: int = 0
    disputed_periods: int = 0
    latest: list[str] = field(default_factory=list)  # each agreement's latest status
    hidden: int = 0  # agreements left out: more than MAX_LANES, the least recently changed
    statuses: list[str] = field(default_factory=list)  # every status drawn
    # rows whose status on the as-of date is not confirmed: (row, last evidence as a date number)
    unconfirmed: list[tuple[int, float]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each lane's row (headers take rows too)
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # (name, header row, lanes)

    @property
    def height(self) -> int:
        """Rows drawn: one per lane, plus one per group header."""
        return len(self.lanes) + len(self.groups)

    @property
    def edge(self) -> bool:
        """Some history lies before the window: the left-edge strip is drawn."""
        return bool(self.earlier)


def swimlane_layout(
    history: pd.DataFrame,
    agreements: pd.DataFrame | None,
    as_of: dt.date | str | None,
    since: dt.date | str | None = None,
    max_lanes: int = MAX_LANES,
) -> SwimlaneLayout | None:
    """Lanes and bands for `analysis.status_history(...)`; None when no agreement is given.

    The window runs from `since` (default: shortly before the first change after 2015, when
    there is older history; else the whole history) to a little after the as-of date. Where
    `agreements` has a 'group' column (e.g. the sending state) with more than one value, lanes
    are grouped under a header row per group, groups in the order of their first step.
    """
    history = history if history is not None else pd.DataFrame()
    if agreements is None:
        ids = list(dict.fromkeys(history.get("agreement_id", pd.Series(dtype=object))))
        names = dict(zip(ids, ids, strict=True))
    else:
        ids = [str(a) for a in agreements["agreement_id"]]
        names = dict(zip(ids, (str(t) for t in agreements["title"]), strict=True))
    if not ids:
        return None
    history = history[history["agreement_id"].isin(ids)] if len(history) else history
    hidden = 0
    if len(ids) > max_lanes:  # the agreements whose status changed last
        starts = history["start_earliest"].fillna(history["start_latest"])
        last = starts.groupby(history["agreement_id"]).max()
        ranked = sorted(ids, key=lambda a: last.get(a, pd.Timestamp.min), reverse=True)
        keep = set(ranked[:max_lanes])
        hidden = len(ids) - len(keep)
        ids = [a for a in ids if a in keep]
        history = history[history["agreement_id"].isin(keep)]
    history = bounded_ends(history.reset_index(drop=True))

    columns = ("start_earliest", "start_latest", "end_earliest", "end_latest")
    numbers = {c: date_numbers(history[c]) if len(history) else np.array([]) for c in columns}
    day = stamp(as_of)
    if day is None:  # the last date the history knows
        known = np.concatenate([[0.0], *[v[np.isfinite(v)] for v in numbers.values()]])
        day = pd.Timestamp(mdates.num2date(known.max()).date())
    as_of_num = float(date_numbers([day])[0])
    every_date = [*np.concatenate(list(numbers.values())), as_of_num]
    lo, hi = padded_span(every_date, 0.03)
    if since is None:
        candidates = [*numbers["start_earliest"], *numbers["start_latest"], as_of_num]
        lo = focus_start(candidates, hi) or lo
    lo, hi = date_window(lo, hi, since)

    first_start: dict[str, float] = {}
    starts = np.where(
        np.isnan(numbers["start_latest"]), numbers["start_earliest"], numbers["start_latest"]
    )
    for agreement_id, start in zip(history.get("agreement_id", []), starts, strict=True):
        if not np.isnan(start):
            first_start[agreement_id] = min(first_start.get(agreement_id, start), start)

    def by_first_step(a: str) -> tuple:
        return (a not in first_start, first_start.get(a, 0.0), names[a].casefold())

    lanes = sorted(ids, key=by_first_step)
    group_of = _groups(agreements, ids)
    groups: list[tuple[str, int, int]] = []
    if len(set(group_of.values())) > 1:
        order = list(dict.fromkeys(group_of[a] for a in lanes))  # by each group's first step
        lanes = sorted(lanes, key=lambda a: (order.index(group_of[a]), by_first_step(a)))
    rows, row = [], 0
    for position, agreement_id in enumerate(lanes):
        if len(set(group_of.values())) > 1 and (
            position == 0 or group_of[lanes[position - 1]] != group_of[agreement_id]
        ):
            size = sum(group_of[a] == group_of[agreement_id] for a in lanes)
            groups.append((group_of[agreement_id], row, size))
            row += 1
        rows.append(row)
        row += 1
    row_of = dict(zip(lanes, rows, strict=True))
    layout = SwimlaneLayout(
        lanes=lanes, titles=[names[a] for a in lanes], lo=lo, hi=hi, day=day, as_of=as_of_num,
        rows=rows, groups=groups,
    )  # fmt: skip
    layout.no_steps = [row_of[a] for a in lanes if a not in first_start]
    layout.hidden = hidden
    layout.periods = len(history)
    if not len(history):
        return layout

    for k, (agreement_id, status) in enumerate(
        zip(history["agreement_id"], history["status"].astype(str), strict=True)
    ):
        y = row_of[agreement_id]
        s0, s1 = numbers["start_earliest"][k], numbers["start_latest"][k]
        e0, e1 = numbers["end_earliest"][k], numbers["end_latest"][k]
        if np.isnan(s0):
            s0 = lo
            layout.open_left.append(y)
        open_start = np.isnan(s1)  # began some time after s0; no source says how long after
        ongoing = np.isnan(e0) and np.isnan(e1)
        if ongoing:
            e0 = e1 = hi
            layout.open_right.append(y)
        else:
            if np.isnan(e1):
                e1 = hi
                layout.open_right.append(y)
            if np.isnan(e0):
                e0 = s0 if open_start else s1
        if open_start:  # at the latest when it was certainly over, or past the edge
            s1 = e1
        if s0 < lo:  # began before the window: the lane runs in from the edge strip
            first, at_start = layout.earlier.get(y, (s0, ""))
            runs_in = lo < (hi if ongoing else e1)
            layout.earlier[y] = (min(first, s0), status if runs_in else at_start)
        stretches = [
            (s0, s1, "rising"),
            (s1, e0, "solid"),
            (max(e0, s1), e1, "falling" if not ongoing else ""),
        ]
        for x0, x1, shape in stretches:
            x0, x1 = max(x0, lo), min(x1, hi)
            if shape and x1 > x0:
                layout.bands.append(Band(y, status, x0, x1, shape))
        if cell_flag(history.at[k, "disputed"]):
            layout.disputed_periods += 1
            if lo <= s1 <= hi:
                layout.disputed.append((s1, y))
    layout.statuses = list(history["status"].astype(str))
    latest = history.sort_values(["agreement_id", "start_earliest"]).groupby("agreement_id").tail(1)
    layout.latest = list(latest["status"].astype(str))
    return layout


def _groups(agreements: pd.DataFrame | None, ids: list[str]) -> dict[str, str]:
    """Each agreement's group (the 'group' column), or one group for all."""
    if agreements is None or "group" not in agreements:
        return dict.fromkeys(ids, "")
    groups = dict(zip(agreements["agreement_id"].astype(str), agreements["group"], strict=True))
    return {a: "" if pd.isna(groups.get(a)) else str(groups.get(a)) for a in ids}


def _ramp(x0: float, x1: float, y: float, h: float, rgb, rising: bool) -> tuple[list, list]:
    """Rectangles from x0 to x1 whose opacity rises (or falls) step by step."""
    verts, colors = [], []
    edges = np.linspace(x0, x1, RAMP_STEPS + 1)
    for k in range(RAMP_STEPS):
        alpha = (k + 0.5) / RAMP_STEPS * 0.85
        if not rising:
            alpha = 0.85 - alpha
        a, b = edges[k], edges[k + 1]
        verts.append([(a, y - h / 2), (b, y - h / 2), (b, y + h / 2), (a, y + h / 2)])
        colors.append((*rgb, alpha))
    return verts, colors


def status_swimlanes(
    history: pd.DataFrame,
    agreements: pd.DataFrame | None,
    as_of: dt.date | str,
    *,
    since: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
    unconfirmed: dict[str, dt.date] | None = None,
) -> Figure:
    """One lane per agreement, one band per status period, from `analysis.status_history(...)`.

    Where a change of status is dated only to an interval, the band fades out and the next one
    fades in across it. Open intervals run to the edge of the axis, marked with an arrowhead.
    `agreements` (facts.agreements, or a selection of it) gives the lanes and their titles.
    `since` sets the start of the date axis (default: see `swimlane_layout`); periods that began
    before it run in from a strip at the left edge that names the year the lane began.
    `unconfirmed` (agreement id → last evidence, from status_as_of's `not_confirmed_since`) pales
    each such lane from its last evidence to the as-of line: 'not confirmed since'.
    """
    title = title or "Status history of each agreement"
    layout = swimlane_layout(history, agreements, as_of, since)
    if layout is None:
        return empty_figure(title, "No agreements match.", source)
    for row, agreement_id in zip(layout.rows, layout.lanes, strict=True):
        if unconfirmed and unconfirmed.get(agreement_id):
            last = float(mdates.date2num(pd.Timestamp(unconfirmed[agreement_id])))
            layout.unconfirmed.append((row, last))
    return _draw(layout, title, source)


def _handles(layout: SwimlaneLayout) -> list:
    handles: list[Artist] = [*palette.legend_handles(layout.statuses)]
    handles += [
        FadePatch(facecolor="#595959", edgecolor="none", label="fade: date of change uncertain"),
        Line2D(
            [], [], linestyle="none", marker=">", color=INK, markersize=5,
            label="open: runs on past the edge",
        ),
        Line2D([], [], color=AS_OF_COLOR, linestyle="--", linewidth=1, label="as of"),
    ]  # fmt: skip
    if layout.unconfirmed:
        handles.append(
            Patch(
                facecolor="#FFFFFF", alpha=0.6, edgecolor=INK, linewidth=0.5, hatch="....",
                label="not confirmed since its last evidence (over 90 days)",
            )
        )  # fmt: skip
    if layout.disputed_periods:
        handles.append(
            Line2D(
                [], [], linestyle="none", marker="D", color=DISPUTED_COLOR, markersize=4,
                markeredgecolor="#FFFFFF", label="disputed date",
            )
        )  # fmt: skip
    return handles


def _draw(layout: SwimlaneLayout, title: str, source: str) -> Figure:
    from matplotlib.colors import to_rgb

    n = layout.height
    lo, hi, day, as_of_num = layout.lo, layout.hi, layout.day, layout.as_of
    grouped = ", grouped by sending state" if layout.groups else ""
    periods = f"{count_phrase(layout.periods, 'status period')}, as of {day_text(day)}"
    if len(layout.lanes) == 1:  # one agreement's page: no lanes to explain
        subtitle = [periods]
    else:
        subtitle = [
            f"{count_phrase(len(layout.lanes), 'agreement')}, {periods}",
            f"one lane per agreement{grouped}, ordered by first step",
        ]
    if layout.edge:
        subtitle.append(
            f"from {month_text(lo)}; {count_phrase(len(layout.earlier), 'agreement')} began "
            "earlier (the strip at the left edge names the year, not to scale)"
        )
    if layout.no_steps:
        subtitle.append(f"{len(layout.no_steps):,} with no dated step yet (empty lanes)")
    if layout.unconfirmed:
        subtitle.append(
            f"{len(layout.unconfirmed):,} not confirmed by any evidence in the 90 days before "
            f"{day_text(day)}: paled from their last evidence ('not confirmed since')"
        )
    if layout.hidden:
        subtitle.append(
            f"drawn: the {len(layout.lanes):,} agreements whose status changed last; the other "
            f"{layout.hidden:,} {'is' if layout.hidden == 1 else 'are'} on the status board"
        )
    tall = n > 40
    frame = Frame.make(title, subtitle, source, _handles(layout), above=0.3 if tall else 0.05)

    # An empty strip at the top of the plot, 16 pt or one lane, for the as-of label.
    header = 16 / 72
    pitch = min(MAX_PITCH, (frame.max_body() - header) / n)
    header_rows = header / pitch
    pitch_pt = pitch * 72
    size, every = row_font(pitch_pt)
    fig, bottom, top = frame.figure(pitch * (n + header_rows))
    shown = list(range(0, len(layout.lanes), every))
    labels, label_size, label_room = row_labels(
        [layout.titles[k] for k in shown], size, pitch_pt * every, 3.0 * 72
    )
    left = MARGIN + label_room / 72 + 0.1
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN + 0.05) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN - 0.05) * 72
    edge_pt = EDGE_PT if layout.edge else 0.0
    per_pt = (hi - lo) / (width_pt - edge_pt)  # date units per point, right of the edge strip
    left_end = lo - edge_pt * per_pt
    date_axis(ax, left_end, hi, top=tall, start=lo)
    ax.set_ylim(n - 0.5, -0.5 - header_rows)
    ax.set_yticks([layout.rows[k] for k in shown])
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0, labelsize=label_size, colors=INK, pad=4)
    ax.set_xlabel("Date", fontsize=TICK_SIZE, color=INK)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    if n > 1:
        ax.hlines(
            np.arange(0.5, n - 1, 1.0), left_end, hi, colors="#EEEEEE", linewidths=0.5, zorder=1
        )
    for name, header_row, size_of in layout.groups:
        # The header row: a rule across labels and plot, the group's name and its lane count.
        if header_row:
            ax.axhline(header_row - 0.5, color=MUTED_INK, linewidth=0.6, zorder=1.5)
        ax.text(
            left_end, header_row + 0.1, f"{name} ({size_of})", fontsize=min(8.0, size + 1),
            fontweight="bold", color=INK, va="center", ha="left", zorder=6,
        )  # fmt: skip

    band = 0.72
    solid: dict[str, list] = {}
    ramp_verts, ramp_colors = [], []
    for b in layout.bands:
        rgb = to_rgb(style(b.status).color)
        if b.shape == "solid":
            y0, y1 = b.row - band / 2, b.row + band / 2
            solid.setdefault(b.status, []).append([(b.x0, y0), (b.x1, y0), (b.x1, y1), (b.x0, y1)])
        else:
            v, c = _ramp(b.x0, b.x1, b.row, band, rgb, rising=b.shape == "rising")
            ramp_verts += v
            ramp_colors += c
    text_size = min(7.0, size)
    if layout.edge:
        draw_edge(
            ax,
            lo,
            left_end,
            {row: (year_text(first), status) for row, (first, status) in layout.earlier.items()},
            band,
            text_size if pitch_pt >= 9 else 0.0,
        )
    hatch_width = 0.6 if pitch_pt >= 10 else 0.35
    for status in palette.STATUSES:
        if status not in solid:
            continue
        look = style(status)
        ax.add_collection(
            PolyCollection(
                solid[status], facecolors=look.color, hatch=look.hatch,
                hatchcolor=look.hatch_color, edgecolors="none", linewidths=0, zorder=2,
                gid=STATUS_GID + status, hatch_linewidth=hatch_width,
            )
        )  # fmt: skip
    if ramp_verts:
        ax.add_collection(
            PolyCollection(
                ramp_verts, facecolors=ramp_colors, edgecolors="none", linewidths=0, zorder=1.8
            )
        )
    pale = [
        [(x0, row - band / 2), (as_of_num, row - band / 2), (as_of_num, row + band / 2),
         (x0, row + band / 2)]
        for row, last in layout.unconfirmed
        if (x0 := max(last, lo)) < as_of_num
    ]  # fmt: skip
    if pale:
        ax.add_collection(
            PolyCollection(
                pale, facecolors=(1.0, 1.0, 1.0, 0.6), edgecolors="none", hatch="....",
                hatchcolor=MUTED_INK, linewidths=0, zorder=3, gid="not-confirmed",
            )
        )  # fmt: skip
    marker = max(2.0, min(6.0, pitch_pt * 0.45))
    open_left = [r for r in layout.open_left if r not in layout.earlier]
    for edge, rows, arrow in ((left_end, open_left, "<"), (hi, layout.open_right, ">")):
        if rows:
            ax.plot(
                [edge] * len(rows), rows, linestyle="none", marker=arrow, color=INK,
                markersize=marker, clip_on=False, zorder=4,
            )  # fmt: skip
    if layout.disputed:
        xs, ys = zip(*layout.disputed, strict=True)
        ax.plot(
            xs, ys, linestyle="none", marker="D", color=DISPUTED_COLOR, markersize=marker * 0.8,
            markeredgecolor="#FFFFFF", markeredgewidth=0.5, zorder=5,
        )  # fmt: skip

    if pitch_pt >= 11:
        _label_bands(ax, layout, text_size, per_pt)
        for row in layout.no_steps:
            ax.text(
                lo + 4 * per_pt, row, "no dated step on record", fontsize=text_size,
                color=MUTED_INK, va="center", ha="left", style="italic",
            )  # fmt: skip

    ax.axvline(as_of_num, color=AS_OF_COLOR, linestyle="--", linewidth=1.0, zorder=7)
    as_of_label = f"as of {day_text(day)}"
    near_right = (hi - as_of_num) / per_pt < text_width(as_of_label, 7.5) + 8
    ax.text(
        as_of_num + (-3 if near_right else 3) * per_pt, -0.5 - header_rows / 2, as_of_label,
        fontsize=min(7.5, max(size, 6.0)), color=AS_OF_COLOR, va="center",
        ha="right" if near_right else "left", zorder=8,
    )  # fmt: skip
    set_alt(fig, _alt(layout, every))
    return fig


def _label_bands(ax, layout: SwimlaneLayout, text_size: float, per_pt: float) -> None:
    """Status names on solid bands long enough to hold them, clear of the as-of line."""
    as_of_num = layout.as_of
    placed: dict[int, list[tuple[float, float]]] = {}
    gap = 3 * per_pt
    for b in layout.bands:
        if b.shape != "solid":
            continue
        text = status_label(b.status)
        needed = (text_width(text, text_size) + 6) * per_pt
        # Centred in the band, or else in the part before or after the as-of line.
        before, after = min(b.x1, as_of_num - gap), max(b.x0, as_of_num + gap)
        for a, c in ((b.x0, b.x1), (b.x0, before), (after, b.x1)):
            middle = (a + c) / 2
            span = (middle - needed / 2, middle + needed / 2)
            clear = not span[0] - gap < as_of_num < span[1] + gap
            if c - a >= needed and clear:
                break
        else:
            continue
        if any(a < span[1] and span[0] < c for a, c in placed.get(b.row, [])):
            continue
        placed.setdefault(b.row, []).append(span)
        look = style(b.status)
        ax.text(
            middle, b.row, text, fontsize=text_size, ha="center", va="center",
            color=look.text_color, zorder=6,
            bbox={"boxstyle": "square,pad=0.12", "facecolor": look.color, "edgecolor": "none"},
        )  # fmt: skip


def _alt(layout: SwimlaneLayout, every: int) -> str:
    n = len(layout.lanes)
    counts = "; ".join(status_counts_text(layout.latest)) if layout.latest else "none"
    span_text = f"{month_text(layout.lo)} – {month_text(layout.hi)}"
    lanes = (
        "one lane with one coloured band per status period. Latest status: "
        if n == 1
        else "one lane per agreement with one coloured band per status period. Latest status "
        "per agreement: "
    )
    agreements = "one agreement" if n == 1 else f"{n:,} agreements"
    alt = (
        f"Swimlane chart of the status history of {agreements}, {span_text}, {lanes}"
        f"{counts}. Faded stretches mark changes dated only to an interval; arrowheads mark "
        f"periods open at either end. A dashed line marks the as-of date, "
        f"{day_text(layout.day)}."
    )
    if layout.edge:
        years = sorted({year_text(first) for first, _ in layout.earlier.values()})
        alt += (
            f" {len(layout.earlier):,} agreements began before {month_text(layout.lo)} "
            f"({', '.join(years)}); a strip at the left edge marks them, not to scale."
        )
    if layout.disputed_periods:
        periods = count_phrase(layout.disputed_periods, "period")
        verb = "starts" if layout.disputed_periods == 1 else "start"
        alt += f" {periods} {verb} on a date the sources disagree on."
    if layout.no_steps:
        alt += f" {len(layout.no_steps):,} agreements have no dated step."
    if layout.unconfirmed:
        alt += (
            " It is not confirmed by any evidence in the 90 days before that date; its lane is "
            "paled from its last evidence."
            if n == 1
            else f" {len(layout.unconfirmed):,} are not confirmed by any evidence in the 90 days "
            "before that date; their lanes are paled from their last evidence."
        )
    if layout.hidden:
        alt += (
            f" These are the {len(layout.lanes):,} agreements whose status changed last; "
            f"{layout.hidden:,} more {'is' if layout.hidden == 1 else 'are'} not drawn."
        )
    if every > 1:
        alt += f" Agreement names are shown for every {every}th lane."
    return alt
