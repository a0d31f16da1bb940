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

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from thirdcountry.paths import TEMPLATES_DIR
from thirdcountry.render.compat import exporter_notebook_metadata, exporter_resources
from thirdcountry.render.header_scopes import with_header_scopes
from thirdcountry.render.report_preprocessor import ReportPreprocessor

TEMPLATE_NAME = "thirdcountry"
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


@cache
def _exporter():
    """One exporter per process: building it loads the templates (~0.1 s), reusing it is free."""
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
