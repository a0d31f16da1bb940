"""What changed, for a report: status changes in a date window (each dated by the step that made
it) and events, newest first; the data changes since a previous run, counted and dated.

Plain functions on the fact base; report/overview.py presents what they return.
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from thirdcountry.analysis.changes import compare_fact_bases
from thirdcountry.analysis.query import select_events
from thirdcountry.analysis.status import status_as_of
from thirdcountry.facts import FactBase, parse_edtf
from thirdcountry.paths import PREVIOUS_RUN_ENV

TRANSITION_COLUMNS = ["agreement_id", "title", "before", "after", "since", "changed_on"]


def begins(edtf_text: str) -> dt.date | None:
    """The first day an EDTF date may fall on (its latest for an open start); None if unreadable."""
    try:
        parsed = parse_edtf(edtf_text)
    except Exception:
        return None
    return parsed.earliest or parsed.latest


def ends(edtf_text: str) -> dt.date | None:
    """The last day an EDTF date may fall on (its earliest for an open end); None if unreadable."""
    try:
        parsed = parse_edtf(edtf_text)
    except Exception:
        return None
    return parsed.latest or parsed.earliest


def window_transitions(
    facts: FactBase, steps: pd.DataFrame, status: pd.DataFrame, since: dt.date
) -> pd.DataFrame:
    """Agreements whose status on the report date (`status`, analysis.status_as_of) differs from
    their status on `since`, newest first: `since` is the EDTF date of the step that set the new
    status, `changed_on` the last day it may fall on (what orders the rows; undated ones last)."""
    before = status_as_of(facts, since, steps).set_index("agreement_id")["status"]
    after = status.set_index("agreement_id")
    changed = after.index[after["status"] != before.reindex(after.index).fillna("none")]
    dates = [str(after.loc[a, "since"] or "") for a in changed]
    frame = pd.DataFrame(
        {
            "agreement_id": list(changed),
            "title": list(after.loc[changed, "title"]),
            "before": list(before.reindex(changed).fillna("none")),
            "after": list(after.loc[changed, "status"]),
            "since": dates,
            "changed_on": [pd.Timestamp(ends(d)) if ends(d) else pd.NaT for d in dates],
        },
        columns=TRANSITION_COLUMNS,
    )
    return frame.sort_values(
        ["changed_on", "title"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def newest_first(events: pd.DataFrame) -> pd.DataFrame:
    """Events, the most recent first: by the last day each may fall on, then the first; an
    event with no date last."""
    if events.empty:
        return events
    order = events.assign(
        _last=events["latest"].fillna(events["earliest"]),
        _first=events["earliest"].fillna(events["latest"]),
    )
    order = order.sort_values(
        ["_last", "_first", "event_id"],
        ascending=[False, False, True],
        na_position="last",
        kind="stable",
    )
    return order.drop(columns=["_last", "_first"]).reset_index(drop=True)


def previous_run_time() -> dt.datetime | None:
    """When this report's previous good run started, if a scheduled render says so."""
    text = os.environ.get(PREVIOUS_RUN_ENV, "").strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)


def data_changes(
    previous: FactBase,
    facts: FactBase,
    as_of: dt.date,
    *,
    countries: tuple[str, ...] = (),
    event_ids: set[str] | None = None,
    agreement_ids: list[str] | None = None,
) -> pd.DataFrame:
    """What was added, removed or corrected since `previous`; within a selection (event_ids and
    agreement_ids given), only its events and agreements, then and now."""
    changes = compare_fact_bases(previous, facts, as_of)
    if event_ids is not None and agreement_ids is not None:
        before = select_events(previous, countries=countries)
        events = set(event_ids) | set(before["event_id"])
        keep = ((changes["table"] != "events") | changes["id"].isin(events)) & (
            (changes["table"] != "agreements") | changes["id"].isin(agreement_ids)
        )
        changes = changes[keep]
    return changes.reset_index(drop=True)


def with_event_dates(changes: pd.DataFrame, previous: FactBase, facts: FactBase) -> pd.DataFrame:
    """An added event shows its date as the new value, a removed one as the old value."""
    changes = changes.copy()
    for change, base, column in (("added", facts, "after"), ("removed", previous, "before")):
        dates = dict(zip(base.events["event_id"], base.events["date"], strict=True))
        rows = (changes["change"] == change) & (changes["table"] == "events")
        changes.loc[rows, "field"] = "date"
        changes.loc[rows, column] = changes.loc[rows, "id"].map(dates).fillna("")
    return changes


def load_previous_facts(path: str) -> FactBase | None:
    """The facts of a report's previous good run from its snapshot; None if unreadable."""
    if not path:
        return None
    from pathlib import Path

    from thirdcountry.facts.snapshot import load_snapshot

    try:
        return load_snapshot(Path(path))
    except Exception:  # an unreadable snapshot costs the comparison, never the report
        return None


def dated_after(
    changes: pd.DataFrame, previous: FactBase, facts: FactBase, as_of: dt.date
) -> pd.Series:
    """Which data changes concern rows dated after `as_of` (by the row's first EDTF field)."""
    first_day: dict[tuple[str, str], dt.date | None] = {}
    for base in (previous, facts):
        for name, declared in base.schema.items():
            dated = [f.name for f in declared.fields if f.value_format == "edtf"]
            wanted = set(changes.loc[changes["table"] == name, "id"])
            if not dated or not wanted:
                continue
            for record in base.records.get(name, []):
                key = record.get(declared.primary_key, "")
                if key in wanted and record.get(dated[0]):
                    first_day[name, key] = begins(record[dated[0]])
    later = [
        change != "status" and (first_day.get((t, i)) or dt.date.min) > as_of
        for change, t, i in zip(changes["change"], changes["table"], changes["id"], strict=True)
    ]
    return pd.Series(later, index=changes.index, dtype=bool)


# How a table's row is named in "What changed" (singular, plural); any other table by its name.
ROW_NOUNS = {
    "descriptor": ("table declaration", "table declarations"),
    "files": ("file", "files"),
    "": ("data", "data"),
}


def change_text(change: str, table: str, count: int = 1) -> str:
    """'event added', '2 entities corrected', 'status changed': changes as a reader reads them."""
    if change == "status":
        noun = ("status", "statuses")
    else:
        singular = table[:-3] + "y" if table.endswith("ies") else table.removesuffix("s")
        noun = ROW_NOUNS.get(table, (singular, table))
    verb = "changed" if change == "status" else change
    return f"{noun[count != 1]} {verb}"


def counted_changes(changes: pd.DataFrame) -> list[tuple[str, int]]:
    """('events added', 2), ('source added', 1): the changes counted by kind, in order."""
    counts: dict[tuple[str, str], int] = {}
    for change, table in zip(changes["change"], changes["table"], strict=True):
        counts[change, table] = counts.get((change, table), 0) + 1
    return [(change_text(c, t, n), n) for (c, t), n in counts.items()]
