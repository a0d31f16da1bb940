"""Status swimlanes: one lane per agreement, one band per status period, uncertain changes faded."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
from thirdcountry.report.charts.labels import (
    cell_flag,
    fit_text,
    text_width,
)
from thirdcountry.report.charts.periods import bounded_ends
from thirdcountry.report.charts.timeaxis import (
    date_axis,
    date_numbers,
    date_window,
    day_text,
    month_text,
    padded_span,
    stamp,
)
from thirdcountry.report.palette import (
    AS_OF_COLOR,
    DISPUTED_COLOR,
    INK,
    MUTED_INK,
    status_label,
    style,
)

# -- b. status swimlanes ---------------------------------------------------------------------------

RAMP_STEPS = 8  # an uncertain stretch fades in this many steps


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
) -> Figure:
    """One lane per agreement, one band per status period, from `analysis.status_history(...)`.

    Where a change of status is dated only to an interval, the band fades out and the next one
    fades in across it. Open intervals run to the edge of the axis, marked with an arrowhead.
    `agreements` (facts.agreements, or a selection of it) gives the lanes and their titles.
    `since` starts the date axis later: periods that began before it run in from the left edge.
    """
    from matplotlib.colors import to_rgb

    title = title or "Status history of each agreement"
    history = history if history is not None else pd.DataFrame()
    if agreements is None:
        ids = list(dict.fromkeys(history.get("agreement_id", pd.Series(dtype=object))))
        names = dict(zip(ids, ids, strict=True))
    else:
        ids = [str(a) for a in agreements["agreement_id"]]
        names = dict(zip(ids, (str(t) for t in agreements["title"]), strict=True))
    if not ids:
        return empty_figure(title, "No agreements match.", source)
    history = history[history["agreement_id"].isin(ids)] if len(history) else history
    history = bounded_ends(history.reset_index(drop=True))

    columns = ("start_earliest", "start_latest", "end_earliest", "end_latest")
    numbers = {c: date_numbers(history[c]) if len(history) else np.array([]) for c in columns}
    day = stamp(as_of)
    if day is None:  # the last date the history knows
        known = np.concatenate([[0.0], *[v[np.isfinite(v)] for v in numbers.values()]])
        day = pd.Timestamp(mdates.num2date(known.max()).date())
    as_of_num = float(date_numbers([day])[0])
    lo, hi = date_window(
        *padded_span([*np.concatenate(list(numbers.values())), as_of_num], 0.03), since
    )

    first_start: dict[str, float] = {}
    if len(history):
        starts = np.where(
            np.isnan(numbers["start_latest"]), numbers["start_earliest"], numbers["start_latest"]
        )
        for agreement_id, start in zip(history["agreement_id"], starts, strict=True):
            if not np.isnan(start):
                first_start[agreement_id] = min(first_start.get(agreement_id, start), start)
    lanes = sorted(
        ids, key=lambda a: (a not in first_start, first_start.get(a, 0.0), names[a].casefold())
    )
    row_of = {a: row for row, a in enumerate(lanes)}
    n = len(lanes)
    statuses = [str(s) for s in history["status"]] if len(history) else []
    disputed_count = sum(cell_flag(v) for v in history["disputed"]) if len(history) else 0

    handles: list[Artist] = [*palette.legend_handles(statuses)]
    handles += [
        FadePatch(
            facecolor="#595959",
            edgecolor="none",
            label="fade: date of change uncertain",
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker=">",
            color=INK,
            markersize=5,
            label="open: runs on past the edge",
        ),
        Line2D([], [], color=AS_OF_COLOR, linestyle="--", linewidth=1, label="as of"),
    ]
    if disputed_count:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                color=DISPUTED_COLOR,
                markersize=4,
                markeredgecolor="#FFFFFF",
                label="disputed date",
            )
        )
    span_text = f"{month_text(lo)} – {month_text(hi)}"
    subtitle = [
        f"{count_phrase(n, 'agreement')}, {count_phrase(len(history), 'status period')}, "
        f"as of {day_text(day)}",
        "one lane per agreement, ordered by first step",
    ]
    no_steps = n - len({a for a in lanes if a in first_start})
    if no_steps:
        subtitle.append(f"{no_steps:,} with no dated step yet (empty lanes)")
    tall = n > 40
    frame = Frame.make(title, subtitle, source, handles, above=0.3 if tall else 0.05)

    # An empty strip at the top of the plot, 16 pt or one lane, for the as-of label.
    header = 16 / 72
    pitch = min(0.28, (frame.max_body() - header) / n)
    header_rows = max(1.0, header / pitch)
    pitch_pt = pitch * 72
    size, every = row_font(pitch_pt)
    fig, bottom, top = frame.figure(pitch * (n + header_rows))
    lane_titles = [names[a] for a in lanes]
    label_room = min(4.2 * 72, max(text_width(t, size) for t in lane_titles) + 2)
    left = MARGIN + label_room / 72 + 0.1
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN + 0.05) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN - 0.05) * 72
    per_pt = (hi - lo) / width_pt  # date units per point
    date_axis(ax, lo, hi, top=tall)
    ax.set_ylim(n - 0.5, -0.5 - header_rows)
    ax.set_yticks(range(0, n, every))
    ax.set_yticklabels([fit_text(lane_titles[r], size, label_room) for r in range(0, n, every)])
    ax.tick_params(axis="y", length=0, labelsize=size, colors=INK, pad=4)
    ax.set_xlabel("Date", fontsize=TICK_SIZE, color=INK)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    if n > 1:
        ax.hlines(np.arange(0.5, n - 1, 1.0), lo, hi, colors="#EEEEEE", linewidths=0.5, zorder=1)

    band = 0.72
    solid: dict[str, list] = {}
    ramp_verts, ramp_colors = [], []
    open_left, open_right, disputed_points = [], [], []
    band_labels = []
    rows = history.reset_index(drop=True) if len(history) else history
    for k in range(len(rows)):
        status = str(rows.at[k, "status"])
        y = row_of[rows.at[k, "agreement_id"]]
        s0, s1 = numbers["start_earliest"][k], numbers["start_latest"][k]
        e0, e1 = numbers["end_earliest"][k], numbers["end_latest"][k]
        rgb = to_rgb(style(status).color)
        if np.isnan(s0):
            s0 = lo
            open_left.append(y)
        open_start = np.isnan(s1)  # began some time after s0; no source says how long after
        ongoing = np.isnan(e0) and np.isnan(e1)
        if ongoing:
            e0 = e1 = hi
            open_right.append(y)
        else:
            if np.isnan(e1):
                e1 = hi
                open_right.append(y)
            if np.isnan(e0):
                e0 = s0 if open_start else s1
        if open_start:  # at the latest when it was certainly over, or past the edge
            s1 = e1
        if s0 < lo < (hi if ongoing else e1):
            open_left.append(y)  # began before the window shown
        if s1 > s0:
            v, c = _ramp(s0, s1, y, band, rgb, rising=True)
            ramp_verts += v
            ramp_colors += c
        if e0 > s1:
            solid.setdefault(status, []).append(
                [(s1, y - band / 2), (e0, y - band / 2), (e0, y + band / 2), (s1, y + band / 2)]
            )
            band_labels.append((y, max(s1, lo), min(e0, hi), status))
        if e1 > max(e0, s1) and not ongoing:
            v, c = _ramp(max(e0, s1), e1, y, band, rgb, rising=False)
            ramp_verts += v
            ramp_colors += c
        if cell_flag(rows.at[k, "disputed"]) and lo <= s1 <= hi:
            disputed_points.append((s1, y))

    hatch_width = 0.6 if pitch_pt >= 10 else 0.35
    for status in palette.STATUSES:
        if status not in solid:
            continue
        look = style(status)
        ax.add_collection(
            PolyCollection(
                solid[status],
                facecolors=look.color,
                hatch=look.hatch,
                hatchcolor=look.hatch_color,
                edgecolors="none",
                linewidths=0,
                zorder=2,
                gid=STATUS_GID + status,
                hatch_linewidth=hatch_width,
            )
        )
    if ramp_verts:
        ax.add_collection(
            PolyCollection(
                ramp_verts, facecolors=ramp_colors, edgecolors="none", linewidths=0, zorder=1.8
            )
        )
    marker = max(2.0, min(6.0, pitch_pt * 0.45))
    for edge, lanes, arrow in ((lo, open_left, "<"), (hi, open_right, ">")):
        if lanes:
            ax.plot(
                [edge] * len(lanes),
                lanes,
                linestyle="none",
                marker=arrow,
                color=INK,
                markersize=marker,
                clip_on=False,
                zorder=4,
            )
    if disputed_points:
        xs, ys = zip(*disputed_points, strict=True)
        ax.plot(
            xs,
            ys,
            linestyle="none",
            marker="D",
            color=DISPUTED_COLOR,
            markersize=marker * 0.8,
            markeredgecolor="#FFFFFF",
            markeredgewidth=0.5,
            zorder=5,
        )

    # Status names on the bands, where a lane is tall enough and a band long enough.
    text_size = min(7.0, size)
    placed: dict[int, list[tuple[float, float]]] = {}
    if pitch_pt >= 11:
        gap = 3 * per_pt  # keep names clear of the as-of line
        for y, x0, x1, status in band_labels:
            text = status_label(status)
            needed = (text_width(text, text_size) + 6) * per_pt
            # Centred in the band, or else in the part before or after the as-of line.
            for a, b in ((x0, x1), (x0, min(x1, as_of_num - gap)), (max(x0, as_of_num + gap), x1)):
                middle = (a + b) / 2
                span_ = (middle - needed / 2, middle + needed / 2)
                clear = not span_[0] - gap < as_of_num < span_[1] + gap
                if b - a >= needed and clear:
                    break
            else:
                continue
            if any(a < span_[1] and span_[0] < b for a, b in placed.get(y, [])):
                continue
            placed.setdefault(y, []).append(span_)
            look = style(status)
            ax.text(
                middle,
                y,
                text,
                fontsize=text_size,
                ha="center",
                va="center",
                color=look.text_color,
                zorder=6,
                bbox={"boxstyle": "square,pad=0.12", "facecolor": look.color, "edgecolor": "none"},
            )
        if no_steps:
            for agreement_id in lanes:
                if agreement_id not in first_start:
                    ax.text(
                        lo + 4 * per_pt,
                        row_of[agreement_id],
                        "no dated step on record",
                        fontsize=text_size,
                        color=MUTED_INK,
                        va="center",
                        ha="left",
                        style="italic",
                    )

    ax.axvline(as_of_num, color=AS_OF_COLOR, linestyle="--", linewidth=1.0, zorder=7)
    as_of_label = f"as of {day_text(day)}"
    near_right = (hi - as_of_num) / per_pt < text_width(as_of_label, 7.5) + 8
    ax.text(
        as_of_num + (-3 if near_right else 3) * per_pt,
        -0.5 - header_rows / 2,
        as_of_label,
        fontsize=min(7.5, max(size, 6.0)),
        color=AS_OF_COLOR,
        va="center",
        ha="right" if near_right else "left",
        zorder=8,
    )

    current = (
        history.sort_values(["agreement_id", "start_earliest"]).groupby("agreement_id").tail(1)
        if len(history)
        else history
    )
    counts = "; ".join(status_counts_text(current["status"])) if len(current) else "none"
    alt = (
        f"Swimlane chart of the status history of {n:,} agreements, {span_text}, one lane per "
        f"agreement with one coloured band per status period. Latest status per agreement: "
        f"{counts}. Faded stretches mark changes dated only to an interval; arrowheads mark "
        f"periods open at either end. A dashed line marks the as-of date, {day_text(day)}."
    )
    if disputed_count:
        alt += f" {disputed_count:,} periods start on a date the sources disagree on."
    if no_steps:
        alt += f" {no_steps:,} agreements have no dated step."
    if every > 1:
        alt += f" Agreement names are shown for every {every}th lane."
    set_alt(fig, alt)
    return fig
