"""The report's nbconvert preprocessor: hidden cells dropped, the title found, the contents
inserted. A Preprocessor subclass, registered on the exporter (render.html_export) the way
nbconvert documents; the title and contents come from the cells' HTML and markdown.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import escape
from nbconvert.preprocessors import Preprocessor

HIDDEN_TAGS = ("parameters", "injected-parameters", "setup")
TOC_LEVELS = (2, 3)


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


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


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
        link = f'<a href="#{escape(anchor)}">{escape(text)}</a>'
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
