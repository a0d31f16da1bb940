"""What changed between two dates: status transitions and events in the window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.analysis.fact_diff import CHANGE_COLUMNS, change_row, fact_base_differences
from thirdcountry.analysis.query import select_events
from thirdcountry.analysis.status import status_as_of
from thirdcountry.facts import FactBase

TRANSITION_COLUMNS = ["agreement_id", "title", "before", "after"]


def status_transitions(
    facts: FactBase,
    since: dt.date | str,
    as_of: dt.date | str,
    steps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreements whose status on `as_of` differs from their status on `since`."""
    before = status_as_of(facts, since, steps).set_index("agreement_id")
    after = status_as_of(facts, as_of, steps).set_index("agreement_id")
    changed = before["status"] != after["status"]
    frame = pd.DataFrame(
        {
            "agreement_id": after.index[changed],
            "title": after.loc[changed, "title"].to_numpy(),
            "before": before.loc[changed, "status"].to_numpy(),
            "after": after.loc[changed, "status"].to_numpy(),
        },
        columns=TRANSITION_COLUMNS,
    )
    return frame.reset_index(drop=True)


def events_between(
    facts: FactBase,
    since: dt.date | str,
    as_of: dt.date | str,
    countries: tuple[str, ...] | list[str] = (),
) -> pd.DataFrame:
    """Events that began after `since` and by `as_of`.

    An event counts by its earliest possible day; one with an open start counts by its latest.
    So 'after Biden took office' (2021-01-20/..) is not news in 2025.
    """
    events = select_events(facts, countries=countries, until=as_of)
    begins = events["earliest"].fillna(events["latest"])
    return events[begins > pd.Timestamp(since)].reset_index(drop=True)


def compare_fact_bases(old: FactBase, new: FactBase, as_of: dt.date | str) -> pd.DataFrame:
    """Everything that differs between two versions of a fact base.

    Rows: every row added to or removed from any declared table, every edited cell with its old
    and new value (analysis.fact_diff), what differs but cannot be itemised, then the status
    transitions on `as_of` that the edits cause.
    """
    rows = fact_base_differences(old, new)
    before = status_as_of(old, as_of).set_index("agreement_id")["status"]
    after = status_as_of(new, as_of).set_index("agreement_id")["status"]
    titles = dict(zip(new.agreements["agreement_id"], new.agreements["title"], strict=True))
    for agreement_id, status in after.items():
        previous = before.get(agreement_id, "none")
        if previous != status:
            rows.append(
                _row("status", "agreements", agreement_id, "status", previous, status,
                     titles.get(agreement_id, ""))
            )  # fmt: skip
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _plain(value: object) -> str:
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else str(value)
    )


def _row(change, table, item, field="", before="", after="", summary="") -> dict:
    return change_row(change, table, item, field, before, after, _plain(summary))


def changes_since_date(facts: FactBase, since: dt.date | str, as_of: dt.date | str) -> pd.DataFrame:
    """What happened after a date: new events, status transitions, new sources and conflicts."""
    rows: list[dict] = []
    events = events_between(facts, since, as_of)
    for row in events.itertuples():
        rows.append(_row("new event", "events", row.event_id, "date", "", row.date, row.summary))
    for row in status_transitions(facts, since, as_of).itertuples():
        rows.append(
            _row("status", "agreements", row.agreement_id, "status", row.before, row.after,
                 row.title)
        )  # fmt: skip
    published = facts.sources["published_earliest"]
    published_after = (published > pd.Timestamp(since)) & (published <= pd.Timestamp(as_of))
    for row in facts.sources[published_after].itertuples():
        rows.append(_row("new source", "sources", row.source_id, "published", "", row.published,
                         row.title))  # fmt: skip
    new_event_ids = set(events["event_id"])
    for row in facts.conflicts.itertuples():
        if new_event_ids & set(row.event_ids):
            rows.append(_row("new conflict", "conflicts", row.conflict_id, summary=row.description))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
