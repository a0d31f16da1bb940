"""Which declared conflicts the evidence has settled, and what settles them.

A settled conflict (conflicts.csv state 'settled') no longer marks its events and figures as
disputed; the ids in its settled_by are the ones that hold. Fact bases whose descriptor predates
the state column have only open conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from thirdcountry.facts import FactBase

OPEN, SETTLED = "open", "settled"


@dataclass(frozen=True)
class Resolution:
    conflict_id: str
    event_ids: frozenset[str]
    figure_ids: frozenset[str]
    settled_by: tuple[str, ...]
    reason: str


def conflict_state(row) -> str:
    """'open' or 'settled' for a conflicts row (a namedtuple or a dict)."""
    value = row.get("state") if isinstance(row, dict) else getattr(row, "state", None)
    return SETTLED if isinstance(value, str) and value == SETTLED else OPEN


def resolutions(facts: FactBase) -> list[Resolution]:
    """Every settled conflict, with the events and figures it names and what settles it."""
    if "state" not in facts.conflicts.columns:
        return []
    found = []
    for row in facts.conflicts.itertuples():
        if conflict_state(row) != SETTLED:
            continue
        settled_by = tuple(getattr(row, "settled_by", ()) or ())
        reason = getattr(row, "resolution", "")
        found.append(
            Resolution(
                row.conflict_id,
                frozenset(row.event_ids),
                frozenset(row.figure_ids),
                settled_by,
                "" if pd.isna(reason) else str(reason),
            )
        )
    return found


def open_figure_ids(facts: FactBase) -> set[str]:
    """Figures named by a conflict that is still open: the disputed ones."""
    settled = {r.conflict_id for r in resolutions(facts)}
    return {
        figure_id
        for conflict_id, ids in zip(
            facts.conflicts["conflict_id"], facts.conflicts["figure_ids"], strict=True
        )
        if conflict_id not in settled
        for figure_id in ids
    }
