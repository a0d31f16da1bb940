"""Readable on a phone: at 390 px neither the index nor a report scrolls sideways, tables
reflow, and charts keep a width their text can be read at, panning inside their own frame."""

from __future__ import annotations

import pytest
from rendered import OfflinePage, reports_in, run_thirdcountry

from thirdcountry.paths import DEFAULT_DATA_DIR

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}

MEASURE = """() => ({
  scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  charts: [...document.querySelectorAll('figure.chart')].map((f) => {
    const img = f.querySelector('img');
    const shown = img ? img.getBoundingClientRect().width : 0;
    return {frame: f.getBoundingClientRect().right, shown};
  }),
  tables: [...document.querySelectorAll('table')].filter(
    (t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
})"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The main overview and an overview by sending state, as HTML, with the index."""
    out = tmp_path_factory.mktemp("phone") / "reports"
    for extra in ([], ["-p", "sending=USA"]):
        argv = ["render", "overview", *extra, "--data", DEFAULT_DATA_DIR, "--out", out]
        process = run_thirdcountry(*argv, "--to", "html", "--quiet", timeout=900)
        assert process.returncode == 0, process.stderr[-3000:]
    return out


def test_nothing_scrolls_sideways_at_390_px_and_charts_stay_legible(rendered, browser):
    pages = [rendered / "index.html", *(report.html for report in reports_in(rendered))]
    assert len(pages) == 3
    for path in pages:
        with OfflinePage.open(browser, path, viewport=PHONE) as opened:
            seen = opened.page.evaluate(MEASURE)
        assert seen["scroll"] <= PHONE["width"], (path.name, seen["scroll"])
        assert seen["tables"] == 0, path
        for chart in seen["charts"]:
            assert chart["frame"] <= seen["client"] + 1  # the frame fits the screen
            assert chart["shown"] >= 700, (path, seen["charts"])  # 8 pt type stays ~10 px: legible
