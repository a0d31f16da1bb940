"""The verification log read back: when each event was last checked, and how checks came out."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.facts import FactBase

NEVER_VERIFIED = "no record"  # an event with no row in the verification log (as for statuses)


def last_verified(facts: FactBase) -> dict[str, dt.date]:
    """Per event id, the latest day it was checked (events never checked are left out)."""
    log = facts.verifications
    if log.empty:
        return {}
    latest = log.groupby("event_id")["checked_on"].max()
    return {str(event): day.date() for event, day in latest.items()}


def verification_log(facts: FactBase, event_id: str | None = None) -> pd.DataFrame:
    """The log, newest checks first, optionally for one event."""
    log = facts.verifications
    if event_id:
        log = log[log["event_id"] == event_id]
    return log.sort_values(["checked_on", "verification_id"], ascending=[False, True])
