"""A render plan (reports.yml): which notebooks to render, with which parameters.

    reports:
      - notebook: overview              # one report, default parameters
      - notebook: overview
        parameters: {as_of: 2025-01-26}
      - notebook: country
        for_each:
          country: from-data            # one report per country party to an agreement
      - notebook: overview
        for_each:
          sending: from-data            # one per sending state with at least 3 agreements
      - notebook: overview
        for_each:
          as_of: [2021-03-01, 2025-01-26]   # one report per value (several keys: every combination)
      - notebook: overview
        for_each:
          as_of: {monthly: {from: 2019-01, to: latest}}   # a dated series: see render/periods.py

`countries: from-data` on an entry is short for `for_each: {country: from-data}`. Every report is
checked like `-p` parameters are, before any kernel starts; all problems are reported at once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path

from thirdcountry.errors import BadInput
from thirdcountry.render.batch import ReportJob
from thirdcountry.render.checks import ParameterProblems, check_parameters, yaml_loader
from thirdcountry.render.notebooks import ReportNotebook, find_notebook
from thirdcountry.render.outputs import check_notebook_name, slug_for
from thirdcountry.render.periods import LATEST, Period, expand, is_series

FROM_DATA = "from-data"
# `sending: from-data` makes an overview for each sending party with at least this many agreements:
# fewer make a report that the world overview already shows in full.
SENDING_MINIMUM = 3
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
        grid["country"] = FROM_DATA
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
                problems.append(f"for_each.{name_}: a dated series needs a date parameter "
                                f"(such as as_of); {name_} is not one")  # fmt: skip
                continue
            try:
                found = expand(values, f"for_each.{name_}", lambda: _latest_event(facts))
            except BadInput as exc:
                problems += exc.problems
                continue
            axes.append([(name_, period.day.isoformat(), period) for period in found])
            continue
        if values == FROM_DATA:
            values = senders_from_data(facts) if name_ == "sending" else countries_from_data(facts)
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
    if dated is None:
        return ReportJob(notebook.name, notebook.path, parameters, slug_for(notebook, parameters))
    name, period = dated
    slug = slug_for(notebook, parameters, shown={name: period.label})
    rest = slug_for(notebook, {k: v for k, v in parameters.items() if k != name})
    series = {"parameter": name, "every": period.unit, "period": period.label,
              "group": f"{notebook.name}/{rest}"}  # fmt: skip
    return ReportJob(notebook.name, notebook.path, parameters, slug, series)


def takes_dates(notebook: ReportNotebook, name: str) -> bool:
    """Whether a parameter holds a date, so that a dated series can fill it."""
    from thirdcountry.render.checks import DATE_NAMES

    return name in DATE_NAMES or name.endswith("_date")


def _latest_event(facts) -> dt.date | None:
    """The day a series' `to: latest` stands for: the fact base's latest dated event."""
    if facts is None:
        raise ValueError(f"a dated series' {LATEST!r} needs the fact base")
    from thirdcountry.analysis import latest_event_date

    return latest_event_date(facts)


def single_job(notebook: ReportNotebook, given: Mapping[str, object]) -> ReportJob:
    check_notebook_name(notebook.name)
    return _job(notebook, given, "")


def senders_from_data(facts, minimum: int = SENDING_MINIMUM) -> list[str]:
    """Codes of the sending parties (countries or organisations such as the EU) with at least
    `minimum` agreements, in alphabetical order."""
    if facts is None:
        raise ValueError(f"{FROM_DATA!r} needs the fact base")
    counts = facts.agreements["sending"].value_counts()
    return sorted(_party_code(facts, party) for party, n in counts.items() if n >= minimum)


def _party_code(facts, entity_id: str) -> str:
    """A party's code: a country's ISO3, else its entity id in capitals (EU)."""
    iso3 = facts.entities.set_index("entity_id")["iso3"].get(entity_id)
    return str(iso3) if isinstance(iso3, str) and iso3 else entity_id.upper()


def countries_from_data(facts) -> list[str]:
    """ISO3 codes of every country that is a party to an agreement, in alphabetical order."""
    if facts is None:
        raise ValueError(f"{FROM_DATA!r} needs the fact base")
    entities = facts.entities
    countries = entities[entities["kind"] == "country"].set_index("entity_id")["iso3"]
    parties = {party for parties in facts.agreements["parties"] for party in parties}
    return sorted({str(countries[p]) for p in parties if p in countries.index})
