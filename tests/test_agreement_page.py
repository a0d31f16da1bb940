"""The agreement page: its parameter, its sections (without a kernel), its links and index."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import assemble_fact_base

from thirdcountry.facts import load_facts
from thirdcountry.render.index import collect, index_html
from thirdcountry.render.notebooks import find_notebook
from thirdcountry.render.outputs import Layout
from thirdcountry.render.plan import single_job
from thirdcountry.report.agreement_page import PAGE_TABLE, AgreementPage
from thirdcountry.report.page_links import page_link, page_path
from thirdcountry.report.parameters import Agreement, ParameterError, ParameterProblems


@pytest.mark.parametrize("value", ["us-gtm", " us-gtm "])
def test_an_agreement_id_is_read_as_given(value):
    assert Agreement.parse("agreement", value) == "us-gtm"


@pytest.mark.parametrize("value", ["", "US-GTM", "us gtm", "../us-gtm", 7, None])
def test_a_malformed_agreement_id_is_one_line_naming_the_parameter(value):
    with pytest.raises(ParameterError, match=r"^agreement: expected an agreement id"):
        Agreement.parse("agreement", value)


def test_an_unknown_agreement_is_a_parameter_problem_with_a_suggestion(good_facts):
    with pytest.raises(ParameterProblems) as raised:
        AgreementPage("us-gtn", facts=good_facts)
    (problem,) = raised.value.problems
    assert problem.startswith("agreement: 'us-gtn' is not an agreement of the fact base")
    assert "us-gtm" in problem


def test_the_page_lives_at_a_path_named_by_the_id_that_the_plan_gives_it():
    job = single_job(find_notebook("agreement"), {"agreement": "us-gtm"})
    assert f"{job.notebook}/{job.slug}/report.html" == page_path("us-gtm")
    assert page_path("us-gtm") == "agreement/agreement-us-gtm/report.html"
    link = page_link("us-gtm", "US & Guatemala")
    assert link.markup == (
        '<a href="../../agreement/agreement-us-gtm/report.html" '
        'title="The page of US &amp; Guatemala">US &amp; Guatemala</a>'
    )
    with pytest.raises(ValueError):
        page_path("../x")


def test_the_page_shows_the_agreements_record_as_of_its_own_last_day(good_facts):
    page = AgreementPage("us-gtm", facts=good_facts)
    # Its own latest event (2021-02-06): not the day its events were last checked (2026-11-02),
    # nor the fact base's latest event (2025-01-26, another agreement's).
    assert page.as_of.isoformat() == "2021-02-06"
    heading = page.heading()
    assert "US–Guatemala asylum cooperative agreement" in heading.text
    assert "United States sends, Guatemala receives" in heading.text
    assert "as its record stands on 6 February 2021" in heading.text
    assert set(page.events["agreement_id"]) == {"us-gtm"}
    assert "sets the date" in page.steps_evidence().text
    related = page.related_agreements()
    assert "same parties" in related.text
    assert 'href="../../agreement/agreement-us-gtm-2025/report.html"' in related.markup
    checked = page.checked_section().text
    assert "2 of its 7 events were checked, last on 2 November 2026" in checked
    # The legal frame that names it (context_events.csv), as a row with its label and quote.
    legal = page.rulings_and_laws().text
    assert "US transit rule: The US bars asylum" in legal and "No ruling" not in legal
    assert "A rule of 16 July 2019 bars asylum" in legal and "ctx-us-rule-2019" not in legal
    about = page.about().text
    assert "us-gtm" in about and "2021-02-06 (the last day the agreement's record" in about
    assert "countries" not in about and "since" not in about


def test_the_page_hands_the_index_its_row(good_facts):
    page = AgreementPage("us-can", facts=good_facts)
    rows = page.heading().files[PAGE_TABLE].splitlines()
    assert rows[0].startswith("agreement_id,title,kind,parties,sending,sending_name")
    assert rows[1].startswith("us-can,US–Canada safe third country agreement")
    assert ",can,Canada,usa,United States" in rows[1]


def test_conflicts_without_state_columns_are_unmarked_and_with_them_split(tmp_path):
    facts = load_facts(assemble_fact_base(tmp_path / "data"))
    page = AgreementPage("us-gtm", facts=facts)
    # The synthetic base's conflicts are all open (state column of the data contract).
    assert set(page.conflict_states["state"]) == {"open"}
    assert "Open: the sources still disagree" in page.conflicts_by_state().text
    # conflicts.csv as another helper extends it: state, settled_by, resolution.
    declared = facts.conflicts.assign(
        state=["settled", "open", ""],
        settled_by=[("gtm-in-force",), (), ()],
        resolution=["The treaty series outranks the news report.", "", ""],
    )
    facts.conflicts = declared
    page = AgreementPage("us-gtm", facts=facts)
    states = page.conflict_states.set_index("conflict_id")["state"].to_dict()
    assert states["gtm-in-force-date"] == "settled"
    assert states["gtm-termination-date"] == "open"
    text = page.conflicts_by_state().text
    assert text.index("Open: the sources still disagree") < text.index("Settled: the evidence")
    assert "The treaty series outranks the news report." in text


def test_rulings_and_laws_come_from_the_agreement_and_from_context_naming_a_party(tmp_path):
    data = assemble_fact_base(tmp_path / "data")
    events = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    events.loc[events["event_id"] == "call", "kind"] = "ruling"
    events.to_csv(data / "events.csv", index=False, lineterminator="\n")
    facts = load_facts(data)
    legal = AgreementPage("us-gtm", facts=facts).rulings_and_laws().text
    assert "Trump and the Guatemalan president" in legal
    assert "No ruling" in AgreementPage("us-can", facts=facts).rulings_and_laws().text


def test_the_index_lists_pages_under_their_sending_state(tmp_path):
    layout = Layout(tmp_path / "reports")
    for slug, sending in (("agreement-us-gtm", "United States"), ("agreement-us-can", "Canada")):
        folder = layout.report_dir("agreement", slug)
        (folder / "tables").mkdir(parents=True)
        (folder / "run.json").write_text(json.dumps({"outcome": "ok", "title": slug}))
        (folder / PAGE_TABLE).write_text(
            f"agreement_id,title,sending_name\n{slug[10:]},{slug},{sending}\n"
        )
    other = layout.report_dir("overview", "default")
    other.mkdir(parents=True)
    (other / "run.json").write_text(json.dumps({"outcome": "ok", "title": "Overview"}))
    page = index_html(collect(layout))
    agreements = page[page.index('id="agreements"') :]
    assert agreements.index("<h3>Canada</h3>") < agreements.index("agreement-us-can")
    assert agreements.index("agreement-us-can") < agreements.index("<h3>United States</h3>")
    assert "agreement-us-gtm" not in page[: page.index('id="agreements"')]
    assert "Overview" in page[: page.index('id="agreements"')]


def test_linked_titles_stay_grouped_in_a_grouped_table(good_facts):
    from thirdcountry.analysis import lifecycle_steps
    from thirdcountry.report import fact_tables

    steps = lifecycle_steps(good_facts)
    linked = fact_tables.steps_table(good_facts, steps, link_pages=True)
    plain = fact_tables.steps_table(good_facts, steps)
    assert linked.markup.count("tc-group-start") == plain.markup.count("tc-group-start") == 3
    assert linked.markup.count('href="../../agreement/agreement-us-gtm/report.html"') == 1


def test_a_page_speaks_of_its_events_and_figures_not_of_the_day_it_was_checked():
    from thirdcountry.analysis import agreement_record

    facts = load_facts()
    latest = max(facts.events["latest"].max(), facts.figures["latest"].max()).date()
    checks = facts.verifications
    for agreement_id in ("us-swz-2025", "us-can-stca"):
        known = agreement_record.known_to(facts, agreement_id)
        assert known is not None and known <= latest, agreement_id
        # Its events were checked later (today, in this log): a check does not move the page.
        events = set(facts.events.loc[facts.events["agreement_id"] == agreement_id, "event_id"])
        last_check = checks.loc[checks["event_id"].isin(events), "checked_on"].max().date()
        assert known < last_check, agreement_id


def test_an_agreement_without_figures_says_so_once(good_facts):
    page = AgreementPage("us-gtm-2025", facts=good_facts)
    said = [
        page.people_sent_chart().text,
        page.payments_table().text,
        page.figures_table().text,
        page.totals_table().text,
    ]
    assert said[0].startswith("No figure is on record for this agreement")
    assert said[1:] == ["", "", ""]


def test_a_total_across_agreements_is_part_of_each_ones_record(good_facts):
    page = AgreementPage("us-can", facts=good_facts)
    # Its own events end in 2004; the total naming it (and us-gtm) is of December 2020.
    assert page.as_of.isoformat() == "2020-12-31"
    assert "Together the two agreements cost $12 million." in page.totals_table().text
    assert "No count of people sent under this agreement" in page.people_sent_chart().text


def test_a_pledge_for_years_to_come_speaks_as_of_its_publication(tmp_path):
    data = assemble_fact_base(tmp_path / "data")
    figures = pd.read_csv(data / "figures.csv", dtype=str, keep_default_na=False)
    pledge = figures["figure_id"] == "gtm-sent-939"
    figures.loc[pledge, ["date", "certainty"]] = ["2021/2030", "planned"]  # source: 2021-02-06
    figures.to_csv(data / "figures.csv", index=False, lineterminator="\n")
    page = AgreementPage("us-gtm", facts=load_facts(data))
    assert page.as_of.isoformat() == "2021-02-06"  # not 2030-12-31
    assert "gtm-sent-939" in set(page.numbers.figures["figure_id"])  # still on its page
