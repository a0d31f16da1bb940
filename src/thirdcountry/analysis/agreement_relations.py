"""What an agreement's page relates it to: other agreements, and rulings and laws around it.

These rules read the fact base's rows as read (`FactBase.records`, cells as text), so that the
page (report/agreement_page.py) and its data key (analysis/input_slice.py) apply the same rule:
whatever the page shows from outside its own rows is in its slice by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

Records = Mapping[str, list[dict[str, str]]]

# The events that count as the legal frame around an agreement: a court's ruling or halt, a law,
# a designation (a safe third country, a terrorist organisation).
LEGAL_KINDS = ("ruling", "halted_by_court", "legislation", "designation")
SUPERSEDED_KIND = "superseded"
# The legal frame the contract types on its own: rulings, laws and policies that govern agreements
# (context_events.csv), each naming the agreements it governs in `agreement_ids`.
CONTEXT_TABLE = "context_events"
# Relations, strongest first: one agreement is listed once, under the first that holds.
SUPERSEDES = "supersedes"  # this agreement replaced the other
SUPERSEDED_BY = "superseded by"
MENTIONS = "named in this agreement's record"
MENTIONED_BY = "names this agreement"
SAME_PARTIES = "same parties"
RELATIONS = (SUPERSEDED_BY, SUPERSEDES, MENTIONS, MENTIONED_BY, SAME_PARTIES)


def values(cell: object) -> list[str]:
    """A cell's values: list cells are separated by '|'."""
    return [value.strip() for value in str(cell or "").split("|") if value.strip()]


@cache
def _mention_pattern(ids: tuple[str, ...]) -> re.Pattern[str] | None:
    if not ids:
        return None
    # Longest first, and never inside a longer id: 'us-can-stca' is not in 'us-can-stca-protocol'.
    alternatives = "|".join(re.escape(key) for key in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9-])({alternatives})(?![a-z0-9-])")


def mentioned_agreements(row: Mapping[str, str], agreement_ids: Iterable[str]) -> set[str]:
    """The agreement ids a row names, in a list cell or in its text."""
    pattern = _mention_pattern(tuple(sorted(set(agreement_ids))))
    if pattern is None:
        return set()
    found: set[str] = set()
    for cell in row.values():
        found.update(pattern.findall(str(cell or "")))
    return found


def agreement_ids(records: Records) -> list[str]:
    return [row.get("agreement_id", "") for row in records.get("agreements", [])]


def _agreement_rows(records: Records) -> dict[str, dict[str, str]]:
    return {row.get("agreement_id", ""): row for row in records.get("agreements", [])}


def related_agreements(records: Records, agreement_id: str) -> list[tuple[str, str]]:
    """(other agreement id, relation) pairs for one agreement (all_relations)."""
    return all_relations(records).get(agreement_id, [])


def all_relations(records: Records) -> dict[str, list[tuple[str, str]]]:
    """Per agreement, (other agreement id, relation) pairs, by RELATIONS' order, then by the
    file's order; in one pass over the rows.

    Superseded: an event of kind 'superseded' of one agreement names the one that replaced it
    (or agreements.csv has `supersedes` / `superseded_by` columns). Named: the agreement's notes
    or its events name the other, or the other's name this one. Same parties: the same set of
    parties."""
    rows = _agreement_rows(records)
    ids = [key for key in rows if key]
    found: dict[str, dict[str, str]] = {key: {} for key in ids}

    def note(one: str, other: str, relation: str) -> None:
        if one == other or one not in found or other not in found:
            return
        current = found[one].get(other)
        if current is None or RELATIONS.index(relation) < RELATIONS.index(current):
            found[one][other] = relation

    inverse = {SUPERSEDED_BY: SUPERSEDES, SUPERSEDES: SUPERSEDED_BY, MENTIONS: MENTIONED_BY}

    def both(one: str, other: str, relation: str) -> None:
        note(one, other, relation)
        note(other, one, inverse[relation])

    by_parties: dict[frozenset[str], list[str]] = {}
    for key, row in rows.items():
        for other in values(row.get("superseded_by")):
            both(key, other, SUPERSEDED_BY)
        for other in values(row.get("supersedes")):
            both(key, other, SUPERSEDES)
        for other in mentioned_agreements(row, ids):
            both(key, other, MENTIONS)
        parties = frozenset(values(row.get("parties")))
        if parties:
            by_parties.setdefault(parties, []).append(key)
    for event in records.get("events", []):
        owner = event.get("agreement_id", "")
        relation = SUPERSEDED_BY if event.get("kind") == SUPERSEDED_KIND else MENTIONS
        for other in mentioned_agreements(event, ids) - {owner}:
            both(owner, other, relation)
    for group in by_parties.values():
        for one in group:
            for other in group:
                note(one, other, SAME_PARTIES)
    order = {key: number for number, key in enumerate(ids)}
    return {
        key: sorted(pairs.items(), key=lambda item: (RELATIONS.index(item[1]), order[item[0]]))
        for key, pairs in found.items()
    }


def legal_context_rows(records: Records, agreement_id: str) -> list[tuple[str, int]]:
    """Rows of rulings and laws around one agreement (all_legal_context)."""
    return all_legal_context(records).get(agreement_id, [])


def all_legal_context(records: Records) -> dict[str, list[tuple[str, int]]]:
    """Per agreement, the rows of rulings and laws around it, as (table, row number): its own
    events of a legal kind; events of no agreement, of a legal kind, naming one of its parties
    as an actor; and the context events (context_events.csv) that name it in `agreement_ids`."""
    rows = _agreement_rows(records)
    found: dict[str, list[tuple[str, int]]] = {key: [] for key in rows if key}
    of_party: dict[str, list[str]] = {}
    for key, row in rows.items():
        for party in values(row.get("parties")):
            of_party.setdefault(party, []).append(key)
    for number, event in enumerate(records.get("events", [])):
        if event.get("kind") not in LEGAL_KINDS:
            continue
        owner = event.get("agreement_id", "")
        if owner:
            if owner in found:
                found[owner].append(("events", number))
            continue
        named = {key for actor in values(event.get("actors")) for key in of_party.get(actor, ())}
        for key in named:
            found[key].append(("events", number))
    for number, row in enumerate(records.get(CONTEXT_TABLE, [])):
        for key in {key for key in values(row.get("agreement_ids")) if key in found}:
            found[key].append((CONTEXT_TABLE, number))
    return found
