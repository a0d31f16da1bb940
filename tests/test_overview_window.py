"""The overview's "What changed": one rule for the date window, and a pinned report's date.

In-process (no kernel): the Overview with the environment a scheduled render gives its kernel.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import assemble_fact_base

from thirdcountry.facts import load_facts
from thirdcountry.facts.snapshot import write_snapshot
from thirdcountry.paths import PREVIOUS_RUN_ENV, PREVIOUS_SNAPSHOT_ENV
from thirdcountry.report import Overview
from thirdcountry.report.findings import long_date

# Dated before and after the fixture's 2025-01-26 article: one is news to a report pinned to that
# date, the other is not.
EARLY = (
    "can-early-note,2024-06-01,announcement,us-can,usa|can,An early announcement about the "
    "agreement,confirmed,early,early announcement,stated,\n"
)
LATE = (
    "can-late-note,2025-06-01,announcement,us-can,usa|can,A later announcement about the "
    "agreement,confirmed,later,later announcement,stated,\n"
)
SOURCES = (
    "early,Early report,Example News,,2024-06-02,https://news.example.org/early,,news,\n"
    "later,Later report,Example News,,2025-06-02,https://news.example.org/later,,news,\n"
)


@pytest.fixture
def scheduled(tmp_path, monkeypatch):
    """A fact base, the snapshot its previous run kept (made just now), then two added events."""
    data = assemble_fact_base(tmp_path / "data")
    snapshot = write_snapshot(load_facts(data), tmp_path / "facts.zip")
    events, sources = data / "events.csv", data / "sources.csv"
    events.write_text(events.read_text(encoding="utf-8") + EARLY + LATE, encoding="utf-8")
    sources.write_text(sources.read_text(encoding="utf-8") + SOURCES, encoding="utf-8")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    monkeypatch.setenv(PREVIOUS_SNAPSHOT_ENV, str(snapshot))
    monkeypatch.setenv(PREVIOUS_RUN_ENV, now.isoformat().replace("+00:00", "Z"))
    return data


def window(text: str) -> tuple[dt.date, dt.date]:
    found = re.search(r"From (\d+ \w+ \d{4}) to (\d+ \w+ \d{4}):", text)
    assert found, text
    since, as_of = (dt.datetime.strptime(d, "%d %B %Y").date() for d in found.groups())
    return since, as_of


def test_a_scheduled_run_never_inverts_the_window(scheduled):
    overview = Overview(data_dir=str(scheduled))
    assert overview.previous_run is not None and overview.previous_run.date() > overview.as_of
    assert overview.since <= overview.as_of
    text = overview.changes().text
    since, as_of = window(text)
    assert since < as_of == overview.as_of
    assert since == as_of - dt.timedelta(days=365)
    # The additions are reported whatever their dates, apart from the window.
    assert "the data changed: 1 source added and 2 events added" in text
    assert "can-early-note" in text and "can-late-note" in text
    # The source published after the latest event is past the report's date: counted apart.
    assert "1 further change concerns items dated after this report's date" in text


def test_a_since_after_the_report_date_is_clamped(scheduled):
    overview = Overview(
        data_dir=str(scheduled), as_of=dt.date(2025, 1, 26), since=dt.date(2025, 1, 26)
    )
    assert overview.since == overview.as_of
    since, as_of = window(overview.changes().text)
    assert since == as_of


def test_a_pinned_report_lists_only_additions_dated_by_its_date(scheduled):
    overview = Overview(data_dir=str(scheduled), as_of=dt.date(2025, 1, 26))
    text = overview.changes().text
    assert "can-early-note" in text
    assert "can-late-note" not in text
    assert "the data changed: 1 source added and 1 event added" in text
    assert (
        "2 further changes concern items dated after this report's date, 26 January 2025, and "
        "are not listed here."
    ) in text
    first = overview.key_findings().text.splitlines()[0]
    assert first.startswith("- Since the previous report (")
    assert "1 source added and 1 event added, and 2 changes dated after the report date" in first


def test_first_finding_without_a_previous_run_names_what_changed_in_the_window(good_dir):
    overview = Overview(
        data_dir=str(good_dir), as_of=dt.date(2021, 3, 1), since=dt.date(2021, 1, 1)
    )
    first = overview.key_findings().text.splitlines()[0]
    assert first.startswith(f"- Between {long_date(dt.date(2021, 1, 1))} and 1 March 2021, ")
    assert "US–Guatemala asylum cooperative agreement" in first


def test_findings_are_three_to_five_and_name_agreements(good_dir):
    overview = Overview(data_dir=str(good_dir))
    findings = overview.key_findings().text.splitlines()
    assert 3 <= len(findings) <= 5
    titles = set(overview.status["title"])
    assert sum(any(t in line for t in titles) for line in findings) >= 3


def test_the_heading_says_what_the_facts_are_current_to(good_dir):
    overview = Overview(data_dir=str(good_dir), as_of=dt.date(2021, 3, 1))
    text = overview.heading().text
    assert "Facts current to 26 January 2025, the latest dated event on record; shown as they " \
           "stood on 1 March 2021." in text  # fmt: skip
