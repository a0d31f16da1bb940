"""Column widths for report tables, decided once from their text, so pages lay out fast and well.

Browsers and WeasyPrint size table columns from each cell's longest unbreakable word and longest
line ("automatic table layout"). On A4 that goes wrong for our wide tables (long source ids and
URLs squeeze the verbatim quotes into a sliver, or push the table off the page), and in
WeasyPrint it is most of the time a PDF takes. So each table gets a <colgroup> with widths from
the same rule, counted in characters, and the stylesheet lays tables out with those widths
(`table-layout: fixed`), letting long words wrap anywhere.

Rows estimated taller than a third of a page get the class tc-long: only those may be split
across pages. Only structure is added (classes and <col> elements); no cell is touched.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S | re.I)
ROW = re.compile(r"<tr\b([^>]*)>", re.I)
LINE_CHARACTERS = 92  # about what one A4 line of table text holds
LONGEST_WORD = 14  # a longer word (an id, a URL) wraps rather than widening its column
SHORT_WORD = 8  # the same in tables with too many columns for that
WIDE_COLUMNS = 6  # tables with this many columns get a smaller font (class tc-wide)
WIDE_SCALE = 8.6 / 7.8  # so a line holds that many more characters (see report.css)
CELL_PADDING = 3
FIXED_CLASS = "tc-fixed"
WIDE_CLASS = "tc-wide"
# A row taller than this many lines (about a third of an A4 page) may continue on the next
# page; shorter rows are never split.
LONG_ROW_LINES = 20
LONG_ROW_CLASS = "tc-long"


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.spans = False
        self.nested = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.nested += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if any(name in ("colspan", "rowspan") for name, _ in attrs):
                self.spans = True
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def column_widths(rows: list[list[str]]) -> list[float] | None:
    """Percent widths of the columns, or None when the table is not a plain grid.

    Counted in characters: each column gets its header's longest word and up to LONGEST_WORD of
    its cells' (longer words wrap), and the rest of a LINE_CHARACTERS line is shared by how much
    longer a column's cells are on average, so the long texts get the width. When the columns
    do not fit so, the cells' words are wrapped at SHORT_WORD instead.
    """
    columns = max((len(row) for row in rows), default=0)
    if columns < 2 or len(rows) < 2 or any(len(row) != columns for row in rows):
        return None
    header, body = rows[0], rows[1:]
    least, floor, need = [], [], []
    for index in range(columns):
        texts = [row[index] for row in body]
        word = max((len(w) for text in texts for w in text.split()), default=1)
        header_word = max((len(w) for w in header[index].split()), default=1)
        average = sum(len(text) for text in texts) / len(texts)
        least.append(max(min(word, LONGEST_WORD), header_word) + CELL_PADDING)
        floor.append(max(min(word, SHORT_WORD, round(average)), header_word) + CELL_PADDING)
        need.append(average + CELL_PADDING)
    line = LINE_CHARACTERS * (WIDE_SCALE if columns >= WIDE_COLUMNS else 1.0)
    if sum(need) <= line:
        widths = [max(n, m) for n, m in zip(need, least, strict=True)]
    else:
        base = least if sum(least) <= line else floor
        room = max(0.0, line - sum(base))
        extra = [max(0.0, n - b) for n, b in zip(need, base, strict=True)]
        total_extra = sum(extra) or 1.0
        widths = [b + room * e / total_extra for b, e in zip(base, extra, strict=True)]
    total = sum(widths)
    return [100 * w / total for w in widths]


def with_column_widths(html: str) -> str:
    """The HTML with a <colgroup> and the fixed-layout class on every plain table."""
    return TABLE.sub(_sized, html)


def _sized(match: re.Match[str]) -> str:
    attributes, inner = match.group(1), match.group(2)
    if re.search(r"<colgroup|<table", inner, re.I):
        return match.group(0)
    parser = _Cells()
    parser.feed(inner)
    widths = None if parser.spans else column_widths(parser.rows)
    if widths is None:
        return match.group(0)
    wide = len(widths) >= WIDE_COLUMNS
    attributes = _add_class(attributes, FIXED_CLASS + (f" {WIDE_CLASS}" if wide else ""))
    long_rows = {
        number
        for number, row in enumerate(parser.rows)
        if estimated_lines(row, widths, wide) > LONG_ROW_LINES
    }
    if long_rows:
        counter = iter(range(len(parser.rows)))
        inner = ROW.sub(
            lambda row: (
                f"<tr{_add_class(row.group(1), LONG_ROW_CLASS)}>"
                if next(counter, -1) in long_rows
                else row.group(0)
            ),
            inner,
        )
    columns = "".join(f'<col style="width:{w:.1f}%">' for w in widths)
    caption = re.match(r"\s*<caption\b.*?</caption>", inner, re.S | re.I)
    at = caption.end() if caption else 0
    colgroup = f"<colgroup>{columns}</colgroup>"
    return f"<table{attributes}>{inner[:at]}{colgroup}{inner[at:]}</table>"


def estimated_lines(row: list[str], widths: list[float], wide: bool) -> float:
    """About how many lines the tallest cell of a row takes at these column widths."""
    line = LINE_CHARACTERS * (WIDE_SCALE if wide else 1.0)
    tallest = 0.0
    for text, width in zip(row, widths, strict=True):
        per_line = max(1.0, line * width / 100 - CELL_PADDING)
        tallest = max(tallest, math.ceil(1.15 * len(text) / per_line))  # 15% lost to wrapping
    return tallest


def _add_class(attributes: str, name: str) -> str:
    found = re.search(r'\bclass="([^"]*)"', attributes)
    if found:
        return attributes.replace(found.group(0), f'class="{found.group(1)} {name}"', 1)
    return f'{attributes} class="{name}"'
