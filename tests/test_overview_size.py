"""A short overview at every size: page counts on the shipped data and on it copied 40 times,
full tables as CSV beside the HTML and attached to the PDF, and tables that reflow on a phone.

The 40-times base is built once per test session (bench/scaled_base.py) and rendered once.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest
from rendered import OfflinePage, reports_in, run_thirdcountry

from thirdcountry.paths import DEFAULT_DATA_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from scaled_base import write_scaled_base

pytestmark = pytest.mark.slow

SHIPPED_PAGES, LARGE_PAGES = 16, 40


@pytest.fixture(scope="session")
def shipped_overviews(tmp_path_factory):
    """The default plan's two overviews (latest, and as of the seed article), HTML and PDF."""
    base = tmp_path_factory.mktemp("shipped-overviews")
    plan = base / "plan.yml"
    plan.write_text(
        "reports:\n  - notebook: overview\n  - notebook: overview\n"
        "    parameters: {as_of: 2025-01-26}\n",
        encoding="utf-8",
    )
    out = base / "reports"
    process = run_thirdcountry("render", "--plan", plan, "--data", DEFAULT_DATA_DIR, "--out", out,
                               "--to", "html,pdf", "--quiet", timeout=1200)  # fmt: skip
    assert process.returncode == 0, process.stderr[-3000:]
    found = reports_in(out)
    assert len(found) == 2
    return found


@pytest.fixture(scope="session")
def large_overview(tmp_path_factory):
    """The overview of the shipped data copied 40 times, HTML and PDF."""
    base = tmp_path_factory.mktemp("x40")
    data = write_scaled_base(DEFAULT_DATA_DIR, base / "data", 40)
    out = base / "reports"
    process = run_thirdcountry("render", "overview", "--data", data, "--out", out,
                               "--to", "html,pdf", "--quiet", timeout=1200)  # fmt: skip
    assert process.returncode == 0, process.stderr[-3000:]
    (report,) = reports_in(out)
    return base, report


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def test_the_overview_of_the_shipped_data_is_at_most_16_pages_beside_its_board(shipped_overviews):
    """As for 40 times the data: the status board grows with the agreements (a page-sized panel
    per about fifty, issue 26), everything else keeps to 16 pages."""
    found = {}
    for report in shipped_overviews:
        html = report.pdf.with_name("report.html").read_text(encoding="utf-8")
        panels = len(set(re.findall(r"This is part (\d+) of \d+:", html))) or 1
        found[report.label] = (page_count(report.pdf), panels)
    assert found and all(pages <= SHIPPED_PAGES + panels for pages, panels in found.values()), found


def test_the_overview_of_40_times_the_data_is_at_most_40_pages_beside_its_board(large_overview):
    """Every agreement is on the status board (issue 26: never a cap), a page-sized panel per
    about fifty; everything else keeps to 40 pages, its long tables attached to the PDF."""
    _, report = large_overview
    html = report.html.read_text(encoding="utf-8")
    parts = re.findall(r"This is part (\d+) of (\d+):", html)  # the panels' alt texts
    panels = int(parts[0][1]) if parts else 0
    assert len({k for k, _ in parts}) == panels
    pages = page_count(report.pdf)
    assert panels >= 2  # 40 times the agreements: the board grows
    assert pages <= LARGE_PAGES + panels, (pages, panels)


def test_long_tables_show_top_rows_and_link_the_full_csv(large_overview):
    base, report = large_overview
    html = report.html.read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(tables/[a-z0-9-]+\.csv)"', html))
    written = {p.relative_to(report.folder).as_posix() for p in report.folder.glob("tables/*")}
    assert "tables/steps.csv" in written and "tables/sources.csv" in written
    assert linked == written
    for name in written:
        text = (report.folder / name).read_text(encoding="utf-8")
        assert str(base) not in text and "/tmp/" not in text, name
    status = list(csv.reader(io.StringIO((report.folder / "tables/status.csv").read_text())))
    count = re.search(r"The first (\d+) of ([\d,]+) agreements", html)
    assert count, "the status table says how many rows it shows"
    shown, total = int(count[1]), int(count[2].replace(",", ""))
    assert shown < total == len(status) - 1  # the CSV has them all, and a header
    # The appendix shows the evidence the claims cite; the steps are all in the CSV, counted.
    steps = list(csv.reader(io.StringIO((report.folder / "tables/steps.csv").read_text())))
    count = re.search(r'href="tables/steps.csv" download>steps.csv</a> \(([\d,]+) steps\)', html)
    assert count and int(count[1].replace(",", "")) == len(steps) - 1


def test_the_conflict_explanation_appears_once_per_conflict(shipped_overviews):
    import csv as csv_module

    from markupsafe import escape

    for report in shipped_overviews:
        html = report.html.read_text(encoding="utf-8")
        path = DEFAULT_DATA_DIR / "conflicts.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            explanations = [r["explanation"] for r in csv_module.DictReader(handle)]
        for explanation in {e for e in explanations if len(e) > 40}:
            escaped = str(escape(explanation))  # as report.safe_html escapes
            assert html.count(escaped) <= explanations.count(explanation), explanation[:60]


# Where a cell's text breaks inside a word at phone width: a line that ends with a letter and
# the next begins with one, inside one word of the cell's text (Range rects per character).
TABLE_LAYOUT = """() => {
  const wide = [...document.querySelectorAll('table')].filter(t =>
      t.getBoundingClientRect().width > document.documentElement.clientWidth + 1);
  const broken = [];
  for (const td of [...document.querySelectorAll('td')].slice(0, 400)) {
    const style = getComputedStyle(td);
    if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all')
      broken.push(td.textContent.slice(0, 40));
  }
  return {wide: wide.length, broken};
}"""


def test_tables_reflow_at_400_px_and_never_break_inside_a_word(shipped_overviews, browser):
    for report in shipped_overviews:
        with OfflinePage.open(browser, report.html, viewport={"width": 400, "height": 800}) as page:
            found = page.page.evaluate(TABLE_LAYOUT)
        assert found["wide"] == 0, report.label
        assert not found["broken"], (report.label, found["broken"][:3])
