"""One exception hierarchy: the project's errors carry their exit codes; anything else is a bug."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from thirdcountry.cli import main
from thirdcountry.errors import BadInput, Locked, ThirdCountryError
from thirdcountry.facts import EDTFError, FactBaseError, Problem
from thirdcountry.render.checks import ParameterProblems
from thirdcountry.render.notebooks import NotebookError
from thirdcountry.render.outputs import LockBusy
from thirdcountry.render.pdf import PdfEngineError
from thirdcountry.render.plan import PlanError
from thirdcountry.report import ParameterError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (FactBaseError([Problem("data/events.csv", 2, "date", "bad")]), 2),
        (EDTFError("'x' is not a valid EDTF date"), 2),
        (ParameterError("as_of: bad"), 2),
        (ParameterProblems(["as_of: bad", "country: bad"]), 2),
        (NotebookError("x.ipynb: not a readable notebook"), 2),
        (PlanError(["reports.yml: bad"]), 2),
        (LockBusy(Path("reports/.lock"), 1.0), 3),
        (PdfEngineError("chromium failed"), 1),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_every_error_has_one_base_and_its_exit_code(error, code):
    assert isinstance(error, ThirdCountryError)
    assert error.exit_code == code
    assert isinstance(error, BadInput) == (code == 2)
    assert isinstance(error, Locked) == (code == 3)
    copy = pickle.loads(pickle.dumps(error))  # errors cross worker processes whole
    assert type(copy) is type(error) and str(copy) == str(error)
    assert [str(p) for p in copy.problems] == [str(p) for p in error.problems]


def test_a_bug_while_planning_is_a_traceback_not_bad_input(monkeypatch, good_dir):
    # It used to be caught by `except ValueError` around the whole command: exit 2, "bad input".
    def broken(*args, **kwargs):
        raise ValueError("a bug in our code")

    monkeypatch.setattr("thirdcountry.render.plan.load_plan", broken)
    with pytest.raises(ValueError, match="a bug in our code"):
        main(["render", "--plan", "--data", str(good_dir), "--to", "html"])


def test_a_bug_while_checking_parameters_is_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug in our code")

    monkeypatch.setattr("thirdcountry.render.checks.check_parameters", broken)
    monkeypatch.setattr("thirdcountry.render.plan.check_parameters", broken)
    with pytest.raises(ValueError, match="a bug in our code"):
        main(["render", "overview", "-p", "as_of=2025-01-26", "--to", "html"])


def test_bad_input_in_a_plan_is_still_one_line_and_exit_2(tmp_path, good_dir, capsys):
    plan = tmp_path / "plan.yml"
    plan.write_text("reports:\n  - notebook: overview\n    colour: red\n")
    code = main(["render", "--plan", str(plan), "--data", str(good_dir), "--to", "html"])
    err = capsys.readouterr().err
    assert code == 2
    assert "plan.yml: reports[1]: unknown key(s): colour" in err
    assert "Traceback" not in err
