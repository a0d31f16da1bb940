"""Column widths for report tables, decided once from their text, so pages lay out fast and well.

Browsers and WeasyPrint size table columns from each cell's longest unbreakable word and longest
line ("automatic table layout"). On A4 that goes wrong for our wide tables (long source ids and
URLs squeeze the verbatim quotes into a sliver, or push the table off the page), and in
WeasyPrint it is most of the time a PDF takes. So safe_html.table() gives each table it builds a
<colgroup> with widths from the same rule, counted in characters from the cells' text, and the
stylesheet lays tables out with those widths (`table-layout: fixed`), letting long words wrap
anywhere. Rows estimated taller than a third of a page get the class tc-long: only those may be
split across pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Layout:
    """How one table is laid out: its columns' percent widths and which body rows may split."""

    widths: list[float]
    long_rows: frozenset[int]  # indexes into the body rows

    @property
    def wide(self) -> bool:
        return len(self.widths) >= WIDE_COLUMNS

    @property
    def table_classes(self) -> list[str]:
        return [FIXED_CLASS, WIDE_CLASS] if self.wide else [FIXED_CLASS]

    def colgroup(self) -> str:
        columns = "".join(f'<col style="width:{width:.1f}%">' for width in self.widths)
        return f"<colgroup>{columns}</colgroup>"


def table_layout(header: list[str], body: list[list[str]]) -> Layout | None:
    """The layout of a table from its cells' plain text, or None when the text does not settle
    one (fewer than two columns or rows, or ragged rows): the browser's own layout then."""
    widths = column_widths([header, *body])
    if widths is None:
        return None
    wide = len(widths) >= WIDE_COLUMNS
    long_rows = frozenset(
        number
        for number, row in enumerate(body)
        if estimated_lines(row, widths, wide) > LONG_ROW_LINES
    )
    return Layout(widths, long_rows)


def column_widths(rows: list[list[str]]) -> list[float] | None:
    """Percent widths of the columns (rows[0] is the header), or None when not a plain grid.

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


def estimated_lines(row: list[str], widths: list[float], wide: bool) -> float:
    """About how many lines the tallest cell of a row takes at these column widths."""
    line = LINE_CHARACTERS * (WIDE_SCALE if wide else 1.0)
    tallest = 0.0
    for text, width in zip(row, widths, strict=True):
        per_line = max(1.0, line * width / 100 - CELL_PADDING)
        tallest = max(tallest, math.ceil(1.15 * len(text) / per_line))  # 15% lost to wrapping
    return tallest
