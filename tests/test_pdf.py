"""The PDF of every report of the default plan, read with pypdf, against its own HTML.

A4 pages; the report title as the PDF title; every section heading and key finding in the text;
every chart drawn as an image; no text placed outside the page.
"""

from __future__ import annotations

import pytest
from rendered import A4_POINTS, default_plan_reports, html_facts, pdf_facts, squeezed

pytestmark = pytest.mark.slow

TOLERANCE = 2.0  # points
# The smallest width a character of the report's fonts can have, as a share of the font size:
# used to tell, without the font's metrics, that a text run surely ends beyond the page edge.
NARROWEST_CHARACTER = 0.25


@pytest.fixture(scope="module")
def reports(default_plan):
    found = default_plan_reports(default_plan)
    missing = [report.label for report in found if not report.pdf.is_file()]
    assert not missing, f"no report.pdf for {missing}"
    return found


def test_every_page_is_a4(reports):
    problems = []
    for report in reports:
        for number, (width, height) in enumerate(pdf_facts(report.pdf).page_sizes, start=1):
            if abs(width - A4_POINTS[0]) > TOLERANCE or abs(height - A4_POINTS[1]) > TOLERANCE:
                problems.append(f"{report.label} page {number}: {width:.1f} x {height:.1f} pt")
    assert not problems


def test_pdf_title_is_the_report_title(reports):
    for report in reports:
        html = html_facts(report.html)
        h1 = [text for level, _, text in html.headings if level == 1]
        assert html.title and h1 and html.title == h1[0], report.label
        assert pdf_facts(report.pdf).title == html.title, report.label


def test_every_section_heading_and_key_finding_is_in_the_text(reports):
    problems = []
    for report in reports:
        html = html_facts(report.html)
        text = squeezed(pdf_facts(report.pdf).text)
        headings = [heading for level, _, heading in html.headings if level > 1]
        assert headings, report.label
        # Overviews and country reports open with key findings; an agreement page with its status.
        assert html.findings or report.notebook == "agreement", report.label
        for wanted in headings + html.findings:
            if squeezed(wanted) not in text:
                problems.append(f"{report.label}: {wanted!r}")
    assert not problems


def test_every_chart_is_drawn_as_an_image(reports):
    for report in reports:
        charts = len(html_facts(report.html).images)
        drawn = len(pdf_facts(report.pdf).drawn_images)
        assert charts > 0 and drawn >= charts, f"{report.label}: {charts} charts, {drawn} drawn"


def outside_the_page(facts) -> list[str]:
    """Runs of text (pypdf's text visitor) that start, or surely end, outside their page."""
    found = []
    for page, text, x, y, size in facts.runs:
        width, height = facts.page_sizes[page - 1]
        longest = max(len(line.strip()) for line in text.splitlines() or [text])
        least_end = x + NARROWEST_CHARACTER * size * longest
        if not (x >= -TOLERANCE and least_end <= width + TOLERANCE and 0 <= y <= height):
            found.append(f"p{page} at ({x:.0f}, {y:.0f}): {text[:60]!r}")
    return found


def test_no_text_runs_outside_the_page_box(reports):
    problems = []
    for report in reports:
        facts = pdf_facts(report.pdf)
        assert facts.runs, report.label
        problems += [f"{report.label} {problem}" for problem in outside_the_page(facts)]
    assert not problems, "\n".join(problems[:20])


def test_text_outside_the_page_is_found(tmp_path):
    """The check itself, on a PDF with a paragraph placed beyond the right edge and a line too
    long for the page."""
    import weasyprint

    html = (
        "<html><head><style>@page { size: A4; margin: 15mm }</style></head><body>"
        "<h1>Inside</h1><p style='position: absolute; left: 230mm; top: 20mm'>Beyond</p>"
        f"<p style='white-space: nowrap'>{'wide ' * 60}</p></body></html>"
    )
    path = tmp_path / "outside.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    found = outside_the_page(pdf_facts(path))
    assert len(found) == 2, found
    assert any("Beyond" in problem for problem in found), found
    assert any("wide wide" in problem for problem in found), found
