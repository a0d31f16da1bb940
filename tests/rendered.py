"""Shared by the proof suites (browser, accessibility, PDF, shared output, faults).

- `render_default_plan`: the default plan (reports.yml, the project's data), HTML and PDF, run
  once per session by the `default_plan` fixture in conftest.py, with a secret in the
  environment that must never reach shared output;
- `run_thirdcountry`: the real command line, in a subprocess (the renders fork workers; a test
  process that also drives a browser should not fork);
- reading reports: `html_facts` (title, headings, contents links, images, findings, links) and
  `pdf_facts` (pages, text, text positions, drawn images), both cached per file;
- the browser: `need` (skip, or fail under CI), `start_browser`, `OfflinePage` (a report opened
  from disk with every request that is not the file itself aborted and recorded).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from thirdcountry.paths import DEFAULT_DATA_DIR, DEFAULT_PLAN, DESCRIPTOR_NAME, PROJECT_ROOT
from thirdcountry.render.pdf import CHROMIUM_FLAGS

TESTS_DIR = Path(__file__).parent
GOOD_FIXTURE = TESTS_DIR / "fixtures" / "good"
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# The PDF engine's own flags, less the ones for printing: Playwright drives the window itself.
CHROMIUM_ARGS = [f for f in CHROMIUM_FLAGS if f not in ("--headless", "--no-pdf-header-footer")]
# Set in the environment of every render these suites run; it must appear in no output.
SECRET_VARIABLE = "THIRDCOUNTRY_TEST_SECRET"
SECRET = f"tc-secret-{uuid.uuid4().hex}"
A4_POINTS = (595.28, 841.89)
A4_CSS_PIXELS = (794, 1123)  # 210 mm x 297 mm at 96 px per inch


# ---- missing prerequisites: skipped locally, a failure in CI -----------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need(condition: object, reason: str) -> None:
    """Stop the test when a prerequisite is missing: pytest.fail under CI, else pytest.skip."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason}; `make browser` installs it (chromium only as root)")


def chromium_executable() -> str | None:
    """$THIRDCOUNTRY_CHROMIUM if set (and only it), else Debian's /usr/bin/chromium."""
    configured = os.environ.get("THIRDCOUNTRY_CHROMIUM")
    candidates = [configured, shutil.which(configured)] if configured else [CHROMIUM]
    if not configured:
        candidates.append(shutil.which("chromium"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def artifacts_dir(kind: str) -> Path:
    """Where test artifacts go: $THIRDCOUNTRY_ARTIFACTS/<kind>, else tests/artifacts/<kind>."""
    base = Path(os.environ.get("THIRDCOUNTRY_ARTIFACTS") or TESTS_DIR / "artifacts")
    folder = base / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def good_fact_base(target: Path) -> Path:
    """The small valid fact base in target (as conftest's assemble_fact_base builds it)."""
    shutil.copytree(GOOD_FIXTURE, target)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    return target


# ---- running the command line ----------------------------------------------------------------


def run_thirdcountry(
    *argv: object, cwd: Path | None = None, timeout: float = 300, python: Sequence[object] = ()
) -> subprocess.CompletedProcess:
    """`thirdcountry ARGV` in a subprocess, with SECRET in its environment.

    python: arguments for the interpreter instead of `-m thirdcountry`, e.g. ["-c", CODE, X]
    for a wrapper that patches something and then calls thirdcountry.cli.main(sys.argv[2:]).
    """
    env = dict(os.environ)
    env[SECRET_VARIABLE] = SECRET
    env.pop("THIRDCOUNTRY_DATA", None)
    start = list(python) or ["-m", "thirdcountry"]
    return subprocess.run(
        [sys.executable, *map(str, start), *map(str, argv)],
        cwd=cwd or PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass(frozen=True)
class Report:
    notebook: str
    slug: str
    folder: Path

    @property
    def label(self) -> str:
        return f"{self.notebook}/{self.slug}"

    @property
    def html(self) -> Path:
        return self.folder / "report.html"

    @property
    def pdf(self) -> Path:
        return self.folder / "report.pdf"


@dataclass
class Rendered:
    out: Path
    process: subprocess.CompletedProcess
    reports: list[Report] = field(default_factory=list)

    def explain(self) -> str:
        return f"exit {self.process.returncode}\n{self.process.stdout}\n{self.process.stderr}"


def reports_in(out: Path) -> list[Report]:
    """Every report in a reports folder that has a report.html, failed runs excluded."""
    found = []
    for html in sorted(out.glob("*/*/report.html")):
        notebook, slug = html.parent.parent.name, html.parent.name
        if not notebook.startswith(("_", ".")):
            found.append(Report(notebook, slug, html.parent))
    return found


def render_default_plan(base: Path) -> Rendered:
    """reports.yml on the project's data, HTML and PDF, two jobs, into base/reports (about 80
    reports with the agreement pages: on a machine shared with other busy processes that can
    take many minutes)."""
    out = base / "reports"
    process = run_thirdcountry(
        "render", "--plan", DEFAULT_PLAN, "--data", DEFAULT_DATA_DIR, "--out", out,
        "--to", "html,pdf", "--jobs", "2", "--quiet", timeout=3600,
    )  # fmt: skip
    return Rendered(out, process, reports_in(out))


def default_plan_reports(rendered: Rendered) -> list[Report]:
    """The rendered reports, or a failed test explaining why there are none."""
    if rendered.process.returncode != 0 or not rendered.reports:
        pytest.fail("the default plan did not render:\n" + rendered.explain(), pytrace=False)
    return rendered.reports


# ---- reading an HTML report ------------------------------------------------------------------


@dataclass
class HtmlFacts:
    title: str = ""
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text
    toc_links: list[str] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # tag, attribute, value
    active: list[str] = field(default_factory=list)  # elements and attributes that run code


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
ACTIVE_TAGS = {"script", "svg", "iframe", "object", "embed", "frame", "base", "form", "meta"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self._stack: list[str] = []
        self._heading: list | None = None
        self._anchor_link = 0
        self._in_title = False
        self._in_toc = 0
        self._finding: list[str] | None = None
        self._in_findings = 0

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES:
                self.facts.urls.append((tag, name, value))
            if name.startswith("on") or name == "srcdoc":
                self.facts.active.append(f"<{tag} {name}>")
        if tag in ACTIVE_TAGS and not (
            tag == "meta" and set(attributes) <= {"charset", "name", "content"}
        ):
            self.facts.active.append(f"<{tag}>")
        if tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), attributes.get("id", ""), []]
        elif tag == "a" and "anchor-link" in classes:
            self._anchor_link += 1
        elif tag == "nav" and "toc" in classes:
            self._in_toc += 1
        elif tag == "a" and self._in_toc:
            self.facts.toc_links.append(attributes.get("href", ""))
        elif tag == "img":
            self.facts.images.append(attributes)
        elif tag == "ul" and "tc-findings" in classes:
            self._in_findings += 1
        elif tag == "li" and self._in_findings:
            self._finding = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif self._heading is not None and tag == f"h{self._heading[0]}":
            level, anchor, parts = self._heading
            self.facts.headings.append((level, anchor, " ".join("".join(parts).split())))
            self._heading = None
        elif tag == "a" and self._anchor_link:
            self._anchor_link -= 1
        elif tag == "nav" and self._in_toc:
            self._in_toc -= 1
        elif tag == "li" and self._finding is not None:
            self.facts.findings.append(" ".join("".join(self._finding).split()))
            self._finding = None
        elif tag == "ul" and self._in_findings:
            self._in_findings -= 1

    def handle_data(self, data):
        if self._in_title:
            self.facts.title += data
        if self._heading is not None and not self._anchor_link:
            self._heading[2].append(data)
        if self._finding is not None:
            self._finding.append(data)


@cache
def html_facts(path: Path) -> HtmlFacts:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    reader.facts.title = " ".join(reader.facts.title.split())
    return reader.facts


def is_javascript_url(value: str) -> bool:
    """As a browser reads a URL: whitespace and control characters inside the scheme ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return cleaned.startswith(("javascript:", "vbscript:"))


# ---- reading a PDF ---------------------------------------------------------------------------


@dataclass
class PdfFacts:
    title: str | None
    page_sizes: list[tuple[float, float]]
    text: str
    runs: list[tuple[int, str, float, float, float]]  # page, text, x, y, font size
    drawn_images: set[int]  # object numbers of the image XObjects drawn on some page


@cache
def pdf_facts(path: Path) -> PdfFacts:
    """One pass over the PDF: text with positions (pypdf's visitors) and the images drawn."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    reader = PdfReader(path)
    sizes, texts, runs, drawn = [], [], [], set()
    for number, page in enumerate(reader.pages, start=1):
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}

        def text_run(text, cm, tm, font, size, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = math.hypot(tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3])
                runs.append((number, text, x, y, size * scale))

        def operator(op, args, cm, tm, xobjects=xobjects):
            if op == b"Do" and args:
                reference = xobjects.get(args[0])
                if isinstance(reference, IndirectObject):
                    target = reference.get_object()
                    if target.get("/Subtype") == "/Image":
                        drawn.add(reference.idnum)

        texts.append(page.extract_text(visitor_text=text_run, visitor_operand_before=operator))
    title = reader.metadata.title if reader.metadata else None
    return PdfFacts(title, sizes, "\n".join(texts), runs, drawn)


def squeezed(text: str) -> str:
    """Text without any whitespace: PDF text extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


# ---- the browser -----------------------------------------------------------------------------


@contextlib.contextmanager
def start_browser() -> Iterator[object]:
    """Debian's chromium through Playwright (never a downloaded browser), or skip/fail."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a pinned dev dependency
        need(False, f"playwright is not importable ({exc})")
    executable = chromium_executable()
    wanted = os.environ.get("THIRDCOUNTRY_CHROMIUM") or CHROMIUM
    need(executable, f"no chromium at {wanted} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            need(False, f"chromium at {executable} does not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OfflinePage:
    """A file opened in a fresh context in which nothing but the file itself may load."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)  # every URL other than the file's
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    @contextlib.contextmanager
    def open(cls, browser, path: Path, **context_options) -> Iterator[OfflinePage]:
        context = browser.new_context(service_workers="block", **context_options)
        try:
            opened = cls(context.new_page(), path.resolve().as_uri())
            context.route("**/*", opened._route)
            context.on("weberror", lambda error: opened.console_errors.append(str(error.error)))
            page = opened.page
            page.on("request", opened._request)
            page.on("websocket", lambda socket: opened.requests.append(socket.url))
            page.on("console", opened._console)
            page.on("pageerror", lambda error: opened.console_errors.append(f"pageerror: {error}"))
            page.on("dialog", opened._dialog)
            page.goto(opened.url, wait_until="load")
            yield opened
        finally:
            context.close()

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _request(self, request) -> None:
        if request.url != self.url and not request.url.startswith("data:"):
            self.requests.append(request.url)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"console: {message.text}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    @property
    def outside_requests(self) -> list[str]:
        return sorted(set(self.requests))
