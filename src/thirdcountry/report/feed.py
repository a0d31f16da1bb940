"""Change-feed entries: each change (analysis.feed_changes) in words, with its stable id and link.

Pure: the time a run found the changes and where the report is are given, nothing is read or
written here (render/feed_files.py keeps the state and writes the Atom and JSON feeds). An entry's
id is a tag URI made from the change's key, so it depends on the change's content only; its
`updated` is when a run first found it, kept from run to run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from thirdcountry.analysis.feed_changes import (
    CORRECTION,
    NEW_CONFLICT,
    NEW_EVENT,
    NEW_FIGURE,
    STATUS,
    FeedChange,
)
from thirdcountry.report.safe_html import esc

FEED_LIMIT = 200  # entries a feed keeps, newest first
# The tag URI's date: any day the authority (the base URL's host) was held; fixed, so ids never
# change from one run or year to the next.
TAG_DATE = "2025"
KIND_LABELS = {
    NEW_EVENT: "new event",
    CORRECTION: "correction",
    STATUS: "status change",
    NEW_CONFLICT: "new conflict",
    NEW_FIGURE: "new figure",
}
MEASURE_PHRASES = {
    "people_transferred": "{number} sent",
    "capacity": "room for {number} at most",
    "payment": "{number} paid or pledged",
    "people_left_onward": "{number} who left again",
}
QUALIFIER_WORDS = {"approximate": "about ", "at_least": "at least ", "at_most": "at most "}


@dataclass(frozen=True)
class FeedEntry:
    """One entry as both feeds show it. `path` is relative to the reports folder."""

    key: str  # the change's content key (FeedChange.key)
    id: str  # tag URI from the key
    kind: str  # FEED_KINDS
    title: str
    text: str  # plain-text content
    html: str  # escaped HTML content
    path: str  # 'overview/default/report.html#event-<id>'
    date: str  # the fact's own date (EDTF), '' when it has none
    updated: str  # when a run first found it: '2026-11-30T16:02:11Z'
    tags: tuple[str, ...] = ()

    def record(self) -> dict:
        """As kept in the feed's state between runs."""
        record = asdict(self)
        record["tags"] = list(self.tags)
        return record

    @classmethod
    def from_record(cls, record: dict) -> FeedEntry:
        text = {
            name: str(record.get(name) or "") for name in cls.__dataclass_fields__ if name != "tags"
        }
        return cls(**text, tags=tuple(str(tag) for tag in record.get("tags") or ()))


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC to the second: '2026-11-30T16:02:11Z'."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def tag_authority(base_url: str) -> str:
    """The tag URI's authority: the host of the base URL the feeds are published under."""
    return (urlsplit(base_url).hostname or "localhost").lower()


def tag_uri(authority: str, kind: str, key: str) -> str:
    return f"tag:{authority},{TAG_DATE}:thirdcountry/{kind}/{key}"


def feed_entries(
    changes: Iterable[FeedChange],
    found_at: dt.datetime,
    report_path: str,
    authority: str,
    anchors: Collection[str] | None = None,
) -> list[FeedEntry]:
    """An entry per change, in the changes' order; `report_path` is the report that shows them
    (relative to the reports folder). The link goes to the change's anchor in that report when
    `anchors` (the ids the report has; None: not known) holds it, else to the report's top."""
    updated = timestamp(found_at)
    entries = []
    for change in changes:
        title, text, html = _words(change)
        tags = [KIND_LABELS[change.kind]]
        agreement_id = change.detail("agreement_id")
        if agreement_id:
            tags.append(agreement_id)
        entries.append(
            FeedEntry(
                key=change.key,
                id=tag_uri(authority, change.kind, change.key),
                kind=change.kind,
                title=title,
                text=text,
                html=html,
                path=_link(report_path, anchor_name(*change.target), anchors),
                date=change.date,
                updated=updated,
                tags=tuple(tags),
            )
        )
    return entries


def anchor_name(kind: str, item_id: str) -> str:
    """The element id a report gives a fact's evidence (report.citations): 'event-<id>'; ''
    for no fact."""
    from thirdcountry.report.citations import anchor

    return anchor(kind, item_id) if kind and item_id else ""


def _link(report_path: str, anchor: str, anchors: Collection[str] | None) -> str:
    if anchor and (anchors is None or anchor in anchors):
        return f"{report_path}#{anchor}"
    return report_path


def merge_entries(
    kept: list[FeedEntry], found: list[FeedEntry], limit: int = FEED_LIMIT
) -> tuple[list[FeedEntry], list[FeedEntry]]:
    """(the feed's entries, the new ones): what was found and is not yet in the feed comes
    first, then what it kept; the newest `limit`. A change already in the feed keeps the time it
    was first found."""
    known = {entry.key for entry in kept}
    fresh: list[FeedEntry] = []
    for entry in found:
        if entry.key not in known:
            known.add(entry.key)
            fresh.append(entry)
    merged = sorted(fresh + list(kept), key=lambda e: e.updated, reverse=True)  # stable
    return merged[:limit], fresh


# ---- wording ---------------------------------------------------------------------------------


def _words(change: FeedChange) -> tuple[str, str, str]:
    """(title, plain text, HTML) for one change."""
    if change.kind == NEW_EVENT:
        return _event_words(change)
    if change.kind == CORRECTION:
        return _correction_words(change)
    if change.kind == STATUS:
        return _status_words(change)
    if change.kind == NEW_CONFLICT:
        return _conflict_words(change)
    return _figure_words(change)


def _event_words(change: FeedChange) -> tuple[str, str, str]:
    d = dict(change.details)
    when = human_date(change.date)
    title = f"New event ({when}): {d.get('summary') or change.item_id}"
    lines = _event_lines(d, when)
    return title, "\n".join(lines), _html(lines, d.get("quote", ""))


def _event_lines(d: dict[str, str], when: str) -> list[str]:
    kind = d.get("event kind", "").replace("_", " ")
    lines = [f"{d.get('summary', '')}".strip()]
    about = f"{kind.capitalize() or 'Event'}, {when}"
    if d.get("certainty"):
        about += f" ({d['certainty']})"
    if d.get("agreement"):
        about += f"; agreement: {d['agreement']}"
    lines.append(about)
    source = d.get("source", "")
    if source:
        lines.append(f"Source: {source}" + (f" ({d['tier']})" if d.get("tier") else ""))
    return [line for line in lines if line]


def _correction_words(change: FeedChange) -> tuple[str, str, str]:
    d = dict(change.details)
    what = "event" if change.table == "events" else "figure"
    name = d.get("summary") or _figure_name(d) or change.item_id
    edits = [f"{field} {_shown(before)} → {_shown(after)}"
             for field, before, after in change.corrections]  # fmt: skip
    title = f"Corrected {what} ({'; '.join(edits)}): {name}"
    lines = [f"The {what} '{name}' ({change.item_id}) was corrected."]
    lines += [f"{field} was {_shown(before)}, now {_shown(after)}"
              for field, before, after in change.corrections]  # fmt: skip
    if d.get("source"):
        lines.append(f"Source: {d['source']}")
    return title, "\n".join(lines), _html(lines, d.get("quote", ""))


def _status_words(change: FeedChange) -> tuple[str, str, str]:
    from thirdcountry.report.palette import status_label

    d = dict(change.details)
    when = human_date(change.date)
    before, after = status_label(d.get("before", "")), status_label(d.get("after", ""))
    agreement = d.get("agreement") or change.item_id
    title = f"{agreement}: {before} → {after} ({when})"
    lines = [f"Status of {agreement}: from {before} to {after}, {when}."]
    if d.get("disputed"):
        lines.append("The sources disagree on this date (disputed).")
    if d.get("source"):
        lines.append(f"Set by: {d['source']} (event {d.get('event_id', '')})")
    return title, "\n".join(lines), _html(lines)


def _conflict_words(change: FeedChange) -> tuple[str, str, str]:
    d = dict(change.details)
    title = f"New conflict: {d.get('description') or change.item_id}"
    lines = [d.get("description", "")]
    if d.get("aspect"):
        lines.append(f"What the sources disagree on: {d['aspect'].replace('_', ' ')}")
    if d.get("event_ids"):
        lines.append(f"Events: {d['event_ids']}")
    if d.get("figure_ids"):
        lines.append(f"Figures: {d['figure_ids']}")
    return title, "\n".join(line for line in lines if line), _html(lines)


def _figure_words(change: FeedChange) -> tuple[str, str, str]:
    d = dict(change.details)
    when = human_date(change.date)
    agreement = d.get("agreement") or d.get("agreement_id", "")
    title = f"New figure ({when}), {agreement}: {_figure_name(d)}"
    lines = [f"{_figure_name(d).capitalize()} ({when}); agreement: {agreement}"]
    if d.get("source"):
        lines.append(f"Source: {d['source']}")
    return title, "\n".join(lines), _html(lines, d.get("quote", ""))


def _figure_name(d: dict[str, str]) -> str:
    """'at least 19 people sent', 'USD 7,500,000 paid': the number and what it counts."""
    if not d.get("measure"):
        return ""
    number = _number(d.get("value", ""), d.get("unit", ""), d.get("qualifier", ""))
    phrase = MEASURE_PHRASES.get(d["measure"], "{number} (" + d["measure"].replace("_", " ") + ")")
    return phrase.format(number=number)


def _number(value: str, unit: str, qualifier: str) -> str:
    mark = QUALIFIER_WORDS.get(qualifier, "")
    try:
        amount = float(value)
    except ValueError:
        return f"{mark}{value} {unit}".strip()
    shown = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,}"
    if unit == "people":
        return f"{mark}{shown} {'person' if amount == 1 else 'people'}"
    return f"{mark}{unit} {shown}"


def human_date(edtf_text: str) -> str:
    """'2025-02-03' → '3 February 2025' (as the facts' dates say themselves); '' → 'no date'."""
    from thirdcountry.facts import parse_edtf
    from thirdcountry.facts.dates import EDTFError

    if not edtf_text:
        return "no date"
    try:
        return parse_edtf(edtf_text).human()
    except EDTFError:
        return edtf_text


def _shown(value: str) -> str:
    return f"'{value}'" if value else "(empty)"


def _html(lines: list[str], quote: str = "") -> str:
    parts = [f"<p>{esc(line)}</p>" for line in lines if line]
    if quote:
        parts.append(f"<blockquote>“{esc(quote)}”</blockquote>")
    return "".join(parts)
