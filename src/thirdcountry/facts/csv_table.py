"""Reading one CSV file into checked rows, naming every problem by line and column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from thirdcountry.facts.dates import EDTFError, parse_edtf, parse_iso_date
from thirdcountry.facts.problems import Problem
from thirdcountry.facts.schema import Field, Table
from thirdcountry.facts.wording import did_you_mean

MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any real fact base; stops a runaway file early
MAX_CELL_CHARS = 20_000


@dataclass
class Rows:
    """The rows of one table, as dicts of strings, each with the line it starts on.

    `rejected_keys` are the primary keys of rows left out for a problem in another cell: they
    exist, so references to them are not reported again. `readable` is False when the file as a
    whole could not be read (missing, not UTF-8, no header...): its rows are unknown.
    """

    columns: tuple[str, ...]
    records: list[dict[str, str]]
    lines: list[int]
    rejected_keys: set[str] = field(default_factory=set)
    readable: bool = True


def read_table(path: Path, table: Table, shown: str) -> tuple[Rows, list[Problem]]:
    """Read and check one CSV against its table schema. Rows with problems are left out."""
    problems: list[Problem] = []
    empty = Rows(table.columns, [], [], readable=False)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty, [Problem(shown, None, None, "file not found")]
    except OSError as exc:
        return empty, [Problem(shown, None, None, f"cannot be read ({exc.strerror})")]
    if len(raw) > MAX_FILE_BYTES:
        size = f"{len(raw) / 1_048_576:.0f} MiB"
        return empty, [Problem(shown, None, None, f"is {size}, over the 20 MiB limit")]
    try:
        # Spreadsheets save "CSV UTF-8" with a byte-order mark: accept it without a word.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        body = exc.object  # without the byte-order mark, which exc.start does not count
        line = body[: exc.start].count(b"\n") + 1
        message = f"is not UTF-8 (byte 0x{body[exc.start]:02x}); save it as UTF-8"
        return empty, [Problem(shown, line, None, message)]
    if not text.strip():
        return empty, [Problem(shown, None, None, "file is empty; it needs at least a header row")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return empty, [Problem(shown, line, None, "contains a NUL character")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        return empty, [Problem(shown, 1, None, f"malformed CSV header ({exc})")]
    header_problems = _check_header(header, table, shown)
    if header_problems:
        return empty, header_problems

    rows = Rows(tuple(header), [], [])
    # The primary key is unique whatever the descriptor says.
    unique = {f.name for f in table.fields if f.unique} | {table.primary_key}
    seen_unique: dict[str, dict[str, int]] = {name: {} for name in unique}
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(shown, start, None, f"malformed CSV ({exc})"))
            rows.readable = False  # the rows after this one are unknown
            break
        previous_end = reader.line_num
        if not cells:  # a blank line
            continue
        if len(cells) != len(header):
            message = f"row has {len(cells)} fields; the header has {len(header)}"
            problems.append(Problem(shown, start, None, message))
            position = header.index(table.primary_key) if table.primary_key in header else -1
            key = cells[position] if 0 <= position < len(cells) else ""
            if key and not check_cell(key, table.field(table.primary_key)):
                rows.rejected_keys.add(key)  # most likely its key: don't report references to it
            continue
        record = dict(zip(header, cells, strict=True))
        row_problems = [
            Problem(shown, start, f.name, message)
            for f in table.fields
            for message in check_cell(record[f.name], f)
        ]
        for name, seen in seen_unique.items():
            value = record[name]
            if value and value in seen:
                message = f"duplicate {name} {value!r} (first on line {seen[value]})"
                row_problems.append(Problem(shown, start, name, message))
            elif value:
                seen[value] = start
        if row_problems:
            problems.extend(row_problems)
            key = record[table.primary_key]
            if key and not check_cell(key, table.field(table.primary_key)):
                rows.rejected_keys.add(key)
            continue
        rows.records.append(record)
        rows.lines.append(start)
    return rows, problems


def other_separator(header: list[str]) -> str | None:
    """'semicolon' or 'tab' for a header read as one column that holds those separators: a
    spreadsheet's regional CSV, saved with ';' or tabs between columns."""
    if len(header) != 1:
        return None
    for separator, name in ((";", "semicolon"), ("\t", "tab")):
        if separator in header[0]:
            return name
    return None


def separator_message(header: list[str]) -> str | None:
    name = other_separator(header)
    if name is None:
        return None
    count = header[0].count(";" if name == "semicolon" else "\t") + 1
    return f"is {name}-separated ({count} columns split by {name}s); save it as comma-separated CSV"


def _check_header(header: list[str], table: Table, shown: str) -> list[Problem]:
    known = set(table.columns)
    separated = separator_message(header)
    if separated is not None:
        return [Problem(shown, 1, None, separated)]
    if not any(name.strip() in known for name in header):
        message = f"the first line is not a header row; expected: {', '.join(table.columns)}"
        return [Problem(shown, 1, None, message)]
    problems = []
    seen = set()
    for name in header:
        label = column_label(name)
        if name != name.strip() and name.strip():
            problems.append(Problem(shown, 1, label, "column name has leading or trailing spaces"))
        elif name.strip() not in known:
            message = f"unexpected column; {table.name} has: {', '.join(table.columns)}"
            problems.append(Problem(shown, 1, label, message))
        if name.strip() in seen:
            problems.append(Problem(shown, 1, label, "column appears twice in the header"))
        seen.add(name.strip())
    for name in table.columns:
        if name not in seen:
            problems.append(Problem(shown, 1, name, "column missing from the header"))
    return problems


def column_label(name: str) -> str:
    """A column name as shown in a message: plain names bare, anything else quoted."""
    if not name:
        return "(blank)"
    return name if re.fullmatch(r"[A-Za-z0-9_]+", name) else repr(name)


def check_cell(value: str, field: Field) -> list[str]:
    """What is wrong with one cell against its field's declaration (empty list when fine)."""
    if value != value.strip():
        return ["has leading or trailing spaces"]
    if len(value) > MAX_CELL_CHARS:
        return [f"is {len(value)} characters long, over the {MAX_CELL_CHARS} limit"]
    if not value:
        return ["is required but empty"] if field.required else []
    items = split_list(value, field.list_separator) if field.list_separator else [value]
    if field.list_separator and any(not item for item in items):
        return [f"{value!r} has an empty item between {field.list_separator!r} separators"]
    messages = []
    for item in items:
        messages.extend(_check_value(item, field))
    return messages


def split_list(value: str, separator: str | None) -> list[str]:
    if not value:
        return []
    if separator is None:
        return [value]
    return [item.strip() for item in value.split(separator)]


def _check_value(value: str, field: Field) -> list[str]:
    if field.enum is not None and value not in field.enum:
        hint = did_you_mean(value, field.enum)
        return [f"{value!r} is not an allowed value (one of: {', '.join(field.enum)}){hint}"]
    if field.pattern and not re.fullmatch(field.pattern, value):
        return [f"{value!r} does not match the pattern {field.pattern}"]
    if field.type == "number" and not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
        return [f"{value!r} is not a number in plain digits (like 939 or 4760000.50)"]
    if field.type == "date":
        try:
            parse_iso_date(value)
        except EDTFError as exc:
            return [str(exc)]
    if field.value_format == "edtf":
        try:
            parse_edtf(value)
        except EDTFError as exc:
            return [str(exc)]
    return []
