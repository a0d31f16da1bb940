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


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.startswith("thirdcountry")}


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path):
    module = "thirdcountry." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own = _layer(module)
    if own is None:
        assert _imports(path) <= SHARED | {"thirdcountry"}, "top-level modules stay leaf-like"
        return
    for imported in _imports(path) - SHARED:
        other = _layer(imported)
        assert other is not None and other <= own, f"{module} imports {imported}"
