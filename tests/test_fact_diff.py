"""Changes between two versions of a fact base are complete: every declared table, every column.

One edit per table the descriptor declares (a new table is picked up with no change here); each
is reported by `thirdcountry changes --since last-run` and by the overview's "What changed".
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import GOOD, assemble_fact_base

from thirdcountry.analysis import compare_fact_bases
from thirdcountry.cli import main
from thirdcountry.facts import load_facts
from thirdcountry.facts.schema import Table, load_schema
from thirdcountry.facts.snapshot import load_snapshot, write_snapshot
from thirdcountry.paths import DEFAULT_DATA_DIR, PREVIOUS_RUN_ENV, PREVIOUS_SNAPSHOT_ENV
from thirdcountry.report import Overview

DECLARED = list(load_schema(DEFAULT_DATA_DIR))
PREVIOUS_RUN = "2026-03-01T10:00:00Z"
MARK = " (edited)"


def free_text_column(table: Table) -> str:
    """A column whose edit breaks no rule: plain text, not a key, reference, list, enum or date."""
    for field in table.fields:
        if (
            field.name != table.primary_key
            and field.type == "string"
            and not (field.enum or field.pattern or field.list_separator or field.value_format)
            and not field.references
            and field.name not in {column for column, _, _ in table.references}
            and not field.unique
        ):
            return field.name
    raise AssertionError(f"{table.name} has no free-text column to edit")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def versions(tmp_path):
    """The good fact base, a snapshot of it as a previous run kept it, and a copy to edit."""
    old = assemble_fact_base(tmp_path / "old")
    snapshot = write_snapshot(load_facts(old), tmp_path / "facts.zip")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    return old, snapshot, new


def edit_first_row(data: Path, name: str) -> tuple[str, str, str, str]:
    """Append MARK to a free-text cell of the table's first row: (id, column, before, after)."""
    table = load_schema(data)[name]
    header, rows = read_csv(data / table.path)
    assert rows, f"the good fixture has no {name} rows to edit"
    column = free_text_column(table)
    before = rows[0][column]
    rows[0][column] = before + MARK
    write_csv(data / table.path, header, rows)
    return rows[0][table.primary_key], column, before, before + MARK


def what_changed(data: Path, snapshot: Path, monkeypatch) -> str:
    monkeypatch.setenv(PREVIOUS_SNAPSHOT_ENV, str(snapshot))
    monkeypatch.setenv(PREVIOUS_RUN_ENV, PREVIOUS_RUN)
    return Overview(data_dir=str(data)).changes().text


def changes_since_last_run(capsys, data: Path, snapshot: Path, reports: Path) -> list[dict]:
    folder = reports / "overview" / "default"
    folder.mkdir(parents=True)
    shutil.copy(snapshot, folder / "facts.zip")
    record = {"report": "overview/default", "outcome": "ok", "started": PREVIOUS_RUN,
              "data": {"folder": "old"}, "snapshot": "facts.zip"}  # fmt: skip
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    code = main(["changes", "--since", "last-run", "--out", str(reports), "--data", str(data),
                 "--format", "json", "--as-of", "2025-01-26"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_every_declared_table_has_a_fixture_to_edit():
    assert {"sources", "entities", "agreements", "events", "conflicts"} <= set(DECLARED)
    missing = [n for n in DECLARED if not (GOOD / load_schema(DEFAULT_DATA_DIR)[n].path).is_file()]
    assert not missing, f"tests/fixtures/good lacks the declared tables {missing}"


@pytest.mark.parametrize("name", DECLARED)
def test_one_edit_per_table_is_reported_by_changes_and_the_overview(
    name, versions, capsys, tmp_path, monkeypatch
):
    _, snapshot, new = versions
    item, column, before, after = edit_first_row(new, name)
    rows = changes_since_last_run(capsys, new, snapshot, tmp_path / "reports")
    edits = [r for r in rows if r["change"] != "status"]
    assert [
        (r["change"], r["table"], r["id"], r["field"], r["before"], r["after"]) for r in edits
    ] == [("corrected", name, item, column, before, after)]
    text = what_changed(new, snapshot, monkeypatch)
    assert "the data changed:" in text and "Nothing in the data" not in text
    assert item in text and after in text and before in text


def test_added_and_removed_rows_and_an_edited_list(versions):
    _, snapshot, new = versions
    header, rows = read_csv(new / "entities.csv")
    usa = next(row for row in rows if row["entity_id"] == "usa")
    usa["aliases"] += "|United States of America"
    rows.append({**usa, "entity_id": "unhcr", "kind": "organization", "name": "UNHCR",
                 "iso3": "", "aliases": ""})  # fmt: skip
    write_csv(new / "entities.csv", header, rows)
    header, conflicts = read_csv(new / "conflicts.csv")
    removed = conflicts.pop()  # nothing refers to a conflict
    write_csv(new / "conflicts.csv", header, conflicts)
    changes = compare_fact_bases(load_snapshot(snapshot), load_facts(new), "2025-01-26")
    found = changes[["change", "table", "id", "field", "before", "after"]].values.tolist()
    assert found == [
        ["added", "entities", "unhcr", "", "", ""],
        ["corrected", "entities", "usa", "aliases", "US|U.S.", "US|U.S.|United States of America"],
        ["removed", "conflicts", removed["conflict_id"], "", "", ""],
    ]


def test_what_cannot_be_itemised_is_said_never_nothing(versions, monkeypatch):
    _, snapshot, new = versions
    header, rows = read_csv(new / "sources.csv")
    write_csv(new / "sources.csv", header, list(reversed(rows)))  # same values, other order
    descriptor = json.loads((new / "datapackage.json").read_text())
    descriptor["description"] += " Edited."
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    changes = compare_fact_bases(load_snapshot(snapshot), load_facts(new), "2025-01-26")
    assert changes["change"].tolist() == ["changed", "changed"]
    assert changes["table"].tolist() == ["descriptor", "sources"]
    assert "not itemised" in changes["summary"][0]
    assert "row order" in changes["summary"][1]
    text = what_changed(new, snapshot, monkeypatch)
    assert "Nothing in the data" not in text and "table declaration changed" in text


def test_a_table_the_descriptor_adds_is_compared_with_no_code_change(versions):
    _, snapshot, new = versions
    descriptor = json.loads((new / "datapackage.json").read_text())
    descriptor["resources"].append({
        "name": "notes", "path": "notes.csv", "description": "Free notes.",
        "schema": {"fields": [{"name": "note_id", "type": "string"},
                              {"name": "title", "type": "string"}], "primaryKey": "note_id"},
    })  # fmt: skip
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (new / "notes.csv").write_text("note_id,title\nn1,First note\n", encoding="utf-8")
    changes = compare_fact_bases(load_snapshot(snapshot), load_facts(new), "2025-01-26")
    found = changes[["change", "table", "id", "summary"]].values.tolist()
    assert found == [["added", "descriptor", "notes", "Free notes."],
                     ["added", "notes", "n1", "First note"]]  # fmt: skip


def test_a_stored_text_edit_is_reported(versions):
    _, snapshot, new = versions
    stored = new / "sources" / "article.txt"
    stored.write_text(stored.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    changes = compare_fact_bases(load_snapshot(snapshot), load_facts(new), "2025-01-26")
    assert changes[["change", "id", "field"]].values.tolist() == [
        ["corrected", "article", "stored text"]
    ]
