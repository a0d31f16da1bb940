"""Every difference between two versions of a fact base, table by table, by primary key.

Generic: the tables and columns come from the descriptors, so a table the data package adds is
compared without a code change. Whatever differs but cannot be itemised (a reordered file, an
edited description in the descriptor, a stored text no row names) is said so in a row of its own:
two versions whose files differ never compare as equal.
"""

from __future__ import annotations

from thirdcountry.facts import FactBase
from thirdcountry.paths import DESCRIPTOR_NAME

CHANGE_COLUMNS = ["change", "table", "id", "field", "before", "after", "summary"]
# Columns that name a row in words, best first; the first one a table has is its summary.
LABEL_COLUMNS = ("title", "name", "summary", "description", "quote")
DESCRIPTOR = "descriptor"


def fact_base_differences(old: FactBase, new: FactBase) -> list[dict]:
    """Rows (CHANGE_COLUMNS) for everything that differs between old and new, in table order."""
    rows: list[dict] = []
    rows += _descriptor_differences(old, new)
    names = list(new.schema) + [name for name in old.schema if name not in new.schema]
    for name in names:
        old_table, new_table = old.schema.get(name), new.schema.get(name)
        either = new_table or old_table
        assert either is not None  # the name comes from one of the two schemas
        key = either.primary_key
        table_rows = _table_differences(
            name,
            old.records.get(name, []),
            new.records.get(name, []),
            key if old_table is None or old_table.primary_key == key else None,
        )
        if name == "sources":
            table_rows += _stored_text_differences(old, new)
        if not table_rows:
            path = either.path
            if old.file_digests.get(path) != new.file_digests.get(path) and old_table and new_table:
                table_rows.append(
                    change_row(
                        "changed", name, summary=f"{path} changed (row order, quoting or line "
                        "endings) but no value in it did",
                    )
                )  # fmt: skip
        rows += table_rows
    rows += _unexplained_files(old, new, rows)
    if not rows and old.content_hash != new.content_hash:
        summary = (
            f"the data changed (content hash {old.content_hash} to {new.content_hash}) in a way "
            "this comparison cannot itemise"
        )
        rows.append(change_row("changed", "", summary=summary))
    return rows


def _descriptor_differences(old: FactBase, new: FactBase) -> list[dict]:
    rows = []
    for name in new.schema.keys() - old.schema.keys():
        rows.append(change_row("added", DESCRIPTOR, name, summary=new.schema[name].description))
    for name in old.schema.keys() - new.schema.keys():
        rows.append(change_row("removed", DESCRIPTOR, name, summary=old.schema[name].description))
    for name in new.schema.keys() & old.schema.keys():
        before, after = old.schema[name], new.schema[name]
        for column in after.columns:
            if column not in before.columns:
                rows.append(change_row("added", DESCRIPTOR, name, column,
                                       summary=after.field(column).description))  # fmt: skip
        for column in before.columns:
            if column not in after.columns:
                rows.append(change_row("removed", DESCRIPTOR, name, column,
                                       summary=before.field(column).description))  # fmt: skip
        if before.primary_key != after.primary_key:
            rows.append(change_row("corrected", DESCRIPTOR, name, "primaryKey",
                                   before.primary_key, after.primary_key))  # fmt: skip
    rows.sort(key=lambda row: (row["id"], row["field"]))
    if not rows and old.file_digests.get(DESCRIPTOR_NAME) != new.file_digests.get(DESCRIPTOR_NAME):
        rows.append(
            change_row(
                "changed", DESCRIPTOR, summary=f"{DESCRIPTOR_NAME} changed (descriptions, "
                "constraints or other declarations; not itemised here)",
            )
        )  # fmt: skip
    return rows


def _table_differences(
    name: str, old: list[dict[str, str]], new: list[dict[str, str]], key: str | None
) -> list[dict]:
    if key is None:  # the key itself changed: rows cannot be matched
        if old == new:
            return []
        summary = f"the primary key changed; {len(old)} rows before, {len(new)} after"
        return [change_row("changed", name, summary=summary)]
    old_rows = {record.get(key, ""): record for record in old}
    new_rows = {record.get(key, ""): record for record in new}
    rows = []
    for item, record in new_rows.items():
        if item not in old_rows:
            rows.append(change_row("added", name, item, summary=_label(record)))
    for item, record in old_rows.items():
        if item not in new_rows:
            rows.append(change_row("removed", name, item, summary=_label(record)))
    for item, after in new_rows.items():
        before = old_rows.get(item)
        if before is None or before == after:
            continue
        for column in list(after) + [c for c in before if c not in after]:
            if before.get(column, "") != after.get(column, ""):
                rows.append(
                    change_row("corrected", name, item, column, before.get(column, ""),
                               after.get(column, ""), _label(after))
                )  # fmt: skip
    return rows


def _stored_text_differences(old: FactBase, new: FactBase) -> list[dict]:
    rows = []
    for source_id, text in new.source_texts.items():
        previous = old.source_texts.get(source_id)
        if previous is not None and previous != text:
            rows.append(
                change_row("corrected", "sources", source_id, "stored text",
                           _size(previous), _size(text), "the stored text of the source")
            )  # fmt: skip
    return rows


def _unexplained_files(old: FactBase, new: FactBase, rows: list[dict]) -> list[dict]:
    """Files (stored texts no source row names, say) that differ with no row saying why."""
    explained = {DESCRIPTOR_NAME}
    explained |= {t.path for t in old.schema.values()} | {t.path for t in new.schema.values()}
    named = {row["id"] for row in rows if row["table"] == "sources"}
    explained |= {
        path for facts in (old, new) for sid, path in _text_files(facts).items() if sid in named
    }
    differing = {
        path
        for path in old.file_digests.keys() | new.file_digests.keys()
        if old.file_digests.get(path) != new.file_digests.get(path)
    }
    return [
        change_row("changed", "files", path, summary=f"{path} changed; not itemised here")
        for path in sorted(differing - explained)
    ]


def _text_files(facts: FactBase) -> dict[str, str]:
    return {
        record["source_id"]: record["text_file"]
        for record in facts.records.get("sources", [])
        if record.get("text_file")
    }


def _label(record: dict[str, str]) -> str:
    for column in LABEL_COLUMNS:
        if record.get(column):
            return record[column]
    return ""


def _size(text: str) -> str:
    return f"{len(text):,} characters"


def change_row(change, table, item="", field="", before="", after="", summary="") -> dict:
    return {
        "change": change,
        "table": table,
        "id": item,
        "field": field,
        "before": before,
        "after": after,
        "summary": summary,
    }
