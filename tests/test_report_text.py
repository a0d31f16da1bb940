"""Generated sentences, escaping and parameter checks of the report layer."""

import datetime as dt

import pandas as pd
import pytest

from thirdcountry.analysis import all_conflicts, lifecycle_steps, select_events, status_as_of
from thirdcountry.report.findings import key_findings, status_phrase, status_sentence
from thirdcountry.report.safe_html import Html, esc, link, table


def _status_rows(*rows):
    return pd.DataFrame(
        [
            {"current": c, "possible": p, "status": " or ".join([c, *p]), "certain": not p}
            for c, p in rows
        ]
    )


@pytest.mark.parametrize(
    ("rows", "sentence"),
    [
        (
            [("in_force", ()), ("negotiating", ())],
            "As of 26 January 2025, 1 agreement is in force and 1 is being negotiated.",
        ),
        (
            [("in_force", ()), ("in_force", ()), ("signed", ())],
            "As of 26 January 2025, 2 agreements are in force and 1 is signed but not yet "
            "in force.",
        ),
        (
            [("termination_noticed", ("terminated",)), ("suspended", ()), ("in_force", ())],
            "As of 26 January 2025, 1 agreement is in force; 1 is suspended; and 1 is suspended "
            "with termination noticed, possibly terminated.",
        ),
        (
            [("no record", ())],
            "As of 26 January 2025, no agreement in this selection has a recorded step.",
        ),
        (
            [("no record", ("negotiating",))],
            "As of 26 January 2025, 1 agreement is possibly being negotiated.",
        ),
    ],
)
def test_status_sentence(rows, sentence):
    assert status_sentence(_status_rows(*rows), dt.date(2025, 1, 26)) == sentence


def test_status_phrase():
    assert status_phrase("in_force") == "in force"
    assert status_phrase("suspended", ("terminated",)) == "suspended, possibly terminated"


def test_key_findings_on_fixture(good_facts):
    day = dt.date(2021, 3, 1)
    sentences = key_findings(
        status_as_of(good_facts, day),
        day,
        all_conflicts(good_facts),
        select_events(good_facts),
        lifecycle_steps(good_facts),
    )
    assert sentences[0] == (
        "As of 1 March 2021, 1 agreement is in force and 1 is suspended, possibly terminated."
    )
    assert any("do not say whether it was already terminated" in s for s in sentences)
    assert any("not yet on record" in s for s in sentences)
    assert any(s.startswith("The latest event on record: The US suspended") for s in sentences)


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '" onmouseover="x'],
)
def test_data_text_is_escaped_everywhere(hostile):
    assert "<" not in esc(hostile).replace("&lt;", "")
    frame = pd.DataFrame({"a": [hostile], "b": [(hostile, "x")]})
    markup = table(frame, {"a": hostile, "b": "B"}).markup
    assert "<script" not in markup and "<img" not in markup and 'onmouseover="' not in markup


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_only_http_links_become_links(url):
    assert "href" not in link(url).markup


def test_http_links_are_links():
    assert link("https://example.org/a?b=1&c=2").markup == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">'
        "https://example.org/a?b=1&amp;c=2</a>"
    )


def test_html_has_plain_text_fallback():
    bundle = Html("<p>a &amp; b</p>")._repr_mimebundle_()
    assert bundle["text/plain"] == "a & b"
