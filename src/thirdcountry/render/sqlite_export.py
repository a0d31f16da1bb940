"""The fact base as one SQLite database, for SQL, full-text search and Datasette.

    thirdcountry.db
      sources, entities, agreements, events, ...   one table per data table of the descriptor:
                                                   its types, primary key, foreign keys, indexes
      agreements_parties, events_actors, ...       one row per item of a list field that refers
                                                   to another table (x-references), for joins
      events_fts, sources_fts, ...                 SQLite FTS5 over quotes, summaries and titles
      agreement_status                             each agreement's status on the latest event's
                                                   date, as `thirdcountry status` gives it
      agreement_steps                              each agreement's lifecycle steps
      figure_totals, cost_per_person               where each agreement's figures stand
      event_dates, figure_dates, source_dates      the days an EDTF date allows, for comparisons
      export_info                                  what the database was made from
    metadata.yml                                   Datasette's titles, descriptions, licence and
                                                   canned queries (render/datasette_metadata.py)

Both files are written aside in the target's folder and moved into place with os.replace: a
reader with the old database open keeps reading it, and a failed export leaves the old one.
List fields hold JSON arrays, which Datasette shows as lists and facets item by item.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import graphlib
import hashlib
import json
import math
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thirdcountry.errors import BadInput
from thirdcountry.render.sqlite_layout import SEARCHED, list_tables

if TYPE_CHECKING:
    import pandas as pd

    from thirdcountry.facts import FactBase
    from thirdcountry.facts.schema import Table

DATABASE_FILE = "thirdcountry.db"
METADATA_FILE = "metadata.yml"
# Bumped when the database's shape changes without the code's fingerprint showing it.
EXPORT_FORMAT = 1
COLUMN_TYPES: dict[str, type] = {"string": str, "number": float, "date": str}
# Running totals kept per agreement (analysis.figures.running_totals).
TOTAL_MEASURES = ("people_transferred", "payment", "people_left_onward")
INFO_TABLE = "export_info"


class ExportError(BadInput):
    """The database cannot be written where asked: one line, exit code 2."""


@dataclass(frozen=True)
class SqliteExportRequest:
    """What `thirdcountry export sqlite` asks for, parsed."""

    path: Path
    data_dir: Path | None = None  # None: $THIRDCOUNTRY_DATA or the project's data/
    if_changed: bool = False  # keep a database made from the same facts and code


@dataclass(frozen=True)
class ExportResult:
    path: Path
    metadata: Path
    written: bool  # False: skipped, the database in place was made from the same inputs
    key: str  # the hash of everything the database is made from
    tables: int = 0
    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0


def export_sqlite(request: SqliteExportRequest) -> ExportResult:
    """The entry point: check the target, load and validate the facts, write the database."""
    from thirdcountry.facts import load_facts

    target = check_target(request.path)
    facts = load_facts(request.data_dir)
    return write_database(facts, target, if_changed=request.if_changed)


def check_target(path: Path) -> Path:
    """The database's path, refused in one line if it cannot be written there."""
    target = Path(path)
    shown = str(path)
    if target.suffix.lower() in (".yml", ".yaml"):
        raise ExportError(f"{shown}: that is the name of the metadata file; name a database file")
    if target.is_dir():
        raise ExportError(f"{shown}: is a folder; name a database file, e.g. {DATABASE_FILE}")
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ExportError(f"{shown}: cannot write here: the folder {str(folder)!r} {what}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"{shown}: cannot write here: the folder is not writable")
    return target


def export_key(facts: FactBase) -> str:
    """One hash of everything the database is made from: the facts, the code, the packages."""
    from thirdcountry.render.history import code_fingerprint, environment_fingerprint

    inputs = {
        "data": facts.content_hash,
        "format": EXPORT_FORMAT,
        **code_fingerprint(),
        **environment_fingerprint(),
    }
    canonical = json.dumps(inputs, sort_keys=True).encode()
    return hashlib.sha256(canonical).hexdigest()[:16]


def key_in_place(path: Path) -> str | None:
    """The export key of the database at path (None: none there, or not one of ours)."""
    if not path.is_file():
        return None
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            row = connection.execute(
                f"select value from {INFO_TABLE} where name = 'export_key'"
            ).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def write_database(facts: FactBase, path: Path, *, if_changed: bool = False) -> ExportResult:
    """Write the database and its Datasette metadata beside it, each aside and then moved in."""
    from thirdcountry.render.datasette_metadata import database_metadata, dump_metadata

    started = time.monotonic()
    path = Path(path)
    metadata_path = path.with_name(METADATA_FILE)
    key = export_key(facts)
    if if_changed and key_in_place(path) == key and metadata_path.is_file():
        return ExportResult(path, metadata_path, written=False, key=key)
    metadata = dump_metadata(database_metadata(facts, path.stem))
    with _aside(path) as temp_db, _aside(metadata_path) as temp_metadata:
        tables, rows = _build(facts, temp_db, key)
        temp_metadata.write_text(metadata, encoding="utf-8")
        temp_db.replace(path)
        temp_metadata.replace(metadata_path)
    return ExportResult(
        path, metadata_path, True, key, tables, rows, path.stat().st_size,
        time.monotonic() - started,
    )  # fmt: skip


@contextlib.contextmanager
def _aside(target: Path) -> Iterator[Path]:
    """A new file in the target's folder (so os.replace is atomic), removed unless moved in."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"{target}: cannot write here ({exc.strerror or exc})") from None
    os.close(handle)
    temp = Path(name)
    temp.chmod(0o644)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)  # moved in: gone already


# ---- building ----------------------------------------------------------------------------------


def _build(facts: FactBase, file: Path, key: str) -> tuple[int, int]:
    """Fill a new database file; returns how many tables and rows it holds."""
    import sqlite_utils

    db = sqlite_utils.Database(file)  # an empty file is an empty database to SQLite
    # A file nobody reads until it is complete: no journal, no sync per commit; one fsync at the
    # end, before the rename.
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    try:
        with db.conn:
            rows = _data_tables(db, facts)
            rows += _list_tables(db, facts)
            rows += _derived_tables(db, facts)
            _info_table(db, facts, key)
        for table, columns in SEARCHED.items():
            present = [
                c for c in columns if table in facts.schema and c in facts.schema[table].columns
            ]
            if present:
                db.table(table).enable_fts(present, fts_version="FTS5", tokenize="porter")
        db.vacuum()
        tables = len(db.table_names())
    finally:
        db.close()
    with file.open("rb+") as written:
        os.fsync(written.fileno())
    return tables, rows


def _ordered_tables(schema: dict[str, Table]) -> list[str]:
    """Every declared table, each after the tables its foreign keys refer to."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name, table in schema.items():
        sorter.add(name, *(_foreign_keys(table).values()))
    return [name for name in sorter.static_order() if name in schema]


def _foreign_keys(table: Table) -> dict[str, str]:
    """{column: referenced table} of the table's single-valued references (foreignKeys)."""
    return {
        column: target
        for column, target, _ in table.references
        if table.field(column).list_separator is None and target != table.name
    }


def _data_tables(db, facts: FactBase) -> int:
    count = 0
    for name in _ordered_tables(facts.schema):
        table = facts.schema[name]
        keys = [
            (column, target, target_column)
            for column, target, target_column in table.references
            if column in _foreign_keys(table)
        ]
        db.table(name).create(
            {f.name: COLUMN_TYPES[f.type] for f in table.fields},
            pk=table.primary_key,
            not_null={f.name for f in table.fields if f.required},
            foreign_keys=keys,
        )
        records = facts.records.get(name, [])
        db.table(name).insert_all(_data_row(record, table) for record in records)
        for column, _, _ in keys:
            db.table(name).create_index([column], find_unique_name=True)
        for f in table.fields:
            if f.unique and f.name != table.primary_key:
                db.table(name).create_index([f.name], unique=True, find_unique_name=True)
            elif f.enum is not None:  # kinds, tiers, certainties: what one filters by
                db.table(name).create_index([f.name], find_unique_name=True)
        count += len(records)
    return count


def _data_row(record: dict[str, str], table: Table) -> dict[str, Any]:
    from thirdcountry.facts.csv_table import split_list

    row: dict[str, Any] = {}
    for f in table.fields:
        text = record.get(f.name, "")
        if f.list_separator:
            row[f.name] = json.dumps(split_list(text, f.list_separator), ensure_ascii=False)
        elif text == "":
            row[f.name] = None
        elif f.type == "number":
            row[f.name] = float(text)
        else:
            row[f.name] = text
    return row


def _list_tables(db, facts: FactBase) -> int:
    from thirdcountry.facts.csv_table import split_list

    count = 0
    for link, (name, key, column, target, item) in list_tables(facts.schema).items():
        target_column = next(
            c for col, t, c in facts.schema[name].references if col == column and t == target
        )
        separator = facts.schema[name].field(column).list_separator
        rows = [
            {key: record[key], item: value, "position": position}
            for record in facts.records.get(name, [])
            for position, value in enumerate(split_list(record.get(column, ""), separator), 1)
        ]
        db.table(link).create(
            {key: str, item: str, "position": int},
            pk=(key, item),
            foreign_keys=[(key, name, key), (item, target, target_column)],
        )
        db.table(link).insert_all(rows, ignore=True)  # an id listed twice is one link
        db.table(link).create_index([item], find_unique_name=True)
        count += len(rows)
    return count


def _derived_tables(db, facts: FactBase) -> int:
    """Derived facts, computed by analysis/ exactly as the command line and the reports do."""
    from thirdcountry.analysis import (
        cost_per_person,
        figure_table,
        latest_event_date,
        latest_steps,
        lifecycle_steps,
        running_totals,
        status_as_of,
    )
    from thirdcountry.facts import LIFECYCLE

    steps = lifecycle_steps(facts)
    as_of = latest_event_date(facts) or dt.date.today()
    status = status_as_of(facts, as_of, steps)
    status.insert(1, "as_of", as_of.isoformat())
    status["rank"] = [
        LIFECYCLE.index(current) if current in LIFECYCLE else -1 for current in status["current"]
    ]
    figures = figure_table(facts)
    import pandas as pd

    totals = pd.concat(
        [latest_steps(running_totals(figures, measure)) for measure in TOTAL_MEASURES],
        ignore_index=True,
    )
    titles = dict(zip(facts.agreements["agreement_id"], facts.agreements["title"], strict=True))
    cost = cost_per_person(figures, titles)
    derived: list[tuple[str, pd.DataFrame, tuple[str, ...], list[tuple[str, str, str]]]] = [
        ("agreement_status", status, ("agreement_id",),
         [("agreement_id", "agreements", "agreement_id"), ("sending", "entities", "entity_id"),
          ("receiving", "entities", "entity_id")]),
        ("agreement_steps", steps, ("agreement_id", "step"),
         [("agreement_id", "agreements", "agreement_id"),
          ("best_event_id", "events", "event_id"), ("best_source_id", "sources", "source_id")]),
        ("figure_totals", totals, ("agreement_id", "measure", "unit"),
         [("agreement_id", "agreements", "agreement_id")]),
        ("cost_per_person", cost, ("agreement_id", "currency"),
         [("agreement_id", "agreements", "agreement_id")]),
        ("event_dates", _dates(facts.events, "event_id", "date", ""), ("event_id",),
         [("event_id", "events", "event_id")]),
        ("figure_dates", _dates(facts.figures, "figure_id", "date", ""), ("figure_id",),
         [("figure_id", "figures", "figure_id")]),
        ("source_dates", _dates(facts.sources, "source_id", "published", "published_"),
         ("source_id",), [("source_id", "sources", "source_id")]),
    ]  # fmt: skip
    count = 0
    for name, frame, pk, keys in derived:
        rows = list(plain_records(frame))
        columns = {c: _column_type(frame[c], rows, c) for c in frame.columns}
        db.table(name).create(columns, pk=pk if len(pk) > 1 else pk[0], foreign_keys=keys)
        db.table(name).insert_all(rows)
        for column, _, _ in keys:
            if column not in pk[:1]:
                db.table(name).create_index([column], find_unique_name=True)
        count += len(rows)
    return count


def _dates(frame: pd.DataFrame, key: str, column: str, prefix: str) -> pd.DataFrame:
    """The days an EDTF date allows (facts.load parsed them): earliest, latest, precision."""
    parts = {
        key: frame[key],
        column: frame[column],
        "earliest": frame[f"{prefix}earliest"],
        "latest": frame[f"{prefix}latest"],
        "precision": frame[f"{prefix}precision"].astype(str),
    }
    import pandas as pd

    dates = pd.DataFrame(parts)
    # What a comparison with a day uses: the earliest day, or the latest for an open start.
    dates["begins"] = dates["earliest"].fillna(dates["latest"])
    return dates


def _column_type(series: pd.Series, rows: list[dict[str, Any]], column: str) -> type:
    values = [row[column] for row in rows if row[column] is not None]
    if values and all(isinstance(v, bool | int) for v in values):
        return int
    if values and all(isinstance(v, int | float) for v in values):
        return float
    if not values and series.dtype.kind in "if":
        return float
    return str


def plain_records(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    """The frame's rows with values SQLite stores: ISO days, JSON lists, 0/1, None for missing."""
    for record in frame.to_dict("records"):
        yield {column: _plain(value) for column, value in record.items()}


def _plain(value: object) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, tuple | list):
        return json.dumps([_plain(v) for v in value], ensure_ascii=False)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        # 939 people, not 939.0: a derived column of whole numbers is INTEGER (see _column_type)
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return value if isinstance(value, int | str) else str(value)


def _info_table(db, facts: FactBase, key: str) -> None:
    from thirdcountry.analysis import latest_event_date
    from thirdcountry.facts.schema import package_identity
    from thirdcountry.provenance import code_version

    latest = latest_event_date(facts)
    identity = package_identity(facts.data_dir)
    info = {
        "export_key": key,
        "data_package": identity.get("name", ""),
        "data_version": identity.get("version", ""),
        "content_hash": facts.content_hash,
        "latest_event": latest.isoformat() if latest else "",
        "thirdcountry_version": code_version(),
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    db.table(INFO_TABLE).create({"name": str, "value": str}, pk="name")
    db.table(INFO_TABLE).insert_all({"name": name, "value": value} for name, value in info.items())


# ---- beside the scheduled reports -------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseLink:
    """The database in a reports folder, as the index links it (href relative to the index)."""

    href: str
    metadata_href: str
    size: str  # '1.2 MB'


def export_beside_reports(folder: Path, facts: FactBase) -> ExportResult | None:
    """A scheduled run's database, thirdcountry.db in the reports folder: rewritten only when
    the facts or the code changed. A failure is logged and leaves the old one: reports matter
    more, and they were rendered already."""
    import logging

    from thirdcountry.errors import ThirdCountryError

    for stale in (*folder.glob(f".{DATABASE_FILE}.*.tmp"), *folder.glob(f".{METADATA_FILE}.*.tmp")):
        stale.unlink(missing_ok=True)  # left by a killed run: this one holds the folder's lock
    try:
        return write_database(facts, folder / DATABASE_FILE, if_changed=True)
    except (ThirdCountryError, OSError, sqlite3.Error) as exc:
        logging.getLogger("thirdcountry").warning("the SQLite export failed: %s", exc)
        return None


def database_in(folder: Path) -> DatabaseLink | None:
    """The database a scheduled run left in the reports folder, if it is there with its metadata."""
    database, metadata = folder / DATABASE_FILE, folder / METADATA_FILE
    if not (database.is_file() and metadata.is_file()):
        return None
    return DatabaseLink(DATABASE_FILE, METADATA_FILE, f"{database.stat().st_size / 1e6:.1f} MB")
