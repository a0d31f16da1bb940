"""Reports by sending state (issue 17): the `sending` parameter, from-data plans, parties that are
not countries (the EU)."""

import datetime as dt

import pytest

from thirdcountry.analysis.parties import sending_parties
from thirdcountry.facts import load_facts
from thirdcountry.render.plan import plan_jobs
from thirdcountry.report import Overview
from thirdcountry.report.country import CountryReport
from thirdcountry.report.parameters import ParameterError, SendingParties


def test_sending_from_data_needs_three_agreements(good_facts):
    # The fixture: the US sends under two agreements, Canada under one.
    assert sending_parties(good_facts) == []
    assert sending_parties(good_facts, minimum=2) == ["USA"]
    assert sending_parties(good_facts, minimum=1) == ["CAN", "USA"]


def test_the_shipped_plan_has_one_overview_per_big_sender():
    facts = load_facts()
    jobs = plan_jobs({"reports": [{"notebook": "overview", "for_each": {"sending": "from-data"}}]},
                     "plan.yml", facts)  # fmt: skip
    slugs = sorted(job.slug for job in jobs)
    assert slugs == ["sending-aus", "sending-gbr", "sending-usa"]
    assert all(
        job.parameters["sending"] in (["AUS"], ["GBR"], ["USA"], "AUS", "GBR", "USA")
        for job in jobs
    )


@pytest.mark.parametrize(("given", "expected"), [("USA", ("USA",)), (["eu", "gbr"], ("EU", "GBR"))])
def test_sending_parameter_takes_party_codes(given, expected):
    assert SendingParties.parse("sending", given) == expected


def test_sending_parameter_refuses_unknown_codes():
    with pytest.raises(ParameterError, match="sending: 'XX' is not an ISO 3166-1 alpha-3 code"):
        SendingParties.parse("sending", ["XX"])


def test_a_sending_overview_covers_only_that_senders_agreements():
    overview = Overview(sending=["AUS"], as_of=dt.date(2026, 1, 1))
    sending = overview.facts.agreements.set_index("agreement_id").loc[overview.agreement_ids]
    assert set(sending["sending"]) == {"aus"} and len(sending) >= 3
    assert set(overview.events["agreement_id"].dropna()) <= set(overview.agreement_ids)
    assert "sent by Australia" in overview.heading().text


def test_the_eu_appears_as_a_party_in_the_tables():
    overview = Overview(countries=["EU"], as_of=dt.date(2026, 1, 1))
    assert overview.agreement_ids == ["eu-tur-statement-2016"]
    assert "European Union" in str(overview.status_table())


def test_rwanda_country_report_covers_every_sender():
    report = CountryReport(country="RWA", as_of=dt.date(2026, 1, 1))
    senders = set(
        report.facts.agreements.set_index("agreement_id").loc[report.agreement_ids]["sending"]
    )
    assert {"usa", "gbr", "isr", "dnk"} <= senders
