"""`thirdcountry export sqlite`: the database, its metadata, Datasette on it, and bad input."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, assemble_fact_base

from thirdcountry.cli import main
from thirdcountry.paths import DEFAULT_DATA_DIR
from thirdcountry.render import sqlite_export
from thirdcountry.render.sqlite_export import (
    DATABASE_FILE,
    METADATA_FILE,
    SqliteExportRequest,
    export_sqlite,
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def real_export(tmp_path_factory) -> Path:
    """The project's own fact base, exported once."""
    path = tmp_path_factory.mktemp("export") / DATABASE_FILE
    export_sqlite(SqliteExportRequest(path=path, data_dir=DEFAULT_DATA_DIR))
    return path


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


# ---- the database -----------------------------------------------------------------------------


def test_one_table_per_data_table_with_keys_types_and_rows(real_export):
    from thirdcountry.facts import load_facts

    facts = load_facts(DEFAULT_DATA_DIR)
    with connect(real_export) as db:
        for name, table in facts.schema.items():
            columns = {row["name"]: row for row in db.execute(f"pragma table_info([{name}])")}
            assert list(columns) == list(table.columns), name
            assert [c for c, row in columns.items() if row["pk"]] == [table.primary_key]
            for f in table.fields:
                expected = "REAL" if f.type == "number" else "TEXT"
                assert columns[f.name]["type"] in (expected, "FLOAT"), (name, f.name)
                assert bool(columns[f.name]["notnull"]) == f.required, (name, f.name)
            count = db.execute(f"select count(*) from [{name}]").fetchone()[0]
            assert count == len(facts.records[name]), name
            keys = {
                (row["from"], row["table"], row["to"])
                for row in db.execute(f"pragma foreign_key_list([{name}])")
            }
            declared = {
                ref for ref in table.references if table.field(ref[0]).list_separator is None
            }
            assert keys == declared, name
            indexed = {
                row["name"]
                for index in db.execute(f"pragma index_list([{name}])")
                for row in db.execute(f"pragma index_info([{index['name']}])")
            }
            assert {column for column, _, _ in declared} <= indexed, name
        assert db.execute("pragma foreign_key_check").fetchall() == []
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_list_fields_are_json_arrays_and_link_tables(real_export):
    with connect(real_export) as db:
        parties = db.execute("select agreement_id, parties from agreements").fetchall()
        links = db.execute(
            "select agreement_id, entity_id from agreements_parties order by agreement_id, position"
        ).fetchall()
        assert db.execute("pragma foreign_key_list(agreements_parties)").fetchall()
    listed = [(row["agreement_id"], item) for row in parties for item in json.loads(row["parties"])]
    assert sorted(listed) == sorted((row[0], row[1]) for row in links)


@pytest.mark.parametrize(
    ("table", "column"),
    [("events", "quote"), ("events", "summary"), ("sources", "title"), ("figures", "quote"),
     ("agreements", "title")],
)  # fmt: skip
def test_full_text_search_over_quotes_summaries_and_titles(real_export, table, column):
    with connect(real_export) as db:
        word, rowid = db.execute(
            f"select {column}, rowid from {table} where {column} is not null limit 1"
        ).fetchone()
        term = max(word.replace('"', " ").split(), key=len).strip(".,;:'()[]")
        found = db.execute(
            f"select rowid from {table}_fts where {table}_fts match ?", (f'"{term}"',)
        ).fetchall()
    assert rowid in {row[0] for row in found}


def test_the_status_table_agrees_with_the_status_command(real_export, capsys):
    code, out, err = run(capsys, "status", "--data", str(DEFAULT_DATA_DIR), "--format", "json")
    assert code == 0, err
    expected = {row["agreement_id"]: (row["status"], row["since"]) for row in json.loads(out)}
    with connect(real_export) as db:
        rows = db.execute("select agreement_id, status, since, as_of from agreement_status")
        exported = {row[0]: (row[1], row[2] or "") for row in rows}
        steps = db.execute("select count(distinct agreement_id) from agreement_steps").fetchone()
    assert exported == expected
    assert len(expected) > 10 and steps[0] > 10


def test_figures_by_agreement(real_export):
    with connect(real_export) as db:
        people = db.execute(
            "select agreement_id, low, high from figure_totals where measure = 'people_transferred'"
        ).fetchall()
        db.execute("select * from cost_per_person").fetchall()
    assert people and all(row[1] is not None and row[1] >= 0 for row in people)


# ---- written aside, then renamed ---------------------------------------------------------------


def test_a_reader_of_the_old_database_keeps_reading_it(good_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    path = out / DATABASE_FILE
    export_sqlite(SqliteExportRequest(path=path, data_dir=good_dir))
    reader = sqlite3.connect(path)
    reader.execute("begin")  # a read transaction holds its snapshot of the file
    before = reader.execute("select count(*) from events").fetchone()[0]
    with (good_dir / "events.csv").open("a", encoding="utf-8") as events:
        events.write("extra-event,2005-01-01,statement,us-can,usa|can,A statement,reported,gov,"
                     "coming into force,stated,\n")  # fmt: skip
    build, seen_while_building = sqlite_export._build, []

    def watched(facts, file, key):
        result = build(facts, file, key)
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as other:
            seen_while_building.append(other.execute("select count(*) from events").fetchone()[0])
        return result

    monkeypatch.setattr(sqlite_export, "_build", watched)
    export_sqlite(SqliteExportRequest(path=path, data_dir=good_dir))
    assert seen_while_building == [before]  # a new reader saw the whole old database meanwhile
    assert reader.execute("select count(*) from events").fetchone()[0] == before
    reader.close()
    with connect(path) as db:
        assert db.execute("select count(*) from events").fetchone()[0] == before + 1
    assert sorted(p.name for p in out.iterdir()) == [METADATA_FILE, DATABASE_FILE]


def test_a_failed_export_leaves_the_old_files(good_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    path = out / DATABASE_FILE
    export_sqlite(SqliteExportRequest(path=path, data_dir=good_dir))
    old = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(facts, file, key):
        file.write_bytes(b"half a database")
        raise OSError("disk full")

    monkeypatch.setattr(sqlite_export, "_build", broken)
    with pytest.raises(OSError, match="disk full"):
        export_sqlite(SqliteExportRequest(path=path, data_dir=good_dir))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def test_if_changed_keeps_a_database_made_from_the_same_facts(good_dir, tmp_path, capsys):
    path = tmp_path / DATABASE_FILE
    code, out, _ = run(capsys, "export", "sqlite", str(path), "--data", str(good_dir))
    assert code == 0 and out.startswith("wrote ")
    inode = path.stat().st_ino
    code, out, _ = run(
        capsys, "export", "sqlite", str(path), "--data", str(good_dir), "--if-changed"
    )
    assert code == 0 and out.startswith("unchanged: ") and path.stat().st_ino == inode
    (good_dir / "entities.csv").write_text(
        (good_dir / "entities.csv").read_text(encoding="utf-8").replace("Guatemala", "Guatemala "),
        encoding="utf-8",
    )  # a change the loader refuses: nothing is written
    code, _, err = run(
        capsys, "export", "sqlite", str(path), "--data", str(good_dir), "--if-changed"
    )
    assert "entities.csv" in err
    assert code == 2 and path.stat().st_ino == inode


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("a-file/thirdcountry.db", "cannot write here: the folder"),
        ("no-such-folder/thirdcountry.db", "does not exist"),
        (".", "is a folder"),
    ],
)
def test_an_unwritable_path_is_one_line_and_exit_2(good_dir, tmp_path, capsys, where, message):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, "export", "sqlite", str(tmp_path / where), "--data", str(good_dir))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_fact_base_that_fails_validation_writes_nothing(tmp_path, capsys):
    data = assemble_fact_base(tmp_path / "data", FIXTURES / "bad" / "bad-retrieved-date")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run(
        capsys, "export", "sqlite", str(out_dir / DATABASE_FILE), "--data", str(data)
    )
    assert code == 2 and out == ""
    assert "sources.csv:2:retrieved:" in err and "Traceback" not in err
    assert list(out_dir.iterdir()) == []


def test_export_has_help(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["export", "sqlite", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "--data DIR" in out and "datasette" in out and "exit codes" in out


# ---- Datasette, the real thing ------------------------------------------------------------------


def _datasette(path: Path):
    from datasette.app import Datasette

    metadata = yaml.safe_load((path.parent / METADATA_FILE).read_text(encoding="utf-8"))
    return Datasette([str(path)], metadata=metadata)


def _get_all(path: Path, urls: list[str]) -> list:
    async def fetch():
        datasette = _datasette(path)
        return [await datasette.client.get(url) for url in urls]

    return asyncio.run(fetch())


def test_datasette_serves_tables_canned_queries_and_search(real_export):
    db = real_export.stem
    table, status, people, since, quotes, search, info = _get_all(
        real_export,
        [
            f"/{db}/agreements.json?_shape=array&_size=max",
            f"/{db}/agreements_by_status.json?_shape=array&status=",
            f"/{db}/people_and_money.json?_shape=array",
            f"/{db}/changed_since.json?_shape=array&since=2025-01-01",
            f"/{db}/quotes_matching.json?_shape=array&term=CECOT",
            f"/{db}/events.json?_shape=array&_search=deported",
            "/-/metadata.json",
        ],
    )
    for response in (table, status, people, since, quotes, search, info):
        assert response.status_code == 200, response.text
    with connect(real_export) as sql:
        agreements = sql.execute("select count(*) from agreements").fetchone()[0]
    assert len(table.json()) == agreements
    assert len(status.json()) == agreements
    assert people.json() and all("people_low" in row for row in people.json())
    assert since.json() and all(row["day"] > "2025-01-01" for row in since.json())
    assert quotes.json() and all("cecot" in row["quote"].lower() for row in quotes.json())
    assert search.json() and all(
        "deport" in (row["summary"] + row["quote"] + (row["note"] or "")).lower()
        for row in search.json()
    )
    metadata = info.json()
    assert metadata["license"] and metadata["license_url"].startswith("https://")
    assert metadata["databases"][db]["tables"]["events"]["description"]


def test_datasette_pages_show_the_metadata(real_export):
    db = real_export.stem
    (page,) = _get_all(real_export, [f"/{db}/agreement_status"])
    assert page.status_code == 200
    assert "Status of each agreement" in page.text


def test_the_metadata_names_no_local_path(real_export):
    text = (real_export.parent / METADATA_FILE).read_text(encoding="utf-8")
    assert str(real_export.parent) not in text and str(DEFAULT_DATA_DIR) not in text


# ---- with the scheduled reports ----------------------------------------------------------------


def test_a_scheduled_run_exports_beside_the_reports_and_the_index_links_it(good_facts, tmp_path):
    from thirdcountry.render.index import write_index
    from thirdcountry.render.outputs import Layout

    layout = Layout(tmp_path / "reports")
    (layout.root / ".tmp").mkdir(parents=True)
    (layout.root / f".{DATABASE_FILE}.killed.tmp").write_bytes(b"left by a killed run")
    first = sqlite_export.export_beside_reports(layout.root, good_facts)
    again = sqlite_export.export_beside_reports(layout.root, good_facts)
    assert first is not None and first.written
    assert again is not None and not again.written  # the facts are unchanged: skipped
    assert sorted(p.name for p in layout.root.iterdir()) == [".tmp", METADATA_FILE, DATABASE_FILE]
    index = write_index(layout, layout.root / ".tmp").read_text(encoding="utf-8")
    assert f'href="{DATABASE_FILE}"' in index and f"datasette {DATABASE_FILE} -m" in index


def test_a_scheduled_render_exports_the_database_once_per_fact_base(tmp_path, capsys, monkeypatch):
    from test_scheduled import fake_good_run

    from thirdcountry.render import batch

    def refuse(*args, **kwargs):
        raise AssertionError("a worker started")

    monkeypatch.setattr(batch, "start_pool", refuse)  # every report is unchanged: no kernel
    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    fake_good_run(reports, data)
    argv = ["render", "overview", "--if-changed", "--data", str(data), "--out", str(reports),
            "--to", "html"]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    database = reports / DATABASE_FILE
    inode = database.stat().st_ino
    with connect(database) as db:
        agreements = db.execute("select count(*) from agreement_status").fetchone()[0]
    assert agreements == len(json.loads(run(capsys, "status", "--data", str(data),
                                            "--format", "json")[1]))  # fmt: skip
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{DATABASE_FILE}" download>' in index and str(tmp_path) not in index
    assert str(tmp_path) not in (reports / METADATA_FILE).read_text(encoding="utf-8")
    code, _, err = run(capsys, *argv)
    assert code == 0 and database.stat().st_ino == inode  # the facts are unchanged: skipped
