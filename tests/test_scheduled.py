"""Scheduled runs: --if-changed and --force, the lock and --wait, --keep N, logs, deploy/ examples.

The fast tests need no kernel: a report is skipped, or the render is stopped where a worker
would start. The slow ones render for real: three scheduled runs of one overview over changing
data, two runs at once, and a run killed mid-batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import assemble_fact_base
from nbformat.v4 import new_code_cell, new_notebook
from waiting import kernel_started, wait_for

from thirdcountry.cli import main
from thirdcountry.facts import load_facts
from thirdcountry.paths import CHECKED_DATA_ENV, PROJECT_ROOT
from thirdcountry.render import batch, history, job_planning, outputs, pool
from thirdcountry.render.index import collect, index_html
from thirdcountry.render.jobs import Settings, data_info
from thirdcountry.render.notebooks import find_notebook
from thirdcountry.render.plan import single_job

DEPLOY = PROJECT_ROOT / "deploy"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (INFO|WARNING|ERROR) \S")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def fake_good_run(reports: Path, data: Path, formats=("html",), started="2026-03-01T10:00:00Z"):
    """reports/overview/default as a good scheduled run with these inputs would leave it."""
    job = single_job(find_notebook("overview"), {})
    facts = load_facts(data)
    inputs = history.report_inputs(job.notebook_path, job.parameters, facts.content_hash, formats)
    folder = reports / "overview" / "default"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<p>the good report</p>")
    from thirdcountry.facts.snapshot import write_snapshot

    write_snapshot(facts, folder / "facts.zip")
    record = {"report": "overview/default", "outcome": "ok", "started": started,
              "inputs": inputs, "snapshot": "facts.zip", "files": {"html": "report.html"},
              "data": {"folder": data.name, "content_hash": facts.content_hash}}  # fmt: skip
    (folder / "run.json").write_text(json.dumps(record))
    return folder


@pytest.fixture
def no_workers(monkeypatch):
    """Fail the test if a worker (and so a kernel) would start."""

    def refuse(*args, **kwargs):
        raise AssertionError("a worker started")

    monkeypatch.setattr(batch, "start_pool", refuse)
    monkeypatch.setattr(pool, "render_one", refuse)


@pytest.fixture
def scheduled(tmp_path):
    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    return {"data": data, "reports": reports, "args": ["--data", data, "--out", reports,
                                                       "--to", "html"]}  # fmt: skip


# ---- what a report is made from --------------------------------------------------------------


def test_inputs_hash_covers_notebook_data_parameters_version_and_formats(tmp_path, monkeypatch):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    base = history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abc", ["html"])
    assert base == history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abc", ["html"])
    assert re.fullmatch(r"[0-9a-f]{16}", base["hash"])
    assert base["thirdcountry"] and re.fullmatch(r"[0-9a-f]{12}", base["code"])
    others = [
        history.report_inputs(notebook, {"as_of": "2025-01-27"}, "abc", ["html"]),
        history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abd", ["html"]),
        history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abc", ["html", "pdf"]),
    ]
    notebook.write_text('{"cells": []}')
    others.append(history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abc", ["html"]))
    monkeypatch.setattr(history, "code_fingerprint", lambda: {"version": "9.9", "code": "x"})
    others.append(history.report_inputs(notebook, {"as_of": "2025-01-26"}, "abc", ["html"]))
    assert len({base["hash"], *(other["hash"] for other in others)}) == 6


def test_inputs_hash_covers_pdf_engine_and_installed_packages(tmp_path, monkeypatch):
    # Switching to --pdf-engine chromium, or upgrading matplotlib or WeasyPrint, used to skip
    # every report as unchanged.
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    monkeypatch.setattr(history, "pdf_engine_version", lambda engine: f"{engine} 1.0")
    both = ["html", "pdf"]
    weasy = history.report_inputs(notebook, {}, "abc", both, "weasyprint")
    chromium = history.report_inputs(notebook, {}, "abc", both, "chromium")
    assert weasy["hash"] != chromium["hash"] and chromium["pdf_engine"] == "chromium 1.0"
    html_only = history.report_inputs(notebook, {}, "abc", ["html"], "weasyprint")
    assert html_only == history.report_inputs(notebook, {}, "abc", ["html"], "chromium")
    monkeypatch.setattr(
        history, "environment_fingerprint", lambda: {"python": "3.11.7", "packages": "other"}
    )
    upgraded = history.report_inputs(notebook, {}, "abc", both, "weasyprint")
    assert upgraded["hash"] != weasy["hash"]


def test_installed_packages_are_fingerprinted():
    from thirdcountry.provenance import installed_distributions

    installed = installed_distributions()
    assert any(line.startswith("matplotlib==") for line in installed)
    assert any(line.startswith("weasyprint==") for line in installed)
    assert re.fullmatch(r"[0-9a-f]{12}", history.environment_fingerprint()["packages"])


def test_a_report_is_rendered_again_with_another_pdf_engine(scheduled, monkeypatch):
    monkeypatch.setattr(history, "pdf_engine_version", lambda engine: f"{engine} 1.0")
    fake_good_run(scheduled["reports"], scheduled["data"], formats=("html", "pdf"))
    job = single_job(find_notebook("overview"), {})
    facts = load_facts(scheduled["data"])
    settings = Settings(
        layout=outputs.Layout(scheduled["reports"]),
        data=data_info(facts),
        formats=("html", "pdf"),
        if_changed=True,
    )
    _, skipped = job_planning.plan_jobs([job], settings)
    assert [r.label for r in skipped] == ["overview/default"]  # same engine: unchanged
    chromium = dataclasses.replace(settings, pdf_engine="chromium")
    plans, skipped = job_planning.plan_jobs([job], chromium)
    assert skipped == [] and list(plans) == ["overview/default"]


def test_previous_run_variables_have_the_same_names_in_render_and_report():
    from thirdcountry.analysis import what_changed
    from thirdcountry.render.execute import PER_REPORT_VARIABLES
    from thirdcountry.report import overview

    assert overview.PREVIOUS_SNAPSHOT_ENV == history.PREVIOUS_SNAPSHOT_ENV
    assert what_changed.PREVIOUS_RUN_ENV == history.PREVIOUS_RUN_ENV
    assert set(PER_REPORT_VARIABLES) == {
        history.PREVIOUS_SNAPSHOT_ENV,
        history.PREVIOUS_RUN_ENV,
        CHECKED_DATA_ENV,
    }


def test_a_kernel_never_inherits_another_reports_previous_run(tmp_path, monkeypatch):
    from thirdcountry.render.execute import kernel_environment

    monkeypatch.setenv(history.PREVIOUS_SNAPSHOT_ENV, "/elsewhere/facts.zip")
    assert history.PREVIOUS_SNAPSHOT_ENV not in kernel_environment(tmp_path)
    own = {history.PREVIOUS_RUN_ENV: "2026-03-01T10:00:00Z"}
    assert kernel_environment(tmp_path, own)[history.PREVIOUS_RUN_ENV] == "2026-03-01T10:00:00Z"


# ---- --if-changed and --force, without kernels -----------------------------------------------


def test_unchanged_report_is_skipped_without_starting_anything(capsys, scheduled, no_workers):
    folder = fake_good_run(scheduled["reports"], scheduled["data"])
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, out, err = run(capsys, "render", "overview", "--if-changed", *scheduled["args"])
    assert code == 0, err
    assert out.splitlines()[:2] == [
        out.splitlines()[0],
        "  overview/default: unchanged since its good run of 2026-03-01T10:00:00Z",
    ]
    assert re.match(r"rendered 0 of 1 report in [\d.]+ s: 0 ok, 1 skipped \(unchanged", out)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    lines = err.splitlines()
    assert all(LOG_LINE.match(line) for line in lines), err
    assert (
        "INFO skipped overview/default: unchanged since its good run of 2026-03-01T10:00:00Z"
        in (err)
    )
    assert lines[-1].endswith("render finished in " + lines[-1].split(" in ")[1])
    assert "0 ok, 0 failed, 1 skipped; exit 0" in lines[-1]
    # The index is rebuilt from what is there, and links the facts.
    index = (scheduled["reports"] / "index.html").read_text()
    assert 'href="overview/default/facts.zip"' in index


def test_changed_inputs_are_rendered_with_the_previous_run_for_the_kernel(
    capsys, scheduled, monkeypatch
):
    """--to html,pdf differs from the good run's html: rendered. So is anything with --force."""
    folder = fake_good_run(scheduled["reports"], scheduled["data"])
    seen = []

    def record_batch(executor, jobs, plans, context, summary, notify):
        seen.append((jobs, plans, context))

    monkeypatch.setattr(batch, "start_pool", lambda *args: None)
    monkeypatch.setattr(batch, "_run_batch", record_batch)
    args = ["--data", scheduled["data"], "--out", scheduled["reports"]]
    for extra in (["--if-changed", "--to", "html,pdf"], ["--force", "--to", "html"]):
        code, _, err = run(capsys, "render", "overview", *extra, *args)
        assert code == 0, err
    for jobs, plans, context in seen:
        assert [job.label for job in jobs] == ["overview/default"]
        plan = plans["overview/default"]
        assert plan.env == {
            history.PREVIOUS_RUN_ENV: "2026-03-01T10:00:00Z",
            history.PREVIOUS_SNAPSHOT_ENV: str((folder / "facts.zip").resolve()),
            CHECKED_DATA_ENV: context.settings.data.content_hash,
        }
        assert plan.compared_with["started"] == "2026-03-01T10:00:00Z"
        assert context.snapshot is not None and context.snapshot.name == "facts.zip"
    # Without --if-changed or --force, nothing about earlier runs reaches the kernel; the report
    # still keeps the data package it is made from (facts.zip), like every report.
    seen.clear()
    code, _, _ = run(capsys, "render", "overview", "--to", "html", *args)
    assert code == 0
    (jobs, plans, context), = seen  # fmt: skip
    assert plans["overview/default"].env == {CHECKED_DATA_ENV: context.settings.data.content_hash}
    assert context.snapshot is not None and context.snapshot.name == "facts.zip"


# ---- the lock --------------------------------------------------------------------------------


def hold_lock(lock: Path, seconds: float = 120) -> subprocess.Popen:
    """Another process holding the reports folder's lock, as a running render does."""
    code = (
        "import sys, time\nfrom filelock import FileLock\n"
        "lock = FileLock(sys.argv[1]); lock.acquire()\n"
        "print('held', flush=True); time.sleep(float(sys.argv[2]))\n"
    )
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock), str(seconds)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_held_lock_is_exit_3_after_wait_and_a_killed_holder_frees_it(
    capsys, scheduled, no_workers
):
    fake_good_run(scheduled["reports"], scheduled["data"])
    holder = hold_lock(scheduled["reports"] / ".lock")
    try:
        started = time.monotonic()
        code, out, err = run(capsys, "render", "overview", "--if-changed", "--wait", "0.6",
                             *scheduled["args"])  # fmt: skip
        waited = time.monotonic() - started
        assert code == 3
        assert 0.5 < waited < 5
        assert out == ""
        assert "WARNING waiting up to 0.6 s (--wait): another run holds" in err
        assert "ERROR another run is using" in err and "gave up after waiting 0.6 s" in err
        assert "Nothing was rendered" in err
        code, _, err = run(capsys, "render", "overview", "--if-changed", "--wait", "0",
                           *scheduled["args"])  # fmt: skip
        assert code == 3 and "WARNING waiting" not in err
    finally:
        holder.send_signal(signal.SIGKILL)  # a killed run: its OS lock goes with it
        holder.wait()
    started = time.monotonic()
    code, out, err = run(capsys, "render", "overview", "--if-changed", "--wait", "30",
                         *scheduled["args"])  # fmt: skip
    assert code == 0, err
    assert time.monotonic() - started < 5 and "waiting" not in err
    assert "1 skipped" in out


def test_a_second_run_waits_for_the_first(capsys, scheduled, no_workers):
    fake_good_run(scheduled["reports"], scheduled["data"])
    holder = hold_lock(scheduled["reports"] / ".lock", seconds=1.5)
    try:
        code, out, err = run(capsys, "render", "overview", "--if-changed", "--wait", "60",
                             *scheduled["args"])  # fmt: skip
    finally:
        holder.wait(timeout=30)
    assert code == 0 and "1 skipped" in out
    assert "WARNING waiting up to 60 s (--wait): another run holds" in err


def test_the_lock_can_be_waited_for_in_code(tmp_path):
    layout = outputs.Layout(tmp_path / "reports")
    holder = hold_lock(layout.lock)
    try:
        waits = []
        with (
            pytest.raises(outputs.LockBusy) as busy,
            outputs.session(layout, wait=0.3, on_wait=waits.append),
        ):
            pass
        assert busy.value.waited == 0.3 and waits == [0.3]
    finally:
        holder.kill()
        holder.wait()
    with outputs.session(layout, wait=0) as temp:
        assert temp.is_dir()


# ---- logs ------------------------------------------------------------------------------------


def test_log_json_is_one_object_a_line(capsys, scheduled, no_workers):
    fake_good_run(scheduled["reports"], scheduled["data"])
    code, _, err = run(capsys, "render", "overview", "--if-changed", "--log-json",
                       *scheduled["args"])  # fmt: skip
    assert code == 0
    records = [json.loads(line) for line in err.splitlines()]
    # the feeds are new in this reports folder: the run writes them, and says so
    # No --base-url: the run says once that the feeds' links are relative.
    assert [r["event"] for r in records] == [
        "start", "relative-feed-links", "skipped", "feed", "end",
    ]  # fmt: skip
    for record in records:
        assert {"time", "level", "event", "message"} <= set(record)
        assert dt.datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
    assert records[2]["report"] == "overview/default" and records[2]["outcome"] == "skipped"
    assert records[3]["written"] == ["feed.atom", "feed.json"]
    assert records[4]["exit"] == 0 and records[4]["skipped"] == 1
    assert records[0]["mode"] == "if-changed" and records[0]["data"] == "facts"


def test_quiet_logs_only_warnings_and_errors(capsys, scheduled, no_workers):
    fake_good_run(scheduled["reports"], scheduled["data"])
    code, out, err = run(capsys, "render", "overview", "--if-changed", "--quiet",
                         *scheduled["args"])  # fmt: skip
    assert code == 0 and err == "" and "1 skipped" in out


# ---- --keep N: the history -------------------------------------------------------------------


def test_history_keeps_the_last_n_good_runs_and_the_index_links_them(tmp_path):
    layout = outputs.Layout(tmp_path / "reports")
    temp = tmp_path / "temp"
    temp.mkdir()
    folder = layout.report_dir("overview", "default")
    folder.mkdir(parents=True)
    kept = []
    for hour in range(4):
        started = f"2026-03-01T1{hour}:00:00Z"
        record = {"outcome": "ok", "started": started, "files": {"html": "report.html"},
                  "data": {"content_hash": f"hash{hour}"}}  # fmt: skip
        # As a run does: new files replace the old ones (which the history keeps linked).
        for name, content in (("report.html", f"run {hour}"), ("run.json", json.dumps(record))):
            outputs.write_atomic(folder / name, content, temp)
        kept.append(history.keep_in_history(layout, "overview", "default", 3, temp))
    names = [run.folder.name for run in history.history(layout, "overview", "default")]
    assert names == ["2026-03-01T110000Z", "2026-03-01T120000Z", "2026-03-01T130000Z"]
    assert not kept[0].exists()
    assert (kept[1] / "report.html").read_text() == "run 1"  # each entry keeps its own version
    assert (folder / "report.html").read_text() == "run 3"
    html = index_html(collect(layout))
    assert "history: 3 runs" in html
    for name in names:
        assert f'href="_history/overview/default/{name}/report.html"' in html
    assert "2026-03-01T100000Z" not in html
    history.prune_history(layout, "overview", "default", 1)
    assert [r.folder.name for r in history.history(layout, "overview", "default")] == [names[-1]]


def test_keep_prunes_even_when_every_report_is_skipped(capsys, scheduled, no_workers):
    fake_good_run(scheduled["reports"], scheduled["data"])
    old = scheduled["reports"] / "_history" / "overview" / "default"
    for name in ("2026-01-01T000000Z", "2026-02-01T000000Z", "2026-03-01T100000Z"):
        (old / name).mkdir(parents=True)
        (old / name / "run.json").write_text('{"outcome": "ok"}')
    code, _, _ = run(capsys, "render", "overview", "--if-changed", "--keep", "2",
                     *scheduled["args"])  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in old.iterdir()) == ["2026-02-01T000000Z", "2026-03-01T100000Z"]


# ---- exit codes, documented ------------------------------------------------------------------


def test_exit_codes_are_in_the_help_and_the_docs(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    help_text = capsys.readouterr().out
    docs = (PROJECT_ROOT / "docs" / "scheduling.md").read_text()
    for code, words in (("0", "all good"), ("1", "some reports failed"), ("2", "bad input"),
                        ("3", "another run holds")):  # fmt: skip
        assert f"{code}  {words}" in help_text
        assert re.search(rf"^\| `{code}` \| [^|]*{words}", docs, re.MULTILINE | re.IGNORECASE), code
    for option in ("--if-changed", "--force", "--keep N", "--wait SECONDS", "--log-json"):
        assert option in help_text


# ---- deploy/: working examples ---------------------------------------------------------------


def test_crontab_line_runs_the_scheduled_render_every_hour():
    lines = [line for line in (DEPLOY / "crontab").read_text().splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    assert len(lines) == 1
    minute, hour, day, month, weekday, command = lines[0].split(maxsplit=5)
    assert minute.isdigit() and (hour, day, month, weekday) == ("*", "*", "*", "*")
    assert "make -s venv" in command
    assert "thirdcountry render --plan --if-changed" in command
    docs = (PROJECT_ROOT / "docs" / "scheduling.md").read_text().replace("\\|", "|")  # table cells
    assert "(crontab -l 2>/dev/null; cat deploy/crontab) | crontab -" in docs


def test_systemd_units_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # The units name the checkout /srv/thirdcountry; verify them as installed at a checkout here.
    checkout = tmp_path / "checkout"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    program = checkout / ".venv" / "bin" / "thirdcountry"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/srv/thirdcountry", str(checkout))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert [Path(u).name for u in units] == ["thirdcountry-report.service",
                                             "thirdcountry-report.timer"]  # fmt: skip
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *units],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    service = (DEPLOY / "systemd" / "thirdcountry-report.service").read_text()
    assert "--if-changed" in service and "Type=oneshot" in service
    assert "OnCalendar=hourly" in (DEPLOY / "systemd" / "thirdcountry-report.timer").read_text()


def test_ci_workflow_is_scheduled_renders_and_publishes():
    workflow = yaml.safe_load((DEPLOY / "github-actions" / "report.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"].split()[1:] == ["*", "*", "*", "*"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "make venv" in runs and "thirdcountry render --plan" in runs and "--if-changed" in runs
    uses = [step.get("uses", "") for step in steps]
    assert any(use.startswith("actions/upload-artifact@") for use in uses)
    assert any(use.startswith("actions/cache/restore@") for use in uses)


# ---- slow: three scheduled runs of one overview over changing data ---------------------------


SIGNED = "signed,us-gtm,usa|gtm,The US and Guatemala signed the agreement,confirmed,gov"
NEW_EVENT = (
    "gtm-transfer-2019,2019-12-10,announcement,us-gtm,usa|gtm,The first transfers under the "
    "agreement are announced,confirmed,gov,first transfers,stated,\n"
)


def what_changed(report: Path) -> str:
    """The text of the overview's 'What changed' section, from report.html."""
    html = (report / "report.html").read_text()
    start = html.index(">", html.index('id="What-changed"')) + 1
    section = html[start : html.index("<h2", start)]
    text = re.sub(r"<[^>]+>", " ", section).replace("&#39;", "'").replace("&#x27;", "'")
    text = text.replace("&#182;", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """A first run, then three scheduled runs: no change, a new event, a corrected date.

    Before each, `changes --since last-run` (JSON); after each, what the render printed and what
    the overview says in 'What changed'.
    """
    base = tmp_path_factory.mktemp("scheduled")
    data = assemble_fact_base(base / "facts")
    reports = base / "reports"
    plan = base / "plan.yml"
    plan.write_text("reports:\n  - notebook: overview\n")
    render = ["render", "--plan", str(plan), "--data", str(data), "--out", str(reports),
              "--to", "html", "--if-changed", "--keep", "5"]  # fmt: skip
    changes = ["changes", "--since", "last-run", "--out", str(reports), "--data", str(data),
               "--format", "json", "--as-of", "2025-01-26"]  # fmt: skip
    folder = reports / "overview" / "default"
    steps = {}

    def step(name, edit=None):
        if edit is not None:
            edit(data / "events.csv")
        import contextlib
        import io

        found = io.StringIO()
        with contextlib.redirect_stdout(found):
            changes_code = main(changes) if (folder / "run.json").exists() else None
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(render)
        steps[name] = {
            "changes_code": changes_code,
            "changes": json.loads(found.getvalue()) if changes_code == 0 else None,
            "code": code,
            "out": out.getvalue(),
            "err": err.getvalue(),
            "run": json.loads((folder / "run.json").read_text()),
            "what_changed": what_changed(folder) if (folder / "report.html").exists() else "",
            "files": {
                p.relative_to(folder).as_posix(): p.read_bytes()
                for p in folder.rglob("*")
                if p.is_file()
            },
        }

    def add_event(events: Path):
        events.write_text(events.read_text() + NEW_EVENT)

    def correct_date(events: Path):
        text = events.read_text()
        events.write_text(text.replace(f"gtm-signed,2019-07-26,{SIGNED}",
                                       f"gtm-signed,2019-07-25,{SIGNED}"))  # fmt: skip

    step("first")
    step("no change")
    step("new event", add_event)
    step("corrected", correct_date)
    return {"steps": steps, "reports": reports, "base": base, "folder": folder}


def _outcome(three_runs, name):
    step = three_runs["steps"][name]
    return f"exit {step['code']}\n{step['out']}\n{step['err']}"


@pytest.mark.slow
def test_first_run_renders_and_has_nothing_to_compare_with(three_runs):
    first = three_runs["steps"]["first"]
    assert first["code"] == 0, _outcome(three_runs, "first")
    assert "rendered 1 of 1 report" in first["out"] and "1 ok" in first["out"]
    assert first["run"]["snapshot"] == "facts.zip" and first["run"]["compared_with"] is None
    assert "facts.zip" in first["files"]
    assert first["what_changed"].startswith("What changed")
    assert "Since the previous report" not in first["what_changed"]
    assert "From " in first["what_changed"]  # the date window: a year before the latest event


@pytest.mark.slow
def test_no_change_is_skipped_and_touches_nothing(three_runs):
    first, same = three_runs["steps"]["first"], three_runs["steps"]["no change"]
    assert same["changes"] == []
    assert same["code"] == 0, _outcome(three_runs, "no change")
    assert "rendered 0 of 1 report" in same["out"] and "1 skipped" in same["out"]
    assert "INFO skipped overview/default: unchanged since its good run of" in same["err"]
    assert same["files"] == first["files"]


@pytest.mark.slow
def test_a_new_event_dated_years_back_is_rendered_and_reported(three_runs):
    step = three_runs["steps"]["new event"]
    assert [(c["change"], c["id"]) for c in step["changes"]] == [("added", "gtm-transfer-2019")]
    assert step["code"] == 0, _outcome(three_runs, "new event")
    assert "rendered 1 of 1 report" in step["out"] and "1 ok" in step["out"]
    first = three_runs["steps"]["first"]["run"]
    assert step["run"]["compared_with"]["started"] == first["started"]
    assert step["run"]["compared_with"]["data"]["content_hash"] == first["data"]["content_hash"]
    text = step["what_changed"]
    when = dt.datetime.fromisoformat(first["started"].replace("Z", "+00:00"))
    assert f"Since the previous report, made on {when.day} {when:%B %Y} at {when:%H:%M} UTC" in text
    assert "the data changed: 1 event added." in text
    assert (
        "event added gtm-transfer-2019 The first transfers under the agreement are announced "
        "date 10 December 2019 (2019-12-10)"
    ) in text


@pytest.mark.slow
def test_a_corrected_date_shows_old_and_new_values(three_runs):
    step = three_runs["steps"]["corrected"]
    rows = [(c["change"], c["id"], c["field"], c["before"], c["after"]) for c in step["changes"]]
    assert rows == [("corrected", "gtm-signed", "date", "2019-07-26", "2019-07-25")]
    assert step["code"] == 0, _outcome(three_runs, "corrected")
    assert "1 ok" in step["out"]
    text = step["what_changed"]
    assert "the data changed: 1 event corrected." in text
    assert "event corrected gtm-signed" in text
    assert "date 26 July 2019 (2019-07-26) 25 July 2019 (2019-07-25)" in text
    assert "gtm-transfer-2019" not in text  # added last time, not news now
    # The executed notebook says the same.
    nb = nbformat.read(three_runs["folder"] / "report.ipynb", 4)
    outputs_text = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "event corrected" in outputs_text and "2019-07-25" in outputs_text


@pytest.mark.slow
def test_the_date_window_is_never_inverted_on_a_schedule(three_runs):
    """Each run's window ends on the report date and starts before it, however recent the
    previous run: what that run added is reported apart, whatever its dates."""
    rendered = [s for s in three_runs["steps"].values() if "1 ok" in s["out"]]
    assert len(rendered) == 3  # first, new event, corrected; 'no change' was skipped
    for step in rendered:
        found = re.search(r"From (\d+ \w+ \d{4}) to (\d+ \w+ \d{4}):", step["what_changed"])
        assert found, step["what_changed"]
        since, as_of = (dt.datetime.strptime(d, "%d %B %Y").date() for d in found.groups())
        started = dt.datetime.fromisoformat(step["run"]["started"].replace("Z", "+00:00"))
        assert since < as_of < started.date()


@pytest.mark.slow
def test_scheduled_output_names_no_path_and_the_index_links_the_history(three_runs):
    base, reports = str(three_runs["base"]), three_runs["reports"]
    for name in ("report.html", "report.ipynb", "run.json"):
        text = (three_runs["folder"] / name).read_text()
        assert base not in text and "THIRDCOUNTRY_PREVIOUS" not in text, name
    index = (reports / "index.html").read_text()
    assert base not in index
    kept = history.history(outputs.Layout(reports), "overview", "default")
    assert len(kept) == 3  # the first, the new event, the correction; the skipped run adds none
    assert "history: 3 runs" in index
    for run in kept:
        assert f'href="{history.history_link(run)}report.html"' in index
        assert (run.folder / "facts.zip").is_file()


# ---- slow: runs at the same time, and a run killed mid-batch ---------------------------------


def _sample(folder: Path) -> Path:
    """A small report that sleeps $TC_TEST_SLEEP seconds; with $TC_TEST_MARKS, it first writes
    a file named by its label there, so a test knows its cells are running."""
    parameters = new_code_cell('label: str = "a"')
    parameters.metadata["tags"] = ["parameters"]
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        parameters,
        new_code_cell(
            "import os, pathlib, time\nfrom IPython.display import HTML\n"
            'if os.environ.get("TC_TEST_MARKS"):\n'
            '    (pathlib.Path(os.environ["TC_TEST_MARKS"]) / label).touch()\n'
            'time.sleep(float(os.environ.get("TC_TEST_SLEEP", "0")))\n'
            'HTML(f"<h1>Sample {label}</h1>")'
        ),
    ]
    path = folder / "sample.ipynb"
    nbformat.write(nb, path)
    return path


def _command(notebook: Path, label: str, data: Path, reports: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "thirdcountry", "render", str(notebook), "-p", f"label={label}",
            "--data", str(data), "--out", str(reports), "--to", "html", *extra]  # fmt: skip


@pytest.mark.slow
def test_two_runs_at_once_one_waits_one_gives_up_none_corrupts(tmp_path, capsys):
    import os

    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    notebook = _sample(tmp_path)
    slow_env = {**os.environ, "TC_TEST_SLEEP": "4"}
    first = subprocess.Popen(_command(notebook, "a", data, reports, "--if-changed"),
                             env=slow_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)  # fmt: skip
    try:
        assert wait_for(lambda: kernel_started(reports))
        waiting = _command(notebook, "b", data, reports, "--if-changed", "--wait", "120")
        second = subprocess.Popen(
            waiting, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        code, out, err = run(capsys, "render", notebook, "-p", "label=c", "--data", data,
                             "--out", reports, "--to", "html", "--wait", "0.5")  # fmt: skip
        assert code == 3 and out == "" and "another run is using" in err
        first_out, first_err = first.communicate(timeout=120)
        second_out, second_err = second.communicate(timeout=120)
    finally:
        for process in (first, locals().get("second")):
            if process is not None and process.poll() is None:
                process.kill()
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "WARNING waiting up to 120 s (--wait): another run holds" in second_err
    for label in ("a", "b"):
        folder = reports / "sample" / f"label-{label}"
        assert sorted(p.name for p in folder.iterdir()) == ["facts.zip", "report.html",
                                                            "report.ipynb", "run.json"]  # fmt: skip
        assert f"Sample {label}" in (folder / "report.html").read_text()
        assert json.loads((folder / "run.json").read_text())["outcome"] == "ok"
    assert not (reports / "sample" / "label-c").exists()
    assert not (reports / ".tmp").exists()
    index = (reports / "index.html").read_text()
    assert "sample/label-a/report.html" in index and "sample/label-b/report.html" in index


@pytest.mark.slow
def test_a_run_killed_mid_batch_leaves_the_good_reports_and_the_next_run_completes(tmp_path):
    import os

    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    notebook = _sample(tmp_path)
    plan = tmp_path / "plan.yml"
    plan.write_text(f"reports:\n  - notebook: {notebook}\n    for_each: {{label: [a, b]}}\n")
    render = [sys.executable, "-m", "thirdcountry", "render", "--plan", str(plan), "--data",
              str(data), "--out", str(reports), "--to", "html", "--if-changed", "--jobs", "2",
              "--keep", "3"]  # fmt: skip
    assert subprocess.run(render, capture_output=True, timeout=120).returncode == 0
    folders = [reports / "sample" / f"label-{label}" for label in ("a", "b")]
    good = {folder: {p.name: p.read_bytes() for p in folder.iterdir()} for folder in folders}

    # New data, and a run that is killed while both reports execute.
    events = data / "events.csv"
    events.write_text(events.read_text() + NEW_EVENT)
    marks = tmp_path / "marks"
    marks.mkdir()
    killed = subprocess.Popen(render, env={**os.environ, "TC_TEST_SLEEP": "60",
                                           "TC_TEST_MARKS": str(marks)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        # Killed once both reports' cells are running (each has written its mark).
        assert wait_for(lambda: sorted(p.name for p in marks.iterdir()) == ["a", "b"], 120)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        if killed.poll() is None:
            killed.kill()
    for folder in folders:
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == good[folder]

    # The next run is not blocked by the dead run's lock, clears its leftovers, renders both.
    started = time.monotonic()
    result = subprocess.run([*render, "--wait", "30"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "rendered 2 of 2 reports" in result.stdout and "2 ok" in result.stdout
    assert "waiting" not in result.stderr
    assert time.monotonic() - started < 60
    new_hash = load_facts(data).content_hash
    for folder in folders:
        record = json.loads((folder / "run.json").read_text())
        assert record["data"]["content_hash"] == new_hash
        assert record["compared_with"]["data"]["content_hash"] != new_hash
    assert not (reports / ".tmp").exists()
    assert len(history.history(outputs.Layout(reports), "sample", "label-a")) == 2
