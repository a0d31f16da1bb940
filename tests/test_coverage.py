"""How far the facts reach: 'checked to' per agreement, the horizon, coverage checks in the
verification log, and the legal frame (context events) linked to agreements and drawn on
timelines."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from thirdcountry.analysis import checked_to, coverage_checks, horizon, select_events
from thirdcountry.facts import load_facts
from thirdcountry.facts.problems import FactBaseError
from thirdcountry.report.charts import context_marks as legal
from thirdcountry.report.charts import event_timeline
from thirdcountry.report.charts.alt import alt_text
from thirdcountry.report.charts.timeaxis import date_numbers

LATER_SOURCE = "later,Later report,Example News,,2026-05-01,https://news.example.org/later,,news,\n"
COVERAGE_ROW = (
    "cov-us-can,,coverage,later|gov,2026-12-06,nothing_new,Searched; nothing new.,us-can\n"
)


def test_an_agreement_is_checked_to_its_newest_source(good_facts):
    reached = checked_to(good_facts)
    # us-can cites only the treaty series entry (2020-01-10); us-gtm also the article (2025).
    assert reached == {
        "us-gtm": dt.date(2025, 1, 26),
        "us-gtm-2025": dt.date(2025, 1, 26),
        "us-can": dt.date(2020, 1, 10),
    }


def test_a_coverage_check_that_found_nothing_still_moves_checked_to(good_dir):
    with (good_dir / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write(LATER_SOURCE)
    with (good_dir / "verifications.csv").open("a", encoding="utf-8") as handle:
        handle.write(COVERAGE_ROW)
    facts = load_facts(good_dir)
    assert checked_to(facts)["us-can"] == dt.date(2026, 5, 1)
    assert list(coverage_checks(facts, "us-can")["verification_id"]) == ["cov-us-can"]
    reach = horizon(facts)
    assert reach.checked_to == dt.date(2026, 5, 1)
    assert reach.least_checked_to == dt.date(2025, 1, 26)
    assert reach.latest_event == dt.date(2025, 1, 26)
    assert reach.text() == (
        "Facts checked to 2026-05-01 (every agreement at least to 2025-01-26); the latest event "
        "on record is of 2025-01-26."
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "v-x,gtm-in-force,coverage,gov|news,2026-12-06,nothing_new,,us-gtm",
            "data/verifications.csv:5:event_id: give either event_id (an event's check) or "
            "agreement_id (a coverage check)",
        ),
        (
            "v-x,,coverage,gov|news,2026-12-06,nothing_new,,",
            "data/verifications.csv:5:agreement_id: give either event_id",
        ),
        (
            "v-x,gtm-in-force,date,gov|news,2026-12-06,updated,,",
            "data/verifications.csv:5:result: result 'updated' is for a coverage check",
        ),
        (
            "v-x,,coverage,gov|news,2026-12-06,confirmed,,us-gtm",
            "data/verifications.csv:5:result: an agreement's coverage check ends in updated or "
            "nothing_new, not 'confirmed'",
        ),
        (
            "v-x,,coverage,gov,2026-12-06,nothing_new,,us-nope",
            "data/verifications.csv:5:agreement_id: 'us-nope' is not an agreement_id",
        ),
    ],
)
def test_bad_coverage_rows_are_refused(good_dir, row, message):
    with (good_dir / "verifications.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(FactBaseError) as caught:
        load_facts(good_dir)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(line.startswith(message) for line in lines), lines


CONTEXT = "ctx-x,{date},ruling,usa,A ruling,It rules.,{agreements},confirmed,{source},Q.,stated,\n"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"date": "2019-07-16", "agreements": "us-nope", "source": "news"},
            "data/context_events.csv:3:agreement_ids: 'us-nope' is not an agreement_id",
        ),
        (
            {"date": "2024-07-16", "agreements": "us-gtm", "source": "gov"},
            "data/context_events.csv:3:date: 2024-07-16 is after its source 'gov' was published",
        ),
        (
            {"date": "2019-07", "agreements": "", "source": "news"},
            "data/context_events.csv:3:agreement_ids: is required but empty",
        ),
    ],
)
def test_bad_context_events_are_refused(good_dir, values, message):
    with (good_dir / "context_events.csv").open("a", encoding="utf-8") as handle:
        handle.write(CONTEXT.format(**values))
    with pytest.raises(FactBaseError) as caught:
        load_facts(good_dir)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(line.startswith(message) for line in lines), lines


def test_context_events_never_set_a_status(good_facts):
    assert "ctx-us-rule-2019" in set(good_facts.context_events["context_id"])
    assert "ctx-us-rule-2019" not in set(good_facts.events["event_id"])


def test_context_marks_keep_only_the_events_agreements_and_window(good_facts):
    context = good_facts.context_events
    lo, hi = date_numbers(["2019-01-01", "2026-01-01"])
    gtm = select_events(good_facts, countries=["GTM"])
    can = good_facts.events[good_facts.events["agreement_id"] == "us-can"]
    marks = legal.context_marks(context, gtm, lo, hi)
    assert [mark.context_id for mark in marks] == ["ctx-us-rule-2019"]
    assert marks[0].x == date_numbers(["2019-07-16"])[0] + 0.5  # the middle of the day
    assert legal.context_marks(context, can, lo, hi) == []  # governs other agreements
    later = date_numbers(["2020-01-01"])[0]
    assert legal.context_marks(context, gtm, later, hi) == []  # outside the dates shown


def test_labels_too_close_together_are_dropped():
    marks = [legal.ContextMark(x, f"rule {x}", "ruling", f"c{x}") for x in (0.0, 5.0, 30.0)]
    placed = legal.label_marks(marks, per_pt=1.0)  # one day per point
    assert [mark.labelled for mark in placed] == [True, False, True]
    assert legal.label_marks([], per_pt=1.0) == []


def test_the_timeline_draws_the_legal_frame(good_facts):
    events = select_events(good_facts, countries=["GTM"])
    figure = event_timeline(events, entities=good_facts.entities, context=good_facts.context_events)
    assert "legal context: US transit rule" in alt_text(figure)
    labels = [text.get_text() for ax in figure.axes for text in ax.texts]
    assert "US transit rule" in labels
    without = event_timeline(events, entities=good_facts.entities)
    assert "legal context" not in alt_text(without)
    assert not np.isnan(legal.context_marks(good_facts.context_events, events, -1e9, 1e9)[0].x)


def test_every_shipped_agreement_has_a_coverage_check():
    facts = load_facts()
    checked = set(coverage_checks(facts)["agreement_id"])
    missing = sorted(set(facts.agreements["agreement_id"]) - checked)
    assert not missing, missing


def test_a_reports_horizon_covers_only_its_agreements(good_facts):
    reach = horizon(good_facts, ["us-can"])
    assert reach.checked_to == reach.least_checked_to == dt.date(2020, 1, 10)
    assert reach.latest_event == dt.date(2004, 12, 29)
    assert reach.text(lambda day: day.strftime("%d %b %Y")) == (
        "Facts checked to 10 Jan 2020; the latest event on record is of 29 Dec 2004."
    )
    assert horizon(good_facts, []).text() == (
        "No agreement has been checked against any source yet."
    )
