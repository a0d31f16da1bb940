"""The data contract, read from the fact base's Frictionless descriptor (datapackage.json).

Field types, allowed values, patterns, keys and references are declared once there; this module
turns them into objects that loading, validation and the docs all use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.paths import DESCRIPTOR_NAME, display_path

# The tables and columns the code relies on: the published contract. A descriptor may describe
# more columns, but never fewer.
CONTRACT: dict[str, tuple[str, ...]] = {
    "sources": (
        "source_id", "title", "publisher", "author", "published", "url", "retrieved", "tier",
        "text_file",
    ),
    "entities": ("entity_id", "kind", "name", "iso3", "aliases"),
    "agreements": ("agreement_id", "title", "kind", "parties", "sending", "receiving", "notes"),
    "events": (
        "event_id", "date", "kind", "agreement_id", "actors", "summary", "certainty", "source_id",
        "quote", "date_basis", "note",
    ),
    "conflicts": ("conflict_id", "agreement_id", "aspect", "event_ids", "description",
                  "explanation"),
}  # fmt: skip

# Figures came later: a descriptor without a 'figures' resource describes a fact base without
# numbers (older fact bases and their snapshots). One that declares it must declare all of this.
FIGURES_CONTRACT: dict[str, tuple[str, ...]] = {
    "figures": (
        "figure_id", "agreement_id", "measure", "value", "unit", "qualifier", "basis", "date",
        "certainty", "source_id", "quote", "note",
    ),
    "conflicts": ("figure_ids",),
}  # fmt: skip

# The verification log came later too: a descriptor may leave it out; one that declares it must
# declare all of this (see facts/load.py OPTIONAL_TABLES).
VERIFICATIONS_CONTRACT: dict[str, tuple[str, ...]] = {
    "verifications": (
        "verification_id", "event_id", "checked", "source_ids", "checked_on", "result", "note",
        "agreement_id",
    ),
}  # fmt: skip
# A conflict's resolution came later: optional trailing columns of conflicts; an empty state, or
# none declared, reads as open (analysis/resolutions.py).
RESOLUTION_CONTRACT: dict[str, tuple[str, ...]] = {
    "conflicts": ("state", "settled_by", "resolution"),
}
CONFLICT_STATES: tuple[str, ...] = ("open", "settled")
# Totals a source gives for several agreements at once (a sum paid to five countries): kept whole,
# never split by guess. Optional; complete if declared.
TOTALS_CONTRACT: dict[str, tuple[str, ...]] = {
    "totals": (
        "total_id", "agreement_ids", "measure", "value", "unit", "qualifier", "basis", "date",
        "certainty", "source_id", "quote", "note",
    ),
}  # fmt: skip
# Reviewed waivers of lint findings came last: optional in a descriptor, complete if declared.
WAIVERS_CONTRACT: dict[str, tuple[str, ...]] = {
    "waivers": ("waiver_id", "rule", "row_id", "reason", "reviewed_on"),
}
# What a check of one event found (the descriptor's 'result' field explains each).
EVENT_RESULTS: tuple[str, ...] = (
    "confirmed", "narrowed", "corrected", "conflict", "single_source", "unverified",
)  # fmt: skip
# What a coverage check of a whole agreement against the newest material found.
COVERAGE_RESULTS: tuple[str, ...] = ("updated", "nothing_new")
VERIFICATION_RESULTS: tuple[str, ...] = EVENT_RESULTS + COVERAGE_RESULTS

# The legal frame came later still: rulings, laws and policy linked to the agreements they govern.
# A descriptor may leave it out; one that declares it must declare all of this.
CONTEXT_CONTRACT: dict[str, tuple[str, ...]] = {
    "context_events": (
        "context_id", "date", "kind", "jurisdiction", "label", "summary", "agreement_ids",
        "certainty", "source_id", "quote", "date_basis", "note",
    ),
}  # fmt: skip
CONTEXT_KINDS: tuple[str, ...] = ("ruling", "legislation", "policy")
# Results that claim a source other than the event's own.
INDEPENDENT_RESULTS: tuple[str, ...] = ("confirmed", "narrowed", "corrected", "conflict")

# What a figure counts. Money is in the currency its unit names; everything else in people.
MEASURES: tuple[str, ...] = (
    "people_transferred", "capacity", "payment", "people_left_onward", "people_held", "cost",
)  # fmt: skip
MONEY_MEASURES: tuple[str, ...] = ("payment", "cost")
PEOPLE_UNIT = "people"
# How a figure's number holds over its date. A stock (people held on the date) may rise or fall,
# and only people_held is one.
BASES: tuple[str, ...] = ("cumulative", "in_period", "single_event", "stock")
STOCK_MEASURES: tuple[str, ...] = ("people_held",)
QUALIFIERS: tuple[str, ...] = ("exact", "approximate", "at_least", "at_most")

# Event kinds that change an agreement's status, in the order an agreement's life runs.
LIFECYCLE: tuple[str, ...] = (
    "proposed",
    "negotiating",
    "signed",
    "in_force",
    "implemented",
    "paused",
    "suspended",
    "termination_noticed",
    "terminated",
    "denied",
)

# Every event kind that brings about a lifecycle step, and the step: each step is its own kind, a
# court ruling or order that stops transfers pauses the agreement like a government's pause, and a
# later instrument that supersedes an agreement ends it as a termination does. Supersession is its
# own kind, so the event says what happened: no 'terminated' event is inferred from it.
STEP_OF_KIND: dict[str, str] = {
    **{step: step for step in LIFECYCLE},
    "halted_by_court": "paused",
    "superseded": "terminated",
}

# Source tiers, strongest first: used to pick the better of two conflicting dates.
TIERS: tuple[str, ...] = ("official", "news", "tracker", "reprint")
# Certainty of an event, strongest evidence first.
CERTAINTIES: tuple[str, ...] = ("confirmed", "reported", "disputed", "planned")

# Declarations the code relies on: a descriptor may not loosen them.
EXACT_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sources", "tier"): TIERS,
    ("events", "certainty"): CERTAINTIES,
    ("events", "date_basis"): ("stated", "inferred", "unverified"),
    ("conflicts", "aspect"): ("date", "occurrence", "which_date", "unverified"),
    ("conflicts", "state"): CONFLICT_STATES,  # where declared (RESOLUTION_CONTRACT)
}
# With figures declared, these replace EXACT_ENUMS' entries or join them.
FIGURE_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("conflicts", "aspect"): ("date", "occurrence", "which_date", "unverified", "value"),
    ("figures", "measure"): MEASURES,
    ("figures", "basis"): BASES,
    ("figures", "qualifier"): QUALIFIERS,
    ("figures", "certainty"): CERTAINTIES,
}
VERIFICATION_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("verifications", "result"): VERIFICATION_RESULTS,
}
CONTEXT_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("context_events", "kind"): CONTEXT_KINDS,
    ("context_events", "certainty"): CERTAINTIES,
    ("context_events", "date_basis"): ("stated", "inferred", "unverified"),
}
REQUIRED_ENUM_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("events", "kind"): LIFECYCLE,
    ("entities", "kind"): ("country",),
}
EDTF_FIELDS = (
    ("sources", "published"), ("events", "date"), ("figures", "date"), ("totals", "date"),
    ("context_events", "date"),
)  # fmt: skip
DATE_FIELDS = (
    ("sources", "retrieved"), ("verifications", "checked_on"), ("waivers", "reviewed_on"),
)  # fmt: skip
LIST_FIELDS = (
    ("entities", "aliases"),
    ("agreements", "parties"),
    ("events", "actors"),
    ("conflicts", "event_ids"),
    ("conflicts", "figure_ids"),
    ("conflicts", "settled_by"),
    ("totals", "agreement_ids"),
    ("verifications", "source_ids"),
    ("context_events", "agreement_ids"),
)
NUMBER_FIELDS = (("figures", "value"), ("totals", "value"))
KNOWN_TYPES = ("string", "date", "number")


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    list_separator: str | None = None  # x-list: a '|'-separated list
    value_format: str | None = None  # x-format: 'edtf'
    references: tuple[str, str] | None = None  # (resource, field) for list fields


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    # (column, referenced table, referenced column), from foreignKeys and x-references
    references: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)


class _DescriptorError(Exception):
    """One thing wrong with the descriptor: where (resource or resource.field) and what."""

    def __init__(self, where: str | None, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def package_identity(data_dir: Path) -> dict[str, str]:
    """The data package's name, title and version as its descriptor gives them ({} if unread).

    For citing the data: load_schema has already refused a descriptor that cannot be read."""
    try:
        descriptor = json.loads((data_dir / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(descriptor, dict):
        return {}
    return {
        key: str(descriptor[key])
        for key in ("name", "title", "version")
        if isinstance(descriptor.get(key), (str, int, float))
    }


def load_schema(data_dir: Path) -> dict[str, Table]:
    """Read data_dir/datapackage.json and check it describes every contract table and column."""
    descriptor_path = data_dir / DESCRIPTOR_NAME
    shown = display_path(descriptor_path, data_dir)

    def fail(message: str, where: str | None = None) -> FactBaseError:
        return FactBaseError([Problem(shown, None, where, message)])

    try:
        text = descriptor_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail("file not found") from None
    except UnicodeDecodeError:
        raise fail("is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"is not valid JSON ({exc})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        expected = "expected a JSON object with a 'resources' list"
        raise fail(f"is not a tabular data package descriptor ({expected})")

    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for position, resource in enumerate(descriptor["resources"]):
        try:
            table = _table(resource, position)
            if table.name in tables:
                raise _DescriptorError(table.name, "resource is described twice")
        except _DescriptorError as exc:
            problems.append(Problem(shown, None, exc.where, exc.message))
            continue
        tables[table.name] = table
    if problems:  # later checks would only repeat these
        raise FactBaseError(problems)
    for table in tables.values():
        for column, target, target_column in table.references:
            if target not in tables or target_column not in tables[target].columns:
                message = (
                    f"refers to '{target}.{target_column}', which the descriptor does not describe"
                )
                problems.append(Problem(shown, None, f"{table.name}.{column}", message))
    problems += _contract_problems(tables, shown)
    if problems:
        raise FactBaseError(problems)
    return tables


def _contract_problems(tables: dict[str, Table], shown: str) -> list[Problem]:
    problems = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(shown, None, where, message))

    for name, columns in CONTRACT.items():
        if name not in tables:
            add(name, "resource missing from the descriptor")
            continue
        for column in columns:
            if column not in tables[name].columns:
                add(f"{name}.{column}", "field missing")
    if "figures" in tables:
        for name, columns in FIGURES_CONTRACT.items():
            for column in columns:
                if name in tables and column not in tables[name].columns:
                    add(f"{name}.{column}", "field missing")
    for name, columns in (
        *VERIFICATIONS_CONTRACT.items(),
        *CONTEXT_CONTRACT.items(),
        *TOTALS_CONTRACT.items(),
        *WAIVERS_CONTRACT.items(),
    ):
        if name in tables:
            for column in columns:
                if column not in tables[name].columns:
                    add(f"{name}.{column}", "field missing")
    present = {
        (t, f.name): f
        for t, table in tables.items()
        for f in table.fields
        if t in CONTRACT
        or t in FIGURES_CONTRACT
        or t in VERIFICATIONS_CONTRACT
        or t in CONTEXT_CONTRACT
        or t in WAIVERS_CONTRACT
        or t in TOTALS_CONTRACT
    }
    enums = {
        **EXACT_ENUMS,
        **(FIGURE_ENUMS if "figures" in tables else {}),
        **(VERIFICATION_ENUMS if "verifications" in tables else {}),
        **(CONTEXT_ENUMS if "context_events" in tables else {}),
    }
    for key, values in enums.items():
        if key in present and set(present[key].enum or ()) != set(values):
            extra = sorted(set(present[key].enum or ()) - set(values))
            missing = sorted(set(values) - set(present[key].enum or ()))
            detail = "; ".join(
                part
                for part in (
                    f"extra: {', '.join(extra)}" if extra else "",
                    f"missing: {', '.join(missing)}" if missing else "",
                )
                if part
            )
            add(".".join(key), f"allowed values differ from the contract ({detail})")
    for key, values in REQUIRED_ENUM_VALUES.items():
        if key in present:
            missing = [v for v in values if v not in (present[key].enum or ())]
            if missing:
                add(".".join(key), f"allowed values must include: {', '.join(missing)}")
    for key in EDTF_FIELDS:
        if key in present and present[key].value_format != "edtf":
            add(".".join(key), "x-format must be 'edtf'")
    for key in DATE_FIELDS:
        if key in present and present[key].type != "date":
            add(".".join(key), "type must be 'date'")
    for key in NUMBER_FIELDS:
        if key in present and present[key].type != "number":
            add(".".join(key), "type must be 'number'")
    for key in LIST_FIELDS:
        if key in present and present[key].list_separator != "|":
            add(".".join(key), "x-list must be '|'")
    return problems


def _table(resource: object, position: int) -> Table:
    if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
        raise _DescriptorError(f"resources[{position}]", "must be an object with a 'name'")
    name = resource["name"]
    path = resource.get("path")
    if not isinstance(path, str) or not _is_inside(path):
        raise _DescriptorError(
            name, f"path {path!r} must be a relative path inside the data folder"
        )
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise _DescriptorError(name, "schema must be an object with a 'fields' list")
    fields = tuple(_field(raw, name, i) for i, raw in enumerate(schema["fields"]))
    columns = {f.name for f in fields}
    primary = schema.get("primaryKey")
    primary = primary if isinstance(primary, list) else [primary]
    if len(primary) != 1 or primary[0] not in columns:
        raise _DescriptorError(name, "primaryKey must name one field")
    references = []
    for fk in schema.get("foreignKeys", []):
        try:
            columns_of = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_columns = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            references.append((columns_of[0], ref["resource"], ref_columns[0]))
        except (KeyError, TypeError, IndexError):
            raise _DescriptorError(name, "foreignKeys must name fields and a reference") from None
    for f in fields:
        if f.references:
            references.append((f.name, *f.references))
    return Table(
        name=name,
        path=path,
        description=str(resource.get("description", "")),
        fields=fields,
        primary_key=primary[0],
        references=tuple(references),
    )


def _is_inside(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def _field(raw: object, table: str, position: int) -> Field:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise _DescriptorError(f"{table}.fields[{position}]", "must be an object with a 'name'")
    where = f"{table}.{raw['name']}"
    constraints = raw.get("constraints", {})
    if not isinstance(constraints, dict):
        raise _DescriptorError(where, "constraints must be a JSON object")
    enum = constraints.get("enum")
    if enum is not None and (
        not isinstance(enum, list) or not all(isinstance(v, str) for v in enum)
    ):
        raise _DescriptorError(where, "enum must be a list of strings")
    pattern = constraints.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            message = f"pattern {pattern!r} is not a valid regular expression ({exc})"
            raise _DescriptorError(where, message) from None
    field_type = raw.get("type", "string")
    if field_type not in KNOWN_TYPES:
        raise _DescriptorError(
            where, f"type {field_type!r} is not one of: {', '.join(KNOWN_TYPES)}"
        )
    refs = raw.get("x-references")
    if refs is not None and not (
        isinstance(refs, dict)
        and isinstance(refs.get("resource"), str)
        and isinstance(refs.get("field"), str)
    ):
        raise _DescriptorError(where, "x-references must name a resource and a field")
    return Field(
        name=raw["name"],
        type=field_type,
        description=str(raw.get("description", "")),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(enum) if enum else None,
        pattern=pattern,
        list_separator=raw.get("x-list"),
        value_format=raw.get("x-format"),
        references=(refs["resource"], refs["field"]) if refs else None,
    )
