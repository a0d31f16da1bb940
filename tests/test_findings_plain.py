"""Key findings read as a reporter writes them: agreements by a short name, numbers formatted,
one idea each; short names (analysis/short_names.py) serve charts, tables and findings."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from thirdcountry.analysis.short_names import short_name, short_names
from thirdcountry.facts import load_facts
from thirdcountry.paths import DEFAULT_DATA_DIR
from thirdcountry.report import Overview
from thirdcountry.report.findings import named, window_sentence


@pytest.fixture(scope="module")
def facts():
    return load_facts(DEFAULT_DATA_DIR)


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("US–Canada Safe Third Country Agreement (2002)", "US–Canada Safe Third Country Agreement"),
        ("Additional Protocol of 2022 to the US–Canada Safe Third Country Agreement",
         "US–Canada additional protocol"),
        ("US–Panama transit arrangement for deportees of other nationalities (2025)",
         "US–Panama transit arrangement"),
        ("EU–Turkey statement (2016)", "EU–Turkey statement"),
        ("Italy–Albania protocol: Gjadër as a repatriation centre (decree of 2025)",
         "Italy–Albania protocol"),
    ],
)  # fmt: skip
def test_a_short_name_keeps_the_parties_and_the_kind_of_deal(title, short):
    assert short_name(title) == short


def test_short_names_are_unique_and_short_on_the_shipped_data(facts):
    names = short_names(facts.agreements)
    assert set(names) == set(facts.agreements["agreement_id"])
    assert len(set(names.values())) == len(names)  # two that read alike get their years
    assert names["ita-alb-protocol-2023"] == "Italy–Albania protocol (2023)"
    assert all(len(n) <= 60 for n in names.values()), max(names.values(), key=len)


def test_the_window_sentence_names_the_most_recent_change_with_its_date():
    moved = pd.DataFrame(
        {
            "agreement_id": ["b", "a"],
            "title": ["US–Ghana arrangement", "US–Canada Safe Third Country Agreement"],
            "before": ["signed", "none"],
            "after": ["implemented", "signed"],
            "since": ["2025-09-05", "2002-12-05"],
        }
    )
    text = window_sentence(moved, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert text == (
        "Between 1 January 2025 and 1 January 2026, 2 agreements changed status. Most recently, "
        "on 5 September 2025, transfers began under the US–Ghana arrangement."
    )


def test_named_lists_say_how_many_more_in_words():
    assert named(["A", "B", "C", "D"]) == "A, B and 2 more"
    assert named(["A", "B", "C"]) == "A, B and C"
    assert named(["A", "B", "C", "D", "E"], limit=3) == "A, B, C and 2 more"
    assert named(["A", "B", "C", "D", "E"], limit=2) == "A, B and 3 more"


def test_the_overviews_findings_read_as_plain_sentences(facts):
    overview = Overview(as_of=dt.date(2026, 3, 3), facts=facts)
    findings = overview.key_findings().text
    codes = set(re.findall(r"\b[A-Z]{3}\b", findings)) - {"AUD", "EUR", "GBP", "USD", "CECOT"}
    assert "→" not in findings and not codes, codes  # names, not codes
    assert "the US–Mexico acceptance" in findings  # the largest count, by its short name
    assert "Safe Third Country Agreement (2002)" not in findings
    assert "5,728" in findings and "EUR 4bn–6bn" in findings
    assert "the other 1 " not in findings and "1 more" not in findings
    for sentence in re.split(r"\n|(?<=\.) (?=[A-Z])", findings):
        assert len(sentence) < 300, sentence
    # The status board labels agreements by the same short names: none is cut off.
    assert "short_name" in overview.status_on_record


def test_the_status_board_cuts_no_agreement_name_and_no_date(facts):
    from thirdcountry.report import charts

    overview = Overview(as_of=dt.date(2026, 3, 3), facts=facts)
    boards = charts.status_board_panels(overview.status_on_record, as_of=overview.as_of)
    names = [label.get_text() for b in boards for label in b.axes[0].get_yticklabels()]
    assert len(names) == len(overview.status_on_record)  # every agreement, across the panels
    assert not [n for n in names if n.endswith("…")]
    since = [t.get_text() for b in boards for t in b.axes[0].texts if "since" in t.get_text()]
    assert since and not [s for s in since if s.endswith("…")]


def test_talks_named_as_talks_begin_rather_than_talks_beginning_on_talks():
    from thirdcountry.report.findings import _became

    assert _became("negotiating", "US–Grenada talks") == "the US–Grenada talks began"
    assert (
        _became("negotiating", "US–Panama memorandum") == "talks began on the US–Panama memorandum"
    )
