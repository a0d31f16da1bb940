"""The map: which agreements it draws, the states it names, its alt text, its shipped shapes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_charts import drawn_texts, overlapping

from thirdcountry import analysis
from thirdcountry.facts import load_facts
from thirdcountry.facts.countries import country_name
from thirdcountry.report import charts
from thirdcountry.report.charts import geography
from thirdcountry.report.charts.map import crowded_cluster, map_alt_text, map_layout, people_sent

STATUS = pd.DataFrame(
    {
        "agreement_id": ["us-gtm-2019", "us-gtm-2025", "us-can", "us-pry", "eu-tur", "aus-nru"],
        "title": [
            "US–Guatemala ACA (2019)", "US–Guatemala notes (2025)", "US–Canada STCA",
            "US–Paraguay MOU", "EU–Turkey statement", "Australia–Nauru MOU",
        ],
        "sending": ["usa", "usa", "can", "usa", "eu", "aus"],
        "receiving": ["gtm", "gtm", "usa", "", "tur", "nru"],
        "status": ["termination_noticed or terminated", "signed", "in_force", "signed",
                   "implemented", "implemented"],
    }
)  # fmt: skip


def test_layout_draws_agreements_between_two_states_and_names_the_rest():
    layout = map_layout(STATUS, people={"aus-nru": 4000.0})
    drawn = [link.agreement_id for link in layout.links]
    assert sorted(drawn) == ["aus-nru", "us-can", "us-gtm-2019", "us-gtm-2025"]
    assert dict(layout.not_drawn) == {
        "US–Paraguay MOU": "no receiving state recorded",
        "EU–Turkey statement": "the European Union is not one country",
    }
    assert layout.sending[0] == "USA" and set(layout.receiving) == {"GTM", "USA", "NRU"}
    bends = sorted(link.bend for link in layout.links if link.receiving == "GTM")
    assert bends[0] < bends[1], "two agreements between one pair fan out"
    assert layout.people_known
    x0, y0, x1, y1 = layout.extent
    for code in layout.countries:
        ax, ay = geography.anchor(code)
        assert x0 < ax < x1 and y0 < ay < y1, code


def test_alt_text_says_what_the_map_shows_and_names_every_state():
    layout = map_layout(STATUS, people={"aus-nru": 4000.0})
    alt = map_alt_text(layout, pd.Timestamp("2025-01-26"))
    assert alt.startswith("Map of 4 agreements between 5 countries")
    assert "coloured by its status on 26 Jan 2025" in alt
    for name in ("United States", "Canada", "Guatemala", "Australia", "Nauru"):
        assert name in alt
    assert "US–Guatemala notes (2025): signed" in alt
    assert "4,000 people sent" in alt
    assert "Not on the map: US–Paraguay MOU (no receiving state recorded)" in alt


@pytest.fixture(scope="module")
def shipped():
    facts = load_facts(None)
    as_of = analysis.latest_event_date(facts)
    status = analysis.status_as_of(facts, as_of)
    return facts, as_of, status[status["status"] != analysis.NO_STATUS]


def test_the_shipped_data_map_names_each_state_of_each_agreement(shipped):
    facts, as_of, status = shipped
    fig = charts.agreement_map(status, as_of=as_of, source=charts.source_line(facts))
    alt = charts.alt_text(fig)
    parties = {str(c).upper() for c in [*status["sending"], *status["receiving"]] if c}
    for code in parties:
        if country_name(code) and geography.has_shape(code):
            name = min(
                (n for n in (geography.shapes().names.get(code), country_name(code)) if n), key=len
            )
            assert name in alt, code
    texts = drawn_texts(fig)
    assert overlapping(texts) == []
    drawn = {t.get_text() for t, _ in texts}
    assert {"Guatemala", "Canada", "Rwanda"} <= drawn
    assert fig.get_size_inches()[0] == pytest.approx(charts.WIDTH)


def test_a_map_with_nothing_to_draw_says_so():
    fig = charts.agreement_map(STATUS.iloc[3:5])
    assert "No agreements match" in charts.alt_text(fig)
    assert "EU–Turkey statement" in charts.alt_text(fig)
    assert "No agreements match" in charts.alt_text(charts.agreement_map(STATUS.iloc[0:0]))


def test_people_sent_takes_the_largest_counted_total_by_the_report_date():
    figures = pd.DataFrame(
        {
            "agreement_id": ["gtm", "gtm", "gtm", "slv", "uk"],
            "measure": ["people_transferred"] * 3 + ["payment", "people_transferred"],
            "value": [939, 24, 14, 6_000_000, 300],
            "basis": ["in_period", "cumulative", "single_event", "single_event", "cumulative"],
            "date": ["2019-11/2020-03", "2019-12-12", "2019-12-12", "2025-03", "2026-05"],
            "certainty": ["confirmed", "confirmed", "confirmed", "planned", "planned"],
        }
    )
    assert people_sent(figures, "2025-01-01") == {"gtm": 939.0}
    assert people_sent(figures, "2019-12-31") == {"gtm": 24.0}
    assert people_sent(None) == {} and people_sent(figures.iloc[0:0]) == {}


def test_shapes_are_shipped_with_their_source_and_licence():
    raw = json.loads(geography.SHAPES_FILE.read_text(encoding="utf-8"))
    assert "Natural Earth" in raw["source"] and "public domain" in raw["licence"]
    data = geography.shapes()
    assert {"USA", "GTM", "RWA", "GBR", "ALB"} <= set(data.countries)
    assert "NRU" in data.points  # too small for 1:110m: a point
    x, y = geography.project([0.0, 180.0], [0.0, 0.0])
    assert x[0] == pytest.approx(0.0) and y[0] == pytest.approx(0.0) and x[1] > 2.5
    for rings in data.countries.values():  # no band drawn across the world at the antimeridian
        for ring in rings:
            assert np.abs(np.diff(ring[:, 0])).max() < 180


def test_states_drawn_too_close_together_get_an_inset():
    near = ["gtm", "slv", "hnd", "blz", "cri"]
    status = pd.DataFrame(
        {
            "agreement_id": [f"us-{c}" for c in [*near, "rwa"]],
            "title": [f"US–{c.upper()}" for c in [*near, "rwa"]],
            "sending": ["usa"] * 6,
            "receiving": [*near, "rwa"],
            "status": ["signed"] * 6,
        }
    )
    layout = map_layout(status)
    assert set(crowded_cluster(layout)) >= {c.upper() for c in near}
    assert crowded_cluster(map_layout(status.iloc[[0, 5]])) == []
    fig = charts.agreement_map(status)
    assert len(fig.axes) == 2, "the map and its inset"
    assert overlapping(drawn_texts(fig)) == []


def test_no_label_covers_a_states_point_on_the_shipped_map():
    """The Caribbean's islands lie close together: each keeps its dot visible."""
    import datetime as dt

    from thirdcountry.report import Overview
    from thirdcountry.report.charts import map as map_chart

    overview = Overview(as_of=dt.date(2026, 3, 3))
    figure = overview.map_chart().figure
    renderer = figure.canvas.get_renderer()
    layout = map_chart.map_layout(overview.status_on_record)
    covered = []
    for ax in figure.axes:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        dots = [map_chart._anchor(code) for code in layout.countries]
        dots = [ax.transData.transform(d) for d in dots if x0 <= d[0] <= x1 and y0 <= d[1] <= y1]
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            covered += [text.get_text() for d in dots if box.x0 + 1 < d[0] < box.x1 - 1
                        and box.y0 + 1 < d[1] < box.y1 - 1]  # fmt: skip
    assert not covered, covered
