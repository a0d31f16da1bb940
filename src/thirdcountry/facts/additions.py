"""The additions file: rows for several tables in one file, as `draft` writes it and `add` reads it.

- CSV: a `table` column names each row's table (empty: events); the other columns are the
  union of the tables' columns, each row filling its own.
- JSON: an object whose keys are table names, each a list of objects (a bare list is events).

Event rows may use the draft's review columns instead of `actors`: `countries` (ISO3 codes)
and `entities` (entity ids) become the actors. `date_phrase`, `sentence` and `line` only help
the reviewer and are dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from thirdcountry.facts.csv_table import separator_message
from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.facts.schema import Table
from thirdcountry.facts.wording import did_you_mean

TABLE_COLUMN = "table"
DEFAULT_TABLE = "events"
REVIEW_COLUMNS = {"events": ("date_phrase", "countries", "entities", "sentence", "line")}
MAX_ADDITIONS_BYTES = 5 * 1024 * 1024


@dataclass
class Addition:
    """One row to add: its table, its cells as text, and where it came from (file row)."""

    table: str
    cells: dict[str, str]
    row: int


@dataclass
class Additions:
    shown: str
    rows: list[Addition] = field(default_factory=list)

    def for_table(self, name: str) -> list[Addition]:
        return [row for row in self.rows if row.table == name]


def read_additions(path: Path, schema: Mapping[str, Table]) -> Additions:
    """Read and shape an additions file. Raises FactBaseError with every problem found, each
    naming the file by its full path."""
    shown = str(path.expanduser().absolute())
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else "cannot be read"
        raise FactBaseError([Problem(shown, None, None, reason)]) from None
    if len(raw) > MAX_ADDITIONS_BYTES:
        raise FactBaseError([Problem(shown, None, None, "is over the 5 MiB limit")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise FactBaseError(
            [Problem(shown, line, None, "is not UTF-8; save it as UTF-8")]
        ) from None
    is_json = path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "["))
    records = _json_records(text, shown) if is_json else _csv_records(text, shown)
    additions = Additions(shown)
    problems: list[Problem] = _unknown_columns(records, schema, shown, header=not is_json)
    unknown = {p.column for p in problems}
    for row, table, cells in records:
        if table not in schema:
            message = f"{table!r} is not a table of the fact base" + did_you_mean(table, schema)
            problems.append(Problem(shown, row, TABLE_COLUMN, message))
            continue
        known = {k: v for k, v in cells.items() if k not in unknown}
        shaped, cell_problems = _shape(known, schema[table], shown, row)
        problems.extend(cell_problems)
        if not cell_problems:
            additions.rows.append(Addition(table, shaped, row))
    if problems:
        raise FactBaseError(problems)
    return additions


def _unknown_columns(
    records: list[tuple[int, str, dict[str, str]]],
    schema: Mapping[str, Table],
    shown: str,
    header: bool,
) -> list[Problem]:
    """Every column no table of the file has, blank or not (a scratch-note column is refused, not
    dropped): one problem per column, listing the columns allowed."""
    tables = [t for t in dict.fromkeys(table for _, table, _ in records) if t in schema]
    allowed: list[str] = [TABLE_COLUMN]
    for name in tables:
        allowed += [
            c for c in (*schema[name].columns, *REVIEW_COLUMNS.get(name, ())) if c not in allowed
        ]
    problems = []
    seen: set[str] = set()
    for row, _table, cells in records:
        for column in cells:
            if column in allowed or column in seen:
                continue
            seen.add(column)
            hint = did_you_mean(column, allowed)
            message = (
                f"unknown column {column!r}{hint}; the columns allowed for "
                f"{', '.join(tables) or 'these rows'} are: {', '.join(allowed)}"
            )
            problems.append(Problem(shown, 1 if header else row, column, message))
    return problems


def _separator_problem(header: list[str], shown: str) -> Problem | None:
    """A file saved with semicolons or tabs between columns reads as one column: say so, rather
    than report every column missing."""
    message = separator_message(header)
    return None if message is None else Problem(shown, 1, None, message)


def _csv_records(text: str, shown: str) -> list[tuple[int, str, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FactBaseError([Problem(shown, None, None, "file is empty")]) from None
    except csv.Error as exc:
        raise FactBaseError([Problem(shown, 1, None, f"malformed CSV ({exc})")]) from None
    separator = _separator_problem(header, shown)
    if separator is not None:
        raise FactBaseError([separator])
    records = []
    previous_end = reader.line_num
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                message = f"row has {len(cells)} fields; the header has {len(header)}"
                raise FactBaseError([Problem(shown, start, None, message)])
            record = dict(zip(header, cells, strict=True))
            table = record.pop(TABLE_COLUMN, "").strip() or DEFAULT_TABLE
            records.append((start, table, record))
    except csv.Error as exc:
        problem = Problem(shown, previous_end + 1, None, f"malformed CSV ({exc})")
        raise FactBaseError([problem]) from None
    return records


def _json_records(text: str, shown: str) -> list[tuple[int, str, dict[str, str]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON ({exc.msg})"
        raise FactBaseError([Problem(shown, exc.lineno, None, message)]) from None
    if isinstance(document, list):
        document = {DEFAULT_TABLE: document}
    if not isinstance(document, dict):
        message = "expected an object of tables, each a list of rows"
        raise FactBaseError([Problem(shown, None, None, message)])
    records = []
    number = 0
    for table, rows in document.items():
        if not isinstance(rows, list):
            raise FactBaseError([Problem(shown, None, table, "expected a list of rows")])
        for item in rows:
            number += 1
            if not isinstance(item, dict):
                raise FactBaseError([Problem(shown, number, table, "expected an object")])
            record = {str(k): _json_cell(v) for k, v in item.items()}
            record.pop(TABLE_COLUMN, None)
            records.append((number, str(table), record))
    return records


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_json_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shape(
    cells: dict[str, str], table: Table, shown: str, row: int
) -> tuple[dict[str, str], list[Problem]]:
    """The row's cells for the table's columns; review columns turned into actors."""
    cells = dict(cells)
    review = REVIEW_COLUMNS.get(table.name, ())
    if table.name == "events" and not cells.get("actors", "").strip():
        countries = [c.strip().lower() for c in cells.get("countries", "").split("|") if c.strip()]
        entities = [e.strip() for e in cells.get("entities", "").split("|") if e.strip()]
        actors = list(dict.fromkeys(countries + entities))
        cells["actors"] = "|".join(actors)
    problems = []
    shaped = {}
    for name, value in cells.items():
        if name in table.columns:
            shaped[name] = value
        elif name in review:
            continue
        elif value.strip():  # a column of another table in the file, filled in on this row
            message = f"{table.name} has no column {name!r}" + did_you_mean(name, table.columns)
            problems.append(Problem(shown, row, name, message))
    return {column: shaped.get(column, "") for column in table.columns}, problems


def write_additions(
    tables: Mapping[str, Sequence[Mapping[str, object]]],
    fmt: str,
    stream: TextIO,
    columns: Mapping[str, Sequence[str]],
) -> None:
    """Write rows of several tables as an additions file ('csv' or 'json').

    `columns` gives each table's columns in order; CSV gets their union after `table`."""
    if fmt == "json":
        document = {
            name: [{c: _json_value(row.get(c)) for c in columns[name]} for row in rows]
            for name, rows in tables.items()
            if rows
        }
        json.dump(document, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    union = [TABLE_COLUMN]
    for name in sorted(tables, key=lambda n: n != DEFAULT_TABLE):  # events' columns first
        union += [c for c in columns[name] if c not in union]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(union)
    for name, rows in tables.items():
        for row in rows:
            cells = {**{c: _csv_cell(row.get(c)) for c in columns[name]}, TABLE_COLUMN: name}
            writer.writerow([cells.get(c, "") for c in union])


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    return "" if value is None else value
