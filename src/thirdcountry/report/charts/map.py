"""The map: sending and receiving states, one arrow per agreement coloured by its status.

`map_layout` (pure) decides which agreements can be drawn (both parties are countries with a
shape), the bend of each arrow (several agreements between one pair fan out), its width (people
sent, where figures exist) and the part of the world shown; `agreement_map` draws it on country
shapes shipped with the package (`geography`), and `people_sent` reads the figures table, which a
fact base may not have.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from thirdcountry.facts.countries import country_name, party_name
from thirdcountry.report import palette
from thirdcountry.report.charts import geography
from thirdcountry.report.charts.alt import count_phrase, set_alt
from thirdcountry.report.charts.frame import (
    DEFAULT_SOURCE,
    MARGIN,
    STATUS_GID,
    WIDTH,
    Frame,
    empty_figure,
)
from thirdcountry.report.charts.labels import cell_text, column_values, fit_text, text_width
from thirdcountry.report.charts.timeaxis import day_text, stamp
from thirdcountry.report.palette import INK, MUTED_INK, NO_STATUS, split_status, status_label

SENDING_FILL = "#B8CCE0"  # light blue
RECEIVING_FILL = "#CDC6B8"  # warm grey
BOTH_FILL = "#9DB3C9"
LAND_FILL = "#EEEEEE"
BORDER = "#FFFFFF"
MIN_WIDTH, MAX_WIDTH = 1.3, 6.5  # points: arrow widths, from few to most people sent
PLAIN_WIDTH = 1.8  # points: an arrow with no figure
NAME_SIZE = 7.0
PAD = 0.08  # share of the extent added around the countries involved
MIN_SPAN = 0.6  # projected units: never zoom closer than about a sixth of the world's width
CROWDED = 60  # arrows; beyond this they are drawn thinner and lighter
MAX_NAMES = 30  # states named on the map, the most connected first; the alt text names all
MAP_HEIGHT = (2.6, 5.2)  # inches: the body of the map, from the shape of the region shown
CLUSTER_MIN = 4  # states this close together get an inset
CLUSTER_SHARE = 0.06  # ...within this share of the map's width of one of them
INSET_SHARE = 0.34  # the inset's width, as a share of the map's


@dataclass
class Link:
    """One agreement drawn as an arrow from its sending to its receiving state."""

    agreement_id: str
    title: str
    sending: str  # ISO alpha-3, upper case
    receiving: str
    status: str  # the status on the report date, maybe uncertain ('signed or in_force')
    people: float | None = None
    bend: float = 0.2  # matplotlib arc3 'rad'

    @property
    def uncertain(self) -> bool:
        return palette.is_uncertain(self.status)

    @property
    def colour_status(self) -> str:
        """The status the arrow's colour shows: the certain step of an uncertain status."""
        return (split_status(self.status) or (NO_STATUS,))[0]


@dataclass
class MapLayout:
    links: list[Link]
    sending: list[str]  # ISO alpha-3, in order of how many arrows leave them
    receiving: list[str]
    not_drawn: list[tuple[str, str]] = field(default_factory=list)  # (title, why)
    extent: tuple[float, float, float, float] = (-2.7, -1.3, 2.7, 1.3)  # projected x0 y0 x1 y1

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys([*self.sending, *self.receiving]))

    @property
    def people_known(self) -> bool:
        return any(link.people for link in self.links)


def people_sent(figures: pd.DataFrame | None, as_of: dt.date | str | None = None) -> dict:
    """People sent under each agreement by `as_of`, from the figures table where it has them.

    The largest total a source gives (cumulative, or over a period; single flights are not
    summed, since they overlap the totals), of people_transferred figures that are not merely
    planned. A lower bound: what the sources have counted. {} when there is no figures table.
    """
    if figures is None or not len(figures) or "measure" not in figures:
        return {}
    rows = figures[figures["measure"].astype(str) == "people_transferred"]
    if "certainty" in rows:
        rows = rows[rows["certainty"].astype(str) != "planned"]
    if "basis" in rows:
        rows = rows[rows["basis"].astype(str) != "single_event"]
    day = stamp(as_of)
    if day is not None and "latest" in rows:  # the loaded table: EDTF parsed to a latest day
        latest = pd.to_datetime(rows["latest"], errors="coerce")
        rows = rows[latest.isna() | (latest <= day)]
    elif day is not None and "date" in rows:
        # An EDTF date's ISO prefix sorts like the date: keep what holds by the report date.
        ends = rows["date"].astype(str).str.split("/").str[-1].str.rstrip("~?%")
        rows = rows[(ends <= day.strftime("%Y-%m-%d")) | (ends == "..")]
    values = pd.to_numeric(rows["value"], errors="coerce")
    best = values.groupby(rows["agreement_id"].astype(str)).max().dropna()
    return {a: float(v) for a, v in best.items() if v > 0}


def _iso3(entity_id: str) -> str:
    """'usa' -> 'USA'; '' for a party that is not a country (the EU, a programme)."""
    code = cell_text(entity_id).strip().upper()
    return code if len(code) == 3 and country_name(code) is not None else ""


def not_a_country(party: str) -> str:
    """Why an agreement has no arrow: 'the European Union is not one country' (pure); a code
    without a name is named as it is written, upper case."""
    code = party.strip().upper()
    name = party_name(code)
    if name is None:
        return f"{code} is not a country with a place on the map"
    the = "the " if name.startswith(("European ", "United ")) else ""
    return f"{the}{name} is not one country"


def map_layout(
    status_table: pd.DataFrame, people: dict | None = None, aspect: float = 0.5
) -> MapLayout:
    """The arrows, states and region to show for `analysis.status_as_of(...)` rows (pure).

    `aspect` is the height:width the region is widened to (the map's body).
    """
    people = people or {}
    table = status_table.reset_index(drop=True)
    n = len(table)
    ids = [cell_text(v) for v in column_values(table, "agreement_id", [""] * n)]
    titles = [cell_text(v) for v in column_values(table, "title", ids)]
    statuses = [cell_text(v) or NO_STATUS for v in column_values(table, "status", [""] * n)]
    sendings = column_values(table, "sending", [""] * n)
    receivings = column_values(table, "receiving", [""] * n)
    links: list[Link] = []
    not_drawn: list[tuple[str, str]] = []
    for i in range(n):
        sending, receiving = _iso3(sendings[i]), _iso3(receivings[i])
        if not cell_text(receivings[i]):
            not_drawn.append((titles[i], "no receiving state recorded"))
        elif not sending or not receiving:
            party = cell_text(sendings[i]) if not sending else cell_text(receivings[i])
            not_drawn.append((titles[i], not_a_country(party)))
        elif not geography.has_shape(sending) or not geography.has_shape(receiving):
            not_drawn.append((titles[i], "no shape for one of its states"))
        elif sending == receiving:
            not_drawn.append((titles[i], "sending and receiving state are the same"))
        else:
            links.append(
                Link(ids[i], titles[i], sending, receiving, statuses[i], people.get(ids[i]))
            )
    # Several agreements between one pair of states fan out, the oldest status innermost.
    pairs: dict[frozenset, list[Link]] = {}
    for link in sorted(links, key=lambda x: (palette.status_rank(x.status), x.title)):
        pairs.setdefault(frozenset((link.sending, link.receiving)), []).append(link)
    for group in pairs.values():
        for k, link in enumerate(group):
            link.bend = 0.18 + 0.17 * k
    layout = MapLayout(
        links=links,
        sending=_by_count([link.sending for link in links]),
        receiving=_by_count([link.receiving for link in links]),
        not_drawn=not_drawn,
    )
    if links:
        layout.extent = _extent(layout.countries, aspect)
    return layout


def _anchor(code: str) -> tuple[float, float]:
    """geography.anchor for a state on the map (every drawn state has an anchor)."""
    point = geography.anchor(code)
    if point is None:
        raise ValueError(f"{code!r} has no shape or point to draw")
    return point


def _by_count(codes: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))


def _extent(
    codes: list[str], aspect: float | None, min_span: float = MIN_SPAN
) -> tuple[float, float, float, float]:
    """The projected region around the countries' mainland, padded, and widened to `aspect`
    (height:width) if given."""
    boxes = [b for b in (geography.bounds(c) for c in codes) if b]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = max(x1 - x0, min_span), max(y1 - y0, min_span * (aspect or 0.5))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * (1 + 2 * PAD), height * (1 + 2 * PAD)
    if aspect is not None and height / width > aspect:
        width = height / aspect
    elif aspect is not None:
        height = width * aspect
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def crowded_cluster(layout: MapLayout, share: float = CLUSTER_SHARE) -> list[str]:
    """States drawn so close together that they get an inset (pure): the largest group of at
    least CLUSTER_MIN states within `share` of the map's width of one of them; else []."""
    codes = layout.countries
    if len(codes) < CLUSTER_MIN:
        return []
    points = {c: _anchor(c) for c in codes}
    radius = share * (layout.extent[2] - layout.extent[0])

    def near(a: str) -> list[str]:
        ax, ay = points[a]
        return [c for c in codes if math.hypot(points[c][0] - ax, points[c][1] - ay) <= radius]

    centre = max(codes, key=lambda c: (len(near(c)), -codes.index(c)))
    group = near(centre)
    return group if len(group) >= CLUSTER_MIN else []


def arrow_width(people: float | None, most: float) -> float:
    """Line width in points: by the square root of people sent, so area-like; plain if unknown."""
    if not people or most <= 0:
        return PLAIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * math.sqrt(people / most)


def curve_middle(
    a: tuple[float, float], b: tuple[float, float], bend: float
) -> tuple[float, float]:
    """The middle of matplotlib's arc3 curve from a to b (equal-aspect axes)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    control = ((a[0] + b[0]) / 2 + bend * dy, (a[1] + b[1]) / 2 - bend * dx)
    return (
        0.25 * a[0] + 0.5 * control[0] + 0.25 * b[0],
        0.25 * a[1] + 0.5 * control[1] + 0.25 * b[1],
    )


def _name(code: str) -> str:
    """The shorter of Natural Earth's and ISO's names: 'United States', 'Dem. Rep. Congo'."""
    names = [n for n in (geography.shapes().names.get(code), country_name(code)) if n]
    return min(names, key=len) if names else code


def agreement_map(
    status_table: pd.DataFrame,
    *,
    people: dict | None = None,
    as_of: dt.date | str | None = None,
    source: str = DEFAULT_SOURCE,
    title: str | None = None,
) -> Figure:
    """Sending and receiving states, and an arrow per agreement coloured by its status.

    `status_table` is `analysis.status_as_of(...)` (its sending and receiving columns);
    `people` maps agreement ids to people sent (`people_sent(facts.figures)`), which sets the
    arrows' widths where known. Agreements that cannot be drawn (no receiving state, a party
    that is not a country) are named under the map and in the alt text.
    """
    day = stamp(as_of)
    title = title or "Where the agreements send people"
    if status_table is None or len(status_table) == 0:
        return empty_figure(title, "No agreements match.", source)
    usable_in = WIDTH - 2 * MARGIN
    layout = map_layout(status_table, people)
    if not layout.links:
        message = "No agreements match with two states on the map."
        fig = empty_figure(title, message, source)
        set_alt(fig, f"{title}: {message} " + _not_drawn_text(layout))
        return fig
    x0, y0, x1, y1 = _extent(layout.countries, None)
    body = min(MAP_HEIGHT[1], max(MAP_HEIGHT[0], usable_in * (y1 - y0) / (x1 - x0)))
    # Widen the region to the body's shape, so that the axes keep an equal aspect.
    layout.extent = _extent(layout.countries, body / usable_in)
    return _draw(layout, body, day, title, source)


def _handles(layout: MapLayout) -> list:
    statuses = [link.colour_status for link in layout.links]
    handles: list = [
        Line2D([], [], color=palette.color(s), linewidth=2.5, label=palette.style(s).label,
               solid_capstyle="butt")
        for s in palette.STATUSES
        if s in statuses
    ]  # fmt: skip
    if any(link.uncertain for link in layout.links):
        handles.append(
            Line2D([], [], color=INK, linewidth=1.5, linestyle=(0, (3, 1.5)),
                   label="dashed: may have gone further")
        )  # fmt: skip
    handles += [
        Patch(facecolor=SENDING_FILL, edgecolor="none", label="sending state"),
        Patch(facecolor=RECEIVING_FILL, edgecolor="none", label="receiving state"),
    ]
    if set(layout.sending) & set(layout.receiving):
        handles.append(Patch(facecolor=BOTH_FILL, edgecolor="none", label="both"))
    return handles


def _draw(layout: MapLayout, body: float, day, title: str, source: str) -> Figure:
    links = layout.links
    when = f" on {day_text(day)}" if day else ""
    subtitle = [
        f"{count_phrase(len(links), 'agreement')} between "
        f"{count_phrase(len(layout.countries), 'country', 'countries')}",
        f"one arrow per agreement, from the sending to the receiving state, coloured by its "
        f"status{when}",
    ]
    if layout.people_known:
        known = sum(1 for link in links if link.people)
        subtitle.append(
            f"arrow width: people sent, as far as sources count them ({known:,} with figures; "
            "thin: no figure)"
        )
    lines = []
    if layout.not_drawn:
        lines.append("Not on the map: " + "; ".join(f"{t} ({why})" for t, why in layout.not_drawn))
    frame = Frame.make(title, subtitle, source, _handles(layout), below=0.08, lines=lines)
    fig, bottom, top = frame.figure(body)
    x0, y0, x1, y1 = layout.extent
    left = MARGIN / WIDTH
    ax = fig.add_axes((left, bottom, 1 - 2 * left, top - bottom))
    per_pt = (x1 - x0) / ((WIDTH - 2 * MARGIN) * 72)  # projected units per point
    cluster = crowded_cluster(layout)
    inset = _inset_box(layout, cluster) if cluster else None
    boxes: list[tuple[float, float, float, float]] = [inset] if inset else []
    zoom: tuple[float, float, float, float] | None = None
    if inset:
        ix0, iy0, ix1, iy1 = inset
        zoom = _extent(cluster, (iy1 - iy0) / (ix1 - ix0), min_span=0.08)
    others = [c for c in layout.countries if c not in cluster]
    unnamed = _draw_region(ax, layout, layout.extent, per_pt, boxes, others, enlarged=zoom)
    if inset and zoom is not None:
        frac = ((ix0 - x0) / (x1 - x0), (iy0 - y0) / (y1 - y0))
        size = ((ix1 - ix0) / (x1 - x0), (iy1 - iy0) / (y1 - y0))
        box = ax.get_position()
        inset_ax = fig.add_axes(
            (box.x0 + frac[0] * box.width, box.y0 + frac[1] * box.height,
             size[0] * box.width, size[1] * box.height)
        )  # fmt: skip
        inset_per_pt = (zoom[2] - zoom[0]) / (size[0] * (WIDTH - 2 * MARGIN) * 72)
        unnamed += _draw_region(inset_ax, layout, zoom, inset_per_pt, [], cluster, framed=True)
        zx0, zy0, zx1, zy1 = zoom
        ax.add_patch(
            Rectangle((zx0, zy0), zx1 - zx0, zy1 - zy0, facecolor="none", edgecolor=MUTED_INK,
                      linewidth=0.7, zorder=7)
        )  # fmt: skip
    if unnamed:
        names = ", ".join(_name(c) for c in unnamed[:8])
        more = f" and {len(unnamed) - 8:,} more" if len(unnamed) > 8 else ""
        note = fit_text(
            f"Not named for lack of room: {names}{more}", 6.5, (WIDTH - 2 * MARGIN) * 72,
            style_="italic",
        )  # fmt: skip
        ax.text(
            0.0, 0.0, note, transform=ax.transAxes, fontsize=6.5, color=MUTED_INK, ha="left",
            va="bottom", style="italic",
        )  # fmt: skip
    set_alt(fig, map_alt_text(layout, day))
    return fig


def _draw_region(
    ax, layout, extent, per_pt, boxes, named, framed: bool = False, enlarged=None
) -> list[str]:
    """Land, arrows and names in one axes showing `extent`; the states it could not name.

    Figures of people sent whose arrow's middle lies in `enlarged` (the inset's region) are
    written in the inset only."""
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(framed)
        spine.set_color(MUTED_INK)
        spine.set_linewidth(0.7)
    if framed:
        ax.set_facecolor("#FFFFFF")
        ax.set_zorder(5)
    _draw_land(ax, layout)
    links = layout.links
    most = max((link.people or 0.0 for link in links), default=0.0)
    crowded = len(links) > CROWDED  # hundreds of arrows: thinner and lighter, so all show
    for link in sorted(links, key=lambda x: -(x.people or 0)):
        a, b = _anchor(link.sending), _anchor(link.receiving)
        width = arrow_width(link.people, most) * (0.5 if crowded else 1.0)
        ax.add_artist(  # not add_patch: that computes every curve again to autoscale
            FancyArrowPatch(
                a, b, connectionstyle=f"arc3,rad={link.bend}",
                arrowstyle=f"-|>,head_length={0.5 + 0.12 * width},head_width={0.3 + 0.1 * width}",
                mutation_scale=8, linewidth=width, color=palette.color(link.colour_status),
                shrinkA=3, shrinkB=4, linestyle=(0, (3, 1.5)) if link.uncertain else "solid",
                alpha=0.55 if crowded else 0.92, zorder=4, gid=STATUS_GID + link.colour_status,
            )
        )  # fmt: skip
    # Names of the states, where they fit; then people sent at the arrows' middles. No label
    # covers a state's own point (crowded islands: the Caribbean), so each dot stays visible.
    boxes.extend(_dot_box(_anchor(code), per_pt) for code in layout.countries)
    unnamed = []
    for rank, code in enumerate(named):
        if rank >= MAX_NAMES or not _place(ax, _name(code), _anchor(code), per_pt, boxes, extent):
            unnamed.append(code)
    for link in links:
        if link.people:
            a, b = _anchor(link.sending), _anchor(link.receiving)
            middle = curve_middle(a, b, link.bend)
            elsewhere = enlarged is not None and (
                enlarged[0] <= middle[0] <= enlarged[2] and enlarged[1] <= middle[1] <= enlarged[3]
            )
            if x0 <= middle[0] <= x1 and y0 <= middle[1] <= y1 and not elsewhere:
                _place(ax, f"{link.people:,.0f}", middle, per_pt, boxes, extent, bold=True)
    return unnamed


def _inset_box(layout: MapLayout, cluster: list[str]) -> tuple[float, float, float, float]:
    """Where the inset goes, in the map's coordinates: the corner with the fewest states and
    arrow middles under it, and not over the cluster it enlarges."""
    x0, y0, x1, y1 = layout.extent
    w = (x1 - x0) * INSET_SHARE
    zoom = _extent(cluster, None, min_span=0.08)
    h = min((y1 - y0) * 0.55, w * (zoom[3] - zoom[1]) / (zoom[2] - zoom[0]))
    w = min(w, h * (zoom[2] - zoom[0]) / (zoom[3] - zoom[1]))
    points = [_anchor(c) for c in layout.countries]
    points += [curve_middle(_anchor(k.sending), _anchor(k.receiving), k.bend) for k in layout.links]
    corners = [(x0, y0), (x1 - w, y0), (x0, y1 - h), (x1 - w, y1 - h)]

    def cost(corner) -> tuple:
        cx, cy = corner
        under = sum(cx <= px <= cx + w and cy <= py <= cy + h for px, py in points)
        covers = any(cx <= px <= cx + w and cy <= py <= cy + h
                     for px, py in (_anchor(c) for c in cluster))  # fmt: skip
        return (covers, under)

    cx, cy = min(corners, key=cost)
    return cx, cy, cx + w, cy + h


def _draw_land(ax, layout: MapLayout) -> None:
    data = geography.shapes()
    sending, receiving = set(layout.sending), set(layout.receiving)
    verts, fills = [], []
    for code, rings in data.countries.items():
        fill = (
            BOTH_FILL if code in sending and code in receiving
            else SENDING_FILL if code in sending
            else RECEIVING_FILL if code in receiving
            else LAND_FILL
        )  # fmt: skip
        for ring in rings:
            x, y = geography.project(ring[:, 0], ring[:, 1])
            verts.append(np.column_stack([x, y]))
            fills.append(fill)
    for ring in data.other_land:
        x, y = geography.project(ring[:, 0], ring[:, 1])
        verts.append(np.column_stack([x, y]))
        fills.append(LAND_FILL)
    ax.add_collection(
        PolyCollection(verts, facecolors=fills, edgecolors=BORDER, linewidths=0.4, zorder=1)
    )
    # Small states (Nauru, Malta) have no outline at this scale: a dot marks them.
    small = [c for c in layout.countries if c not in data.countries]
    for code in small:
        px, py = _anchor(code)
        fill = SENDING_FILL if code in sending else RECEIVING_FILL
        ax.plot([px], [py], marker="o", markersize=5, color=fill, markeredgecolor=INK,
                markeredgewidth=0.5, zorder=3)  # fmt: skip


def _place(ax, text, at, per_pt, boxes, extent, bold: bool = False) -> bool:
    """Put `text` by `at` where it overlaps no placed label and stays inside the map: next to
    it if there is room, else further out along a thin leader line."""
    weight = "bold" if bold else "normal"
    w = text_width(text, NAME_SIZE, weight) * per_pt
    h = NAME_SIZE * 1.25 * per_pt
    x, y = at
    x0, y0, x1, y1 = extent
    for distance in (3, 14, 26, 40):
        d = distance * per_pt
        for dx, dy in LABEL_DIRECTIONS:
            # The box's nearest edge is `d` from the point, in direction (dx, dy).
            bx = x + dx * (d + w / 2) - w / 2 if dx else x - w / 2
            by = y + dy * (d + h / 2) - h / 2 if dy else y - h / 2
            if dx and dy:
                bx, by = x + dx * d - (w if dx < 0 else 0), y + dy * d - (h if dy < 0 else 0)
            box = (bx, by, bx + w, by + h)
            inside = box[0] >= x0 and box[1] >= y0 and box[2] <= x1 and box[3] <= y1
            if not inside or any(_overlap(box, other) for other in boxes):
                continue
            boxes.append(box)
            if distance > 3:
                nearest = (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))
                ax.plot([x, nearest[0]], [y, nearest[1]], color=MUTED_INK, linewidth=0.5,
                        zorder=5)  # fmt: skip
            ax.text(
                bx + w / 2, by + h / 2, text, fontsize=NAME_SIZE, ha="center", va="center",
                color=INK, weight=weight, zorder=6,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "#FFFFFF", "edgecolor": "none",
                      "alpha": 0.75},
            )  # fmt: skip
            return True
    return False


# Where a label may go around its point: above, below, right, left, then the diagonals.
LABEL_DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))


def _dot_box(at: tuple[float, float], per_pt: float, radius: float = 2.5):
    """The room a state's point takes, in map units (labels keep clear of it)."""
    r = radius * per_pt
    return (at[0] - r, at[1] - r, at[0] + r, at[1] + r)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _not_drawn_text(layout: MapLayout) -> str:
    if not layout.not_drawn:
        return ""
    return "Not on the map: " + "; ".join(f"{t} ({why})" for t, why in layout.not_drawn) + "."


def map_alt_text(layout: MapLayout, day=None) -> str:
    """What the map shows, naming every state and agreement on it (pure)."""
    when = f" on {day_text(day)}" if day is not None else ""
    sending = ", ".join(_name(c) for c in layout.sending)
    receiving = ", ".join(_name(c) for c in layout.receiving)
    arrows = "; ".join(
        f"{_name(link.sending)} to {_name(link.receiving)}, {link.title}: "
        f"{status_label(link.status)}"
        + (f", {link.people:,.0f} people sent" if link.people else "")
        for link in layout.links
    )
    alt = (
        f"Map of {len(layout.links):,} agreements between "
        f"{count_phrase(len(layout.countries), 'country', 'countries')}, one arrow per agreement "
        f"from the sending to the receiving state, coloured by its status{when}. "
        f"Sending states: {sending}. Receiving states: {receiving}. Arrows: {arrows}."
    )
    if layout.people_known:
        alt += " Arrow width shows people sent where sources give a figure."
    if layout.not_drawn:
        alt += " " + _not_drawn_text(layout)
    return alt
