"""Long tables: the report shows the top rows and a count; the full table travels as CSV in the
output's metadata, and the render layer accepts only tables/<name>.csv names from it."""

from __future__ import annotations

import csv
import io

import nbformat
import pandas as pd
import pytest

from thirdcountry.render.outputs import side_files
from thirdcountry.report.long_tables import SHOWN_ROWS, full_tables, long_table
from thirdcountry.report.safe_html import FILES_METADATA_KEY, REFS_COLUMN, Html

COLUMNS = {"n": "Number", "word": "Word"}


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"n": range(rows), "word": [f"<w{i}>" for i in range(rows)]})


def test_a_long_table_keeps_every_row_folds_the_rest_and_carries_the_whole_csv():
    shown = long_table(frame(SHOWN_ROWS + 5), COLUMNS, "numbers", what="numbers")
    head, _, folded = shown.markup.partition('<details class="tc-more">')
    assert head.count("<tr>") == SHOWN_ROWS + 1  # the header row, then the top rows
    assert folded.count("<tr>") == 5 + 1 and "<summary>The other 5 numbers</summary>" in folded
    assert "&lt;w0&gt;" in head and f"&lt;w{SHOWN_ROWS + 4}&gt;" in folded  # no row dropped
    # Nothing points outside the PDF: its print says the table is attached to it.
    assert "beside" not in shown.markup and "beside" not in shown.text
    assert "numbers.csv, attached to this PDF" in shown.markup
    assert 'href="tables/numbers.csv"' in shown.markup
    rows = list(csv.reader(io.StringIO(shown.files["tables/numbers.csv"])))
    assert rows[0] == ["Number", "Word"] and len(rows) == SHOWN_ROWS + 6
    assert rows[-1] == [str(SHOWN_ROWS + 4), f"<w{SHOWN_ROWS + 4}>"]  # CSV is data, not HTML
    _, metadata = shown._repr_mimebundle_()
    assert metadata[FILES_METADATA_KEY] == shown.files


def test_folded_rows_do_not_link_to_the_evidence_appendix():
    rows = frame(SHOWN_ROWS + 2).assign(word=[Html(f'<a href="#e{i}">w{i}</a>') for i in range(8)])
    rows[REFS_COLUMN] = [(("event", f"e{i}"),) for i in range(8)]
    shown = long_table(rows, COLUMNS, "linked")
    assert set(shown.refs) == {("event", f"e{i}") for i in range(SHOWN_ROWS)}
    folded = shown.markup.partition("<details")[2]
    assert 'href="#e' not in folded and f"w{SHOWN_ROWS + 1}" in folded


def test_attached_tables_list_every_file_with_its_row_count():
    listed = full_tables({"numbers": long_table(frame(9), COLUMNS, "numbers")},
                         earlier={"tables/few.csv": "a\n1\n2\n"})  # fmt: skip
    assert "Attached tables" in listed.markup and "beside" not in listed.markup
    assert (
        "few.csv</a> (2 rows)" in listed.markup and "numbers.csv</a> (9 numbers)" in listed.markup
    )
    assert set(listed.files) == {"tables/few.csv", "tables/numbers.csv"}


def test_a_short_table_is_whole_and_still_linked():
    shown = long_table(frame(3), COLUMNS, "few")
    assert shown.markup.count("<tr>") == 4 and "The table as CSV" in shown.markup
    assert (Html("<p>x</p>") + shown).files == shown.files  # files survive concatenation


def test_a_table_name_must_be_a_plain_file_name():
    with pytest.raises(ValueError):
        long_table(frame(3), COLUMNS, "../escape")


def test_the_render_layer_takes_only_table_csv_names_from_a_notebook():
    cell = nbformat.v4.new_code_cell("x")
    wanted = {
        "tables/steps.csv": "a\n",
        "../outside.csv": "no",
        "tables/../../x.csv": "no",
        "/abs/tables/x.csv": "no",
        "tables/x.html": "no",
    }
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", {"text/plain": "x"}, metadata={FILES_METADATA_KEY: wanted}
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert side_files(nb) == {"tables/steps.csv": "a\n"}


def test_the_pdf_carries_its_full_tables_inside_it(tmp_path):
    from importlib import resources

    from pypdf import PdfReader

    from thirdcountry.render.pdf import html_to_pdf

    css = (resources.files("thirdcountry") / "templates/thirdcountry/report.css").read_text()
    shown = long_table(frame(SHOWN_ROWS + 3), COLUMNS, "numbers", what="numbers")
    html = (
        f"<html lang='en'><head><title>t</title><style>{css}</style></head>"
        f"<body>{shown.markup}</body></html>"
    )
    target = tmp_path / "report.pdf"
    html_to_pdf(html, target, attachments=shown.files)
    reader = PdfReader(target)
    attached = reader.attachments
    assert list(attached) == ["numbers.csv"]
    assert attached["numbers.csv"][0].decode("utf-8") == shown.files["tables/numbers.csv"]
    text = " ".join(page.extract_text() for page in reader.pages)
    # The print says where the rest is (attached), and does not show the folded rows.
    assert "attached to this PDF" in text and "beside" not in text
    assert f"<w{SHOWN_ROWS + 2}>" not in text
