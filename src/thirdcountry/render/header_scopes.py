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

import re

# The tags that decide a header cell's scope, and the header cells themselves.
_TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|th)\b([^>]*)>", re.I)
_SCOPE = re.compile(r"\bscope\s*=", re.I)
COLUMN, ROW = "col", "row"


def scope_for(section: str) -> str:
    """The scope of a header cell with none, from the table section it is in ("" for none)."""
    return ROW if section in ("tbody", "tfoot") else COLUMN


def with_header_scopes(html: str) -> str:
    """html with `scope` added to every `<th>` that has none; nothing else is changed."""
    sections: list[str] = []  # the open table sections, innermost last ("" for a bare table)

    def fix(match: re.Match[str]) -> str:
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name == "table":
            if closing:
                if sections:
                    sections.pop()
            else:
                sections.append("")
            return match.group(0)
        if name in ("thead", "tbody", "tfoot"):
            if sections:
                sections[-1] = "" if closing else name
            return match.group(0)
        if closing or _SCOPE.search(attributes):
            return match.group(0)
        scope = scope_for(sections[-1] if sections else "")
        return f'<{match.group(2)} scope="{scope}"{attributes}>'

    return _TAG.sub(fix, html)
