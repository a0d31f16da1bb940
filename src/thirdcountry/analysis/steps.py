"""Lifecycle steps: one per agreement and step kind, combining all evidence of its date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from thirdcountry.analysis.resolutions import resolutions
from thirdcountry.facts import CERTAINTIES, LIFECYCLE, TIERS, FactBase, parse_edtf

STEP_COLUMNS = [
    "agreement_id", "step", "rank", "earliest", "latest", "date_text", "event_ids", "source_ids",
    "best_event_id", "best_source_id", "disputed", "conflicting_event_ids",
]  # fmt: skip


@dataclass(frozen=True)
class _Evidence:
    event_id: str
    source_id: str
    tier: str
    certainty: str
    date_text: str
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def sort_key(self) -> tuple:
        width = (
            (self.latest - self.earliest).days
            if self.earliest is not None and self.latest is not None
            else 10**9
        )
        return (
            TIERS.index(self.tier),
            CERTAINTIES.index(self.certainty),
            width,
            self.earliest or dt.date.min,
            self.event_id,
        )


def lifecycle_steps(facts: FactBase) -> pd.DataFrame:
    """One row per (agreement, step) with the narrowest date all consistent evidence allows.

    The best source (official before news before tracker before reprint, then confirmed before
    reported, then the most precise date) sets the date; every other source whose interval overlaps
    it narrows it further. A source whose date cannot be reconciled marks the step as disputed,
    unless a settled conflict names it: then the events that settle it (settled_by) are taken first
    and the step is not disputed.
    Planned events are not evidence that a step happened. Event kinds that are not named after a
    step count as the step facts.STEP_OF_KIND gives (a court's halt is a pause).
    """
    tiers = dict(zip(facts.sources["source_id"], facts.sources["tier"].astype(str), strict=True))
    events = facts.events[facts.events["is_lifecycle"] & (facts.events["certainty"] != "planned")]
    # Grouped in plain Python: a pandas group per (agreement, step) cost more than the work.
    groups: dict[tuple[str, str], list[_Evidence]] = {}
    for row in events.itertuples():
        if pd.isna(row.agreement_id):
            continue
        # By the step an event brings about, so a court's halt and a government's pause are
        # evidence of one 'paused' step.
        key = (row.agreement_id, str(row.step))
        groups.setdefault(key, []).append(_evidence(row, tiers[row.source_id]))
    settled = resolutions(facts)
    holds = {event_id for r in settled for event_id in r.settled_by}
    rows = []
    for (agreement_id, step), found in sorted(groups.items()):
        evidence = sorted(found, key=lambda e: (e.event_id not in holds, e.sort_key))
        best = evidence[0]
        earliest, latest = best.earliest, best.latest
        used, conflicting = [best], []
        for other in evidence[1:]:
            if _overlaps(earliest, latest, other.earliest, other.latest):
                earliest = _max_date(earliest, other.earliest)
                latest = _min_date(latest, other.latest)
                used.append(other)
            else:
                conflicting.append(other)
        narrowed = (earliest, latest) != (best.earliest, best.latest)
        rows.append(
            {
                "agreement_id": agreement_id,
                "step": step,
                "rank": LIFECYCLE.index(step),
                "earliest": earliest,
                "latest": latest,
                "date_text": _edtf_interval(earliest, latest) if narrowed else best.date_text,
                "event_ids": tuple(e.event_id for e in used),
                "source_ids": tuple(dict.fromkeys(e.source_id for e in used)),
                "best_event_id": best.event_id,
                "best_source_id": best.source_id,
                "disputed": _disputed(best, conflicting, settled),
                "conflicting_event_ids": tuple(e.event_id for e in conflicting),
            }
        )
    frame = pd.DataFrame(rows, columns=STEP_COLUMNS)
    for column in ("earliest", "latest"):
        frame[column] = pd.to_datetime(frame[column].astype(object))
    return frame.sort_values(["agreement_id", "rank"], ignore_index=True)


def _disputed(best: _Evidence, conflicting: list[_Evidence], settled) -> bool:
    """Some conflicting evidence is left that no settled conflict naming it and the best covers."""
    return any(
        not any({best.event_id, other.event_id} <= r.event_ids | set(r.settled_by) for r in settled)
        for other in conflicting
    )


def _evidence(row, tier: str) -> _Evidence:
    parsed = parse_edtf(row.date)
    return _Evidence(
        row.event_id, row.source_id, tier, str(row.certainty), row.date,
        parsed.earliest, parsed.latest,
    )  # fmt: skip


def _overlaps(a0, a1, b0, b1) -> bool:
    return (a0 is None or b1 is None or a0 <= b1) and (a1 is None or b0 is None or a1 >= b0)


def _max_date(a, b):
    return b if a is None else a if b is None else max(a, b)


def _min_date(a, b):
    return b if a is None else a if b is None else min(a, b)


def _edtf_interval(earliest: dt.date | None, latest: dt.date | None) -> str:
    if earliest is not None and earliest == latest:
        return earliest.isoformat()
    start = earliest.isoformat() if earliest else ".."
    end = latest.isoformat() if latest else ".."
    return f"{start}/{end}"
