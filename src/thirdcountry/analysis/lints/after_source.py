"""An event or figure that may lie after its source was published must be marked as a plan.

Validation refuses a date that is certainly after publication; this rule flags one whose
interval reaches past it ('2025-07' from a story of 15 July), which claims more than the source
can know: narrow it to the publication day, or mark it planned if the quote expects it. An open
end ('2021-01-20/..') only says when something began, and is not flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from thirdcountry.analysis.date_phrases import points_to_future
from thirdcountry.analysis.lints.rule import Flag, Rule
from thirdcountry.facts import FactBase, parse_edtf


def _published_latest(facts: FactBase) -> dict[str, dt.date]:
    return {
        row.source_id: latest
        for row in facts.sources.itertuples()
        if (latest := parse_edtf(row.published).latest) is not None
    }


def _flags(facts: FactBase, table: str, key: str, what: str) -> Iterator[Flag]:
    published = _published_latest(facts)
    for row in facts.table(table).itertuples():
        limit = published.get(row.source_id)
        if limit is None or row.certainty == "planned" or points_to_future(row.quote):
            continue
        # An open end ('2021-01-20/..', after Biden took office) says only when it began.
        if pd.isna(row.latest) or row.latest.date() <= limit:
            continue
        yield (
            row.csv_line,
            getattr(row, key),
            f"the date {row.date} runs to {row.latest.date().isoformat()}, after its source "
            f"{row.source_id!r} was published ({limit.isoformat()}); end it there, or mark a "
            f"{what} the source expects as planned",
        )


def _events(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "events", "event_id", "step")


def _figures(facts: FactBase) -> Iterator[Flag]:
    yield from _flags(facts, "figures", "figure_id", "number")


EVENTS_RULE = Rule(
    name="event-after-source",
    table="events",
    why="an event's date may fall after its source was published, and it is not marked planned "
    "nor expected in its quote",
    check=_events,
)
FIGURES_RULE = Rule(
    name="figure-after-source",
    table="figures",
    why="a figure's date may fall after its source was published, and it is not marked planned "
    "nor expected in its quote",
    check=_figures,
)
