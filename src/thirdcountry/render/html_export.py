"""Executed notebook -> self-contained HTML, with nbconvert's Python API and our own template.

The template (src/thirdcountry/templates/thirdcountry/) loads nothing from the network: no
require.js, MathJax or mermaid, no web fonts; the stylesheet is our own (a few KB rather than the
lab template's 276 KB) and carries the print rules the PDF relies on. A report shows no code, no
parameters cell, no injected-parameters cell and no setup cell; it starts with the report title
(the first h1 in the outputs) and a table of contents of the ## and ### headings. Images are
embedded, with the alt text the report layer put in their output metadata.
"""

from __future__ import annotations

from functools import cache
from html import escape
from html.parser import HTMLParser

from thirdcountry.paths import TEMPLATES_DIR
from thirdcountry.render.header_scopes import with_header_scopes

TEMPLATE_NAME = "thirdcountry"
HIDDEN_TAGS = ("parameters", "injected-parameters", "setup")
TOC_LEVELS = (2, 3)
# What the report shows of an output, best first; scripts and widgets are never shown.
MIME_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]


def stylesheet() -> str:
    return (TEMPLATES_DIR / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8")


def to_html(nb, *, fallback_title: str, failed: bool = False) -> tuple[str, str]:
    """(html, title) of an executed notebook. A failed run's copy keeps its code and errors."""
    exporter = _exporter()
    exporter.exclude_input = not failed
    exporter.thirdcountry_failed = failed
    resources = {
        "thirdcountry": {
            "title": fallback_title,
            "css": _css(),
            "body_class": "report failed" if failed else "report",
            "show_stderr": failed,
        }
    }
    html, resources = exporter.from_notebook_node(nb, resources=resources)
    return with_header_scopes(html), resources["thirdcountry"]["title"]


@cache
def _css() -> str:
    return stylesheet()


@cache
def _exporter():
    """One exporter per process: building it loads the templates (~0.1 s), reusing it is free."""
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import Preprocessor
    from traitlets.config import Config

    from thirdcountry.render.compat import exporter_notebook_metadata, exporter_resources

    class ReportPreprocessor(Preprocessor):
        """Drops the hidden cells (for reports), finds the title, inserts the contents."""

        def preprocess(self, nb, resources):
            failed = getattr(self.parent, "thirdcountry_failed", False)
            if not failed:
                nb.cells = [c for c in nb.cells if not set(HIDDEN_TAGS) & set(_tags(c))]
            found = _title(nb)
            if found is not None:
                resources["thirdcountry"]["title"] = found[0]
            if not failed:
                entries = _headings(nb)
                if entries:
                    position = found[1] + 1 if found is not None else 0
                    nb.cells.insert(position, _toc_cell(entries))
            return nb, resources

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its BeautifulSoup pass, which only adds a stock alt text
        ("No description has been provided for this image") and tabindex attributes: our
        template writes each image's own alt text."""

        def from_notebook_node(self, nb, resources=None, **kw):
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            highlight = Highlight2HTML(pygments_lexer=lexer, parent=self)
            self.register_filter("highlight_code", self.filters.get("highlight_code", highlight))
            resources = exporter_resources(self, resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=exporter_notebook_metadata(self),
                    parent=self,
                    resources=resources,
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    config = Config()
    config.NbConvertBase.display_data_priority = MIME_PRIORITY
    exporter = ReportExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="¶",
    )
    exporter.register_preprocessor(ReportPreprocessor(parent=exporter), enabled=True)
    return exporter


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# ---- title and table of contents -------------------------------------------------------------


class _Headings(HTMLParser):
    """Headings in an HTML fragment: (level, id, text)."""

    def __init__(self, levels: tuple[int, ...]):
        super().__init__(convert_charrefs=True)
        self.levels = levels
        self.found: list[tuple[int, str, str]] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() and int(tag[1]) in self.levels:
            self._open = (int(tag[1]), dict(attrs).get("id") or "")
            self._text = []
        elif tag == "a" and ("class", "anchor-link") in attrs:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._open and tag == f"h{self._open[0]}":
            text = " ".join("".join(self._text).split())
            self.found.append((self._open[0], self._open[1], text))
            self._open = None

    def handle_data(self, data):
        if self._open and not self._skip:
            self._text.append(data)


def _title(nb) -> tuple[str, int] | None:
    """The text of the first h1 in the outputs, and the index of its cell."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html")
            if not markup:
                continue
            parser = _Headings((1,))
            parser.feed("".join(markup) if isinstance(markup, list) else markup)
            if parser.found and parser.found[0][2]:
                return parser.found[0][2], index
    return None


def _headings(nb) -> list[tuple[int, str, str]]:
    """## and ### headings of the markdown cells, with the ids nbconvert gives them."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "#" not in cell.source:
            continue
        renderer = IPythonRenderer(escape=False, anchor_link_text="¶")
        parser = _Headings(TOC_LEVELS)
        parser.feed(MarkdownWithMath(renderer=renderer).render(cell.source))
        found += [entry for entry in parser.found if entry[1] and entry[2]]
    return found


def _toc_cell(entries: list[tuple[int, str, str]]):
    """A raw HTML cell: the contents as a list of ## headings, each with its ### headings.

    Heading text and ids are escaped here; the template shows the cell as it is.
    """
    import nbformat

    parts = ['<nav class="toc" aria-labelledby="toc-heading">']
    parts.append('<h2 id="toc-heading">Contents</h2><ol>')
    in_item = in_sublist = False
    for level, anchor, text in entries:
        link = f'<a href="#{escape(anchor, quote=True)}">{escape(text)}</a>'
        if level == TOC_LEVELS[0] or not in_item:
            if in_sublist:
                parts.append("</ol>")
                in_sublist = False
            if in_item:
                parts.append("</li>")
            parts.append(f"<li>{link}")
            in_item = True
        else:
            if not in_sublist:
                parts.append("<ol>")
                in_sublist = True
            parts.append(f"<li>{link}</li>")
    if in_sublist:
        parts.append("</ol>")
    if in_item:
        parts.append("</li>")
    parts.append("</ol></nav>")
    cell = nbformat.v4.new_raw_cell("".join(parts))
    cell.metadata["thirdcountry"] = {"generated": "toc"}
    cell.metadata["raw_mimetype"] = "text/html"
    return cell
