"""A quote that names a weekday for a day-precise event in its source's week must match the date.

'On Tuesday' in a story published on a Thursday is two days back, never three: an event dated
within a week of publication whose quote names only other weekdays was resolved by eye.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

import pandas as pd

from thirdcountry.analysis.lints.rule import Flag, Rule
from thirdcountry.facts import FactBase, parse_edtf

WEEK = dt.timedelta(days=6)
_WEEKDAY = re.compile(r"\b(" + "|".join(calendar.day_name) + r")\b", re.IGNORECASE)
_NUMBER = {name.lower(): number for number, name in enumerate(calendar.day_name)}


def weekdays_named(quote: str) -> set[int]:
    """The weekdays (Monday 0) a quote names."""
    return {_NUMBER[match.lower()] for match in _WEEKDAY.findall(quote)}


def _flags(facts: FactBase, table: str, key: str) -> Iterator[Flag]:
    published = {
        row.source_id: parse_edtf(row.published).earliest
        for row in facts.sources.itertuples()
        if str(row.published_precision) == "day"
    }
    for row in facts.table(table).itertuples():
        source_day = published.get(row.source_id)
        if source_day is None or str(row.precision) != "day" or pd.isna(row.earliest):
            continue
        day = row.earliest.date()
        named = weekdays_named(row.quote)
        if not named or abs(day - source_day) > WEEK or day.weekday() in named:
            continue
        names = " or ".join(calendar.day_name[n] for n in sorted(named))
        published_on = f"{calendar.day_name[source_day.weekday()]} {source_day.isoformat()}"
        yield (
            row.csv_line,
            getattr(row, key),
            f"the quote says {names}, but {day.isoformat()} is a "
            f"{calendar.day_name[day.weekday()]} (source published {published_on}); resolve the "
            "weekday with a calendar",
        )


def _events(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "events", "event_id")


def _figures(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "figures", "figure_id")


RULE = Rule(
    name="weekday-mismatch",
    table="events",
    why="an event's quote names a weekday, but its day-precise date within a week of the "
    "source's publication falls on another weekday",
    check=_events,
)
FIGURES_RULE = Rule(
    name="figure-weekday-mismatch",
    table="figures",
    why="a figure's quote names a weekday, but its day-precise date within a week of the "
    "source's publication falls on another weekday",
    check=_figures,
)
