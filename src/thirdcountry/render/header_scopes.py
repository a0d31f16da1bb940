"""Every table header cell in a report says what it heads: `<th scope="col">` or `scope="row"`.

The report layer's own tables (report/safe_html.table) already write `scope="col"`. Tables from
elsewhere do not: a pandas DataFrame's HTML (column headers and index cells are bare `<th>`), a
markdown table in a notebook cell. So the HTML export gives each `<th>` without a scope one by
its place, the rule a reader (and a screen reader) would apply: a header cell in `<thead>` heads
its column, one in `<tbody>` or `<tfoot>` heads its row (a header row straight under `<table>`
heads columns). render/pdf_structure.py gives the PDF's /TH elements the same scope by the
same rule.
"""

from __future__ import annotations

from html.parser import HTMLParser

COLUMN, ROW = "col", "row"
_SECTIONS = ("thead", "tbody", "tfoot")


def scope_for(section: str) -> str:
    """The scope of a header cell with none, from the table section it is in ("" for none)."""
    return ROW if section in ("tbody", "tfoot") else COLUMN


def with_header_scopes(html: str) -> str:
    """html with `scope` added to every `<th>` that has none; nothing else is changed."""
    finder = _HeaderCells()
    finder.feed(html)
    finder.close()
    if not finder.missing:
        return html
    line_starts = [0]  # html.parser counts lines by "\n" alone
    newline = html.find("\n")
    while newline != -1:
        line_starts.append(newline + 1)
        newline = html.find("\n", newline + 1)
    parts: list[str] = []
    done = 0
    for line, column, scope in finder.missing:
        at = line_starts[line - 1] + column + len("<th")  # right after the tag's name
        parts += [html[done:at], f' scope="{scope}"']
        done = at
    parts.append(html[done:])
    return "".join(parts)


class _HeaderCells(HTMLParser):
    """Where the `<th>` tags without a scope are, as (line, column, scope); html.parser reads
    the tags, so text, comments and scripts that look like tags are left alone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.sections: list[str] = []  # the open tables' sections, innermost last ("" for none)
        self.missing: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.sections.append("")
        elif tag in _SECTIONS:
            if self.sections:
                self.sections[-1] = tag
        elif tag == "th" and not any(name == "scope" for name, _ in attrs):
            line, column = self.getpos()
            section = self.sections[-1] if self.sections else ""
            self.missing.append((line, column, scope_for(section)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self.sections:
                self.sections.pop()
        elif tag in _SECTIONS and self.sections:
            self.sections[-1] = ""
