"""How far the facts reach: each agreement's "checked to" date and the fact base's horizon.

An agreement is checked to the publication date of the newest source anyone examined for it:
the sources of its coverage checks (agreement-level rows of the verification log, which record a
search that may have found nothing new), of its events and figures, and of the checks of its
events. "Nothing since March" then reads either as "checked to November, nothing happened" or as
"checked only to March", and the reader can tell which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import pandas as pd

from thirdcountry.analysis.evidence import evidence_days, latest_event_date
from thirdcountry.facts import FactBase


@dataclass(frozen=True)
class Horizon:
    """How far the whole fact base reaches."""

    checked_to: dt.date | None  # the newest source examined for any agreement
    least_checked_to: dt.date | None  # the agreement checked least far: every one reaches this
    latest_event: dt.date | None  # the last day any event is known to have happened by

    def text(self, day: Callable[[dt.date], str] = dt.date.isoformat) -> str:
        """The horizon in one plain sentence, each date written by `day` (ISO by default)."""
        if self.checked_to is None:
            return "No agreement has been checked against any source yet."
        checked = f"Facts checked to {day(self.checked_to)}"
        if self.least_checked_to and self.least_checked_to < self.checked_to:
            checked += f" (every agreement at least to {day(self.least_checked_to)})"
        latest = (
            f"the latest event on record is of {day(self.latest_event)}"
            if self.latest_event
            else "no event has a known date"
        )
        return f"{checked}; {latest}."


def checked_to(facts: FactBase) -> dict[str, dt.date]:
    """Per agreement id, the publication date of the newest source examined for it.

    A source's date is the first day its `published` interval allows (an open '2025-01-26/..'
    counts from 2025-01-26). Agreements with no source at all are left out."""
    published = _published_days(facts)
    sources: dict[str, set[str]] = {}

    def add(agreement: object, ids: Iterable[str]) -> None:
        if isinstance(agreement, str):
            sources.setdefault(agreement, set()).update(ids)

    for row in facts.events.itertuples():
        add(row.agreement_id, [row.source_id])
    for row in facts.figures.itertuples():
        add(row.agreement_id, [row.source_id])
    agreement_of_event = dict(
        zip(facts.events["event_id"], facts.events["agreement_id"], strict=True)
    )
    log = facts.verifications
    for row in log.itertuples():
        agreement = getattr(row, "agreement_id", pd.NA)
        if pd.isna(agreement):
            agreement = agreement_of_event.get(row.event_id, pd.NA)
        add(agreement, row.source_ids)
    result = {}
    for agreement, ids in sources.items():
        days = [published[s] for s in ids if s in published]
        if days:
            result[agreement] = max(days)
    return result


def coverage_checks(facts: FactBase, agreement_id: str | None = None) -> pd.DataFrame:
    """The agreement-level rows of the verification log (newest first), optionally of one."""
    log = facts.verifications
    if "agreement_id" not in log.columns:
        return log.iloc[0:0]
    log = log[log["agreement_id"].notna()]
    if agreement_id:
        log = log[log["agreement_id"] == agreement_id]
    return log.sort_values(["checked_on", "verification_id"], ascending=[False, True])


def horizon(facts: FactBase, agreement_ids: Collection[str] | None = None) -> Horizon:
    """The newest and the least 'checked to' dates, and the latest event's day: of the whole
    fact base, or of the agreements `agreement_ids` (a report's selection) and their events."""
    days = checked_to(facts)
    agreements = set(facts.agreements["agreement_id"] if agreement_ids is None else agreement_ids)
    reached = [day for agreement, day in days.items() if agreement in agreements]
    if agreement_ids is None:
        latest = latest_event_date(facts)
    else:
        events = facts.events[facts.events["agreement_id"].isin(agreements)]
        newest = evidence_days(events).max()
        latest = None if pd.isna(newest) else newest.date()
    return Horizon(
        checked_to=max(reached) if reached else None,
        least_checked_to=min(reached) if reached else None,
        latest_event=latest,
    )


def _published_days(facts: FactBase) -> dict[str, dt.date]:
    sources = facts.sources
    days = sources["published_earliest"].fillna(sources["published_latest"])
    return {
        str(source): day.date()
        for source, day in zip(sources["source_id"], days, strict=True)
        if not pd.isna(day)
    }
