"""The status board: one row per agreement, a bar coloured by its status, and since when."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import NullLocator

from thirdcountry.report import palette
from thirdcountry.report.charts.alt import count_phrase, set_alt, status_counts_text
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MARGIN,
    STATUS_GID,
    WIDTH,
    Frame,
    empty_figure,
    row_font,
)
from thirdcountry.report.charts.labels import (
    cell_flag,
    cell_text,
    column_values,
    fit_text,
    text_width,
)
from thirdcountry.report.charts.timeaxis import (
    day_text,
    human_edtf,
    stamp,
)
from thirdcountry.report.palette import (
    DISPUTED_COLOR,
    INK,
    MUTED_INK,
    NO_STATUS,
    UNCERTAIN_ALPHA,
    split_status,
    status_label,
    status_rank,
    style,
)

# -- a. status board -------------------------------------------------------------------------------

BOARD_BAR_END = 0.5  # the bar fills this share of the board's width; text columns follow


def status_board(
    status_table: pd.DataFrame,
    *,
    as_of: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> Figure:
    """One row per agreement, a bar coloured, hatched and labelled by its status.

    `status_table` is `analysis.status_as_of(...)`. An uncertain status ('signed or in_force') is
    a split, faded bar with a dashed outline and an italic label; a disputed date is marked.
    """
    day = stamp(as_of)
    title = title or "Status of each agreement" + (f" on {day_text(day)}" if day else "")
    if status_table is None or len(status_table) == 0:
        return empty_figure(title, "No agreements match.", source)

    table = status_table.reset_index(drop=True)
    n_rows = len(table)
    statuses = [cell_text(s) or NO_STATUS for s in table["status"]]
    names = column_values(table, "title", column_values(table, "agreement_id", [""] * len(table)))
    all_titles = [cell_text(t) for t in names]
    flags = [cell_flag(v) for v in column_values(table, "disputed", [False] * len(table))]
    since_texts = [cell_text(v) for v in column_values(table, "since", [""] * len(table))]
    currents = [cell_text(v) for v in column_values(table, "current", statuses)]
    # A status shown long after the agreement's last evidence (analysis.not_confirmed_since).
    stale_since = [cell_text(v) for v in column_values(table, "not_confirmed_since", [""] * n_rows)]
    order = sorted(
        range(len(table)),
        key=lambda i: (
            status_rank(statuses[i]),
            len(split_status(statuses[i])),
            statuses[i],
            all_titles[i].casefold(),
        ),
    )
    n = len(order)
    uncertain = sum(palette.is_uncertain(s) for s in statuses)
    disputed = sum(flags)
    stale = sum(bool(v) for v in stale_since)

    certain = [s for s in statuses if not palette.is_uncertain(s)]
    subtitle = [count_phrase(n, "agreement"), *status_counts_text(certain)]
    notes = []
    if uncertain:
        notes.append(
            f"{uncertain:,} uncertain between two steps, as the date falls inside the uncertain "
            "date of the later one (split, faded bar)"
        )
    if disputed:
        notes.append(f"{disputed:,} with a date the sources disagree on (marked 'disputed')")
    if stale:
        notes.append(
            f"{stale:,} with no evidence in the 90 days before this date: 'not confirmed since' "
            "their last evidence"
        )
    handles = palette.legend_handles(statuses)
    if uncertain:
        handles.append(
            Patch(
                facecolor="#FFFFFF",
                edgecolor=INK,
                linestyle="--",
                linewidth=0.8,
                label="uncertain: either status",
            )
        )
    frame = Frame.make(title, subtitle, source, handles, above=0.25, below=0.1, lines=notes)

    pitch = min(0.3, frame.max_body() / n)  # inches per row
    pitch_pt = pitch * 72
    size, every = row_font(pitch_pt)
    fig, bottom, top = frame.figure(pitch * n)

    titles = [all_titles[i] for i in order]
    # Unconfirmed rows need a wider text column for 'not confirmed since <date>'.
    label_cap = 3.4 if stale else 4.6
    label_room = min(label_cap * 72, max(text_width(t, size) for t in titles) + 2)
    left = MARGIN + label_room / 72 + 0.08
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN) * 72
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.set_major_locator(NullLocator())
    ax.set_yticks(range(0, n, every))
    ax.set_yticklabels([fit_text(titles[i], size, label_room) for i in range(0, n, every)])
    ax.tick_params(axis="y", length=0, labelsize=size, colors=INK, pad=4)

    # Column headings sit in the room above the body.
    for x, text, ha, dx in (
        (0.0, "Agreement", "right", -4),
        (0.0, "Status", "left", 0),
        (BOARD_BAR_END + 0.035, "Since", "left", 0),
    ):
        ax.annotate(
            text,
            (x, 1.0),
            xycoords="axes fraction",
            xytext=(dx, 4),
            textcoords="offset points",
            fontsize=8,
            weight="bold",
            color=INK,
            va="bottom",
            ha=ha,
        )

    band = 0.78
    groups: dict[tuple[str, bool], list] = {}
    outlines = []
    bar_text_size = min(size, 8.0)
    show_text = every == 1
    every_bar = pitch_pt >= 9
    since_room = (0.985 - BOARD_BAR_END - 0.035) * width_pt
    for row, i in enumerate(order):
        parts = split_status(statuses[i]) or (NO_STATUS,)
        faded = len(parts) > 1
        share = BOARD_BAR_END / len(parts)
        for k, part in enumerate(parts):
            x0, x1 = k * share, (k + 1) * share
            verts = [
                (x0, row - band / 2),
                (x1, row - band / 2),
                (x1, row + band / 2),
                (x0, row + band / 2),
            ]
            groups.setdefault((part, faded), []).append(verts)
        if faded:
            outlines.append(
                [
                    (0, row - band / 2),
                    (BOARD_BAR_END, row - band / 2),
                    (BOARD_BAR_END, row + band / 2),
                    (0, row + band / 2),
                ]
            )
        # Thin rows: name the status once per run of equal statuses (and on uncertain rows).
        starts_run = row == 0 or statuses[order[row - 1]] != statuses[i]
        if show_text and (every_bar or starts_run or faded):
            text = status_label(statuses[i])
            first = style(parts[0])
            ax.text(
                0.008,
                row,
                fit_text(
                    text,
                    bar_text_size,
                    BOARD_BAR_END * width_pt - 8,
                    style_="italic" if faded else "normal",
                ),
                fontsize=bar_text_size,
                va="center",
                ha="left",
                color=INK if faded else first.text_color,
                style="italic" if faded else "normal",
                bbox={
                    "boxstyle": "square,pad=0.15",
                    "facecolor": "#FFFFFF" if faded else first.color,
                    "edgecolor": "none",
                    "alpha": 0.85 if faded else 1.0,
                },
            )
        if show_text and row % every == 0:
            since, current = since_texts[i], currents[i] or parts[0]
            words = ""
            if since:
                when = human_edtf(since)
                when = re.sub(
                    r"^by ", "no later than ", re.sub(r"^after ", "some time after ", when)
                )
                words = (f"{status_label(current)} since " if faded else "since ") + when
            flag = flags[i]
            if flag:
                words = (words + " · " if words else "") + "disputed date"
            words_size = bar_text_size
            if stale_since[i]:
                # Instead of 'since ...' (the tables keep both), a size smaller, to fit whole.
                words = "not confirmed since " + human_edtf(stale_since[i])
                words += " · disputed date" if flag else ""
                words_size = min(bar_text_size, 7.0)
            if words:
                ax.text(
                    BOARD_BAR_END + 0.035,
                    row,
                    fit_text(words, words_size, since_room),
                    fontsize=words_size,
                    va="center",
                    ha="left",
                    color=DISPUTED_COLOR if flag else MUTED_INK,
                    weight="bold" if flag else "normal",
                )
    for (part, faded), verts in sorted(groups.items(), key=lambda g: status_rank(g[0][0])):
        look = style(part)
        ax.add_collection(
            PolyCollection(
                verts,
                facecolors=look.color,
                hatch=look.hatch,
                hatchcolor=look.hatch_color,
                edgecolors="none",
                linewidths=0,
                alpha=UNCERTAIN_ALPHA if faded else 1.0,
                gid=None if faded else STATUS_GID + part,
                zorder=2,
            )
        )
    if outlines:
        ax.add_collection(
            PolyCollection(
                outlines,
                facecolors="none",
                edgecolors=INK,
                linestyles="--",
                linewidths=0.7,
                zorder=3,
            )
        )
    # Disputed rows get a black tick at the bar's end, visible even where text is thinned.
    flagged = [row for row, i in enumerate(order) if flags[i]]
    if flagged:
        ax.scatter(
            [BOARD_BAR_END + 0.017] * len(flagged),
            flagged,
            marker="D",
            s=max(4.0, min(30.0, (pitch_pt * 0.45) ** 2)),
            color=DISPUTED_COLOR,
            zorder=4,
            linewidths=0,
        )

    counts = "; ".join(status_counts_text(statuses))
    when = f" on {day_text(day)}" if day else ""
    alt = f"Status board of {n:,} agreements{when}, one bar per agreement: {counts}."
    if uncertain:
        alt += f" {uncertain:,} have an uncertain status (either of two steps)."
    if disputed:
        alt += f" {disputed:,} rest on a date the sources disagree on."
    if stale:
        alt += f" {stale:,} are not confirmed by any evidence in the 90 days before that date."
    if every > 1:
        alt += f" Agreement names are shown for every {every}th row."
    set_alt(fig, alt)
    return fig
