"""Accessibility of every report of the default plan.

axe-core (the pinned node_modules/axe-core, installed by `make browser`) runs in each report page
in chromium: no serious and no critical violations, colour contrast included. Alt text and the
heading outline are read from the HTML itself, so they are checked even without a browser.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from rendered import AXE_JS, OfflinePage, default_plan_reports, html_facts, need

pytestmark = pytest.mark.slow

BLOCKING = ("serious", "critical")
STOCK_ALT = ("No description has been provided", "<Figure", "Figure(", "<matplotlib")
MIN_ALT_WORDS = 8

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {
    version: axe.version,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
    })),
    passes: result.passes.map((p) => p.id),
    incomplete: result.incomplete.map((i) => ({id: i.id, nodes: i.nodes.length})),
  };
}"""


@pytest.fixture(scope="module")
def axe_script() -> str:
    need(AXE_JS.is_file(), "axe-core is missing (node_modules/axe-core/axe.min.js)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe_results(axe_script, browser, default_plan) -> dict[str, dict]:
    """axe-core run in each report of the default plan (prerequisites checked before rendering)."""
    results = {}
    for report in default_plan_reports(default_plan):
        with OfflinePage.open(browser, report.html) as opened:
            opened.page.add_script_tag(content=axe_script)
            results[report.label] = opened.page.evaluate(RUN_AXE)
            assert not opened.outside_requests, (report.label, opened.outside_requests)
    return results


def _described(violations: dict[str, list[dict]]) -> str:
    lines = []
    for label, found in violations.items():
        for violation in found:
            lines.append(f"{label}: {violation['impact']} {violation['id']}: {violation['help']}")
            lines += [f"    {n['target']}: {n['summary']}" for n in violation["nodes"][:5]]
    return "\n".join(lines)


def test_axe_finds_no_serious_or_critical_violations(axe_results):
    every = {label: result["violations"] for label, result in axe_results.items()}
    if any(every.values()):
        print("axe-core violations (all impacts):\n" + _described(every))  # noqa: T201
    blocking = {
        label: [v for v in found if v["impact"] in BLOCKING] for label, found in every.items()
    }
    blocking = {label: found for label, found in blocking.items() if found}
    assert not blocking, "serious or critical axe-core violations:\n" + _described(blocking)


def test_colour_contrast_is_checked_and_passes(axe_results):
    for label, result in axe_results.items():
        failing = [v for v in result["violations"] if v["id"] == "color-contrast"]
        assert not failing, _described({label: failing})
        assert "color-contrast" in result["passes"], (label, json.dumps(result["incomplete"]))


def test_every_chart_has_meaningful_alt_text(default_plan):
    problems = []
    for report in default_plan_reports(default_plan):
        images = html_facts(report.html).images
        assert images, f"{report.label} shows no chart"
        alts = [image.get("alt", "") for image in images]
        for alt in alts:
            words = re.findall(r"\w+", alt)
            if any(stock in alt for stock in STOCK_ALT) or len(words) < MIN_ALT_WORDS:
                problems.append(f"{report.label}: {alt!r}")
        if len(set(alts)) != len(alts):
            problems.append(f"{report.label}: two charts share one alt text")
    assert not problems


def test_headings_form_an_outline(default_plan):
    """One h1 and it comes first; no level skipped on the way down (h2 -> h4)."""
    problems = []
    for report in default_plan_reports(default_plan):
        levels = [level for level, _, _ in html_facts(report.html).headings]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{report.label}: h1 headings {levels.count(1)}, first h{levels[0]}")
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                problems.append(f"{report.label}: h{before} followed by h{after}")
        if any(not text for _, _, text in html_facts(report.html).headings):
            problems.append(f"{report.label}: an empty heading")
    assert not problems


def test_axe_catches_a_page_with_problems(axe_script, browser, tmp_path):
    """The harness itself: axe-core runs, and finds what it should (grey on grey, no alt)."""
    page = tmp_path / "poor.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>poor</title></head><body><main>'
        '<h1>Poor</h1><p style="color:#aaa;background:#bbb">hard to read</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">'
        "</main></body></html>",
        encoding="utf-8",
    )
    with OfflinePage.open(browser, page) as opened:
        opened.page.add_script_tag(content=axe_script)
        result = opened.page.evaluate(RUN_AXE)
    found = {(v["id"], v["impact"]) for v in result["violations"]}
    assert {("color-contrast", "serious"), ("image-alt", "critical")} <= found, found
