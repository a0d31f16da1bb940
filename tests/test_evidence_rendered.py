"""Every claim links to its evidence in what ships: the HTML and the PDF of every report of the
default plan (overviews and country reports).

HTML: every claim holds a link into the page, every `href="#..."` has its element, no id twice.
PDF: every internal link annotation leads to a named destination that exists, and every evidence
anchor a claim links to in the HTML is one of them (WeasyPrint turns `href="#x"` into a link to
the destination `x`; Chromium's PDFs are not checked here).
"""

from __future__ import annotations

import re

import pytest
from rendered import default_plan_reports

from thirdcountry.report.claim_check import check_links

pytestmark = pytest.mark.slow

EVIDENCE_ANCHOR = re.compile(r"(event|source|conflict|figure|finding)-[a-z0-9-]+")


@pytest.fixture(scope="module")
def reports(default_plan):
    return default_plan_reports(default_plan)


def test_every_claim_of_every_report_links_into_the_page(reports):
    problems = []
    for report in reports:
        found = check_links(report.html.read_text(encoding="utf-8"))
        if not found.claims:
            problems.append(f"{report.label}: no claims marked")
        if found.unlinked:
            problems.append(f"{report.label}: {found.unlinked} of {len(found.claims)} unlinked")
        if found.unresolved:
            problems.append(f"{report.label}: no target for {found.unresolved[:5]}")
        if found.duplicate_ids:
            problems.append(f"{report.label}: ids twice {found.duplicate_ids[:5]}")
    assert not problems, problems


def pdf_internal_links(pdf) -> tuple[list[str], set[str]]:
    """The destination names of a PDF's internal link annotations, and its named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if "/Dest" in annotation:
                targets.append(str(annotation["/Dest"]))
            elif action is not None and action.get("/S") == "/GoTo":
                targets.append(str(action["/D"]))
    return targets, set(reader.named_destinations)


def test_the_pdf_keeps_the_links_to_the_evidence_as_internal_links(reports):
    problems = []
    for report in reports:
        if not report.pdf.is_file():
            problems.append(f"{report.label}: no PDF")
            continue
        targets, destinations = pdf_internal_links(report.pdf)
        broken = sorted(set(targets) - destinations)
        if broken:
            problems.append(f"{report.label}: links to missing destinations {broken[:5]}")
        html = check_links(report.html.read_text(encoding="utf-8"))
        wanted = {h for h in html.hrefs if EVIDENCE_ANCHOR.fullmatch(h)}
        lost = sorted(wanted - set(targets))
        if not wanted or lost:
            problems.append(f"{report.label}: evidence links missing from the PDF {lost[:5]}")
    assert not problems, problems
