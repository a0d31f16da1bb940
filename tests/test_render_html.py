"""The HTML template and PDF engines on a made-up executed notebook: no kernel needed."""

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from thirdcountry.render import pdf
from thirdcountry.render.html_export import stylesheet, to_html

TINY_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
    )
).decode()


def executed_notebook():
    """What an executed report notebook looks like, with every kind of cell and output."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    parameters = new_code_cell('as_of: str = ""  # the date')
    parameters.metadata["tags"] = ["parameters"]
    injected = new_code_cell('# Parameters\nas_of = "2025-01-26"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    setup = new_code_cell("from thirdcountry import report\nSECRET_SETUP = 1")
    setup.metadata["tags"] = ["setup"]
    heading = new_code_cell("overview.heading()", execution_count=3)
    heading.outputs = [
        new_output(
            "execute_result",
            {
                "text/html": '<h1 class="tc-title">Deals &amp; returns</h1><p>as of today</p>',
                "text/plain": "Deals & returns",
            },
            execution_count=3,
        )
    ]
    chart = new_code_cell("overview.status_board()")
    chart.outputs = [
        new_output(
            "display_data",
            {"image/png": TINY_PNG, "text/plain": "Board of 3 agreements"},
            metadata={"image/png": {"alt": 'Board: 2 "in force" <& 1 ended>', "width": 880}},
        ),
        new_output("display_data", {"image/png": TINY_PNG, "text/plain": "<Figure size 6x4>"}),
        new_output("stream", name="stderr", text="a warning from /home/someone/x.py\n"),
    ]
    table = new_code_cell("overview.status_table()")
    table.outputs = [
        new_output(
            "execute_result",
            {"text/html": "<table><tr><td>&lt;script&gt;</td></tr></table>"},
            execution_count=5,
        )
    ]
    script = new_code_cell("display(Javascript('alert(1)'))")
    script.outputs = [
        new_output("display_data", {"application/javascript": "alert(1)", "text/plain": "js"})
    ]
    nb.cells = [
        parameters,
        injected,
        setup,
        heading,
        new_markdown_cell("## Key findings\n\nText."),
        chart,
        new_markdown_cell("## Conflicts & data quality\n\n### Spellings <i>found</i>\n\nMore."),
        table,
        new_markdown_cell("### Quotes not checked"),
        script,
        new_markdown_cell("## About this report"),
    ]
    return nb


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page():
    html, title = to_html(executed_notebook(), fallback_title="overview/default")
    parser = Page()
    parser.feed(html)
    return html, title, parser.tags


def test_title_comes_from_the_first_h1(page):
    html, title, _ = page
    assert title == "Deals & returns"
    assert "<title>Deals &amp; returns</title>" in html


def test_code_parameters_and_setup_are_hidden(page):
    html, _, _ = page
    for hidden in ("as_of: str", "# Parameters", "SECRET_SETUP", "overview.heading()"):
        assert hidden not in html


def test_nothing_is_fetched_from_the_network(page):
    html, _, tags = page
    assert not [t for t in tags if t[0] in ("script", "link", "iframe")]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "require" not in html.lower()


def test_starts_with_title_then_contents_linking_to_the_headings(page):
    html, _, tags = page
    body = html[html.index("<main>") :]
    assert body.index("tc-title") < body.index('<nav class="toc"') < body.index("Key findings")
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    nav = html[html.index('<nav class="toc"') : html.index("</nav>")]
    links = re.findall(r'href="#([^"]+)"', nav)
    assert links == [
        "Key-findings",
        "Conflicts-&amp;-data-quality",
        "Spellings-found",
        "Quotes-not-checked",
        "About-this-report",
    ]
    assert {link.replace("&amp;", "&") for link in links} <= ids
    assert "<ol><li>" in nav and "Spellings found</a>" in nav  # ### nested under its ##


def test_images_are_embedded_with_their_own_alt_text(page):
    html, _, tags = page
    images = [attrs for tag, attrs in tags if tag == "img"]
    assert len(images) == 2
    assert all(attrs["src"].startswith("data:image/png;base64,") for attrs in images)
    assert images[0]["alt"] == 'Board: 2 "in force" <& 1 ended>'
    assert images[0]["width"] == "880"
    assert images[1]["alt"] == ""  # a bare repr is no description; nor is nbconvert's stock one
    assert "No description has been provided" not in html


def test_outputs_are_not_unescaped_and_scripts_not_run(page):
    html, _, _ = page
    assert "<td>&lt;script&gt;</td>" in html
    assert "alert(1)" not in html
    assert "a warning from" not in html  # stderr stays in the notebook, not in the report


def test_stylesheet_is_lean_and_carries_print_rules(page):
    html, _, _ = page
    css = stylesheet()
    assert len(css) < 10_000
    assert len(html.encode()) < 20_000
    for rule in ("size: A4", "break-after: avoid", "orphans: 3; widows: 3", "max-width: 100%",
                 "thead { display: table-header-group", "table-layout: fixed"):  # fmt: skip
        assert rule in css


def test_failed_copy_shows_code_and_errors():
    nb = executed_notebook()
    nb.cells[3].outputs = [
        new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"])
    ]
    html, _ = to_html(nb, fallback_title="overview/default (failed)", failed=True)
    assert "overview.heading()" in html and "ValueError: bad" in html
    assert "a warning from" in html


def test_weasyprint_pdf_has_the_report_title(page, tmp_path):
    from pypdf import PdfReader

    html, title, _ = page
    target = tmp_path / "report.pdf"
    pdf.html_to_pdf(html, target, "weasyprint", tmp_path)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert reader.metadata.title == title
    assert "Key findings" in reader.pages[0].extract_text()


def test_chromium_is_called_headless_offline_with_a_fresh_profile(tmp_path):
    command = pdf.chromium_command(
        "/usr/bin/chromium", tmp_path / "r.html", tmp_path / "r.pdf", tmp_path / "profile"
    )
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={tmp_path / 'r.pdf'}",
    ):
        assert flag in command
    assert command[-1] == (tmp_path / "r.html").as_uri()


def test_chromium_engine_is_refused_where_it_is_missing(monkeypatch):
    monkeypatch.setenv("THIRDCOUNTRY_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(pdf.PdfEngineError, match="no chromium found"):
        pdf.check_engine("chromium")


def test_chromium_engine_runs_the_configured_browser(monkeypatch, tmp_path):
    """A stand-in browser that writes a PDF where it is told: the engine's plumbing works."""
    fake = tmp_path / "chromium"
    fake.write_text(
        '#!/bin/sh\nfor a in "$@"; do case $a in --print-to-pdf=*) '
        'printf "%%PDF-1.4 fake" > "${a#--print-to-pdf=}";; esac; done\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("THIRDCOUNTRY_CHROMIUM", str(fake))
    target = tmp_path / "out.pdf"
    pdf.html_to_pdf("<title>t</title>", target, "chromium", tmp_path)
    assert target.read_bytes().startswith(b"%PDF")


def test_the_stylesheet_lays_out_sized_tables():
    """report.column_widths marks tables and rows; the stylesheet gives the classes effect."""
    css = stylesheet()
    assert "table.tc-fixed { table-layout: fixed; }" in css
    assert "tr { break-inside: avoid" in css and "tr.tc-long { break-inside: auto" in css


def test_render_leaves_the_tables_as_the_report_built_them(page):
    html, _, _ = page
    assert "<table><tr><td>&lt;script&gt;</td></tr></table>" in html  # as the output had it
    assert "<colgroup>" not in html


def test_template_is_shipped_as_package_data():
    from thirdcountry.render.html_export import TEMPLATES_DIR

    names = {p.name for p in Path(TEMPLATES_DIR, "thirdcountry").iterdir()}
    assert {"conf.json", "index.html.j2", "report.css"} <= names
    assert nbformat  # the test notebook above is a valid nbformat document
    nbformat.validate(executed_notebook())
