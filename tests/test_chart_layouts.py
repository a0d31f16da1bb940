"""The pure steps of the charts: windows, rows, lanes, panels and label text, without drawing.

Each chart computes what it shows (bands, lanes, labels, panels) before drawing; these tests
check that step on small hand-made tables, with no figure made.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thirdcountry.report import palette
from thirdcountry.report.charts.board import board_rows, panels, since_words, status_board_panels
from thirdcountry.report.charts.counts import counts_layout, held_share
from thirdcountry.report.charts.labels import shorten, word_prefixes, wrap_words
from thirdcountry.report.charts.swimlanes import swimlane_layout
from thirdcountry.report.charts.timeaxis import date_numbers, focus_start
from thirdcountry.report.charts.timeline_layout import timeline_layout


def day(text: str) -> float:
    return float(date_numbers([pd.Timestamp(text)])[0])


def fits(n: int):
    return lambda s: len(s) <= n


# -- labels ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("The administration would sign an agreement soon", 25, "The administration would…"),
        ("US–Canada Safe Third Country Agreement", 12, "US–Canada…"),
        ("short", 10, "short"),
        ("Supercalifragilistic", 8, "Superca…"),  # one word alone too wide: nothing else to show
        ("Trump spoke, then left", 14, "Trump spoke…"),  # no comma before the ellipsis
    ],
)
def test_shortening_stops_at_a_word_boundary(text, limit, expected):
    assert shorten(text, fits(limit)) == expected


def test_no_shortening_cuts_inside_a_word_when_a_whole_word_fits():
    text = "Guatemala's government announces that the United States is withdrawing"
    words = set(text.replace("…", "").split())
    for limit in range(len("Guatemala's…"), len(text)):
        short = shorten(text, fits(limit)).removesuffix("…")
        assert len(short) + 1 <= limit or short == text
        assert set(short.split()) <= words, short


def test_wrapping_keeps_words_whole_and_marks_what_is_left_out():
    lines = wrap_words(
        "Additional Protocol of 2022 to the US–Canada Safe Third Country", fits(30), 2
    )
    assert lines == ["Additional Protocol of 2022 to", "the US–Canada Safe Third…"]
    assert wrap_words("US–Belize agreement", fits(40), 2) == ["US–Belize agreement"]
    assert word_prefixes("US–Canada Safe") == ["US–Canada", "US"]


# -- the period that matters -----------------------------------------------------------------------


def test_the_axis_starts_shortly_before_the_first_date_after_2015():
    dates = [day("2002-12-05"), day("2004-12-29"), day("2019-07-26"), day("2025-03-15")]
    start = focus_start(dates, day("2026-01-01"))
    assert day("2019-04-01") < start < day("2019-07-26")
    assert focus_start([day("2019-07-26"), day("2025-01-01")], day("2026-01-01")) is None
    assert focus_start([day("2002-12-05"), day("2004-12-29")], day("2006-01-01")) is None


def history(rows) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["agreement_id", "status", "start_earliest", "start_latest", "end_earliest",
                 "end_latest", "disputed"],
    )  # fmt: skip
    for column in ("start_earliest", "start_latest", "end_earliest", "end_latest"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


AGREEMENTS = pd.DataFrame(
    {
        "agreement_id": ["can", "gtm", "new"],
        "title": ["US–Canada (2002)", "US–Guatemala (2019)", "US–Belize (2025)"],
    }
)
HISTORY = history(
    [
        ("can", "signed", "2002-12-05", "2002-12-05", "2004-12-29", "2004-12-29", False),
        ("can", "in_force", "2004-12-29", "2004-12-29", None, None, False),
        ("gtm", "signed", "2019-07-26", "2019-07-26", "2019-11-15", "2019-11-15", False),
        ("gtm", "in_force", "2019-11-15", "2019-11-15", "2021-02-06", "2021-02-06", False),
        ("gtm", "terminated", "2021-02-06", "2021-05-01", None, None, True),
    ]
)


def test_swimlanes_mark_older_history_at_the_edge_with_its_start():
    layout = swimlane_layout(HISTORY, AGREEMENTS, "2025-01-01")
    assert day("2019-01-01") < layout.lo < day("2019-07-26")
    assert layout.lanes == ["can", "gtm", "new"]  # by first step; no step last
    row = layout.lanes.index("can")
    first, status = layout.earlier[row]
    assert first == day("2002-12-05") and status == "in_force"
    assert all(b.x0 >= layout.lo for b in layout.bands), "nothing drawn left of the window"
    assert layout.no_steps == [2]
    assert {b.shape for b in layout.bands if b.status == "terminated"} == {"rising", "solid"}
    assert layout.disputed_periods == 1


def test_swimlanes_show_everything_when_there_is_no_older_history():
    recent = HISTORY[HISTORY["agreement_id"] == "gtm"]
    layout = swimlane_layout(recent, AGREEMENTS.iloc[1:2], "2025-01-01")
    assert not layout.edge and layout.lo < day("2019-07-26")
    explicit = swimlane_layout(HISTORY, AGREEMENTS, "2025-01-01", since="2010-01-01")
    assert explicit.lo == day("2010-01-01")


def events(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "kind", "earliest", "latest", "actors"])
    frame["earliest"] = pd.to_datetime(frame["earliest"])
    frame["latest"] = pd.to_datetime(frame["latest"])
    return frame.assign(certainty="confirmed", precision="day", summary=frame["event_id"])


EVENTS = events(
    [
        ("can-signed", "signed", "2002-12-05", "2002-12-05", ("usa", "can")),
        ("gtm-signed", "signed", "2019-07-26", "2019-07-26", ("usa", "gtm")),
        ("gtm-call", "call", "2019-08-01", "2019-08-01", ("usa", "gtm")),
        ("photo", "photo", "2025-01-13", "2025-01-13", ("mex",)),
        ("article", "publication", "2025-01-26", "2025-01-26", ("usa",)),
        ("slv-flights", "implemented", "2025-03-15", "2025-03-15", ("usa", "slv")),
    ]
)


def test_timeline_draws_lifecycle_and_context_but_leaves_captions_to_the_tables():
    layout = timeline_layout(EVENTS, "country", {})
    assert layout.in_tables == {"photo": 1, "publication": 1}
    drawn = {layout.columns.event_id[r] for lane in layout.lanes for r in lane.rows}
    assert drawn == {"gtm-signed", "gtm-call", "slv-flights"}
    older = {layout.columns.event_id[r] for lane in layout.lanes for r in lane.earlier}
    assert older == {"can-signed"}
    assert "Canada" in [lane.name for lane in layout.lanes]
    assert layout.outside == 0


def test_timeline_with_explicit_dates_leaves_out_and_counts():
    layout = timeline_layout(EVENTS, "kind", {}, since="2019-01-01")
    assert layout.outside == 1 and not layout.earlier.any()
    assert timeline_layout(EVENTS.iloc[3:5], "kind", {}).startswith("No events to draw")


def test_counts_drop_panels_that_would_be_mostly_empty():
    brief = history(
        [
            ("a", "signed", "2019-01-01", "2019-01-01", "2019-02-01", "2019-02-01", False),
            ("a", "in_force", "2019-02-01", "2019-02-01", None, None, False),
        ]
    )
    layout = counts_layout(brief, "2025-01-01")
    assert layout.panels == ["in_force"]
    assert layout.brief == ["signed"]
    assert held_share(layout.times, layout.counted["in_force"][1], layout.end) > 0.95


# -- the board ---------------------------------------------------------------------------------


def test_board_rows_say_since_when_in_full():
    table = pd.DataFrame(
        {
            "agreement_id": ["gtm", "slv", "ecu", "blz"],
            "title": ["US–Guatemala", "US–El Salvador", "US–Ecuador", "US–Belize"],
            "status": ["termination_noticed or terminated", "terminated", "signed", "signed"],
            "current": ["termination_noticed", "terminated", "signed", "signed"],
            "since": ["2021-02-06", "2021-02-06/2025-01-20", "2025-07-16/2025-07-23", "2025-10"],
            "disputed": [False, False, False, True],
        }
    )
    rows = {r.title: r for r in board_rows(table)}
    assert rows["US–Guatemala"].since == "termination noticed since 6 Feb 2021"
    assert rows["US–Guatemala"].uncertain
    assert rows["US–El Salvador"].since == "between 6 Feb 2021 and 20 Jan 2025"
    assert rows["US–Ecuador"].since == "between 16 Jul and 23 Jul 2025"
    assert rows["US–Belize"].since == "since Oct 2025" and rows["US–Belize"].disputed
    assert [r.title for r in board_rows(table)][:2] == ["US–Belize", "US–Ecuador"]
    assert since_words("2019/..", "signed", False) == "since some time after 2019"
    stale = board_rows(table.assign(not_confirmed_since=["", "", "2025-07-23", ""]))
    assert {r.title: r.since for r in stale}["US–Ecuador"] == "not confirmed since 23 Jul 2025"
    assert [r.stale for r in stale].count(True) == 1


# -- the palette -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "channel_test"),
    [
        ("signing", lambda r, g, b: r > 0.85 and b < 0.7),  # yellows
        ("in force", lambda r, g, b: g > r and g > b),  # greens
        ("stopped", lambda r, g, b: r > g and b > g * 0.6),  # reds and purples
        ("denied", lambda r, g, b: abs(r - g) < 0.02 and abs(g - b) < 0.02),  # grey
    ],
)
def test_status_colours_come_in_families(family, channel_test):
    from matplotlib.colors import to_rgb

    for status in palette.FAMILIES[family]:
        assert palette.family(status) == family
        assert channel_test(*to_rgb(palette.color(status))), (status, palette.color(status))
    assert palette.family("in_force or implemented") == "in force"


def test_the_board_shows_every_agreement_in_even_panels_whose_headers_count_what_they_draw():
    rows = board_rows(
        pd.DataFrame(
            {
                "agreement_id": [f"a{k}" for k in range(6)],
                "title": [f"Agreement {k}" for k in range(6)],
                "status": ["signed"] * 6,
                "since": ["2019-01-01", "2025-03", "", "2024-12-31", "2025-01", "2020"],
            }
        )
    )
    assert [len(p) for p in panels(rows, 4)] == [3, 3]  # even, never 4 + 2
    assert [r for p in panels(rows, 4) for r in p] == rows  # all of them, in board order
    assert panels(rows, 10) == [rows]
    many = pd.DataFrame(
        {
            "agreement_id": [f"a{k}" for k in range(130)],
            "title": [f"Agreement number {k}" for k in range(130)],
            "status": ["signed", "implemented"] * 65,
            "since": ["2024-01-01"] * 130,
        }
    )
    figures = status_board_panels(many, as_of="2025-01-01")
    assert len(figures) >= 2
    drawn = [len(f.axes[0].get_yticks()) for f in figures]
    assert sum(drawn) == 130
    for figure, count in zip(figures, drawn, strict=True):
        header = " ".join(t.get_text() for t in figure.texts)
        assert f"{count} agreements" in header and "most recently" not in header


def test_swimlanes_beyond_max_lanes_are_counted_as_hidden():
    layout = swimlane_layout(HISTORY, AGREEMENTS, "2025-01-01", max_lanes=1)
    assert layout.lanes == ["gtm"] and layout.hidden == 2
