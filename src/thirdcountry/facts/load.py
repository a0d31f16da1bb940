"""Load a fact base folder into typed pandas DataFrames, checked against its descriptor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thirdcountry.facts.csv_table import Rows, read_table, split_list
from thirdcountry.facts.dates import parse_edtf
from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.facts.schema import LIFECYCLE, Table, load_schema
from thirdcountry.paths import DESCRIPTOR_NAME, display_path, resolve_data_dir

TABLES = ("sources", "entities", "agreements", "events", "conflicts")


@dataclass
class FactBase:
    """Everything in one fact base folder. Frames keep `csv_line`, the line each row came from."""

    data_dir: Path
    schema: dict[str, Table]
    sources: pd.DataFrame
    entities: pd.DataFrame
    agreements: pd.DataFrame
    events: pd.DataFrame
    conflicts: pd.DataFrame
    source_texts: dict[str, str] = field(default_factory=dict)
    content_hash: str = ""
    # Per table, keys of rows left out for a problem: they exist, so nothing refers to them wrongly.
    rejected_keys: dict[str, set[str]] = field(default_factory=dict)

    def shown(self, table: str) -> str:
        """How a table's file is named in messages, e.g. 'data/events.csv'."""
        return display_path(self.data_dir / self.schema[table].path, self.data_dir)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def load_facts(data_dir: str | Path | None = None, *, validate: bool = True) -> FactBase:
    """Load and check a fact base. Raises FactBaseError listing every problem found.

    Nothing under data_dir is ever written.
    """
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        raise FactBaseError(
            [Problem(str(data_dir or directory.name), None, None, "no such folder")]
        )
    schema = load_schema(directory)
    problems: list[Problem] = []
    raw: dict[str, Rows] = {}
    for name in TABLES:
        table = schema[name]
        rows, table_problems = read_table(
            directory / table.path, table, display_path(directory / table.path, directory)
        )
        raw[name] = rows
        problems.extend(table_problems)
    # Every problem in one pass: rows with problems are left out and the rest is still checked,
    # unless a whole file could not be read (then its rows, and what refers to them, are unknown).
    if problems and (not validate or not all(rows.readable for rows in raw.values())):
        raise FactBaseError(problems)

    frames = {name: _typed_frame(raw[name], schema[name]) for name in TABLES}
    source_texts, text_problems = _read_source_texts(frames["sources"], directory, schema)
    problems.extend(text_problems)
    if text_problems and not validate:
        raise FactBaseError(problems)
    facts = FactBase(
        data_dir=directory,
        schema=schema,
        source_texts=source_texts,
        content_hash=content_hash(directory, schema),
        rejected_keys={name: raw[name].rejected_keys for name in TABLES},
        **frames,
    )
    if validate:
        from thirdcountry.facts.validate import domain_problems

        problems.extend(domain_problems(facts))
    if problems:
        raise FactBaseError(problems)
    return facts


def _typed_frame(rows: Rows, table: Table) -> pd.DataFrame:
    frame = pd.DataFrame(rows.records, columns=list(table.columns), dtype="string")
    for f in table.fields:
        column = frame[f.name].replace("", pd.NA)
        if f.list_separator:
            frame[f.name] = pd.Series(
                [tuple(split_list(v, f.list_separator)) for v in frame[f.name]],
                index=frame.index,
                dtype=object,
            )
        elif f.type == "date":
            frame[f.name] = pd.to_datetime(column, format="%Y-%m-%d")
        elif f.enum is not None:
            categories = list(f.enum)
            frame[f.name] = pd.Categorical(column, categories=categories, ordered=True)
        else:
            frame[f.name] = column
    frame["csv_line"] = pd.Series(rows.lines, index=frame.index, dtype="int64")
    if table.name == "events":
        _add_date_columns(frame, "date")
        frame["is_lifecycle"] = frame["kind"].isin(LIFECYCLE)
    if table.name == "sources":
        _add_date_columns(frame, "published", prefix="published_")
    return frame


def _add_date_columns(frame: pd.DataFrame, column: str, prefix: str = "") -> None:
    """Add earliest/latest (NaT where the interval is open) and a precision label."""
    parsed = [parse_edtf(text) for text in frame[column]]
    frame[f"{prefix}earliest"] = pd.to_datetime(
        pd.Series([p.earliest for p in parsed], dtype=object)
    )
    frame[f"{prefix}latest"] = pd.to_datetime(pd.Series([p.latest for p in parsed], dtype=object))
    frame[f"{prefix}precision"] = pd.Categorical(
        [p.precision for p in parsed], categories=["day", "month", "year", "range", "open"]
    )
    if not prefix:
        frame["approximate"] = pd.Series([p.approximate for p in parsed], dtype=bool)


def _read_source_texts(
    sources: pd.DataFrame, directory: Path, schema: dict[str, Table]
) -> tuple[dict[str, str], list[Problem]]:
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    shown = display_path(directory / schema["sources"].path, directory)
    for row in sources.itertuples():
        if pd.isna(row.text_file):
            continue
        path = directory / row.text_file
        try:
            texts[row.source_id] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            message = f"stored text {row.text_file!r} not found"
            problems.append(Problem(shown, row.csv_line, "text_file", message))
        except (OSError, UnicodeDecodeError):
            message = f"stored text {row.text_file!r} is not readable UTF-8 text"
            problems.append(Problem(shown, row.csv_line, "text_file", message))
    return texts, problems


def content_hash(directory: Path, schema: dict[str, Table]) -> str:
    """A short, stable hash of the descriptor, the tables and the stored texts."""
    digest = hashlib.sha256()
    for member in fact_files(directory, schema):
        digest.update(member.as_posix().encode())
        digest.update(b"\0")
        digest.update((directory / member).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def fact_files(directory: Path, schema: dict[str, Table]) -> list[Path]:
    """Every file that makes up a fact base, relative to its folder: what is hashed and kept."""
    members = [Path(DESCRIPTOR_NAME)] + [Path(schema[n].path) for n in TABLES]
    stored = directory / "sources"
    if stored.is_dir():
        members += sorted(p.relative_to(directory) for p in stored.rglob("*") if p.is_file())
    return members
