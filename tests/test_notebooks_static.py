"""Notebooks are committed clean and thin: no outputs, no logic, one annotated line a parameter."""

import ast
import json
import re
from pathlib import Path

import pytest

from thirdcountry.report.parameters import TYPES

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# name: a type of report.parameters.TYPES = default  # help (also the form papermill reads)
PARAMETER_LINE = re.compile(rf"^(\w+): ({'|'.join(TYPES)}) = .+  # \S.*$")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(path):
    return [c for c in _cells(path) if c["cell_type"] == "code"]


def test_the_four_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} == {"overview", "country", "agreement", "explore"}


def saved_outputs(path) -> list[str]:
    """Which code cells of a notebook were saved with outputs or an execution count."""
    found = []
    for number, cell in enumerate(_cells(path), start=1):
        if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"] is not None):
            found.append(f"cell {number} ({cell.get('id', 'no id')})")
    return found


def outputs_message(path) -> str:
    cells = saved_outputs(path)
    if not cells:
        return ""
    return (
        f"notebooks/{path.name} was saved with outputs in {', '.join(cells)}; outputs must not "
        "reach git. Clear them with `make clean-notebooks` (or in Lab: Edit > Clear Outputs of "
        "All Cells, then save); docs/development.md ('Notebooks without outputs') shows the "
        "pre-commit hook."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    message = outputs_message(path)
    if message:
        pytest.fail(message, pytrace=False)


def test_a_notebook_saved_with_outputs_is_named_with_the_fix(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    code = next(i for i, c in enumerate(source["cells"]) if c["cell_type"] == "code")
    source["cells"][code]["execution_count"] = 3
    source["cells"][code]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": ["hello\n"]}
    ]
    saved = tmp_path / NOTEBOOKS[0].name
    saved.write_text(json.dumps(source), encoding="utf-8")
    message = outputs_message(saved)
    assert f"notebooks/{saved.name}" in message
    assert f"cell {code + 1} (" in message
    assert "make clean-notebooks" in message
    assert outputs_message(NOTEBOOKS[0]) == ""


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
            if isinstance(node, ast.ImportFrom) and node.module == "thirdcountry.report":
                # the parameter types the parameters cell declares
                assert {a.name for a in node.names} <= set(TYPES), ast.unparse(node)
            elif isinstance(node, ast.ImportFrom):
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
    # the types the parameters cell declares come from the report package, imported just before
    assert "".join(code[index - 1]["source"]).startswith("from thirdcountry.report import ")
    assert "setup" in code[index - 1]["metadata"].get("tags", [])
    following = code[index + 1]
    assert "setup" in following["metadata"].get("tags", [])
    assert "report.notebook_parameters(globals())" in "".join(following["source"])


@pytest.mark.slow  # runs make and nbstripout
def test_make_clean_notebooks_clears_outputs_and_keeps_the_rest(tmp_path):
    """`make clean-notebooks` runs nbstripout --keep-id: a notebook run and saved in Lab comes
    back byte for byte as committed."""
    import subprocess
    import sys

    makefile = (NOTEBOOKS[0].parent.parent / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nclean-notebooks:", 1)[1].splitlines()[1].strip()
    assert recipe == "$(BIN)/nbstripout --keep-id notebooks/*.ipynb"
    for path in NOTEBOOKS:
        source = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(source["cells"]):
            if cell["cell_type"] == "code":
                cell["execution_count"] = number
                cell["outputs"] = [
                    {"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["x"]}}
                ]
        source["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
        (tmp_path / path.name).write_text(json.dumps(source), encoding="utf-8")
    stripout = Path(sys.executable).parent / "nbstripout"
    copies = sorted(tmp_path.glob("*.ipynb"))
    subprocess.run([stripout, "--keep-id", *copies], check=True)
    for path, copy in zip(NOTEBOOKS, copies, strict=True):
        assert copy.read_bytes() == path.read_bytes(), path.name
