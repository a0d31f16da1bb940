"""Small, escaping HTML building blocks for report output. Every piece of data text is escaped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import unescape

import pandas as pd
from markupsafe import escape

from thirdcountry.report.column_widths import LONG_ROW_CLASS, table_layout


def esc(value: object) -> str:
    """Data text as safe HTML text: missing values empty, lists joined with ', '."""
    if isinstance(value, Html):
        return value.markup
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (tuple, list)):
        return ", ".join(esc(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.date().isoformat()
    return str(escape(str(value)))  # markupsafe, as Jinja2 escapes: & < > " '


# Output metadata key under which a report cell hands files to the render layer.
FILES_METADATA_KEY = "thirdcountry_files"
# A frame column of evidence references per row: (kind, id) pairs. table() does not show it; it
# gathers the references of the rows it shows into Html.refs (see report/citations.py).
REFS_COLUMN = "_evidence_refs"
# Class of an element that states a generated claim (a finding, a status cell, a change, a figure).
CLAIM_CLASS = "tc-claim"
CLAIM_ATTRIBUTE = f' class="{CLAIM_CLASS}"'


class Html:
    """Markup that has already been escaped; shows as HTML in Jupyter and in nbconvert."""

    def __init__(
        self,
        markup: str,
        text: str | None = None,
        files: dict[str, str] | None = None,
        refs: Iterable[tuple[str, str]] = (),
    ):
        self.markup = markup
        self.text = text if text is not None else _strip_tags(markup)
        # Files to write beside the report ({relative name: text}), e.g. a full table as CSV;
        # they travel in the output's metadata, and the render layer writes them.
        self.files = dict(files or {})
        # The evidence this markup links to, (kind, id) in order: the report's Evidence appendix
        # must hold an entry for each (report/citations.py).
        self.refs: tuple[tuple[str, str], ...] = tuple(dict.fromkeys(refs))

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.markup, "text/plain": self.text}
        if not self.files:
            return data
        return data, {FILES_METADATA_KEY: self.files}

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(
            self.markup + other.markup,
            self.text + "\n" + other.text,
            {**self.files, **other.files},
            (*self.refs, *other.refs),
        )


def _strip_tags(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", markup))


def link(url: object, text: object | None = None) -> Html:
    """A link to an http(s) address; anything else (javascript:, data:, file:) is shown as text."""
    label = url if text is None else text
    if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s<>\"']+", url):
        return Html(esc(label), str(label or ""))
    return Html(f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(label)}</a>', str(label))


def internal_link(anchor: str, text: object, label: str = "") -> Html:
    """A link to an element of the same page (#anchor); label: what the link leads to, for
    screen readers and PDF link descriptions, where the visible text is short."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", anchor):
        raise ValueError(f"anchor {anchor!r}: lowercase letters, digits and hyphens only")
    title = f' title="{esc(label)}"' if label else ""
    return Html(f'<a href="#{anchor}"{title}>{esc(text)}</a>', str(text))


def paragraph(text: str, css_class: str = "") -> Html:
    """A paragraph of plain text (escaped here)."""
    attribute = f' class="{esc(css_class)}"' if css_class else ""
    return Html(f"<p{attribute}>{esc(text)}</p>", text)


def bullet_list(items: Iterable[str], css_class: str = "") -> Html:
    """A list of plain-text items (escaped here)."""
    items = list(items)
    attribute = f' class="{esc(css_class)}"' if css_class else ""
    body = "".join(f"<li>{esc(item)}</li>" for item in items)
    return Html(f"<ul{attribute}>{body}</ul>", "\n".join(f"- {item}" for item in items))


def plain_text(value: object) -> str:
    """What a cell shows, as plain text on one line (for sizing columns; never for output)."""
    if isinstance(value, Html):
        text = value.text
    elif value is None or value is pd.NA or (isinstance(value, float) and value != value):
        text = ""
    elif isinstance(value, (tuple, list)):
        text = ", ".join(plain_text(v) for v in value)
    elif isinstance(value, pd.Timestamp):
        text = "" if pd.isna(value) else value.date().isoformat()
    else:
        text = str(value)
    return " ".join(text.split())


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    caption: str = "",
    empty: str = "Nothing to show.",
    css_class: str = "tc-table",
    group_first: bool = False,
    claim_column: str | None = None,
) -> Html:
    """An HTML table of the chosen columns ({column: header}); every cell escaped.

    With group_first, a first-column value equal to the row above is left blank, and a new value
    starts a group (class tc-group-start), so grouped rows read as one block. Column widths come
    from the cells' text (report.column_widths): a <colgroup>, and the class tc-long on rows
    tall enough to be split across pages.
    claim_column: the column whose cells state a generated claim (class tc-claim); the frame's
    REFS_COLUMN, if any, gives each row's evidence, gathered into the result's refs.
    """
    if frame.empty:
        return paragraph(empty, "tc-empty")
    headers = list(columns.values())
    labels = [esc(header) for header in headers]
    body: list[tuple[list[str], list[str], list[str]]] = []  # (classes, markup, text) per row
    previous = object()
    refs: list[tuple[str, str]] = []
    if REFS_COLUMN in frame.columns:
        for row_refs in frame[REFS_COLUMN]:
            refs.extend(row_refs)
    claim_at = list(columns).index(claim_column) if claim_column and claim_column in columns else -1
    for record in frame[list(columns)].itertuples(index=False, name=None):
        cells = [esc(value) for value in record]
        texts = [plain_text(value) for value in record]
        classes = []
        if group_first:
            if record[0] == previous:
                cells[0] = texts[0] = ""
            else:
                classes.append("tc-group-start")
            previous = record[0]
        body.append((classes, cells, texts))
    layout = table_layout(headers, [texts for _, _, texts in body])
    rows = []
    for number, (classes, cells, _) in enumerate(body):
        if layout is not None and number in layout.long_rows:
            classes.append(LONG_ROW_CLASS)
        row_class = f' class="{" ".join(classes)}"' if classes else ""
        # data-label: the column's header, which a phone-width layout shows beside each cell.
        rows.append(
            f"<tr{row_class}>"
            + "".join(
                f'<td data-label="{h}"{CLAIM_ATTRIBUTE if i == claim_at else ""}>{c}</td>'
                for i, (h, c) in enumerate(zip(labels, cells, strict=True))
            )
            + "</tr>"
        )
    table_classes = [css_class, *(layout.table_classes if layout else [])]
    caption_html = f"<caption>{esc(caption)}</caption>" if caption else ""
    colgroup = layout.colgroup() if layout else ""
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    markup = (
        f'<table class="{esc(" ".join(c for c in table_classes if c))}">{caption_html}{colgroup}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    text = frame[list(columns)].to_string(index=False)
    return Html(markup, text, refs=refs)
