"""A render plan (reports.yml): which notebooks to render, with which parameters.

    reports:
      - notebook: overview              # one report, default parameters
      - notebook: overview
        parameters: {as_of: 2025-01-26}
      - notebook: country
        for_each:
          country: from-data            # one report per value the parameter's type finds in the
                                        # data: a Party, every country party to an agreement
      - notebook: overview
        for_each:
          sending: from-data            # SendingParties: each sending state with 3+ agreements
      - notebook: agreement
        for_each:
          agreement: from-data          # Agreement: one page per agreement (agreement-<id>/)
      - notebook: overview
        for_each:
          as_of: [2021-03-01, 2025-01-26]   # one report per value (several keys: every combination)
      - notebook: overview
        for_each:
          as_of: {monthly: {from: 2019-01, to: latest}}   # a dated series: see render/periods.py

What `from-data` means is the parameter's declared type's (report.parameters), never its name.
`countries: from-data` on an entry is short for `for_each: {<its one Party parameter>: from-data}`.
Every report is checked like `-p` parameters are, before any kernel starts; all problems are
reported at once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path

from thirdcountry.errors import BadInput
from thirdcountry.render.checks import ParameterProblems, check_parameters, yaml_loader
from thirdcountry.render.jobs import ReportJob
from thirdcountry.render.notebooks import ReportNotebook, find_notebook
from thirdcountry.render.outputs import check_notebook_name, slug_for
from thirdcountry.render.periods import LATEST, Period, expand, is_series
from thirdcountry.report.parameters import TYPES, DataFolder, Party

FROM_DATA = "from-data"
DATE_TYPES = tuple(name for name, kind in TYPES.items() if kind.dated)
ENTRY_KEYS = {"notebook", "parameters", "for_each", "countries"}


class PlanError(BadInput):
    """The plan is wrong; `problems` are one line each."""


def load_plan(path: Path, facts=None, notebooks_dir: Path | None = None) -> list[ReportJob]:
    """The reports a plan file asks for, checked. `facts` is needed only for from-data."""
    import yaml

    shown = path.name
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_loader())
    except OSError as exc:
        raise PlanError([f"{shown}: cannot read ({exc.strerror or exc})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise PlanError([f"{shown}{where}: {problem}"]) from None
    return plan_jobs(document, shown, facts, notebooks_dir)


def plan_jobs(document, shown: str, facts=None, notebooks_dir: Path | None = None):
    if not isinstance(document, Mapping) or not isinstance(document.get("reports"), list):
        raise PlanError([f"{shown}: expected a mapping with a 'reports' list"])
    if set(document) - {"reports"}:
        unknown = ", ".join(sorted(map(str, set(document) - {"reports"})))
        raise PlanError([f"{shown}: unknown top-level key(s): {unknown}"])
    if not document["reports"]:
        raise PlanError([f"{shown}: lists no reports (add entries under 'reports:')"])
    problems: list[str] = []
    jobs: dict[tuple[str, str], ReportJob] = {}
    for number, entry in enumerate(document["reports"], start=1):
        where = f"{shown}: reports[{number}]: "
        try:
            for job in _entry_jobs(entry, where, facts, notebooks_dir):
                key = (job.notebook, job.slug)
                if key in jobs and jobs[key].parameters != job.parameters:
                    problems.append(f"{where}{job.label}: same folder as another report with "
                                    "different parameters")  # fmt: skip
                jobs.setdefault(key, job)
        except ParameterProblems as exc:
            problems += exc.problems
        except BadInput as exc:
            problems += [f"{where}{problem}" for problem in exc.problems]
    if problems:
        raise PlanError(problems)
    return list(jobs.values())


def _entry_jobs(entry, where: str, facts, notebooks_dir: Path | None) -> list[ReportJob]:
    if isinstance(entry, str):
        entry = {"notebook": entry}
    if not isinstance(entry, Mapping) or "notebook" not in entry:
        raise BadInput("expected a mapping with a 'notebook' key")
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise BadInput(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    name = str(entry["notebook"])
    notebook = find_notebook(name, notebooks_dir) if notebooks_dir else find_notebook(name)
    check_notebook_name(notebook.name)
    fixed = entry.get("parameters") or {}
    grid = dict(entry.get("for_each") or {})
    if not isinstance(fixed, Mapping) or not isinstance(grid, Mapping):
        raise BadInput("'parameters' and 'for_each' must be mappings of parameter: value")
    if "countries" in entry:
        if entry["countries"] != FROM_DATA:
            raise BadInput(f"'countries' can only be {FROM_DATA!r} (use for_each for a list)")
        grid[_one_party_parameter(notebook)] = FROM_DATA
    overlap = set(fixed) & set(grid)
    if overlap:
        raise BadInput(f"{', '.join(sorted(overlap))}: both fixed and in for_each")
    series = [name_ for name_, values in grid.items() if is_series(values)]
    if len(series) > 1:
        raise BadInput(f"for_each: {', '.join(map(str, series))}: one dated series per entry "
                       "(make another entry for the other)")  # fmt: skip
    axes: list[list[tuple[str, object, Period | None]]] = []
    problems: list[str] = []
    for name_, values in grid.items():
        if is_series(values):
            if not takes_dates(notebook, name_):
                kinds = ", ".join(DATE_TYPES)
                problems.append(
                    f"for_each.{name_}: a dated series needs a date parameter "
                    f"(a date type: {kinds}); {name_} is not one"
                )
                continue
            try:
                found = expand(values, f"for_each.{name_}", lambda: _latest_event(facts))
            except BadInput as exc:
                problems += exc.problems
                continue
            axes.append([(name_, period.day.isoformat(), period) for period in found])
            continue
        if values == FROM_DATA:
            values = _from_data(notebook, name_, facts)
        if not isinstance(values, list) or not values:
            problems.append(
                f"for_each.{name_}: expected a non-empty list, {FROM_DATA!r} or a dated series "
                "such as {monthly: {from: 2019-01, to: latest}}"
            )
            continue
        axes.append([(name_, value, None) for value in values])
    if problems:
        raise BadInput(problems)
    jobs = []
    for combination in itertools.product(*axes) if axes else [()]:
        given = {**fixed, **{name_: value for name_, value, _ in combination}}
        dated = [(name_, period) for name_, _, period in combination if period is not None]
        jobs.append(_job(notebook, given, where, dated[0] if dated else None))
    return jobs


def _job(
    notebook: ReportNotebook,
    given: Mapping[str, object],
    where: str,
    dated: tuple[str, Period] | None = None,
) -> ReportJob:
    parameters = check_parameters(notebook, given, where)
    folder = next((p.name for p in notebook.parameters if p.type.name == DataFolder.name), None)
    if dated is None:
        slug = slug_for(notebook, parameters)
        return ReportJob(notebook.name, notebook.path, parameters, slug, data_parameter=folder)
    name, period = dated
    slug = slug_for(notebook, parameters, shown={name: period.label})
    rest = slug_for(notebook, {k: v for k, v in parameters.items() if k != name})
    series = {"parameter": name, "every": period.unit, "period": period.label,
              "group": f"{notebook.name}/{rest}"}  # fmt: skip
    return ReportJob(notebook.name, notebook.path, parameters, slug, series, folder)


def takes_dates(notebook: ReportNotebook, name: str) -> bool:
    """Whether a parameter's declared type holds a date, so that a dated series can fill it."""
    parameter = notebook.parameter(name)
    return parameter is not None and parameter.type.dated


def _latest_event(facts) -> dt.date | None:
    """The day a series' `to: latest` stands for: the fact base's latest dated event."""
    if facts is None:
        raise ValueError(f"a dated series' {LATEST!r} needs the fact base")
    from thirdcountry.analysis import latest_event_date

    return latest_event_date(facts)


def single_job(notebook: ReportNotebook, given: Mapping[str, object]) -> ReportJob:
    check_notebook_name(notebook.name)
    return _job(notebook, given, "")


def _from_data(notebook: ReportNotebook, name: str, facts) -> list[str]:
    """The values the parameter's type finds in the fact base (one report each)."""
    parameter = notebook.parameter(name)
    if parameter is None:
        return [FROM_DATA]  # one job, whose check names the unknown parameter
    if parameter.type.from_data is None:
        offering = [p.name for p in notebook.parameters if p.type.from_data is not None]
        raise BadInput(
            f"for_each {name}: {FROM_DATA!r} needs a parameter whose type lists values from the "
            f"data; {name} is {parameter.type.name}"
            + (f" ({notebook.name} has: {', '.join(offering)})" if offering else "")
        )
    if facts is None:
        raise BadInput(f"for_each {name}: {FROM_DATA!r} needs the fact base")
    return parameter.type.from_data(facts)


def _one_party_parameter(notebook: ReportNotebook) -> str:
    """The name of the notebook's one parameter of type Party (`countries: from-data`)."""
    names = [p.name for p in notebook.parameters if p.type.name == Party.name]
    if len(names) != 1:
        raise BadInput(
            f"'countries: {FROM_DATA}' needs exactly one parameter of type {Party.name} in "
            f"{notebook.name} (it has {len(names)}); use for_each with the parameter's name"
        )
    return names[0]
