"""The legal frame on a timeline: rulings, laws and policy as dashed rules across every lane.

Context events (facts.context_events) govern agreements but never set their status, so they are
not marks in a lane: each is a thin dashed vertical rule at its date, labelled along the rule
where the label has room. Which rules to draw and which to label is decided by pure functions
(`context_marks`, `label_marks`); `draw_context_marks` only draws what they decided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from thirdcountry.report.charts.timeaxis import date_numbers

RULE_COLOR = "#8C6D1F"  # a muted ochre: apart from the status colours and the grey of events
LABEL_FONT = 6.0
MIN_GAP_PT = LABEL_FONT * 1.3  # labels closer than this would overlap: the later one is dropped
LEGEND_LABEL = "legal context (ruling, law, policy)"


@dataclass(frozen=True)
class ContextMark:
    x: float  # matplotlib date number of the rule
    label: str
    kind: str
    context_id: str
    labelled: bool = True


def context_marks(
    context: pd.DataFrame | None, events: pd.DataFrame, lo: float, hi: float
) -> list[ContextMark]:
    """The context events that govern an agreement among `events`, dated inside [lo, hi].

    A context event known only to a month or a range is placed at the middle of it. Sorted by
    date."""
    if context is None or context.empty or events is None or events.empty:
        return []
    agreements = set(events["agreement_id"].dropna().astype(str))
    if not agreements:
        return []
    earliest = date_numbers(context["earliest"])
    latest = date_numbers(context["latest"])
    marks = []
    for position, row in enumerate(context.itertuples()):
        if not agreements & set(row.agreement_ids):
            continue
        a, b = earliest[position], latest[position]
        if np.isnan(a) and np.isnan(b):
            continue
        x = a if np.isnan(b) else b if np.isnan(a) else (a + b + 1.0) / 2
        if lo <= x <= hi:
            marks.append(ContextMark(float(x), str(row.label), str(row.kind), str(row.context_id)))
    return sorted(marks, key=lambda mark: (mark.x, mark.context_id))


def label_marks(marks: list[ContextMark], per_pt: float) -> list[ContextMark]:
    """The marks with `labelled` set: a label only where it keeps MIN_GAP_PT from the last one.

    `per_pt` is date units per point of the axis width."""
    placed: list[ContextMark] = []
    last = -np.inf
    for mark in marks:
        room = (mark.x - last) / per_pt >= MIN_GAP_PT
        placed.append(
            ContextMark(mark.x, mark.label, mark.kind, mark.context_id, labelled=bool(room))
        )
        if room:
            last = mark.x
    return placed


def legend_handles(marks: list[ContextMark]) -> list[Line2D]:
    if not marks:
        return []
    rule = Line2D([], [], color=RULE_COLOR, linewidth=0.9, linestyle=(0, (3, 2)))
    rule.set_label(LEGEND_LABEL)
    return [rule]


def draw_context_marks(ax, marks: list[ContextMark], lo: float, hi: float) -> None:
    """Dashed rules under the events, labels read upwards from the bottom of the plot."""
    if not marks:
        return
    width_px = ax.get_window_extent().width or 1.0
    for mark in label_marks(marks, (hi - lo) * ax.figure.dpi / (width_px * 72)):
        ax.axvline(mark.x, color=RULE_COLOR, linewidth=0.9, linestyle=(0, (3, 2)), zorder=1.5)
        if mark.labelled:
            ax.text(
                mark.x,
                2.0,
                mark.label,
                rotation=90,
                ha="right",
                va="bottom",
                fontsize=LABEL_FONT,
                color=RULE_COLOR,
                zorder=7,
                clip_on=True,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6},
            )


def alt_sentence(marks: list[ContextMark]) -> str:
    """What the rules show, for the chart's alternative text ('' when there are none)."""
    if not marks:
        return ""
    names = "; ".join(mark.label for mark in marks)
    plural = "s" if len(marks) > 1 else ""
    return f" Dashed rule{plural} mark{'' if plural else 's'} the legal context: {names}."
