"""One agreement's record for its page: the day it is known to, its checks, its conflicts' state.

Everything here reads only the agreement's own rows (and the rows they cite), so that the page
depends on nothing else in the fact base: its data key (analysis/input_slice.py) is its slice.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.facts import FactBase

OPEN = "open"
SETTLED = "settled"
UNMARKED = ""  # the fact base does not say (conflicts.csv without a `state` column)


def agreement_events(facts: FactBase, agreement_id: str) -> pd.DataFrame:
    events = facts.events
    return events[events["agreement_id"] == agreement_id]


def agreement_checks(facts: FactBase, agreement_id: str) -> pd.DataFrame:
    """The verification log of the agreement: checks of its events, and checks of the
    agreement as a whole where the log names agreements (an `agreement_id` column); newest
    first."""
    log = facts.verifications
    own = log["event_id"].isin(set(agreement_events(facts, agreement_id)["event_id"]))
    if "agreement_id" in log.columns:
        own |= log["agreement_id"] == agreement_id
    return log[own].sort_values(["checked_on", "verification_id"], ascending=[False, True])


def known_to(facts: FactBase, agreement_id: str) -> dt.date | None:
    """The last day the agreement's record speaks of: its latest event, figure or total across
    agreements naming it, each no later than its source's publication (a pledge for a period
    still to come speaks as of the day it was published; an open publication date, as of its
    start). Its status is shown as of this day, never the fact base's latest event (another
    agreement's). A check's date is the day someone looked (often today), not a day the record
    speaks of."""
    # A source published "2024-10/.." (open) was published no earlier than its start: that caps.
    published_by = facts.sources["published_latest"].fillna(facts.sources["published_earliest"])
    published = dict(zip(facts.sources["source_id"], published_by, strict=True))
    figures = facts.figures[facts.figures["agreement_id"] == agreement_id]
    totals = facts.totals[[agreement_id in ids for ids in facts.totals["agreement_ids"]]]
    days = []
    for rows in (agreement_events(facts, agreement_id), figures, totals):
        for earliest, latest, source_id in zip(
            rows["earliest"], rows["latest"], rows["source_id"], strict=True
        ):
            day = latest if pd.notna(latest) else earliest
            if pd.isna(day):
                continue
            cap = published.get(source_id, pd.NaT)
            if pd.notna(cap) and cap < day:
                day = cap
            days.append(pd.Timestamp(day).date())
    return max(days) if days else None


def check_summary(facts: FactBase, agreement_id: str) -> dict[str, object]:
    """How far the agreement was checked: events checked of all, the last check, the results."""
    events = agreement_events(facts, agreement_id)
    checks = agreement_checks(facts, agreement_id)
    checked = set(checks["event_id"].dropna()) & set(events["event_id"])
    results = checks.drop_duplicates("event_id")["result"].astype(str).value_counts()
    last = checks["checked_on"].max() if not checks.empty else None
    return {
        "events": len(events),
        "checked": len(checked),
        "last_check": pd.Timestamp(last).date() if last is not None and pd.notna(last) else None,
        "results": {str(result): int(count) for result, count in results.items()},
    }


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def conflict_states(facts: FactBase, conflicts: pd.DataFrame) -> pd.DataFrame:
    """The conflicts (analysis.all_conflicts' rows) with `state` (open, settled, or '' where the
    fact base does not mark it), `settled_by` and `resolution`. A conflict found by the date
    check is open. conflicts.csv's state columns are optional: absent, every declared conflict
    is unmarked."""
    declared = facts.conflicts.set_index("conflict_id")
    states, settled_by, resolutions = [], [], []
    for row in conflicts.itertuples():
        if row.conflict_id in declared.index:
            entry = declared.loc[row.conflict_id]
            state = _text(entry.get("state")).strip().lower()
            states.append(state if state in (OPEN, SETTLED) else UNMARKED)
            by = entry.get("settled_by")
            if not isinstance(by, tuple | list):
                by = [value for value in _text(by).split("|") if value.strip()]
            settled_by.append(tuple(str(value).strip() for value in by))
            resolutions.append(_text(entry.get("resolution")))
        else:
            states.append(OPEN)
            settled_by.append(())
            resolutions.append("")
    return conflicts.assign(state=states, settled_by=settled_by, resolution=resolutions)
