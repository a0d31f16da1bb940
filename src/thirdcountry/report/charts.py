"""Charts of statuses and events, as matplotlib Figures (object API, Agg canvas, no pyplot).

Every chart:
- takes analysis outputs (or fact base frames) and returns a `matplotlib.figure.Figure`;
- colours and hatches statuses from `report.palette` only, and fades whatever is uncertain;
- has a title, a subtitle that says what is shown, axis labels, a source line and alt text
  (`alt_text(fig)`), and draws dates on a real date axis;
- stays readable from a handful of agreements to hundreds: rows get thinner and labels are thinned,
  never overlapped; the figure is WIDTH inches wide and at most MAX_HEIGHT inches tall;
- returns a figure that says "No ... match" when the input is empty.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator, NullLocator

from thirdcountry.facts.countries import country_name
from thirdcountry.facts.schema import LIFECYCLE
from thirdcountry.report import palette
from thirdcountry.report.palette import (
    AS_OF_COLOR,
    CONTEXT_COLOR,
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

__all__ = [
    "ALT_ATTRIBUTE",
    "DEFAULT_SOURCE",
    "MAX_HEIGHT",
    "WIDTH",
    "alt_text",
    "event_timeline",
    "source_line",
    "status_board",
    "status_counts",
    "status_swimlanes",
]

WIDTH = 8.0  # inches, every chart: close to the A4 text width, so print keeps the font sizes
MAX_HEIGHT = 40.0  # inches; rows get thinner rather than the figure taller
MIN_HEIGHT = 2.5
DPI = 100
ALT_ATTRIBUTE = "thirdcountry_alt"
DEFAULT_SOURCE = "Source: thirdcountry fact base"

# Layout, in inches.
MARGIN = 0.3  # left and right edge of the figure
TOP_PAD = 0.22
BOTTOM_PAD = 0.12
# Type sizes, in points.
TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.0
LEGEND_SIZE = 8.0
TICK_SIZE = 8.0
LABEL_SIZE = 8.5
SOURCE_SIZE = 7.5
MIN_ROW_FONT = 5.0  # below this, row labels are thinned instead of shrunk
LINE = 1.22  # text height as a multiple of the font size, descenders included

STATUS_GID = "status:"  # gid prefix of artists filled with a status's own (unfaded) colour


def source_line(facts) -> str:
    """'Source: thirdcountry fact base (data, <hash>)' for a loaded FactBase."""
    digest = getattr(facts, "content_hash", "")
    return f"{DEFAULT_SOURCE} ({facts.data_dir.name}, {digest})" if digest else DEFAULT_SOURCE


def alt_text(fig: Figure) -> str:
    """The description attached to a chart, for the alt attribute of its image."""
    return str(getattr(fig, ALT_ATTRIBUTE, "") or "")


# -- text measurement ------------------------------------------------------------------------------


# Laying out a string with FreeType costs about half a millisecond, too slow for thousands of
# labels; so widths are summed from per-character advances, measured once, and padded to stay on
# the safe side of hinting (which widens small text by up to 4%).
_WIDTH_SAFETY = 1.05
_MEASURE_SIZE = 100.0


@lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    return RendererAgg(8, 8, 72)  # at 72 dpi one pixel is one point


@lru_cache(maxsize=4096)
def _advance(char: str, weight: str, style_: str) -> float:
    """Width of one character at 1 pt, from a run of ten of them at a large size."""
    font = FontProperties(size=_MEASURE_SIZE, weight=weight, style=style_)
    width, _, _ = _renderer().get_text_width_height_descent(char * 10, font, ismath=False)
    return float(width) / 10 / _MEASURE_SIZE


def _width(text: str, size: float, weight: str = "normal", style_: str = "normal") -> float:
    """Width of one line of text, in points, a little over what it renders at."""
    if not text:
        return 0.0
    return size * _WIDTH_SAFETY * sum(_advance(c, weight, style_) for c in text) + 0.5


def _fit(text: str, size: float, limit: float, weight: str = "normal", style_="normal") -> str:
    """The text, shortened with an ellipsis if needed to be at most `limit` points wide."""
    if _width(text, size, weight, style_) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle].rstrip() + "…", size, weight, style_) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


def _wrap(parts: Sequence[str], size: float, limit: float, joiner: str = " · ") -> list[str]:
    """Pack phrases into lines at most `limit` points wide, never splitting a phrase."""
    lines: list[str] = []
    for part in parts:
        if lines and _width(lines[-1] + joiner + part, size) <= limit:
            lines[-1] += joiner + part
        else:
            lines.append(_fit(part, size, limit))
    return lines


# -- dates -----------------------------------------------------------------------------------------

_EPOCH = np.datetime64(mdates.get_epoch(), "s")
_DAY = 1.0  # matplotlib date numbers are days


def _num(values) -> np.ndarray:
    """Matplotlib date numbers for dates/Timestamps; NaT and None become NaN."""
    stamps = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")
    seconds = (stamps - pd.Timestamp(_EPOCH)).dt.total_seconds()
    return seconds.to_numpy(dtype=float) / 86400.0


def _stamp(value) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp


def _day_text(day) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


def _month_text(number: float) -> str:
    return mdates.num2date(number).strftime("%b %Y")


_ISO_DAY = r"(\d{4})-(\d{2})-(\d{2})"


def _human_edtf(text: str) -> str:
    """'2019-07-26' → '26 Jul 2019', '2019-07' → 'Jul 2019', 'a/b' → 'a – b', 'a/..' → 'after a'.

    Done here for the few forms the analysis produces: the edtf parser is too slow to call for
    hundreds of labels.
    """
    text = str(text or "").strip()

    def one(part: str) -> str:
        bare = part.rstrip("~?%")
        mark = "about " if bare != part else ""
        if re.fullmatch(_ISO_DAY, bare):
            return mark + _day_text(bare)
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


def _date_axis(ax, lo: float, hi: float, top: bool = False) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlim(lo, hi)
    ax.tick_params(axis="x", labelsize=TICK_SIZE, colors=INK, labeltop=top, top=top)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


def _span(numbers: Iterable[float], pad: float = 0.02) -> tuple[float, float]:
    finite = [n for n in numbers if n is not None and math.isfinite(n)]
    if not finite:
        today = float(_num([pd.Timestamp("2000-01-01")])[0])
        return today - 365, today + 365
    lo, hi = min(finite), max(finite)
    if hi - lo < 60:
        lo, hi = lo - 90, hi + 90
    margin = (hi - lo) * pad
    return lo - margin, hi + margin


# -- figure frame ----------------------------------------------------------------------------------


class _FadePatch(Patch):
    """Legend handle drawn as a colour fading out, the mark of an uncertain date of change."""


class _FadeHandler(HandlerBase):
    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize,
                       trans):  # fmt: skip
        steps = 8
        colour = orig_handle.get_facecolor()[:3]
        return [
            Rectangle(
                (-xdescent + k * width / steps, -ydescent), width / steps, height,
                facecolor=(*colour, 0.85 * (steps - k - 0.5) / steps), edgecolor="none",
                transform=trans,
            )
            for k in range(steps)
        ]  # fmt: skip


@dataclass
class _Frame:
    """A figure laid out top to bottom in inches: title, subtitle, legend, body, source line."""

    title: str
    subtitle: list[str]
    source: str
    handles: list = field(default_factory=list)
    legend_columns: int = 1
    legend_rows: int = 0
    above_body: float = 0.0  # room between legend and body (top tick labels, as-of label)
    below_body: float = 0.55  # room under the body: tick labels and axis label

    @classmethod
    def make(
        cls, title, subtitle_parts, source, handles=(), above=0.0, below=0.55, lines=()
    ) -> _Frame:
        """`subtitle_parts` are packed into lines; each of `lines` gets a line of its own."""
        usable = (WIDTH - 2 * MARGIN) * 72
        subtitle = _wrap([p for p in subtitle_parts if p], SUBTITLE_SIZE, usable)
        subtitle += [_fit(line, SUBTITLE_SIZE, usable) for line in lines]
        frame = cls(
            title=_fit(title, TITLE_SIZE, usable, weight="bold"),
            subtitle=subtitle,
            source=_fit(source, SOURCE_SIZE, usable),
            handles=list(handles),
            above_body=above,
            below_body=below,
        )
        if frame.handles:
            entries = [(2.0 + 0.8) * LEGEND_SIZE + _width(h.get_label(), LEGEND_SIZE)
                       for h in frame.handles]  # fmt: skip
            frame.legend_columns = _legend_columns(entries, usable, spacing=1.6 * LEGEND_SIZE)
            frame.legend_rows = math.ceil(len(entries) / frame.legend_columns)
        return frame

    @property
    def header(self) -> float:
        height = TOP_PAD + TITLE_SIZE * LINE / 72 + 0.08
        if self.subtitle:
            height += len(self.subtitle) * SUBTITLE_SIZE * 1.35 / 72 + 0.06
        if self.legend_rows:
            height += self.legend_rows * LEGEND_SIZE * 1.9 / 72 + 0.08
        return height + 0.1 + self.above_body

    @property
    def footer(self) -> float:
        return self.below_body + SOURCE_SIZE * LINE / 72 + BOTTOM_PAD + 0.05

    def max_body(self) -> float:
        return MAX_HEIGHT - self.header - self.footer

    def figure(self, body: float) -> tuple[Figure, float, float]:
        """The figure, and the body's bottom and top as figure fractions."""
        height = max(MIN_HEIGHT, min(MAX_HEIGHT, self.header + body + self.footer))
        body = height - self.header - self.footer
        fig = Figure(figsize=(WIDTH, height), dpi=DPI)
        FigureCanvasAgg(fig)
        x = MARGIN / WIDTH
        y = height - TOP_PAD
        fig.text(
            x,
            y / height,
            self.title,
            fontsize=TITLE_SIZE,
            weight="bold",
            color=INK,
            va="top",
            ha="left",
        )
        y -= TITLE_SIZE * LINE / 72 + 0.08
        if self.subtitle:
            fig.text(
                x,
                y / height,
                "\n".join(self.subtitle),
                fontsize=SUBTITLE_SIZE,
                color=MUTED_INK,
                va="top",
                ha="left",
                linespacing=1.35,
            )
            y -= len(self.subtitle) * SUBTITLE_SIZE * 1.35 / 72 + 0.06
        if self.legend_rows:
            fig.legend(
                handles=self.handles,
                loc="upper left",
                bbox_to_anchor=(x, y / height),
                ncol=self.legend_columns,
                frameon=False,
                fontsize=LEGEND_SIZE,
                handlelength=2.0,
                handleheight=1.0,
                handletextpad=0.8,
                columnspacing=1.6,
                borderaxespad=0.0,
                borderpad=0.0,
                labelspacing=0.6,
                labelcolor=INK,
                handler_map={_FadePatch: _FadeHandler()},
            )
        fig.text(
            x,
            BOTTOM_PAD / height,
            self.source,
            fontsize=SOURCE_SIZE,
            color=MUTED_INK,
            va="bottom",
            ha="left",
        )
        bottom = self.footer / height
        top = (height - self.header) / height
        return fig, bottom, top


def _legend_columns(entries: list[float], usable: float, spacing: float) -> int:
    """The most columns whose widths fit; a legend fills its columns top to bottom."""
    for columns in range(len(entries), 1, -1):
        rows = math.ceil(len(entries) / columns)
        if math.ceil(len(entries) / rows) < columns:
            continue  # the same rows with fewer columns; matplotlib would leave one empty
        widths = [max(entries[c * rows : (c + 1) * rows]) for c in range(columns)]
        if sum(widths) + spacing * (columns - 1) <= usable:
            return columns
    return 1


def _window(lo: float, hi: float, since, until=None) -> tuple[float, float]:
    """The date range to show: the data's, or the one asked for."""
    start, end = _stamp(since), _stamp(until)
    if start is not None:
        lo = float(_num([start])[0])
    if end is not None:
        hi = float(_num([end])[0])
    if hi <= lo:
        raise ValueError(f"nothing to show between {since} and {until}")
    return lo, hi


def _empty(title: str, message: str, source: str) -> Figure:
    frame = _Frame.make(title, [], source)
    fig, bottom, top = frame.figure(1.2)
    fig.text(
        0.5, (bottom + top) / 2, message, fontsize=12, color=MUTED_INK, ha="center", va="center"
    )
    setattr(fig, ALT_ATTRIBUTE, f"{title}: {message}")
    return fig


def _row_font(pitch_pt: float, largest: float = LABEL_SIZE) -> tuple[float, int]:
    """Font size for one label per row of `pitch_pt` points, and label every n-th row."""
    size = min(largest, pitch_pt / (LINE + 0.08))
    if size >= MIN_ROW_FONT:
        return size, 1
    return MIN_ROW_FONT, math.ceil(MIN_ROW_FONT * (LINE + 0.08) / pitch_pt)


def _text(value) -> str:
    """A cell as text: '' for missing values (None, NaN, NA)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _flag(value) -> bool:
    return (
        False if value is None or (not isinstance(value, bool) and pd.isna(value)) else bool(value)
    )


def _column(frame: pd.DataFrame, name: str, default) -> list:
    return list(frame[name]) if name in frame else list(default)


def _count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _status_counts_text(statuses: Iterable[str]) -> list[str]:
    counts = pd.Series(list(statuses), dtype=object).value_counts()
    ordered = sorted(counts.items(), key=lambda item: (status_rank(item[0]), item[0]))
    return [f"{n:,} {status_label(s)}" for s, n in ordered]


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
    day = _stamp(as_of)
    title = title or "Status of each agreement" + (f" on {_day_text(day)}" if day else "")
    if status_table is None or len(status_table) == 0:
        return _empty(title, "No agreements match.", source)

    table = status_table.reset_index(drop=True)
    statuses = [_text(s) or NO_STATUS for s in table["status"]]
    names = _column(table, "title", _column(table, "agreement_id", [""] * len(table)))
    all_titles = [_text(t) for t in names]
    flags = [_flag(v) for v in _column(table, "disputed", [False] * len(table))]
    since_texts = [_text(v) for v in _column(table, "since", [""] * len(table))]
    currents = [_text(v) for v in _column(table, "current", statuses)]
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

    certain = [s for s in statuses if not palette.is_uncertain(s)]
    subtitle = [_count_phrase(n, "agreement"), *_status_counts_text(certain)]
    notes = []
    if uncertain:
        notes.append(
            f"{uncertain:,} uncertain between two steps, as the date falls inside the uncertain "
            "date of the later one (split, faded bar)"
        )
    if disputed:
        notes.append(f"{disputed:,} with a date the sources disagree on (marked 'disputed')")
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
    frame = _Frame.make(title, subtitle, source, handles, above=0.25, below=0.1, lines=notes)

    pitch = min(0.3, frame.max_body() / n)  # inches per row
    pitch_pt = pitch * 72
    size, every = _row_font(pitch_pt)
    fig, bottom, top = frame.figure(pitch * n)

    titles = [all_titles[i] for i in order]
    label_room = min(4.6 * 72, max(_width(t, size) for t in titles) + 2)
    left = MARGIN + label_room / 72 + 0.08
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN) * 72
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.set_major_locator(NullLocator())
    ax.set_yticks(range(0, n, every))
    ax.set_yticklabels([_fit(titles[i], size, label_room) for i in range(0, n, every)])
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
                _fit(
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
                when = _human_edtf(since)
                when = re.sub(
                    r"^by ", "no later than ", re.sub(r"^after ", "some time after ", when)
                )
                words = (f"{status_label(current)} since " if faded else "since ") + when
            flag = flags[i]
            if flag:
                words = (words + " · " if words else "") + "disputed date"
            if words:
                ax.text(
                    BOARD_BAR_END + 0.035,
                    row,
                    _fit(words, bar_text_size, since_room),
                    fontsize=bar_text_size,
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

    counts = "; ".join(_status_counts_text(statuses))
    when = f" on {_day_text(day)}" if day else ""
    alt = f"Status board of {n:,} agreements{when}, one bar per agreement: {counts}."
    if uncertain:
        alt += f" {uncertain:,} have an uncertain status (either of two steps)."
    if disputed:
        alt += f" {disputed:,} rest on a date the sources disagree on."
    if every > 1:
        alt += f" Agreement names are shown for every {every}th row."
    setattr(fig, ALT_ATTRIBUTE, alt)
    return fig


# -- b. status swimlanes ---------------------------------------------------------------------------

RAMP_STEPS = 8  # an uncertain stretch fades in this many steps


def _bounded_ends(history: pd.DataFrame) -> pd.DataFrame:
    """The history with each period's end bounded by every later step, not only the next one.

    A status is the furthest step certainly taken (as in analysis.status_as_of). So a period is
    certainly over once any later step has certainly happened (its latest start), and may be
    over as soon as any later step may have happened (its earliest start; an open start means
    at any time).
    """
    if not len(history):
        return history
    frame = history.copy()
    rank = frame["status"].astype(str).map(lambda s: status_rank(s))
    frame = frame.assign(_rank=rank).sort_values(["agreement_id", "_rank"], kind="stable")
    groups = frame["agreement_id"].iloc[::-1]

    def later_minimum(column: str, open_value: pd.Timestamp) -> pd.Series:
        values = pd.to_datetime(frame[column]).astype("datetime64[ns]").fillna(open_value)
        return (
            values.iloc[::-1]
            .groupby(groups, sort=False)
            .transform(lambda c: c.cummin().shift(1))
            .iloc[::-1]
        )

    never = pd.Timestamp.max.floor("D")  # an open latest start: never certainly begun
    always = pd.Timestamp.min.ceil("D")  # an open earliest start: may have begun at any time
    later_latest = later_minimum("start_latest", never)
    later_earliest = later_minimum("start_earliest", always)
    end_earliest = pd.to_datetime(frame["end_earliest"]).astype("datetime64[ns]")
    end_latest = pd.to_datetime(frame["end_latest"]).astype("datetime64[ns]")
    has_later = later_latest.notna()

    bound = later_latest.where(later_latest < never)
    capped = end_latest.where(end_latest.notna() & (end_latest <= bound), bound)
    frame["end_latest"] = end_latest.where(~has_later | bound.isna(), capped)

    sooner = end_earliest.where(
        end_earliest.notna() & (end_earliest <= later_earliest), later_earliest
    )
    sooner = sooner.where(sooner > always)  # NaT: may end as soon as it begins
    frame["end_earliest"] = end_earliest.where(~has_later, sooner)
    return frame.drop(columns="_rank")


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
        return _empty(title, "No agreements match.", source)
    history = history[history["agreement_id"].isin(ids)] if len(history) else history
    history = _bounded_ends(history.reset_index(drop=True))

    columns = ("start_earliest", "start_latest", "end_earliest", "end_latest")
    numbers = {c: _num(history[c]) if len(history) else np.array([]) for c in columns}
    day = _stamp(as_of)
    if day is None:  # the last date the history knows
        known = np.concatenate([[0.0], *[v[np.isfinite(v)] for v in numbers.values()]])
        day = pd.Timestamp(mdates.num2date(known.max()).date())
    as_of_num = float(_num([day])[0])
    lo, hi = _window(*_span([*np.concatenate(list(numbers.values())), as_of_num], 0.03), since)

    first_start = {}
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
    disputed_count = sum(_flag(v) for v in history["disputed"]) if len(history) else 0

    handles = palette.legend_handles(statuses)
    handles += [
        _FadePatch(
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
    span_text = f"{_month_text(lo)} – {_month_text(hi)}"
    subtitle = [
        f"{_count_phrase(n, 'agreement')}, {_count_phrase(len(history), 'status period')}, "
        f"as of {_day_text(day)}",
        "one lane per agreement, ordered by first step",
    ]
    no_steps = n - len({a for a in lanes if a in first_start})
    if no_steps:
        subtitle.append(f"{no_steps:,} with no dated step yet (empty lanes)")
    tall = n > 40
    frame = _Frame.make(title, subtitle, source, handles, above=0.3 if tall else 0.05)

    # An empty strip at the top of the plot, 16 pt or one lane, for the as-of label.
    header = 16 / 72
    pitch = min(0.28, (frame.max_body() - header) / n)
    header_rows = max(1.0, header / pitch)
    pitch_pt = pitch * 72
    size, every = _row_font(pitch_pt)
    fig, bottom, top = frame.figure(pitch * (n + header_rows))
    lane_titles = [names[a] for a in lanes]
    label_room = min(4.2 * 72, max(_width(t, size) for t in lane_titles) + 2)
    left = MARGIN + label_room / 72 + 0.1
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + MARGIN + 0.05) / WIDTH, top - bottom))
    width_pt = (WIDTH - left - MARGIN - 0.05) * 72
    per_pt = (hi - lo) / width_pt  # date units per point
    _date_axis(ax, lo, hi, top=tall)
    ax.set_ylim(n - 0.5, -0.5 - header_rows)
    ax.set_yticks(range(0, n, every))
    ax.set_yticklabels([_fit(lane_titles[r], size, label_room) for r in range(0, n, every)])
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
        if _flag(rows.at[k, "disputed"]) and lo <= s1 <= hi:
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
            needed = (_width(text, text_size) + 6) * per_pt
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
    as_of_label = f"as of {_day_text(day)}"
    near_right = (hi - as_of_num) / per_pt < _width(as_of_label, 7.5) + 8
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
    counts = "; ".join(_status_counts_text(current["status"])) if len(current) else "none"
    alt = (
        f"Swimlane chart of the status history of {n:,} agreements, {span_text}, one lane per "
        f"agreement with one coloured band per status period. Latest status per agreement: "
        f"{counts}. Faded stretches mark changes dated only to an interval; arrowheads mark "
        f"periods open at either end. A dashed line marks the as-of date, {_day_text(day)}."
    )
    if disputed_count:
        alt += f" {disputed_count:,} periods start on a date the sources disagree on."
    if no_steps:
        alt += f" {no_steps:,} agreements have no dated step."
    if every > 1:
        alt += f" Agreement names are shown for every {every}th lane."
    setattr(fig, ALT_ATTRIBUTE, alt)
    return fig


# -- c. event timeline -----------------------------------------------------------------------------

LANE_LIMIT = 30
LABEL_LEVELS = 2  # rows of labels above each lane, staggered (3 when there are few lanes)
FEW_LANES = 15
EVENT_FONT = 6.8
LABEL_MAX_PT = 165.0  # longer summaries are shortened with an ellipsis
DENSE_EVENTS = 600  # above this many marks, lanes show counts per period instead of marks
CERTAINTY_ORDER = ("confirmed", "reported", "disputed", "planned")
PRECISION_ORDER = ("day", "month", "year", "range", "open")


@dataclass
class _Lane:
    name: str
    rows: list[int]
    own_scale: bool = False
    kind: str = ""  # for lanes by kind: the kind every event in the lane has


@dataclass
class _EventColumns:
    """The columns the timeline needs, as plain arrays (pandas lookups are slow in loops)."""

    earliest: np.ndarray  # matplotlib date numbers, NaN where open
    latest: np.ndarray
    kind: list[str]
    certainty: list[str]
    precision: list[str]
    summary: list[str]
    event_id: list[str]
    actors: list[tuple[str, ...]]

    @classmethod
    def of(cls, events: pd.DataFrame) -> _EventColumns:
        def strings(column: str, default: str = "") -> list[str]:
            if column not in events:
                return [default] * len(events)
            return ["" if pd.isna(v) else str(v) for v in events[column]]

        actors = events["actors"] if "actors" in events else [()] * len(events)
        return cls(
            earliest=_num(events["earliest"]),
            latest=_num(events["latest"]),
            kind=strings("kind"),
            certainty=strings("certainty"),
            precision=strings("precision"),
            summary=strings("summary"),
            event_id=strings("event_id"),
            actors=[tuple(a) if isinstance(a, tuple | list) else () for a in actors],
        )

    def anchor(self, row: int) -> float:
        """Where a label points: the day, the middle of a range, the known end of an open one."""
        a, b = self.earliest[row], self.latest[row]
        if np.isnan(a):
            return b
        if np.isnan(b):
            return a
        return (a + b + _DAY) / 2 if b > a else a

    def priority(self, row: int) -> tuple:
        """Which events get a label first: lifecycle steps, firm evidence, precise dates."""
        return (
            0 if self.kind[row] in LIFECYCLE else 1,
            _index(CERTAINTY_ORDER, self.certainty[row]),
            _index(PRECISION_ORDER, self.precision[row]),
            self.anchor(row),
            self.event_id[row],
        )


def _index(options: Sequence[str], value: str) -> int:
    return options.index(value) if value in options else len(options)


def _is_country(entity_id: str) -> bool:
    """Country entity ids are lowercase ISO 3166-1 alpha-3 codes."""
    code = str(entity_id)
    return len(code) == 3 and code.islower() and country_name(code.upper()) is not None


def _event_lanes(
    columns: _EventColumns, by: str, names: dict[str, str], dated: np.ndarray, max_lanes: int
) -> tuple[list[_Lane], int]:
    """Lanes, biggest first (kinds in lifecycle order); the smallest merged beyond max_lanes."""
    members: dict[str, list[int]] = {}
    for row in np.flatnonzero(dated):
        if by == "kind":
            keys = [columns.kind[row]]
        else:
            keys = [a for a in columns.actors[row] if _is_country(a)] or [""]
        for key in dict.fromkeys(keys):
            members.setdefault(key, []).append(int(row))

    def name(key: str) -> str:
        if by == "kind":
            return status_label(key) if key in LIFECYCLE else key.replace("_", " ")
        if not key:
            return "no country named"
        return names.get(key) or country_name(key.upper()) or key.upper()

    if by == "kind":
        ordered = [k for k in LIFECYCLE if k in members]
        ordered += sorted(k for k in members if k not in LIFECYCLE)
    else:
        ordered = sorted(members, key=lambda k: (k == "", -len(members[k]), name(k)))
    lanes = [_Lane(name(k), members[k], kind=k if by == "kind" else "") for k in ordered]
    if len(lanes) <= max(1, max_lanes):
        return lanes, 0
    keep, rest = lanes[: max(1, max_lanes) - 1], lanes[max(1, max_lanes) - 1 :]
    rows = sorted({r for lane in rest for r in lane.rows})
    noun = "countries" if by == "country" else "kinds"
    return [*keep, _Lane(f"{len(rest)} other {noun}", rows, own_scale=True)], len(rest)


def _period_edges(lo: float, hi: float, width_pt: float) -> tuple[np.ndarray, str]:
    """Calendar bins for counting: the finest of month, quarter, year at least 3.5 pt wide."""
    start = mdates.num2date(lo).replace(tzinfo=None)
    end = mdates.num2date(hi).replace(tzinfo=None)
    months = (hi - lo) / 30.44
    for unit, step, freq in (("month", 1, "MS"), ("quarter", 3, "QS"), ("year", 12, "YS")):
        if width_pt / (months / step) >= 3.5 or unit == "year":
            first = pd.Timestamp(start).to_period("Y" if unit == "year" else "M").start_time
            if unit == "quarter":
                first = pd.Timestamp(start).to_period("Q").start_time
            edges = pd.date_range(first, pd.Timestamp(end) + pd.DateOffset(months=step), freq=freq)
            return _num(edges), unit
    raise AssertionError("unreachable")


def _density(columns: _EventColumns, rows: list[int], edges: np.ndarray) -> np.ndarray:
    """Events per bin, each event's weight spread evenly over the days it may have happened on.

    Open-ended events have no finite interval to spread over and are left out (drawn as
    arrowheads at the edge instead).
    """
    index = np.asarray(rows, dtype=int)
    a = columns.earliest[index]
    b = columns.latest[index] + _DAY
    finite = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[finite], b[finite]
    if not len(a):
        return np.zeros(len(edges) - 1)
    overlap = np.minimum(b[:, None], edges[None, 1:]) - np.maximum(a[:, None], edges[None, :-1])
    return (np.clip(overlap, 0, None) / (b - a)[:, None]).sum(axis=0)


def _place_labels(candidates, columns, levels: int, width_pt: float, order: int) -> list:
    """Greedy label placement in one lane: (row, x, level, text, alignment) for those that fit.

    A label may not overlap another in its row; the stem up to it may not cross a label in a
    lower row; and it may not cover a stem rising past it. `order` 1 tries the lowest row first,
    -1 the highest (which lets a later event tuck in under an earlier, higher label).
    """
    placed = []
    boxes: list[list[tuple[float, float]]] = [[] for _ in range(levels)]
    stems: list[tuple[float, int]] = []
    tries = list(range(levels))[::order]
    for row, x, x_pt in candidates:
        text = _fit(columns.summary[row], EVENT_FONT, LABEL_MAX_PT)
        if not text:
            continue
        w = _width(text, EVENT_FONT)
        if x_pt + 2 + w <= width_pt - 1:
            box, ha = (x_pt + 0.5, x_pt + 3.5 + w), "left"
        elif x_pt - 2 - w >= 1:
            box, ha = (x_pt - 3.5 - w, x_pt - 0.5), "right"
        else:
            continue
        for level in tries:
            if any(a < box[1] and box[0] < b for a, b in boxes[level]):
                continue
            if any(a <= x_pt <= b for lower in boxes[:level] for a, b in lower):
                continue
            if any(box[0] <= sx <= box[1] and top > level for sx, top in stems):
                continue
            boxes[level].append(box)
            stems.append((x_pt, level))
            placed.append((row, x, level, text, ha))
            break
    return placed


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
    """
    if by not in ("country", "kind"):
        raise ValueError(f"by must be 'country' or 'kind', not {by!r}")
    title = title or ("Events by country involved" if by == "country" else "Events by kind")
    if events is None or len(events) == 0:
        return _empty(title, "No events match.", source)
    columns = _EventColumns.of(events.reset_index(drop=True))
    names: dict[str, str] = {}
    if entities is not None and len(entities):
        names = dict(
            zip(entities["entity_id"].astype(str), entities["name"].astype(str), strict=True)
        )
    earliest, latest = columns.earliest, columns.latest
    dated = ~(np.isnan(earliest) & np.isnan(latest))
    total = len(columns.kind)
    if not dated.any():
        return _empty(title, f"None of the {total:,} events has a known date.", source)
    lo, hi = _window(*_span([*earliest[dated], *(latest[dated] + _DAY)], 0.02), since, until)
    with np.errstate(invalid="ignore"):
        outside = dated & ((latest + _DAY < lo) | (earliest > hi))
    dated = dated & ~outside
    if not dated.any():
        return _empty(title, "No events match.", source)
    lanes, merged = _event_lanes(columns, by, names, dated, max_lanes)
    n_lanes = len(lanes)
    marks = sum(len(lane.rows) for lane in lanes)
    dense = marks > DENSE_EVENTS
    is_range = dated & ~np.isnan(earliest) & ~np.isnan(latest) & (latest > earliest)
    is_open = dated & (np.isnan(earliest) | np.isnan(latest))

    lane_names = [f"{lane.name} ({len(lane.rows):,})" for lane in lanes]
    name_size = LABEL_SIZE
    label_room = min(2.6 * 72, max(_width(t, name_size) for t in lane_names))
    left = MARGIN + label_room / 72 + 0.1
    right = MARGIN + 0.1
    width_pt = (WIDTH - left - right) * 72
    per_pt = (hi - lo) / width_pt
    edges, unit = _period_edges(lo, hi, width_pt) if dense else (np.array([]), "")

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
        f"{_count_phrase(total, 'event')}, {_month_text(lo)} – {_month_text(hi)}",
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
    undated = int((~dated).sum()) - int(outside.sum())
    if undated:
        subtitle.append(f"{undated:,} with no known date not shown")
    if outside.any():
        subtitle.append(f"{int(outside.sum()):,} outside the dates shown left out")
    # Sized with a stand-in for the last line, which is known once the labels are placed.
    frame = _Frame.make(title, subtitle, source, handles, lines=["labels"])

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
            (_place_labels(candidates, columns, levels, width_pt, order) for order in (1, -1)),
            key=len,
        )
        for row, x, level, text, ha in best:
            labels.append((lane_index, x, level, text, ha))
            labelled.add(row)
    unlabelled = total - len(labelled)
    labels_line = (
        "Every event is labelled."
        if unlabelled == 0
        else f"{len(labelled):,} events labelled; {unlabelled:,} left unlabelled where labels "
        "would overlap."
    )
    frame = _Frame.make(title, subtitle, source, handles, lines=[labels_line])
    fig, bottom, top = frame.figure(lane_pt * n_lanes / 72)
    body_pt = (top - bottom) * fig.get_figheight() * 72
    lane_pt = body_pt / n_lanes  # only ever grows here (a minimum figure height)
    ax = fig.add_axes((left / WIDTH, bottom, 1 - (left + right) / WIDTH, top - bottom))
    _date_axis(ax, lo, hi)
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
    ax.set_yticklabels([_fit(t, name_size, label_room) for t in lane_names])
    ax.tick_params(axis="y", length=0, labelsize=name_size, colors=INK, pad=4)
    if n_lanes > 1:
        ax.hlines(
            [body_pt - i * lane_pt for i in range(1, n_lanes)],
            lo,
            hi,
            colors="#E6E6E6",
            linewidths=0.6,
            zorder=1,
        )

    ends_left, ends_right = [], []
    for index, lane in enumerate(lanes):
        for row in lane.rows:
            a, b = earliest[row], latest[row]
            # Open intervals, and intervals cut off by the dates shown, run past the edge.
            if np.isnan(a) or a < lo:
                ends_left.append(centres[index])
            if np.isnan(b) or b + _DAY > hi:
                ends_right.append(centres[index])
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
        f"Timeline of {total:,} events from {_month_text(lo)} to {_month_text(hi)}, in "
        f"{n_lanes} lanes by {by}; the busiest: {busiest}. {how}."
    )
    if is_open.any():
        alt += f" {int(is_open.sum()):,} open-ended events run to the edge of the chart."
    alt += f" {len(labelled):,} events are labelled and {unlabelled:,} left unlabelled."
    setattr(fig, ALT_ATTRIBUTE, alt)
    return fig


def _draw_marks(ax, columns, lanes, centres, lo, hi, is_open, strip_pt) -> None:
    """One mark per event: a dot for a day, a bar for a month or range, a dotted run if open."""
    earliest, latest = columns.earliest, columns.latest
    marks = sum(len(lane.rows) for lane in lanes)
    alpha = 0.9 if marks <= 150 else 0.65
    dots: dict[tuple[bool, bool], tuple[list, list, list]] = {}
    segments, seg_colors, seg_styles, seg_widths = [], [], [], []
    for index, lane in enumerate(lanes):
        y = centres[index]
        for row in lane.rows:
            kind = columns.kind[row]
            colour = style(kind).color if kind in LIFECYCLE else CONTEXT_COLOR
            planned = columns.certainty[row] == "planned"
            a, b = earliest[row], latest[row]
            if is_open[row]:
                x0 = lo if np.isnan(a) else a
                x1 = hi if np.isnan(b) else b + _DAY
                segments.append([(x0, y), (x1, y)])
                seg_colors.append(colour)
                seg_styles.append((0, (1.0, 1.5)))
                seg_widths.append(1.4)
            elif b > a:
                segments.append([(a, y), (b + _DAY, y)])
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
    counts = []
    for lane in lanes:
        steps = [r for r in lane.rows if columns.kind[r] in LIFECYCLE]
        others = [r for r in lane.rows if columns.kind[r] not in LIFECYCLE]
        pair = (_density(columns, steps, edges), _density(columns, others, edges))
        counts.append(pair)
        if not lane.own_scale:
            shared = max(shared, float((pair[0] + pair[1]).max()))
    layers: dict[tuple[str, str], list] = {}  # (fill, status or '') -> rectangles
    for lane, bottom, (steps, others) in zip(lanes, bottoms, counts, strict=True):
        scale = max(1.0, float((steps + others).max())) if lane.own_scale else shared
        if lane.kind in LIFECYCLE:
            lower_key, upper_key = (style(lane.kind).color, lane.kind), ("#ABABAB", "")
        elif lane.kind:
            lower_key, upper_key = (INK, ""), (CONTEXT_COLOR, "")
        else:
            lower_key, upper_key = (INK, ""), ("#ABABAB", "")
        for k in np.flatnonzero((steps + others) > 0):
            x0, x1 = edges[k], edges[k + 1]
            h0 = max(steps[k] / scale * strip_pt, 0.8 if steps[k] > 0 else 0.0)
            h1 = max(others[k] / scale * strip_pt, 0.8 if others[k] > 0 else 0.0)
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


# -- d. status counts over time --------------------------------------------------------------------


def _intervals(history: pd.DataFrame) -> dict[str, tuple[np.ndarray, ...]]:
    """Per status: when each period certainly ran [s1, e0) and possibly ran [s0, e1)."""
    s0 = _num(history["start_earliest"])
    s1 = _num(history["start_latest"])
    e0 = _num(history["end_earliest"])
    e1 = _num(history["end_latest"])
    ongoing = np.isnan(e0) & np.isnan(e1)
    s0 = np.where(np.isnan(s0), -np.inf, s0)
    s1 = np.where(np.isnan(s1), np.inf, s1)  # an open start is never certainly reached
    e0 = np.where(ongoing, np.inf, np.where(np.isnan(e0), s1, e0))
    e1 = np.where(ongoing | np.isnan(e1), np.inf, e1)
    e0 = np.maximum(e0, s1)  # a period that may already be over before it surely began
    e1 = np.maximum(e1, s0)
    statuses = history["status"].astype(str).to_numpy()
    result = {}
    for status in np.unique(statuses):
        mask = statuses == status
        result[status] = (s0[mask], s1[mask], e0[mask], e1[mask])
    return result


def _count_at(starts: np.ndarray, ends: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many [start, end) intervals contain each time."""
    started = np.searchsorted(np.sort(starts), times, side="right")
    ended = np.searchsorted(np.sort(ends), times, side="right")
    return started - ended


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
    scale. Counts run to `as_of` (default: the last date in the history), from `since` if given.
    """
    title = title or "Agreements in each status over time"
    if history is None or len(history) == 0:
        return _empty(title, "No status history matches.", source)
    intervals = _intervals(_bounded_ends(history))
    bounds = np.concatenate([np.concatenate(v) for v in intervals.values()])
    finite = bounds[np.isfinite(bounds)]
    day = _stamp(as_of)
    end = float(_num([day])[0]) if day is not None else float(finite.max())
    day = day or pd.Timestamp(mdates.num2date(end).date())
    lo, hi = _span([*finite[finite <= end], end], pad=0.015)
    hi = end + (hi - end) * 0.3
    lo, hi = _window(lo, hi, since)
    times = np.unique(np.concatenate([finite[(finite > lo) & (finite <= end)], [lo, end]]))

    counted = {}
    for status in palette.STATUSES:
        if status in intervals:
            s0, s1, e0, e1 = intervals[status]
            counted[status] = (_count_at(s1, e0, times), _count_at(s0, e1, times))
    # Statuses no agreement had (even possibly) in the dates shown get no panel.
    statuses = [s for s, (_, upper) in counted.items() if upper.max() > 0]
    if not statuses:
        return _empty(title, "No agreement had a status in these dates; none match.", source)
    left_out = [status_label(s) for s in counted if s not in statuses]  # e.g. same-day steps
    panel = 0.95  # inches per panel, title included
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
        f"{_count_phrase(agreements, 'agreement')}, {_month_text(lo)} – {_day_text(day)}",
        "each panel has its own scale",
    ]
    if left_out:
        subtitle.append(
            f"no panel for {' or '.join(left_out)}: no agreement stayed so for a day in these dates"
        )
    frame = _Frame.make(title, subtitle, source, handles, above=0.0, below=0.5)
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
                f"as of {_day_text(day)}",
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
        _date_axis(ax, lo, hi)
        if index < len(statuses) - 1:
            ax.tick_params(axis="x", labelbottom=False)
    axes[-1].set_xlabel("Date", fontsize=TICK_SIZE, color=INK)
    axes[len(axes) // 2].set_ylabel("Agreements", fontsize=TICK_SIZE, color=INK)

    alt = (
        f"Small step charts, one per status, of how many of {agreements:,} agreements were in "
        f"each status from {_month_text(lo)} to {_day_text(day)}. Solid areas count agreements "
        f"certainly in the status, faded bands those possibly in it. As of {_day_text(day)}: "
        + "; ".join(summary)
        + "."
    )
    setattr(fig, ALT_ATTRIBUTE, alt)
    return fig
