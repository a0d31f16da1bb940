"""explore.ipynb in JupyterLab, in a real browser, as a newcomer uses it.

`make lab` starts JupyterLab on loopback with a token (its "browser" is `true`, so the page it
would open is only written down); Debian's chromium, through Playwright, opens that page, runs
all cells, moves the date slider to 2021-03-01 and reads the status table back, searches the
events, and keeps a screenshot of each view under tests/artifacts/lab/ (or
$THIRDCOUNTRY_ARTIFACTS/lab/). The server is stopped by its PID. No request may leave loopback.
Needs chromium: skipped where it is missing, a failure when CI is set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from rendered import artifacts_dir

from thirdcountry import analysis
from thirdcountry.facts import load_facts
from thirdcountry.paths import PROJECT_ROOT
from thirdcountry.report import views
from thirdcountry.report.palette import status_label

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
TARGET = dt.date(2021, 3, 1)
ACA_2019 = ["us-gtm-aca-2019", "us-hnd-aca-2019", "us-slv-aca-2019"]
SCREEN = {"width": 1280, "height": 1100}
WAIT_MS = 120_000

LAB_SETTINGS = {
    "docmanager-extension/plugin": {"autosave": False},
    "apputils-extension/notification": {"fetchNews": "false"},
}
NOTEBOOK = PROJECT_ROOT / "notebooks" / "explore.ipynb"

TABLE_ROWS = """(pane) => [...document.querySelectorAll(pane + ' table tbody tr')].map(
  (tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """`make lab` as started by a reader, on loopback with a token; stopped by its PID."""

    def __init__(self, tmp: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.runtime = tmp / "runtime"
        self.log = tmp / "lab.log"
        flags = (
            f"--ip=127.0.0.1 --port={self.port} --ServerApp.port_retries=0 "
            f"--IdentityProvider.token={self.token} --LabApp.news_url=None "
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"
        )
        # Settings of a user who never saves by accident: no autosave (the test must not write
        # outputs into notebooks/), no question about news.
        settings = tmp / "settings" / "@jupyterlab"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = {
            **os.environ,
            "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
            "HOME": str(tmp / "home"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
            "BROWSER": "true",  # the page Lab would open is written to jpserver-PID-open.html
        }
        for inherited in ("THIRDCOUNTRY_DATA", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            env.pop(inherited, None)  # the project's data; a make of its own (under `make test`)
        with self.log.open("wb") as log:
            self.make = subprocess.Popen(
                ["make", "-s", "-o", ".venv/.installed-core", "-o", ".venv/.installed-lab",
                 f"BIN={BIN}", "lab", f"LAB_FLAGS={flags}"],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.server: dict = {}
        self.open_url = ""

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.make.poll() is not None:
                pytest.fail(f"make lab exited {self.make.returncode}:\n{self.log.read_text()}")
            # Written when Lab opens a file it was given: the page the browser is sent to.
            opened = sorted(self.runtime.glob("jpserver-file-to-run-*-open.html"))
            if opened:
                pid = re.search(r"-(\d+)-open\.html$", opened[0].name).group(1)
                self.server = json.loads((self.runtime / f"jpserver-{pid}.json").read_text())
                page = opened[0].read_text(encoding="utf-8")
                self.open_url = re.search(r'<a href="([^"]+)"', page).group(1).replace("&amp;", "&")
                return
            time.sleep(0.3)
        pytest.fail(f"make lab did not come up in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        """SIGTERM to the server's PID (it shuts its kernels down), then make ends with it."""
        if self.server.get("pid"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.server["pid"], signal.SIGTERM)
        try:
            self.make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.make.pid, signal.SIGKILL)  # the session this test started
            self.make.wait(timeout=10)


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab from `make lab` (after the browser fixture: no server without a browser)."""
    committed = NOTEBOOK.read_bytes()
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()
        saved = NOTEBOOK.read_bytes()
        if saved != committed:
            NOTEBOOK.write_bytes(committed)  # never leave the session's outputs in the project
    assert server.make.returncode is not None
    assert saved == committed, "JupyterLab saved notebooks/explore.ipynb during the test"


@pytest.fixture(scope="module")
def session(browser, lab):
    """explore.ipynb opened the way `make lab` opens it, every cell run once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=SCREEN, service_workers="block")
    outside: list[str] = []
    allowed = f"http://127.0.0.1:{lab.port}/"

    def route(request_route):
        url = request_route.request.url
        if url.startswith((allowed, "data:", "blob:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    failure = artifacts_dir("lab") / "failure.png"
    failure.unlink(missing_ok=True)
    try:
        page.goto(lab.open_url)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        with contextlib.suppress(PlaywrightTimeout):  # a fresh Lab may ask for the kernel
            page.get_by_role("button", name="Select", exact=True).click(timeout=5000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        # Cells out of sight are not laid out (content-visibility), so wait for them to exist.
        page.wait_for_selector(".tc-view-status .tc-date-slider .noUi-handle", state="attached")
        page.wait_for_selector(".tc-view-figures .tc-pane-3 table", state="attached")
        page.wait_for_function(
            "() => ![...document.querySelectorAll('.jp-InputPrompt')]"
            ".some((p) => p.textContent.includes('*'))"
        )
        with contextlib.suppress(PlaywrightTimeout):  # Lab's one-time question about news
            page.get_by_role("button", name="No", exact=True).click(timeout=2000)
        page.keyboard.press("Control+b")  # the file browser aside: the notebook gets the width
    except Exception:
        page.screenshot(path=failure)  # what the browser showed when it went wrong
        raise
    yield page, outside
    context.close()


def _show(page, view: str) -> None:
    page.evaluate(f"document.querySelector('.tc-view-{view}').scrollIntoView()")
    page.wait_for_timeout(300)


def test_make_lab_serves_the_project_root_and_opens_explore(lab):
    assert Path(lab.server["root_dir"]).resolve() == PROJECT_ROOT.resolve()
    assert "/lab/tree/notebooks/explore.ipynb" in lab.open_url
    assert lab.server["url"].startswith(f"http://127.0.0.1:{lab.port}/")


def test_moving_the_date_slider_redraws_the_status_table(session):
    page, _ = session
    facts = load_facts()
    days = views.month_starts(
        facts.events["earliest"].min().date(), analysis.latest_event_date(facts)
    )
    target = days.index(TARGET)
    handle = page.locator(".tc-view-status .tc-date-slider .noUi-handle")
    assert int(float(handle.get_attribute("aria-valuemax"))) == len(days) - 1
    _show(page, "status")
    # Drag the handle to the target's place on the track, then step with the arrow keys.
    track = page.locator(".tc-view-status .tc-date-slider .noUi-base").bounding_box()
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    x = track["x"] + track["width"] * target / (len(days) - 1)
    page.mouse.move(x, start["y"] + start["height"] / 2, steps=12)
    page.mouse.up()
    for _ in range(10):
        off = target - round(float(handle.get_attribute("aria-valuenow")))
        if off == 0:
            break
        handle.press("ArrowRight" if off > 0 else "ArrowLeft")
    readout = page.locator(".tc-view-status .tc-date-slider .widget-readout")
    assert readout.inner_text() == TARGET.isoformat()
    page.wait_for_function(
        "(text) => document.querySelector('.tc-view-status .tc-pane-1').innerText.includes(text)",
        arg="Not yet on record on 1 March 2021",
    )
    page.wait_for_function(
        "() => !document.querySelector('.tc-view-status .tc-view-busy').innerText.trim()"
    )
    shown = {row[0]: row for row in page.evaluate(TABLE_ROWS, ".tc-view-status .tc-pane-1")}
    # What the data says for that day: the 2019 agreements were suspended on 6 February 2021,
    # and their termination was noticed the same day, so that is the furthest step shown.
    status = analysis.status_as_of(facts, TARGET).set_index("agreement_id")
    steps = analysis.lifecycle_steps(facts)
    for agreement_id in ACA_2019:
        title, expected = status.loc[agreement_id, "title"], status.loc[agreement_id, "status"]
        suspended = steps[(steps["agreement_id"] == agreement_id) & (steps["step"] == "suspended")]
        assert suspended["latest"].iloc[0] <= pd.Timestamp(TARGET)
        assert expected == "termination_noticed or terminated"
        assert shown[title][2] == status_label(expected)
        assert shown[title][3] == "6 February 2021"
    board_alt = page.locator(".tc-view-status .tc-pane-0 img").get_attribute("alt")
    assert "1 Mar 2021" in board_alt
    page.screenshot(path=artifacts_dir("lab") / "status-2021-03-01.png")


def test_searching_the_events(session):
    page, _ = session
    _show(page, "events")
    search = page.locator(".tc-view-events input[type=text]")
    search.fill("Bukele")
    search.press("Enter")
    page.wait_for_function(
        "() => { const rows = document.querySelectorAll('.tc-view-events .tc-pane-1 tbody tr');"
        " return rows.length > 0 && rows.length < 40; }"
    )
    rows = page.evaluate(TABLE_ROWS, ".tc-view-events .tc-pane-1")
    assert rows and all("bukele" in (row[3] + row[4]).casefold() for row in rows)
    links = page.locator(".tc-view-events .tc-pane-1 a[href^='http']")
    assert links.count() >= 1
    _show(page, "events")
    page.screenshot(path=artifacts_dir("lab") / "events-bukele.png")


def test_an_agreements_history(session):
    page, _ = session
    _show(page, "agreement")
    picked = (
        page.locator(".tc-view-agreement select option:checked").inner_text().replace("\xa0", " ")
    )
    assert picked.startswith("US–Guatemala Asylum Cooperative Agreement (2019)")
    evidence = page.evaluate(TABLE_ROWS, ".tc-view-agreement .tc-pane-1")
    assert any(row[2] == "sets the date" for row in evidence)
    assert page.locator(".tc-view-agreement .tc-pane-2 table").count() >= 1
    page.screenshot(path=artifacts_dir("lab") / "agreement-us-gtm-aca-2019.png")


def test_figures(session):
    page, _ = session
    _show(page, "figures")
    assert page.locator(".tc-view-figures .tc-pane-0 img").count() == 1  # people sent
    assert page.locator(".tc-view-figures .tc-pane-3 a[href^='http']").count() >= 1
    page.screenshot(path=artifacts_dir("lab") / "figures.png")


def test_nothing_left_loopback(session):
    _, outside = session
    assert not outside


def test_screenshots_are_kept(session):
    shots = sorted(artifacts_dir("lab").glob("*.png"))
    assert len(shots) >= 4
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
