"""Reports by sending state (issue 17): the `sending` parameter, from-data plans, parties that are
not countries (the EU)."""

import pytest

from thirdcountry.facts import load_facts
from thirdcountry.render.plan import plan_jobs, senders_from_data
from thirdcountry.report import Overview
from thirdcountry.report.country import CountryReport
from thirdcountry.report.parameters import ParameterError, overview_parameters


def test_sending_from_data_needs_three_agreements(good_facts):
    # The fixture: the US sends under two agreements, Canada under one.
    assert senders_from_data(good_facts) == []
    assert senders_from_data(good_facts, minimum=2) == ["USA"]
    assert senders_from_data(good_facts, minimum=1) == ["CAN", "USA"]


def test_the_shipped_plan_has_one_overview_per_big_sender():
    facts = load_facts()
    jobs = plan_jobs({"reports": [{"notebook": "overview", "for_each": {"sending": "from-data"}}]},
                     "plan.yml", facts)  # fmt: skip
    slugs = sorted(job.slug for job in jobs)
    assert slugs == ["sending-aus", "sending-usa"]
    assert all(job.parameters["sending"] in (["AUS"], ["USA"], "AUS", "USA") for job in jobs)


@pytest.mark.parametrize(("given", "expected"), [("USA", ("USA",)), (["eu", "gbr"], ("EU", "GBR"))])
def test_sending_parameter_takes_party_codes(given, expected):
    assert overview_parameters(sending=given).sending == expected


def test_sending_parameter_refuses_unknown_codes():
    with pytest.raises(ParameterError, match="sending: 'XX' is not an ISO 3166-1 alpha-3 code"):
        overview_parameters(sending=["XX"])


def test_a_sending_overview_covers_only_that_senders_agreements():
    overview = Overview(sending=["AUS"], as_of="2026-01-01")
    sending = overview.facts.agreements.set_index("agreement_id").loc[overview.agreement_ids]
    assert set(sending["sending"]) == {"aus"} and len(sending) >= 3
    assert set(overview.events["agreement_id"].dropna()) <= set(overview.agreement_ids)
    assert "sent by Australia" in overview.heading().text


def test_the_eu_appears_as_a_party_in_the_tables():
    overview = Overview(countries=["EU"], as_of="2026-01-01")
    assert overview.agreement_ids == ["eu-tur-statement-2016"]
    assert "European Union" in str(overview.status_table())


def test_rwanda_country_report_covers_every_sender():
    report = CountryReport(country="RWA", as_of="2026-01-01")
    senders = set(
        report.facts.agreements.set_index("agreement_id").loc[report.agreement_ids]["sending"]
    )
    assert {"usa", "gbr", "isr", "dnk"} <= senders
