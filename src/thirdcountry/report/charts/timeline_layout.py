"""The event timeline's layout, computed before anything is drawn: which lanes (one per country or
kind, the smallest merged), where each event sits, which labels fit and where, and the periods a
dense timeline counts by. Pure functions of the events and the chart's width; timeline.py draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from thirdcountry.facts.countries import country_name
from thirdcountry.facts.schema import LIFECYCLE
from thirdcountry.report.charts.labels import (
    fit_text,
    text_width,
)
from thirdcountry.report.charts.timeaxis import (
    DAY,
    date_numbers,
    date_window,
    focus_start,
    padded_span,
)
from thirdcountry.report.palette import (
    status_label,
)

LANE_LIMIT = 20  # lanes; the smallest beyond are merged, so labels keep room on one page
LABEL_LEVELS = 2  # rows of labels above each lane, staggered (3 when there are few lanes)
FEW_LANES = 15
EVENT_FONT = 6.8
LABEL_MAX_PT = 165.0  # longer summaries are shortened with an ellipsis
DENSE_EVENTS = 600  # above this many marks, lanes show counts per period instead of marks
CERTAINTY_ORDER = ("confirmed", "reported", "disputed", "planned")
PRECISION_ORDER = ("day", "month", "year", "range", "open")


# Kinds that are not events in an agreement's story: a photo caption, an article's publication,
# a claim an article makes. They stay in the tables and are counted under the chart.
TABLE_ONLY_KINDS = ("photo", "publication", "claim")
TABLE_ONLY_WORDS = {"photo": "photo captions", "publication": "publications", "claim": "claims"}


@dataclass
class _Lane:
    name: str
    rows: list[int]  # events drawn in the window
    own_scale: bool = False
    kind: str = ""  # for lanes by kind: the kind every event in the lane has
    earlier: list[int] = field(default_factory=list)  # events before the window (edge strip)


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
            earliest=date_numbers(events["earliest"]),
            latest=date_numbers(events["latest"]),
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
        return (a + b + DAY) / 2 if b > a else a

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


def period_edges(lo: float, hi: float, width_pt: float) -> tuple[np.ndarray, str]:
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
            return date_numbers(edges), unit
    raise AssertionError("unreachable")


def density(columns: _EventColumns, rows: list[int], edges: np.ndarray) -> np.ndarray:
    """Events per bin, each event's weight spread evenly over the days it may have happened on.

    Open-ended events have no finite interval to spread over and are left out (drawn as
    arrowheads at the edge instead).
    """
    index = np.asarray(rows, dtype=int)
    a = columns.earliest[index]
    b = columns.latest[index] + DAY
    finite = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[finite], b[finite]
    if not len(a):
        return np.zeros(len(edges) - 1)
    overlap = np.minimum(b[:, None], edges[None, 1:]) - np.maximum(a[:, None], edges[None, :-1])
    return (np.clip(overlap, 0, None) / (b - a)[:, None]).sum(axis=0)


def place_labels(candidates, columns, levels: int, width_pt: float, order: int) -> list:
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
        text = fit_text(columns.summary[row], EVENT_FONT, LABEL_MAX_PT)
        if not text:
            continue
        w = text_width(text, EVENT_FONT)
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


@dataclass
class TimelineLayout:
    """What the timeline shows: the window, the lanes and what is left out (pure)."""

    columns: _EventColumns
    lo: float
    hi: float
    lanes: list[_Lane]
    merged: int  # lanes merged into the last
    shown: np.ndarray  # events drawn in the window
    earlier: np.ndarray  # events before the window, marked at the left edge
    outside: int  # events outside explicit since/until, left out
    undated: int
    in_tables: dict[str, int]  # kind -> events not drawn (photo captions, publications, claims)

    @property
    def total(self) -> int:
        return len(self.columns.kind)

    @property
    def is_range(self) -> np.ndarray:
        a, b = self.columns.earliest, self.columns.latest
        with np.errstate(invalid="ignore"):
            return self.shown & ~np.isnan(a) & ~np.isnan(b) & (b > a)

    @property
    def is_open(self) -> np.ndarray:
        a, b = self.columns.earliest, self.columns.latest
        return self.shown & (np.isnan(a) | np.isnan(b))

    @property
    def dense(self) -> bool:
        return sum(len(lane.rows) for lane in self.lanes) > DENSE_EVENTS


def timeline_layout(
    events: pd.DataFrame,
    by: str,
    names: dict[str, str],
    max_lanes: int = LANE_LIMIT,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> TimelineLayout | str:
    """The window and lanes for `events`, or a message saying why there is nothing to draw.

    By default the window starts shortly before the first event after 2015 when there are older
    ones (`timeaxis.focus_start`); those are counted per lane at the left edge. Explicit `since`
    and `until` leave out, and count, the events wholly outside them.
    """
    columns = _EventColumns.of(events.reset_index(drop=True))
    earliest, latest = columns.earliest, columns.latest
    total = len(columns.kind)
    dated = ~(np.isnan(earliest) & np.isnan(latest))
    drawn_kind = np.array([k not in TABLE_ONLY_KINDS for k in columns.kind], dtype=bool)
    in_tables: dict[str, int] = {}
    for kind in columns.kind:
        if kind in TABLE_ONLY_KINDS:
            in_tables[kind] = in_tables.get(kind, 0) + 1
    candidates = dated & drawn_kind
    if not dated.any():
        return f"None of the {total:,} events has a known date."
    if not candidates.any():
        return "No events to draw match: " + in_tables_text(in_tables) + "."
    ends = latest + DAY
    lo, hi = padded_span([*earliest[candidates], *ends[candidates]], 0.02)
    focus = None
    if since is None:
        # An event known only to a span counts from its middle: "some time in 2017-2021"
        # should not pull the axis back to 2017.
        anchors = [columns.anchor(int(r)) for r in np.flatnonzero(candidates)]
        focus = focus_start(anchors, hi)
    lo, hi = date_window(focus or lo, hi, since, until)
    with np.errstate(invalid="ignore"):
        before = candidates & (ends < lo)
        after = candidates & (earliest > hi)
    earlier = before if focus is not None else np.zeros_like(before)
    outside = (before & ~earlier) | after
    shown = candidates & ~before & ~after
    if not shown.any() and not earlier.any():
        return "No events match."
    lanes, merged = _event_lanes(columns, by, names, shown | earlier, max_lanes)
    for lane in lanes:
        lane.earlier = [r for r in lane.rows if earlier[r]]
        lane.rows = [r for r in lane.rows if not earlier[r]]
    return TimelineLayout(
        columns=columns, lo=lo, hi=hi, lanes=lanes, merged=merged, shown=shown, earlier=earlier,
        outside=int(outside.sum()), undated=int((~dated & drawn_kind).sum()), in_tables=in_tables,
    )  # fmt: skip


def in_tables_text(in_tables: dict[str, int]) -> str:
    parts = [f"{n:,} {TABLE_ONLY_WORDS.get(k, k)}" for k, n in sorted(in_tables.items())]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} are listed in the tables, not drawn"
