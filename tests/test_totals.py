"""Totals across several agreements (totals.csv): kept whole, checked, shown as totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from thirdcountry.analysis.totals import select_totals
from thirdcountry.facts import load_facts
from thirdcountry.facts.problems import FactBaseError
from thirdcountry.report.numbers_section import Numbers

HEADER = (
    "total_id,agreement_ids,measure,value,unit,qualifier,basis,date,certainty,source_id,quote,"
    "note\n"
)
AT = "totals.csv:2:"
GOOD = 't1,us-gtm|us-can,payment,12000000,USD,exact,cumulative,2020-12,confirmed,news,"They paid $12 million to the two.",\n'  # noqa: E501


@pytest.fixture(scope="module")
def shipped():
    return load_facts(None)


def test_shipped_totals_are_whole_and_cover_several_agreements(shipped) -> None:
    totals = select_totals(shipped)
    assert {"us-five-countries-paid-32m", "isr-rwa-uga-departed-4110"} <= set(totals["total_id"])
    assert all(len(ids) >= 2 for ids in totals["agreement_ids"])
    # never split into per-agreement figures
    assert not set(totals["total_id"]) & set(shipped.figures["figure_id"])


def test_a_report_on_one_agreement_shows_the_whole_total(shipped) -> None:
    numbers = Numbers(shipped, ["us-rwa-2025"], dt.date(2026, 3, 1), source="test")
    markup = str(numbers.totals_table().markup)
    assert "more than $32 million" in markup or "$32" in markup
    for label in ("Palau", "Eswatini", "El Salvador", "Equatorial Guinea", "Rwanda"):
        assert label in markup
    none = Numbers(shipped, ["us-can-stca"], dt.date(2026, 3, 1), source="test").totals_table()
    assert "No totals across several agreements on record" in str(none.markup)


def test_a_valid_total_loads(good_dir: Path) -> None:
    (good_dir / "totals.csv").write_text(HEADER + GOOD, encoding="utf-8")
    totals = select_totals(load_facts(good_dir), ["us-can"])
    assert list(totals["total_id"]) == ["t1"] and totals["agreement_ids"][0] == ("us-gtm", "us-can")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (GOOD.replace("us-gtm|us-can", "us-gtm"), AT + "agreement_ids: a total covers at least"),
        (GOOD.replace("$12 million", "a lot"), AT + "quote: the quote does not state 12,000,000"),
        (GOOD.replace(",USD,", ",people,"), AT + "unit: a payment is counted in a currency"),
        (GOOD.replace("|us-can", "|us-nope"), AT + "agreement_ids: 'us-nope' is not"),
        (GOOD.replace(",2020-12,", ",2021-03,"), AT + "date: 2021-03 is after its source 'news'"),
    ],
)  # fmt: skip
def test_a_bad_total_is_refused_with_its_line(good_dir: Path, row: str, message: str) -> None:
    (good_dir / "totals.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_facts(good_dir)
    assert any(message in str(p) for p in caught.value.problems), caught.value.args
