"""What an overview covers, as plain functions on the fact base: the events and conflicts of a
selection (by party or sending state) and the status history lanes as known on a date.

report/overview.py presents what these return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from thirdcountry.analysis.status import history_as_of
from thirdcountry.facts import FactBase


def sending_state_events(
    events: pd.DataFrame, agreement_ids: Sequence[str], sending: Sequence[str]
) -> pd.DataFrame:
    """A sending state's overview: its agreements' events, and context events that name it
    (no agreement, the state among the actors). No `sending`: every event."""
    if not sending:
        return events
    codes = {code.lower() for code in sending}
    own = events["agreement_id"].isin(list(agreement_ids))
    context = events["agreement_id"].isna() & events["actors"].map(
        lambda actors: bool(codes & set(actors))
    )
    return events[own | context].reset_index(drop=True)


def selected_conflicts(
    conflicts: pd.DataFrame, agreement_ids: Sequence[str], event_ids: set[str]
) -> pd.DataFrame:
    """The conflicts about these agreements or about any of these events."""
    keep = conflicts["agreement_id"].isin(list(agreement_ids)) | conflicts["event_ids"].map(
        lambda ids: bool(event_ids & set(ids))
    )
    return conflicts[keep].reset_index(drop=True)


def history_lanes(
    facts: FactBase, history: pd.DataFrame, status: pd.DataFrame, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dt.date]]:
    """(status history as known on `as_of`, the agreements on record then with a 'group' column
    naming their sending state, {agreement: not confirmed since}) for the swimlane chart."""
    on_record = set(status["agreement_id"])
    agreements = facts.agreements[facts.agreements["agreement_id"].isin(on_record)]
    names = dict(zip(facts.entities["entity_id"], facts.entities["name"], strict=True))
    agreements = agreements.assign(group=agreements["sending"].map(names))
    known = history_as_of(history, as_of)
    known = known[known["agreement_id"].isin(on_record)]
    unconfirmed = {
        str(row.agreement_id): row.not_confirmed_since
        for row in status.itertuples()
        if row.not_confirmed_since
    }
    return known, agreements, unconfirmed


def verification_events(facts: FactBase) -> dict[str, str]:
    """{verification id: the event it checked}; coverage checks of a whole agreement have none."""
    table = getattr(facts, "verifications", None)
    if table is None or table.empty:
        return {}
    pairs = zip(table["verification_id"], table["event_id"], strict=True)
    return {check: event for check, event in pairs if isinstance(event, str)}
