"""The Numbers section: chart layouts (pure), the charts, tables and key findings."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from synthetic_facts import write_synthetic_fact_base

from thirdcountry.analysis.figures import cost_per_person, figure_table, running_totals
from thirdcountry.facts import load_facts
from thirdcountry.report.charts import alt_text
from thirdcountry.report.charts.cost import (
    PANEL_HEIGHT,
    chosen_currencies,
    cost_layout,
    iso_cost_levels,
    money_text,
    paid_and_sent,
    panel_heights,
    place_labels,
)
from thirdcountry.report.charts.frame import MAX_HEIGHT, WIDTH
from thirdcountry.report.charts.sent import count_text, people_sent, sent_layout, spread_labels
from thirdcountry.report.charts.timeaxis import axis_gaps, date_numbers, gap_knots
from thirdcountry.report.numbers_section import Numbers, agreement_labels, number_text


@pytest.mark.parametrize(
    ("wanted", "gap", "expected"),
    [
        ([1.0, 1.02, 3.0], 0.1, [1.0, 1.1, 3.0]),
        ([3.0, 1.0], 0.5, [3.0, 1.0]),
        ([2.9, 2.95, 3.0], 0.2, [2.6, 2.8, 3.0]),  # pushed down from the top
        ([1.0, 1.0, 1.0, 1.0], 2.0, [0.0, 1.0, 2.0, 3.0]),  # no room: evenly spaced
    ],
)
def test_end_labels_are_spread_apart_in_order(wanted, gap, expected):
    assert spread_labels(wanted, gap, 0.0, 3.0) == pytest.approx(expected)


def test_count_texts_show_ranges_floors_and_rounding():
    assert count_text(939, 939, False, False) == "939"
    assert count_text(238, 252, True, False) == "238–252+"
    assert count_text(19, math.nan, True, False) == "≥19"
    assert count_text(250, 250, False, True) == "~250"
    assert number_text(1, "people", "exact") == "1 person"
    assert number_text(19, "people", "at_least") == "at least 19 people"
    assert money_text(4_760_000, "USD") == "USD 4.76m"
    assert money_text(240_000_000_000 / 1000, "GBP") == "GBP 240m"


def test_iso_cost_lines_are_the_powers_of_ten_crossing_the_panel():
    assert iso_cost_levels((1, 1000), (1e6, 1e7)) == (1e3, 1e4, 1e5, 1e6, 1e7)


def test_point_labels_never_overlap_and_stay_inside():
    anchors = [(100.0, 100.0), (104.0, 101.0), (108.0, 99.0), (590.0, 100.0)]
    spots = place_labels(anchors, [80.0] * 4, 9.0, (0.0, 0.0, 600.0, 400.0))
    boxes = []
    for (x, y), spot in zip(anchors, spots, strict=True):
        assert spot is not None
        dx, dy, align = spot
        left = x + dx if align == "left" else x + dx - 80
        boxes.append((left, y + dy, left + 80, y + dy + 9))
    assert spots[3][2] == "right"  # no room on the right at the edge
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 600
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.fixture(scope="module")
def shipped():
    facts = load_facts()
    return facts, figure_table(facts)


def test_shipped_data_has_enough_sourced_figures(shipped):
    _facts, figures = shipped
    assert len(figures) >= 20
    assert figures["quote"].str.len().gt(0).all() and figures["source_id"].notna().all()
    by_agreement = set(figures["agreement_id"])
    for agreement_id in ("us-gtm-aca-2019", "us-slv-2025", "us-rwa-2025", "us-swz-2025"):
        assert agreement_id in by_agreement
    capacities = figures[figures["measure"] == "capacity"].set_index("agreement_id")["value"]
    assert capacities["us-swz-2025"] == 160 and 250 in set(capacities.loc[["us-rwa-2025"]])
    sent = running_totals(figures)
    guatemala = sent[sent["agreement_id"] == "us-gtm-aca-2019"].iloc[-1]
    assert (guatemala.low, guatemala.high) == (939, 939)


def test_people_sent_layout_names_the_largest_and_greys_the_rest(shipped):
    facts, figures = shipped
    steps = running_totals(figures)
    layout = sent_layout(steps, agreement_labels(facts), named=3)
    named = [line.agreement_id for line in layout.lines if line.named]
    latest = steps.sort_values("latest").groupby("agreement_id").tail(1)
    largest = latest.sort_values(["low", "agreement_id"], ascending=[False, True])
    assert named == list(largest["agreement_id"][:3]) and len(named) == 3
    assert layout.others == steps["agreement_id"].nunique() - 3
    positions = sorted(line.label_y for line in layout.lines if line.named)
    assert all(b - a >= 0.09 - 1e-9 for a, b in itertools.pairwise(positions))


def test_charts_have_alt_text_and_bounded_size(shipped):
    facts, figures = shipped
    labels = agreement_labels(facts)
    sent = people_sent(running_totals(figures), labels, "2026-03-31")
    cost = paid_and_sent(cost_per_person(figures), labels)
    for figure in (sent, cost):
        assert figure.get_figwidth() == WIDTH and figure.get_figheight() <= MAX_HEIGHT
    assert "US–Guatemala Asylum Cooperative Agreement: 939" in alt_text(sent)
    assert "US–Rwanda deportee resettlement agreement: USD 1.07m each" in alt_text(cost)
    assert "→" not in alt_text(sent) + alt_text(cost)  # short names, not codes and arrows
    assert "US–Palau memorandum: none sent" in alt_text(cost)


def test_empty_input_gives_a_figure_that_says_so():
    empty = pd.DataFrame(columns=["agreement_id", "unit"])
    assert "No counts" in alt_text(people_sent(empty, {}))
    assert "No payments" in alt_text(paid_and_sent(empty, {}))


def test_numbers_count_only_what_was_known_on_the_report_date(shipped):
    facts, _ = shipped
    early = Numbers(
        facts, list(facts.agreements["agreement_id"]), pd.Timestamp("2020-01-01").date(), "s"
    )
    known = set(early.figures["agreement_id"])
    assert "us-gtm-aca-2019" in known and not any(a.endswith(("2025", "2026")) for a in known)
    assert (early.figures["latest"].fillna(early.figures["earliest"]) <= "2020-01-01").all()
    findings = " ".join(early.findings())
    assert "1,995, under the EU–Turkey statement, by December 2019" in findings
    assert "EUR 2.7bn" in findings  # DW's '€6 billion received' of 2020-01-26 is not known yet


def test_findings_name_the_largest_and_latest_with_sources(shipped):
    facts, _ = shipped
    numbers = Numbers(facts, list(facts.agreements["agreement_id"]),
                      pd.Timestamp("2026-12-31").date(), "s")  # fmt: skip
    text = " ".join(numbers.findings())
    sent = running_totals(numbers.figures)
    largest = sent.sort_values("low").iloc[-1]
    label = agreement_labels(facts)[largest.agreement_id]
    assert (
        f"The most people sent under one agreement: {largest.low:,.0f}, under the {label}" in text
    )
    assert "The largest payments on record, by currency: AUD 408m under the Australia–Nauru" in text
    assert "EUR 4bn–6bn under the EU–Turkey" in text
    assert "GBP 290m under the UK–Rwanda Migration Partnership" in text
    assert "The largest in USD: USD 7.5m, under each of the US–Equatorial Guinea acceptance" in text
    assert (
        "The latest figure: 281 people (people sent) for UK–France 'one in, one out' returns pilot"
        in text
    )
    assert "Sources give different numbers" in text


def test_tables_escape_and_carry_sources(shipped):
    facts, _ = shipped
    numbers = Numbers(facts, ["us-swz-2025"], pd.Timestamp("2026-12-31").date(), "s")
    html = numbers.figures_table().markup
    assert "up to 160 third-country deportees" in html and "Reuters" in html
    assert "(month)" in html and "(day)" in html
    assert '<a href="https://' in html
    cost = numbers.cost_table().markup
    assert "USD 5.1m" in cost and "268k" in cost


def test_overview_table_is_capped_at_scale(tmp_path):
    data = write_synthetic_fact_base(tmp_path / "data", agreements=120, events=1200, seed=3)
    facts = load_facts(data)
    numbers = Numbers(facts, list(facts.agreements["agreement_id"]),
                      pd.Timestamp("2026-12-31").date(), "s", max_rows=30)  # fmt: skip
    listed, left_out = numbers.listed_agreements()
    assert left_out > 0
    assert numbers.figures["agreement_id"].isin(listed).sum() <= 30
    listing = numbers.figures_table()
    assert "the other" in listing.text and "figures.csv" in listing.text
    assert listing.files["tables/figures.csv"].count("\n") == len(numbers.figures) + 1
    cost = cost_layout(cost_per_person(numbers.figures), agreement_labels(facts))
    assert all(sum(p.named for p in panel.points) <= 14 for panel in cost)


def _day(text: str) -> float:
    return float(date_numbers([pd.Timestamp(text)])[0])


def test_a_long_empty_stretch_is_compressed_and_a_busy_axis_is_not():
    ends = (_day("2019-09-01"), _day("2026-04-01"))
    marks = [_day(d) for d in ("2019-11-21", "2019-12-12", "2020-03-16", "2025-02-20",
                               "2025-07-05", "2026-03-16")]  # fmt: skip
    (gap,) = axis_gaps(marks, *ends)
    assert (gap[0], gap[1]) == (_day("2020-03-16") + 90, _day("2025-02-20") - 90)
    every_half_year = [_day(f"{year}-{month:02d}-01") for year in range(2019, 2027)
                       for month in (1, 7)]  # fmt: skip
    assert axis_gaps(every_half_year, *ends) == ()
    short = [_day("2024-01-01"), _day("2025-06-01")]  # 17 months: not long enough to cut
    assert axis_gaps(short, _day("2023-12-01"), _day("2025-07-01")) == ()


def test_compressed_axis_keeps_days_equal_outside_gaps_and_gives_each_gap_a_fixed_share():
    lo, hi = 0.0, 1000.0
    data, drawn = gap_knots(lo, hi, ((100.0, 700.0),), width_share=0.05)
    assert list(data) == [0.0, 100.0, 700.0, 1000.0]
    widths = [b - a for a, b in itertools.pairwise(drawn)]
    assert widths[0] == pytest.approx(100.0) and widths[2] == pytest.approx(300.0)
    assert widths[1] / (drawn[-1] - drawn[0]) == pytest.approx(0.05)
    assert all(b > a for a, b in itertools.pairwise(drawn))  # still in time order
    two = gap_knots(lo, hi, ((100.0, 300.0), (500.0, 900.0)), width_share=0.05)[1]
    total = two[-1] - two[0]
    assert (two[2] - two[1]) / total == pytest.approx(0.05)
    assert (two[4] - two[3]) / total == pytest.approx(0.05)


def test_people_sent_layout_compresses_the_years_between_two_waves(shipped):
    facts, figures = shipped
    american = facts.agreements[facts.agreements["sending"] == "usa"]["agreement_id"]
    steps = running_totals(figures[figures["agreement_id"].isin(set(american))])
    layout = sent_layout(steps, agreement_labels(facts), as_of="2026-03-16")
    assert len(layout.gaps) == 1
    start, end = layout.gaps[0]
    assert _day("2020-03-16") < start < _day("2020-12-31")
    assert _day("2024-01-01") < end < _day("2025-02-20")
    chart = people_sent(steps, agreement_labels(facts), "2026-03-16")
    assert "drawn narrow, not to scale" in alt_text(chart)


def test_paid_chart_draws_the_currencies_with_most_agreements_and_counts_the_rest():
    cost = pd.DataFrame(
        {
            "agreement_id": ["a", "b", "c", "d", "e", "f", "g"],
            "currency": ["USD", "USD", "USD", "EUR", "EUR", "GBP", "AUD"],
        }
    )
    assert chosen_currencies(cost, max_panels=2) == (["USD", "EUR"], 2)
    assert chosen_currencies(cost, max_panels=3) == (["USD", "EUR", "AUD"], 1)  # ties: by name
    assert chosen_currencies(cost, max_panels=9) == (["USD", "EUR", "AUD", "GBP"], 0)


def test_paid_chart_at_scale_has_at_most_three_panels_and_says_what_is_left_out(tmp_path):
    data = write_synthetic_fact_base(tmp_path / "data", agreements=400, events=400, seed=7)
    facts = load_facts(data)
    cost = cost_per_person(facts.figures.assign(disputed=False))
    if cost["currency"].nunique() <= 3:
        pytest.skip("the synthetic base pays in three currencies or fewer")
    chart = paid_and_sent(cost, agreement_labels(facts))
    assert len(chart.axes) == 3 and chart.get_figheight() <= MAX_HEIGHT
    assert "more agreements paid in other currencies are listed in the table" in alt_text(chart)


def test_currency_panels_are_as_tall_as_their_points_need():
    heights = panel_heights([1, 2, 8, 200])
    assert heights[0] < heights[1] < heights[2] < heights[3] == PANEL_HEIGHT
    assert heights[0] >= 1.5  # room for the axis, a point and its label


def test_money_labels_are_never_cut_and_every_named_point_is_labelled(shipped):
    facts, figures = shipped
    cost = paid_and_sent(cost_per_person(figures), agreement_labels(facts))
    texts = [t.get_text() for ax in cost.axes for t in ax.texts if "\n" in t.get_text()]
    assert texts and not [t for t in texts if "…" in t]
    assert any(t.startswith("US–El Salvador deportee and CECOT arrangement\n") for t in texts)


def test_end_labels_of_people_sent_name_each_agreement_whole(shipped):
    facts, figures = shipped
    sent = people_sent(running_totals(figures), agreement_labels(facts), "2026-03-31")
    labels = [t.get_text() for ax in sent.axes for t in ax.texts]
    assert labels and not [t for t in labels if "…" in t]
    assert any(t.startswith("US–Canada Safe Third Country Agreement ") for t in labels)
