"""The reports index in reading order (render/index.py): the main overview first, then the
overviews by sending state, then country reports and other kinds, each group under a heading,
each report with a one-line description."""

from __future__ import annotations

import re

from thirdcountry.render.index import Entry, index_html


def record(title: str, **parameters) -> dict:
    return {
        "title": title,
        "parameters": parameters,
        "started": "2026-03-03T10:00:00Z",
        "files": {"html": "report.html", "pdf": "report.pdf"},
        "data": {"latest_event": "2026-03-03", "folder": "data", "content_hash": "h"},
    }


ENTRIES = [  # as collect() returns them: sorted by notebook, then slug
    Entry("agreement", "usa-can-2002", record("US–Canada agreement"), None),
    Entry("country", "albania", record("Albania", country="ALB"), None),
    Entry("country", "zimbabwe", record("Zimbabwe", country="ZWE"), None),
    Entry(
        "overview",
        "as-of-2025-01-26",
        record("Safe third country agreements", as_of="2025-01-26", data_dir="data"),
        None,
    ),
    # A run with --data names the data folder: the default overview still comes first.
    Entry("overview", "default", record("Safe third country agreements", data_dir="data"), None),
    Entry("overview", "sending-gbr", record("Sent by the UK", sending=["GBR"]), None),
    Entry("overview", "sending-usa", record("Sent by the US", sending=["USA"]), None),
]


def test_the_index_reads_main_overview_first_then_by_sending_state_then_countries():
    html = index_html(ENTRIES)
    headings = re.findall(r'<h2 id="([a-z]+)">([^<]+)</h2>', html)
    assert [h for _, h in headings] == [
        "Overview", "Overviews by sending state", "Country reports", "Agreement",
    ]  # fmt: skip
    order = re.findall(r'href="([a-z]+/[a-z0-9-]+)/report.html"', html)
    assert order == [
        "overview/default", "overview/as-of-2025-01-26",
        "overview/sending-gbr", "overview/sending-usa",
        "country/albania", "country/zimbabwe", "agreement/usa-can-2002",
    ]  # fmt: skip


def test_each_report_has_a_one_line_description_naming_its_scope():
    html = index_html(ENTRIES)
    descriptions = re.findall(r'<span class="description">([^<]+)</span>', html)
    assert len(descriptions) == len(ENTRIES)
    assert any("Every agreement" in d for d in descriptions)
    assert "The agreements under which the United States sends people" in html
    assert "as they stood on 2025-01-26" in html
    assert "Every agreement Albania is party to, its steps and events" in html


def test_index_cells_are_labelled_for_the_phone_layout():
    html = index_html(ENTRIES)
    assert html.count('data-label="Files"') == len(ENTRIES)
