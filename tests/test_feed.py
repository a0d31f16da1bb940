"""The change feeds (reports/feed.atom, reports/feed.json) across scheduled runs.

Three runs on a copy of the small fixture fact base: a baseline; then an event added, one
corrected and a figure added; then nothing changed. The Atom is read back with feedparser, the
JSON Feed is checked against the JSON Feed 1.1 schema in tests/data, and the ids are checked
across the runs: stable, never repeated, the unchanged run's files byte for byte the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from conftest import assemble_fact_base

from thirdcountry.analysis.feed_changes import (
    CORRECTION,
    NEW_CONFLICT,
    NEW_EVENT,
    NEW_FIGURE,
    STATUS,
    feed_changes,
)
from thirdcountry.facts import load_facts
from thirdcountry.render.feed_files import (
    ATOM_FILE,
    JSON_FEED_FILE,
    feed_report_path,
    update_feeds,
)
from thirdcountry.render.outputs import Layout, session
from thirdcountry.report.feed import FEED_LIMIT, feed_entries, merge_entries

SCHEMA = json.loads((Path(__file__).parent / "data" / "jsonfeed-1.1.schema.json").read_text())
BASE_URL = "https://reports.example.net/tc/"
REPORT = "overview/default/report.html"
RUN_1 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
RUN_2 = dt.datetime(2026, 3, 1, 11, 0, tzinfo=dt.UTC)
RUN_3 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)

NEW_EVENT_ROW = {
    "event_id": "gtm-2025-signed",
    "date": "2025-03-14",
    "kind": "signed",
    "agreement_id": "us-gtm-2025",
    "actors": "usa|gtm",
    "summary": "The US and Guatemala signed the new deal",
    "certainty": "confirmed",
    "source_id": "wire-2025",
    "quote": "The two governments signed the deal on March 14",
    "date_basis": "stated",
    "note": "",
}
NEW_SOURCE_ROW = {
    "source_id": "wire-2025",
    "title": "Wire report on the new deal",
    "publisher": "Example Wire",
    "author": "",
    "published": "2025-05-02",
    "url": "https://wire.example.org/gtm-2025",
    "retrieved": "",
    "tier": "news",
    "text_file": "",
}
NEW_FIGURE_ROW = {
    "figure_id": "gtm-2025-sent-40",
    "agreement_id": "us-gtm-2025",
    "measure": "people_transferred",
    "value": "40",
    "unit": "people",
    "qualifier": "at_least",
    "basis": "cumulative",
    "date": "2025-04",
    "certainty": "reported",
    "source_id": "wire-2025",
    "quote": "At least 40 people have been sent under the new deal.",
    "note": "",
}


# ---- editing a fact base the way a person would: CSV rows ------------------------------------


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], records: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")


def add_row(path: Path, record: dict[str, str]) -> None:
    header, records = rows(path)
    write_rows(path, header, [*records, record])


def edit_cell(path: Path, key: str, item: str, column: str, value: str) -> None:
    header, records = rows(path)
    for record in records:
        if record[key] == item:
            record[column] = value
    write_rows(path, header, records)


def add_event(data: Path, record: dict[str, str] = NEW_EVENT_ROW) -> None:
    """Add an event (from the 2025 wire report, added first if it is not yet a source)."""
    if "wire-2025" not in (data / "sources.csv").read_text(encoding="utf-8"):
        add_row(data / "sources.csv", NEW_SOURCE_ROW)
    add_row(data / "events.csv", record)


def second_run_edits(data: Path) -> None:
    """An event added, one corrected (its quote), a figure added."""
    add_event(data)
    edit_cell(data / "events.csv", "event_id", "gtm-signed", "quote",
              "Signed at Washington on July 26 2019")  # fmt: skip
    add_row(data / "figures.csv", NEW_FIGURE_ROW)


# The overview the entries link into shows the evidence of what it says, with these anchors;
# the corrected event's is missing, so its entry links to the report's top.
REPORT_ANCHORS = ["event-gtm-2025-signed", "figure-gtm-2025-sent-40", "conflict-gtm-2025-count"]


def write_report(layout: Layout, anchors: list[str] = REPORT_ANCHORS) -> None:
    path = layout.root / REPORT
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'<section id="{anchor}">evidence</section>' for anchor in anchors)
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")


def run(layout: Layout, data: Path, when: dt.datetime):
    if not (layout.root / REPORT).exists():
        write_report(layout)
    with session(layout, quiet=True) as temp_dir:
        return update_feeds(layout, load_facts(data), temp_dir, when, BASE_URL, REPORT)


def feed_bytes(layout: Layout) -> dict[str, bytes]:
    return {name: (layout.root / name).read_bytes() for name in (ATOM_FILE, JSON_FEED_FILE)}


def parsed(layout: Layout):
    feed = feedparser.parse((layout.root / ATOM_FILE).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def check_json_feed(layout: Layout) -> dict:
    document = json.loads((layout.root / JSON_FEED_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    return document


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return assemble_fact_base(tmp_path / "data")


# ---- three runs ------------------------------------------------------------------------------


def test_three_runs_stable_ids_and_an_unchanged_run_changes_no_byte(tmp_path: Path, data: Path):
    layout = Layout(tmp_path / "reports")

    first = run(layout, data, RUN_1)
    assert first.written == (ATOM_FILE, JSON_FEED_FILE)
    run_1 = parsed(layout)
    ids_1 = [entry.id for entry in run_1.entries]
    assert first.added == len(ids_1) > 0  # the year before the latest event, for new readers
    assert len(set(ids_1)) == len(ids_1)
    check_json_feed(layout)

    second_run_edits(data)
    second = run(layout, data, RUN_2)
    run_2 = parsed(layout)
    ids_2 = [entry.id for entry in run_2.entries]
    assert len(set(ids_2)) == len(ids_2), "an id appears twice"
    new = [entry for entry in run_2.entries if entry.id not in ids_1]
    assert second.added == len(new)
    assert set(ids_1) <= set(ids_2), "a change of run 1 lost or changed its id"
    kinds = {entry.tags[0].term for entry in new}
    assert {"new event", "correction", "status change", "new figure"} <= kinds
    # each new entry is stamped with the run that found it; the old ones keep their time
    assert {entry.updated for entry in new} == {"2026-03-01T11:00:00+00:00"}
    assert {e.updated for e in run_2.entries if e.id in ids_1} == {"2026-03-01T10:00:00+00:00"}
    assert run_2.feed.updated == "2026-03-01T11:00:00+00:00"  # the newest entry's, not 'now'
    # new entries come first, each linking into the report at the fact's anchor
    assert [e.id for e in run_2.entries[: len(new)]] == [e.id for e in new]
    links = {entry.tags[0].term: entry.link for entry in new}
    assert links["new event"] == f"{BASE_URL}{REPORT}#event-gtm-2025-signed"
    assert links["correction"] == f"{BASE_URL}{REPORT}"  # the report has no anchor for it
    assert links["new figure"] == f"{BASE_URL}{REPORT}#figure-gtm-2025-sent-40"
    assert links["status change"] == f"{BASE_URL}{REPORT}#event-gtm-2025-signed"
    correction = next(e for e in new if e.tags[0].term == "correction")
    assert "'Signed at Washington July 26 2019'" in correction.title
    assert "'Signed at Washington on July 26 2019'" in correction.title
    document = check_json_feed(layout)
    assert [item["id"] for item in document["items"]] == ids_2
    assert document["items"][0]["date_modified"] == "2026-03-01T11:00:00Z"

    before = feed_bytes(layout)
    third = run(layout, data, RUN_3)
    assert (third.found, third.added, third.written) == (0, 0, ())
    assert feed_bytes(layout) == before, "an unchanged run rewrote a feed"
    assert [entry.id for entry in parsed(layout).entries] == ids_2


def test_a_run_that_loses_its_state_repeats_no_change(tmp_path: Path, data: Path):
    """Ids come from the changes' content: the same changes found again get the same ids."""
    layout = Layout(tmp_path / "reports")
    run(layout, data, RUN_1)
    ids = [entry.id for entry in parsed(layout).entries]
    (layout.root / "_feed" / "facts.zip").unlink()  # the comparison base is gone
    update = run(layout, data, RUN_2)
    assert update.added == 0
    assert [entry.id for entry in parsed(layout).entries] == ids


def test_a_run_killed_before_writing_the_feeds_is_repaired_by_the_next(tmp_path, data: Path):
    layout = Layout(tmp_path / "reports")
    run(layout, data, RUN_1)
    second_run_edits(data)
    run(layout, data, RUN_2)
    good = feed_bytes(layout)
    (layout.root / ATOM_FILE).write_bytes(b"half a feed")
    (layout.root / JSON_FEED_FILE).unlink()
    update = run(layout, data, RUN_3)
    assert update.added == 0 and set(update.written) == {ATOM_FILE, JSON_FEED_FILE}
    assert feed_bytes(layout) == good


def test_the_feed_keeps_the_newest_200_entries(tmp_path: Path, data: Path):
    layout = Layout(tmp_path / "reports")
    run(layout, data, RUN_1)
    first_ids = [entry.id for entry in parsed(layout).entries]
    for number in range(FEED_LIMIT + 10):
        add_event(data, {**NEW_EVENT_ROW, "event_id": f"statement-{number:03d}",
                                      "kind": "statement", "agreement_id": "",
                                      "summary": f"Statement {number}"})  # fmt: skip
    update = run(layout, data, RUN_2)
    assert update.added == FEED_LIMIT + 10 and update.entries == FEED_LIMIT
    entries = parsed(layout).entries
    assert len(entries) == FEED_LIMIT
    assert not set(first_ids) & {entry.id for entry in entries}  # the oldest went first
    assert len(check_json_feed(layout)["items"]) == FEED_LIMIT


# ---- the changes themselves (pure) -----------------------------------------------------------


def test_each_kind_of_change_is_found_with_its_values(tmp_path: Path, data: Path):
    old = load_facts(data)
    second_run_edits(data)
    add_row(data / "conflicts.csv", {
        "conflict_id": "gtm-2025-count", "agreement_id": "us-gtm-2025", "aspect": "value",
        "event_ids": "", "description": "Sources disagree on how many were sent.",
        "explanation": "", "figure_ids": "gtm-2025-sent-40|gtm-sent-24",
    })  # fmt: skip
    new = load_facts(data)
    changes = feed_changes(old, new)
    by_kind = {kind: [c for c in changes if c.kind == kind] for kind in
               (NEW_EVENT, CORRECTION, STATUS, NEW_CONFLICT, NEW_FIGURE)}  # fmt: skip
    assert [c.item_id for c in by_kind[NEW_EVENT]] == ["gtm-2025-signed"]
    assert [c.corrections for c in by_kind[CORRECTION]] == [(
        ("quote", "Signed at Washington July 26 2019", "Signed at Washington on July 26 2019"),
    )]  # fmt: skip
    [status] = by_kind[STATUS]
    assert (status.detail("before"), status.detail("after"), status.date) == (
        "negotiating", "signed", "2025-03-14")  # fmt: skip
    assert [c.target for c in by_kind[NEW_CONFLICT]] == [("conflict", "gtm-2025-count")]
    assert [c.target for c in by_kind[NEW_FIGURE]] == [("figure", "gtm-2025-sent-40")]
    assert changes == feed_changes(old, load_facts(data)), "not a function of the data alone"
    assert feed_changes(new, new) == []


def test_a_key_depends_on_the_content_not_the_time(data: Path):
    facts = load_facts(data)
    changes = feed_changes(None, facts)
    early = feed_entries(changes, RUN_1, REPORT, "example.net")
    late = feed_entries(changes, RUN_3, REPORT, "example.net")
    assert [e.id for e in early] == [e.id for e in late]
    assert len({e.id for e in early}) == len(early)
    merged, fresh = merge_entries(early, late)
    assert fresh == [] and merged == early  # found again: not new, keeps its first time


def test_a_step_that_moves_is_a_new_transition_but_an_inserted_one_does_not_repeat(data: Path):
    old = load_facts(data)
    add_event(data)
    middle = load_facts(data)
    [signed] = [c for c in feed_changes(old, middle) if c.kind == STATUS]
    edit_cell(data / "events.csv", "event_id", "gtm-2025-signed", "date", "2025-03-15")
    moved = [c for c in feed_changes(middle, load_facts(data)) if c.kind == STATUS]
    assert [c.date for c in moved] == ["2025-03-15"] and moved[0].key != signed.key


def test_the_report_linked_is_the_main_overview():
    formats = ("html", "pdf")
    plan = [("country", "country-gtm"), ("overview", "as-of-2025-01-26"), ("overview", "default")]
    assert feed_report_path(plan, formats) == "overview/default/report.html"
    assert feed_report_path(plan[:2], formats) == "overview/as-of-2025-01-26/report.html"
    assert feed_report_path(plan[:1], ("pdf",)) == "country/country-gtm/report.pdf"
    assert feed_report_path([], formats) == "index.html"


# ---- the command line ------------------------------------------------------------------------


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    from thirdcountry.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("url", ["reports.example.net/tc", "ftp://example.net/", "https://"])
def test_a_base_url_that_is_not_an_http_address_is_refused(capsys, tmp_path, data, url):
    code, _, err = run_cli(capsys, "render", "overview", "--data", data, "--out",
                           tmp_path / "reports", "--to", "html", "--if-changed",
                           "--base-url", url)  # fmt: skip
    assert code == 2
    assert f"thirdcountry render: --base-url: {url!r} is not an absolute http(s) address" in err
    assert not (tmp_path / "reports" / ATOM_FILE).exists()


def test_the_base_url_from_the_environment_is_checked_too(capsys, tmp_path, data, monkeypatch):
    monkeypatch.setenv("THIRDCOUNTRY_BASE_URL", "example.net/reports")
    code, _, err = run_cli(capsys, "render", "overview", "--data", data, "--out",
                           tmp_path / "reports", "--to", "html", "--if-changed")  # fmt: skip
    assert code == 2 and "$THIRDCOUNTRY_BASE_URL: 'example.net/reports'" in err


def test_help_names_the_feeds_and_relative_links_by_default(capsys):
    with pytest.raises(SystemExit):
        run_cli(capsys, "render", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "--base-url URL" in out and "example.org" not in out
    assert "links relative to the reports folder" in out
    assert "reports/feed.atom" in out and "reports/feed.json" in out


def test_without_a_base_url_the_feeds_link_relative_to_the_reports_folder(tmp_path, data):
    layout = Layout(tmp_path / "reports")
    write_report(layout)
    with session(layout, quiet=True) as temp_dir:
        update_feeds(layout, load_facts(data), temp_dir, RUN_1, "", REPORT)
    atom = (layout.root / ATOM_FILE).read_text(encoding="utf-8")
    document = json.loads((layout.root / JSON_FEED_FILE).read_text(encoding="utf-8"))
    assert "example.org" not in atom and "example.org" not in json.dumps(document)
    assert "home_page_url" not in document and "feed_url" not in document  # absolute only
    assert document["items"] and all(i["url"].startswith(REPORT) for i in document["items"])
    assert {entry.link for entry in parsed(layout).entries} <= {
        f"{REPORT}{e['url'].removeprefix(REPORT)}" for e in document["items"]
    }


@pytest.mark.slow
def test_a_scheduled_run_without_a_base_url_says_once_that_feed_links_are_relative(
    capsys, tmp_path, data
):
    code, _, err = run_cli(capsys, "render", "overview", "--data", data, "--out",
                           tmp_path / "reports", "--to", "html", "--if-changed")  # fmt: skip
    assert code == 0, err[-2000:]
    assert err.count("no --base-url") == 1 and "relative to the reports folder" in err
    assert "example.org" not in (tmp_path / "reports" / JSON_FEED_FILE).read_text()


@pytest.mark.slow
def test_scheduled_renders_write_the_feeds_and_an_unchanged_one_leaves_them(capsys, tmp_path, data):
    out = tmp_path / "reports"
    argv = ["render", "overview", "--data", data, "--out", out, "--to", "html", "--if-changed",
            "--base-url", BASE_URL, "--quiet"]  # fmt: skip
    code, _, _ = run_cli(capsys, *argv)
    assert code == 0
    first = feed_bytes(Layout(out))
    entries = parsed(Layout(out)).entries
    report = f"{BASE_URL}overview/default/report.html"
    assert entries and all(entry.link.split("#")[0] == report for entry in entries)
    html = (out / "overview" / "default" / "report.html").read_text(encoding="utf-8")
    assert html  # the report the entries link into exists
    code, _, _ = run_cli(capsys, *argv)  # skipped: nothing changed
    assert code == 0 and feed_bytes(Layout(out)) == first
    add_event(data)
    code, _, _ = run_cli(capsys, *argv)
    assert code == 0
    ids = [entry.id for entry in parsed(Layout(out)).entries]
    assert len(ids) == len(set(ids)) > len(entries)
    check_json_feed(Layout(out))


# ---- the index links the feeds ---------------------------------------------------------------


def test_the_index_links_and_announces_both_feeds(tmp_path: Path, data: Path):
    from html.parser import HTMLParser

    from thirdcountry.render.index import write_index

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.alternate: dict[str, str] = {}
            self.visible: dict[str, str] = {}
            self.in_head = True

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "body":
                self.in_head = False
            if tag == "link" and attrs.get("rel") == "alternate" and self.in_head:
                self.alternate[attrs["type"]] = attrs["href"]
            if tag == "a" and not self.in_head and attrs.get("type"):
                self.visible[attrs["type"]] = attrs["href"]

    layout = Layout(tmp_path / "reports")
    with session(layout, quiet=True) as temp_dir:
        write_index(layout, temp_dir)
    before = Links()
    before.feed(layout.index.read_text(encoding="utf-8"))
    assert before.alternate == before.visible == {}  # no scheduled run yet: no feeds to link
    run(layout, data, RUN_1)
    with session(layout, quiet=True) as temp_dir:
        write_index(layout, temp_dir)
    links = Links()
    links.feed(layout.index.read_text(encoding="utf-8"))
    expected = {"application/atom+xml": ATOM_FILE, "application/feed+json": JSON_FEED_FILE}
    assert links.alternate == expected and links.visible == expected
    for href in expected.values():
        assert (layout.root / href).is_file()


def test_entry_html_escapes_the_facts_text(data: Path):
    add_event(data, {**NEW_EVENT_ROW, "summary": "<script>alert(1)</script> & more",
                     "quote": 'He said "<b>no</b>"'})  # fmt: skip
    [event] = [c for c in feed_changes(None, load_facts(data)) if c.item_id == "gtm-2025-signed"
               and c.kind == NEW_EVENT]  # fmt: skip
    [entry] = feed_entries([event], RUN_1, REPORT, "example.net")
    assert (
        "<script>" not in entry.html
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in entry.html
    )
    assert "<b>" not in entry.html and "&lt;b&gt;no&lt;/b&gt;" in entry.html
    assert entry.title.startswith(
        "New event (14 March 2025): <script>"
    )  # plain text: escaped by each format


def test_an_unchanged_run_does_not_even_read_the_old_facts(tmp_path, data, monkeypatch):
    from thirdcountry.facts import snapshot

    layout = Layout(tmp_path / "reports")
    run(layout, data, RUN_1)
    before = feed_bytes(layout)

    def refuse(path):
        raise AssertionError("an unchanged run loaded the previous facts")

    monkeypatch.setattr(snapshot, "load_snapshot", refuse)
    update = run(layout, data, RUN_2)
    assert (update.found, update.added, update.written) == (0, 0, ())
    assert feed_bytes(layout) == before
