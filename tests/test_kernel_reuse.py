"""A worker's kernel runs several reports in turn: each starts in a fresh namespace, with nothing
of the report before it but imported modules, and a kernel that failed is never reused."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from thirdcountry.paths import PREVIOUS_RUN_ENV
from thirdcountry.render import execute
from thirdcountry.render.execute import SpareKernel, execute_notebook

pytestmark = pytest.mark.slow

PROBE = """
import json, os, sys
import matplotlib.pyplot as plt
print(json.dumps({
    "pid": os.getpid(),
    "leftover": "leftover" in globals(),
    "previous_run": os.environ.get(PROBE_VARIABLE),
    "figures": len(plt.get_fignums()),
    "history": len(In),
}))
leftover = 1
plt.figure()
"""


def probe_notebook(tmp_path, fail: bool = False):
    cells = [new_code_cell(f"PROBE_VARIABLE = {PREVIOUS_RUN_ENV!r}"), new_code_cell(PROBE)]
    if fail:
        cells.append(new_code_cell("raise ValueError('the report fails')"))
    path = tmp_path / ("fails.ipynb" if fail else "probe.ipynb")
    nbformat.write(new_notebook(cells=cells), path)
    return path


def seen(execution) -> dict:
    cell = execution.notebook.cells[1]
    return json.loads("".join(out.get("text", "") for out in cell.outputs))


def test_a_recycled_kernel_runs_the_next_report_in_a_fresh_namespace(tmp_path):
    notebook = probe_notebook(tmp_path)
    kernel = SpareKernel(tmp_path, tmp_path)
    kernel.warm_up()
    first = execute_notebook(notebook, {}, tmp_path, 120, kernel=kernel, keep_kernel=True,
                             extra_env={PREVIOUS_RUN_ENV: "run-1"})  # fmt: skip
    assert first.outcome == "ok" and first.kernel is kernel
    second = execute_notebook(notebook, {}, tmp_path, 120, kernel=first.kernel,
                              keep_kernel=True)  # fmt: skip
    try:
        assert second.outcome == "ok" and second.kernel is kernel
        before, after = seen(first), seen(second)
        assert after["pid"] == before["pid"]  # the same kernel process
        assert before["previous_run"] == "run-1"
        # Nothing of the first report: names, per-report variables, figures, history.
        assert after == {**before, "previous_run": None}
        assert after["leftover"] is False and after["figures"] == 0
        assert [c.execution_count for c in second.notebook.cells] == [1, 2]
    finally:
        if second.kernel is not None:
            second.kernel.shutdown()


def test_a_kernel_whose_report_failed_is_shut_down_not_reused(tmp_path):
    kernel = SpareKernel(tmp_path, tmp_path)
    kernel.warm_up()
    failed = execute_notebook(probe_notebook(tmp_path, fail=True), {}, tmp_path, 120,
                              kernel=kernel, keep_kernel=True)  # fmt: skip
    assert failed.outcome == "failed" and failed.kernel is None
    assert not kernel.alive()


def test_a_kernel_runs_a_bounded_number_of_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(execute, "REPORTS_PER_KERNEL", 2)
    notebook = probe_notebook(tmp_path)
    kernel = SpareKernel(tmp_path, tmp_path)
    kernel.warm_up()
    first = execute_notebook(notebook, {}, tmp_path, 120, kernel=kernel, keep_kernel=True)
    assert first.kernel is kernel
    second = execute_notebook(notebook, {}, tmp_path, 120, kernel=kernel, keep_kernel=True)
    assert second.outcome == "ok" and second.kernel is None
    assert not kernel.alive()
