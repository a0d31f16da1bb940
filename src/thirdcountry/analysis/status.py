"""An agreement's status on any date, and its status history as intervals. Never stored: derived."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.analysis.evidence import last_evidence, not_confirmed_since
from thirdcountry.analysis.steps import lifecycle_steps
from thirdcountry.facts import FactBase

NO_STATUS = "no record"  # nothing on record yet for the agreement at that date

STATUS_COLUMNS = [
    "agreement_id", "title", "kind", "sending", "receiving", "status", "certain", "current",
    "possible", "since", "disputed", "event_ids", "last_evidence", "not_confirmed_since",
]  # fmt: skip
HISTORY_COLUMNS = [
    "agreement_id", "status", "start_earliest", "start_latest", "end_earliest", "end_latest",
    "disputed",
]  # fmt: skip


def status_as_of(
    facts: FactBase, as_of: dt.date | str, steps: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each agreement's status on `as_of`.

    The status is the furthest lifecycle step that has certainly happened by that date. Where a
    further step may or may not have happened (the date falls inside its uncertain interval), the
    status names both, e.g. 'termination_noticed or terminated', and `certain` is False.
    `last_evidence` is the agreement's latest evidence day by `as_of` (None: no record);
    `not_confirmed_since` repeats it when the status is shown more than 90 days after it.
    """
    day = pd.Timestamp(as_of)
    steps = lifecycle_steps(facts) if steps is None else steps
    # Plain Python over records: this runs per agreement, three times a report, and pandas'
    # per-row indexing made it the overview's largest cost on a large fact base.
    by_agreement: dict[str, list[dict]] = {}
    for step in steps.to_dict("records"):
        by_agreement.setdefault(step["agreement_id"], []).append(step)
    evidence = last_evidence(facts, day)
    rows = []
    for agreement in facts.agreements.itertuples():
        own = by_agreement.get(agreement.agreement_id, [])
        happened = [s for s in own if pd.notna(s["latest"]) and s["latest"] <= day]
        current = max(happened, key=lambda s: s["rank"]) if happened else None
        current_rank = current["rank"] if current is not None else -1
        possible = sorted(
            (
                s
                for s in own
                if (pd.isna(s["earliest"]) or s["earliest"] <= day)
                and not (pd.notna(s["latest"]) and s["latest"] <= day)
                and s["rank"] > current_rank
            ),
            key=lambda s: s["rank"],
        )
        current_name = current["step"] if current is not None else NO_STATUS
        names = [current_name, *(s["step"] for s in possible)]
        status = " or ".join(names)
        last = evidence.get(agreement.agreement_id)
        considered = ([current] if current is not None else []) + possible
        rows.append(
            {
                "agreement_id": agreement.agreement_id,
                "title": agreement.title,
                "kind": str(agreement.kind),
                "sending": agreement.sending,
                "receiving": agreement.receiving,
                "status": status,
                "certain": len(names) == 1,
                "current": current_name,
                "possible": tuple(s["step"] for s in possible),
                "since": current["date_text"] if current is not None else "",
                "disputed": any(bool(s["disputed"]) for s in considered),
                "event_ids": tuple(e for s in considered for e in s["event_ids"]),
                "last_evidence": last,
                "not_confirmed_since": not_confirmed_since(status, last, day),
            }
        )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def status_history(facts: FactBase, steps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Status periods per agreement, ready for a swimlane chart.

    A period starts somewhere between start_earliest and start_latest (equal when the date is
    exact) and ends when a later step begins (see _period_end). NaT marks an open bound: unknown
    start, or a
    period still running.
    """
    steps = lifecycle_steps(facts) if steps is None else steps
    rows = []
    for agreement_id, own in steps.groupby("agreement_id", sort=False):
        own = own.sort_values("rank")
        records = list(own.itertuples())
        for position, this in enumerate(records):
            end_earliest, end_latest = _period_end(this, records[position + 1 :])
            rows.append(
                {
                    "agreement_id": agreement_id,
                    "status": this.step,
                    "start_earliest": this.earliest,
                    "start_latest": this.latest,
                    "end_earliest": end_earliest,
                    "end_latest": end_latest,
                    "disputed": bool(this.disputed),
                }
            )
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for column in HISTORY_COLUMNS[2:6]:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _period_end(this, later: list) -> tuple[pd.Timestamp, pd.Timestamp]:
    """When a status period ends: as soon as any later step may have begun, and at the latest
    when the first later step has certainly begun. NaT end_latest: still running, or unknown."""
    if not later:
        return pd.NaT, pd.NaT
    starts = [step.earliest for step in later]
    # A later step with an open start may have come at once.
    end_earliest = this.earliest if any(pd.isna(start) for start in starts) else min(starts)
    if pd.notna(end_earliest) and pd.notna(this.earliest):
        end_earliest = max(end_earliest, this.earliest)
    certain = [step.latest for step in later if pd.notna(step.latest)]
    end_latest = min(certain) if certain else pd.NaT
    return end_earliest, end_latest


def history_as_of(history: pd.DataFrame, as_of: dt.date | str) -> pd.DataFrame:
    """The history as it was known on as_of: later periods dropped, periods that ended after
    as_of shown as still running."""
    day = pd.Timestamp(as_of)
    known = history[history["start_earliest"].isna() | (history["start_earliest"] <= day)].copy()
    later_end = known["end_earliest"].notna() & (known["end_earliest"] > day)
    known.loc[later_end, ["end_earliest", "end_latest"]] = pd.NaT
    # An end that may fall after as_of is only known to lie somewhere past its earliest day.
    open_end = known["end_latest"].notna() & (known["end_latest"] > day)
    known.loc[open_end, "end_latest"] = pd.NaT
    return known.reset_index(drop=True)
