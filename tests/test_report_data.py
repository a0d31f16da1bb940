"""Cite and reuse a report: beside it, the data package it was made from (facts.zip) and the CSV
tables it showed, both linked from it; in its About section, a suggested citation (title, date,
data hash, a URL placeholder)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from rendered import default_plan_reports, html_facts

from thirdcountry.facts.snapshot import load_snapshot
from thirdcountry.paths import DATA_PACKAGE_FILE, DESCRIPTOR_NAME
from thirdcountry.report.about import citation


def test_the_citation_names_title_dates_data_and_hash_and_no_placeholder():
    text = citation(
        "Safe third country agreements",
        as_of=dt.date(2025, 1, 26),
        made=dt.date(2026, 11, 30),
        data_title="Safe third country agreements: sourced facts",
        data_version="1.0.0",
        data_hash="a8794ab16f34",
    )
    assert text.text == (
        "Cite this report as: The thirdcountry contributors (2026). Safe third country "
        "agreements, facts as of 26 January 2025 [report, made 30 November 2026]. Data: Safe "
        "third country agreements: sourced facts, version 1.0.0, content hash a8794ab16f34."
    )
    assert "URL" not in text.markup and "of this report]" not in text.text
    assert "<cite>Safe third country agreements</cite>" in text.markup


def test_the_citation_escapes_a_title():
    text = citation("<b>x</b>", as_of=None, made=dt.date(2026, 1, 2), data_title="d",
                    data_version="", data_hash="h")  # fmt: skip
    assert "<b>" not in text.markup and "&lt;b&gt;x&lt;/b&gt;" in text.markup
    assert "facts as of" not in text.text and "version" not in text.text


def links(path) -> list[str]:
    return [value for tag, name, value in html_facts(path).urls if (tag, name) == ("a", "href")]


@pytest.fixture(scope="module")
def reports(default_plan):
    return default_plan_reports(default_plan)


@pytest.mark.slow
def test_every_report_keeps_the_data_package_it_was_made_from(reports):
    for report in reports:
        package = report.folder / DATA_PACKAGE_FILE
        assert package.is_file(), report.label
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
        assert DESCRIPTOR_NAME in names and "events.csv" in names, (report.label, names)
        facts = load_snapshot(package)
        html = report.html.read_text(encoding="utf-8")
        assert f"content hash {facts.content_hash}" in html, report.label
        assert DATA_PACKAGE_FILE in links(report.html), report.label


@pytest.mark.slow
def test_every_report_links_the_tables_it_shows_and_they_are_there(reports):
    for report in reports:
        tables = sorted(link for link in links(report.html) if link.startswith("tables/"))
        assert tables, report.label
        for link in tables:
            assert (report.folder / link).is_file(), (report.label, link)


@pytest.mark.slow
def test_every_about_section_suggests_a_citation(reports):
    for report in reports:
        html = report.html.read_text(encoding="utf-8")
        title = html_facts(report.html).title
        (cited,) = re.findall(r'<p class="tc-citation">(.*?)</p>', html, flags=re.S)
        cited_text = cited.replace("&#39;", "'").replace("&#x27;", "'")
        assert f"<cite>{title}</cite>" in cited_text, report.label
        assert re.search(r"content hash [0-9a-f]{12}", cited), report.label
        assert "[URL" not in html and "of this report]" not in html, report.label
