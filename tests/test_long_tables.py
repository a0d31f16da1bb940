"""Long tables: the report shows the top rows and a count; the full table travels as CSV in the
output's metadata, and the render layer accepts only tables/<name>.csv names from it."""

from __future__ import annotations

import csv
import io

import nbformat
import pandas as pd
import pytest

from thirdcountry.render.outputs import side_files
from thirdcountry.report.long_tables import SHOWN_ROWS, long_table
from thirdcountry.report.safe_html import FILES_METADATA_KEY, Html

COLUMNS = {"n": "Number", "word": "Word"}


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"n": range(rows), "word": [f"<w{i}>" for i in range(rows)]})


def test_a_long_table_shows_the_top_rows_a_count_and_carries_the_whole_csv():
    shown = long_table(frame(SHOWN_ROWS + 5), COLUMNS, "numbers", what="numbers")
    assert shown.markup.count("<tr>") == SHOWN_ROWS + 1  # the header row, then the top rows
    assert f"The first {SHOWN_ROWS} of {SHOWN_ROWS + 5} numbers" in shown.markup
    assert 'href="tables/numbers.csv"' in shown.markup and "&lt;w0&gt;" in shown.markup
    rows = list(csv.reader(io.StringIO(shown.files["tables/numbers.csv"])))
    assert rows[0] == ["Number", "Word"] and len(rows) == SHOWN_ROWS + 6
    assert rows[-1] == [str(SHOWN_ROWS + 4), f"<w{SHOWN_ROWS + 4}>"]  # CSV is data, not HTML
    _, metadata = shown._repr_mimebundle_()
    assert metadata[FILES_METADATA_KEY] == shown.files


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
