"""`thirdcountry render`: checks before any kernel, layout, provenance, failures, atomicity.

The slow tests execute notebooks, each batch once per session or module: the real report
notebooks (a plan of three on the small fixture fact base), and small made-up notebooks that
succeed, fail on request, or run too long.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from waiting import kernel_started, wait_for

from thirdcountry.cli import main
from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME, PROJECT_ROOT
from thirdcountry.render import batch, outputs, pool
from thirdcountry.render.index import index_html
from thirdcountry.render.scrub import scrubber_for

SHARED_FILES = ("report.html", "report.ipynb", "run.json")
GOOD = Path(__file__).parent / "fixtures" / "good"


def assemble_fact_base(target: Path) -> Path:
    """The small valid fact base (tests/fixtures/good) with the project's descriptor."""
    import shutil

    shutil.copytree(GOOD, target)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    return target


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---- checked before any kernel starts --------------------------------------------------------


@pytest.fixture
def no_kernels(monkeypatch):
    """Fail the test if anything would start rendering."""

    def refuse(*args, **kwargs):
        raise AssertionError("a render started although the input was wrong")

    monkeypatch.setattr(batch, "render_reports", refuse)
    monkeypatch.setattr(pool, "render_one", refuse)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["overview", "-p", "colour=red"], "colour: not a parameter of overview"),
        (["overview", "-p", "as_of=2025-02-30"], "as_of: '2025-02-30' is not a real date"),
        (["overview", "-p", "as_of=26/01/2025"], "as_of: '26/01/2025' is not a date"),
        (
            ["country", "-p", "country=XYZ"],
            "country: 'XYZ' is not an ISO 3166-1 alpha-3 code or a party's code (EU)",
        ),
        (["overview", "-p", "countries=SLV,QQQ"], "countries: 'QQQ' is not an ISO 3166-1"),
        (
            ["overview", "-p", "data_dir=/elsewhere"],
            "data_dir: set with --data DIR, not as a parameter",
        ),
        (["overview", "-p", "as_of"], "-p 'as_of': expected name=value"),
        (["nowhere"], "'nowhere' is neither a report name"),
        (["overview", "--to", "docx"], "--to: 'docx': choose html, pdf or html,pdf"),
        (["overview", "--plan"], "give either a NOTEBOOK or --plan, not both"),
        ([], "give a NOTEBOOK"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_before_any_kernel(
    capsys, tmp_path, no_kernels, argv, message
):
    code, _, err = run(capsys, "render", *argv, "--out", tmp_path / "reports")
    assert code == 2
    *lines, ended = err.strip().splitlines()  # the problem, then the log's ERROR line
    assert len(lines) == 1, err
    assert lines[0].startswith("thirdcountry render: " + message)
    assert " ERROR render stopped: 1 problem in the input" in ended
    assert not (tmp_path / "reports").exists()


def test_bad_plan_is_exit_2_before_any_kernel(capsys, tmp_path, no_kernels):
    plan = tmp_path / "plan.yml"
    plan.write_text("reports:\n  - {notebook: overview, parameters: {as_of: 2025-13-01}}\n"
                    "  - {notebook: country, for_each: {country: [SLV, XXX]}}\n")  # fmt: skip
    code, _, err = run(capsys, "render", "--plan", plan, "--out", tmp_path / "reports")
    assert code == 2
    assert err.splitlines()[:-1] == [
        "thirdcountry render: plan.yml: reports[1]: as_of: '2025-13-01' is not a real date: "
        "there is no month 13",
        "thirdcountry render: plan.yml: reports[2]: country: 'XXX' is not an ISO 3166-1 "
        "alpha-3 code or a party's code (EU)",
    ]


@pytest.mark.slow
def test_bad_fact_base_is_exit_2_with_nothing_written(capsys, tmp_path):
    """The fact base is checked while the kernel boots; a bad one stops everything."""
    broken = assemble_fact_base(tmp_path / "data")
    (broken / "events.csv").write_text("not,the,header\n")
    reports = tmp_path / "reports"
    code, _, err = run(capsys, "render", "overview", "--data", broken, "--out", reports)
    assert code == 2 and "events.csv" in err
    assert [p.name for p in reports.rglob("*")] == [".lock"]


def test_bad_fact_base_for_a_plan_is_exit_2_before_any_kernel(capsys, tmp_path, no_kernels):
    broken = assemble_fact_base(tmp_path / "data")
    (broken / "events.csv").write_text("not,the,header\n")
    code, _, err = run(capsys, "render", "--plan", "--data", broken, "--out", tmp_path / "r")
    assert code == 2 and "events.csv" in err


def test_missing_chromium_is_exit_2(capsys, tmp_path, no_kernels, monkeypatch):
    monkeypatch.setenv("THIRDCOUNTRY_CHROMIUM", "/nonexistent/chromium")
    code, _, err = run(capsys, "render", "overview", "--pdf-engine", "chromium",
                       "--out", tmp_path)  # fmt: skip
    assert code == 2 and "no chromium found" in err


# ---- small pieces, no kernel -----------------------------------------------------------------


def test_an_interrupted_batch_stops_its_workers_and_says_so():
    """Ctrl-C while reports run: the executor is stopped and the interrupt reaches the caller,
    which records the run as interrupted (exit 130), never as a finished run."""
    from types import SimpleNamespace

    class Interrupted:
        workers = 1
        stopped = False

        def submit(self, job, context, more_to_come, plan):
            return object()

        def running(self, futures):
            return []

        def wait(self, futures, timeout):
            raise KeyboardInterrupt

        def stop(self):
            self.stopped = True

    executor = Interrupted()
    job = SimpleNamespace(label="overview/default")
    with pytest.raises(KeyboardInterrupt):
        batch._run_batch(executor, [job], {job.label: None}, None, None, lambda *_: None)
    assert executor.stopped


def test_a_file_is_replaced_whole(tmp_path):
    temp = tmp_path / ".tmp"
    temp.mkdir()
    target = tmp_path / "a" / "report.html"
    outputs.write_atomic(target, "old", temp)
    outputs.write_atomic(target, "new", temp)
    assert target.read_text() == "new"
    assert list(temp.iterdir()) == []


def test_moving_in_drops_formats_not_made_this_time(tmp_path):
    target = tmp_path / "overview" / "default"
    target.mkdir(parents=True)
    (target / "report.pdf").write_text("old pdf")
    work = tmp_path / "work"
    work.mkdir()
    for name in ("report.html", "run.json"):
        (work / name).write_text(name)
    outputs.move_into_place({n: work / n for n in ("report.html", "run.json")}, target)
    assert sorted(p.name for p in target.iterdir()) == ["report.html", "run.json"]


def test_a_session_clears_what_a_killed_run_left(tmp_path):
    layout = outputs.Layout(tmp_path / "reports")
    left = layout.temp_root / "run-killed"
    left.mkdir(parents=True)
    (left / "report.html.x1").write_text("half")
    with outputs.session(layout, quiet=True) as temp:
        assert temp.parent == layout.temp_root and not left.exists()
    assert not layout.temp_root.exists()


def test_scrubbing_hides_paths_users_and_hosts(tmp_path):
    data = tmp_path / "facts"
    scrubber = scrubber_for((data, "facts"))
    traceback = (
        f"File \x1b[0;32m{PROJECT_ROOT}/src/thirdcountry/report/overview.py:12\x1b[0m\n"
        f"FileNotFoundError: '{data}/events.csv' and /opt/other/place/module.py\n"
        f"{Path.home()}/secret.txt, https://example.org/home/page"
    )
    cleaned = scrubber.diagnostic(traceback)
    assert str(PROJECT_ROOT) not in cleaned and str(data) not in cleaned
    assert "./src/thirdcountry/report/overview.py:12" in cleaned
    assert "'facts/events.csv'" in cleaned
    assert ".../module.py" in cleaned and "~/secret.txt" in cleaned
    assert "https://example.org/home/page" in cleaned
    assert scrubber.text("see https://example.org/tmp/x") == "see https://example.org/tmp/x"


def test_index_escapes_everything(tmp_path):
    record = {
        "title": "<script>alert(1)</script>",
        "parameters": {"title": '"><img src=x onerror=alert(1)>'},
        "data": {"folder": "<b>", "content_hash": "abc", "latest_event": "2025-01-01"},
        "started": "2025-01-01T00:00:00Z",
        "outcome": "ok",
        "files": {"html": "report.html"},
    }
    from thirdcountry.render.index import Entry

    html = index_html([Entry("overview", "x<y", record, None)])
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and 'href="overview/x&lt;y/report.html"' in html


def test_index_shows_failures_history_and_an_empty_state():
    from thirdcountry.render.index import TEMPLATE_DIR, Entry, _template

    good = {
        "title": "Overview",
        "started": "2025-01-01T10:00:00Z",
        "duration_s": 2.0,
        "parameters": {"countries": ["GTM", "SLV"]},
        "files": {"html": "report.html"},
        "data": {"latest_event": "2024-12-31", "folder": "data", "content_hash": "h0"},
    }
    error = {"ename": "CellTimeoutError", "evalue": "cell <3> ran too long"}
    failed = {"outcome": "timed out", "started": "2025-01-02T10:00:00Z", "error": error}
    kept = [("2024-12-01T000000Z", {"started": "2024-12-01T00:00:00Z", "files": {"pdf": "x"}})]
    html = index_html([Entry("overview", "default", good, failed, kept)])
    assert "1 report, 1 whose last run failed." in html
    assert '<span class="failed">timed out</span> at 2025-01-02 10:00 UTC' in html
    assert "CellTimeoutError: cell &lt;3&gt; ran too long" in html
    assert "showing the previous good report" in html
    assert 'href="_failed/overview/default/run.json">failed run</a>' in html  # no HTML copy
    assert "countries = GTM, SLV" in html and "2025-01-01 10:00 UTC (2.0 s)" in html
    assert "history: 1 run</summary>" in html
    assert 'href="_history/overview/default/2024-12-01T000000Z/report.pdf"' in html
    assert "No reports yet" not in html
    empty = index_html([])
    assert "0 reports." in empty and "No reports yet: run <code>make report</code>." in empty
    # The page comes from the package's template, whatever the current folder.
    template = resources.files("thirdcountry") / "templates" / TEMPLATE_DIR / "index.html.j2"
    assert template.is_file() and _template().environment.autoescape is True


# ---- slow: the real notebooks, a plan of three -----------------------------------------------


@pytest.fixture(scope="session")
def plan_run(tmp_path_factory):
    """overview + two country reports on the small fact base, HTML and PDF, two jobs."""
    base = tmp_path_factory.mktemp("plan")
    data = assemble_fact_base(base / "facts")
    plan = base / "plan.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "  - notebook: country\n"
        "    for_each: {country: [GTM, CAN]}\n"
    )
    reports = base / "reports"
    command = ["render", "--plan", str(plan), "--data", str(data), "--out", str(reports),
               "--jobs", "2", "--quiet"]  # fmt: skip
    code = main(command)
    return {"code": code, "reports": reports, "data": data, "base": base}


SLUGS = [("overview", "default"), ("country", "country-gtm"), ("country", "country-can")]


def _failure(plan_run, notebook, slug) -> str:
    failed = plan_run["reports"] / "_failed" / notebook / slug / "run.json"
    if failed.is_file():
        error = json.loads(failed.read_text())["error"]
        return f"{error['ename']}: {error['evalue']}\n" + "\n".join(error["traceback"][-15:])
    return "no failure recorded"


@pytest.mark.slow
def test_plan_renders_every_report_in_its_folder(plan_run):
    reports = plan_run["reports"]
    for notebook, slug in SLUGS:
        folder = reports / notebook / slug
        # tables/: the full tables of which the report shows the top rows, as CSV
        found = folder.iterdir() if folder.is_dir() else []
        names = sorted(p.name for p in found if p.name != "tables")
        # facts.zip: the data package the report was made from
        assert names == ["facts.zip", "report.html", "report.ipynb", "report.pdf", "run.json"], (
            _failure(plan_run, notebook, slug)
        )
    assert plan_run["code"] == 0
    assert not (reports / "_failed").exists()
    assert not (reports / ".tmp").exists()


@pytest.mark.slow
def test_run_json_records_how_each_report_was_made(plan_run):
    record = json.loads((plan_run["reports"] / "country" / "country-gtm" / "run.json").read_text())
    assert record["parameters"] == {"country": "GTM", "data_dir": "facts"}
    assert record["outcome"] == "ok" and record["error"] is None
    assert record["thirdcountry_version"]
    assert set(record["git"]) == {"commit", "dirty"}
    assert record["data"]["folder"] == "facts"
    assert re.fullmatch(r"[0-9a-f]{12}", record["data"]["content_hash"])
    from thirdcountry.facts import load_facts

    assert record["data"]["content_hash"] == load_facts(plan_run["data"]).content_hash
    assert {"pandas", "matplotlib", "papermill", "nbconvert", "weasyprint"} <= set(
        record["dependencies"]
    )
    assert record["started"] <= record["finished"] and record["duration_s"] > 0
    assert record["files"] == {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf"}
    assert record["title"]


@pytest.mark.slow
def test_no_absolute_paths_users_or_hosts_in_shared_output(plan_run):
    import getpass
    import socket

    from pypdf import PdfReader

    forbidden = [str(PROJECT_ROOT), str(plan_run["base"]), str(Path.home()) + "/", sys.prefix]
    forbidden += [w for w in (getpass.getuser(), socket.gethostname()) if len(w) >= 6]
    for notebook, slug in SLUGS:
        folder = plan_run["reports"] / notebook / slug
        texts = [(folder / name).read_text() for name in SHARED_FILES]
        reader = PdfReader(folder / "report.pdf")
        texts += [str(reader.metadata)] + [page.extract_text() for page in reader.pages]
        for text in texts:
            for bad in forbidden:
                assert bad not in text, (notebook, slug, bad)
    index = (plan_run["reports"] / "index.html").read_text()
    assert not [bad for bad in forbidden if bad in index]


@pytest.mark.slow
def test_the_executed_notebook_gets_the_data_folder_without_its_path(plan_run):
    nb = nbformat.read(plan_run["reports"] / "overview" / "default" / "report.ipynb", 4)
    papermill = nb.metadata["papermill"]
    assert papermill["input_path"] == "notebooks/overview.ipynb"
    assert papermill["output_path"] == "overview/default/report.ipynb"
    assert "data_dir" not in papermill["parameters"]
    assert "facts" in json.dumps(nb)  # the report names the folder it read


@pytest.mark.slow
def test_html_is_offline_titled_and_has_contents(plan_run):
    html = (plan_run["reports"] / "overview" / "default" / "report.html").read_text()
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""src=["']?(https?:)?//""", html)  # links to sources are fine
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title and title != "overview/default"
    nav = html[html.index('<nav class="toc"') : html.index("</nav>")]
    for anchor in re.findall(r'href="#([^"]+)"', nav):
        assert f'id="{anchor}"' in html
    images = re.findall(r"<img [^>]*>", html)
    assert images, "the overview shows charts"
    for image in images:
        assert 'src="data:image/png;base64,' in image
        assert re.search(r'alt="[^"]{10,}"', image), image
    assert "No description has been provided" not in html
    assert "injected-parameters" not in html and "report.Overview(" not in html


@pytest.mark.slow
def test_pdf_is_titled_like_the_report(plan_run):
    from pypdf import PdfReader

    folder = plan_run["reports"] / "country" / "country-can"
    title = re.search(r"<title>(.*?)</title>", (folder / "report.html").read_text()).group(1)
    reader = PdfReader(folder / "report.pdf")
    assert reader.metadata.title == title.replace("&amp;", "&")
    assert len(reader.pages) >= 1


@pytest.mark.slow
def test_index_links_every_report(plan_run):
    reports = plan_run["reports"]
    index = (reports / "index.html").read_text()
    links = set(re.findall(r'href="([^"#]+)"', index))
    for notebook, slug in SLUGS:
        for name in ("report.html", "report.pdf", "report.ipynb", "run.json"):
            assert f"{notebook}/{slug}/{name}" in links
    for link in links:
        assert (reports / link).is_file(), link
    assert "country = GTM" in index


# ---- slow: made-up notebooks that succeed, fail and run too long -----------------------------


def _write_notebook(path: Path, cells: list) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def _sample(folder: Path) -> Path:
    """A small report; fails when $TC_TEST_FAIL is set in the environment."""
    parameters = new_code_cell('label: str = "a"  # shown in the title')
    parameters.metadata["tags"] = ["parameters"]
    return _write_notebook(
        folder / "sample.ipynb",
        [
            parameters,
            new_code_cell(
                'import os\nfrom IPython.display import HTML\nHTML(f"<h1>Sample {label}</h1>")'
            ),
            new_markdown_cell("## Part"),
            new_code_cell('assert not os.environ.get("TC_TEST_FAIL"), "asked to fail"'),
        ],
    )


def _slow(folder: Path) -> Path:
    return _write_notebook(
        folder / "slow.ipynb",
        [
            new_code_cell("print('started', flush=True)"),
            new_code_cell("import time\ntime.sleep(120)"),
        ],
    )


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    folder = tmp_path_factory.mktemp("made-up")
    return {"folder": folder, "sample": _sample(folder), "slow": _slow(folder)}


@pytest.mark.slow
def test_failures_keep_the_previous_report_and_the_batch_goes_on(made_up, capsys, monkeypatch):
    reports = made_up["folder"] / "reports"
    plan = made_up["folder"] / "plan.yml"
    plan.write_text(
        "reports:\n"
        f"  - notebook: {made_up['sample']}\n"
        "    for_each: {label: [a, b]}\n"
        f"  - notebook: {made_up['slow']}\n"
    )
    # 1. two good reports and one that runs out of time: the batch finishes, exit 1. The
    # deadline also covers the wait for the spare kernel's warm-up imports (4-7 s on a busy
    # machine), so 15 s: ample for a sample report, far short of slow's 120 s.
    code, out, _ = run(capsys, "render", "--plan", plan, "--to", "html", "--timeout", "15",
                       "--jobs", "2", "--out", reports, "--quiet")  # fmt: skip
    assert code == 1
    assert "rendered 3 of 3 reports" in out and "1 failed" in out
    assert "TIMEOUT slow/default" in out
    good = reports / "sample" / "label-a"
    assert sorted(p.name for p in good.iterdir()) == [
        "facts.zip", "report.html", "report.ipynb", "run.json"
    ]  # fmt: skip
    assert (reports / "sample" / "label-b" / "report.html").is_file()
    timed_out = json.loads((reports / "_failed" / "slow" / "default" / "run.json").read_text())
    assert timed_out["outcome"] == "timeout"
    assert timed_out["error"]["ename"] == "ReportTimeout"
    assert not (reports / "slow").exists()
    before = {p.name: p.read_bytes() for p in good.iterdir()}

    # 2. the same report fails: the good one stays, the failed run is readable in _failed/
    monkeypatch.setenv("TC_TEST_FAIL", "1")
    code, out, _ = run(capsys, "render", made_up["sample"], "-p", "label=a", "--to", "html",
                       "--out", reports, "--quiet")  # fmt: skip
    assert code == 1 and "AssertionError: asked to fail" in out
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    failed = reports / "_failed" / "sample" / "label-a"
    assert sorted(p.name for p in failed.iterdir()) == ["report.html", "report.ipynb", "run.json"]
    failed_nb = nbformat.read(failed / "report.ipynb", 4)
    assert "papermill-error-cell-tag" in failed_nb.cells[0].metadata["tags"]  # the banner
    failed_html = (failed / "report.html").read_text()
    assert "An Exception was encountered" in failed_html and "asked to fail" in failed_html
    record = json.loads((failed / "run.json").read_text())
    assert record["outcome"] == "failed" and record["error"]["ename"] == "AssertionError"
    assert str(PROJECT_ROOT) not in json.dumps(record) and str(Path.home()) + "/" not in failed_html
    index = (reports / "index.html").read_text()
    assert "showing the previous good report" in index
    assert 'href="_failed/sample/label-a/report.html"' in index

    # 3. it succeeds again: the failure record goes
    monkeypatch.delenv("TC_TEST_FAIL")
    code, _, _ = run(capsys, "render", made_up["sample"], "-p", "label=a", "--to", "html",
                     "--out", reports, "--quiet")  # fmt: skip
    assert code == 0 and not failed.exists()


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_leaves_no_partial_files(made_up, how):
    reports = made_up["folder"] / f"killed-{how.name}"
    command = [sys.executable, "-m", "thirdcountry", "render", str(made_up["slow"]),
               "--to", "html", "--out", str(reports), "--quiet"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # The kernel is running once it has written to its log under .tmp/
        assert wait_for(lambda: kernel_started(reports))
        process.send_signal(how)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert not (reports / ".tmp").exists()
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert not [p for p in files if ".tmp" not in p.parts and p.name not in (".lock", "index.html")]
    # The next run clears what was left.
    code = main(["render", str(made_up["sample"]), "--to", "html", "--out", str(reports),
                 "--quiet"])  # fmt: skip
    assert code == 0
    assert not (reports / ".tmp").exists()


@pytest.mark.slow
def test_worker_processes_die_with_the_render(made_up):
    """After a SIGKILL of thirdcountry no worker stays behind (the kernel kills them too)."""
    reports = made_up["folder"] / "orphans"
    command = [sys.executable, "-m", "thirdcountry", "render", str(made_up["slow"]),
               "--to", "html", "--out", str(reports), "--quiet"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(lambda: kernel_started(reports))
    children = _children(process.pid)
    assert children
    process.kill()
    process.wait()
    assert wait_for(lambda: not [pid for pid in children if _alive(pid)], 15)


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kernel_environment_carries_the_data_folder(tmp_path):
    from thirdcountry.render.execute import kernel_environment

    env = kernel_environment(tmp_path)
    assert env["THIRDCOUNTRY_DATA"] == str(tmp_path)
    assert env["MPLBACKEND"] == "agg"
    assert os.environ.get("THIRDCOUNTRY_DATA") != str(tmp_path)
