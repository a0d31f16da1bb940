"""Incremental rendering: each report is keyed on the slice of the fact base it reads.

A small plan over the good fixture (an overview, a report per party country, a page per
agreement) is "rendered" once by a stand-in for the workers that records each report's inputs
as a good run would; then one table at a time gets a one-row edit, and a scheduled run
(`render --if-changed`) must render exactly the reports whose slice holds that row.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import assemble_fact_base

from thirdcountry.analysis.agreement_relations import related_agreements
from thirdcountry.analysis.input_slice import (
    Scope,
    report_slice,
    row_index,
    scope_agreements,
    slice_hash,
)
from thirdcountry.cli import main
from thirdcountry.facts import load_facts
from thirdcountry.render import batch
from thirdcountry.render.outputs import RUN_FILE

PLAN = """\
reports:
  - notebook: overview
  - notebook: country
    for_each: {country: from-data}
  - notebook: agreement
    for_each: {agreement: from-data}
"""
OVERVIEW = "overview/default"
USA, GTM, CAN = "country/country-usa", "country/country-gtm", "country/country-can"
PAGE_GTM, PAGE_CAN = "agreement/agreement-us-gtm", "agreement/agreement-us-can"
PAGE_GTM_2025 = "agreement/agreement-us-gtm-2025"
EVERY = {OVERVIEW, USA, GTM, CAN, PAGE_GTM, PAGE_CAN, PAGE_GTM_2025}


def edit_cell(data: Path, table: str, key: str, column: str, value: str) -> None:
    path = data / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    (row,) = [row for row in rows if row[fields[0]] == key]
    assert row[column] != value
    row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def fake_render(monkeypatch):
    """Workers that 'render' a report by writing the run.json a good run leaves; the labels
    each run rendered, and whether the feeds were updated, are recorded."""
    runs: list[set[str]] = []
    feeds: list[bool] = []

    def render_batch(executor, jobs, plans, context, summary, notify):
        runs[-1].update(job.label for job in jobs)
        for job in jobs:
            folder = context.settings.layout.report_dir(job.notebook, job.slug)
            folder.mkdir(parents=True, exist_ok=True)
            record = {"report": job.label, "outcome": "ok", "started": "2026-12-01T00:00:00Z",
                      "inputs": plans[job.label].inputs}  # fmt: skip
            (folder / RUN_FILE).write_text(json.dumps(record), encoding="utf-8")
            summary.results.append(batch.Result(job.label, job.notebook, job.slug, "ok", 0.0))

    def update_feeds(*args, **kwargs):
        feeds.append(True)

    monkeypatch.setattr(batch, "start_pool", lambda *args: None)
    monkeypatch.setattr(batch, "_run_batch", render_batch)
    monkeypatch.setattr(batch, "_update_feeds", update_feeds)
    return runs, feeds


@pytest.fixture
def rendered(tmp_path, fake_render, capsys):
    """The plan rendered once; run(*options) renders it again and gives the labels rendered."""
    data = assemble_fact_base(tmp_path / "data")
    plan = tmp_path / "plan.yml"
    plan.write_text(PLAN, encoding="utf-8")
    reports = tmp_path / "reports"
    runs, feeds = fake_render

    def run(*options: str) -> set[str]:
        runs.append(set())
        argv = ["render", "--plan", plan, "--data", data, "--out", reports, "--to", "html"]
        code = main([str(a) for a in (*argv, *options)])
        _, err = capsys.readouterr()
        assert code == 0, err
        assert (reports / "index.html").is_file()
        return runs[-1]

    assert run() == EVERY
    return data, run, feeds


# Each table edited in turn, one cell of one row, and the reports whose slice holds that row.
EDITS = [
    pytest.param(
        ("events", "can-in-force", "summary", "The STCA came into force that day"),
        {PAGE_CAN, CAN, USA, OVERVIEW},
        id="events",
    ),
    pytest.param(
        ("figures", "gtm-capacity", "note", "Planned; never reached."),
        {PAGE_GTM, GTM, USA, OVERVIEW},
        id="figures",
    ),
    pytest.param(
        ("conflicts", "gtm-sent-count", "explanation", "Both are the news report's."),
        {PAGE_GTM, GTM, USA, OVERVIEW},
        id="conflicts",
    ),
    pytest.param(
        ("verifications", "v-gtm-in-force", "note", "Checked again."),
        {PAGE_GTM, GTM, USA, OVERVIEW},
        id="verifications",
    ),
    pytest.param(
        ("sources", "gov", "title", "Treaty series"),
        {PAGE_GTM, PAGE_CAN, GTM, CAN, USA, OVERVIEW},
        id="sources",
    ),
    pytest.param(
        ("entities", "joe-biden", "aliases", "Bioden|Biden|Joseph Biden"),
        {PAGE_GTM, GTM, USA, OVERVIEW},
        id="entities",
    ),
    pytest.param(  # the US-Guatemala page lists its sibling with the same parties
        ("agreements", "us-gtm-2025", "title", "US–Guatemala transfer deal (2025)"),
        {PAGE_GTM_2025, PAGE_GTM, GTM, USA, OVERVIEW},
        id="agreements",
    ),
    pytest.param(  # the legal frame names both US–Guatemala agreements
        ("context_events", "ctx-us-rule-2019", "summary", "The US bars most transit asylum."),
        {PAGE_GTM, PAGE_GTM_2025, GTM, USA, OVERVIEW},
        id="context_events",
    ),
    pytest.param(  # a total names two agreements: both pages, their countries
        ("totals", "both-paid-12m", "note", "Not split between the two."),
        {PAGE_GTM, PAGE_CAN, GTM, CAN, USA, OVERVIEW},
        id="totals",
    ),
    pytest.param(  # no report shows a lint waiver: only the whole-base overview redraws
        ("waivers", "gtm-sent-24-before-first-transfer", "reason", "Reviewed again."),
        {OVERVIEW},
        id="waivers",
    ),
    pytest.param(  # the latest event, earlier: every report dated by it, and the event's page
        ("events", "gtm-2025-negotiating", "date", "2025-01-20/2025-01-25"),
        {PAGE_GTM_2025, CAN, GTM, USA, OVERVIEW},
        id="latest-event-date",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), EDITS)
def test_a_one_row_edit_renders_exactly_the_reports_that_read_the_row(rendered, edit, expected):
    data, run, feeds = rendered
    assert run("--if-changed") == set()  # nothing changed: nothing rendered
    edit_cell(data, *edit)
    assert run("--if-changed") == expected
    assert run("--if-changed") == set()
    assert feeds == [True] * 3  # every scheduled run updates the feeds (and the index)


def test_a_stored_text_is_in_the_slice_of_the_reports_citing_its_source(rendered):
    data, run, _ = rendered
    text = data / "sources" / "article.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nA corrected line.\n", encoding="utf-8")
    assert run("--if-changed") == {PAGE_GTM, PAGE_GTM_2025, GTM, USA, OVERVIEW}


def test_force_renders_every_report(rendered):
    _, run, _ = rendered
    assert run("--force") == EVERY


# ---- the slices themselves ---------------------------------------------------------------------


def test_slices_hold_what_the_pages_show_and_no_other_agreement(good_facts):
    index = row_index(good_facts)
    page = report_slice(index, Scope(agreements=("us-can",)))
    rows = {table: [index.keys[table][n] for n in numbers] for table, numbers in page.items()}
    assert rows == {
        "sources": ["gov", "news"],
        "entities": ["usa", "gtm", "can"],
        "agreements": ["us-gtm", "us-can"],
        "events": ["can-signed", "can-in-force"],
        "conflicts": [],
        "figures": [],
        "verifications": [],
        "context_events": [],
        # The total the fixture gives for us-can and us-gtm together, and what it cites.
        "totals": ["both-paid-12m"],
        "waivers": [],
    }
    gtm = report_slice(index, Scope(agreements=("us-gtm",)))
    # us-can through the total the two share.
    gtm_agreements = [index.keys["agreements"][n] for n in gtm["agreements"]]
    assert gtm_agreements == ["us-gtm", "us-can", "us-gtm-2025"]
    assert related_agreements(good_facts.records, "us-gtm") == [("us-gtm-2025", "same parties")]
    # A country's slice takes in the events that name it without an agreement (the phone call).
    country = report_slice(index, Scope(parties=("GTM",)))
    assert "call" in [index.keys["events"][n] for n in country["events"]]
    # So does a sending state's: the events naming it without an agreement.
    sending = report_slice(index, Scope(sending=("GTM",)))
    assert scope_agreements(index, Scope(sending=("GTM",))) == []
    assert "call" in [index.keys["events"][n] for n in sending["events"]]


def test_a_whole_base_scope_is_the_content_hash(good_facts):
    index = row_index(good_facts)
    assert slice_hash(index, Scope(), good_facts.content_hash, None) == good_facts.content_hash
    one = slice_hash(index, Scope(agreements=("us-can",)), good_facts.content_hash, None)
    assert one.startswith("slice-") and one != good_facts.content_hash


def test_text_that_names_an_agreement_relates_the_two(tmp_path):
    data = assemble_fact_base(tmp_path / "data")
    edit_cell(data, "agreements", "us-can", "notes", "Reciprocal; see us-gtm, not us-gtm-20.")
    facts = load_facts(data)
    assert related_agreements(facts.records, "us-can") == [
        ("us-gtm", "named in this agreement's record")
    ]
    assert ("us-can", "names this agreement") in related_agreements(facts.records, "us-gtm")
    index = row_index(facts)
    page = report_slice(index, Scope(agreements=("us-gtm",)))
    assert "us-can" in [index.keys["agreements"][n] for n in page["agreements"]]
