"""Tables that may run long: the report shows the top rows and a count, the full table goes
beside the report as CSV (tables/<name>.csv, written by the render layer) and is linked.

Keeps the PDF short at any size of fact base: an appendix table never runs past about a page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pandas as pd

from thirdcountry.report.safe_html import Html, esc, table

TABLES_DIR = "tables"  # beside report.html
SHOWN_ROWS = 6  # about a page of the appendix's tables, whose rows run to several lines


def csv_text(frame: pd.DataFrame, columns: Mapping[str, str]) -> str:
    """The table as CSV with the headers the report shows; lists joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns.values()))
    for record in frame[list(columns)].itertuples(index=False, name=None):
        writer.writerow([_cell(value) for value in record])
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, Html):
        return value.text
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (tuple, list)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def long_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    name: str,
    *,
    shown: int = SHOWN_ROWS,
    what: str = "rows",
    csv_columns: Mapping[str, str] | None = None,
    **options,
) -> Html:
    """The first `shown` rows as an HTML table, a count of the rest, and the full table as CSV.

    name: the CSV's file name without extension (lowercase letters, digits, hyphens).
    what: what a row is, for the count ('steps', 'sources').
    csv_columns: the CSV's columns, where they differ from the report's (default: the same).
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"table name {name!r}: lowercase letters, digits and hyphens only")
    if frame.empty:
        return table(frame, columns, **options)
    path = f"{TABLES_DIR}/{name}.csv"
    files = {path: csv_text(frame, csv_columns or columns)}
    total = len(frame)
    link = f'<a href="{esc(path)}" download>{esc(path)}</a>'
    if total <= shown:
        note = f'<p class="tc-table-note">The table as CSV: {link}.</p>'
        shown_table = table(frame, columns, **options)
        return Html(shown_table.markup + note, shown_table.text, files, shown_table.refs)
    rest = total - shown
    head = table(frame.head(shown), columns, **options)
    text = (
        f"The first {shown} of {total:,} {what}; the other {rest:,} are in the full table, "
        f"{path}, beside this report."
    )
    note = (
        f'<p class="tc-table-note">The first {shown} of {total:,} {esc(what)}; the other '
        f"{rest:,} are in the full table beside this report: {link}.</p>"
    )
    return Html(head.markup + note, head.text + "\n" + text, files, head.refs)


def full_tables(tables: Mapping[str, Html]) -> Html:
    """Only the CSV files of some long tables ({what: table}), linked in one paragraph: for
    tables whose rows the report no longer shows, kept whole beside it."""
    files: dict[str, str] = {}
    links = []
    for what, shown in tables.items():
        for path, text in shown.files.items():
            files[path] = text
            rows = max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
            links.append(f'<a href="{esc(path)}" download>{esc(path)}</a> ({rows:,} {esc(what)})')
    if not links:
        return Html("")
    markup = f'<p class="tc-table-note">The full tables beside this report: {", ".join(links)}.</p>'
    return Html(markup, files=files)
