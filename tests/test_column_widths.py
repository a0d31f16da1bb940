"""Report tables are built with their column widths (<colgroup>) and long-row marks."""

import re

import pandas as pd

from thirdcountry.report.column_widths import column_widths, table_layout
from thirdcountry.report.safe_html import link, table


def test_columns_get_widths_from_their_text():
    rows = [
        ["Source", "Tier", "Quotes used"],
        ["cbs-reprint-2025-01-26", "reprint", "a long verbatim quote " * 20],
        ["hstoday-2020-12-slv-aca", "news", "another quote " * 30],
    ]
    widths = column_widths(rows)
    assert widths is not None
    assert round(sum(widths)) == 100 and widths[2] > 50 > widths[0] > widths[1]
    assert column_widths([["only"], ["one column"]]) is None
    assert column_widths([["a", "b"]]) is None  # a header alone settles nothing
    assert table_layout(["a", "b"], [["x", "y"], ["ragged"]]) is None


def test_tables_are_built_with_their_colgroup():
    """safe_html.table() sizes the columns as it builds the table; nothing parses HTML later."""
    frame = pd.DataFrame(
        {"a": ["x", "cbs-reprint-2025-01-26"], "b": ["y", link("https://e.org/a-long-path", "z")]}
    )
    sized = table(frame, {"a": "A", "b": "B"}, caption="c").markup
    assert sized.startswith('<table class="tc-table tc-fixed"><caption>c</caption><colgroup><col ')
    assert sized.count("<col ") == 2 and "</colgroup><thead>" in sized
    widths = [float(w) for w in re.findall(r'<col style="width:([0-9.]+)%">', sized)]
    assert round(sum(widths)) == 100 and widths[0] > widths[1]  # 'z' is what the link shows
    one_column = table(frame, {"a": "A"}).markup
    assert "<colgroup>" not in one_column and "tc-fixed" not in one_column
    six = pd.DataFrame({str(n): ["v", "w"] for n in range(6)})
    wide = table(six, {str(n): f"H{n}" for n in range(6)}).markup
    assert wide.startswith('<table class="tc-table tc-fixed tc-wide">')


def test_only_rows_taller_than_a_third_of_a_page_may_split():
    quotes = " · ".join(f"quote number {n} from the source" for n in range(80))
    frame = pd.DataFrame({"source": ["short", "long"], "quotes": ["one quote", quotes]})
    sized = table(frame, {"source": "Source", "quotes": "Quotes"}).markup
    assert sized.count("tc-long") == 1
    assert '<tr class="tc-long"><td data-label="Source">long</td>' in sized
    grouped = table(frame.assign(g=["a", "b"]), {"g": "G", "quotes": "Q"}, group_first=True)
    assert '<tr class="tc-group-start tc-long">' in grouped.markup
