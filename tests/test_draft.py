"""`thirdcountry draft`: candidates from an article, quotes verbatim, dates only from the text.

On the seed article it must find the Thursday call, the photo dates, 'early February', the
inauguration-anchored order and 'after Bioden took office', each right; recall and precision
against the events entered by hand from the seed are measured and held above a floor.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thirdcountry.analysis.anchors import is_taking_office
from thirdcountry.analysis.draft import draft_events
from thirdcountry.cli import main
from thirdcountry.facts.quotes import normalise
from thirdcountry.paths import DEFAULT_DATA_DIR

SEED_ID = "cbs-reprint-2025-01-26"
SEED_TEXT = DEFAULT_DATA_DIR / "sources" / f"{SEED_ID}.txt"
PUBLISHED = dt.date(2025, 1, 26)

# The events the issue names, as (words in the quote, date, kind).
SEED_EXPECTED = [
    ("spoke by phone on Thursday", "2025-01-23", "call"),
    ("on January 13, 2025 in Tapachula", "2025-01-13", "photo"),
    ("hugs her daughter Maria in Tijuana", "2025-01-20", "photo"),
    ("visit El Salvador in early February", "2025-02-01/2025-02-10", "visit"),
    ("Hours after his inauguration", "2025-01-20/2025-01-21", "policy"),
    ("suspended after Bioden took office", "2021-01-20/..", "suspended"),
]
# Floors under the measured figures (recall 0.95, precision 0.97 when this was written):
# a change that makes the draft find fewer of the hand-entered facts fails here.
MIN_RECALL = 0.9
MIN_PRECISION = 0.9

TAKING_OFFICE_ADDITIONS = {
    "sources": [
        {
            "source_id": "test-inaugurations",
            "title": "Presidential inaugurations (test source)",
            "publisher": "Example Archive",
            "published": "2025-01-21",
            "url": "https://archive.example.org/inaugurations",
            "tier": "official",
        }
    ],
    "events": [
        {
            "event_id": f"test-{person}-takes-office-{day[:4]}",
            "date": day,
            "kind": "statement",
            "actors": f"{person}|usa",
            "summary": f"{name} takes office as President of the United States",
            "certainty": "confirmed",
            "source_id": "test-inaugurations",
            "quote": f"{name} was sworn in",
            "date_basis": "stated",
        }
        for person, name, day in [
            ("joe-biden", "Joe Biden", "2021-01-20"),
            ("donald-trump", "Donald Trump", "2025-01-20"),
        ]
    ],
}


@pytest.fixture(scope="module")
def seed_facts(tmp_path_factory):
    """The project's facts, plus Biden's and Trump's taking office where the data lacks them."""
    from thirdcountry.facts.additions import read_additions
    from thirdcountry.facts.append import append_rows
    from thirdcountry.facts.load import load_facts
    from thirdcountry.facts.schema import load_schema

    data = tmp_path_factory.mktemp("seed") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    facts = load_facts(data)
    recorded = {
        actor
        for row in facts.events.itertuples()
        if row.kind == "took_office" or is_taking_office(str(row.summary))
        for actor in row.actors
    }
    wanted = dict(TAKING_OFFICE_ADDITIONS)
    wanted["events"] = [e for e in wanted["events"] if e["actors"].split("|")[0] not in recorded]
    if wanted["events"]:
        path = data.parent / "anchors.json"
        path.write_text(json.dumps(wanted), encoding="utf-8")
        append_rows(read_additions(path, load_schema(data)), data)
    return load_facts(data)


@pytest.fixture(scope="module")
def seed_draft(seed_facts):
    return draft_events(SEED_TEXT.read_text(encoding="utf-8"), PUBLISHED, seed_facts, SEED_ID)


def test_every_quote_is_verbatim_from_the_file(seed_draft) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert seed_draft.candidates
    for candidate in seed_draft.candidates:
        assert candidate.quote in text
        assert candidate.quote == candidate.quote.strip()


@pytest.mark.parametrize(("words", "date", "kind"), SEED_EXPECTED)
def test_seed_dates_the_issue_names(seed_draft, words: str, date: str, kind: str) -> None:
    (candidate,) = [c for c in seed_draft.candidates if words in c.quote][:1]
    assert (candidate.date, candidate.kind) == (date, kind)
    assert candidate.date_phrase in candidate.quote


def test_anchored_dates_name_their_anchor(seed_draft, seed_facts) -> None:
    anchored = [c for c in seed_draft.candidates if "took office" in c.date_phrase
                or "inauguration" in c.date_phrase]  # fmt: skip
    assert len(anchored) == 2
    events = seed_facts.events.set_index("event_id")
    for candidate in anchored:
        event_id = candidate.note.split("anchored on event ")[1].split()[0]
        assert events.loc[event_id, "date"] == candidate.date.split("/")[0]


def test_no_date_phrase_means_no_date(seed_draft) -> None:
    """Honesty: the publication date is never passed off as an event's date."""
    expected = {date for _, date, _ in SEED_EXPECTED}
    for candidate in seed_draft.candidates:
        if not candidate.date_phrase:
            assert candidate.date == "" and candidate.date_basis == ""
        else:
            assert candidate.date in expected
    assert not any(c.date == PUBLISHED.isoformat() for c in seed_draft.candidates)


def test_seed_names_and_agreements(seed_draft) -> None:
    by_words = {c.quote[:40]: c for c in seed_draft.candidates}
    call = next(c for q, c in by_words.items() if q.startswith("Mr Trump and Bukele"))
    assert {"donald-trump", "nayib-bukele", "tren-de-aragua"} <= set(call.entities)
    deal = next(c for q, c in by_words.items() if q.startswith("Washington"))
    assert (deal.kind, deal.agreement_id, deal.certainty) == ("negotiating", "us-slv-2025",
                                                              "reported")  # fmt: skip
    signed = [c for c in seed_draft.candidates if "created asylum agreements" in c.quote]
    assert {c.agreement_id for c in signed} == {"us-gtm-aca-2019", "us-hnd-aca-2019",
                                                "us-slv-aca-2019"}  # fmt: skip
    # Places that do not act are named in the note, not proposed as entities (issue 28).
    proposed = {e.entity_id for e in seed_draft.entities}
    assert not proposed & {"tapachula", "tijuana"}
    notes = " ".join(c.note for c in seed_draft.candidates)
    assert "new name 'Tapachula' not proposed" in notes and "'Tijuana'" in notes


def recall_precision(candidates, hand_events) -> tuple[float, float]:
    """A hand-entered event is found when a candidate's sentence contains its quote or lies
    inside it (quotes may be part of a sentence, or a caption with its credit line)."""

    def overlaps(a: str, b: str) -> bool:
        a, b = normalise(a), normalise(b)
        return a in b or b in a

    found = [h for h in hand_events if any(overlaps(h, c.quote) for c in candidates)]
    useful = [c for c in candidates if any(overlaps(h, c.quote) for h in hand_events)]
    return len(found) / len(hand_events), len(useful) / len(candidates)


def test_recall_and_precision_on_the_seed(seed_draft, seed_facts, record_property) -> None:
    events = seed_facts.events
    hand = list(events.loc[events["source_id"] == SEED_ID, "quote"])
    recall, precision = recall_precision(seed_draft.candidates, hand)
    record_property("recall", round(recall, 3))
    record_property("precision", round(precision, 3))
    assert recall >= MIN_RECALL
    assert precision >= MIN_PRECISION


@pytest.fixture(scope="module")
def small_facts(tmp_path_factory):
    from conftest import assemble_fact_base

    from thirdcountry.facts.load import load_facts

    return load_facts(assemble_fact_base(tmp_path_factory.mktemp("small") / "data"))


_PIECES = [
    *"abcdefghij ABCDEFGHIJ .,;:!?'\"-–“”’\n\t0123456789é\u00a0",
    *["Monday ", "in June ", "early February ", "after Biden took office", "Mr. ", "U.S. "],
    *["Bioden ", "on July 16, ", "last month ", "\r\n", "Hours after his inauguration, "],
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, day=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
def test_random_text_never_crashes_and_quotes_stay_verbatim(small_facts, text, day) -> None:
    draft = draft_events(text, day, small_facts, "random")
    for candidate in draft.candidates:
        assert candidate.quote and candidate.quote in text
        if not candidate.date_phrase:
            assert candidate.date == ""


HTML = """<!DOCTYPE html>
<html><head><title>Belize signs safe third country deal</title>
<meta property="article:published_time" content="2025-10-22T09:00:00Z"></head>
<body><nav>Home | World | Subscribe</nav>
<article><h1>Belize signs safe third country deal</h1>
<p>Belize signed on Tuesday a “Safe Third Country” agreement with the United States, agreeing
to accept asylum seekers sent from the US.</p>
<p>The agreement will become active only after its ratification by the Senate.</p>
<p>Officials said talks had begun last month &amp; went quickly.</p>
</article><footer>© Example News</footer></body></html>
"""


def test_html_article(tmp_path: Path, capsys) -> None:
    page = tmp_path / "belize.html"
    page.write_text(HTML, encoding="utf-8")

    code = main(["draft", str(page), "--format", "json", "--url", "https://news.example.org/b"])

    out = capsys.readouterr().out
    assert code == 0
    document = json.loads(out)
    (source,) = document["sources"]
    assert source["published"] == "2025-10-22"  # found by htmldate
    assert source["url"] == "https://news.example.org/b"
    import trafilatura

    text = trafilatura.extract(HTML, include_comments=False, include_tables=False,
                               favor_precision=True)  # fmt: skip
    events = document["events"]
    assert events and all(e["quote"] in text for e in events)
    assert not any("Subscribe" in e["quote"] for e in events)
    signed = next(e for e in events if "Belize signed" in e["quote"])
    assert (signed["date"], signed["kind"]) == ("2025-10-21", "signed")
    assert signed["agreement_id"] == "us-blz-stca-2025"  # the project's data knows it
    assert any(e["date"] == "2025-09" for e in events)  # 'last month'


def test_draft_writes_nothing_under_data(good_dir: Path, tmp_path: Path, capsys) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Mr Trumpp and the Guatemalan president spoke by phone on Thursday.\n")
    before = {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()}

    code = main(["draft", str(article), "--data", str(good_dir), "--published", "2025-01-26"])

    out = capsys.readouterr().out
    assert code == 0
    assert "2025-01-23" in out and "call" in out
    assert {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()} == before


def test_draft_needs_a_date_for_plain_text(tmp_path: Path, capsys) -> None:
    article = tmp_path / "article.txt"
    article.write_text("They spoke on Thursday.\n")
    assert main(["draft", str(article)]) == 2
    assert "--published DATE is needed" in capsys.readouterr().err


def test_draft_csv_reads_back_as_additions(good_dir: Path, tmp_path: Path, capsys) -> None:
    from thirdcountry.facts.additions import read_additions
    from thirdcountry.facts.schema import load_schema

    article = tmp_path / "note.txt"
    article.write_text("In early February, Rubio will visit Guatemala and Tapachula.\n")
    main(["draft", str(article), "--data", str(good_dir), "--published", "2025-01-26",
          "--format", "csv", "--source-id", "note"])  # fmt: skip
    drafted = tmp_path / "draft.csv"
    drafted.write_text(capsys.readouterr().out, encoding="utf-8")

    additions = read_additions(drafted, load_schema(good_dir))

    tables = [row.table for row in additions.rows]
    assert tables.count("sources") == 1 and tables.count("events") == 1
    (event,) = additions.for_table("events")
    assert event.cells["date"] == "2025-02-01/2025-02-10"
    assert event.cells["actors"] == "gtm"  # from the draft's countries and entities


def test_candidates_already_recorded_say_so(seed_draft) -> None:
    call = next(c for c in seed_draft.candidates if "spoke by phone" in c.quote)
    assert "already in the fact base from this source: seed-trump-bukele-call" in call.note


def test_unknown_names_are_proposed_and_ids_are_recognised(small_facts) -> None:
    text = "Officials from Gtm met Mr Trumpp in Tapachula on Monday to discuss the agreement.\n"
    draft = draft_events(text, dt.date(2025, 1, 29), small_facts, "note")
    (candidate,) = draft.candidates
    assert candidate.countries == ("GTM",)  # 'Gtm' is the entity id gtm, not a new name
    assert "donald-trump" in candidate.entities
    assert draft.entities == []  # a place that does not act is not an entity...
    assert "new name 'Tapachula' not proposed" in candidate.note  # ...but it is never dropped
    assert candidate.date == "2025-01-27"


# Every candidate of the seed as `draft` gave it before issue 28 (wire datelines, figures,
# agreement linking from the story): (event id, date, kind). The seed has no dateline and no
# figure phrases; its dates and kinds must not move.
SEED_BEFORE_ISSUE_28 = [
    ("cbs-reprint-2025-01-26-1", "", "claim"),
    ("cbs-reprint-2025-01-26-3", "", "negotiating"),
    ("cbs-reprint-2025-01-26-4", "", "claim"),
    ("cbs-reprint-2025-01-26-5", "", "claim"),
    ("cbs-reprint-2025-01-26-6", "", "claim"),
    ("cbs-reprint-2025-01-26-8", "2025-01-13", "photo"),
    ("cbs-reprint-2025-01-26-10", "", "proposed"),
    ("cbs-reprint-2025-01-26-11", "2025-01-20/2025-01-21", "policy"),
    ("cbs-reprint-2025-01-26-12", "", "claim"),
    ("cbs-reprint-2025-01-26-13", "", "policy"),
    ("cbs-reprint-2025-01-26-14", "", "claim"),
    ("cbs-reprint-2025-01-26-15", "", "claim"),
    ("cbs-reprint-2025-01-26-16", "", "statement"),
    ("cbs-reprint-2025-01-26-17", "2025-01-23", "call"),
    ("cbs-reprint-2025-01-26-18", "2025-02-01/2025-02-10", "visit"),
    ("cbs-reprint-2025-01-26-19", "", "statement"),
    ("cbs-reprint-2025-01-26-20", "", "policy"),
    ("cbs-reprint-2025-01-26-22", "", "policy"),
    ("cbs-reprint-2025-01-26-23", "2025-01-20", "photo"),
    ("cbs-reprint-2025-01-26-25", "", "policy"),
    ("cbs-reprint-2025-01-26-26", "", "claim"),
    ("cbs-reprint-2025-01-26-27", "", "policy"),
    ("cbs-reprint-2025-01-26-28", "", "claim"),
    ("cbs-reprint-2025-01-26-29", "", "policy"),
    ("cbs-reprint-2025-01-26-30", "", "claim"),
    ("cbs-reprint-2025-01-26-31", "", "claim"),
    ("cbs-reprint-2025-01-26-32-1", "", "signed"),
    ("cbs-reprint-2025-01-26-32-2", "", "signed"),
    ("cbs-reprint-2025-01-26-32-3", "", "signed"),
    ("cbs-reprint-2025-01-26-33", "2021-01-20/..", "suspended"),
]  # fmt: skip


def test_the_seed_drafts_as_before(seed_draft) -> None:
    found = [(c.event_id, c.date, c.kind) for c in seed_draft.candidates]
    assert found == SEED_BEFORE_ISSUE_28
    assert seed_draft.dateline is None and seed_draft.publisher == ""
    assert seed_draft.figures == []
