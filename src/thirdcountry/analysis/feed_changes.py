"""What a change feed announces: the changes between two versions of a fact base, one per item.

Five kinds: a new event, a corrected event or figure (each edited field with its old and new
value), a status transition (an agreement reaching a lifecycle step on a date), a new conflict
and a new figure. Each change has a key computed from its content alone (its kind, the ids it
names and the values it states), never from when it was found: two runs that find the same
change give it the same key, so a feed can show it once.

A first run has nothing to compare with: it announces what happened in the year before the
latest event (the reports' default window), so a new subscriber starts with recent history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from thirdcountry.analysis.evidence import latest_event_date
from thirdcountry.analysis.fact_diff import fact_base_differences
from thirdcountry.analysis.status import NO_STATUS
from thirdcountry.analysis.steps import lifecycle_steps
from thirdcountry.facts import FactBase, parse_edtf
from thirdcountry.facts.dates import EDTFError

NEW_EVENT = "event"
CORRECTION = "correction"
STATUS = "status"
NEW_CONFLICT = "conflict"
NEW_FIGURE = "figure"
FEED_KINDS = (NEW_EVENT, CORRECTION, STATUS, NEW_CONFLICT, NEW_FIGURE)
# Tables whose edited rows the feed announces as corrections, and their id columns.
CORRECTED_TABLES = {"events": "event_id", "figures": "figure_id"}
FIRST_RUN_WINDOW_DAYS = 365
FIGURE_IDENTITY = ("measure", "value", "unit", "date")


@dataclass(frozen=True)
class FeedChange:
    """One change, as plain strings: what the feed entry says and where the report shows it."""

    kind: str  # one of FEED_KINDS
    item_id: str  # the event, agreement, conflict or figure it is about
    date: str  # the fact's own date (EDTF), '' when it has none
    target: tuple[str, str]  # the fact a report shows it by: ('event'|'conflict'|'figure', id)
    identity: tuple[str, ...]  # the ids and values that make it this change (hashed into key)
    details: tuple[tuple[str, str], ...] = ()  # (name, value) the entry shows
    corrections: tuple[tuple[str, str, str], ...] = ()  # (field, before, after)
    table: str = ""  # the table the row is in

    @property
    def key(self) -> str:
        """A hash of the kind and identity: the same change always has the same key."""
        canonical = json.dumps([self.kind, self.table, *self.identity], ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:24]

    def detail(self, name: str) -> str:
        return dict(self.details).get(name, "")


def feed_changes(
    old: FactBase | None, new: FactBase, since: dt.date | None = None
) -> list[FeedChange]:
    """Every change from `old` to `new`, newest fact first.

    With no `old` (a first run), the changes are what `new` holds dated after `since` (default: a
    year before its latest event): its events, the steps they set, the figures, and the
    conflicts that name any of them. Corrections need an old version, so a first run has none.
    """
    if old is None:
        return _first_run(new, since)
    names = _Names(new)
    changes = [_event(names, record) for record in _added(old, new, "events", "event_id")]
    changes += _corrections(old, new)
    old_steps = {_step_identity(step) for step in _steps(old)}
    changes += [
        _transition(names, step) for step in _steps(new) if _step_identity(step) not in old_steps
    ]
    changes += [_conflict(record) for record in _added(old, new, "conflicts", "conflict_id")]
    changes += [_figure(names, record) for record in _added(old, new, "figures", "figure_id")]
    return sort_changes(changes)


def sort_changes(changes: list[FeedChange]) -> list[FeedChange]:
    """Newest fact first (by the latest day its date allows), then by kind and id."""
    return sorted(
        changes,
        key=lambda c: (-_day_number(c.date), FEED_KINDS.index(c.kind), c.table, c.item_id, c.key),
    )


# ---- a first run -----------------------------------------------------------------------------


def _first_run(new: FactBase, since: dt.date | None) -> list[FeedChange]:
    if since is None:
        latest = latest_event_date(new)
        if latest is None:
            return []
        since = latest - dt.timedelta(days=FIRST_RUN_WINDOW_DAYS)
    start = since.toordinal()
    names = _Names(new)
    changes = [
        _event(names, record)
        for record in new.records.get("events", [])
        if _day_number(record.get("date", "")) > start
    ]
    changes += [_transition(names, step) for step in _steps(new)
                if _day_number(step["date_text"]) > start]  # fmt: skip
    figures = [
        _figure(names, record)
        for record in new.records.get("figures", [])
        if _day_number(record.get("date", "")) > start
    ]
    changes += figures
    named = {c.item_id for c in changes if c.kind == NEW_EVENT} | {c.item_id for c in figures}
    for record in new.records.get("conflicts", []):
        if named & set(_ids(record.get("event_ids", "")) + _ids(record.get("figure_ids", ""))):
            changes.append(_conflict(record))
    return sort_changes(changes)


# ---- one change of each kind -----------------------------------------------------------------


def _event(names: _Names, record: dict[str, str]) -> FeedChange:
    event_id = record.get("event_id", "")
    return FeedChange(
        kind=NEW_EVENT,
        table="events",
        item_id=event_id,
        date=record.get("date", ""),
        target=("event", event_id),
        identity=(event_id, *(record.get(name, "") for name in ("date", "source_id", "quote"))),
        details=_event_details(names, record),
    )


def _event_details(names: _Names, record: dict[str, str]) -> tuple[tuple[str, str], ...]:
    agreement_id = record.get("agreement_id", "")
    source_id = record.get("source_id", "")
    return (
        ("summary", record.get("summary", "")),
        ("event kind", record.get("kind", "")),
        ("date", record.get("date", "")),
        ("certainty", record.get("certainty", "")),
        ("agreement", names.title(agreement_id)),
        ("agreement_id", agreement_id),
        ("source", names.source(source_id)),
        ("source_id", source_id),
        ("tier", names.source(source_id, "tier")),
        ("quote", record.get("quote", "")),
    )


def _corrections(old: FactBase, new: FactBase) -> list[FeedChange]:
    edited: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for row in fact_base_differences(old, new):
        if row["change"] == "corrected" and row["table"] in CORRECTED_TABLES and row["field"]:
            edited.setdefault((row["table"], row["id"]), []).append(
                (row["field"], str(row["before"]), str(row["after"]))
            )
    names = _Names(new)
    changes = []
    for (table, item_id), fields in edited.items():
        record = _by_id(new, table, CORRECTED_TABLES[table]).get(item_id, {})
        is_event = table == "events"
        details = _event_details(names, record) if is_event else _figure_details(names, record)
        changes.append(
            FeedChange(
                kind=CORRECTION,
                table=table,
                item_id=item_id,
                date=record.get("date", ""),
                target=("event" if is_event else "figure", item_id),
                identity=(item_id, *(part for field in fields for part in field)),
                details=details,
                corrections=tuple(fields),
            )
        )
    return changes


def _steps(facts: FactBase) -> list[dict]:
    """Each agreement's lifecycle steps in order, each with the step before it."""
    if facts.agreements.empty:
        return []
    steps = lifecycle_steps(facts).sort_values(["agreement_id", "rank"])
    out: list[dict] = []
    previous: dict[str, str] = {}
    for step in steps.to_dict("records"):
        agreement_id = step["agreement_id"]
        step["before"] = previous.get(agreement_id, NO_STATUS)
        previous[agreement_id] = step["step"]
        step["date_text"] = str(step.get("date_text") or "")
        out.append(step)
    return out


def _step_identity(step: dict) -> tuple[str, str, str]:
    # Not the step before: a step added in between would otherwise re-announce the later one.
    return (step["agreement_id"], step["step"], step["date_text"])


def _transition(names: _Names, step: dict) -> FeedChange:
    agreement_id = step["agreement_id"]
    event_id = str(step.get("best_event_id") or "")
    return FeedChange(
        kind=STATUS,
        table="agreements",
        item_id=agreement_id,
        date=step["date_text"],
        target=("event", event_id) if event_id else ("", ""),
        identity=_step_identity(step),
        details=(
            ("agreement", names.title(agreement_id)),
            ("agreement_id", agreement_id),
            ("before", step["before"]),
            ("after", step["step"]),
            ("date", step["date_text"]),
            ("disputed", "yes" if step.get("disputed") else ""),
            ("event_id", event_id),
            ("source_id", str(step.get("best_source_id") or "")),
            ("source", names.source(str(step.get("best_source_id") or ""))),
        ),
    )


def _conflict(record: dict[str, str]) -> FeedChange:
    conflict_id = record.get("conflict_id", "")
    return FeedChange(
        kind=NEW_CONFLICT,
        table="conflicts",
        item_id=conflict_id,
        date="",
        target=("conflict", conflict_id),
        identity=(conflict_id, record.get("aspect", "")),
        details=(
            ("description", record.get("description", "")),
            ("aspect", record.get("aspect", "")),
            ("event_ids", ", ".join(_ids(record.get("event_ids", "")))),
            ("figure_ids", ", ".join(_ids(record.get("figure_ids", "")))),
        ),
    )


def _figure(names: _Names, record: dict[str, str]) -> FeedChange:
    figure_id = record.get("figure_id", "")
    return FeedChange(
        kind=NEW_FIGURE,
        table="figures",
        item_id=figure_id,
        date=record.get("date", ""),
        target=("figure", figure_id),
        identity=(figure_id, *(record.get(name, "") for name in FIGURE_IDENTITY)),
        details=_figure_details(names, record),
    )


def _figure_details(names: _Names, record: dict[str, str]) -> tuple[tuple[str, str], ...]:
    agreement_id = record.get("agreement_id", "")
    source_id = record.get("source_id", "")
    return (
        ("measure", record.get("measure", "")),
        ("value", record.get("value", "")),
        ("unit", record.get("unit", "")),
        ("qualifier", record.get("qualifier", "")),
        ("basis", record.get("basis", "")),
        ("date", record.get("date", "")),
        ("agreement", names.title(agreement_id)),
        ("agreement_id", agreement_id),
        ("source", names.source(source_id)),
        ("source_id", source_id),
        ("quote", record.get("quote", "")),
    )


# ---- helpers ---------------------------------------------------------------------------------


def _added(old: FactBase, new: FactBase, table: str, key: str) -> list[dict[str, str]]:
    """The rows of `new`'s table whose key `old` does not have, in file order."""
    before = _by_id(old, table, key)
    return [record for record in new.records.get(table, []) if record.get(key, "") not in before]


def _by_id(facts: FactBase, table: str, key: str) -> dict[str, dict[str, str]]:
    return {record.get(key, ""): record for record in facts.records.get(table, [])}


class _Names:
    """Agreement titles and source titles and tiers by id, looked up once per fact base."""

    def __init__(self, facts: FactBase):
        self.agreements = _by_id(facts, "agreements", "agreement_id")
        self.sources = _by_id(facts, "sources", "source_id")

    def title(self, agreement_id: str) -> str:
        return self.agreements.get(agreement_id, {}).get("title", "") if agreement_id else ""

    def source(self, source_id: str, name: str = "title") -> str:
        value = self.sources.get(source_id, {}).get(name, "")
        return value or (source_id if name == "title" else "")


def _ids(text: str) -> list[str]:
    return [part.strip() for part in str(text or "").split("|") if part.strip()]


def _day_number(edtf_text: str) -> int:
    """The latest day an EDTF date allows, as an ordinal; 0 for no or an unreadable date."""
    if not edtf_text:
        return 0
    try:
        date = parse_edtf(edtf_text)
    except EDTFError:  # an unchecked snapshot's odd date must not stop the feed; it sorts last
        return 0
    day = date.latest or date.earliest  # an open end ('2021-01-20/..') counts by its start
    return day.toordinal() if day is not None else 0
