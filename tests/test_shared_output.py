"""Security and privacy of what a render shares: HTML, PDF, executed notebook, run.json, index.

- Text in the data that looks like HTML or script is shown as text, never run: a hostile fact
  base (markup in an event summary, entity names, an agreement title, source titles and
  publishers, notes) is rendered and opened in chromium.
- No link anywhere is a javascript: URL, and `thirdcountry validate` refuses one in the data.
- No shared file names this machine: no absolute local path, no user or host name, no value of
  the environment (a secret set in the environment of every render), failed runs included.
- Parameter values cannot run code in the kernel: they are shown literally, or refused.
"""

from __future__ import annotations

import csv
import getpass
import json
import re
import socket
import sys
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml
from rendered import (
    SECRET,
    OfflinePage,
    Rendered,
    default_plan_reports,
    good_fact_base,
    html_facts,
    is_javascript_url,
    pdf_facts,
    reports_in,
    run_thirdcountry,
    squeezed,
)

from thirdcountry.cli import main
from thirdcountry.paths import DATA_PACKAGE_FILE, NOTEBOOKS_DIR, PROJECT_ROOT
from thirdcountry.render import batch

SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1">'
ATTRIBUTE = "\"'><svg onload=alert(document.domain)>"
LINK = '<a href="javascript:window.__pwned=1">click</a>'
PAYLOADS = (SCRIPT, IMAGE, ATTRIBUTE, LINK)
HOSTILE = " ".join(PAYLOADS)
# (file, id column, id, column): where the hostile text goes in the good fixture.
POISONED = [
    ("events.csv", "event_id", "gtm-2025-negotiating", "summary"),  # the latest event
    ("events.csv", "event_id", "gtm-signed", "summary"),
    ("events.csv", "event_id", "gtm-in-force-news", "note"),
    ("entities.csv", "entity_id", "gtm", "name"),
    ("entities.csv", "entity_id", "donald-trump", "name"),
    ("agreements.csv", "agreement_id", "us-gtm", "title"),
    ("agreements.csv", "agreement_id", "us-can", "notes"),
    ("sources.csv", "source_id", "gov", "title"),
    ("sources.csv", "source_id", "news", "publisher"),
    ("conflicts.csv", "conflict_id", "gtm-in-force-date", "description"),
]
FAILING_CELL = 'import pandas as pd\n\npd.read_csv(overview.facts.data_dir / "missing.csv")'


def _edit_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
        fields = list(rows[0])
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def poison(data: Path) -> None:
    for name, key, wanted, column in POISONED:

        def change(row, key=key, wanted=wanted, column=column):
            if row[key] == wanted:
                row[column] = f"{row[column]} {HOSTILE}".strip()

        _edit_csv(data / name, change)


def failing_notebook(folder: Path) -> Path:
    """The overview notebook plus a last cell that fails reading a file of the fact base."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(NOTEBOOKS_DIR / "overview.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(FAILING_CELL))
    path = folder / "failing.ipynb"
    nbformat.write(nb, path)
    return path


@dataclass
class Hostile:
    data: Path
    rendered: Rendered

    @property
    def out(self) -> Path:
        return self.rendered.out

    @property
    def overview(self) -> Path:
        return self.out / "overview" / "default" / "report.html"

    @property
    def failed(self) -> Path:
        return self.out / "_failed" / "failing" / "default"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    """The overview of a hostile fact base, and a failing report on it: one render, exit 1."""
    base = tmp_path_factory.mktemp("hostile")
    data = good_fact_base(base / "facts")
    poison(data)
    plan = base / "plan.yml"
    failing = failing_notebook(base / "notebooks")
    plan.write_text(
        yaml.safe_dump({"reports": [{"notebook": "overview"}, {"notebook": str(failing)}]})
    )
    out = base / "reports"
    process = run_thirdcountry(
        "render", "--plan", plan, "--data", data, "--out", out, "--to", "html,pdf",
        "--jobs", "2", "--quiet",
    )  # fmt: skip
    rendered = Rendered(out, process, reports_in(out))
    assert process.returncode == 1, rendered.explain()
    assert [report.label for report in rendered.reports] == ["overview/default"]
    hostile = Hostile(data, rendered)
    assert (hostile.failed / "run.json").is_file(), rendered.explain()
    return hostile


# ---- hostile text in the data ----------------------------------------------------------------


def test_the_hostile_fact_base_is_valid_data(tmp_path):
    """Markup in free text is legitimate data: it must be shown, not refused."""
    data = good_fact_base(tmp_path / "facts")
    poison(data)
    assert main(["validate", "--data", str(data)]) == 0
    assert HOSTILE in (data / "entities.csv").read_text(encoding="utf-8").replace('""', '"')


@pytest.mark.slow
def test_hostile_text_is_escaped_in_the_html(hostile):
    for path in (hostile.overview, hostile.failed / "report.html", hostile.out / "index.html"):
        html = path.read_text(encoding="utf-8")
        for payload in PAYLOADS:
            assert payload not in html, (path.name, payload)
        assert not html_facts(path).active, (path, html_facts(path).active)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in hostile.overview.read_text()


@pytest.mark.slow
def test_hostile_text_shows_literally_and_never_runs_in_the_browser(browser, hostile):
    pages = [hostile.overview, hostile.failed / "report.html", hostile.out / "index.html"]
    for path in pages:
        with OfflinePage.open(browser, path) as opened:
            page = opened.page
            page.wait_for_timeout(100)  # give an injected handler the chance it must not get
            assert page.evaluate("() => typeof window.__pwned") == "undefined", path
            assert page.evaluate("() => document.querySelectorAll('script, svg').length") == 0
            assert not opened.dialogs, (path, opened.dialogs)
            assert not opened.outside_requests, (path, opened.outside_requests)
            assert not opened.console_errors, (path, opened.console_errors)
            if path.name == "report.html":
                text = page.inner_text("body")
                for payload in PAYLOADS:
                    assert payload in text, (path, payload)


@pytest.mark.slow
def test_hostile_text_shows_literally_in_the_pdf(hostile):
    facts = pdf_facts(hostile.overview.with_name("report.pdf"))
    for payload in PAYLOADS:
        assert squeezed(payload) in squeezed(facts.text), payload


def _pdf_actions(path: Path) -> list[str]:
    """Every action a PDF can take: document-level scripts, open actions, link annotations."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    root = reader.trailer["/Root"].get_object()
    found = [f"catalog {key}" for key in ("/OpenAction", "/AA") if key in root]
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.append("catalog /Names /JavaScript")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            found.append(f"page {number} /AA")
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            kind = action.get("/S")
            uri = str(action.get("/URI", ""))
            allowed = (
                _is_web(uri)
                or _is_table_beside_report(uri)
                or uri == DATA_PACKAGE_FILE
                or _is_agreement_page(uri)
            )
            if kind not in ("/URI", "/GoTo") or (kind == "/URI" and not allowed):
                found.append(f"page {number}: {kind} {uri[:60]}")
    return found


def _is_web(url: str) -> bool:
    return re.fullmatch(r"https?://[^\s<>\"']+", url) is not None


def _is_table_beside_report(url: str) -> bool:
    """A full appendix table shipped in the report's own folder, e.g. tables/sources.csv."""
    return re.fullmatch(r"tables/[a-z0-9-]+\.csv", url) is not None


def _is_agreement_page(url: str) -> bool:
    """An agreement's page beside the report in the reports folder (report/page_links.py)."""
    return re.fullmatch(r"\.\./\.\./agreement/agreement-[a-z0-9-]+/report\.html", url) is not None


def test_links_to_agreement_pages_are_the_only_relative_links_beside_tables():
    from thirdcountry.report.page_links import page_link

    href = re.search(r'href="([^"]+)"', page_link("us-gtm-aca-2019", "x").markup)[1]
    assert _is_agreement_page(href)
    assert not _is_agreement_page("../../../etc/passwd")
    assert not _is_agreement_page("file:///work/reports/agreement/agreement-x/report.html")


@pytest.mark.slow
def test_no_pdf_carries_scripts_or_links_other_than_the_web(default_plan, hostile):
    pdfs = [r.pdf for r in default_plan_reports(default_plan)] + [
        hostile.overview.with_name("report.pdf")
    ]
    problems = {path.parent.name: _pdf_actions(path) for path in pdfs}
    assert not {name: found for name, found in problems.items() if found}


# ---- javascript: URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:window.__pwned=1",
        "javascript://example.org/%0Aalert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_validate_refuses_a_source_url_that_is_not_the_web(tmp_path, capsys, url):
    data = good_fact_base(tmp_path / "data")

    def change(row):
        if row["source_id"] == "gov":
            row["url"] = url

    _edit_csv(data / "sources.csv", change)
    code = main(["validate", "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 2
    assert "sources.csv:3:url:" in err and "Traceback" not in err, err


def test_javascript_urls_are_recognised_as_a_browser_reads_them():
    for url in [
        "javascript:x",
        " JavaScript:x",
        "java\tscript:x",
        "\x01javascript:x",
        "vbscript:x",
    ]:
        assert is_javascript_url(url), url
    for url in ["https://example.org/javascript:x", "#javascript", "report.html"]:
        assert not is_javascript_url(url), url


def _html_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


@pytest.mark.slow
def test_no_link_in_any_html_is_a_javascript_url(default_plan, hostile):
    pages = _html_files(default_plan.out, hostile.out)
    assert len(pages) >= len(default_plan.reports) + 3
    found = [
        (path.relative_to(path.parents[2]), tag, attribute, value)
        for path in pages
        for tag, attribute, value in html_facts(path).urls
        if is_javascript_url(value)
    ]
    assert not found


# ---- nothing about this machine --------------------------------------------------------------

SYSTEM_ROOTS = {
    "work", "tmp", "root", "home", "Users", "var", "private", "mnt", "srv", "opt", "usr", "etc",
    "proc", "run", "media", "builds", "workspace", "data", "nix",
}  # fmt: skip
# An absolute POSIX path where one starts: not inside a URL, a word or a fraction.
_PART = r"[^\s/'\"<>:,;()\[\]{}|`\\]*"
ABSOLUTE_PATH = re.compile(rf"(?<![\w.:/~%\-])/{_PART}(?:/{_PART})*")
BASE64 = re.compile(r"base64,[A-Za-z0-9+/=]+|\"image/(?:png|jpeg|gif)\": \"[^\"]*\"")


def _identities() -> list[str]:
    names = []
    for getter in (getpass.getuser, socket.gethostname, lambda: Path.home().name):
        try:
            name = getter()
        except (OSError, KeyError):
            continue
        if name and name not in names and name != "/":
            names.append(name)
    return names


def _places(extra: list[Path]) -> list[str]:
    candidates = [PROJECT_ROOT, Path.home(), sys.prefix, sys.base_prefix, sys.exec_prefix,
                  tempfile.gettempdir(), Path.cwd(), *extra]  # fmt: skip
    places = set()
    for candidate in candidates:
        for form in (str(candidate), str(Path(candidate).resolve())):
            if form.count("/") >= 1 and form != "/":
                places.add(form)
    return sorted(places, key=len, reverse=True)


def leaks(text: str, places: list[str], identities: list[str]) -> list[str]:
    """What in a shared text names this machine, each as a short excerpt."""
    text = BASE64.sub("base64,", text)
    found = []
    if SECRET in text:
        found.append(f"the environment secret {SECRET}")
    if "file:/" in text:
        found.append("a file: URL " + text[text.index("file:/") :][:60])
    roots = SYSTEM_ROOTS | {place.split("/")[1] for place in places}
    for match in ABSOLUTE_PATH.finditer(text):
        path = match.group(0)
        parts = path.split("/")
        if parts[1] in roots or any(path.startswith(p) for p in places):
            found.append(f"absolute path {path[:80]}")
        elif any(name in parts for name in identities):
            found.append(f"user or host in path {path[:80]}")
    for name in identities:
        escaped = re.escape(name)
        patterns = [rf"~{escaped}(?![\w-])", rf"(?<![\w.-]){escaped}@\w", rf"pytest-of-{escaped}"]
        if len(name) >= 6:  # long enough not to be a word of the report's prose
            patterns.append(rf"(?<![\w-]){escaped}(?![\w-])")
        for pattern in patterns:
            for match in re.finditer(pattern, text, flags=re.IGNORECASE):
                start = max(0, match.start() - 30)
                found.append(f"user or host name: ...{text[start : match.end() + 30]}...")
    return found


def shared_texts(out: Path) -> list[tuple[str, str]]:
    """(name, text) of every file a reports folder shares; PDFs as their metadata and text."""
    from pypdf import PdfReader

    texts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        if path.name == ".lock":
            continue
        if path.suffix == ".pdf":
            metadata = PdfReader(path).metadata or {}
            texts.append(
                (name + " (metadata)", json.dumps({k: str(v) for k, v in metadata.items()}))
            )
            texts.append((name + " (text)", pdf_facts(path).text))
        elif path.suffix == ".zip":  # e.g. a snapshot of the facts a report used
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    text = archive.read(member).decode("utf-8", errors="replace")
                    texts.append((f"{name}:{member.filename}", member.filename + "\n" + text))
        else:
            texts.append((name, path.read_bytes().decode("utf-8", errors="replace")))
    return texts


@pytest.mark.slow
def test_no_shared_output_names_this_machine(default_plan, hostile, tmp_path_factory):
    default_plan_reports(default_plan)
    places = _places([tmp_path_factory.getbasetemp(), default_plan.out, hostile.data])
    identities = _identities()
    checked, problems = 0, []
    for out in (default_plan.out, hostile.out):
        assert not (out / ".tmp").exists()
        for name, text in shared_texts(out):
            checked += 1
            problems += [
                f"{out.parent.name}/{name}: {leak}" for leak in leaks(text, places, identities)
            ]
    failed = {p.name for p in hostile.failed.iterdir()}
    assert failed == {"report.html", "report.ipynb", "run.json"}
    assert checked >= 4 * len(default_plan.reports) + 5
    assert not problems, "\n".join(problems[:30])


@pytest.mark.slow
def test_the_failed_run_says_what_failed_without_the_path(hostile):
    record = json.loads((hostile.failed / "run.json").read_text())
    assert record["outcome"] == "failed" and record["error"]["ename"] == "FileNotFoundError"
    assert "facts/missing.csv" in record["error"]["evalue"], record["error"]["evalue"]
    assert str(hostile.data) not in json.dumps(record)


def test_the_leak_check_finds_what_it_looks_for(tmp_path):
    places = _places([tmp_path])
    identities = ["root", "build-host-7"]
    for text in [
        f"FileNotFoundError: '{tmp_path}/facts/x.csv'",
        "File /work/main/src/thirdcountry/report/overview.py:12",
        'see "/home/alice/notes.txt"',
        f"{SECRET}",
        "file:///srv/reports/index.html",
        "ran on build-host-7 today",
        "root@box:~$ ls",
    ]:
        assert leaks(text, places, identities), text
    for text in [
        "https://example.org/home/root/page and https://x.org/tmp/a",
        "the root cause, 24/7, and/or 1/2",
        "./src/thirdcountry/report/overview.py:12, [python]/lib/x.py, [tmp]/run-1, facts/x.csv",
    ]:
        assert not leaks(text, places, identities), text


# ---- parameters cannot run code --------------------------------------------------------------

CODE_TITLES = [
    'x"); import os; os.system("touch {sentinel}") #',
    "x'''); import os; os.system('touch {sentinel}') #",
    'x\\"); import os; os.system(\\"touch {sentinel}\\") #',
    '{{__import__("os").system("touch {sentinel}")}} $(touch {sentinel}) `touch {sentinel}`',
]
# A title that names a local place (the temp folder), which the render hides in shared output.
PATH_TITLE = f"Notes copied from {tempfile.gettempdir()}/notes.txt"


def _sentinel(tag: str) -> str:
    """A relative file name: touched, it would appear in the kernel's or the command's folder."""
    return f"SENTINEL-{tag}-{uuid.uuid4().hex[:12]}"


def _touched(name: str, cwd: Path) -> list[Path]:
    """Where a `touch name` would have landed; removed again so the project stays clean."""
    found = [p / name for p in (NOTEBOOKS_DIR, PROJECT_ROOT, cwd) if (p / name).exists()]
    for path in found:
        path.unlink()
    return found


def _assert_shown_literally(folder: Path, title: str) -> None:
    facts = html_facts(folder / "report.html")
    assert facts.title == title
    assert [text for level, _, text in facts.headings if level == 1] == [title]
    record = json.loads((folder / "run.json").read_text())
    assert record["title"] == title and record["parameters"]["title"] == title


@pytest.mark.slow
def test_code_in_a_parameter_is_shown_literally_never_run(tmp_path):
    """-p title='x"); import os; os.system("touch SENTINEL") #' is accepted, and only shown."""
    data = good_fact_base(tmp_path / "facts")
    sentinel = _sentinel("p")
    title = CODE_TITLES[0].format(sentinel=sentinel)
    out = tmp_path / "reports"
    process = run_thirdcountry("render", "overview", "-p", f"title={title}", "--data", data,
                               "--out", out, "--to", "html", "--quiet", cwd=tmp_path)  # fmt: skip
    assert not _touched(sentinel, tmp_path)
    assert process.returncode == 0, process.stdout + process.stderr  # accepted, not refused
    (folder,) = [report.folder for report in reports_in(out)]
    assert re.fullmatch(r"title-[a-z0-9-]+", folder.name), folder.name
    _assert_shown_literally(folder, title)


@pytest.fixture(scope="module")
def title_renders(tmp_path_factory) -> dict[str, Path]:
    """More titles in one plan: quotes, backslashes, braces, shell; and one naming a path."""
    base = tmp_path_factory.mktemp("titles")
    data = good_fact_base(base / "facts")
    sentinels = [_sentinel(str(n)) for n in range(1, len(CODE_TITLES))]
    titles = [t.format(sentinel=s) for t, s in zip(CODE_TITLES[1:], sentinels, strict=True)]
    plan = base / "plan.yml"
    entry = {"notebook": "overview", "for_each": {"title": [*titles, PATH_TITLE]}}
    plan.write_text(yaml.safe_dump({"reports": [entry]}))
    out = base / "reports"
    process = run_thirdcountry("render", "--plan", plan, "--data", data, "--out", out,
                               "--to", "html", "--jobs", "2", "--quiet", cwd=base)  # fmt: skip
    assert not [found for s in sentinels for found in _touched(s, base)]
    assert process.returncode == 0, process.stdout + process.stderr
    shown = {}
    for report in reports_in(out):
        record = json.loads((report.folder / "run.json").read_text())
        shown[record["parameters"]["title"]] = report.folder
    assert sorted(shown) == sorted([*titles, PATH_TITLE])
    return shown


@pytest.mark.slow
def test_quotes_escapes_braces_and_shell_in_parameters_never_run(title_renders):
    for title, folder in title_renders.items():
        if title != PATH_TITLE:
            _assert_shown_literally(folder, title)


@pytest.mark.slow
def test_a_local_path_in_report_text_is_hidden_without_injecting_markup(title_renders):
    html = (title_renders[PATH_TITLE] / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(?:tmp|python)>", html)
    headings = html_facts(title_renders[PATH_TITLE] / "report.html").headings
    (h1,) = [text for level, _, text in headings if level == 1]
    assert h1 in (PATH_TITLE, PATH_TITLE.replace(tempfile.gettempdir(), "[tmp]"))


@pytest.fixture
def no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a render started although the parameter should be refused")

    monkeypatch.setattr(batch, "render_reports", refuse)


@pytest.mark.parametrize(
    ("notebook", "assignment", "message"),
    [
        ("overview", 'title=x\nimport os; os.system("touch {sentinel}")',
         "title: must be one line without control characters"),
        ("overview", "title=x\rimport os #", "title: must be one line"),
        ("overview", "title=" + "x" * 201, "title: is 201 characters long, over 200"),
        ("overview", 'as_of=2025-01-01"); import os; os.system("touch {sentinel}") #',
         "as_of: '2025-01-01\""),
        ("overview", """countries=["SLV", "__import__('os').system('touch {sentinel}')"]""",
         "countries: \"__import__('os')"),
        ("country", "country=__import__('os')", "country: \"__import__('os')\" is not an ISO"),
    ],
)  # fmt: skip
def test_parameters_that_are_not_one_plain_value_are_refused_before_any_kernel(
    tmp_path, capsys, no_kernels, notebook, assignment, message
):
    sentinel = _sentinel("refused")
    code = main(["render", notebook, "-p", assignment.format(sentinel=sentinel),
                 "--out", str(tmp_path / "reports"), "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert not _touched(sentinel, Path.cwd())
    assert code == 2
    assert err.count("\n") == 2 and err.startswith(f"thirdcountry render: {message}"), err
    assert " ERROR render stopped: 1 problem in the input" in err.splitlines()[-1]
    assert not (tmp_path / "reports").exists()
