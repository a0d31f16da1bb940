"""The shipped fact base: valid, complete for the seed article, and giving the sourced statuses."""

import pytest

from thirdcountry.analysis import all_conflicts, spelling_variants, status_as_of
from thirdcountry.facts import load_facts
from thirdcountry.facts.quotes import quote_in_text

SEED = "cbs-reprint-2025-01-26"


@pytest.fixture(scope="module")
def facts():
    return load_facts()


def _statuses(facts, day):
    table = status_as_of(facts, day)
    return dict(zip(table["agreement_id"], table["status"], strict=True))


def test_shipped_data_validates(facts):
    assert len(facts.events) >= 100
    assert facts.content_hash


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            "2025-01-26",
            {
                # The article: "Currently, the US has one Safe Third Country Agreement".
                "us-can-stca": "in_force",
                "us-can-stca-protocol": "in_force",
                # Suspended 2021-02-06, termination effective "after the notice period".
                "us-gtm-aca-2019": "termination_noticed or terminated",
                "us-hnd-aca-2019": "termination_noticed or terminated",
                # The article: "ultimately terminated by ... Biden's administration".
                "us-slv-aca-2019": "terminated",
                # The article: "is working on an asylum deal with the government of El Salvador".
                "us-slv-2025": "negotiating",
                "us-hnd-2025": "no record",
                "us-blz-stca-2025": "no record",
            },
        ),
        (
            "2021-03-01",
            {
                "us-can-stca": "in_force",
                "us-can-stca-protocol": "no record",
                "us-gtm-aca-2019": "termination_noticed or terminated",
                "us-hnd-aca-2019": "termination_noticed or terminated",
                "us-slv-aca-2019": "termination_noticed or terminated",
                "us-slv-2025": "no record",
            },
        ),
        (
            "2020-06-01",
            {
                "us-gtm-aca-2019": "paused",  # transfers paused 2020-03-16
                "us-hnd-aca-2019": "in_force",  # embassy: in effect March 2020
                "us-slv-aca-2019": "signed",
            },
        ),
    ],
)
def test_statuses_the_sources_support(facts, day, expected):
    statuses = _statuses(facts, day)
    assert {k: statuses[k] for k in expected} == expected


def test_every_seed_quote_is_in_the_stored_article(facts):
    text = facts.source_texts[SEED]
    seed_events = facts.events[facts.events["source_id"] == SEED]
    assert len(seed_events) >= 35
    for quote in seed_events["quote"]:
        assert quote_in_text(quote, text), quote


@pytest.mark.parametrize(
    "phrase",
    [
        "two sources familiar with the discussions told CBS",
        "spoke by phone on Thursday",
        "is scheduled to visit El Salvador in early February",
        "Hours after his inauguration",
        "it’s unclear how El Salvador will handle deported gang members",
        "is expected to be a key ally",
        "on January 13, 2025 in Tapachula",  # photo caption
        "in Tijuana, Mexico on January 20, 2025",  # photo caption
        "Only the one with Guatemala entered into force",
        "all three treaties were suspended after Bioden took office",
        "His administration is reinstating a law known as Remain in Mexico",
        "did not immediately respond to requests for comment",
    ],
)
def test_article_facts_and_hedges_are_encoded(facts, phrase):
    seed_quotes = facts.events.loc[facts.events["source_id"] == SEED, "quote"]
    assert any(quote_in_text(phrase, q) or quote_in_text(q, phrase) for q in seed_quotes), phrase


def test_implied_dates_keep_their_precision(facts):
    events = facts.events.set_index("event_id")
    seed = events[events["source_id"] == SEED]
    by_quote = {q: row for q, row in zip(seed["quote"], seed.itertuples(), strict=True)}
    call = next(r for q, r in by_quote.items() if "Thursday" in q)
    assert (call.date, call.date_basis) == ("2025-01-23", "inferred")
    visit = next(r for q, r in by_quote.items() if "early February" in q)
    assert (visit.date, visit.precision, visit.certainty) == ("2025-02-01/2025-02-10", "range",
                                                             "planned")  # fmt: skip
    suspended = [r for q, r in by_quote.items() if "after Bioden took office" in q]
    assert suspended and all(r.date == "2021-01-20/.." for r in suspended)


@pytest.mark.parametrize(
    ("spelling", "entity"),
    [
        ("Bioden", "joe-biden"),
        ("Buckele", "nayib-bukele"),
        ("Naib Bukele", "nayib-bukele"),
        ("Tran de Aragua", "tren-de-aragua"),
    ],
)
def test_misspellings_resolve_to_one_entity(facts, spelling, entity):
    variants = spelling_variants(facts)
    match = variants[variants["spelling"] == spelling]
    assert list(match["entity_id"]) == [entity]
    assert SEED in match.iloc[0]["source_ids"]


def test_known_conflicts_are_kept(facts):
    conflicts = all_conflicts(facts)
    assert len(conflicts) >= 10
    descriptions = " ".join(conflicts["description"])
    assert "Guatemala" in descriptions and "Belize" in descriptions
    assert (conflicts["aspect"] == "unverified").sum() >= 3
