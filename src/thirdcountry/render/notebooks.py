"""The report notebooks and their parameters, read from each notebook's parameters cell.

A parameters cell is a code cell tagged "parameters" holding one annotated line per parameter,
the annotation naming a type of thirdcountry.report.parameters' registry:

    as_of: AsOfDate = ""  # date the statuses are computed for, YYYY-MM-DD

The cell is read without running it (ast), so `thirdcountry list` starts fast; the declared types
make the notebook's ParameterModel, which every check derives from.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.errors import BadInput
from thirdcountry.facts.wording import did_you_mean
from thirdcountry.paths import NOTEBOOKS_DIR
from thirdcountry.report.parameters import Parameter, ParameterModel, type_of_annotation


class NotebookError(BadInput):
    """A notebook cannot be found or its parameters cell cannot be read. One line."""


@dataclass(frozen=True)
class ReportNotebook:
    name: str
    path: Path
    parameters: tuple[Parameter, ...]
    interactive_only: bool = False

    @property
    def model(self) -> ParameterModel:
        """The report's typed parameter model: every check derives from it."""
        return ParameterModel(self.name, self.parameters)

    def parameter(self, name: str) -> Parameter | None:
        return self.model.parameter(name)

    @property
    def names(self) -> tuple[str, ...]:
        return self.model.names


def report_notebooks(directory: Path | None = None) -> list[ReportNotebook]:
    """Every renderable notebook in the notebooks folder, by name."""
    directory = directory or NOTEBOOKS_DIR
    notebooks = (read_notebook(path) for path in sorted(directory.glob("*.ipynb")))
    return [notebook for notebook in notebooks if not notebook.interactive_only]


def find_notebook(name_or_path: str, directory: Path = NOTEBOOKS_DIR) -> ReportNotebook:
    """A notebook named in `thirdcountry list` (e.g. 'overview'), or a path to a notebook."""
    candidate = directory / f"{name_or_path}.ipynb"
    if "/" not in name_or_path and not name_or_path.endswith(".ipynb") and candidate.is_file():
        return read_notebook(candidate)
    path = Path(name_or_path).expanduser()
    if path.suffix == ".ipynb" and path.is_file():
        return read_notebook(path.resolve())
    names = [n.name for n in report_notebooks(directory)]
    hint = did_you_mean(name_or_path, names)
    raise NotebookError(
        f"{name_or_path!r} is neither a report name ({', '.join(names) or 'none'}) "
        f"nor a notebook file{hint}"
    )


def read_notebook(path: Path) -> ReportNotebook:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        cells = document["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = exc.__class__.__name__
        raise NotebookError(f"{path.name}: not a readable notebook ({reason})") from None
    tagged = [
        cell
        for cell in cells
        if cell.get("cell_type") == "code"
        and "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) > 1:
        raise NotebookError(f"{path.name}: more than one cell is tagged 'parameters'")
    source = _source(tagged[0]) if tagged else ""
    # A notebook for working interactively (never listed as a report) says so in its metadata.
    declared = document.get("metadata", {}).get("thirdcountry", {}).get("interactive_only")
    notebook = ReportNotebook(
        path.stem,
        path,
        parse_parameters_cell(source, path.name),
        interactive_only=bool(declared),
    )
    problems = notebook.model.declaration_problems()
    if problems:
        raise NotebookError(f"{path.name}: parameters cell: {problems[0]}")
    return notebook


def parse_parameters_cell(source: str, shown: str = "notebook") -> tuple[Parameter, ...]:
    """The parameters of a cell of lines like `name: type = default  # help`."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotebookError(f"{shown}: parameters cell line {exc.lineno}: {exc.msg}") from None
    comments = _comments(source)
    parameters = []
    for node in tree.body:
        line = node.lineno
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            raise NotebookError(
                f"{shown}: parameters cell line {line}: expected 'name: type = default  # help'"
            )
        try:
            kind = type_of_annotation(node.annotation)
        except ValueError as exc:
            raise NotebookError(f"{shown}: parameters cell line {line}: {exc}") from None
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise NotebookError(
                f"{shown}: parameters cell line {line}: the default must be a literal"
            ) from None
        parameters.append(Parameter(node.target.id, kind, default, comments.get(line, "")))
    return tuple(parameters)


def _comments(source: str) -> dict[int, str]:
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)
