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
    """Events that may have happened after `since` and by `as_of` (uncertain dates overlapping)."""
    start = pd.Timestamp(since) + pd.Timedelta(days=1)
    return select_events(facts, countries=countries, since=start, until=as_of)
