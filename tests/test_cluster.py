"""Rendering on a Dask cluster (`render --scheduler ADDRESS`, `--executor dask`).

The slow tests start a real `dask scheduler` and `dask worker` processes on loopback
(tests/dask_cluster.py) and render through them with the real command line.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dask_cluster import local_dask
from rendered import (
    SECRET,
    default_plan_reports,
    good_fact_base,
    reports_in,
    run_thirdcountry,
)

from thirdcountry.cli.main import main
from thirdcountry.errors import BadInput
from thirdcountry.paths import DEFAULT_DATA_DIR, DEFAULT_PLAN, PROJECT_ROOT
from thirdcountry.render import batch, cluster, dask_worker

# ---- addresses and options, checked before anything starts -----------------------------------


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
        ("127.0.0.1:9000", "tcp://127.0.0.1:9000"),
        ("scheduler.example.org", "tcp://scheduler.example.org:8786"),
        ("TLS://node-1:8786/", "tls://node-1:8786"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_scheduler_addresses(given, address):
    assert cluster.scheduler_address(given) == address


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("tcp://", "is not a scheduler address"),
        ("tcp://host:port", "is not a scheduler address"),
        ("http://host:8786", "the scheme http:// is not one Dask's scheduler speaks"),
        ("tcp://host:99999", "port 99999 is not between 1 and 65535"),
        ("host name:8786", "is not a scheduler address"),
    ],
)
def test_malformed_scheduler_addresses(given, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        cluster.scheduler_address(given)


@pytest.fixture
def no_render(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a render started although the input was wrong")

    monkeypatch.setattr(batch, "render_reports", refuse)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scheduler", "tcp://host:port"], "--scheduler: 'tcp://host:port' is not a scheduler"),
        (["--executor", "pool", "--scheduler", "tcp://h:1"], "leave out --executor pool"),
        (["--retries", "2"], "--retries applies to a Dask run"),
    ],
)
def test_bad_cluster_options_are_one_line_and_exit_2(capsys, tmp_path, no_render, argv, message):
    code = main(["render", "overview", "--out", str(tmp_path / "reports"), *argv])
    _, err = capsys.readouterr()
    assert code == 2
    problems = [line for line in err.splitlines() if line.startswith("thirdcountry render:")]
    assert len(problems) == 1 and message in problems[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()


@pytest.mark.slow  # starts a Dask client that waits out its connect timeout
def test_unreachable_scheduler_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch):
    """Nothing listens on the port: one line, exit 2, no traceback, nothing written."""
    import socket

    with socket.socket() as probe:  # a free port, closed again: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    reports = tmp_path / "reports"
    data = good_fact_base(tmp_path / "facts")
    code = main(["render", "overview", "--to", "html", "--out", str(reports), "--data", str(data),
                 "--scheduler", f"127.0.0.1:{port}"])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2
    assert f"cannot reach a Dask scheduler at tcp://127.0.0.1:{port} within 1 s" in err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if "thirdcountry render:" in line]) == 1
    assert not list(reports.glob("*/*/run.json"))


# ---- slow: a real scheduler and workers -------------------------------------------------------

TIME_IN_TEXT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
RUN_TIMES = ("started", "finished", "duration_s")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _record(folder: Path) -> dict:
    record = json.loads((folder / "run.json").read_text())
    return {key: value for key, value in record.items() if key not in RUN_TIMES}


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    with local_dask(tmp_path_factory.mktemp("dask"), workers=2) as running:
        yield running


@pytest.mark.slow
def test_default_plan_on_a_cluster_matches_a_local_run(default_plan, two_workers, tmp_path):
    local = {report.label: report for report in default_plan_reports(default_plan)}
    out = tmp_path / "reports"
    process = run_thirdcountry(
        "render", "--plan", DEFAULT_PLAN, "--data", DEFAULT_DATA_DIR, "--out", out,
        "--to", "html,pdf", "--scheduler", two_workers.address, timeout=3600,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr
    assert "rendering on the scheduler tcp://127.0.0.1:" in process.stderr
    remote = {report.label: report for report in reports_in(out)}
    assert sorted(remote) == sorted(local)
    assert not (out / "_failed").exists()
    for label, report in remote.items():
        twin = local[label]
        assert _files(report.folder) == _files(twin.folder), label
        record = _record(report.folder)
        assert record["outcome"] == "ok", label
        assert record == _record(twin.folder), label
        html = TIME_IN_TEXT.sub("TIME", report.html.read_text())
        assert html == TIME_IN_TEXT.sub("TIME", twin.html.read_text()), label
        for table in (report.folder / "tables").glob("*.csv"):
            assert table.read_bytes() == (twin.folder / "tables" / table.name).read_bytes()
        assert SECRET not in report.html.read_text()


SMALL_PLAN = """\
reports:
  - notebook: overview
  - notebook: country
    for_each:
      country: [SLV, GTM, HND, MEX]
"""


@pytest.mark.slow
def test_a_worker_killed_mid_report_is_retried_on_another(tmp_path):
    """The scheduler gives up on a task at its first lost worker (allowed-failures 0), so the
    report comes back through --retries; the batch ends with every report ok."""

    plan = tmp_path / "plan.yml"
    plan.write_text(SMALL_PLAN)
    out = tmp_path / "reports"
    env = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with (
        local_dask(tmp_path / "dask", workers=2, scheduler_env=env) as running,
        _render_in_background(plan, out, running.address, "--retries", "1") as render,
    ):
        victim = _worker_of_a_report(running.address, render)  # killed inside a report
        running.kill(victim)
        stdout, stderr = render.communicate(timeout=1800)
    assert render.returncode == 0, stderr
    assert "rendered 5 of 5 reports" in stdout and "5 ok" in stdout
    assert re.search(r"WARNING retrying \S+ \(1 of 1\): its worker was lost \(KilledWorker", stderr)
    labels = sorted(report.label for report in reports_in(out))
    assert labels == ["country/country-gtm", "country/country-hnd", "country/country-mex",
                      "country/country-slv", "overview/default"]  # fmt: skip
    for report in reports_in(out):
        assert json.loads((report.folder / "run.json").read_text())["outcome"] == "ok"
    assert not (out / "_failed").exists() and not (out / ".tmp").exists()


@pytest.mark.slow
def test_a_cluster_that_loses_every_worker_fails_the_rest_after_worker_wait(tmp_path):
    """The only worker dies and none comes back: after --worker-wait the reports left are
    recorded as failed, with the reason, and the run ends (exit 1) instead of waiting forever."""

    plan = tmp_path / "plan.yml"
    plan.write_text(SMALL_PLAN)
    out = tmp_path / "reports"
    with (
        local_dask(tmp_path / "dask", workers=1) as running,
        _render_in_background(plan, out, running.address, "--worker-wait", "5") as render,
    ):
        _worker_of_a_report(running.address, render)
        running.kill("w1")
        stdout, stderr = render.communicate(timeout=600)
    assert render.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert re.search(r"ERROR no Dask worker on tcp://\S+ for \d+ s \(--worker-wait\): the \d "
                     r"reports? left (are|is) recorded as failed", stderr), stderr  # fmt: skip
    assert "failed" in stdout and "5 ok" not in stdout
    assert not (out / ".tmp").exists()


@pytest.mark.slow
def test_a_scheduler_without_workers_is_waited_for_worker_wait_then_one_line(tmp_path):
    out = tmp_path / "reports"
    with local_dask(tmp_path / "dask", workers=0) as running:
        process = run_thirdcountry(
            "render", "overview", "--to", "html", "--out", out, "--scheduler", running.address,
            "--worker-wait", "2",
        )  # fmt: skip
    assert process.returncode == 2, process.stderr
    assert f"INFO waiting up to 2 s (--worker-wait) for a worker on {running.address}" in (
        process.stderr
    )
    problems = [line for line in process.stderr.splitlines() if "thirdcountry render:" in line]
    assert problems == [
        f"thirdcountry render: --scheduler: the Dask scheduler at {running.address} has no "
        f"workers (waited 2 s, --worker-wait); start some with `dask worker {running.address}`"
    ]
    assert "Traceback" not in process.stderr
    assert not list(out.glob("*/*/run.json"))


@contextlib.contextmanager
def _render_in_background(plan: Path, out: Path, scheduler: str, *options):
    """`thirdcountry render --plan PLAN` to HTML on a scheduler, running; killed on the way out
    if it still is."""
    command = [sys.executable, "-m", "thirdcountry", "render", "--plan", plan, "--out", out,
               "--to", "html", "--scheduler", scheduler, *options]  # fmt: skip
    render = subprocess.Popen([str(part) for part in command], cwd=PROJECT_ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        yield render
    finally:
        if render.poll() is None:
            render.kill()


def _worker_of_a_report(address: str, render: subprocess.Popen, timeout: float = 600) -> str:
    """Wait until a worker of the scheduler at `address` is executing a report's task (not only
    holding it in its queue); that worker's name. Polled, up to `timeout` seconds."""
    from distributed import Client

    def executing(dask_worker) -> list[str]:  # runs on each worker (nested: sent by value)
        return [str(task.key) for task in dask_worker.state.executing]

    with Client(address, set_as_default=False) as client:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert render.poll() is None, render.communicate()
            workers = client.scheduler_info(n_workers=-1)["workers"]
            for worker, keys in client.run(executing).items():
                if any(_is_report(key) for key in keys) and worker in workers:
                    return workers[worker]["name"]
            time.sleep(0.2)
    raise AssertionError("no report started on a worker")


def _is_report(key) -> bool:
    """A report's task, not a worker's warm-up or the fact base's bytes."""
    return str(key).startswith("thirdcountry-report-")


OTHER_VERSION = """\
# Preloaded into a dask worker: its thirdcountry says it is another version.
import thirdcountry

thirdcountry.__version__ = "0.0.0+other"
"""


@pytest.mark.slow
def test_a_worker_with_another_version_is_refused(tmp_path):
    preload = tmp_path / "other_version.py"
    preload.write_text(OTHER_VERSION)
    out = tmp_path / "reports"
    with local_dask(tmp_path / "dask", workers=1) as running:
        running.start_worker("stale", preload=preload)
        running.wait_for_workers(2)
        process = run_thirdcountry(
            "render", "overview", "--to", "html", "--out", out, "--scheduler", running.address
        )
    from thirdcountry import __version__

    assert process.returncode == 2, process.stderr
    problems = [line for line in process.stderr.splitlines() if "refused" in line]
    assert len(problems) == 1, process.stderr
    assert re.fullmatch(
        rf"thirdcountry render: worker tcp://127\.0\.0\.1:\d+ of {re.escape(running.address)} "
        rf"is refused: it has thirdcountry 0\.0\.0\+other, this run needs "
        rf"{re.escape(__version__)} \(install the same version on every worker\)",
        problems[0],
    )
    assert "Traceback" not in process.stderr
    assert not list(out.glob("*/*/run.json"))


@pytest.mark.slow
def test_a_worker_with_another_version_joining_later_gets_no_report(tmp_path):
    """It passes no check at the start (it is not there yet); its first task refuses to run,
    the report goes to the good worker, and the stale one gets no more."""

    preload = tmp_path / "other_version.py"
    preload.write_text(OTHER_VERSION)
    plan = tmp_path / "plan.yml"
    plan.write_text(SMALL_PLAN)
    out = tmp_path / "reports"
    with (
        local_dask(tmp_path / "dask", workers=1) as running,
        _render_in_background(plan, out, running.address) as render,
    ):
        _worker_of_a_report(running.address, render)
        running.start_worker("stale", preload=preload)
        stdout, stderr = render.communicate(timeout=900)
    assert render.returncode == 0, stderr
    assert "rendered 5 of 5 reports" in stdout and "5 ok" in stdout
    refused = [line for line in stderr.splitlines() if "WARNING" in line and "refused" in line]
    assert len(refused) == 1, stderr
    assert re.search(r"worker tcp://\S+ is refused: it has thirdcountry 0\.0\.0\+other.*; its "
                     r"reports go to the other workers", refused[0])  # fmt: skip
    assert "retrying" not in stderr


def test_the_local_pool_never_imports_dask():
    """Dask is imported only for a Dask run: the command line and the batch load without it."""
    code = (
        "import sys\n"
        "import thirdcountry.cli.main, thirdcountry.cli.render_cmd, thirdcountry.render.batch\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_scheduled_runs_on_a_local_cluster_keep_facts_history_and_what_changed(tmp_path):
    """--executor dask with a LocalCluster, scheduled: the previous run's snapshot reaches the
    worker's kernel ('What changed'), facts.zip and the history are kept, and an unchanged
    report is skipped without starting any cluster."""
    from test_scheduled import NEW_EVENT, what_changed

    data = good_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    render = ("render", "overview", "--data", data, "--out", reports, "--to", "html",
              "--if-changed", "--keep", "2", "--executor", "dask", "--jobs", "1")  # fmt: skip
    first = run_thirdcountry(*render, timeout=900)
    assert first.returncode == 0, first.stderr
    assert "rendering on a LocalCluster: 1 worker thread" in first.stderr
    (data / "events.csv").write_text((data / "events.csv").read_text() + NEW_EVENT)
    second = run_thirdcountry(*render, timeout=900)
    assert second.returncode == 0, second.stderr
    folder = reports / "overview" / "default"
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "ok" and record["snapshot"] == "facts.zip"
    assert record["compared_with"]["snapshot"] is True
    assert (folder / "facts.zip").is_file()
    assert "the data changed: 1 event added." in what_changed(folder)
    assert len(list((reports / "_history" / "overview" / "default").iterdir())) == 2
    third = run_thirdcountry(*render, timeout=900)
    assert third.returncode == 0, third.stderr
    assert "1 skipped" in third.stdout and "LocalCluster" not in third.stderr


def test_a_task_refuses_a_worker_with_other_code():
    """A worker that joined after the version check still refuses the task, before any work."""
    from types import SimpleNamespace

    from thirdcountry.render.history import code_fingerprint

    ours = code_fingerprint()
    for other in ({**ours, "version": "0.0.0+other"}, {**ours, "code": "000000000000"}):
        task = SimpleNamespace(version=other)
        with pytest.raises(dask_worker.WrongVersion, match=r"worker \S+ is refused"):
            dask_worker.render_remote(task, b"", None)


@pytest.mark.slow
def test_ctrl_c_cancels_the_tasks_and_leaves_the_good_reports(two_workers, tmp_path):
    import signal

    from distributed import Client

    out = tmp_path / "reports"
    first = run_thirdcountry(
        "render", "country", "-p", "country=SLV", "--to", "html", "--out", out,
        "--scheduler", two_workers.address, timeout=900,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    good = out / "country" / "country-slv"
    before = {name: (good / name).read_bytes() for name in _files(good)}
    plan = tmp_path / "plan.yml"
    plan.write_text(SMALL_PLAN)
    with _render_in_background(plan, out, two_workers.address) as render:
        _worker_of_a_report(two_workers.address, render)  # interrupted inside a report
        render.send_signal(signal.SIGINT)
        _, stderr = render.communicate(timeout=300)
        with Client(two_workers.address, set_as_default=False) as client:

            def ours() -> list[str]:
                keys = [key for keys in client.processing().values() for key in keys]
                return [key for key in keys if _is_report(key)]

            deadline = time.monotonic() + 60
            while ours() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert ours() == [], "the tasks were not cancelled"
    assert render.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert {name: (good / name).read_bytes() for name in _files(good)} == before
    assert [report.label for report in reports_in(out)] == ["country/country-slv"]
    assert not (out / ".tmp").exists() and not (out / "_failed").exists()
