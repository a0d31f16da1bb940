"""The event timeline: events on a date axis, one lane per country or kind, labelled where room."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from thirdcountry.facts.schema import LIFECYCLE
from thirdcountry.report.charts import context_marks as legal
from thirdcountry.report.charts.alt import count_phrase, set_alt
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    LABEL_SIZE,
    MARGIN,
    STATUS_GID,
    TICK_SIZE,
    WIDTH,
    Frame,
    empty_figure,
)
from thirdcountry.report.charts.labels import (
    fit_text,
    text_width,
)
from thirdcountry.report.charts.timeaxis import (
    DAY,
    EDGE_PT,
    date_axis,
    draw_edge,
    month_text,
    year_text,
)
from thirdcountry.report.charts.timeline_layout import (
    EVENT_FONT,
    FEW_LANES,
    LABEL_LEVELS,
    LANE_LIMIT,
    density,
    in_tables_text,
    period_edges,
    place_labels,
    timeline_layout,
)
from thirdcountry.report.palette import (
    CONTEXT_COLOR,
    INK,
    style,
)


def event_timeline(
    events: pd.DataFrame,
    by: str = "country",
    *,
    entities: pd.DataFrame | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
    max_lanes: int = LANE_LIMIT,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    context: pd.DataFrame | None = None,
) -> Figure:
    """Events on a date axis, in one lane per country involved (or per kind of event).

    `events` is facts.events or `analysis.select_events(...)`; `entities` (facts.entities), if
    given, names the countries. A date known to the day is a dot; a month or range is a bar
    across it; an open interval runs to the edge of the axis and ends in an arrowhead. Lifecycle
    steps take their status's colour, other events are grey. With more than DENSE_EVENTS marks
    the lanes show how many events fell in each month, quarter or year instead (an imprecise date
    spread over its interval). Labels go only where they fit, in two staggered rows per lane; the
    subtitle says how many were left unlabelled. Beyond `max_lanes` lanes the smallest are merged.
    `since` and `until` set the dates shown; events wholly outside them are left out and counted.
    `context` (facts.context_events) adds the legal frame of the events' agreements as dashed rules.
    """
    if by not in ("country", "kind"):
        raise ValueError(f"by must be 'country' or 'kind', not {by!r}")
    title = title or ("Events by country involved" if by == "country" else "Events by kind")
    if events is None or len(events) == 0:
        return empty_figure(title, "No events match.", source)
    names: dict[str, str] = {}
    if entities is not None and len(entities):
        names = dict(
            zip(entities["entity_id"].astype(str), entities["name"].astype(str), strict=True)
        )
    layout = timeline_layout(events, by, names, max_lanes, since, until)
    if isinstance(layout, str):
        return empty_figure(title, layout, source)
    columns, lanes, merged, lo, hi = (
        layout.columns, layout.lanes, layout.merged, layout.lo, layout.hi
    )  # fmt: skip
    earliest, latest = columns.earliest, columns.latest
    dense = layout.dense
    is_range, is_open = layout.is_range, layout.is_open
    n_lanes = len(lanes)
    edge = bool(layout.earlier.any())
    edge_pt = EDGE_PT * 1.45 if edge else 0.0  # room for '12 from 2002'
    shown_count = int(layout.shown.sum())

    lane_names = [f"{lane.name} ({len(lane.rows) + len(lane.earlier):,})" for lane in lanes]
    name_size = LABEL_SIZE
    label_room = min(2.6 * 72, max(text_width(t, name_size) for t in lane_names))
    left = MARGIN + label_room / 72 + 0.1
    right = MARGIN + 0.1
    width_pt = (WIDTH - left - right) * 72 - edge_pt  # right of the edge strip
    per_pt = (hi - lo) / width_pt
    left_end = lo - edge_pt * per_pt
    edges, unit = period_edges(lo, hi, width_pt) if dense else (np.array([]), "")

    # Legend and subtitle (all but the last line, which needs the labels placed).
    kinds_present = set(columns.kind)
    handles: list = []
    if dense and by == "kind":
        handles += [style(k).patch() for k in LIFECYCLE if k in kinds_present]
        if kinds_present - set(LIFECYCLE):
            handles.append(Patch(facecolor=CONTEXT_COLOR, label="other event"))
    elif dense:
        handles += [
            Patch(facecolor=INK, label=f"lifecycle steps per {unit}"),
            Patch(facecolor="#ABABAB", label=f"other events per {unit}"),
        ]
    else:
        handles += [style(k).patch() for k in LIFECYCLE if k in kinds_present]
        if kinds_present - set(LIFECYCLE):
            handles.append(Patch(facecolor=CONTEXT_COLOR, label="other event"))
        handles += [
            Line2D(
                [], [], linestyle="none", marker="o", color=INK, markersize=4, label="exact day"
            ),
            Line2D([], [], color=INK, linewidth=3, solid_capstyle="butt", label="month or range"),
        ]
        if "planned" in columns.certainty:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markerfacecolor="#FFFFFF",
                    color=INK,
                    markersize=4,
                    label="planned",
                )
            )
        if "disputed" in columns.certainty:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="x",
                    color=INK,
                    markersize=4,
                    markeredgewidth=1.2,
                    label="disputed",
                )
            )
    marks = legal.context_marks(context, events, lo, hi)
    handles += legal.legend_handles(marks)
    if is_open.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=">",
                color=INK,
                markersize=4,
                label="open-ended (runs past the edge)",
            )
        )
    subtitle = [
        f"{count_phrase(shown_count, 'event')}, {month_text(lo)} – {month_text(hi)}",
        "one lane per country involved (an event with several countries is in each)"
        if by == "country"
        else "one lane per kind of event",
    ]
    if merged:
        subtitle.append(f"the {merged:,} smallest lanes merged into the last")
    imprecise = int(is_range.sum())
    if dense:
        subtitle.append(
            f"bar height: events per {unit}; {imprecise:,} dated only to a month or range are "
            "spread over it"
        )
        if any(lane.own_scale for lane in lanes):
            subtitle.append("the merged lane has its own scale")
    elif imprecise:
        subtitle.append(f"{imprecise:,} dated only to a month or range (bars)")
    if is_open.any():
        subtitle.append(f"{int(is_open.sum()):,} open-ended (arrowheads at the edge)")
    if edge:
        earlier_count = int(layout.earlier.sum())
        first_year = year_text(
            float(np.nanmin(np.where(np.isnan(earliest), latest, earliest)[layout.earlier]))
        )
        subtitle.append(
            f"{count_phrase(earlier_count, 'earlier event')} (from {first_year}) counted at the "
            "left edge, not to scale"
        )
    if layout.undated:
        subtitle.append(f"{layout.undated:,} with no known date not shown")
    if layout.outside:
        subtitle.append(f"{layout.outside:,} outside the dates shown left out")
    if layout.in_tables:
        subtitle.append(in_tables_text(layout.in_tables))
    # Sized with a stand-in for the last line, which is known once the labels are placed.
    frame = Frame.make(title, subtitle, source, handles, lines=["labels"])

    # Geometry, in points: a strip of marks (or counts) per lane, label rows above it.
    level_pt = EVENT_FONT * 1.45
    strip_pt = 13.0 if dense else 9.0
    most_levels = LABEL_LEVELS + (1 if n_lanes <= FEW_LANES else 0)
    lane_pt = strip_pt + most_levels * level_pt + 7.0
    lane_pt = min(lane_pt, frame.max_body() * 72 / n_lanes)
    levels = max(0, min(most_levels, int((lane_pt - strip_pt - 5.0) // level_pt)))

    # Labels, lane by lane: the most telling events first (each event labelled once if it can
    # be), only where nothing is in the way. Two stacking orders are tried; the fuller one wins.
    labels: list[tuple[int, float, int, str, str]] = []  # lane, x, level, text, alignment
    labelled: set[int] = set()
    for lane_index, lane in enumerate(lanes if levels else []):
        rows = sorted(lane.rows, key=lambda r: (r in labelled, columns.priority(r)))
        candidates = []
        for row in rows:
            x = min(max(columns.anchor(row), lo), hi)
            candidates.append((row, x, (x - lo) / per_pt))
        best = max(
            (place_labels(candidates, columns, levels, width_pt, order) for order in (1, -1)),
            key=len,
        )
        for row, x, level, text, ha in best:
            labels.append((lane_index, x, level, text, ha))
            labelled.add(row)
    unlabelled = shown_count - len(labelled)
    labels_line = (
        "Every event is labelled."
        if unlabelled == 0
        else f"{len(labelled):,} events labelled; {unlabelled:,} left unlabelled where labels "
        "would overlap."
    )
    frame = Frame.make(title, subtitle, source, handles, lines=[labels_line])
    fig, bottom, top = frame.figure(lane_pt * n_lanes / 72)
    body_pt = (top - bottom) * fig.get_figheight() * 72
    lane_pt = body_pt / n_lanes  # only ever grows here (a minimum figure height)
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + right) / WIDTH, top - bottom))
    date_axis(ax, left_end, hi, start=lo if edge else None)
    ax.set_ylim(0, body_pt)
    ax.set_xlabel(
        "Date of event"
        + (f" (counted per {unit})" if dense else " (bars: known only to that span)"),
        fontsize=TICK_SIZE,
        color=INK,
    )
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)

    def strip_bottom(index: int) -> float:
        return body_pt - (index + 1) * lane_pt + 3.0

    centres = [strip_bottom(i) + strip_pt / 2 for i in range(n_lanes)]
    ax.set_yticks(centres)
    ax.set_yticklabels([fit_text(t, name_size, label_room) for t in lane_names])
    ax.tick_params(axis="y", length=0, labelsize=name_size, colors=INK, pad=4)
    if n_lanes > 1:
        ax.hlines(
            [body_pt - i * lane_pt for i in range(1, n_lanes)],
            left_end,
            hi,
            colors="#E6E6E6",
            linewidths=0.6,
            zorder=1,
        )

    if edge:
        first = np.where(np.isnan(earliest), latest, earliest)
        marked = {
            centres[i]: (
                f"{len(lane.earlier):,} from {year_text(float(np.nanmin(first[lane.earlier])))}",
                "",
            )
            for i, lane in enumerate(lanes)
            if lane.earlier
        }
        draw_edge(ax, lo, left_end, marked, strip_pt, min(6.0, EVENT_FONT))
    ends_left, ends_right = [], []
    for index, lane in enumerate(lanes):
        for row in lane.rows:
            a, b = earliest[row], latest[row]
            # Open intervals, and intervals cut off by the dates shown, run past the edge.
            if np.isnan(a) or a < lo:
                ends_left.append(centres[index])
            if np.isnan(b) or b + DAY > hi:
                ends_right.append(centres[index])
    legal.draw_context_marks(ax, marks, lo, hi)
    if dense:
        _draw_counts(ax, columns, lanes, edges, [strip_bottom(i) for i in range(n_lanes)], strip_pt)
    else:
        _draw_marks(ax, columns, lanes, centres, lo, hi, is_open, strip_pt)
    for ends, x, marker in ((ends_left, lo, "<"), (ends_right, hi, ">")):
        if ends:
            ax.plot(
                [x] * len(ends),
                ends,
                linestyle="none",
                marker=marker,
                color=INK,
                markersize=4,
                clip_on=False,
                zorder=5,
            )

    stem_lines = []
    for lane_index, x, level, text, ha in labels:
        base = strip_bottom(lane_index) + strip_pt + 2.5 + level * level_pt
        top_of_marks = centres[lane_index] + (2.5 if not dense else strip_pt / 2)
        stem_lines.append([(x, top_of_marks), (x, base + EVENT_FONT * 0.45)])
        offset = 2 * per_pt if ha == "left" else -2 * per_pt
        ax.text(
            x + offset, base, text, fontsize=EVENT_FONT, ha=ha, va="bottom", color=INK, zorder=6
        )
    if stem_lines:
        ax.add_collection(LineCollection(stem_lines, colors="#9A9A9A", linewidths=0.5, zorder=2))

    ranked = sorted((lane for lane in lanes if not lane.own_scale), key=lambda x: -len(x.rows))
    busiest = ", ".join(f"{lane.name} ({len(lane.rows):,})" for lane in ranked[:3])
    how = (
        f"Bars count events per {unit}, an imprecise date spread over its interval"
        if dense
        else f"Events known to the day are dots; {imprecise:,} known only to a month or range "
        "are bars; lifecycle steps are coloured by status, other events grey"
    )
    alt = (
        f"Timeline of {shown_count:,} events from {month_text(lo)} to {month_text(hi)}, in "
        f"{n_lanes} lanes by {by}; the busiest: {busiest}. {how}."
    )
    if is_open.any():
        alt += f" {int(is_open.sum()):,} open-ended events run to the edge of the chart."
    alt += f" {len(labelled):,} events are labelled and {unlabelled:,} left unlabelled."
    if edge:
        alt += (
            f" {int(layout.earlier.sum()):,} earlier events are counted in a strip at the left "
            "edge, not to scale."
        )
    if layout.in_tables:
        alt += f" {in_tables_text(layout.in_tables)}."
    set_alt(fig, alt + legal.alt_sentence(marks))
    return fig


def _draw_marks(ax, columns, lanes, centres, lo, hi, is_open, strip_pt) -> None:
    """One mark per event: a dot for a day, a bar for a month or range, a dotted run if open."""
    earliest, latest = columns.earliest, columns.latest
    marks = sum(len(lane.rows) for lane in lanes)
    alpha = 0.9 if marks <= 150 else 0.65
    dots: dict[tuple[bool, bool], tuple[list, list, list]] = {}
    segments: list = []
    seg_colors: list = []
    seg_styles: list = []
    seg_widths: list = []
    for index, lane in enumerate(lanes):
        y = centres[index]
        for row in lane.rows:
            kind = columns.kind[row]
            colour = style(kind).color if kind in LIFECYCLE else CONTEXT_COLOR
            planned = columns.certainty[row] == "planned"
            a, b = earliest[row], latest[row]
            if is_open[row]:
                x0 = lo if np.isnan(a) else max(a, lo)
                x1 = hi if np.isnan(b) else b + DAY
                segments.append([(x0, y), (x1, y)])
                seg_colors.append(colour)
                seg_styles.append((0, (1.0, 1.5)))
                seg_widths.append(1.4)
            elif b > a:
                segments.append([(max(a, lo), y), (b + DAY, y)])
                seg_colors.append(colour)
                seg_styles.append((0, (3, 1.5)) if planned else "solid")
                seg_widths.append(3.0)
            else:
                key = (planned, columns.certainty[row] == "disputed")
                xs, ys, colours = dots.setdefault(key, ([], [], []))
                xs.append(a)
                ys.append(y)
                colours.append(colour)
    if segments:
        ax.add_collection(
            LineCollection(
                segments,
                colors=seg_colors,
                linestyles=seg_styles,
                linewidths=seg_widths,
                alpha=alpha,
                capstyle="butt",
                zorder=3,
            )
        )
    size = max(9.0, min(20.0, strip_pt * 2))
    for (planned, disputed), (xs, ys, colours) in dots.items():
        if disputed:
            ax.scatter(xs, ys, marker="x", s=size, c=colours, linewidths=1.2, alpha=alpha, zorder=4)
        elif planned:
            ax.scatter(
                xs,
                ys,
                marker="o",
                s=size,
                facecolors="#FFFFFF",
                edgecolors=colours,
                linewidths=0.9,
                alpha=alpha,
                zorder=4,
            )
        else:
            ax.scatter(
                xs,
                ys,
                marker="o",
                s=size,
                c=colours,
                edgecolors="#FFFFFF",
                linewidths=0.4,
                alpha=alpha,
                zorder=4,
            )


def _draw_counts(ax, columns, lanes, edges, bottoms, strip_pt) -> None:
    """Per lane, a histogram of events per period, all lanes on one scale (but a merged lane).

    A lane of one lifecycle kind takes that status's colour and hatch; other lanes split each
    bar into lifecycle steps (dark) and other events (light grey).
    """
    shared = 1.0
    counts: list[tuple[np.ndarray, np.ndarray]] = []
    for lane in lanes:
        steps = [r for r in lane.rows if columns.kind[r] in LIFECYCLE]
        others = [r for r in lane.rows if columns.kind[r] not in LIFECYCLE]
        pair = (density(columns, steps, edges), density(columns, others, edges))
        counts.append(pair)
        if not lane.own_scale:
            shared = max(shared, float((pair[0] + pair[1]).max()))
    layers: dict[tuple[str, str], list] = {}  # (fill, status or '') -> rectangles
    for lane, bottom, (step_counts, other_counts) in zip(lanes, bottoms, counts, strict=True):
        scale = max(1.0, float((step_counts + other_counts).max())) if lane.own_scale else shared
        if lane.kind in LIFECYCLE:
            lower_key, upper_key = (style(lane.kind).color, lane.kind), ("#ABABAB", "")
        elif lane.kind:
            lower_key, upper_key = (INK, ""), (CONTEXT_COLOR, "")
        else:
            lower_key, upper_key = (INK, ""), ("#ABABAB", "")
        for k in np.flatnonzero((step_counts + other_counts) > 0):
            x0, x1 = edges[k], edges[k + 1]
            h0 = max(step_counts[k] / scale * strip_pt, 0.8 if step_counts[k] > 0 else 0.0)
            h1 = max(other_counts[k] / scale * strip_pt, 0.8 if other_counts[k] > 0 else 0.0)
            if h0:
                layers.setdefault(lower_key, []).append(
                    [(x0, bottom), (x1, bottom), (x1, bottom + h0), (x0, bottom + h0)]
                )
            if h1:
                top = bottom + h0 + h1
                layers.setdefault(upper_key, []).append(
                    [(x0, bottom + h0), (x1, bottom + h0), (x1, top), (x0, top)]
                )
    for (colour, status), verts in layers.items():
        ax.add_collection(
            PolyCollection(
                verts,
                facecolors=colour,
                edgecolors="#FFFFFF",
                linewidths=0.25,
                zorder=3,
                gid=STATUS_GID + status if status else None,
            )
        )
