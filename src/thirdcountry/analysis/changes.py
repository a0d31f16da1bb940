"""What changed between two dates: status transitions and events in the window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

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


CHANGE_COLUMNS = ["change", "table", "id", "field", "before", "after", "summary"]
# Fields whose edit counts as a correction of an event.
EVENT_FIELDS = ("date", "kind", "agreement_id", "source_id", "quote", "certainty", "summary")
# Fields whose edit counts as a correction of a figure.
FIGURE_FIELDS = (
    "agreement_id", "measure", "value", "unit", "qualifier", "basis", "date", "certainty",
    "source_id", "quote",
)  # fmt: skip


def compare_fact_bases(old: FactBase, new: FactBase, as_of: dt.date | str) -> pd.DataFrame:
    """Everything that differs between two versions of a fact base.

    Rows: added/removed/corrected events and figures (a correction lists each edited field with
    its old and new value), added sources and conflicts, and status transitions on `as_of`
    caused by the edit.
    """
    rows: list[dict] = []
    rows += _table_changes(old.events, new.events, "events", "event_id", EVENT_FIELDS)
    rows += _table_changes(old.figures, new.figures, "figures", "figure_id", FIGURE_FIELDS)
    rows += _table_changes(old.sources, new.sources, "sources", "source_id", ("url", "tier"))
    old_conflicts = set(old.conflicts["conflict_id"])
    for row in new.conflicts.itertuples():
        if row.conflict_id not in old_conflicts:
            rows.append(_row("added", "conflicts", row.conflict_id, summary=row.description))
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


def _table_changes(old, new, table: str, key: str, fields: tuple[str, ...]) -> list[dict]:
    old_rows = old.set_index(key)
    new_rows = new.set_index(key)
    summary_field = next(f for f in ("summary", "title", "quote") if f in new.columns)
    rows = []
    for item in new_rows.index.difference(old_rows.index, sort=False):
        rows.append(_row("added", table, item, summary=new_rows.loc[item, summary_field]))
    for item in old_rows.index.difference(new_rows.index, sort=False):
        rows.append(_row("removed", table, item, summary=old_rows.loc[item, summary_field]))
    for item in new_rows.index.intersection(old_rows.index, sort=False):
        for field in fields:
            before, after = _plain(old_rows.loc[item, field]), _plain(new_rows.loc[item, field])
            if before != after:
                summary = new_rows.loc[item, summary_field]
                rows.append(_row("corrected", table, item, field, before, after, summary))
    return rows


def _plain(value: object) -> str:
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else str(value)
    )


def _row(change, table, item, field="", before="", after="", summary="") -> dict:
    return {
        "change": change,
        "table": table,
        "id": item,
        "field": field,
        "before": before,
        "after": after,
        "summary": _plain(summary),
    }


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
