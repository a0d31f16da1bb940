"""Checking report parameters before any kernel starts: one line per mistake, all of them at once.

What to check comes only from the notebook's typed parameter model (its parameters cell, read by
render.notebooks); the checks are thirdcountry.report.parameters', the same the kernel runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from thirdcountry.render.notebooks import ReportNotebook
from thirdcountry.report.parameters import ParameterProblems, yaml_loader

__all__ = ["ParameterProblems", "check_parameters", "parse_assignments", "yaml_loader"]


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """`-p name=value` arguments as a mapping; the value stays text until its type is known."""
    given: dict[str, str] = {}
    problems = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            problems.append(f"-p {pair!r}: expected name=value")
            continue
        if name in given:
            problems.append(f"{name}: given more than once")
        given[name] = value
    if problems:
        raise ParameterProblems(problems)
    return given


def check_parameters(
    notebook: ReportNotebook, given: Mapping[str, object], where: str = ""
) -> dict[str, object]:
    """The given parameters, checked against the notebook's model and normalised to what papermill
    injects, in the notebook's order. Raises ParameterProblems.

    `where` prefixes every message (e.g. 'reports.yml: reports[2]: ').
    """
    try:
        return notebook.model.check(given)
    except ParameterProblems as exc:
        raise ParameterProblems(where + str(problem) for problem in exc.problems) from None
