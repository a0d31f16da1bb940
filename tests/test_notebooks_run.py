"""The notebooks run: several parameter sets, an empty selection, the exploration notebook, and
the Jupyter server `make lab` starts."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _render(tmp_path, *argv):
    out = tmp_path / "reports"
    result = subprocess.run(
        [BIN / "thirdcountry", "render", *argv, "--to", "html", "--out", out, "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Three parameter sets in one batch: a past date and two countries, a country with no
    agreement (Japan; France is now a party to the UK–France pilot), a country with some."""
    tmp = tmp_path_factory.mktemp("notebooks")
    plan = tmp / "plan.yml"
    plan.write_text(
        "reports:\n"
        "  - notebook: overview\n"
        "    parameters: {as_of: 2021-03-01, since: 2020-01-01, countries: [CAN, GTM]}\n"
        "  - notebook: country\n"
        "    for_each: {country: [JPN, SLV]}\n",
        encoding="utf-8",
    )
    return _render(tmp, "--plan", plan, "--jobs", "2")


def _html(out: Path, notebook: str) -> str:
    (folder,) = [p for p in (out / notebook).iterdir() if p.is_dir()]
    return (folder / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_overview_for_a_past_date_and_two_countries(rendered):
    html = _html(rendered, "overview")
    # The key findings in plain sentences (issue 26).
    assert "On 1 March 2021, 1 agreement was in force and 1 paused or ended." in html
    assert "US–Honduras" not in html.split("Key findings", 1)[1].split("Status history", 1)[0]


@pytest.mark.slow
def test_a_country_without_agreements_says_so(rendered):
    html = (rendered / "country" / "country-jpn" / "report.html").read_text(encoding="utf-8")
    assert "No agreements match" in html
    assert "Traceback" not in html


@pytest.mark.slow
def test_a_country_with_agreements_has_every_section(rendered):
    html = (rendered / "country" / "country-slv" / "report.html").read_text(encoding="utf-8")
    for heading in ("Key findings", "Status history", "Actors", "Sources", "About this report"):
        assert heading in html
    assert html.count("<img") >= 3  # status board, status history, event timeline


@pytest.mark.slow
def test_the_exploration_notebook_runs(tmp_path):
    import papermill

    output = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "explore.ipynb"),
        str(output),
        cwd=str(tmp_path),
        progress_bar=False,
        kernel_name="python3",
    )
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 4
    # The four live views: a widget, and its first state as HTML where no widget can show.
    live = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(live) == 4
    for view in live[:3]:  # status, events, an agreement's history: a chart and tables
        html = "".join(view["data"]["text/html"])
        assert "<img" in html and 'alt="' in html and "<table" in html
    assert "<table" in "".join(live[3]["data"]["text/html"])  # figures: tables

    # Saved without widget state (JupyterLab's default), nbconvert shows each view's fallback.
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(output, as_version=4)
    notebook.metadata.pop("widgets", None)
    page, _ = HTMLExporter().from_notebook_node(notebook)
    # Tables carry width classes after tc-table (report.column_widths), hence the open quote.
    assert page.count('<table class="tc-table') >= 4
    assert page.count('alt="Status board') + page.count("alt=&quot;Status board") >= 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_jupyter_server_lists_the_notebooks(tmp_path):
    port, token = _free_port(), "thirdcountry-test-token"
    server = subprocess.Popen(
        [BIN / "jupyter", "server", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listing = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        names = {item["name"] for item in listing["content"]}
        assert {"overview.ipynb", "country.ipynb", "explore.ipynb"} <= names
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode is not None
