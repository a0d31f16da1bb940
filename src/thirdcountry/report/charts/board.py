"""The status board: one row per agreement, a bar coloured by its status, and since when.

`board_rows` (pure) orders the agreements and words each row; `status_board` sizes three
columns (title, status bar, since) from the text they hold, so none of it is cut: a long title
or "since" text goes on two lines where the rows allow, and is otherwise shortened at a word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import NullLocator

from thirdcountry.analysis.evidence import STALE_AFTER_DAYS
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
    LINE,
    TWO_LINE_FONT,
    cell_flag,
    cell_text,
    column_values,
    fit_text,
    row_labels,
    text_width,
    wrap_text,
    wrap_words,
)
from thirdcountry.report.charts.timeaxis import day_text, human_edtf, stamp
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

MAX_PITCH = 0.28  # inches per row, at most
MIN_PITCH = 0.16  # inches per row, at least: rows stay legible; more rows go to another panel
GAP = 10.0  # points between columns
BAR_MIN, BAR_MAX = 80.0, 100.0  # points: the status bar's width, from the labels it holds
SINCE_SHARE = 0.34  # the 'since' column takes at most this share of the width (then wraps)
SINCE_SHARE_ONE_LINE = 0.42  # ...or this, when rows are too thin for two lines
SINCE_FLOOR = 0.27  # the 'since' column never takes less than this share of the width
SMALLEST_SINCE = 6.0  # points: a 'since' text is set this small before it is ever shortened
TITLE_MIN = 150.0  # points: the title column is never narrower than this


@dataclass(frozen=True)
class BoardRow:
    """One agreement on the board, in words."""

    title: str
    status: str  # may be uncertain: 'signed or in_force'
    parts: tuple[str, ...]  # the statuses it may be, in lifecycle order
    label: str  # the status in words, as on the bar
    since: str  # 'since 6 Feb 2021', 'termination noticed since 6 Feb 2021', ''
    disputed: bool
    stale: bool = False  # no evidence for long before the date: 'not confirmed since ...'
    changed: str = ""  # when the status began, EDTF: orders 'most recently changed'

    @property
    def uncertain(self) -> bool:
        return len(self.parts) > 1


def since_words(since: str, current: str, uncertain: bool) -> str:
    """When the status began, in words (pure): 'since 6 Feb 2021', 'since between ... and ...'.

    For an uncertain status, the step that has certainly happened is named: 'termination noticed
    since 6 Feb 2021'.
    """
    if not since:
        return ""
    when = human_edtf(since)
    if when.startswith("after "):
        when = "some time " + when
    elif when.startswith("by "):
        when = "no later than " + when.removeprefix("by ")
    lead = f"{status_label(current)} since" if uncertain and current else "since"
    if " – " in when:  # some day in a span: the column's heading already says 'since'
        start, _, end = when.partition(" – ")
        if start[-4:] == end[-4:] and start[-4:].isdigit():
            start = start[:-5]  # '16 Jul – 23 Jul 2025'
        lead = status_label(current) if uncertain and current else ""
        return f"{lead} between {start} and {end}".strip()
    return f"{lead} {when}"


def board_rows(status_table: pd.DataFrame) -> list[BoardRow]:
    """The rows of the board, in lifecycle order of status, then by title (pure)."""
    table = status_table.reset_index(drop=True)
    n = len(table)
    statuses = [cell_text(s) or NO_STATUS for s in table["status"]]
    # The short name where the table has one (analysis/short_names.py): no title is cut off.
    full = column_values(table, "title", column_values(table, "agreement_id", [""] * n))
    titles = [
        cell_text(s) or cell_text(t)
        for s, t in zip(column_values(table, "short_name", full), full, strict=True)
    ]
    flags = [cell_flag(v) for v in column_values(table, "disputed", [False] * n)]
    sinces = [cell_text(v) for v in column_values(table, "since", [""] * n)]
    currents = [cell_text(v) for v in column_values(table, "current", statuses)]
    # A status shown long after the agreement's last evidence (analysis.not_confirmed_since).
    stale = [cell_text(v) for v in column_values(table, "not_confirmed_since", [""] * n)]
    rows = []
    for i in range(n):
        parts = split_status(statuses[i]) or (NO_STATUS,)
        words = since_words(sinces[i], currents[i] or parts[0], len(parts) > 1)
        if stale[i]:  # instead of 'since ...' (the tables keep both)
            words = "not confirmed since " + human_edtf(stale[i])
        # A disputed date is set in bold after a black diamond (the note above says so).
        rows.append(
            BoardRow(
                title=titles[i], status=statuses[i], parts=parts,
                label=status_label(statuses[i]), since=words, disputed=flags[i],
                stale=bool(stale[i]), changed=sinces[i],
            )
        )  # fmt: skip
    return sorted(
        rows,
        key=lambda r: (status_rank(r.status), len(r.parts), r.status, r.title.casefold()),
    )


def panels(rows: list[BoardRow], capacity: int) -> list[list[BoardRow]]:
    """Every row, in board order, in as few panels of at most `capacity` rows as it takes,
    evenly filled (pure): 45 rows at 40 a panel are 23 + 22, never 40 + 5."""
    if not rows:
        return []
    capacity = max(1, capacity)
    count = -(-len(rows) // capacity)
    size = -(-len(rows) // count)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


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
    return status_board_panels(status_table, as_of=as_of, source=source, title=title)[0]


def status_board_panels(
    status_table: pd.DataFrame,
    *,
    as_of: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> list[Figure]:
    """The status board of every agreement: one figure while the rows fit a page at a legible
    size (MIN_PITCH), else panels of a page each, in board order ('part 1 of 3'). Each panel's
    header counts exactly the rows it draws."""
    day = stamp(as_of)
    title = title or "Status of each agreement" + (f" on {day_text(day)}" if day else "")
    if status_table is None or len(status_table) == 0:
        return [empty_figure(title, "No agreements match.", source)]
    every_row = board_rows(status_table)
    probe = _frame(every_row, title, source, [])
    capacity = int(probe.max_body() / MIN_PITCH)
    parts = panels(every_row, capacity)
    if len(parts) == 1:
        return [_draw(every_row, day, title, source)]
    total = len(every_row)
    return [
        _draw(
            part, day, f"{title} (part {k} of {len(parts)})", source,
            part_note=f"part {k} of {len(parts)}: {len(part):,} of the {total:,} agreements, "
            "in the order of the board",
        )
        for k, part in enumerate(parts, start=1)
    ]  # fmt: skip


def _frame(rows: list[BoardRow], title: str, source: str, notes: list[str]) -> Frame:
    statuses = [r.status for r in rows]
    certain = [r.status for r in rows if not palette.is_uncertain(r.status)]
    subtitle = [count_phrase(len(rows), "agreement"), *status_counts_text(certain)]
    handles = palette.legend_handles(statuses)
    if any(r.uncertain for r in rows):
        handles.append(
            Patch(
                facecolor="#FFFFFF", edgecolor=INK, linestyle="--", linewidth=0.8,
                label="uncertain: either status",
            )
        )  # fmt: skip
    return Frame.make(title, subtitle, source, handles, above=0.25, below=0.1, lines=notes)


def _draw(rows: list[BoardRow], day, title: str, source: str, part_note: str = "") -> Figure:
    n = len(rows)
    uncertain = sum(r.uncertain for r in rows)
    disputed = sum(r.disputed for r in rows)
    stale = sum(r.stale for r in rows)
    notes = [part_note] if part_note else []
    if uncertain:
        notes.append(
            f"{uncertain:,} uncertain between two steps, as the date falls inside the uncertain "
            "date of the later one (split, faded bar)"
        )
    if disputed:
        notes.append(f"{disputed:,} with a date the sources disagree on (◆, its date in bold)")
    if stale:
        notes.append(
            f"{stale:,} with no evidence in the {STALE_AFTER_DAYS} days before this date: "
            "'not confirmed since' their last evidence"
        )
    frame = _frame(rows, title, source, notes)

    pitch = max(MIN_PITCH, min(MAX_PITCH, frame.max_body() / n))  # inches per row
    pitch_pt = pitch * 72
    size, every = row_font(pitch_pt)
    show_text = every == 1
    bar_text_size = min(size, 8.0)
    two_lines = pitch_pt >= 2 * LINE * TWO_LINE_FONT + 1

    # Columns, in points, from the text they hold: bar, then since, then titles get the rest.
    usable = (WIDTH - 2 * MARGIN) * 72
    bar_pt = BAR_MIN
    if show_text:
        needed = [
            text_width(r.label, bar_text_size, style_="italic" if r.uncertain else "normal") + 10
            for r in rows
        ]
        bar_pt = min(BAR_MAX, max(BAR_MIN, *needed))
    since_need = max(
        (text_width(r.since, bar_text_size, "bold" if r.disputed else "normal") for r in rows),
        default=0.0,
    )
    # On one line the 'since' text cannot wrap: its column may then take more of the width.
    share = SINCE_SHARE if two_lines else SINCE_SHARE_ONE_LINE
    since_pt = min(since_need, usable * share) if show_text else 0.0
    # The agreement's name comes first: its column takes what the longest name needs (up to
    # all but a fifth of the width for the 'since' text, which is set smaller before a name
    # is ever cut).
    title_need = max((text_width(r.title, size) for r in rows), default=0.0) + 2
    floor = usable * SINCE_FLOOR if show_text else 0.0
    since_pt = max(floor, min(since_pt, usable - bar_pt - 2 * GAP - title_need))
    title_room = usable - bar_pt - since_pt - 2 * GAP
    labels, label_size, label_room = row_labels(
        [r.title for r in rows[::every]], size, pitch_pt * every, title_room
    )
    left = MARGIN + (label_room + GAP) / 72
    fig, bottom, top = frame.figure(pitch * n)
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN) * 72
    since_x = bar_pt + GAP
    since_room = width_pt - since_x
    ax.set_xlim(0, width_pt)
    ax.set_ylim(n - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.set_major_locator(NullLocator())
    ax.set_yticks(range(0, n, every))
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0, labelsize=label_size, colors=INK, pad=GAP - 4)

    # Column headings sit in the room above the body.
    for x, text, ha, dx in (
        (0.0, "Agreement", "right", -(GAP - 4)), (0.0, "Status", "left", 0),
        (since_x, "Since", "left", 0),
    ):  # fmt: skip
        ax.annotate(
            text, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(dx, 4),
            textcoords="offset points", fontsize=8, weight="bold", color=INK, va="bottom", ha=ha,
        )  # fmt: skip

    band = 0.78
    groups: dict[tuple[str, bool], list] = {}
    outlines = []
    every_bar = pitch_pt >= 9
    for row, r in enumerate(rows):
        share = bar_pt / len(r.parts)
        y0, y1 = row - band / 2, row + band / 2
        for k, part in enumerate(r.parts):
            x0, x1 = k * share, (k + 1) * share
            groups.setdefault((part, r.uncertain), []).append(
                [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            )
        if r.uncertain:
            outlines.append([(0, y0), (bar_pt, y0), (bar_pt, y1), (0, y1)])
        # Thin rows: name the status once per run of equal statuses (and on uncertain rows).
        starts_run = row == 0 or rows[row - 1].status != r.status
        if show_text and (every_bar or starts_run or r.uncertain):
            _bar_label(ax, r, row, bar_text_size, bar_pt, pitch_pt if two_lines else 0.0)
        if show_text and r.since and row % every == 0:
            _since_label(ax, r, row, since_x, since_room, bar_text_size, pitch_pt, two_lines)
    for (part, faded), verts in sorted(groups.items(), key=lambda g: status_rank(g[0][0])):
        look = style(part)
        ax.add_collection(
            PolyCollection(
                verts, facecolors=look.color, hatch=look.hatch, hatchcolor=look.hatch_color,
                edgecolors="none", linewidths=0, alpha=UNCERTAIN_ALPHA if faded else 1.0,
                gid=None if faded else STATUS_GID + part, zorder=2,
            )
        )  # fmt: skip
    if outlines:
        ax.add_collection(
            PolyCollection(
                outlines, facecolors="none", edgecolors=INK, linestyles="--", linewidths=0.7,
                zorder=3,
            )
        )  # fmt: skip
    # Disputed rows get a black tick between bar and text, visible even where text is thinned.
    flagged = [row for row, r in enumerate(rows) if r.disputed]
    if flagged:
        ax.scatter(
            [bar_pt + GAP / 2] * len(flagged), flagged, marker="D",
            s=max(4.0, min(30.0, (pitch_pt * 0.45) ** 2)), color=DISPUTED_COLOR, zorder=4,
            linewidths=0,
        )  # fmt: skip
    set_alt(fig, _alt(rows, day, every, part_note))
    return fig


def _since_label(ax, r: BoardRow, row, x, room, size, pitch_pt, two_lines) -> None:
    """The 'since' text whole, on two lines if it must be, shortened only if rows are thin."""
    text = r.since
    weight = "bold" if r.disputed else "normal"
    if text_width(text, size, weight) > room:
        if two_lines:
            size = min(size, pitch_pt / (2 * LINE + 0.1))
            text = wrap_text(text, size, room, weight=weight)
        else:  # smaller, down to SMALLEST_SINCE, and only then shortened at a word
            size = max(SMALLEST_SINCE, size * (room - 1) / text_width(text, size, weight))
            text = fit_text(text, size, room, weight)
    ax.text(
        x, row, text, fontsize=size, va="center", ha="left",
        color=DISPUTED_COLOR if r.disputed else MUTED_INK,
        weight="bold" if r.disputed else "normal", linespacing=1.1,
    )  # fmt: skip


def _bar_label(ax, r: BoardRow, row: int, size: float, bar_pt: float, pitch_pt: float) -> None:
    """The status on its bar; a long one ('termination noticed or terminated') on two lines
    where the row is tall enough (`pitch_pt`), else shortened at a word."""
    first = style(r.parts[0])
    text_style = "italic" if r.uncertain else "normal"
    room = bar_pt - 8
    text = fit_text(r.label, size, room, style_=text_style)
    if text != r.label and pitch_pt:
        size = min(size, pitch_pt / (2 * LINE + 0.3))
        text = "\n".join(
            wrap_words(r.label, lambda s: text_width(s, size, style_=text_style) <= room, 2)
        )
    ax.text(
        3, row, text, fontsize=size, linespacing=1.0,
        va="center", ha="left", color=INK if r.uncertain else first.text_color, style=text_style,
        bbox={
            "boxstyle": "square,pad=0.15",
            "facecolor": "#FFFFFF" if r.uncertain else first.color,
            "edgecolor": "none",
            "alpha": 0.85 if r.uncertain else 1.0,
        },
    )  # fmt: skip


def _alt(rows: list[BoardRow], day, every: int, part_note: str = "") -> str:
    n = len(rows)
    counts = "; ".join(status_counts_text([r.status for r in rows]))
    when = f" on {day_text(day)}" if day else ""
    alt = f"Status board of {n:,} agreements{when}, one bar per agreement: {counts}."
    if part_note:
        alt += f" This is {part_note}."
    uncertain = sum(r.uncertain for r in rows)
    disputed = sum(r.disputed for r in rows)
    if uncertain:
        alt += f" {uncertain:,} have an uncertain status (either of two steps)."
    if disputed:
        alt += f" {disputed:,} rest on a date the sources disagree on."
    stale = sum(r.stale for r in rows)
    if stale:
        alt += (
            f" {stale:,} are not confirmed by any evidence in the {STALE_AFTER_DAYS} days before "
            "that date."
        )
    if every > 1:
        alt += f" Agreement names are shown for every {every}th row."
    return alt
