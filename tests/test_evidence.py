"""Every generated claim links to its evidence: anchors, claim → evidence (pure), the appendix,
and, on the shipped data, every internal link of the overview and a country report resolving.

The in-process reports run their notebook's claim sections in the notebook's order, then the
appendix, as the notebooks do (tests/test_evidence_rendered.py checks the rendered HTML and PDF).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from thirdcountry.report import CountryReport, Overview
from thirdcountry.report.citations import (
    Claim,
    anchor,
    change_refs,
    conflicts_refs,
    evidence_closure,
    status_refs,
    step_conflict_ids,
)
from thirdcountry.report.claim_check import LinkCheck, check_links
from thirdcountry.report.evidence_appendix import claim_list
from thirdcountry.report.long_tables import long_table
from thirdcountry.report.safe_html import CLAIM_CLASS, REFS_COLUMN, internal_link, table


# ---- anchors ------------------------------------------------------------------------------
def test_a_stored_id_is_its_anchor_after_the_kind():
    assert anchor("event", "can-stca-in-force") == "event-can-stca-in-force"
    assert anchor("source", "ap-2025-03-16") == "source-ap-2025-03-16"
    assert anchor("conflict", "x") == "conflict-x"
    assert anchor("figure", "gtm-aca-2019-sent-939") == "figure-gtm-aca-2019-sent-939"


def test_any_other_id_is_slugged_with_a_hash_so_anchors_stay_unique_and_stable():
    detected = anchor("conflict", "detected-us-slv-2025-in_force")
    assert re.fullmatch(r"conflict-detected-us-slv-2025-in-force-[0-9a-f]{8}", detected)
    assert detected == anchor("conflict", "detected-us-slv-2025-in_force")  # same every run
    others = ["a_b", "a-b_", "A-B", "a b", "a--b_", "<a>", "ünï"]
    anchors = {anchor("event", item) for item in [*others, "a-b"]}
    assert len(anchors) == len(others) + 1
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", a) for a in anchors)


def test_unknown_kinds_and_unsafe_anchors_are_refused():
    with pytest.raises(ValueError):
        anchor("agreement", "x")
    with pytest.raises(ValueError):
        internal_link('x" onclick="alert(1)', "text")


def test_internal_links_escape_their_text():
    markup = internal_link("event-x", "<b>A & B</b>", 'the "event"').markup
    assert markup == (
        '<a href="#event-x" title="the &#34;event&#34;">&lt;b&gt;A &amp; B&lt;/b&gt;</a>'
    )


# ---- claim → evidence ------------------------------------------------------------------------
def _steps(*rows):
    columns = ["agreement_id", "step", "best_event_id", "event_ids", "conflicting_event_ids",
               "disputed"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


CONFLICTS = pd.DataFrame(
    [
        ("a-signing-date", "a", ("a-signed-monday", "a-signed-tuesday"), ()),
        ("b-amount", "b", (), ("b-paid",)),
        ("detected-c-in_force", "c", ("c-in-force-1", "c-in-force-2"), ()),
        ("unrelated", "a", ("a-proposed",), ()),
    ],
    columns=["conflict_id", "agreement_id", "event_ids", "figure_ids"],
)


def test_a_status_cell_links_to_the_step_that_set_it_and_a_disputed_one_to_its_conflict():
    steps = _steps(
        ("a", "signed", "a-signed-monday", ("a-signed-monday",), ("a-signed-tuesday",), True),
        ("a", "proposed", "a-proposed", ("a-proposed",), (), False),
        ("c", "in_force", "c-in-force-1", ("c-in-force-1",), ("c-in-force-2",), True),
        ("d", "signed", "d-signed", ("d-signed", "d-signed-again"), (), False),
    )
    status = pd.DataFrame(
        [("a", "signed", ("a-signed-monday",)), ("c", "in_force", ("c-in-force-1",)),
         ("d", "signed", ("d-signed",)), ("e", "no record", ())],
        columns=["agreement_id", "current", "event_ids"],
    )  # fmt: skip
    refs = status_refs(status, steps, CONFLICTS)
    assert refs["a"] == (("conflict", "a-signing-date"), ("event", "a-signed-monday"))
    assert refs["c"] == (("conflict", "detected-c-in_force"), ("event", "c-in-force-1"))
    assert refs["d"] == (("event", "d-signed"),)
    assert "e" not in refs  # no step yet: nothing to link


def test_a_steps_conflicts_are_those_naming_its_events_or_detected_for_it():
    assert step_conflict_ids("a", "signed", ["a-signed-tuesday"], CONFLICTS) == ["a-signing-date"]
    assert step_conflict_ids("c", "in_force", [], CONFLICTS) == ["detected-c-in_force"]
    assert step_conflict_ids("b", "signed", ["a-signed-tuesday"], CONFLICTS) == []


def test_a_change_links_to_the_row_changed_or_to_the_status_step():
    status = {"a": (("event", "a-signed"),)}
    assert change_refs("events", "e1") == (("event", "e1"),)
    assert change_refs("sources", "s1") == (("source", "s1"),)
    assert change_refs("conflicts", "c1") == (("conflict", "c1"),)
    assert change_refs("figures", "f1") == (("figure", "f1"),)
    assert change_refs("agreements", "a", refs_of=status) == (("event", "a-signed"),)
    assert change_refs("verifications", "v1", events_of_verification={"v1": "e9"}) == (
        ("event", "e9"),
    )
    assert change_refs("entities", "usa", refs_of=status) == ()


def test_conflicts_of_the_named_agreements_come_first():
    refs = conflicts_refs(CONFLICTS, ["b"])
    assert refs[0] == ("conflict", "b-amount") and len(refs) == len(CONFLICTS)


def test_the_appendix_holds_each_conflicts_sides_and_every_items_source():
    events = pd.DataFrame(
        {
            "event_id": ["a-signed-monday", "a-signed-tuesday", "a-proposed", "x"],
            "source_id": ["s1", "s2", "s1", "s3"],
        }
    )
    figures = pd.DataFrame({"figure_id": ["b-paid"], "source_id": ["s4"]})
    closure = evidence_closure(
        [("conflict", "a-signing-date"), ("figure", "b-paid"), ("event", "a-proposed")],
        events,
        figures,
        CONFLICTS,
    )
    assert closure == {
        "event": ["a-proposed", "a-signed-monday", "a-signed-tuesday"],
        "source": ["s1", "s2", "s4"],
        "conflict": ["a-signing-date"],
        "figure": ["b-paid"],
    }
    with pytest.raises(KeyError):
        evidence_closure([("conflict", "nowhere")], events, figures, CONFLICTS)


# ---- the building blocks carry the evidence ----------------------------------------------------
def test_a_table_gathers_the_evidence_of_the_rows_it_shows_only():
    frame = pd.DataFrame(
        {
            "what": [f"claim {i}" for i in range(5)],
            REFS_COLUMN: [(("event", f"e{i}"),) for i in range(5)],
        }
    )
    whole = table(frame, {"what": "What"}, claim_column="what")
    assert whole.refs == tuple(("event", f"e{i}") for i in range(5))
    assert whole.markup.count(f'class="{CLAIM_CLASS}"') == 5
    assert REFS_COLUMN not in whole.markup
    head = long_table(frame, {"what": "What"}, "claims", shown=2, claim_column="what")
    assert head.refs == (("event", "e0"), ("event", "e1"))
    assert "e4" not in head.files["tables/claims.csv"]  # the CSV never carries the references


def test_findings_link_to_their_one_item_or_to_their_list_and_escape_their_text():
    claims = [
        Claim("One <event>.", (("event", "e1"),)),
        Claim("Two & more.", (("event", "e1"), ("conflict", "c1"))),
        Claim("Nothing to cite."),
    ]
    html = claim_list(claims)
    assert 'href="#event-e1"' in html.markup and 'href="#finding-2"' in html.markup
    assert "One &lt;event&gt;." in html.markup and "Two &amp; more." in html.markup
    assert html.refs == (("event", "e1"), ("conflict", "c1"))
    assert html.markup.count("<li") == 3


# ---- whole reports on the shipped data -------------------------------------------------------
def parse(markup: str) -> LinkCheck:
    return check_links(markup)


def claim_sections(report: Overview) -> list:
    """What the notebooks show, in their order, up to the appendix."""
    sections = [report.key_findings(), report.status_table()]
    if not isinstance(report, CountryReport):
        sections.append(report.changes())
    sections += [report.numbers.cost_table(), report.numbers.figures_table()]
    return sections


@pytest.fixture(scope="module", params=["overview", "country"])
def shipped_report(request):
    report = Overview() if request.param == "overview" else CountryReport(country="SLV")
    markup = "".join(section.markup for section in claim_sections(report))
    appendix = report.evidence_section()
    return report, markup, appendix


def test_every_internal_link_resolves_to_one_element(shipped_report):
    _, markup, appendix = shipped_report
    found = parse(markup + appendix.markup)
    assert not found.duplicate_ids
    assert found.hrefs, "no claim links to its evidence"
    assert not found.unresolved, found.unresolved[:10]


def test_every_claim_is_linked(shipped_report):
    _, markup, _ = shipped_report
    claims = parse(markup).claims
    assert len(claims) >= 10
    unlinked = claims.count(False)
    assert unlinked == 0, f"{unlinked} of {len(claims)} claims have no evidence link"


def test_the_appendix_holds_exactly_what_the_claims_cite(shipped_report):
    report, markup, appendix = shipped_report
    entries = set(re.findall(r'<p class="tc-entry" id="([a-z0-9-]+)"', appendix.markup))
    closure = report.evidence_ids()
    expected = {anchor(kind, i) for kind, ids in closure.items() for i in ids}
    findings = {f"finding-{n}" for n, c in enumerate(report.finding_claims, 1) if len(c.refs) > 1}
    assert entries == expected | findings
    cited = set(parse(markup).hrefs)
    # everything linked from the claims is there, and the rest is what those entries need
    assert cited <= entries
    assert set(closure["event"]) <= set(report.facts.events["event_id"])


def test_entries_give_date_precision_source_tier_and_the_quote_verbatim(shipped_report):
    report, _, appendix = shipped_report
    event_id = report.evidence_ids()["event"][0]
    event = report.facts.events.set_index("event_id").loc[event_id]
    tier = report.facts.sources.set_index("source_id").loc[event["source_id"], "tier"]
    entry = re.search(rf'<p class="tc-entry" id="event-{event_id}">(.*?)</p>', appendix.markup)
    assert entry is not None
    text = re.sub(r"<[^>]+>", "", entry.group(1))
    from html import unescape

    text = unescape(text)
    assert f"“{event['quote']}”" in text
    assert event["source_id"] in text and f"({tier})" in text
    assert re.search(r"\((day|month|year|interval|open interval|season)\)", text)


def test_the_check_finds_unlinked_claims_broken_links_and_repeated_ids():
    markup = (
        f'<ul><li class="{CLAIM_CLASS}">linked <a href="#event-a">evidence</a></li>'
        f'<li class="{CLAIM_CLASS}">not linked <a href="https://example.org">out</a></li></ul>'
        '<p id="event-a">a</p><p id="event-a">again</p><a href="#event-b">b</a>'
    )
    found = check_links(markup)
    assert found.claims == [True, False]
    assert (found.linked, found.unlinked) == (1, 1)
    assert found.unresolved == ["event-b"]
    assert found.duplicate_ids == ["event-a"]


def test_a_claim_over_many_items_cites_the_first_ones_and_names_the_table_of_the_rest():
    refs = tuple(("event", f"e{i}") for i in range(7))
    claim = Claim("Seven agreements in force.", refs).capped("tables/steps.csv", limit=3)
    assert claim.refs == refs[:3] and claim.omitted == 4 and claim.table == "tables/steps.csv"
    assert Claim("Few.", refs[:2]).capped("tables/steps.csv", limit=3).omitted == 0
    from thirdcountry.report.evidence_appendix import findings_index

    index = findings_index([Claim("One.", refs[:1]), claim])
    assert 'id="finding-2"' in index and 'id="finding-1"' not in index  # one item: linked directly
    assert "(7):" in index and 'and 4 more, every one in <a href="tables/steps.csv"' in index


# ---- a scheduled run: what changed since the previous report links to it -------------------
ADDED_EVENT = (
    "can-early-note,2024-06-01,announcement,us-can,usa|can,An early announcement about the "
    "agreement,confirmed,early,early announcement,stated,\n"
)
ADDED_SOURCE = "early,Early report,Example News,,2024-06-02,https://news.example.org/early,,news,\n"


def test_changes_since_the_previous_report_link_to_what_was_added_or_corrected(
    tmp_path, monkeypatch
):
    import datetime as dt

    from conftest import assemble_fact_base

    from thirdcountry.facts import load_facts
    from thirdcountry.facts.snapshot import write_snapshot
    from thirdcountry.paths import PREVIOUS_RUN_ENV, PREVIOUS_SNAPSHOT_ENV

    data = assemble_fact_base(tmp_path / "data")
    snapshot = write_snapshot(load_facts(data), tmp_path / "facts.zip")
    events, sources = data / "events.csv", data / "sources.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("call,")]  # one event removed
    kept = [
        line.replace("The STCA came into force", "The STCA entered into force") for line in kept
    ]
    events.write_text("".join(kept) + ADDED_EVENT, encoding="utf-8")
    sources.write_text(sources.read_text(encoding="utf-8") + ADDED_SOURCE, encoding="utf-8")
    monkeypatch.setenv(PREVIOUS_SNAPSHOT_ENV, str(snapshot))
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    monkeypatch.setenv(PREVIOUS_RUN_ENV, when)

    report = Overview(data_dir=str(data))
    markup = report.key_findings().markup + report.changes().markup
    found = check_links(markup + report.evidence_section().markup)
    assert not found.unresolved and not found.duplicate_ids
    for anchor_id in ("event-can-early-note", "event-can-in-force", "source-early"):
        assert f'href="#{anchor_id}"' in markup and anchor_id in found.ids
    # The removed event is gone from the data: its line is the one claim with nothing to show.
    changes = check_links(report.changes().markup)
    assert changes.unlinked == 1 and changes.linked >= 3
    assert "event-call" not in found.ids


def test_a_window_without_status_changes_cites_the_steps_that_still_hold():
    report = CountryReport(country="CAN")
    claim = report.first_claim()
    assert "no agreement changed status" in claim.text
    expected = {ref for refs in report.status_refs.values() for ref in refs}
    assert claim.refs and set(claim.refs) == expected
