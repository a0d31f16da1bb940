"""A valid fact base with no dated events: every report shows its empty state, nothing crashes.

The notebooks' code cells run in this process (no kernel: fast), each cell's value turned into
what Jupyter would display, as papermill would. The rendered run.json says latest_event null.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from thirdcountry.analysis import latest_event_date
from thirdcountry.facts import load_facts
from thirdcountry.paths import NOTEBOOKS_DIR

HEADER_ONLY = ("events.csv", "conflicts.csv", "verifications.csv")


@pytest.fixture
def empty_base(good_dir: Path) -> Path:
    """The good fixture with events (and the conflicts and checks that name them) cut to their
    header."""
    for name in HEADER_ONLY:
        path = good_dir / name
        header = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
        path.write_text(header, encoding="utf-8")
    return good_dir


def test_latest_event_date_is_none_without_events(empty_base):
    # It was NaT, which crashed the overview ("NaTType does not support strftime") and was
    # written into run.json as latest_event "NaT".
    from thirdcountry.render.jobs import data_info

    facts = load_facts(empty_base)
    assert latest_event_date(facts) is None
    assert data_info(facts).record["latest_event"] is None


def _display_text(value: object) -> str:
    """What a notebook shows for a cell's value: its HTML, Markdown or plain text."""
    if value is None:
        return ""
    for method in ("_repr_html_", "_repr_markdown_"):
        if hasattr(value, method):
            return getattr(value, method)() or ""
    if hasattr(value, "_repr_mimebundle_"):
        bundle = value._repr_mimebundle_()
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        return str(bundle.get("text/html") or bundle.get("text/plain") or "")
    return repr(value)


def run_notebook_in_process(name: str, parameters: dict) -> list[str]:
    """Each code cell's displayed value, with the parameters cell's defaults overridden."""
    document = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    namespace: dict = {}
    shown = []
    for cell in document["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"{name}.ipynb", "exec"), namespace)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(parameters)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f"{name}.ipynb", "eval"), namespace)
            shown.append(_display_text(value))
    return shown


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("notebook", "parameters"),
    [
        ("overview", {}),
        ("overview", {"as_of": "2025-01-26", "countries": ["SLV"]}),
        ("country", {"country": "SLV"}),
        ("country", {"country": "FRA"}),
    ],
    ids=["overview", "overview-slv", "country-slv", "country-fra"],
)
def test_every_report_has_an_empty_state(empty_base, notebook, parameters):
    shown = run_notebook_in_process(notebook, {**parameters, "data_dir": str(empty_base)})
    text = _text(" ".join(shown))
    assert "NaT" not in text and "nan" not in text.split()
    assert re.search(r"\bno (dated )?events?\b", text, re.I), text[:2000]


def test_no_empty_state_line_is_shown_twice(good_dir):
    # `render country -p country=FRA` printed "No agreement involves France..." twice.
    shown = run_notebook_in_process("country", {"country": "FRA", "data_dir": str(good_dir)})
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s", _text(" ".join(shown))) if s.strip()]
    repeated = {s for s in sentences if sentences.count(s) > 1 and len(s) > 20}
    assert not repeated


@pytest.mark.parametrize("command", ["status", "validate", "events", "conflicts"])
def test_commands_work_on_a_fact_base_without_events(empty_base, command, capsys):
    from thirdcountry.cli import main

    assert main([command, "--data", str(empty_base)]) == 0
    out = capsys.readouterr().out
    assert "NaT" not in out
