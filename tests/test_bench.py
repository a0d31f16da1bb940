"""bench/: the plain script draws what the overview draws, and the spreads are computed right.

No timing here: performance is measured by bench/run.py, as ratios within one run."""

import re
import statistics
import sys
from pathlib import Path

import nbformat
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import plain_charts  # noqa: E402
import run  # noqa: E402


def test_the_plain_script_draws_every_chart_the_overview_shows():
    notebook = nbformat.read(BENCH.parent / "notebooks" / "overview.ipynb", 4)
    calls = [
        match[1]
        for cell in notebook.cells
        if cell.cell_type == "code"
        and (match := re.fullmatch(r"overview\.([\w.]+)\(\)", cell.source.strip()))
    ]
    charts = [name for name in calls if re.search(r"chart|board|timeline", name)]
    assert len(charts) >= 7
    assert list(plain_charts.CHARTS) == charts


def test_ratios_and_differences_carry_the_worst_pairing_as_their_spread():
    slow = run.Timing([10.0, 12.0, 11.0])
    fast = run.Timing([2.0, 2.5, 3.0])
    found = run.ratio("r", slow, fast, (">=", 4.0))
    assert found.value == pytest.approx(11.0 / 2.5)
    assert (found.low, found.high) == (pytest.approx(10 / 3), pytest.approx(6.0))
    assert found.verdict == ">= 4.00x: met"
    per = run.difference("d", slow, fast, per=2, target=("<=", 1.0))
    assert per.value == pytest.approx((11.0 - 2.5) / 2)
    assert (per.low, per.high) == (pytest.approx(3.5), pytest.approx(5.0))
    assert per.verdict == "<= 1.00 s: MISSED"


def test_dask_overhead_is_the_median_of_the_pairs_so_load_between_pairs_cancels():
    # The second pair ran on a busier machine: both of its runs are slower.
    more = run.paired_overhead("o", [105.0, 220.0, 99.0], [100.0, 200.0, 100.0], ("<", 0.1))
    assert more.value == pytest.approx(0.05) and more.verdict == "< +10.0%: met"
    assert (more.low, more.high) == (pytest.approx(-0.01), pytest.approx(0.1))
    worse = run.paired_overhead("o", [115.0, 111.0], [100.0, 100.0], ("<", 0.1))
    assert worse.value == pytest.approx(0.13) and worse.verdict == "< +10.0%: MISSED"
    with pytest.raises(ValueError, match="as many"):
        run.paired_overhead("o", [1.0], [1.0, 2.0])


def test_results_need_both_timings_and_the_archive_shows_dask_only_when_measured():
    timings = {
        "archive_pool_jobs2_html": run.Timing([87.0, 90.0], cpu=[300.0, 310.0]),
        "plain_script": run.Timing([2.0]),
    }
    names = [result.name for result in run.derive(timings, 87)]
    assert names == ["6. archive (87 overviews, HTML): local pool, per report"]
    timings["archive_dask_local2_html"] = run.Timing([95.0, 96.0], cpu=[320.0, 330.0])
    results = {r.name[:20]: r for r in run.derive(timings, 87)}
    assert len(results) == 4
    extra = results["6. Dask's extra time"]
    assert extra.value == pytest.approx((95.5 - 88.5) / 87)
    overhead = results["6. Dask's overhead p"]
    assert overhead.value == pytest.approx(statistics.median([95 / 87 - 1, 96 / 90 - 1]))
    cpu = results["6. the same in CPU t"]
    assert (cpu.low, cpu.high) == (pytest.approx(330 / 310 - 1), pytest.approx(320 / 300 - 1))
