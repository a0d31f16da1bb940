"""Claims and their evidence: the stable anchor of every event, source, conflict and figure in a
report (`#event-<id>`, `#source-<id>`, `#conflict-<id>`, `#figure-<id>`), and which of them back
each generated claim: a key finding, a status cell, a "What changed" line, a figure.

Pure functions; report/evidence_appendix.py draws the entries the anchors point at.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

KINDS = ("event", "source", "conflict", "figure")
Ref = tuple[str, str]  # (kind, id): ("event", "can-stca-in-force")
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def anchor(kind: str, item_id: str) -> str:
    """'event-can-stca-in-force': the element id of an item's evidence entry.

    Every stored id already matches [a-z0-9][a-z0-9-]* and is used as it is, so an anchor never
    changes between runs. Any other id (a detected conflict's 'detected-x-in_force') is slugged
    and gets the first 8 hex digits of its SHA-1, so two ids never share an anchor."""
    if kind not in KINDS:
        raise ValueError(f"unknown evidence kind {kind!r}; one of {', '.join(KINDS)}")
    if SAFE_ID.fullmatch(item_id):
        return f"{kind}-{item_id}"
    slug = re.sub(r"[^a-z0-9]+", "-", item_id.lower()).strip("-")
    digest = hashlib.sha1(item_id.encode("utf-8")).hexdigest()[:8]
    return f"{kind}-{slug}-{digest}" if slug else f"{kind}-{digest}"


def finding_anchor(number: int) -> str:
    """'finding-2': where the appendix lists the evidence of the second key finding."""
    return f"finding-{number}"


# A claim cites at most this many items (a count over every agreement would fill pages at scale);
# the rest are rows of a full table beside the report, which the appendix names.
MOST_REFS = 50


@dataclass(frozen=True)
class Claim:
    """A generated sentence and the evidence behind it, the item it links to first.

    omitted: how many further items back it, left out (MOST_REFS), all in `table` (a CSV
    beside the report, e.g. 'tables/steps.csv')."""

    text: str
    refs: tuple[Ref, ...] = ()
    omitted: int = 0
    table: str = ""

    def capped(self, table: str, limit: int = MOST_REFS) -> Claim:
        """This claim citing its first `limit` items; the others counted, and found in `table`."""
        if len(self.refs) <= limit:
            return self
        return Claim(self.text, self.refs[:limit], len(self.refs) - limit + self.omitted, table)


def unique(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    return tuple(dict.fromkeys(refs))


# ---- which evidence backs which claim -------------------------------------------------------
def step_conflict_ids(
    agreement_id: str, step: str, event_ids: Iterable[str], conflicts: pd.DataFrame
) -> list[str]:
    """The conflicts about one step: the date conflict detected for it, and every declared
    conflict of the agreement (or of none) that names one of the step's events."""
    wanted = set(event_ids)
    found = []
    for conflict in conflicts.itertuples():
        detected = conflict.conflict_id == f"detected-{agreement_id}-{step}"
        declared = conflict.agreement_id in (agreement_id, "") and wanted & set(conflict.event_ids)
        if detected or declared:
            found.append(conflict.conflict_id)
    return found


def step_refs(step: Any, conflicts: pd.DataFrame) -> tuple[Ref, ...]:
    """A lifecycle step's evidence: the event that sets its date (the strongest source's) and,
    where sources disagree, the conflict first — a disputed step links to its conflict."""
    best: Ref = ("event", str(step.best_event_id))
    if not step.disputed:
        return (best,)
    involved = (
        step.best_event_id,
        *step.event_ids,
        *step.conflicting_event_ids,
    )
    ids = step_conflict_ids(step.agreement_id, step.step, involved, conflicts)
    return unique([*(("conflict", c) for c in ids), best])


def status_refs(
    status: pd.DataFrame, steps: pd.DataFrame, conflicts: pd.DataFrame
) -> dict[str, tuple[Ref, ...]]:
    """Each agreement's status cell → the step that set it (its conflict first when disputed).

    The step is the one the agreement has certainly reached (`current`); an agreement with no
    step yet has no evidence and no entry."""
    by_step = {(s.agreement_id, s.step): s for s in steps.itertuples(index=False)}
    refs = {}
    for row in status.itertuples(index=False):
        step = by_step.get((row.agreement_id, row.current))
        if step is not None:
            refs[row.agreement_id] = step_refs(step, conflicts)
        elif len(row.event_ids):
            refs[row.agreement_id] = tuple(("event", str(e)) for e in row.event_ids)
    return refs


def agreements_refs(
    agreement_ids: Iterable[str], refs_of: Mapping[str, tuple[Ref, ...]]
) -> tuple[Ref, ...]:
    """The evidence of several agreements' statuses, in the order given."""
    return unique(ref for a in agreement_ids for ref in refs_of.get(a, ()))


# A data change of a row in one of these tables is evidenced by the row itself.
CHANGED_ROW_KINDS = {"events": "event", "sources": "source", "conflicts": "conflict",
                     "figures": "figure"}  # fmt: skip


def change_refs(
    table: str,
    item_id: str,
    agreement_id: str = "",
    refs_of: Mapping[str, tuple[Ref, ...]] | None = None,
    events_of_verification: Mapping[str, str] | None = None,
    change: str = "added",
) -> tuple[Ref, ...]:
    """A "What changed" line's evidence: the event, source, conflict or figure added or corrected;
    a verification's event; an agreement's (or a status change's) status step. () when the
    change has no evidence entry of its own: a removed row (gone from the data), an entity, the
    table declarations."""
    if change == "removed":
        return ()
    kind = CHANGED_ROW_KINDS.get(table)
    if kind:
        return ((kind, item_id),)
    if table == "verifications" and events_of_verification and item_id in events_of_verification:
        return (("event", events_of_verification[item_id]),)
    if refs_of is not None:
        key = agreement_id or (item_id if table == "agreements" else "")
        return tuple(refs_of.get(key, ()))
    return ()


def conflicts_refs(conflicts: pd.DataFrame, first: Sequence[str] = ()) -> tuple[Ref, ...]:
    """Every conflict, those of the agreements in `first` before the rest."""
    order = {a: i for i, a in enumerate(first)}
    ranked = sorted(
        conflicts.itertuples(index=False), key=lambda c: order.get(c.agreement_id, len(order))
    )
    return tuple(("conflict", str(c.conflict_id)) for c in ranked)


# ---- what the appendix must hold --------------------------------------------------------------
def evidence_closure(
    refs: Iterable[Ref],
    events: pd.DataFrame,
    figures: pd.DataFrame,
    conflicts: pd.DataFrame,
) -> dict[str, list[str]]:
    """Every item the appendix shows for these references, by kind: the items themselves, each
    conflict's sides (its events and figures), and the source of every event and figure."""
    wanted: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
    for kind, item_id in refs:
        wanted[kind][item_id] = None
    by_id = conflicts.set_index("conflict_id") if len(conflicts) else None
    for conflict_id in list(wanted["conflict"]):
        if by_id is None or conflict_id not in by_id.index:
            raise KeyError(f"conflict {conflict_id!r} is cited but not among the report's")
        for event_id in by_id.loc[conflict_id, "event_ids"]:
            wanted["event"][event_id] = None
        for figure_id in by_id.loc[conflict_id, "figure_ids"]:
            wanted["figure"][figure_id] = None
    event_source = dict(zip(events["event_id"], events["source_id"], strict=True))
    figure_source = dict(zip(figures["figure_id"], figures["source_id"], strict=True))
    for event_id in wanted["event"]:
        wanted["source"][event_source[event_id]] = None
    for figure_id in wanted["figure"]:
        wanted["source"][figure_source[figure_id]] = None
    return {kind: list(ids) for kind, ids in wanted.items()}
