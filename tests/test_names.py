"""Names in a sentence matched to entities through their aliases, misspellings included; the
threshold sits between the misspellings real sources make and distinct names that look alike."""

from __future__ import annotations

import pandas as pd
import pytest
from rapidfuzz import fuzz

from thirdcountry.analysis.names import MATCH_SCORE, NameIndex


def _entities(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["entity_id", "kind", "name", "iso3", "aliases"])
    frame["aliases"] = [tuple(a.split("|")) if a else () for a in frame["aliases"]]
    frame["iso3"] = frame["iso3"].replace("", pd.NA)
    return frame


# Only canonical names, no aliases: every match below is made by similarity, not by a list.
BARE = NameIndex(
    _entities(
        [
            ("usa", "country", "United States", "USA", "US|U.S."),
            ("can", "country", "Canada", "CAN", ""),
            ("joe-biden", "person", "Biden", "", ""),
            ("nayib-bukele", "person", "Nayib Bukele", "", "Bukele"),
            ("tren-de-aragua", "group", "Tren de Aragua", "", ""),
            ("marco-rubio", "person", "Marco Rubio", "", ""),
        ]
    )
)

# Misspellings found in real sources (the seed's 'Bioden', 'Buckele', 'Tran de Aragua', 'Naib').
MISSPELT = [
    ("Bioden", "joe-biden"),
    ("Buckele", "nayib-bukele"),
    ("Naib Bukele", "nayib-bukele"),
    ("Tran de Aragua", "tren-de-aragua"),
    ("Marco Rubbio", "marco-rubio"),
]
# Distinct names that look alike: they must not be taken for the entity.
DISTINCT = [
    ("Canadian", "Canada"),
    ("Maria", "Marco Rubio"),
    ("Bolivia", "Biden"),
    ("Burkina", "Bukele"),
    ("Tijuana", "Tren de Aragua"),
]


@pytest.mark.parametrize(("written", "entity"), MISSPELT)
def test_misspellings_are_matched_by_similarity(written: str, entity: str) -> None:
    found, score = BARE.lookup(written)
    assert found == entity
    assert MATCH_SCORE <= score < 100


@pytest.mark.parametrize(("written", "other"), DISTINCT)
def test_distinct_names_are_not_matched(written: str, other: str) -> None:
    found, _ = BARE.lookup(written)
    assert found is None, f"{written!r} was taken for {found!r}"


def test_threshold_separates_the_two_lists() -> None:
    lowest_true = min(
        max(fuzz.ratio(w.casefold(), s.casefold()) for s in _spellings(e)) for w, e in MISSPELT
    )
    highest_false = max(fuzz.ratio(w.casefold(), o.casefold()) for w, o in DISTINCT)
    assert highest_false < MATCH_SCORE <= lowest_true


def _spellings(entity: str) -> list[str]:
    return [s for s, e in BARE.spellings.items() if e == entity]


def test_short_names_only_match_exactly() -> None:
    assert BARE.lookup("UK") == (None, 0.0)
    assert BARE.lookup("US") == ("usa", 100.0)


def test_names_in_a_sentence_known_and_unknown() -> None:
    sentence = (
        "Under President Naib Bukele, the Salvadoran government met Mr. Rubbio in Tijuana, "
        "after Bioden took office, and the Canadian envoy flew to Latin America."
    )
    found = [(m.text, m.entity_id) for m in BARE.find(sentence)]
    assert ("Naib Bukele", "nayib-bukele") in found
    assert ("Bioden", "joe-biden") in found
    assert ("Tijuana", None) in found  # unknown: kept, never dropped
    assert ("Latin America", None) in found  # not the United States' alias 'America'
    assert all(text != "Under" for text, _ in found)


def test_possessive_is_not_part_of_the_name() -> None:
    found = [(m.text, m.entity_id) for m in BARE.find("Buckele’s government is an ally.")]
    assert found == [("Buckele", "nayib-bukele")]


def test_exact_aliases_from_the_project_data(real_facts) -> None:
    index = NameIndex(real_facts.entities)
    for written, entity in [
        ("Bioden", "joe-biden"),
        ("Buckele", "nayib-bukele"),
        ("Naib Bukele", "nayib-bukele"),
        ("Tran de Aragua", "tren-de-aragua"),
    ]:
        assert index.lookup(written) == (entity, 100.0)


@pytest.fixture(scope="module")
def real_facts():
    from thirdcountry.facts import load_facts

    return load_facts()
