"""Load a fact base folder into typed pandas DataFrames, checked against its descriptor."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from thirdcountry.facts.csv_table import Rows, read_table, split_list
from thirdcountry.facts.dates import parse_edtf
from thirdcountry.facts.fact_base import FactBase, empty_table, no_totals, no_waivers
from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.facts.schema import (
    CONTEXT_CONTRACT,
    FIGURES_CONTRACT,
    STEP_OF_KIND,
    VERIFICATIONS_CONTRACT,
    Table,
    load_schema,
)
from thirdcountry.facts.validate import domain_problems
from thirdcountry.paths import CHECKED_DATA_ENV, DESCRIPTOR_NAME, display_path, resolve_data_dir

TABLES = ("sources", "entities", "agreements", "events", "conflicts")
# Declared by current descriptors; absent from older ones (see schema.FIGURES_CONTRACT,
# schema.VERIFICATIONS_CONTRACT, WAIVERS_CONTRACT and CONTEXT_CONTRACT).
OPTIONAL_TABLES = ("figures", "verifications", "waivers", "totals", "context_events")


def load_facts(data_dir: str | Path | None = None, *, validate: bool = True) -> FactBase:
    """Load and check a fact base. Raises FactBaseError listing every problem found.

    Nothing under data_dir is ever written.
    """
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        what = "is a file, not a folder" if directory.exists() else "no such folder"
        raise FactBaseError([Problem(str(data_dir or directory.name), None, None, what)])
    schema = load_schema(directory)
    problems: list[Problem] = []
    raw: dict[str, Rows] = {}
    for name in schema:  # every declared table, not only those the code types (tables_of)
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

    frames = {name: _typed_frame(raw[name], schema[name]) for name in tables_of(schema)}
    if "figures" not in schema:
        frames["figures"] = _no_figures()
        frames["conflicts"]["figure_ids"] = pd.Series(
            [()] * len(frames["conflicts"]), index=frames["conflicts"].index, dtype=object
        )
    if "verifications" not in schema:
        frames["verifications"] = _no_verifications()
    if "context_events" not in schema:
        frames["context_events"] = _no_context_events()
    if "waivers" not in schema:
        frames["waivers"] = no_waivers()
    if "totals" not in schema:
        frames["totals"] = no_totals()
    source_texts, text_files, text_problems = _read_source_texts(
        frames["sources"], directory, schema
    )
    problems.extend(text_problems)
    if text_problems and not validate:
        raise FactBaseError(problems)
    digests = file_digests(directory, schema, text_files)
    facts = FactBase(
        data_dir=directory,
        schema=schema,
        source_texts=source_texts,
        text_files=text_files,
        content_hash=hash_of_digests(digests),
        rejected_keys={name: raw[name].rejected_keys for name in tables_of(schema)},
        records={name: rows.records for name, rows in raw.items()},
        file_digests=digests,
        **frames,
    )
    if validate and not checked_before(facts.content_hash):
        problems.extend(domain_problems(facts))
    if problems:
        raise FactBaseError(problems)
    return facts


def checked_before(content_hash: str) -> bool:
    """Whether the render that started this process checked this very content in full
    ($THIRDCOUNTRY_CHECKED_DATA, paths.CHECKED_DATA_ENV)."""
    return bool(content_hash) and os.environ.get(CHECKED_DATA_ENV) == content_hash


def tables_of(schema: dict[str, Table]) -> tuple[str, ...]:
    """The tables a fact base holds: the contract's, and the optional ones its descriptor has."""
    return TABLES + tuple(name for name in OPTIONAL_TABLES if name in schema)


def _no_figures() -> pd.DataFrame:
    """The figures frame of a fact base whose descriptor predates figures: no rows."""
    columns = FIGURES_CONTRACT["figures"]
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    frame["value"] = pd.Series(dtype="float64")
    frame["csv_line"] = pd.Series(dtype="int64")
    _add_date_columns(frame, "date")
    return frame


def _no_verifications() -> pd.DataFrame:
    """The verification log of a fact base whose descriptor predates it: no rows."""
    return empty_table(
        VERIFICATIONS_CONTRACT["verifications"], lists=("source_ids",), dates=("checked_on",)
    )


def _no_context_events() -> pd.DataFrame:
    """The legal frame of a fact base whose descriptor predates it: no rows."""
    frame = empty_table(CONTEXT_CONTRACT["context_events"], lists=("agreement_ids",))
    _add_date_columns(frame, "date")
    return frame


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
        elif f.type == "number":
            frame[f.name] = pd.to_numeric(column).astype("float64")
        elif f.enum is not None:
            categories = list(f.enum)
            frame[f.name] = pd.Categorical(column, categories=categories, ordered=True)
        else:
            frame[f.name] = column
    frame["csv_line"] = pd.Series(rows.lines, index=frame.index, dtype="int64")
    if table.name in ("events", "figures", "totals", "context_events"):
        _add_date_columns(frame, "date")
    if table.name == "events":
        # The lifecycle step an event brings about (NA for context events).
        frame["step"] = frame["kind"].astype("string").map(STEP_OF_KIND).astype("string")
        frame["is_lifecycle"] = frame["step"].notna()
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
) -> tuple[dict[str, str], tuple[Path, ...], list[Problem]]:
    """Each source's stored text, the files read (relative to the folder), and the problems.

    A text_file must stay inside the data folder, whatever pattern the descriptor allows: an
    absolute path, '..' or a symbolic link leading out of it is refused, never read."""
    texts: dict[str, str] = {}
    files: set[Path] = set()
    problems: list[Problem] = []
    shown = display_path(directory / schema["sources"].path, directory)
    root = directory.resolve()
    for row in sources.itertuples():
        if pd.isna(row.text_file):
            continue
        path = (directory / row.text_file).resolve()
        if root not in path.parents:
            message = f"stored text {row.text_file!r} is outside the data folder"
            problems.append(Problem(shown, row.csv_line, "text_file", message))
            continue
        try:
            texts[row.source_id] = path.read_text(encoding="utf-8")
            files.add(path.relative_to(root))
        except FileNotFoundError:
            message = f"stored text {row.text_file!r} not found"
            problems.append(Problem(shown, row.csv_line, "text_file", message))
        except (OSError, UnicodeDecodeError):
            message = f"stored text {row.text_file!r} is not readable UTF-8 text"
            problems.append(Problem(shown, row.csv_line, "text_file", message))
    return texts, tuple(sorted(files)), problems


def content_hash(directory: Path, schema: dict[str, Table], text_files: Iterable[Path]) -> str:
    """A short, stable hash of the descriptor, the tables and the stored texts they reference."""
    return hash_of_digests(file_digests(directory, schema, text_files))


def file_digests(
    directory: Path, schema: dict[str, Table], text_files: Iterable[Path]
) -> dict[str, str]:
    """The SHA-256 of each file of the fact base, by its path relative to the folder."""
    return {
        member.as_posix(): hashlib.sha256((directory / member).read_bytes()).hexdigest()
        for member in fact_files(schema, text_files)
    }


def hash_of_digests(digests: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for member, file_digest in digests.items():
        digest.update(member.encode())
        digest.update(b"\0")
        digest.update(file_digest.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def fact_files(schema: dict[str, Table], text_files: Iterable[Path]) -> list[Path]:
    """Every file that makes up a fact base, relative to its folder: what is hashed and kept.

    The descriptor, every declared table (those the code types, tables_of, and any other the
    descriptor adds) and exactly the stored texts the sources reference."""
    tables = [Path(DESCRIPTOR_NAME)] + [Path(table.path) for table in schema.values()]
    return tables + sorted(set(text_files) - set(tables))
