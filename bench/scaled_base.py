"""A large fact base made from a real one: every table copied N times, keys kept apart.

The shipped data copied 40 times is the base the overview must stay short and quick on. Built
generically from the descriptor: every table except the shared ones (entities: the countries
and people are the same in each copy) is repeated; copy k > 1 suffixes each primary key, and
every column that refers to a repeated table, with `-x<k>`, and numbers agreement titles, so
the copies read as distinct agreements. Stored source texts are shared by all copies.

    python bench/scaled_base.py OUT [--times 40] [--data data]
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from pathlib import Path

from thirdcountry.facts.schema import load_schema
from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME

SHARED_TABLES = ("entities",)
TITLE_COLUMNS = {"agreements": "title"}


def write_scaled_base(source: Path, target: Path, times: int = 40) -> Path:
    """Write `source` copied `times` times into `target` (created; must not exist)."""
    schema = load_schema(source)
    target.mkdir(parents=True)
    shutil.copy(source / DESCRIPTOR_NAME, target / DESCRIPTOR_NAME)
    if (source / "sources").is_dir():
        shutil.copytree(source / "sources", target / "sources")
    repeated = [name for name in schema if name not in SHARED_TABLES]
    for name, table in schema.items():
        with (source / table.path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = list(reader.fieldnames or []), list(reader)
        if name in repeated:
            keyed = {table.primary_key} | {
                column for column, referenced, _ in table.references if referenced in repeated
            }
            separators = {f.name: f.list_separator for f in table.fields}
            rows = [
                _copy(row, k, keyed, separators, TITLE_COLUMNS.get(name))
                for k in range(1, times + 1)
                for row in rows
            ]
        out = io.StringIO()
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (target / table.path).write_text(out.getvalue(), encoding="utf-8")
    return target


def _copy(row: dict, k: int, keyed: set[str], separators: dict, title: str | None) -> dict:
    if k == 1:
        return row
    copied = dict(row)
    for column in keyed:
        value = row.get(column, "")
        if not value:
            continue
        separator = separators.get(column)
        items = value.split(separator) if separator else [value]
        suffixed = [f"{item.strip()}-x{k}" for item in items]
        copied[column] = separator.join(suffixed) if separator else suffixed[0]
    if title and row.get(title):
        copied[title] = f"{row[title]} (copy {k})"
    return copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (must not exist)")
    parser.add_argument("--times", type=int, default=40, help="copies (default 40)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="fact base to copy")
    args = parser.parse_args()
    write_scaled_base(args.data, args.out, args.times)
    print(f"wrote {args.out} ({args.times} copies of {args.data.name})")


if __name__ == "__main__":
    main()
