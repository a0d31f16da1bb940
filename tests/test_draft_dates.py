"""Date phrases resolved against the publication date, with their real precision in EDTF; and
phrases anchored on events the fact base knows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from thirdcountry.analysis.anchors import find_anchored_phrases, interval_from
from thirdcountry.analysis.date_phrases import find_date_phrases
from thirdcountry.analysis.names import NameIndex

SUN = dt.date(2025, 1, 26)  # the seed's publication date, a Sunday
THU = dt.date(2025, 1, 23)
WED_OCT = dt.date(2025, 10, 22)

# sentence, publication date, phrase found, EDTF, basis
TABLE = [
    # weekdays: the latest such day on or before publication, the day itself included
    ("They spoke by phone on Thursday.", SUN, "on Thursday", "2025-01-23", "inferred"),
    ("They spoke by phone on Thursday.", THU, "on Thursday", "2025-01-23", "inferred"),
    ("The deal was signed on Sunday.", SUN, "on Sunday", "2025-01-26", "inferred"),
    ("It was signed last Sunday.", SUN, "last Sunday", "2025-01-19", "inferred"),
    ("The minister denied it on Wednesday.", WED_OCT, "on Wednesday", "2025-10-22", "inferred"),
    ("Belize signed on Tuesday.", WED_OCT, "on Tuesday", "2025-10-21", "inferred"),
    ("He will travel on Friday.", SUN, "on Friday", "2025-01-31", "inferred"),
    # whole months and years
    ("Talks began last month.", SUN, "last month", "2024-12", "inferred"),
    ("Talks began last month.", dt.date(2025, 3, 1), "last month", "2025-02", "inferred"),
    ("The deal expires next month.", dt.date(2025, 12, 5), "next month", "2026-01", "inferred"),
    ("Transfers fell last year.", SUN, "last year", "2024", "inferred"),
    ("It was signed in June.", dt.date(2025, 8, 5), "in June", "2025-06", "stated"),
    ("It was signed in June.", SUN, "in June", "2024-06", "stated"),
    ("Rubio will visit in June.", SUN, "in June", "2025-06", "stated"),
    ("In March 2025, the US sent 238 Venezuelans.", WED_OCT, "March 2025", "2025-03", "stated"),
    ("It was signed in 2019.", SUN, "in 2019", "2019", "stated"),
    # parts of a month
    ("Rubio is scheduled to visit in early February.", SUN, "early February",
     "2025-02-01/2025-02-10", "inferred"),
    ("Flights resumed in mid-March.", dt.date(2025, 4, 2), "mid-March",
     "2025-03-11/2025-03-20", "inferred"),
    ("It was agreed in late February 2024.", SUN, "late February 2024",
     "2024-02-21/2024-02-29", "inferred"),
    # calendar days: dateparser, the year from context where the article leaves it out
    ("Diplomatic notes dated July 16 were published.", dt.date(2025, 11, 17), "July 16",
     "2025-07-16", "stated"),
    ("The notice, dated Feb. 6, explained.", dt.date(2025, 2, 19), "Feb. 6", "2025-02-06",
     "stated"),
    ("The photo was taken on January 13, 2025 in Tapachula.", SUN, "January 13, 2025",
     "2025-01-13", "stated"),
    ("It was signed on 29 July 2025.", WED_OCT, "29 July 2025", "2025-07-29", "stated"),
    ("The pact was signed on Monday, October 20.", WED_OCT, "Monday, October 20", "2025-10-20",
     "stated"),
    ("Rubio will meet Bukele on February 3.", SUN, "February 3", "2025-02-03", "stated"),
    ("The first Honduran arrived on 2019-11-21.", SUN, "2019-11-21", "2019-11-21", "stated"),
    # relative days: dateparser
    ("The official said yesterday that no deal exists.", WED_OCT, "yesterday", "2025-10-21",
     "inferred"),
    ("Three days ago the first flight landed.", SUN, "Three days ago", "2025-01-23", "inferred"),
    ("It happened last week.", SUN, "last week", "2025-01-13/2025-01-19", "inferred"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "published", "phrase", "edtf", "basis"), TABLE)
def test_date_resolution(sentence, published, phrase, edtf, basis) -> None:
    found = find_date_phrases(sentence, published)
    assert [(p.phrase, p.edtf, p.basis) for p in found] == [(phrase, edtf, basis)]
    assert sentence[found[0].start : found[0].end] == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "The agreement allows transfers of asylum seekers.",
        "You may go now.",
        "Some 2000 people were sent.",
        "Representatives did not immediately respond to requests for comment.",
    ],
)
def test_no_date_phrase_no_date(sentence: str) -> None:
    assert find_date_phrases(sentence, SUN) == []


def test_inferred_dates_say_how_in_the_note() -> None:
    (phrase,) = find_date_phrases("They spoke on Thursday.", SUN)
    assert "2025-01-26" in phrase.note and "2025-01-23" in phrase.note


@pytest.mark.parametrize(
    ("relation", "edtf"),
    [
        ("after", "2021-01-20/.."),
        ("since", "2021-01-20/.."),
        ("hours after", "2021-01-20/2021-01-21"),
        ("the day after", "2021-01-21"),
        ("before", "../2021-01-20"),
    ],
)
def test_interval_from_an_anchor(relation: str, edtf: str) -> None:
    assert interval_from(dt.date(2021, 1, 20), relation) == edtf


# --- anchored phrases, against a fact base that records who took office when ---

ANCHOR_ADDITIONS = {
    "sources": [
        {
            "source_id": "inaugurations",
            "title": "Presidential inaugurations",
            "publisher": "Example Archive",
            "published": "2025-01-21",
            "url": "https://archive.example.org/inaugurations",
            "tier": "official",
        }
    ],
    "events": [
        {
            "event_id": f"{person}-takes-office-{day[:4]}",
            "date": day,
            "kind": "statement",
            "actors": f"{person}|usa",
            "summary": f"{name} takes office as President of the United States",
            "certainty": "confirmed",
            "source_id": "inaugurations",
            "quote": f"{name} was sworn in on {day}",
            "date_basis": "stated",
        }
        for person, name, day in [
            ("donald-trump", "Donald Trump", "2017-01-20"),
            ("joe-biden", "Joe Biden", "2021-01-20"),
            ("donald-trump", "Donald Trump", "2025-01-20"),
        ]
    ],
}


@pytest.fixture
def anchored_facts(good_dir: Path, tmp_path: Path):
    from thirdcountry.facts.additions import read_additions
    from thirdcountry.facts.append import append_rows
    from thirdcountry.facts.load import load_facts
    from thirdcountry.facts.schema import load_schema

    path = tmp_path / "anchors.json"
    path.write_text(json.dumps(ANCHOR_ADDITIONS), encoding="utf-8")
    append_rows(read_additions(path, load_schema(good_dir)), good_dir)
    return load_facts(good_dir)


def _anchored(sentence: str, facts, published=SUN, earlier=()):
    names = NameIndex(facts.entities)
    found = names.find(sentence)
    return find_anchored_phrases(sentence, published, names, facts.events, found, list(earlier))


def test_after_a_misspelt_president_took_office(anchored_facts) -> None:
    sentence = "All three treaties were suspended after Bioden took office."
    (phrase,) = _anchored(sentence, anchored_facts)
    assert (phrase.phrase, phrase.edtf, phrase.basis) == (
        "after Bioden took office",
        "2021-01-20/..",
        "inferred",
    )
    assert "joe-biden-takes-office-2021" in phrase.note


def test_hours_after_his_inauguration_takes_the_person_from_the_sentence(anchored_facts) -> None:
    sentence = "Hours after his inauguration, Mr Trumpp ordered officials to act."
    (phrase,) = _anchored(sentence, anchored_facts)
    assert phrase.edtf == "2025-01-20/2025-01-21"  # the latest inauguration before publication
    assert "donald-trump-takes-office-2025" in phrase.note


def test_the_anchor_is_the_latest_on_or_before_publication(anchored_facts) -> None:
    sentence = "Days after his inauguration, he signed the order."
    (phrase,) = _anchored(sentence, anchored_facts, dt.date(2018, 3, 1), ["donald-trump"])
    assert phrase.edtf == "2017-01-20/.."


def test_an_anchor_the_base_does_not_know_gives_no_date(good_dir: Path) -> None:
    from thirdcountry.facts.load import load_facts

    (phrase,) = _anchored("It was suspended after Biden took office.", load_facts(good_dir))
    assert phrase.edtf is None
    assert "does not record" in phrase.note
