"""Charts: figures that never overlap their text, keep one colour per status, describe themselves.

Each chart is drawn for a tiny synthetic fact base (4 agreements, 30 events) and a large one
(400 agreements, 5,000 events). Text overlap is measured on what Agg really draws.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from synthetic_facts import write_synthetic_fact_base

from thirdcountry import analysis
from thirdcountry.facts import LIFECYCLE, FactBase, load_facts
from thirdcountry.report import charts, palette
from thirdcountry.report.charts import counts as counts_chart
from thirdcountry.report.charts.status_periods import bounded_ends
from thirdcountry.report.charts.swimlanes import swimlane_layout
from thirdcountry.report.charts.timeaxis import date_numbers

NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"


@dataclass
class Base:
    facts: FactBase
    as_of: object
    status: pd.DataFrame
    history: pd.DataFrame
    steps: pd.DataFrame


def _base(directory, agreements: int, events: int) -> Base:
    facts = load_facts(write_synthetic_fact_base(directory, agreements, events, seed=0))
    steps = analysis.lifecycle_steps(facts)
    as_of = analysis.latest_event_date(facts)
    return Base(
        facts,
        as_of,
        analysis.status_as_of(facts, as_of, steps),
        analysis.status_history(facts, steps),
        steps,
    )


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Base:
    return _base(tmp_path_factory.mktemp("tiny"), 4, 30)


@pytest.fixture(scope="session")
def large(tmp_path_factory) -> Base:
    return _base(tmp_path_factory.mktemp("large"), 400, 5000)


CHARTS = {
    "status_board": lambda b: charts.status_board(
        b.status, as_of=b.as_of, source=charts.source_line(b.facts)
    ),
    "status_swimlanes": lambda b: charts.status_swimlanes(
        b.history, b.facts.agreements, b.as_of, source=charts.source_line(b.facts)
    ),
    "timeline_by_country": lambda b: charts.event_timeline(
        b.facts.events, "country", entities=b.facts.entities, source=charts.source_line(b.facts)
    ),
    "timeline_by_kind": lambda b: charts.event_timeline(b.facts.events, "kind"),
    "status_counts": lambda b: charts.status_counts(
        b.history, b.as_of, source=charts.source_line(b.facts)
    ),
    "map": lambda b: charts.agreement_map(
        b.status, as_of=b.as_of, source=charts.source_line(b.facts)
    ),
}


@pytest.fixture(scope="session")
def drawn(tiny, large):
    """Every chart for both bases, built once (how long they take is in bench/run.py)."""
    figures = {}
    for size, base in (("tiny", tiny), ("large", large)):
        for name, build in CHARTS.items():
            figures[name, size] = build(base)
    return figures


CASES = [(name, size) for size in ("tiny", "large") for name in CHARTS]
IDS = [f"{name}-{size}" for name, size in CASES]


def drawn_texts(fig: Figure) -> list[tuple[Text, object]]:
    """(text, window extent) for every Text that Agg really draws: visible and not empty."""
    seen: dict[int, tuple[Text, object]] = {}
    original = Text.draw

    def recording_draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen[id(self)] = (self, self.get_window_extent(renderer))

    Text.draw = recording_draw
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return list(seen.values())


def overlapping(items, tolerance: float = 0.01) -> list[tuple[str, str]]:
    if not items:
        return []
    boxes = np.array([[b.x0, b.y0, b.x1, b.y1] for _, b in items])
    found = []
    for i in range(len(boxes) - 1):
        rest = boxes[i + 1 :]
        wide = np.minimum(boxes[i, 2], rest[:, 2]) - np.maximum(boxes[i, 0], rest[:, 0])
        tall = np.minimum(boxes[i, 3], rest[:, 3]) - np.maximum(boxes[i, 1], rest[:, 1])
        for j in np.flatnonzero((wide > tolerance) & (tall > tolerance)):
            found.append((items[i][0].get_text(), items[i + 1 + j][0].get_text()))
    return found


@pytest.mark.parametrize(("name", "size"), CASES, ids=IDS)
def test_returns_a_figure_of_bounded_size(drawn, name, size):
    fig = drawn[name, size]
    assert isinstance(fig, Figure)
    width, height = fig.get_size_inches()
    assert width == pytest.approx(charts.WIDTH)
    assert 2.0 <= height <= charts.MAX_HEIGHT


@pytest.mark.parametrize(("name", "size"), CASES, ids=IDS)
def test_no_two_texts_overlap_and_all_are_inside_the_figure(drawn, name, size):
    fig = drawn[name, size]
    items = drawn_texts(fig)
    assert len(items) >= 5
    assert overlapping(items) == []
    figure_box = fig.bbox
    outside = [
        t.get_text()
        for t, box in items
        if box.x0 < figure_box.x0 - 1
        or box.y0 < figure_box.y0 - 1
        or box.x1 > figure_box.x1 + 1
        or box.y1 > figure_box.y1 + 1
    ]
    assert outside == []


@pytest.mark.parametrize(("name", "size"), CASES, ids=IDS)
def test_alt_text_describes_the_chart(drawn, name, size):
    fig = drawn[name, size]
    alt = charts.alt_text(fig)
    assert alt == getattr(fig, charts.ALT_ATTRIBUTE)
    assert len(alt) > 60
    assert NBCONVERT_DEFAULT_ALT not in alt
    assert any(ch.isdigit() for ch in alt), "alt text gives counts or dates"


@pytest.mark.parametrize(("name", "size"), CASES, ids=IDS)
def test_title_and_source_line_are_drawn(drawn, name, size):
    fig = drawn[name, size]
    texts = [t.get_text() for t in fig.texts]
    assert any(t.startswith("Source: thirdcountry fact base") for t in texts)
    assert any(t and t[0].isupper() and "Source" not in t for t in texts)


def _status_colours(fig: Figure) -> dict[str, set[str]]:
    """Colour per status, from legend handles labelled with a status and from status artists."""
    by_label = {s.label: s.status for s in palette.STYLES.values()}
    found: dict[str, set[str]] = {}
    for legend in fig.legends:
        for handle, label in zip(legend.legend_handles, legend.get_texts(), strict=True):
            status = by_label.get(label.get_text())
            if status is None:
                continue
            if isinstance(handle, Patch):
                colour = handle.get_facecolor()
            elif isinstance(handle, Line2D):
                colour = handle.get_markerfacecolor()
            else:
                continue
            found.setdefault(status, set()).add(to_hex(colour))
    for artist in fig.findobj(lambda a: str(a.get_gid() or "").startswith(charts.STATUS_GID)):
        status = artist.get_gid().removeprefix(charts.STATUS_GID)
        for colour in np.atleast_2d(artist.get_facecolor()):
            found.setdefault(status, set()).add(to_hex(colour[:3]))
    return found


def test_the_same_status_has_the_same_colour_in_every_chart(drawn):
    seen: dict[str, set[str]] = {}
    for fig in drawn.values():
        for status, colours in _status_colours(fig).items():
            seen.setdefault(status, set()).update(colours)
    assert set(LIFECYCLE) - {"denied"} <= set(seen)
    for status, colours in seen.items():
        assert colours == {palette.style(status).color.lower()}, status


def test_every_chart_colours_some_statuses(drawn):
    # A dense timeline by country counts events per period in grey: no statuses there.
    for key in [k for k in drawn if k != ("timeline_by_country", "large")]:
        assert _status_colours(drawn[key]), key


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.status_board(pd.DataFrame(columns=["agreement_id", "status"])),
        lambda: charts.status_board(None),
        lambda: charts.status_swimlanes(
            pd.DataFrame(), pd.DataFrame(columns=["agreement_id", "title"]), "2025-01-01"
        ),
        lambda: charts.event_timeline(pd.DataFrame(), "country"),
        lambda: charts.event_timeline(None, "kind"),
        lambda: charts.status_counts(pd.DataFrame()),
    ],
    ids=["board", "board-none", "swimlanes", "timeline", "timeline-none", "counts"],
)
def test_empty_input_gives_a_figure_that_says_so(build):
    fig = build()
    assert isinstance(fig, Figure)
    assert any("No " in t.get_text() and "match" in t.get_text() for t in fig.texts)
    assert "match" in charts.alt_text(fig)
    assert overlapping(drawn_texts(fig)) == []


def test_selected_events_and_a_subset_of_agreements(tiny):
    events = analysis.select_events(tiny.facts, since="2010-01-01")
    fig = charts.event_timeline(events, "kind")
    assert overlapping(drawn_texts(fig)) == []
    chosen = tiny.facts.agreements.head(2)
    lanes = charts.status_swimlanes(tiny.history, chosen, tiny.as_of)
    assert "2 agreements" in charts.alt_text(lanes)


def test_agreements_without_history_get_empty_lanes(tiny):
    fig = charts.status_swimlanes(tiny.history.iloc[0:0], tiny.facts.agreements, tiny.as_of)
    assert "no dated step" in charts.alt_text(fig)
    assert overlapping(drawn_texts(fig)) == []


def test_timeline_refuses_unknown_lanes(tiny):
    with pytest.raises(ValueError, match="country"):
        charts.event_timeline(tiny.facts.events, "source")


def test_uncertain_statuses_are_drawn_faded_and_named(tiny):
    table = tiny.status.copy()
    table.loc[0, "status"] = "signed or in_force"
    table.loc[0, "disputed"] = True
    fig = charts.status_board(table)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "signed or in force" in texts
    assert "uncertain" in charts.alt_text(fig)
    assert overlapping(drawn_texts(fig)) == []


def test_charts_use_no_pyplot_state():
    modules = sorted(Path(charts.__file__).parent.glob("*.py"))
    assert len(modules) > 5
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}  # fmt: skip
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {name for name in imported if "pyplot" in name}, module.name


def test_palette_covers_every_status_distinctly():
    assert set(palette.STATUSES) == {"no record", *LIFECYCLE}
    styles = [palette.style(s) for s in palette.STATUSES]
    assert len({s.color.lower() for s in styles}) == len(styles)
    assert len({s.hatch for s in styles}) >= len(styles) - 1  # "no record" and "in force" are solid
    assert palette.style("in_force").label == "in force"
    assert palette.status_label("termination_noticed") == "termination noticed"
    assert palette.status_label("signed or in_force") == "signed or in force"
    assert palette.split_status("signed or in_force") == ("signed", "in_force")
    assert palette.is_uncertain("signed or in_force")
    assert not palette.is_uncertain("signed")
    assert [s.status for s in palette.styles_for("signed or in_force")] == ["signed", "in_force"]
    assert palette.status_rank("no record") < palette.status_rank("proposed")


def test_a_later_start_date_clips_and_says_so(tiny, large):
    lanes = charts.status_swimlanes(tiny.history, tiny.facts.agreements, tiny.as_of, since="2015")
    layout = swimlane_layout(tiny.history, tiny.facts.agreements, tiny.as_of, since="2015")
    assert layout.lo == pytest.approx(float(date_numbers([pd.Timestamp("2015-01-01")])[0]))
    ticks = lanes.axes[0].xaxis.get_major_locator()()
    assert min(ticks) >= layout.lo, "no date ticks in the strip of older history"
    timeline = charts.event_timeline(
        large.facts.events, "kind", since="2015-01-01", until="2020-12-31"
    )
    assert any("outside the dates shown" in t.get_text() for t in timeline.texts)
    counts = charts.status_counts(tiny.history, tiny.as_of, since="2015-01-01")
    for fig in (lanes, timeline, counts):
        assert overlapping(drawn_texts(fig)) == []
    with pytest.raises(ValueError, match="nothing to show"):
        charts.event_timeline(tiny.facts.events, since="2020-01-01", until="2019-01-01")


def test_board_takes_a_minimal_table_with_missing_values():
    table = pd.DataFrame(
        {
            "agreement_id": ["a", "b", "c"],
            "title": ["A–B agreement", None, "C–D agreement"],
            "status": ["signed", "in_force or implemented", "no record"],
            "since": [pd.NA, "2020-03", None],
            "disputed": [pd.NA, True, False],
        }
    )
    fig = charts.status_board(table, as_of="2024-01-01")
    assert "3 agreements on 1 Jan 2024" in charts.alt_text(fig)
    assert overlapping(drawn_texts(fig)) == []
    minimal = charts.status_board(pd.DataFrame({"agreement_id": ["x"], "status": ["signed"]}))
    assert "1 signed" in charts.alt_text(minimal)


@pytest.mark.parametrize("size", ["tiny", "large"])
def test_counts_over_time_agree_with_the_status_on_each_day(request, size):
    """The counts chart's certain and possible counts are status_as_of's, day by day."""
    base = request.getfixturevalue(size)
    intervals = counts_chart.intervals(bounded_ends(base.history))
    days = pd.date_range("1998-01-01", "2025-12-31", periods=8)
    times = date_numbers(days)
    for k, day in enumerate(days):
        table = analysis.status_as_of(base.facts, day, base.steps)
        for status, (s0, s1, e0, e1) in intervals.items():
            certain = int(counts_chart.count_at(s1, e0, times[k : k + 1])[0])
            possible = int(counts_chart.count_at(s0, e1, times[k : k + 1])[0])
            expected_certain = int((table["status"] == status).sum())
            expected_possible = sum(status in palette.split_status(s) for s in table["status"])
            assert (certain, possible) == (expected_certain, expected_possible), (day, status)


def test_lanes_are_grouped_by_sending_state(tiny):
    agreements = tiny.facts.agreements.assign(group=tiny.facts.agreements["sending"].str.upper())
    layout = swimlane_layout(tiny.history, agreements, tiny.as_of)
    names = [name for name, _, _ in layout.groups]
    assert sorted(names) == sorted(set(agreements["group"]))
    assert sum(size for _, _, size in layout.groups) == len(layout.lanes)
    assert layout.height == len(layout.lanes) + len(layout.groups)
    # Each group's lanes follow its header row, and no lane shares a row with a header.
    group_of = dict(zip(agreements["agreement_id"], agreements["group"], strict=True))
    headers = {row for _, row, _ in layout.groups}
    assert not headers & set(layout.rows)
    for name, row, size in layout.groups:
        members = [
            a for a, r in zip(layout.lanes, layout.rows, strict=True) if row < r <= row + size
        ]
        assert {group_of[a] for a in members} == {name} and len(members) == size
    figure = charts.status_swimlanes(tiny.history, agreements, tiny.as_of)
    assert overlapping(drawn_texts(figure)) == []


def test_one_sender_draws_no_group_headers(tiny):
    agreements = tiny.facts.agreements.assign(group="Everyone")
    layout = swimlane_layout(tiny.history, agreements, tiny.as_of)
    assert layout.groups == [] and layout.rows == list(range(len(layout.lanes)))
