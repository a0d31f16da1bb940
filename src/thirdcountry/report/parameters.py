"""Report parameters: the registry of parameter types, and one typed model per report.

A report notebook declares its parameters once, in its cell tagged "parameters", one annotated
line each; the annotation names a type from TYPES below, imported in the cell before
(`from thirdcountry.report import AsOfDate, Parties, SinceDate`):

    as_of: AsOfDate = ""  # date the statuses are computed for; empty: latest event
    since: SinceDate = ""  # list what changed after this date; never after the AsOfDate
    countries: Parties = []  # ISO3 codes to cover; empty: all countries

(The plain `name: Type = value  # help` form is also what papermill itself reads.)

Everything derives from that declaration, a ParameterModel: `thirdcountry list` (names, types,
defaults, help), the checks made before any kernel starts (ParameterModel.check, through
render.checks and render.plan), what a plan's `from-data` expands to (the type's from_data), and
the checks inside the kernel (`notebook_parameters(globals())`, which each notebook's setup cell
calls). No check is chosen by a parameter's name or a notebook's name: renaming a parameter keeps
its checks, and a new notebook gets its checks by declaring its parameters.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from thirdcountry.errors import BadInput
from thirdcountry.facts.countries import ORGANISATION_CODES, is_party_code
from thirdcountry.facts.dates import EDTFError, parse_iso_date
from thirdcountry.facts.wording import did_you_mean, with_article

if TYPE_CHECKING:
    from thirdcountry.analysis.input_slice import Scope
    from thirdcountry.facts import FactBase

# Dates a report can compute and draw: 'since' defaults to a year before as_of, and
# matplotlib's date axis ends in year 9999.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
TEXT_LIMIT = 200
PATH_LIMIT = 4096


class ParameterError(BadInput):
    """One report parameter is wrong. The message names the parameter and what is wrong."""


class ParameterProblems(BadInput):
    """Report parameters are wrong. Each problem is one line naming the parameter."""


# ---- reading one value -----------------------------------------------------------------------


def parse_date(name: str, value: object, *, allow_empty: bool = True) -> dt.date | None:
    """A calendar date as YYYY-MM-DD (or 'today'); empty is None where allowed."""
    if value in (None, "") and allow_empty:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and value.strip().lower() == "today":
        day = dt.date.today()
    elif isinstance(value, str) and value.strip():
        try:
            day = parse_iso_date(value)
        except EDTFError as exc:
            raise ParameterError(f"{name}: {exc}") from None
    else:
        raise ParameterError(f"{name}: expected a date as 'YYYY-MM-DD', got {value!r}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ParameterError(
            f"{name}: {str(value)!r} is outside the years {EARLIEST_DATE.year}-{LATEST_DATE.year} "
            "a report can show"
        )
    return day


def parse_party(name: str, value: object) -> str:
    """One party's code: an ISO 3166-1 alpha-3 code, or an organisation's code (EU)."""
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{name}: expected an ISO 3166-1 alpha-3 code, got {value!r}")
    code = value.strip().upper()
    if not is_party_code(code):
        others = ", ".join(ORGANISATION_CODES)
        raise ParameterError(
            f"{name}: {value!r} is not an ISO 3166-1 alpha-3 code or a party's code ({others})"
        )
    return code


def parse_parties(name: str, value: object) -> tuple[str, ...]:
    """Party codes, given as a list or as text ('USA GBR', 'USA,GBR' or '[USA, GBR]')."""
    return tuple(parse_party(name, item) for item in parse_list(name, value))


AGREEMENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def parse_agreement(name: str, value: object) -> str:
    """One agreement's id, as agreements.csv spells it ('us-gtm-aca-2019'). Whether the fact
    base holds it is checked where the facts are loaded (the report, or a plan's from-data)."""
    text = value.strip() if isinstance(value, str) else ""
    if not AGREEMENT_ID.fullmatch(text) or len(text) > TEXT_LIMIT:
        raise ParameterError(
            f"{name}: expected an agreement id such as 'us-gtm-aca-2019' (lower-case letters, "
            f"digits and hyphens), got {value!r}"
        )
    return text


def parse_text(name: str, value: object, *, max_length: int = TEXT_LIMIT) -> str:
    """One line of text without control characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ParameterError(f"{name}: expected text, got {value!r}")
    if len(value) > max_length:
        raise ParameterError(f"{name}: is {len(value)} characters long, over {max_length}")
    if any(ord(char) < 32 for char in value):
        raise ParameterError(f"{name}: must be one line without control characters")
    return value.strip()


def parse_folder(name: str, value: object) -> str:
    return parse_text(name, value, max_length=PATH_LIMIT)


def parse_str(name: str, value: object) -> str:
    if isinstance(value, dt.date):  # YAML may read 2025-01-26 as a date
        return value.isoformat()[:10]
    if isinstance(value, str):
        return value
    raise ParameterError(f"{name}: expected text, got {value!r}")


def parse_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise ParameterError(f"{name}: expected true or false, got {value!r}")


def parse_int(name: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value.strip())
    raise ParameterError(f"{name}: expected a whole number, got {value!r}")


def parse_float(name: str, value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return float(value.strip())
    raise ParameterError(f"{name}: expected a number, got {value!r}")


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


def parse_list(name: str, value: object) -> list[str | int | float]:
    """A list: a YAML/JSON list, or text whose items are separated by commas or spaces."""
    if isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import yaml

            try:
                items = yaml.load(text, Loader=yaml_loader())
            except yaml.YAMLError:
                raise ParameterError(f"{name}: {value!r} is not a list") from None
            if not isinstance(items, list):
                raise ParameterError(f"{name}: {value!r} is not a list")
        else:
            items = [item for item in re.split(r"[,\s]+", text) if item]
    else:
        raise ParameterError(f"{name}: expected a list, got {value!r}")
    converted: list[str | int | float] = []
    for item in items:
        if isinstance(item, dt.date):
            item = item.isoformat()[:10]
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise ParameterError(f"{name}: list items must be text or numbers, got {item!r}")
        converted.append(item)
    return converted


# ---- the registry of types -------------------------------------------------------------------


def _as_given(value: object) -> object:
    return value


def _date_text(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else ""


def _as_list(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _party_countries(facts: FactBase) -> list[str]:
    from thirdcountry.analysis.parties import party_countries

    return party_countries(facts)


def _agreement_ids(facts: FactBase) -> list[str]:
    return [str(key) for key in facts.agreements["agreement_id"]]


def _sending_parties(facts: FactBase) -> list[str]:
    from thirdcountry.analysis.parties import sending_parties

    return sending_parties(facts)


@dataclass(frozen=True)
class ParameterType:
    """A kind of report parameter: how a value is read and checked, and what it becomes.

    `parse(name, value)` returns the typed value the report code gets (a date, a tuple of codes)
    or raises ParameterError; `inject` turns it back into the plain value papermill writes into
    the notebook. `from_data` lists the values a plan's `from-data` makes one report each for.
    A type with `set_with` is never given as a parameter (the data folder: `--data DIR`).
    A date type with `not_after` may not be after the notebook's parameter of that type (a
    window's start, SinceDate, is never after the report's date, AsOfDate).
    """

    name: str
    accepts: str
    parse: Callable[[str, object], object]
    inject: Callable[[object], object] = _as_given
    from_data: Callable[[FactBase], list[str]] | None = None
    from_data_means: str = ""
    set_with: str = ""
    dated: bool = False  # a calendar date (a plan's dated series can fill it)
    not_after: str = ""  # the name of another type
    unique: bool = False  # at most one parameter of a notebook has this type
    # The part of the fact base a value selects, for the report's data key (render's
    # --if-changed; analysis.input_slice.Scope): "agreements", "parties" or "sending".
    narrows: str = ""

    @property
    def description(self) -> str:
        """What a value looks like, for `thirdcountry list`."""
        parts = [self.accepts]
        if self.not_after:
            parts.append(f"not after the {self.not_after}")
        if self.from_data_means:
            parts.append(f"from-data: {self.from_data_means}")
        if self.set_with:
            parts.append(f"set with {self.set_with}, never with -p")
        return "; ".join(parts)


_ORGANISATIONS = ", ".join(ORGANISATION_CODES)
_COUNTRIES_FROM_DATA = "each country party to an agreement"
_SENDERS_FROM_DATA = "each sending party with 3+ agreements"
_AGREEMENTS_FROM_DATA = "each agreement"

Date = ParameterType(
    "Date",
    "YYYY-MM-DD or today",
    lambda name, value: parse_date(name, value, allow_empty=False),
    inject=_date_text,
    dated=True,
)
OptionalDate = ParameterType(
    "OptionalDate", "YYYY-MM-DD, today or empty", parse_date, inject=_date_text, dated=True
)
AsOfDate = ParameterType(
    "AsOfDate",
    "the report's date: YYYY-MM-DD, today or empty",
    parse_date,
    inject=_date_text,
    dated=True,
    unique=True,
)
SinceDate = ParameterType(
    "SinceDate",
    "start of the report's window: YYYY-MM-DD, today or empty",
    parse_date,
    inject=_date_text,
    dated=True,
    not_after=AsOfDate.name,
    unique=True,
)
Party = ParameterType(
    "Party",
    f"ISO3 code (or {_ORGANISATIONS})",
    parse_party,
    from_data=_party_countries,
    from_data_means=_COUNTRIES_FROM_DATA,
    narrows="parties",
)
Parties = ParameterType(
    "Parties",
    f"ISO3 codes (or {_ORGANISATIONS}), a list or comma-separated",
    parse_parties,
    inject=_as_list,
    from_data=_party_countries,
    from_data_means=_COUNTRIES_FROM_DATA,
    narrows="parties",
)
SendingParty = ParameterType(
    "SendingParty",
    f"ISO3 code (or {_ORGANISATIONS}) of a sending party",
    parse_party,
    from_data=_sending_parties,
    from_data_means=_SENDERS_FROM_DATA,
    narrows="sending",
)
SendingParties = ParameterType(
    "SendingParties",
    f"ISO3 codes (or {_ORGANISATIONS}) of sending parties, a list or comma-separated",
    parse_parties,
    inject=_as_list,
    from_data=_sending_parties,
    from_data_means=_SENDERS_FROM_DATA,
    narrows="sending",
)
Agreement = ParameterType(
    "Agreement",
    "an agreement's id, e.g. us-gtm-aca-2019",
    parse_agreement,
    from_data=_agreement_ids,
    from_data_means=_AGREEMENTS_FROM_DATA,
    narrows="agreements",
)
Text = ParameterType("Text", f"one line, at most {TEXT_LIMIT} characters", parse_text)
DataFolder = ParameterType("DataFolder", "a fact base folder", parse_folder, set_with="--data DIR")
_BUILTINS = {
    str: ParameterType("str", "text", parse_str),
    int: ParameterType("int", "a whole number", parse_int),
    float: ParameterType("float", "a number", parse_float),
    bool: ParameterType("bool", "true or false", parse_bool),
    list: ParameterType("list", "a list, or items separated by commas", parse_list),
}

# Every type a parameters cell can declare, by the name it is declared with.
TYPES: dict[str, ParameterType] = {
    kind.name: kind
    for kind in (
        Date,
        OptionalDate,
        AsOfDate,
        SinceDate,
        Party,
        Parties,
        SendingParty,
        SendingParties,
        Agreement,
        Text,
        DataFolder,
        *_BUILTINS.values(),
    )
}


def type_of_annotation(node: ast.expr) -> ParameterType:
    """The type an annotation in a parameters cell declares, read without running it: a name in
    TYPES (`str`, `AsOfDate`). Raises ValueError with the reason."""
    if isinstance(node, ast.Name) and node.id in TYPES:
        return TYPES[node.id]
    shown = ast.unparse(node)
    raise ValueError(f"type {shown!r} is not one of {', '.join(TYPES)}{did_you_mean(shown, TYPES)}")


def type_of_object(annotation: object) -> ParameterType:
    """The type an annotation declares, as the kernel holds it after running the cell."""
    if isinstance(annotation, ParameterType):
        return annotation
    if isinstance(annotation, type) and annotation in _BUILTINS:
        return _BUILTINS[annotation]
    if isinstance(annotation, str):  # not evaluated (`from __future__ import annotations`)
        try:
            node = ast.parse(annotation, mode="eval").body
        except SyntaxError:
            raise ValueError(f"{annotation!r} is not a report parameter type") from None
        return type_of_annotation(node)
    raise ValueError(f"{annotation!r} is not a report parameter type")


# ---- one model per report --------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    type: ParameterType
    default: object
    help: str = ""


@dataclass(frozen=True)
class ParameterModel:
    """A report's parameters as its notebook declares them; the one source of its checks."""

    owner: str  # the notebook's name, for messages
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def settable(self) -> tuple[str, ...]:
        """Names that -p and a plan may set."""
        return tuple(p.name for p in self.parameters if not p.type.set_with)

    def of_type(self, type_name: str) -> list[Parameter]:
        return [p for p in self.parameters if p.type.name == type_name]

    def declaration_problems(self) -> list[str]:
        """Mistakes in the declaration itself: two report dates; a window start without one."""
        problems = []
        for parameter in self.parameters:
            kind = parameter.type
            if kind.unique and self.of_type(kind.name)[0] != parameter:
                problems.append(f"{parameter.name}: a second {kind.name} parameter")
            if kind.not_after and not self.of_type(kind.not_after):
                problems.append(
                    f"{parameter.name}: {with_article(kind.name)} needs "
                    f"{with_article(kind.not_after)} parameter to stay before"
                )
        return problems

    def check(self, given: Mapping[str, object]) -> dict[str, object]:
        """Before any kernel: the given values (text from -p, values from a plan), checked with
        the notebook's defaults for the rest, as the plain values papermill injects, in the
        notebook's order. Raises ParameterProblems, one line per problem, all at once."""
        problems: list[str] = []
        for name in given:
            parameter = self.parameter(name)
            if parameter is None:
                names = self.settable
                problems.append(
                    f"{name}: not a parameter of {self.owner} "
                    f"(it has: {', '.join(names) or 'none'}){did_you_mean(name, names)}"
                )
            elif parameter.type.set_with:
                problems.append(f"{name}: set with {parameter.type.set_with}, not as a parameter")
        known = {name: value for name, value in given.items() if name in self.settable}
        typed = self._typed({**self._defaults(), **known}, problems)
        return {p.name: p.type.inject(typed[p.name]) for p in self.parameters if p.name in known}

    def typed(self, values: Mapping[str, object]) -> dict[str, object]:
        """Every parameter's value (the kernel's, after papermill injected what was given),
        checked by the same rules as before the kernel, as the typed values the report code
        takes. Raises ParameterProblems."""
        missing = [name for name in self.names if name not in values]
        if missing:
            raise ParameterProblems(f"{name}: not set" for name in missing)
        return self._typed(values, [])

    def data_scope(self, values: Mapping[str, object]) -> Scope:
        """The part of the fact base a report with these values reads (its data key's slice):
        what its parameters' types narrow it to; a report date means it reads the latest
        event's date (its default, the 'facts current to' line)."""
        from thirdcountry.analysis.input_slice import Scope

        narrowed: dict[str, list[str]] = {"agreements": [], "parties": [], "sending": []}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if parameter.type.narrows and value not in (None, "", [], ()):
                items = value if isinstance(value, list | tuple) else [value]
                narrowed[parameter.type.narrows] += [str(item) for item in items]
        return Scope(
            agreements=tuple(narrowed["agreements"]),
            parties=tuple(narrowed["parties"]),
            sending=tuple(narrowed["sending"]),
            reads_latest_date=bool(self.of_type(AsOfDate.name)),
        )

    def _defaults(self) -> dict[str, object]:
        return {p.name: p.default for p in self.parameters}

    def _typed(self, values: Mapping[str, object], problems: list[str]) -> dict[str, object]:
        typed: dict[str, object] = {}
        for parameter in self.parameters:
            try:
                typed[parameter.name] = parameter.type.parse(parameter.name, values[parameter.name])
            except ParameterError as exc:
                problems.append(str(exc))
        if not problems:
            problems += self._relation_problems(typed)
        if problems:
            raise ParameterProblems(problems)
        return typed

    def _relation_problems(self, typed: Mapping[str, object]) -> list[str]:
        problems = []
        for parameter in self.parameters:
            bounds = self.of_type(parameter.type.not_after) if parameter.type.not_after else []
            for other in bounds:
                value, limit = typed.get(parameter.name), typed.get(other.name)
                if isinstance(value, dt.date) and isinstance(limit, dt.date) and value > limit:
                    problems.append(f"{parameter.name}: {value} is after {other.name} {limit}")
        return problems


def notebook_parameters(namespace: Mapping[str, Any]) -> dict[str, object]:
    """Inside the kernel: the notebook's parameters, checked and typed.

    The setup cell right after the parameters cell calls it with `globals()`: the model is built
    from the annotations the parameters cell declared (`__annotations__`), the values are what
    papermill injected or the defaults. Raises ParameterProblems, the lines `render` would give.
    """
    annotations: Mapping[str, object] = namespace.get("__annotations__") or {}
    problems: list[str] = []
    parameters = []
    for name, annotation in annotations.items():
        try:
            parameters.append(Parameter(name, type_of_object(annotation), None))
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    model = ParameterModel("this notebook", tuple(parameters))
    problems += model.declaration_problems()
    if problems:
        raise ParameterProblems(problems)
    return model.typed({name: namespace[name] for name in model.names if name in namespace})


def parameter_lines(model: ParameterModel) -> Iterable[tuple[str, str, object, str, str]]:
    """`thirdcountry list`'s rows for one report: name, type, default, values, help."""
    for p in model.parameters:
        yield p.name, p.type.name, p.default, p.type.description, p.help
