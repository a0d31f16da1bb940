"""The module map of docs/development.md ("Where things live") names every module of the
package, each in its layer's rows, and names no module that does not exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "thirdcountry"
PAGE = ROOT / "docs" / "development.md"
SECTION = "Where things live"
LAYERS = ("facts", "analysis", "report", "render", "cli")
PY_PATH = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.py)\b")


def section(page: str, title: str = SECTION) -> str:
    start = page.index(f"\n## {title}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def package_modules() -> set[str]:
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    }


def layer_of(module: str) -> str:
    top = module.split("/", 1)[0]
    return top if top in LAYERS else "any"


def table_rows(text: str) -> list[tuple[str, list[str]]]:
    """The table's rows as (layer, cells); a row with an empty layer cell continues the layer
    above. The header and separator rows are left out."""
    rows = []
    layer = ""
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] == "layer" or set(cells[0]) == {"-"}:
            continue
        layer = cells[0] or layer
        rows.append((layer, cells))
    return rows


def table_modules(text: str) -> dict[str, str]:
    """Each module the table's module column names, with the layer of its row."""
    named: dict[str, str] = {}
    for layer, cells in table_rows(text):
        for module in re.findall(r"`([^`]+\.py)`", cells[1]):
            assert module not in named, f"{module} is named twice in the module column"
            named[module] = layer
    return named


def problems(text: str, modules: set[str]) -> list[str]:
    found = []
    named = table_modules(text)
    for module in sorted(modules - named.keys()):
        found.append(f"{module} is not in the table")
    for module, layer in sorted(named.items()):
        if module not in modules:
            found.append(f"{module} is in the table but not in src/thirdcountry/")
        elif layer != layer_of(module):
            found.append(f"{module} is in the {layer!r} rows, not {layer_of(module)!r}")
    for path in sorted(set(PY_PATH.findall(text))):
        if not ((PACKAGE / path).is_file() or (ROOT / path).is_file()):
            found.append(f"{path} is named but exists neither in src/thirdcountry/ nor the repo")
    return found


def test_the_module_map_names_every_module_in_its_layer_and_no_missing_one():
    text = section(PAGE.read_text(encoding="utf-8"))
    assert problems(text, package_modules()) == []


def test_the_check_catches_a_missing_row_a_stale_name_and_a_wrong_layer():
    text = section(PAGE.read_text(encoding="utf-8"))
    modules = package_modules()
    without_row = "\n".join(
        line for line in text.splitlines() if "`facts/fact_base.py`" not in line
    )
    assert problems(without_row, modules) == ["facts/fact_base.py is not in the table"]
    stale = text.replace("`report/figure_output.py`", "`report/figures.py`")
    assert "report/figures.py is in the table but not in src/thirdcountry/" in problems(
        stale, modules
    )
    prose = text + "\nSee render/feed.py.\n"
    assert problems(prose, modules) == [
        "render/feed.py is named but exists neither in src/thirdcountry/ nor the repo"
    ]
    moved = text.replace("| | `render/pool.py` |", "| cli | `render/pool.py` |")
    assert any("render/pool.py is in the 'cli' rows" in p for p in problems(moved, modules))


def test_the_data_rows_name_the_tables_and_only_files_that_exist():
    text = section(PAGE.read_text(encoding="utf-8"))
    data = " ".join(" ".join(cells) for layer, cells in table_rows(text) if layer == "data")
    for table in ("data/totals.csv", "data/waivers.csv", "data/context_events.csv"):
        assert f"`{table}`" in data, table
    for path in re.findall(r"`(data/[\w-]+\.(?:csv|json))`", text):
        assert (ROOT / path).is_file(), path
