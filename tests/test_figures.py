"""Figures: numbers read from quotes, running totals with ranges, cost per person, the command."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from thirdcountry.analysis.figures import cost_per_person, running_totals, select_figures
from thirdcountry.cli import main
from thirdcountry.cli.figures_cmd import MEASURES as CLI_MEASURES
from thirdcountry.facts.numbers import stated_numbers, states_number
from thirdcountry.facts.schema import MEASURES


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the United States transferred 939 Honduran and Salvadoran asylum seekers", 939),
        ("Nearly 1,000 asylum seekers", 1000),
        ("El Salvador was paid $4.76 million for roughly 250 migrants", 4_760_000),
        ("El Salvador was paid $4.76 million for roughly 250 migrants", 250),
        ("£240m to Rwanda", 240_000_000),
        ("a $1.2bn package", 1_200_000_000),
        ("accepted eight criminal migrants", 8),
        ("Equatorial Guinea accepting twenty-nine", 29),
        ("up to two hundred and fifty people", 250),
        ("a dozen deportees", 12),
        ("One of the deportees has since been repatriated", 1),
        ("USD 7.5 million was paid", 7_500_000),
    ],
)
def test_numbers_in_digits_and_words_are_read(text, value):
    assert states_number(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the United States transferred 939 asylum seekers", 940),
        ("El Salvador was paid $4.76 million", 4_700_000),
        ("millions of dollars", 1_000_000),
        ("a report on deportations", 1),
        ("in 2019 and 2020", 2019.5),
    ],
)
def test_numbers_not_stated_are_not_found(text, value):
    assert not states_number(text, value)


def test_dates_and_decimals_are_separate_numbers():
    assert stated_numbers("On July 18, 2025, 252 returned") == {18.0, 2025.0, 252.0}


def test_cli_measures_follow_the_contract():
    assert CLI_MEASURES == MEASURES


def _figures(*rows) -> pd.DataFrame:
    """Figures as running_totals reads them.

    Each row: (id, basis, qualifier, value, date, source[, certainty]).
    """
    records = []
    for row in rows:
        figure_id, basis, qualifier, value, date, source, *rest = row
        first, _, last = date.partition("/")
        records.append(
            {
                "figure_id": figure_id,
                "agreement_id": "a",
                "measure": "people_transferred",
                "value": float(value),
                "unit": "people",
                "qualifier": qualifier,
                "basis": basis,
                "date": date,
                "earliest": pd.Timestamp(first),
                "latest": pd.Timestamp(last or first),
                "certainty": rest[0] if rest else "confirmed",
                "source_id": source,
                "disputed": False,
            }
        )
    return pd.DataFrame(records)


def _steps(frame, measure="people_transferred"):
    steps = running_totals(frame, measure)
    return [
        (str(s.latest.date()), s.low, None if math.isnan(s.high) else s.high, s.open_above)
        for s in steps.itertuples()
    ]


def test_flights_add_up_as_a_floor_and_a_count_settles_it():
    frame = _figures(
        ("f1", "single_event", "exact", 5, "2025-07-15", "s1"),
        ("f2", "single_event", "exact", 10, "2025-10-01", "s1"),
        ("c1", "cumulative", "exact", 15, "2026-01-31", "s2"),
        ("f3", "single_event", "exact", 4, "2026-03-12", "s3"),
    )
    assert _steps(frame) == [
        ("2025-07-15", 5, None, True),
        ("2025-10-01", 15, None, True),
        ("2026-01-31", 15, 15, False),
        ("2026-03-12", 19, None, True),
    ]


def test_two_sources_on_one_transfer_are_one_transfer_with_a_range():
    frame = _figures(
        ("a", "single_event", "exact", 252, "2025-07-18", "s1"),
        ("b", "single_event", "approximate", 238, "2025-07-18", "s2"),
    )
    steps = running_totals(frame)
    assert len(steps) == 1
    step = steps.iloc[0]
    assert (step.low, step.high, bool(step.disputed)) == (238, 252, True)


def test_counts_that_disagree_on_a_date_make_a_disputed_range():
    frame = _figures(
        ("a", "cumulative", "exact", 939, "2020-03-16", "s1"),
        ("b", "cumulative", "approximate", 1000, "2020-03-16", "s2"),
    )
    step = running_totals(frame).iloc[0]
    assert (step.low, step.high, bool(step.disputed), bool(step.approximate)) == (
        939,
        1000,
        True,
        True,
    )


def test_a_total_never_falls_a_lower_later_count_is_disputed():
    frame = _figures(
        ("a", "cumulative", "exact", 300, "2025-04-01", "s1"),
        ("b", "cumulative", "exact", 250, "2026-01-31", "s2"),
    )
    steps = running_totals(frame)
    last = steps.iloc[-1]
    assert (last.low, last.high, bool(last.disputed)) == (250, 300, True)


def test_at_least_leaves_the_top_open_and_pledges_are_left_out():
    frame = _figures(
        ("a", "cumulative", "at_least", 19, "2026-03-12", "s1"),
        ("b", "cumulative", "exact", 40, "2026-04-01", "s2", "planned"),
    )
    assert _steps(frame) == [("2026-03-12", 19, None, True)]


def test_a_period_total_covering_the_whole_deal_is_its_total():
    frame = _figures(
        ("a", "single_event", "exact", 14, "2019-12-12", "s1"),
        ("b", "in_period", "exact", 939, "2019-11-21/2020-03-16", "s2"),
    )
    assert _steps(frame)[-1] == ("2020-03-16", 939, 939, False)


def test_cost_per_person_is_a_range_from_paid_and_sent():
    people = _figures(
        ("p1", "cumulative", "exact", 7, "2026-01-31", "s1"),
        ("p2", "cumulative", "exact", 250, "2026-01-31", "s2"),
    )
    money = _figures(("m1", "cumulative", "exact", 7_500_000, "2026-01-31", "s1")).assign(
        measure="payment", unit="USD"
    )
    cost = cost_per_person(pd.concat([people, money], ignore_index=True), {"a": "A deal"})
    row = cost.iloc[0]
    assert (row.currency, row.paid_low, row.people_low, row.people_high) == ("USD", 7.5e6, 7, 250)
    assert row.cost_low == pytest.approx(30_000)
    assert row.cost_high == pytest.approx(7.5e6 / 7)
    assert not row.pledged_only


def test_cost_falls_back_to_pledges_and_says_so():
    money = _figures(("m1", "single_event", "exact", 6_000_000, "2025-03-15", "s1", "planned"))
    cost = cost_per_person(money.assign(measure="payment", unit="USD"))
    assert bool(cost.iloc[0].pledged_only)
    assert math.isnan(cost.iloc[0].cost_low)


def test_select_by_country_agreement_and_measure(good_facts):
    assert set(select_figures(good_facts, countries=["GTM"])["agreement_id"]) == {"us-gtm"}
    assert select_figures(good_facts, countries=["CAN"]).empty
    payments = select_figures(good_facts, measures=["payment"])
    assert list(payments["figure_id"]) == ["gtm-payment"]
    chosen = select_figures(good_facts, agreement_ids=["us-gtm"], measures=["capacity"])
    assert list(chosen["figure_id"]) == ["gtm-capacity"]


def test_declared_value_conflicts_mark_figures_disputed(good_facts):
    table = select_figures(good_facts)
    disputed = set(table.loc[table["disputed"], "figure_id"])
    assert disputed == {"gtm-sent-939", "gtm-sent-nearly-1000"}


def test_figures_command_lists_filters_and_totals(good_dir, capsys):
    assert main(["figures", "--data", str(good_dir), "--country", "gtm"]) == 0
    out = capsys.readouterr().out
    assert "gtm-sent-939" in out and "939 " in out and "939.0" not in out
    assert main(["figures", "--data", str(good_dir), "--measure", "payment", "--format",
                 "json"]) == 0  # fmt: skip
    records = json.loads(capsys.readouterr().out)
    assert [(r["figure_id"], r["value"], r["unit"]) for r in records] == [
        ("gtm-payment", 7500000, "USD")
    ]
    assert "verbatim" not in records[0] and records[0]["quote"]
    assert main(["figures", "--data", str(good_dir), "--totals", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("agreement_id,measure,unit,date,low,high")
    assert any(line.startswith("us-gtm,people_transferred,people,") for line in lines[1:])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--measure", "payement"], "'payement' is not one of"),
        (["--agreement", "us-gtn"], "'us-gtn' is not an agreement"),
        (["--country", "XYZ"], "'XYZ' is not an ISO 3166-1 alpha-3 code"),
        (["--totals", "--measure", "capacity"], "a capacity is not a running total"),
        (["--totals", "--cost"], "not allowed with argument"),
    ],
)
def test_figures_command_refuses_bad_arguments_in_one_line(good_dir, capsys, argv, message):
    try:
        code = main(["figures", "--data", str(good_dir), *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_year_by_year_totals_add_up_and_a_gap_leaves_a_floor():
    """Period totals that follow one another add up (exactly when the next begins the day after
    the last known total); a period after a gap adds as a floor; an overlapping one only raises
    it."""
    frame = _figures(
        ("y2015", "in_period", "exact", 485, "2015-01-01/2015-12-31", "s1"),
        ("y2016", "in_period", "exact", 506, "2016-01-01/2016-12-31", "s1"),
        ("y2018", "in_period", "exact", 128, "2018-01-01/2018-04-10", "s1"),
        ("overlap", "in_period", "exact", 300, "2018-02-01/2018-06-30", "s2"),
    )
    assert _steps(frame) == [
        ("2015-12-31", 485, 485, False),
        ("2016-12-31", 991, 991, False),
        ("2018-04-10", 1119, None, True),  # 2017 unknown: at least 991 + 128
        ("2018-06-30", 1119, None, True),  # 300 over an overlapping period says nothing more
    ]
