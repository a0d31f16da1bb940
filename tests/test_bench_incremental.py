"""bench/incremental.py's helpers: the plan without pages, the edit, the count. No timing here."""

import csv
import sys
from pathlib import Path

from conftest import assemble_fact_base

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import incremental  # noqa: E402

from thirdcountry.facts import load_facts  # noqa: E402
from thirdcountry.render.plan import load_plan  # noqa: E402


def test_the_plan_without_pages_keeps_every_other_entry(tmp_path):
    plan = BENCH.parent / "reports.yml"
    plain = incremental.without_pages(plan, tmp_path / "plain.yml")
    facts = load_facts()
    notebooks = {job.notebook for job in load_plan(plan, facts)}
    assert notebooks == {"overview", "country", "agreement"}
    jobs = load_plan(plain, facts)
    assert {job.notebook for job in jobs} == {"overview", "country"}
    assert len(jobs) == len([job for job in load_plan(plan, facts) if job.notebook != "agreement"])


def test_the_edit_changes_one_events_note_and_keeps_the_fact_base_valid(tmp_path):
    data = assemble_fact_base(tmp_path / "data")
    before = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    edited = incremental.edit_event(data, None)
    after = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    assert edited == "gtm-signed"
    assert [a == b for a, b in zip(before, after, strict=True)].count(False) == 1
    with (data / "events.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["event_id"] == edited)
    assert row["note"].endswith("Checked again for the benchmark.")
    load_facts(data)


def test_the_render_summary_is_read():
    line = "rendered 3 of 13 reports in 20.1 s: 3 ok, 10 skipped (unchanged)"
    assert incremental.rendered_count(f"log\n{line}\n") == (3, 13)
    assert incremental.rendered_count("nothing") == (-1, -1)


def test_the_benchmark_renders_as_make_report_does():
    makefile = (BENCH.parent / "Makefile").read_text(encoding="utf-8")
    (line,) = [row for row in makefile.splitlines() if row.startswith("RENDER_FLAGS ?=")]
    assert tuple(line.split("?=", 1)[1].split()) == incremental.MAKE_REPORT_FLAGS
