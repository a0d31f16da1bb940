"""What an overview covers (analysis/overview_scope.py), as plain functions on the fact base."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry import analysis
from thirdcountry.analysis import overview_scope, what_changed
from thirdcountry.facts import load_facts
from thirdcountry.paths import DEFAULT_DATA_DIR

EVENTS = pd.DataFrame(
    {
        "event_id": ["own", "other", "context", "elsewhere"],
        "agreement_id": ["a1", "a2", None, None],
        "actors": [("usa",), ("gbr",), ("usa", "slv"), ("gbr",)],
    }
)


def test_a_sending_states_events_are_its_agreements_and_context_naming_it():
    kept = overview_scope.sending_state_events(EVENTS, ["a1"], ["USA"])
    assert list(kept["event_id"]) == ["own", "context"]
    assert overview_scope.sending_state_events(EVENTS, ["a1"], []) is EVENTS


def test_conflicts_of_a_selection_are_about_its_agreements_or_its_events():
    conflicts = pd.DataFrame(
        {"conflict_id": ["c1", "c2", "c3"], "agreement_id": ["a1", None, "a2"],
         "event_ids": [(), ("context",), ("other",)]}
    )  # fmt: skip
    kept = overview_scope.selected_conflicts(conflicts, ["a1"], {"own", "context"})
    assert list(kept["conflict_id"]) == ["c1", "c2"]


def test_history_lanes_are_the_agreements_on_record_grouped_by_sending_state():
    facts = load_facts(DEFAULT_DATA_DIR)
    steps = analysis.lifecycle_steps(facts)
    day = dt.date(2020, 1, 1)
    status = analysis.status_as_of(facts, day, steps)
    on_record = status[status["status"] != analysis.NO_STATUS]
    history, agreements, unconfirmed = overview_scope.history_lanes(
        facts, analysis.status_history(facts, steps), on_record, day
    )
    assert set(agreements["agreement_id"]) == set(on_record["agreement_id"])
    assert "us-slv-2025" not in set(history["agreement_id"])  # not yet on record in 2020
    assert set(agreements["group"]) >= {"United States", "Australia"}
    assert all(isinstance(d, dt.date) for d in unconfirmed.values())


def test_an_unreadable_snapshot_costs_the_comparison_not_the_report(tmp_path):
    broken = tmp_path / "facts.zip"
    broken.write_bytes(b"not a zip")
    assert what_changed.load_previous_facts(str(broken)) is None
    assert what_changed.load_previous_facts("") is None
