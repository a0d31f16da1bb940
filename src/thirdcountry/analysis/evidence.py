"""How current the record is: each agreement's last evidence, and when a status is no longer
confirmed by it.

An event is evidence up to its last possible day (its `latest`; the start of an open interval).
Planned events are not evidence that anything happened. A status shown for a date more than
STALE_AFTER_DAYS after the agreement's last evidence is marked "not confirmed since" that day,
except a terminated agreement, which cannot change."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.facts import FactBase

STALE_AFTER_DAYS = 90
FINAL_STATUSES = frozenset({"terminated"})  # a step nothing can follow: never goes stale


def evidence_days(events: pd.DataFrame) -> pd.Series:
    """Each event's evidence day (NaT for a planned event or one with no bound at all)."""
    day = events["latest"].fillna(events["earliest"])
    return day.where(events["certainty"] != "planned")


def last_evidence(facts: FactBase, as_of: dt.date | str) -> dict[str, dt.date]:
    """Per agreement, the latest evidence day on or before `as_of` (agreements without any
    evidence by then are left out)."""
    events = facts.events
    days = evidence_days(events)
    on_record = days.notna() & (days <= pd.Timestamp(as_of)) & events["agreement_id"].notna()
    latest = days[on_record].groupby(events.loc[on_record, "agreement_id"]).max()
    return {str(agreement): day.date() for agreement, day in latest.items()}


def not_confirmed_since(
    status: str, evidence: dt.date | None, as_of: dt.date | str
) -> dt.date | None:
    """The last evidence day, when `status` is shown more than STALE_AFTER_DAYS after it."""
    if evidence is None or status in FINAL_STATUSES:
        return None
    if (pd.Timestamp(as_of).date() - evidence).days > STALE_AFTER_DAYS:
        return evidence
    return None


def latest_event_date(facts: FactBase) -> dt.date | None:
    """The last day any event is known to have happened by: the default 'as of' date of the
    `status` command and of every report, and the date the facts are current to.

    None when no event has a known date (a fact base without events, or only planned ones)."""
    latest = evidence_days(facts.events).max()
    return None if pd.isna(latest) else latest.date()
