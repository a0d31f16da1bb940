"""Notebooks are committed clean and thin: no outputs, no logic, one annotated line a parameter."""

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
PARAMETER_LINE = re.compile(r"^(\w+): (str|int|float|bool|list) = .+  # \S.*$")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(path):
    return [c for c in _cells(path) if c["cell_type"] == "code"]


def test_the_three_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} == {"overview", "country", "explore"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in _code(path):
        assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_definitions_in_notebooks(path):
    for cell in _code(path):
        tree = ast.parse("".join(cell["source"]))
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defined, "charts, tables and text belong in src/thirdcountry/report"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_the_report_pieces(path):
    for cell in _code(path):
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.ImportFrom):
                assert node.module == "thirdcountry" and [a.name for a in node.names] == ["report"]
            elif isinstance(node, ast.Import):
                pytest.fail(f"plain import in {path.name}: {ast.unparse(node)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_annotated_one_line_each(path):
    tagged = [c for c in _code(path) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    lines = "".join(tagged[0]["source"]).splitlines()
    assert lines
    for line in lines:
        assert PARAMETER_LINE.match(line), line


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.stem != "explore"], ids=lambda p: p.name
)
def test_cell_after_parameters_validates_them(path):
    code = _code(path)
    index = next(i for i, c in enumerate(code) if "parameters" in c["metadata"].get("tags", []))
    following = code[index + 1]
    assert "setup" in following["metadata"].get("tags", [])
    assert "report." in "".join(following["source"])
