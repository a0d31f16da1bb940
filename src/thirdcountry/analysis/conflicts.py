"""Conflicts between sources: declared in conflicts.csv, or date conflicts found in events.

A declared conflict names events, figures (numbers sources give differently) or both, and is open
or settled (analysis/resolutions.py); a detected one is always open.
"""

from __future__ import annotations

import pandas as pd

from thirdcountry.analysis.resolutions import OPEN, conflict_state
from thirdcountry.analysis.steps import lifecycle_steps
from thirdcountry.facts import FactBase

CONFLICT_COLUMNS = [
    "conflict_id", "origin", "agreement_id", "aspect", "event_ids", "figure_ids", "source_ids",
    "description", "explanation", "state", "settled_by", "resolution",
]  # fmt: skip
# A side is an event (event_id set, kind its kind) or a figure (figure_id set, kind its measure).
SIDE_COLUMNS = [
    "conflict_id", "event_id", "figure_id", "date", "kind", "source_id", "tier", "quote",
]  # fmt: skip


def all_conflicts(facts: FactBase, steps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Declared conflicts, then every disputed step date no declared conflict covers."""
    steps = lifecycle_steps(facts) if steps is None else steps
    event_source = dict(zip(facts.events["event_id"], facts.events["source_id"], strict=True))
    figure_source = dict(zip(facts.figures["figure_id"], facts.figures["source_id"], strict=True))
    rows = []
    declared_sets = []
    for row in facts.conflicts.itertuples():
        declared_sets.append(set(row.event_ids))
        rows.append(
            {
                "conflict_id": row.conflict_id,
                "origin": "declared",
                "agreement_id": row.agreement_id if pd.notna(row.agreement_id) else "",
                "aspect": str(row.aspect),
                "event_ids": row.event_ids,
                "figure_ids": row.figure_ids,
                "source_ids": tuple(
                    dict.fromkeys(
                        _sources_of(row.event_ids, event_source)
                        + _sources_of(row.figure_ids, figure_source)
                    )
                ),
                "description": row.description,
                "explanation": row.explanation if pd.notna(row.explanation) else "",
                "state": conflict_state(row),
                "settled_by": tuple(getattr(row, "settled_by", ()) or ()),
                "resolution": _text(getattr(row, "resolution", "")),
            }
        )
    dated = dict(zip(facts.events["event_id"], facts.events["date"], strict=True))
    for step in steps[steps["disputed"]].itertuples():
        involved = (step.best_event_id, *step.conflicting_event_ids)
        if any(set(involved) <= covered for covered in declared_sets):
            continue
        sides = "; ".join(f"{dated[event_id]} ({event_source[event_id]})" for event_id in involved)
        rows.append(
            {
                "conflict_id": f"detected-{step.agreement_id}-{step.step}",
                "origin": "detected",
                "agreement_id": step.agreement_id,
                "aspect": "date",
                "event_ids": involved,
                "figure_ids": (),
                "source_ids": _sources_of(involved, event_source),
                "description": f"Sources give different dates for {step.step}: {sides}.",
                "explanation": f"The status uses {dated[step.best_event_id]}, "
                f"from the strongest source ({event_source[step.best_event_id]}).",
                "state": OPEN,
                "settled_by": (),
                "resolution": "",
            }
        )
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)


def conflict_sides(facts: FactBase, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per event or figure on each side of each conflict, with its source and quote."""
    conflicts = all_conflicts(facts) if conflicts is None else conflicts
    events = facts.events.set_index("event_id")
    figures = facts.figures.set_index("figure_id")
    tiers = dict(zip(facts.sources["source_id"], facts.sources["tier"].astype(str), strict=True))
    rows = []
    for conflict in conflicts.itertuples():
        for event_id in conflict.event_ids:
            event = events.loc[event_id]
            rows.append(
                {
                    "conflict_id": conflict.conflict_id,
                    "event_id": event_id,
                    "figure_id": "",
                    "date": event["date"],
                    "kind": str(event["kind"]),
                    "source_id": event["source_id"],
                    "tier": tiers[event["source_id"]],
                    "quote": event["quote"],
                }
            )
        for figure_id in conflict.figure_ids:
            figure = figures.loc[figure_id]
            rows.append(
                {
                    "conflict_id": conflict.conflict_id,
                    "event_id": "",
                    "figure_id": figure_id,
                    "date": figure["date"],
                    "kind": str(figure["measure"]),
                    "source_id": figure["source_id"],
                    "tier": tiers[figure["source_id"]],
                    "quote": figure["quote"],
                }
            )
    return pd.DataFrame(rows, columns=SIDE_COLUMNS)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _sources_of(ids, source_of) -> tuple[str, ...]:
    return tuple(dict.fromkeys(source_of[i] for i in ids))
