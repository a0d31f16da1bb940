"""A relative date phrase in a quote ('last week', 'in June', 'on Friday') must be able to give
the stored date, read from the source's publication day.

The phrases are found and resolved by analysis.date_phrases, the code `draft` uses, so a row
typed by hand is held to what the draft would have proposed. A quote whose phrases all resolve
to days that do not meet the stored date was read against the wrong day (a wire story's
dateline, a reprint's date); a quote that also states an absolute date that meets it is fine,
and a cumulative count holds from its phrase's date on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pandas as pd

from thirdcountry.analysis.date_phrases import DatePhrase, find_date_phrases
from thirdcountry.analysis.lints.rule import Flag, Rule
from thirdcountry.facts import FactBase, FuzzyDate, parse_edtf
from thirdcountry.facts.dates import EDTFError

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def is_relative(phrase: DatePhrase) -> bool:
    """A phrase whose meaning depends on the publication day: it names no year."""
    return phrase.edtf is not None and not _YEAR.search(phrase.phrase)


def _resolved(phrase: DatePhrase) -> FuzzyDate | None:
    try:
        return parse_edtf(phrase.edtf or "")
    except EDTFError:
        return None


def _readings(phrase: DatePhrase, published: dt.date) -> list[FuzzyDate]:
    """What the phrase means in its sentence, and read alone: a sentence's tense ('said Tuesday
    it would accept') must not push a past weekday into the next week."""
    alone = find_date_phrases(phrase.phrase, published)
    return [date for p in [phrase, *alone] if (date := _resolved(p)) is not None]


def _meets(date: FuzzyDate, stored: FuzzyDate, cumulative: bool) -> bool:
    """The phrase can give the stored date; a running total still holds after its phrase."""
    if cumulative:
        return date.earliest is None or stored.latest is None or date.earliest <= stored.latest
    return date.overlaps(stored)


def _flags(facts: FactBase, table: str, key: str) -> Iterator[Flag]:
    published: dict[str, dt.date] = {
        row.source_id: day
        for row in facts.sources.itertuples()
        if str(row.published_precision) == "day"
        and (day := parse_edtf(row.published).earliest) is not None
    }
    for row in facts.table(table).itertuples():
        day = published.get(row.source_id)
        if day is None:
            continue
        phrases = [p for p in find_date_phrases(row.quote, day) if p.edtf is not None]
        relative = [p for p in phrases if is_relative(p)]
        if not relative:
            continue
        stored = FuzzyDate(
            row.date,
            None if pd.isna(row.earliest) else row.earliest.date(),
            None if pd.isna(row.latest) else row.latest.date(),
            str(row.precision),
        )
        cumulative = getattr(row, "basis", None) == "cumulative"
        if any(_meets(date, stored, cumulative) for p in phrases for date in _readings(p, day)):
            continue
        readings = "; ".join(f"'{p.phrase}' gives {p.edtf}" for p in relative)
        yield (
            row.csv_line,
            getattr(row, key),
            f"read from publication on {day.isoformat()}, {readings}: none meets the stored "
            f"date {row.date}; check which day the phrase counts from",
        )


def _events(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "events", "event_id")


def _figures(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "figures", "figure_id")


EVENTS_RULE = Rule(
    name="relative-phrase-mismatch",
    table="events",
    why="a relative date phrase in an event's quote cannot give the stored date from the "
    "source's publication day",
    check=_events,
)
FIGURES_RULE = Rule(
    name="figure-relative-phrase-mismatch",
    table="figures",
    why="a relative date phrase in a figure's quote cannot give the stored date from the "
    "source's publication day",
    check=_figures,
)
