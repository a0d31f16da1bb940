"""`thirdcountry list` and reading parameters cells: names, types, defaults and help."""

import json

import pytest

from thirdcountry.cli import main
from thirdcountry.render.notebooks import (
    NotebookError,
    find_notebook,
    parse_parameters_cell,
    report_notebooks,
)


def test_list_shows_the_report_notebooks_with_their_parameters(capsys):
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_notebook: dict[str, dict] = {}
    for row in rows:
        by_notebook.setdefault(row["notebook"], {})[row["parameter"]] = row
    # explore is interactive only
    assert set(by_notebook) == {"overview", "country", "agreement"}
    overview = by_notebook["overview"]
    assert list(overview) == ["as_of", "since", "countries", "sending", "title", "data_dir"]
    assert overview["countries"]["type"] == "Parties"
    assert overview["since"]["type"] == "SinceDate"
    assert overview["countries"]["default"] == []
    assert overview["title"]["default"] == "Safe third country agreements"
    assert "YYYY-MM-DD" in overview["as_of"]["values"]
    assert "not after the AsOfDate" in overview["since"]["values"]
    assert "from-data: each sending party" in overview["sending"]["values"]
    assert by_notebook["country"]["country"]["default"] == "SLV"
    assert by_notebook["country"]["country"]["type"] == "Party"
    assert "--data" in by_notebook["country"]["data_dir"]["values"]
    agreement = by_notebook["agreement"]["agreement"]
    assert agreement["type"] == "Agreement"
    assert "from-data: each agreement" in agreement["values"]


def test_list_as_a_table(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "notebook",
        "parameter",
        "type",
        "default",
        "values",
        "help",
    ]
    assert "'Safe third country agreements'" in out


def test_parameters_cell_lines_are_parsed():
    parameters = parse_parameters_cell(
        'as_of: str = ""  # the date\ncount: int = 3  # how many\nflags: list = ["a"]\n'
    )
    assert [(p.name, p.type.name, p.default, p.help) for p in parameters] == [
        ("as_of", "str", "", "the date"),
        ("count", "int", 3, "how many"),
        ("flags", "list", ["a"], ""),
    ]
    typed = parse_parameters_cell('start: Date = "2025-01-01"\nend: SinceDate = ""\n')
    assert [p.type.name for p in typed] == ["Date", "SinceDate"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1", "expected 'name: type = default"),
        ("x: dict = {}", "type 'dict' is not one of"),
        ("x: Dat = ''", "type 'Dat' is not one of .*; did you mean 'Date'"),
        ("x: report.Date = ''", "type 'report.Date' is not one of"),
        ("x: Date('y') = ''", "type \"Date('y')\" is not one of"),
        ("x: str = os.getcwd()", "the default must be a literal"),
        ("x: str = (", "parameters cell line 1"),
    ],
)
def test_bad_parameters_cells_are_one_clear_line(source, message):
    with pytest.raises(NotebookError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_parameters_cell(source, "sample.ipynb")


def test_notebooks_are_found_by_name_or_path(tmp_path):
    overview = find_notebook("overview")
    assert overview.name == "overview" and overview.path.is_file()
    assert find_notebook(str(overview.path)).name == "overview"
    with pytest.raises(NotebookError, match="neither a report name"):
        find_notebook("nothing-like-this")
    explore = find_notebook("explore")  # renderable by name, but not listed
    assert explore.interactive_only
    assert "explore" not in {n.name for n in report_notebooks()}
