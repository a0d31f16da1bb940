"""Tables that may run long: the report shows the top rows, folds the rest (HTML) and carries
the whole table as CSV (tables/<name>.csv): written beside the HTML by the render layer, and
attached inside the PDF, which lists them under 'Attached tables'.

Keeps the PDF short at any size of fact base, and whole: nothing points outside it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pandas as pd

from thirdcountry.report.safe_html import REFS_COLUMN, Html, esc, table

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
    """Every row: the first `shown` in view, the rest folded under <details> (the HTML), and
    the whole table as CSV, linked and attached to the PDF (whose print hides the fold).

    name: the CSV's file name without extension (lowercase letters, digits, hyphens).
    what: what a row is, for the count ('steps', 'sources').
    csv_columns: the CSV's columns, where they differ from the report's (default: the same).
    Only the rows in view link to the evidence appendix; the folded ones are plain text, so the
    appendix stays the same size at any length of table.
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
    one = what.removesuffix("s") if rest == 1 else what  # 'the other 1 events' reads wrong
    head = table(frame.head(shown), columns, **options)
    # The folded rows are the data, as in the CSV: no caption, no links, not marked as claims.
    options.pop("caption", None)
    options.pop("claim_column", None)
    folded = table(plain_rows(frame.iloc[shown:]), columns, **options)
    attached = f"{name}.csv"
    text = (
        f"The first {shown} of {total:,} {what}; {_other(rest, one)} "
        f"{'follows' if rest == 1 else 'follow'}, and the whole table "
        f"is attached to the PDF as {attached} (see 'Attached tables')."
    )
    note = (
        f'<details class="tc-more"><summary>{esc(_other(rest, one).capitalize())}</summary>'
        f"{folded.markup}</details>"
        f'<p class="tc-table-note"><span class="tc-screen">The first {shown} of {total:,} '
        f"{esc(what)} are shown; open the list above for {esc(_other(rest, one))}. The whole table "
        f'as CSV: {link}.</span><span class="tc-print">The first {shown} of {total:,} '
        f"{esc(what)}; all {total:,} are in the table {esc(attached)}, attached to this PDF "
        "(see 'Attached tables' at the end).</span></p>"
    )
    return Html(head.markup + note, head.text + "\n" + text, files, head.refs)


def _other(rest: int, noun: str) -> str:
    """'the other 3 events', 'the last event': what is left, in numbers."""
    return f"the last {noun}" if rest == 1 else f"the other {rest:,} {noun}"


def plain_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows without their evidence links: each linked cell as its text."""
    frame = frame.drop(columns=[REFS_COLUMN], errors="ignore")
    return frame.map(lambda value: value.text if isinstance(value, Html) else value)


def full_tables(tables: Mapping[str, Html], earlier: Mapping[str, str] | None = None) -> Html:
    """'Attached tables': every table of the report whole, as CSV ({what: table} for those whose
    rows the report no longer shows, plus the `earlier` files of tables shown above). The PDF
    carries them as attachments (render/pdf.py); the HTML links them."""
    files: dict[str, str] = dict(earlier or {})
    described: dict[str, str] = {}
    for what, shown in tables.items():
        for path, text in shown.files.items():
            files[path] = text
            described[path] = what
    if not files:
        return Html("")
    items = []
    for path, text in sorted(files.items()):
        rows = max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
        name = path.rsplit("/", 1)[-1]
        what = described.get(path, "rows")
        items.append(
            f'<li><a href="{esc(path)}" download>{esc(name)}</a> ({rows:,} {esc(what)})</li>'
        )
    markup = (
        '<h3 id="attached-tables" class="tc-attached">Attached tables</h3>'
        '<p class="tc-table-note">Every table of this report, whole, as CSV. The PDF carries '
        "them inside it (a PDF reader lists them under attachments); the HTML links them.</p>"
        f'<ul class="tc-attached-list">{"".join(items)}</ul>'
    )
    return Html(markup, files=files)
