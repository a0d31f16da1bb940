"""Without an optional extra, the part that needs it fails with one line naming the extra."""

import importlib
import sys

import pytest

from thirdcountry.cli import main
from thirdcountry.errors import BadInput


def test_render_on_dask_without_the_dask_extra_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    code = main(["render", "overview", "--executor", "dask", "--to", "html", "--jobs", "1",
                 "--out", str(tmp_path / "reports"), "--quiet"])  # fmt: skip
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    problem = [line for line in lines if "thirdcountry[dask]" in line]
    assert len(problem) == 1, lines
    assert "pip install 'thirdcountry[dask]'" in problem[0]
    assert "Traceback" not in "\n".join(lines)
    assert not list((tmp_path / "reports").glob("overview/*/report.html"))


def test_the_live_views_without_the_lab_extra_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    monkeypatch.delitem(sys.modules, "thirdcountry.report.views", raising=False)
    with pytest.raises(BadInput) as caught:
        importlib.import_module("thirdcountry.report.views")
    assert caught.value.problems == [
        "the live views of explore.ipynb: thirdcountry[lab] is not installed; "
        "pip install 'thirdcountry[lab]' (in a checkout: make lab)"
    ]
