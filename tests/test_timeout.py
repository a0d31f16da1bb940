"""--timeout is a hard limit per report: no cell gets time past the report's deadline."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from thirdcountry.render.execute import LEAST_CELL_TIMEOUT, cell_timeout, execute_notebook


def test_a_cell_gets_only_what_is_left_of_the_deadline():
    # It was max(1, int(left) + 1): a second or more past the deadline for every cell.
    assert cell_timeout(deadline=100.0, now=97.5) == pytest.approx(2.5)
    assert cell_timeout(deadline=100.0, now=99.99) == pytest.approx(LEAST_CELL_TIMEOUT)
    assert cell_timeout(deadline=100.0, now=130.0) == LEAST_CELL_TIMEOUT
    assert 0 < LEAST_CELL_TIMEOUT < 0.1  # nbclient reads 0 as "no limit"


@pytest.mark.slow
def test_many_short_cells_stop_at_the_deadline(tmp_path):
    # Twelve cells of 0.4 s with a 2 s limit: each of them used to fit in its own extra second,
    # so the report ran to the end (about 5 s) and passed.
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [new_code_cell("import time")] + [
        new_code_cell("time.sleep(0.4)") for _ in range(12)
    ]
    path = tmp_path / "short-cells.ipynb"
    nbformat.write(nb, path)
    execution = execute_notebook(path, {}, tmp_path, timeout=2.0)
    assert execution.outcome == "timeout"
    ran = [c for c in execution.notebook.cells if c.get("execution_count")]
    assert len(ran) < 12


def test_papermill_finds_our_engine_by_its_entry_point():
    """pyproject.toml registers the engine in papermill's `papermill.engine` group: papermill
    knows it as soon as it is imported, with nothing of ours imported first."""
    code = (
        "from papermill.engines import papermill_engines\n"
        "engine = papermill_engines.get_engine('thirdcountry')\n"
        "print(engine.__module__, engine.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["thirdcountry.render.papermill_engine", "ThirdCountryEngine"]
