"""'What changed' (analysis/what_changed.py, report/overview.py): status changes dated by the step
that made them and events, the most recent first, every row present."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from markupsafe import escape

from thirdcountry import analysis
from thirdcountry.analysis import what_changed
from thirdcountry.facts import load_facts
from thirdcountry.paths import DEFAULT_DATA_DIR
from thirdcountry.report import Overview

AS_OF = dt.date(2026, 3, 3)
SINCE = dt.date(2025, 3, 3)


@pytest.fixture(scope="module")
def facts():
    return load_facts(DEFAULT_DATA_DIR)


def test_status_changes_are_dated_by_their_step_and_newest_first(facts):
    steps = analysis.lifecycle_steps(facts)
    status = analysis.status_as_of(facts, AS_OF, steps)
    moved = what_changed.window_transitions(facts, steps, status, SINCE)
    assert len(moved) >= 2 and (moved["since"] != "").all()
    dated = moved["changed_on"].dropna()
    assert list(dated) == sorted(dated, reverse=True)
    since = dict(zip(status["agreement_id"], status["since"], strict=True))
    assert all(since[a] == d for a, d in zip(moved["agreement_id"], moved["since"], strict=True))


def test_events_newest_first_with_undated_last():
    events = pd.DataFrame(
        {
            "event_id": ["old", "none", "new", "range"],
            "earliest": pd.to_datetime(["2020-01-01", None, "2025-05-01", "2024-01-01"]),
            "latest": pd.to_datetime(["2020-01-01", None, "2025-05-01", "2025-12-31"]),
        }
    )
    assert list(what_changed.newest_first(events)["event_id"]) == ["range", "new", "old", "none"]


def test_what_changed_lists_every_row_newest_first_and_dated(facts):
    overview = Overview(as_of=AS_OF, since=SINCE, facts=facts)
    html = overview.changes().markup
    moved = overview.window_transitions
    # Every status change and every event is in the HTML, the rest folded, never dropped.
    for title in moved["title"]:
        assert html.count(str(escape(title))) >= 1, title
    events = analysis.events_between(facts, SINCE, AS_OF)
    assert "the most recent first" in html
    assert html.count("<tr") >= len(moved) + len(events)
    assert "beside this report" not in html
    # The status-change table has a Date column, and its first row is the most recent change.
    first_table = html.split("</table>")[0]
    assert "<th" in first_table and ">Date<" in first_table
    positions = [html.index(str(escape(t))) for t in moved["title"]]
    assert positions == sorted(positions)  # in the order of window_transitions: newest first
