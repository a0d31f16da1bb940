"""Imports point one way: facts -> analysis -> report -> render -> cli."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "thirdcountry"
LAYERS = {"facts": 0, "analysis": 1, "report": 2, "render": 3, "cli": 4, "__main__": 4}
SHARED = {
    "thirdcountry",
    "thirdcountry.paths",
    "thirdcountry.provenance",
    "thirdcountry.lazy",
    "thirdcountry.errors",
}  # usable from every layer


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def _imports(source: str, module: str) -> set[str]:
    """Every thirdcountry module `source` (the text of `module`) imports, in any import form:
    `import a.b`, `from a.b import c`, `from a import b` (b may be a module) and relative ones."""
    found = set()
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package upwards
                base = package[: len(package) - node.level]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            # `from thirdcountry import cli` imports the module thirdcountry.cli
            found.update(f"{origin}.{alias.name}" for alias in node.names if alias.name != "*")
    return {name for name in found if name == "thirdcountry" or name.startswith("thirdcountry.")}


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def _module_imports(name: str, source: str) -> set[str]:
    """The modules imported: `from a.b import name` counts a.b.name only where that is a module."""
    return {n for n in _imports(source, name) if n == "thirdcountry" or _is_module(n)}


def _module_name(path: Path) -> str:
    return "thirdcountry." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path):
    module = _module_name(path)
    assert _layer_problems(module, path.read_text()) == []


def _layer_problems(module: str, source: str) -> list[str]:
    imported = _module_imports(module, source)
    own = _layer(module)
    if own is None:
        leaf = imported <= SHARED | {"thirdcountry"}
        return [] if leaf else [f"top-level module {module} imports {imported - SHARED}"]
    problems = []
    for name in sorted(imported - SHARED):
        other = _layer(name)
        if other is None or other > own:
            problems.append(f"{module} imports {name}")
    return problems


@pytest.mark.parametrize(
    "line",
    [
        "from thirdcountry import cli",
        "from thirdcountry import render as r",
        "import thirdcountry.report.overview",
        "from thirdcountry.analysis import status",
        "from .. import report",
        "from ..render.batch import ReportJob",
    ],
)
def test_every_upward_import_form_is_caught(line):
    # `from thirdcountry import cli` inside facts/ used to pass: only the module part was read.
    problems = _layer_problems("thirdcountry.facts.load", line + "\n")
    assert problems, f"{line!r} in facts/ went unnoticed"


@pytest.mark.parametrize(
    "line",
    [
        "from thirdcountry import paths",
        "from thirdcountry.facts import dates",
        "from . import dates",
    ],
)
def test_downward_and_shared_imports_pass(line):
    assert _layer_problems("thirdcountry.facts.load", line + "\n") == []
