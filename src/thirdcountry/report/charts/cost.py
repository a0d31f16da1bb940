"""Money paid against people sent, per agreement: the cost per person is where a point sits.

`cost_layout` (pure) turns `analysis.cost_per_person` into points with ranges per currency and
the diagonal lines of equal cost per person; `paid_and_sent` draws one log–log panel per
currency (amounts are never converted). Agreements that paid but sent nobody yet sit in a strip
on the left, 'none sent'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from thirdcountry.report.charts.alt import count_phrase, set_alt
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MARGIN,
    TICK_SIZE,
    WIDTH,
    Frame,
    empty_figure,
)
from thirdcountry.report.charts.labels import fit_text, text_width
from thirdcountry.report.palette import INK, MUTED_INK

POINT_COLOR = "#0072B2"
PLEDGE_COLOR = "#D55E00"
ISO_COLOR = "#BDBDBD"
NAMED = 14  # points labelled per panel, the costliest per person first
MAX_PANELS = 3  # currency panels drawn, those with the most agreements; the rest are in the table
PANEL_HEIGHT = 4.2  # inches: the most a panel gets
MIN_PANEL_HEIGHT = 1.6  # inches: a panel with a point or two
PANEL_HEIGHT_PER_POINT = 0.12  # inches more for each point, up to PANEL_HEIGHT
PANEL_GAP = 0.62  # inches between panels: room for the upper one's tick labels and axis label
POINT_LABEL_SIZE = 7.5
# Where a point's label may go, in points from the point, tried in turn: right, left, below, above,
# then further below and above.
LABEL_OFFSETS = ((6, 3, "left"), (-6, 3, "right"), (6, -21, "left"), (-6, -21, "right"),
                 (6, 12, "left"), (-6, 12, "right"), (-6, -32, "right"), (6, -32, "left"),
                 (-6, 24, "right"), (6, 24, "left"), (-6, -44, "right"), (-6, 36, "right"),
                 (6, -44, "left"), (6, 36, "left"))  # fmt: skip
LABEL_ROOM = 3.2 * 72  # points: a short name is cut only beyond this (none on the shipped data)
LABEL_LINE = 1.2  # line height, in font sizes


@dataclass(frozen=True)
class CostPoint:
    agreement_id: str
    label: str
    people: tuple[float, float]  # low, high (high NaN: at least low; both NaN: none known)
    paid: tuple[float, float]
    pledged_only: bool
    cost: tuple[float, float]  # per person, low, high (NaN where unknown)
    named: bool

    @property
    def none_sent(self) -> bool:
        return math.isnan(self.people[0]) or self.people[0] <= 0

    @property
    def x(self) -> float:
        low, high = self.people
        return math.sqrt(low * high) if not math.isnan(high) else low

    @property
    def y(self) -> float:
        return math.sqrt(self.paid[0] * self.paid[1])


@dataclass(frozen=True)
class CostPanel:
    currency: str
    points: tuple[CostPoint, ...]
    x_range: tuple[float, float]  # people axis, log; the 'none sent' strip sits below it
    y_range: tuple[float, float]
    iso_costs: tuple[float, ...]  # cost per person of each diagonal drawn


def money_text(amount: float, currency: str) -> str:
    """'USD 7.5m', 'USD 19k', 'GBP 1.1bn'."""
    if math.isnan(amount):
        return "?"
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if amount >= size:
            return f"{currency} {amount / size:,.3g}{suffix}"
    return f"{currency} {amount:,.0f}"


def cost_text(point: CostPoint, currency: str) -> str:
    low, high = point.cost
    if point.none_sent:
        return "none sent"
    if math.isnan(low) and not math.isnan(high):
        return f"≤{money_text(high, currency)} each"
    if math.isclose(low, high, rel_tol=0.005):
        return f"{money_text(low, currency)} each"
    high_text = money_text(high, currency).removeprefix(f"{currency} ")
    return f"{money_text(low, currency)}–{high_text} each"


def iso_cost_levels(
    x_range: tuple[float, float], y_range: tuple[float, float]
) -> tuple[float, ...]:
    """Powers of ten of cost per person whose diagonal crosses the panel."""
    lowest = y_range[0] / x_range[1]
    highest = y_range[1] / x_range[0]
    first, last = math.floor(math.log10(lowest)), math.ceil(math.log10(highest))
    return tuple(10.0**k for k in range(first, last + 1) if lowest <= 10.0**k <= highest)


Box = tuple[float, float, float, float]  # left, bottom, right, top, in points


def place_labels(
    anchors: list[tuple[float, float]], widths: list[float], height: float, area: Box
) -> list[tuple[float, float, str] | None]:
    """For each anchor (in points), the first offset whose label box stays inside `area` and
    clear of the labels and anchors placed so far; None where no offset fits (left unlabelled)."""
    placed: list[Box] = [(x - 3, y - 3, x + 3, y + 3) for x, y in anchors]
    result: list[tuple[float, float, str] | None] = []
    for (x, y), width in zip(anchors, widths, strict=True):
        choice = None
        for dx, dy, align in LABEL_OFFSETS:
            left = x + dx if align == "left" else x + dx - width
            box = (left, y + dy, left + width, y + dy + height)
            inside = (
                area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
            )
            clear = all(
                box[2] <= other[0] or other[2] <= box[0] or box[3] <= other[1] or other[3] <= box[1]
                for other in placed
            )
            if inside and clear:
                choice = (dx, dy, align)
                placed.append(box)
                break
        result.append(choice)
    return result


def chosen_currencies(cost: pd.DataFrame, max_panels: int = MAX_PANELS) -> tuple[list[str], int]:
    """The currencies to draw a panel for, those with the most agreements first (then by name),
    and how many agreements are left out (pure)."""
    counts = cost.groupby("currency")["agreement_id"].nunique()
    order = sorted(counts.index, key=lambda c: (-counts[c], str(c)))
    kept = order[:max_panels]
    return kept, int(sum(counts[c] for c in order[max_panels:]))


def panel_heights(points_per_panel: list[int]) -> list[float]:
    """Each panel's height in inches (pure): a few points need little room, many need more."""
    return [
        min(PANEL_HEIGHT, MIN_PANEL_HEIGHT + PANEL_HEIGHT_PER_POINT * max(0, n - 1))
        for n in points_per_panel
    ]


def cost_layout(cost: pd.DataFrame, labels: dict[str, str], named: int = NAMED) -> list[CostPanel]:
    panels = []
    for currency, group in cost.groupby("currency", sort=True):
        ranked = group.assign(
            _rank=group["cost_high"].fillna(group["cost_low"]).fillna(math.inf)
        ).sort_values(["_rank", "paid_low"], ascending=False)
        chosen = set(ranked["agreement_id"][:named])
        points = []
        for row in ranked.itertuples():
            points.append(
                CostPoint(
                    agreement_id=row.agreement_id,
                    label=labels.get(row.agreement_id, row.agreement_id),
                    people=(float(row.people_low), float(row.people_high)),
                    paid=(float(row.paid_low), float(row.paid_high)),
                    pledged_only=bool(row.pledged_only),
                    cost=(float(row.cost_low), float(row.cost_high)),
                    named=row.agreement_id in chosen,
                )
            )
        sent = [p for p in points if not p.none_sent]
        xs = [v for p in sent for v in p.people if not math.isnan(v)] or [1.0, 10.0]
        ys = [v for p in points for v in p.paid if not math.isnan(v) and v > 0] or [1.0, 10.0]
        x_range = (max(0.5, min(xs) / 2.5), max(xs) * 3.0)
        y_range = (min(ys) / 3.0, max(ys) * 3.0)
        panels.append(
            CostPanel(
                str(currency), tuple(points), x_range, y_range, iso_cost_levels(x_range, y_range)
            )
        )
    return panels


def paid_and_sent(
    cost: pd.DataFrame,
    labels: dict[str, str],
    *,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> Figure:
    """Money paid (y) against people sent (x), log–log, one panel per currency.

    Diagonals mark equal cost per person. Bars show ranges; an arrow, a floor of people sent;
    an orange hollow marker, a payment only pledged.
    """
    title = title or "Money paid and people sent, per agreement"
    if cost is None or len(cost) == 0:
        return empty_figure(title, "No payments on record match.", source)
    kept, left_out = chosen_currencies(cost)
    panels = cost_layout(cost[cost["currency"].isin(kept)], labels)
    count = sum(len(p.points) for p in panels)
    subtitle = [
        f"{count_phrase(count, 'agreement')} with a payment on record",
        "log–log: diagonals mark equal cost per person",
        "amounts in their own currency, not converted",
    ]
    if left_out:
        others = sorted(set(cost["currency"]) - set(kept))
        subtitle.append(
            f"{count_phrase(left_out, 'more agreement')} paid in {', '.join(others)}: in the table"
        )
    handles = [
        Line2D([], [], marker="o", linestyle="none", color=POINT_COLOR, label="reported paid"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=PLEDGE_COLOR,
            label="only pledged",
        ),
        Line2D([], [], color=ISO_COLOR, linestyle="-", label="equal cost per person"),
    ]
    frame = Frame.make(title, subtitle, source, handles, below=0.6)
    wanted = panel_heights([len(p.points) for p in panels])
    fig, bottom, top = frame.figure(sum(wanted) + PANEL_GAP * (len(panels) - 1))
    height = fig.get_figheight()
    gap = PANEL_GAP / height
    # shares of the body: a figure capped at MAX_HEIGHT shrinks every panel alike
    scale = (top - bottom - gap * (len(panels) - 1)) / (sum(wanted) / height)
    left, right = MARGIN + 0.75, 0.25
    summary = []
    y = top
    for panel, inches in zip(panels, wanted, strict=True):
        panel_h = inches / height * scale
        ax = fig.add_axes((left / WIDTH, y - panel_h, 1 - (left + right) / WIDTH, panel_h))
        y -= panel_h + gap
        summary += _draw_panel(ax, panel)
    alt = (
        f"Scatter chart, log–log, of money paid against people sent for {count:,} agreements, "
        "one panel per currency, with diagonals of equal cost per person. " + "; ".join(summary)
    )
    if left_out:
        alt += f"; {left_out:,} more agreements paid in other currencies are listed in the table"
    set_alt(fig, alt + ".")
    return fig


def _draw_panel(ax, panel: CostPanel) -> list[str]:
    currency = panel.currency
    x_lo, x_hi = panel.x_range
    strip = x_lo / 2.2  # where 'none sent' points sit, left of the people axis
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(strip / 1.8, x_hi)
    ax.set_ylim(*panel.y_range)
    ax.axvspan(strip / 1.8, x_lo / 1.15, color="#F2F2F2", zorder=0, linewidth=0)
    ax.text(
        strip,
        panel.y_range[1] / 1.25,
        "none\nsent",
        fontsize=7,
        color=MUTED_INK,
        ha="center",
        va="top",
    )
    for level in panel.iso_costs:
        xs = [x_lo, x_hi]
        ax.plot(xs, [level * x for x in xs], color=ISO_COLOR, linewidth=0.8, zorder=1)
        x_at = min(x_hi / 1.3, panel.y_range[1] / level / 1.5)
        if x_at > x_lo:
            ax.text(
                x_at,
                level * x_at,
                f"{money_text(level, currency)} per person",
                fontsize=6.5,
                color=MUTED_INK,
                rotation=0,
                ha="right",
                va="bottom",
                zorder=1,
            )
    summary = []
    named = [p for p in panel.points if p.named]
    # Two lines, never cut: the agreement's short name, then the amount per person.
    texts = [f"{fit_text(p.label, POINT_LABEL_SIZE, LABEL_ROOM)}\n{cost_text(p, currency)}"
             for p in named]  # fmt: skip
    to_points = 72 / ax.figure.dpi
    anchors = [
        tuple(v * to_points for v in ax.transData.transform((strip if p.none_sent else p.x, p.y)))
        for p in named
    ]
    frame_box = ax.get_window_extent()
    area = tuple(v * to_points for v in frame_box.extents)
    widths = [max(text_width(line, POINT_LABEL_SIZE) for line in t.split("\n")) for t in texts]
    spots = place_labels(anchors, widths, 2 * POINT_LABEL_SIZE * LABEL_LINE, area)
    labels = {p.agreement_id: (t, spot) for p, t, spot in zip(named, texts, spots, strict=True)}
    for point in panel.points:
        x = strip if point.none_sent else point.x
        color = PLEDGE_COLOR if point.pledged_only else POINT_COLOR
        face = "white" if point.pledged_only else color
        size = 6 if point.named else 4
        ax.plot(
            [x],
            [point.y],
            marker="o",
            markersize=size,
            markerfacecolor=face,
            markeredgecolor=color,
            linestyle="none",
            zorder=4,
        )
        if point.paid[1] > point.paid[0]:
            ax.plot([x, x], list(point.paid), color=color, linewidth=1, zorder=3)
        if not point.none_sent:
            low, high = point.people
            if not math.isnan(high) and high > low:
                ax.plot([low, high], [point.y, point.y], color=color, linewidth=1, zorder=3)
            elif math.isnan(high):
                ax.annotate(
                    "",
                    xy=(low * 1.9, point.y),
                    xytext=(low, point.y),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 0.9},
                    zorder=3,
                )
        text, spot = labels.get(point.agreement_id, ("", None))
        if spot is not None:
            dx, dy, align = spot
            ax.annotate(
                text,
                (x, point.y),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=POINT_LABEL_SIZE,
                color=INK,
                ha=align,
                va="bottom",
                zorder=5,
                # A label set further off is tied to its point by a thin line.
                arrowprops={"arrowstyle": "-", "color": ISO_COLOR, "lw": 0.6, "shrinkB": 3}
                if abs(dy) > 24
                else None,
            )
        summary.append(f"{point.label}: {cost_text(point, currency)}")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else ""))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money_text(v, currency)))
    decades = math.log10(panel.y_range[1] / panel.y_range[0])
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades < 3 else (1.0,)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(labelsize=TICK_SIZE, colors=INK)
    ax.grid(color="#EEEEEE", linewidth=0.6, zorder=0)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_xlabel("People sent (latest running total)", fontsize=TICK_SIZE, color=INK)
    ax.set_ylabel(f"Paid ({currency})", fontsize=TICK_SIZE, color=INK)
    return summary


__all__ = [
    "CostPanel",
    "CostPoint",
    "chosen_currencies",
    "cost_layout",
    "iso_cost_levels",
    "money_text",
    "paid_and_sent",
    "panel_heights",
]
