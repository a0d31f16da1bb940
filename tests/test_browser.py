"""Every report of the default plan in a real browser, opened from disk with the network cut off.

Each report is opened once (file://, every other request aborted and recorded), checked, and
photographed: its first screen is saved under tests/artifacts/browser/ (or
$THIRDCOUNTRY_ARTIFACTS/browser/). Needs Debian's chromium: skipped where it is missing, a
failure when CI is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rendered import (
    A4_CSS_PIXELS,
    OfflinePage,
    artifacts_dir,
    default_plan_reports,
    html_facts,
    need,
)

pytestmark = pytest.mark.slow

SCREEN = {"width": 1280, "height": 800}

DECODE_IMAGES = """async () => Promise.all([...document.images].map(async (img) => {
  let error = null;
  try { await img.decode(); } catch (e) { error = String(e); }
  return {alt: img.alt.slice(0, 70), complete: img.complete, width: img.naturalWidth,
          height: img.naturalHeight, error};
}))"""

# Follow every link of the contents (a real click) and see where the page lands. A heading near
# the end of the page cannot reach the top of the window; it must then be in view, scrolled to
# the bottom.
FOLLOW_CONTENTS = """() => {
  const results = [];
  for (const link of document.querySelectorAll('nav.toc a[href]')) {
    const href = link.getAttribute('href');
    const result = {href, problem: null};
    results.push(result);
    if (!href.startsWith('#')) { result.problem = 'does not point into the page'; continue; }
    const target = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!target) { result.problem = 'no element has this id'; continue; }
    if (!/^H[1-6]$/.test(target.tagName)) {
      result.problem = `lands on <${target.tagName.toLowerCase()}>, not a heading`; continue;
    }
    window.scrollTo(0, 0);
    link.click();
    const top = target.getBoundingClientRect().top;
    const bottom = document.documentElement.scrollHeight - window.innerHeight;
    const atBottom = Math.abs(window.scrollY - bottom) <= 2;
    if (decodeURIComponent(location.hash) !== decodeURIComponent(href)) {
      result.problem = `the address shows ${location.hash} after the click`;
    } else if (!(Math.abs(top) <= 2 || (atBottom && top >= 0 && top < window.innerHeight))) {
      result.problem = `the heading is ${Math.round(top)} px from the top after the click`;
    }
  }
  window.scrollTo(0, 0);
  return results;
}"""

IMAGE_BOXES = """() => [...document.images].map((img) => {
  const box = img.getBoundingClientRect();
  return {alt: img.alt.slice(0, 70), left: box.left, right: box.right, width: box.width,
          page: document.documentElement.clientWidth};
})"""


@dataclass
class Visit:
    """What one report showed in the browser."""

    path: Path
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    contents: list[dict] = field(default_factory=list)
    print_images: list[dict] = field(default_factory=list)
    screenshot: Path | None = None


def visit(browser, path: Path, screenshot: Path | None = None) -> Visit:
    """Open one report: checks on screen, a screenshot, then the A4 print layout."""
    seen = Visit(path)
    with OfflinePage.open(browser, path, viewport=SCREEN) as opened:
        page = opened.page
        if screenshot is not None:
            page.screenshot(path=screenshot)
            seen.screenshot = screenshot
        seen.images = page.evaluate(DECODE_IMAGES)
        seen.contents = page.evaluate(FOLLOW_CONTENTS)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_CSS_PIXELS[0], "height": A4_CSS_PIXELS[1]})
        seen.print_images = page.evaluate(IMAGE_BOXES)
        seen.outside_requests = opened.outside_requests
        seen.console_errors = list(opened.console_errors)
    return seen


def image_problems(seen: Visit) -> list:
    return [i for i in seen.images if i["error"] or not i["complete"] or i["width"] <= 0]


def contents_problems(seen: Visit) -> list:
    return [entry for entry in seen.contents if entry["problem"]]


def print_width_problems(seen: Visit) -> list:
    return [
        box
        for box in seen.print_images
        if box["width"] <= 0 or box["left"] < -0.5 or box["right"] > box["page"] + 0.5
    ]


@pytest.fixture(scope="module")
def visits(browser, default_plan) -> dict[str, Visit]:
    """Each report of the default plan, opened once; its first screen kept as an artifact."""
    shots = artifacts_dir("browser")
    return {
        report.label: visit(browser, report.html, shots / f"{report.notebook}--{report.slug}.png")
        for report in default_plan_reports(default_plan)
    }


def test_every_report_of_the_default_plan_is_opened(visits):
    labels = set(visits)
    assert {"overview/default", "overview/as-of-2025-01-26"} <= labels
    assert len([label for label in labels if label.startswith("country/")]) >= 2, labels


def test_no_console_errors(visits):
    errors = {label: v.console_errors for label, v in visits.items() if v.console_errors}
    assert not errors


def test_no_request_leaves_the_file(visits):
    """Every request other than the file itself was aborted and recorded: there must be none."""
    attempts = {label: v.outside_requests for label, v in visits.items() if v.outside_requests}
    assert not attempts


def test_every_image_is_decoded(visits):
    for label, seen in visits.items():
        assert len(seen.images) == len(html_facts(seen.path).images) > 0, label
    problems = {label: image_problems(seen) for label, seen in visits.items()}
    assert not {label: found for label, found in problems.items() if found}


def test_every_contents_link_lands_on_a_heading(visits):
    for label, seen in visits.items():
        assert len(seen.contents) == len(html_facts(seen.path).toc_links) > 0, label
    problems = {label: contents_problems(seen) for label, seen in visits.items()}
    assert not {label: found for label, found in problems.items() if found}


def test_charts_stay_within_the_a4_page_width_in_print(visits):
    for label, seen in visits.items():
        assert seen.print_images, label
        assert A4_CSS_PIXELS[0] - 20 <= seen.print_images[0]["page"] <= A4_CSS_PIXELS[0]
    problems = {label: print_width_problems(seen) for label, seen in visits.items()}
    assert not {label: found for label, found in problems.items() if found}


def test_a_screenshot_of_each_first_screen_is_kept(visits):
    for seen in visits.values():
        assert seen.screenshot is not None and seen.screenshot.is_file()
        assert seen.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---- the checks themselves catch what they look for ---------------------------------------------

BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>broken</title>
<link rel="stylesheet" href="https://fonts.example.org/font.css"></head><body><main>
<h1>Broken</h1>
<nav class="toc"><a href="#missing">missing</a> <a href="#para">not a heading</a></nav>
<p id="para">text</p>
<img src="https://example.org/chart.png" alt="fetched from the network">
<img src="data:image/png;base64,bm90IGFuIGltYWdl" alt="not a picture">
<img src="data:image/svg+xml;base64,{svg}" alt="too wide for the page">
<script>console.error("boom"); fetch("https://tracker.example.org/?x=1").catch(() => 0);</script>
</main></body></html>"""
WIDE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="10"></svg>'


def test_the_checks_catch_a_broken_page(browser, tmp_path):
    import base64

    page = tmp_path / "broken.html"
    svg = base64.b64encode(WIDE_SVG.encode()).decode()
    page.write_text(BROKEN_PAGE.replace("{svg}", svg), encoding="utf-8")
    seen = visit(browser, page)
    assert "https://fonts.example.org/font.css" in seen.outside_requests
    assert "https://example.org/chart.png" in seen.outside_requests
    assert "https://tracker.example.org/?x=1" in seen.outside_requests
    assert any("boom" in error for error in seen.console_errors)
    assert {i["alt"] for i in image_problems(seen)} >= {
        "fetched from the network",
        "not a picture",
    }
    assert [entry["href"] for entry in contents_problems(seen)] == ["#missing", "#para"]
    assert [box["alt"] for box in print_width_problems(seen)] == ["too wide for the page"]


def test_a_missing_browser_is_a_skip_here_and_a_failure_under_ci(monkeypatch):
    need(True, "present")  # nothing happens
    for value in ("", "false", "0"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.skip.Exception, match="make browser"):
            need(False, "no chromium at /nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        need(None, "no chromium at /nowhere")
