"""The change feeds: reports/feed.atom (Atom, written with feedgen) and reports/feed.json (JSON
Feed 1.1), updated by every scheduled run.

    reports/feed.atom, reports/feed.json   the last 200 changes, newest first
    reports/_feed/state.json               the entries, each with when a run first found it
    reports/_feed/facts.zip                the facts the last feed update compared against

A run compares the fact base with the facts of the previous update (analysis.feed_changes),
words the changes (report.feed), adds those not yet in the feed, and writes both files from the
kept entries alone: the time of a run appears only in the entries it found, and the feed's own
`updated` is its newest entry's. So a run that finds nothing new leaves both files byte for byte
as they were. The state is written before the feeds, each file atomically (render.outputs): a
run killed in between leaves feeds the next run rewrites from the state.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.render.outputs import SNAPSHOT_FILE, Layout, write_atomic

ATOM_FILE = "feed.atom"
JSON_FEED_FILE = "feed.json"
FEED_STATE_DIR = "_feed"
STATE_FILE = "state.json"
STATE_VERSION = 1
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_TITLE = "thirdcountry: what changed in the fact base"
FEED_DESCRIPTION = (
    "Safe third country agreements: new events, corrected events and figures, status changes, "
    "new conflicts between sources and new figures, as each scheduled run finds them."
)
AUTHOR = "thirdcountry"
INDEX_PATH = "index.html"
ANCHOR = re.compile(r"""\sid=["']([^"']+)["']""")


@dataclass(frozen=True)
class FeedUpdate:
    """What an update did: changes found, new entries, entries kept, files rewritten."""

    found: int
    added: int
    entries: int
    written: tuple[str, ...]


def feed_report_path(reports: list[tuple[str, str]], formats: tuple[str, ...]) -> str:
    """The report the entries link into, relative to the reports folder: the plan's overview
    without parameters ('overview/default'), else its first overview, else its first report."""
    from thirdcountry.render.outputs import FILES

    ordered = (
        [r for r in reports if r == ("overview", "default")]
        + [r for r in reports if r[0] == "overview"]
        + list(reports)
    )
    if not ordered:
        return INDEX_PATH
    notebook, slug = ordered[0]
    return f"{notebook}/{slug}/{FILES['html' if 'html' in formats else 'pdf']}"


def report_anchors(layout: Layout, report_path: str) -> frozenset[str] | None:
    """The element ids of the HTML report the entries link into (a report shows the evidence of
    what it says, so an entry links to its fact's anchor only where the report has it); None
    for a PDF, whose destinations are not read here."""
    if not report_path.endswith(".html"):
        return None
    try:
        html = (layout.root / report_path).read_text(encoding="utf-8")
    except OSError:  # the report failed, or is not there yet: link its address
        return frozenset()
    return frozenset(ANCHOR.findall(html))


def feed_state_dir(layout: Layout) -> Path:
    return layout.root / FEED_STATE_DIR


def update_feeds(
    layout: Layout,
    facts,
    temp_dir: Path,
    found_at: dt.datetime,
    base_url: str,
    report_path: str = INDEX_PATH,
) -> FeedUpdate:
    """Compare `facts` with the previous update's, add what is new, write what differs.

    `report_path` is the report (relative to the reports folder) the entries link into;
    `base_url` makes the links and the feeds' own addresses absolute. Call it holding the
    reports folder's lock (render.outputs.session), with that session's temp dir.
    """
    from thirdcountry.analysis.feed_changes import feed_changes
    from thirdcountry.facts import FactBaseError
    from thirdcountry.facts.snapshot import load_snapshot, write_snapshot
    from thirdcountry.report.feed import (
        FeedEntry,
        feed_entries,
        merge_entries,
        tag_authority,
        timestamp,
    )

    state_dir = feed_state_dir(layout)
    state = _read_state(state_dir / STATE_FILE)
    kept = [FeedEntry.from_record(record) for record in state.get("entries", [])]
    previous = None
    snapshot = state_dir / SNAPSHOT_FILE
    # The usual hourly run: the facts are those of the last update, nothing to load or compare.
    changed = not (state.get("data") == facts.content_hash and snapshot.is_file())
    if changed and state and snapshot.is_file():
        try:
            previous = load_snapshot(snapshot)
        except FactBaseError:  # unreadable: start again from the recent window, ids unchanged
            previous = None
    if previous is not None and previous.content_hash == facts.content_hash:
        changed = False
    found = []
    if changed:
        changes = feed_changes(previous, facts)
        anchors = report_anchors(layout, report_path)
        found = feed_entries(changes, found_at, report_path, tag_authority(base_url), anchors)
    entries, fresh = merge_entries(kept, found)
    created = str(state.get("created") or timestamp(found_at))
    if changed or state.get("data") != facts.content_hash:
        staged = temp_dir / f"feed-{SNAPSHOT_FILE}"
        write_snapshot(facts, staged)
        state_dir.mkdir(parents=True, exist_ok=True)
        staged.replace(snapshot)
        record = {
            "version": STATE_VERSION,
            "created": created,
            "data": facts.content_hash,
            "entries": [entry.record() for entry in entries],
        }
        write_atomic(state_dir / STATE_FILE, _json(record), temp_dir)
    written = []
    for name, content in (
        (ATOM_FILE, atom_feed(entries, base_url, created)),
        (JSON_FEED_FILE, json_feed(entries, base_url).encode("utf-8")),
    ):
        target = layout.root / name
        if not target.is_file() or target.read_bytes() != content:
            write_atomic(target, content, temp_dir)
            written.append(name)
    return FeedUpdate(len(found), len(fresh), len(entries), tuple(written))


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return {}
    return state


def _json(record: object) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def absolute(base_url: str, path: str) -> str:
    """A path inside the reports folder as an absolute URL under the base URL; with no base URL,
    the path relative to the reports folder, where the feeds are."""
    if not base_url:
        return path.lstrip("/")
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def _when(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def feed_updated(entries, created: str) -> str:
    """The feed's own time: its newest entry's; the first update's while it has none."""
    return max((entry.updated for entry in entries), default=created)


def atom_feed(entries, base_url: str, created: str) -> bytes:
    """The Atom feed (RFC 4287) of the entries, newest first, as UTF-8 bytes."""
    from feedgen.feed import FeedGenerator

    from thirdcountry.report.feed import tag_authority

    generator = FeedGenerator()
    generator.id(f"tag:{tag_authority(base_url)},2025:thirdcountry/feed")
    generator.title(FEED_TITLE)
    generator.subtitle(FEED_DESCRIPTION)
    generator.author({"name": AUTHOR})
    generator.language("en")
    generator.link(href=absolute(base_url, INDEX_PATH), rel="alternate", type="text/html")
    generator.link(href=absolute(base_url, ATOM_FILE), rel="self", type=ATOM_TYPE)
    generator.generator(AUTHOR)  # feedgen's default names its version: not the feed's business
    # feedgen stamps the feed and each entry with the current time unless told otherwise.
    generator.updated(_when(feed_updated(entries, created)))
    for entry in entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.updated(_when(entry.updated))
        item.published(_when(entry.updated))
        item.link(href=absolute(base_url, entry.path), rel="alternate", type="text/html")
        item.summary(entry.text)
        item.content(entry.html, type="html")
        for tag in entry.tags:
            item.category(term=tag)
    return generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def json_feed(entries, base_url: str) -> str:
    """The JSON Feed 1.1 of the entries, newest first."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": FEED_TITLE,
        "description": FEED_DESCRIPTION,
        "language": "en",
        "authors": [{"name": AUTHOR}],
        "items": [
            {
                "id": entry.id,
                "url": absolute(base_url, entry.path),
                "title": entry.title,
                "content_html": entry.html,
                "content_text": entry.text,
                "date_published": entry.updated,
                "date_modified": entry.updated,
                "tags": list(entry.tags),
                "_thirdcountry": {
                    "kind": entry.kind,
                    "key": entry.key,
                    "fact_date": entry.date,
                },
            }
            for entry in entries
        ],
    }
    if base_url:  # the feed's own addresses must be absolute; without a base they are left out
        feed = {
            "version": feed["version"], "title": feed["title"],
            "home_page_url": absolute(base_url, INDEX_PATH),
            "feed_url": absolute(base_url, JSON_FEED_FILE),
            **{k: v for k, v in feed.items() if k not in ("version", "title")},
        }  # fmt: skip
    return _json(feed)
