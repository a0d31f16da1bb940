"""The frame every chart shares: size, type sizes and margins; title, subtitle, legend, body
and source line laid out top to bottom in inches; the figure shown for empty input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.patches import Patch, Rectangle

from thirdcountry.report.charts.alt import set_alt
from thirdcountry.report.charts.labels import LINE, fit_text, text_width, wrap_phrases
from thirdcountry.report.palette import (
    INK,
    MUTED_INK,
)

WIDTH = 8.0  # inches, every chart: close to the A4 text width, so print keeps the font sizes
# Inches: one A4 page in print (an 8-inch chart is printed 180 mm wide, so 11 in become about
# 25 cm). Charts with more rows than fit show the most recent and say how many more there are.
MAX_HEIGHT = 11.0
MIN_HEIGHT = 2.5
DPI = 100
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

STATUS_GID = "status:"  # gid prefix of artists filled with a status's own (unfaded) colour


def source_line(facts) -> str:
    """'Source: thirdcountry fact base (data, <hash>)' for a loaded FactBase."""
    digest = getattr(facts, "content_hash", "")
    return f"{DEFAULT_SOURCE} ({facts.data_dir.name}, {digest})" if digest else DEFAULT_SOURCE


# -- figure frame ----------------------------------------------------------------------------------


class FadePatch(Patch):
    """Legend handle drawn as a colour fading out, the mark of an uncertain date of change."""


class FadeHandler(HandlerBase):
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
class Frame:
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
    ) -> Frame:
        """`subtitle_parts` are packed into lines; each of `lines` gets a line of its own."""
        usable = (WIDTH - 2 * MARGIN) * 72
        subtitle = wrap_phrases([p for p in subtitle_parts if p], SUBTITLE_SIZE, usable)
        subtitle += [fit_text(line, SUBTITLE_SIZE, usable) for line in lines]
        frame = cls(
            title=fit_text(title, TITLE_SIZE, usable, weight="bold"),
            subtitle=subtitle,
            source=fit_text(source, SOURCE_SIZE, usable),
            handles=list(handles),
            above_body=above,
            below_body=below,
        )
        if frame.handles:
            entries = [(2.0 + 0.8) * LEGEND_SIZE + text_width(h.get_label(), LEGEND_SIZE)
                       for h in frame.handles]  # fmt: skip
            frame.legend_columns = legend_columns(entries, usable, spacing=1.6 * LEGEND_SIZE)
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
                handler_map={FadePatch: FadeHandler()},
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


def legend_columns(entries: list[float], usable: float, spacing: float) -> int:
    """The most columns whose widths fit; a legend fills its columns top to bottom."""
    for columns in range(len(entries), 1, -1):
        rows = math.ceil(len(entries) / columns)
        if math.ceil(len(entries) / rows) < columns:
            continue  # the same rows with fewer columns; matplotlib would leave one empty
        widths = [max(entries[c * rows : (c + 1) * rows]) for c in range(columns)]
        if sum(widths) + spacing * (columns - 1) <= usable:
            return columns
    return 1


def empty_figure(title: str, message: str, source: str) -> Figure:
    frame = Frame.make(title, [], source)
    fig, bottom, top = frame.figure(1.2)
    fig.text(
        0.5, (bottom + top) / 2, message, fontsize=12, color=MUTED_INK, ha="center", va="center"
    )
    set_alt(fig, f"{title}: {message}")
    return fig


def row_font(pitch_pt: float, largest: float = LABEL_SIZE) -> tuple[float, int]:
    """Font size for one label per row of `pitch_pt` points, and label every n-th row."""
    size = min(largest, pitch_pt / (LINE + 0.08))
    if size >= MIN_ROW_FONT:
        return size, 1
    return MIN_ROW_FONT, math.ceil(MIN_ROW_FONT * (LINE + 0.08) / pitch_pt)
