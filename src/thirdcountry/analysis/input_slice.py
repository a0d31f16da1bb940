"""The slice of the fact base a report reads, and one hash of it: a report's data key.

A report about one agreement reads that agreement's rows: the agreement, its events, figures,
conflicts and verifications, and every row those cite (sources, entities, the events on the other
side of a conflict, the stored texts). A country report reads its countries' agreements the same
way, plus the events that name the country as an actor. A report with no selection reads all of
it. Two fact bases whose slices for a report are equal give that report the same key, so a
scheduled render (`render --if-changed`) skips it.

Rows are matched by their cells' values, split at '|', never by column names: a table or column
added later (conflicts' `settled_by`, a table of legal context events) takes part as soon as the
descriptor declares it. Matching may take in a row the report does not show (it then renders once
more than needed); it never leaves out a row the report shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from thirdcountry.analysis.agreement_relations import (
    agreement_ids,
    all_legal_context,
    all_relations,
    mentioned_agreements,
)
from thirdcountry.paths import DESCRIPTOR_NAME

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase

# Tables whose rows a report reads only when something in its slice cites them: an agreement is
# in a slice by the scope's choice, a source or an entity by being cited.
CITED_ONLY = ("agreements", "sources", "entities")
# Tables no report with a selection shows: reviewed exceptions to the lint rules speak of the
# data's review, not of the facts (a whole-base report still keys on every file).
NOT_SHOWN = ("waivers",)
SEPARATOR = "|"


@dataclass(frozen=True)
class Scope:
    """What a report selects. Empty everywhere: the whole fact base.

    agreements: these agreement ids; parties: agreements naming any of these party codes (and
    events naming one as an actor); sending: agreements sent from one of these. Several given:
    agreements that pass every one. reads_latest_date: the report reads the fact base's latest
    event date (a report date that defaults to it, a 'facts current to' line)."""

    agreements: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    sending: tuple[str, ...] = ()
    reads_latest_date: bool = False

    @property
    def whole(self) -> bool:
        return not (self.agreements or self.parties or self.sending)


@dataclass(frozen=True)
class RowIndex:
    """Every row of a fact base by table, with the values each cites: built once per fact base,
    shared by every report's slice."""

    records: Mapping[str, list[dict[str, str]]]
    keys: Mapping[str, list[str]]  # table -> each row's primary key
    by_key: Mapping[str, list[tuple[str, int]]]  # a key -> the rows it names, in any table
    holders: Mapping[str, list[tuple[str, int]]]  # a value -> the rows citing it (not as key)
    file_digests: Mapping[str, str] = field(default_factory=dict)
    # Per agreement, what its page relates it to (analysis.agreement_relations).
    relations: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)
    legal_context: Mapping[str, list[tuple[str, int]]] = field(default_factory=dict)


def _values(cell: str) -> list[str]:
    return [value.strip() for value in cell.split(SEPARATOR) if value.strip()]


def row_index(facts: FactBase) -> RowIndex:
    """The index of a loaded fact base (its `records`, as read, and file digests)."""
    records = facts.records
    keys: dict[str, list[str]] = {}
    by_key: dict[str, list[tuple[str, int]]] = {}
    holders: dict[str, list[tuple[str, int]]] = {}
    ids = [key for key in agreement_ids(records) if key]
    for table, rows in records.items():
        schema = facts.schema.get(table)
        key_column = schema.primary_key if schema is not None else ""
        keys[table] = []
        for number, row in enumerate(rows):
            key = str(row.get(key_column, "")) if key_column else ""
            keys[table].append(key)
            if key:
                by_key.setdefault(key, []).append((table, number))
            cited: set[str] = set()
            for column, cell in row.items():
                if column != key_column and cell:
                    cited.update(_values(str(cell)))
            # An agreement named in a note or summary counts as cited (a page lists the
            # agreements that name it).
            cited |= mentioned_agreements(row, ids) - {key}
            for value in cited:
                holders.setdefault(value, []).append((table, number))
    return RowIndex(
        records,
        keys,
        by_key,
        holders,
        dict(facts.file_digests),
        all_relations(records),
        all_legal_context(records),
    )


def scope_agreements(index: RowIndex, scope: Scope) -> list[str]:
    """The agreement ids the scope selects, in the file's order."""
    parties = {code.lower() for code in scope.parties}
    sending = {code.lower() for code in scope.sending}
    wanted = set(scope.agreements)
    chosen = []
    keys, rows = index.keys.get("agreements", []), index.records.get("agreements", [])
    for key, row in zip(keys, rows, strict=True):
        if scope.agreements and key not in wanted:
            continue
        if parties and not parties & set(_values(row.get("parties", ""))):
            continue
        if sending and row.get("sending", "").lower() not in sending:
            continue
        chosen.append(key)
    return chosen


def report_slice(index: RowIndex, scope: Scope) -> dict[str, list[int]]:
    """The rows (by table, their numbers in file order) a report of this scope reads."""
    if scope.whole:
        return {table: list(range(len(rows))) for table, rows in index.records.items()}
    chosen = scope_agreements(index, scope)
    # A party's or a sending state's report also shows the events that name it without an
    # agreement (context): the codes are values those rows cite, like an agreement's id.
    about = set(chosen) | {code.lower() for code in (*scope.parties, *scope.sending)}
    included: set[tuple[str, int]] = set()
    for key in chosen:
        included.update(row for row in index.by_key.get(key, ()) if row[0] == "agreements")
        # What an agreement's page relates it to: the same rule as the page's.
        for other, _ in index.relations.get(key, ()):
            included.update(row for row in index.by_key.get(other, ()) if row[0] == "agreements")
        included.update(index.legal_context.get(key, ()))
    # The rows about the selection: those citing a chosen agreement or party, then those citing
    # any of these rows (a conflict citing an event, the verification of an event), and so on.
    frontier = list(about)
    while frontier:
        value = frontier.pop()
        for table, number in index.holders.get(value, ()):
            if table in CITED_ONLY or table in NOT_SHOWN or (table, number) in included:
                continue
            included.add((table, number))
            key = index.keys[table][number]
            if key and key not in about:
                about.add(key)
                frontier.append(key)
    # What those rows cite: sources, entities, the other side's events, their agreements' rows.
    cited = list(included)
    while cited:
        table, number = cited.pop()
        for cell in index.records[table][number].values():
            for value in _values(str(cell or "")):
                for row in index.by_key.get(value, ()):
                    if row not in included:
                        included.add(row)
                        cited.append(row)
    return {
        table: sorted(number for name, number in included if name == table)
        for table in index.records
    }


def slice_files(index: RowIndex, rows: Mapping[str, Iterable[int]]) -> dict[str, str]:
    """The digests of the files the slice's rows name (a source's stored text), and of the
    descriptor, which every slice reads."""
    files = {DESCRIPTOR_NAME: index.file_digests.get(DESCRIPTOR_NAME, "")}
    for table, numbers in rows.items():
        for number in numbers:
            for cell in index.records[table][number].values():
                if cell in index.file_digests:
                    files[str(cell)] = index.file_digests[str(cell)]
    return dict(sorted(files.items()))


def slice_hash(
    index: RowIndex, scope: Scope, content_hash: str, latest_event: dt.date | None
) -> str:
    """One hash of the slice a report of this scope reads: equal slices, equal hashes.

    A whole-base scope is the fact base's content hash (every file), as before slices."""
    if scope.whole:
        return content_hash
    rows = report_slice(index, scope)
    document = {
        "rows": {
            table: [index.records[table][number] for number in numbers]
            for table, numbers in rows.items()
        },
        "files": slice_files(index, rows),
        "latest_event": latest_event.isoformat()
        if scope.reads_latest_date and latest_event
        else None,
    }
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=True)
    return "slice-" + hashlib.sha256(canonical.encode()).hexdigest()[:12]
