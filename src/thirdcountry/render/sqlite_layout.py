"""The shape of the SQLite export that its writer and its Datasette metadata both follow.

Which columns are searched (one FTS5 table `<table>_fts` each) and which link tables list fields
become. Kept apart so that render/sqlite_export.py and render/datasette_metadata.py need not
import each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thirdcountry.facts.schema import Table

# The text columns searched, per table: quotes, summaries, titles and the prose around them.
SEARCHED: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher", "author"),
    "entities": ("name", "aliases"),
    "agreements": ("title", "notes"),
    "events": ("summary", "quote", "note"),
    "figures": ("quote", "note"),
    "conflicts": ("description", "explanation"),
}


def list_tables(schema: dict[str, Table]) -> dict[str, tuple[str, str, str, str, str]]:
    """{link table: (table, its key, list field, referenced table, the link's item column)}."""
    found = {}
    for name, table in schema.items():
        for column, target, target_column in table.references:
            if table.field(column).list_separator is None:
                continue
            item = target_column if target_column != table.primary_key else column
            found[f"{name}_{column}"] = (name, table.primary_key, column, target, item)
    return found
