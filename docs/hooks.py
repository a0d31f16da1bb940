"""mkdocs hook: the data contract page, generated at build time from data/datapackage.json.

Field metadata is declared once, in the Frictionless descriptor; validation reads it through
thirdcountry.facts.schema, and so does this page (as pudl's docs do), so the page cannot drift
from what `thirdcountry validate` enforces. tests/test_docs.py checks every field appears.
"""

from __future__ import annotations

import json
from pathlib import Path

from thirdcountry.facts.schema import Field, Table, load_schema
from thirdcountry.paths import DESCRIPTOR_NAME

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
PAGE = "data-contract.md"


def cell(text: str) -> str:
    """Text for one Markdown table cell: no line breaks, no bare pipes."""
    return " ".join(text.split()).replace("|", "&#124;")


def code(text: str) -> str:
    """Inline code inside a table cell: a <code> element, so that a pipe stays a character."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<code>{escaped.replace('|', '&#124;')}</code>"


def rules(field: Field) -> str:
    """What the descriptor allows in a field, in words."""
    found = []
    if field.required:
        found.append("required")
    if field.unique:
        found.append("unique")
    if field.value_format == "edtf":
        found.append("an EDTF date")
    if field.list_separator:
        found.append(f"a list separated by {code(field.list_separator)}")
    if field.references:
        table, column = field.references
        found.append(f"each value a <a href='#{table}'>{table}</a>.{column}")
    if field.pattern:
        found.append(f"matches {code(field.pattern)}")
    if field.enum:
        found.append("one of " + ", ".join(code(value) for value in field.enum))
    return "; ".join(found)


def table_section(table: Table) -> list[str]:
    references = {column: (target, target_column)
                  for column, target, target_column in table.references}  # fmt: skip
    lines = [
        f"## {table.name}",
        "",
        cell(table.description),
        "",
        f"File `data/{table.path}`, one row per `{table.primary_key}` (the primary key).",
        "",
        "| field | type | rules | what it holds |",
        "|---|---|---|---|",
    ]
    for field in table.fields:
        what = rules(field)
        if field.name in references and not field.references:
            target, target_column = references[field.name]
            link = f"a <a href='#{target}'>{target}</a>.{target_column}"
            what = f"{what}; {link}" if what else link
        lines.append(
            f"| <a id='{table.name}-{field.name}'></a>`{field.name}` | {field.type} | {what} "
            f"| {cell(field.description)} |"
        )
    lines.append("")
    return lines


def contract_markdown(data_dir: Path = DATA_DIR) -> str:
    """The whole page: the package, then one section per table with every field."""
    tables = load_schema(data_dir)
    descriptor = json.loads((data_dir / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    licences = ", ".join(
        f"[{item.get('title') or item['name']}]({item['path']})" if item.get("path")
        else str(item.get("title") or item["name"])
        for item in descriptor.get("licenses", [])
    )  # fmt: skip
    lines = [
        "# The data contract",
        "",
        "<!-- Generated from data/datapackage.json by docs/hooks.py at each build: edit the "
        "descriptor, not this page. -->",
        "",
        f"**{descriptor.get('title', '')}** (`{descriptor.get('name', '')}`, version "
        f"{descriptor.get('version', '')}; licence {licences or 'not given'}).",
        "",
        " ".join(str(descriptor.get("description", "")).split()),
        "",
        "This page is generated from `data/datapackage.json`, the Frictionless descriptor that "
        "`thirdcountry validate` enforces, every time the docs are built. The rules across rows "
        "and tables (lifecycle order, quotes found in stored texts...) are in the "
        "[editor's guide](editors-guide.md).",
        "",
        "| table | file | one row per |",
        "|---|---|---|",
    ]
    for table in tables.values():
        lines.append(
            f"| [{table.name}](#{table.name}) | `data/{table.path}` | {cell(table.description)} |"
        )
    lines.append("")
    for table in tables.values():
        lines += table_section(table)
    return "\n".join(lines)


def on_files(files, config):
    """Add the generated page to the site (mkdocs >= 1.6: File.generated)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=contract_markdown()))
    return files
