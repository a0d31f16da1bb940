"""Checking report parameters before any kernel starts: one line per mistake, all of them at once.

Names and types come from the notebook's parameters cell; the value checks (dates, ISO3 codes,
text) are thirdcountry.report.parameters', the same the notebooks run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache

from thirdcountry.errors import BadInput
from thirdcountry.facts.wording import did_you_mean
from thirdcountry.render.notebooks import DATA_PARAMETER, ReportNotebook

DATE_NAMES = frozenset({"as_of", "since", "until"})


class ParameterProblems(BadInput):
    """Report parameters are wrong. Each problem is one line naming the parameter."""


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
    """The given parameters, typed and checked, in the notebook's order. Raises ParameterProblems.

    `where` prefixes every message (e.g. 'reports.yml: reports[2]: ').
    """
    problems: list[str] = []
    typed: dict[str, object] = {}
    for name, value in given.items():
        spec = notebook.parameter(name)
        if name == DATA_PARAMETER:
            problems.append(f"{name}: set the fact base with --data DIR, not as a parameter")
        elif spec is None:
            names = [n for n in notebook.names if n != DATA_PARAMETER]
            hint = did_you_mean(name, names)
            problems.append(
                f"{name}: not a parameter of {notebook.name} "
                f"(it has: {', '.join(names) or 'none'}){hint}"
            )
        else:
            try:
                typed[name] = _convert(name, spec.type, value)
            except ValueError as exc:
                problems.append(str(exc))
    problems += _value_problems(notebook, typed, whole=not problems)
    if problems:
        raise ParameterProblems(where + problem for problem in problems)
    return {name: typed[name] for name in notebook.names if name in typed}


@cache
def yaml_loader():
    """YAML's safe loader, except that dates stay text: '2025-13-01' is then one clear problem
    found by the date check, not a crash inside the YAML reader."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _convert(name: str, kind: str, value: object) -> object:
    """A value as the parameter's declared type; text from the command line is parsed."""
    if isinstance(value, dt.datetime | dt.date):  # YAML reads 2025-01-26 as a date
        value = value.isoformat()[:10]
    if kind == "str":
        if isinstance(value, str):
            return value
        raise ValueError(f"{name}: expected text, got {value!r}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "yes", "1"}:
            return True
        if text in {"false", "no", "0"}:
            return False
        raise ValueError(f"{name}: expected true or false, got {value!r}")
    if kind in {"int", "float"}:
        if isinstance(value, bool):
            raise ValueError(f"{name}: expected a number, got {value!r}")
        try:
            number = int(value) if kind == "int" else float(value)  # type: ignore[call-overload, arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"{name}: expected {'a whole' if kind == 'int' else 'a'} number, "
                             f"got {value!r}") from None  # fmt: skip
        if kind == "int" and isinstance(value, float) and value != number:
            raise ValueError(f"{name}: expected a whole number, got {value!r}")
        return number
    # list: a YAML/JSON list, or text separated by commas or spaces
    if isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import yaml

            try:
                items = yaml.load(text, Loader=yaml_loader())
            except yaml.YAMLError:
                raise ValueError(f"{name}: {value!r} is not a list") from None
            if not isinstance(items, list):
                raise ValueError(f"{name}: {value!r} is not a list")
        else:
            items = [item for item in re.split(r"[,\s]+", text) if item]
    else:
        raise ValueError(f"{name}: expected a list, got {value!r}")
    converted = []
    for item in items:
        if isinstance(item, dt.date):
            item = item.isoformat()[:10]
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise ValueError(f"{name}: list items must be text or numbers, got {item!r}")
        converted.append(item)
    return converted


def _value_problems(notebook: ReportNotebook, typed: dict[str, object], whole: bool) -> list[str]:
    """Dates, ISO3 codes and text checked with the report layer's own rules; values normalised."""
    from thirdcountry.report import parameters as rules

    problems = []
    for name, value in list(typed.items()):
        try:
            if name in DATE_NAMES or name.endswith("_date"):
                parsed = rules.parse_date_parameter(name, value)
                typed[name] = parsed.isoformat() if parsed else ""
            elif name == "country":
                typed[name] = rules.parse_country_parameter(name, value)
            elif name in ("countries", "sending"):
                typed[name] = [rules.parse_country_parameter(name, v) for v in value]  # type: ignore[attr-defined]
            elif name == "title":
                typed[name] = rules.parse_text_parameter(name, value)
        except rules.ParameterError as exc:
            problems.append(str(exc))
    if problems or not whole:
        return problems
    # The notebook's own check, with its defaults filled in, catches what only a whole set can
    # show (e.g. since after as_of).
    whole_check: dict[str, Callable[..., object]] = {
        "overview": rules.overview_parameters,
        "country": rules.country_parameters,
    }
    check = whole_check.get(notebook.name)
    if check is not None:
        values = {p.name: p.default for p in notebook.parameters if p.name != DATA_PARAMETER}
        values.update(typed)
        try:
            check(**values)
        except rules.ParameterError as exc:
            problems.append(str(exc))
        except TypeError as exc:  # the notebook and its check disagree on the parameter names
            problems.append(f"{notebook.name}: parameters do not match the report's check ({exc})")
    return problems
