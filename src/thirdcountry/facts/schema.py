"""The data contract, read from the fact base's Frictionless descriptor (datapackage.json).

Field types, allowed values, patterns, keys and references are declared once there; this module
turns them into objects that loading, validation and the docs all use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.paths import DESCRIPTOR_NAME

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

# Source tiers, strongest first: used to pick the better of two conflicting dates.
TIERS: tuple[str, ...] = ("official", "news", "tracker", "reprint")


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


def load_schema(data_dir: Path) -> dict[str, Table]:
    """Read data_dir/datapackage.json and check it describes every contract table and column."""
    descriptor_path = data_dir / DESCRIPTOR_NAME
    shown = f"{data_dir.name}/{DESCRIPTOR_NAME}"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FactBaseError([Problem(shown, None, None, "file not found")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FactBaseError([Problem(shown, None, None, f"is not valid JSON ({exc})")]) from None
    try:
        tables = {res["name"]: _table(res) for res in descriptor["resources"]}
    except (KeyError, TypeError, ValueError) as exc:
        message = f"is not a tabular data package descriptor ({exc!r} missing or malformed)"
        raise FactBaseError([Problem(shown, None, None, message)]) from None
    problems = []
    for name, columns in CONTRACT.items():
        if name not in tables:
            problems.append(Problem(shown, None, name, "resource missing from the descriptor"))
            continue
        missing = [c for c in columns if c not in tables[name].columns]
        for column in missing:
            problems.append(Problem(shown, None, f"{name}.{column}", "field missing"))
    if problems:
        raise FactBaseError(problems)
    return tables


def _table(resource: dict) -> Table:
    schema = resource["schema"]
    fields = tuple(_field(f) for f in schema["fields"])
    primary = schema["primaryKey"]
    primary_key = primary[0] if isinstance(primary, list) else primary
    references = []
    for fk in schema.get("foreignKeys", []):
        columns = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_columns = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        references.append((columns[0], ref["resource"], ref_columns[0]))
    for f in fields:
        if f.references:
            references.append((f.name, *f.references))
    return Table(
        name=resource["name"],
        path=resource["path"],
        description=resource.get("description", ""),
        fields=fields,
        primary_key=primary_key,
        references=tuple(references),
    )


def _field(raw: dict) -> Field:
    constraints = raw.get("constraints", {})
    enum = constraints.get("enum")
    refs = raw.get("x-references")
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(enum) if enum else None,
        pattern=constraints.get("pattern"),
        list_separator=raw.get("x-list"),
        value_format=raw.get("x-format"),
        references=(refs["resource"], refs["field"]) if refs else None,
    )
