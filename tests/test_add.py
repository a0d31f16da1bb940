"""`thirdcountry add`: reviewed rows merged into the fact base all or nothing, untouched rows
never rewritten."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from thirdcountry.cli import main
from thirdcountry.facts.additions import read_additions
from thirdcountry.facts.append import append_rows
from thirdcountry.facts.problems import FactBaseError
from thirdcountry.facts.schema import load_schema


def _write_review(tmp_path: Path, mistakes: bool = False) -> Path:
    rows = [
        {"table": "sources", "source_id": "news-blz", "title": "Belize signs deal",
         "publisher": "Example News", "published": "2025-10-22",
         "url": "https://news.example.org/b", "tier": "news"},
        {"table": "entities", "entity_id": "blz", "kind": "country", "name": "Belize",
         "iso3": "BLZ"},
        {"table": "agreements", "agreement_id": "us-blz", "kind": "safe_third_country",
         "title": "US–Belize safe third country agreement", "parties": "usa|blz",
         "sending": "usa", "receiving": "blz"},
        {"table": "events", "event_id": "blz-signed", "date": "2025-10-21",
         "date_phrase": "on Tuesday", "date_basis": "inferred", "kind": "signed",
         "agreement_id": "us-blz", "countries": "USA|BLZ", "entities": "",
         "certainty": "confirmed", "summary": "Belize signs a safe third country agreement.",
         "source_id": "news-blz", "quote": "Belize signed on Tuesday",
         "note": "'on Tuesday' before publication on Wednesday 2025-10-22"},
    ]  # fmt: skip
    if mistakes:  # a misspelt kind and an unknown agreement; then an id already in the base
        rows[3] |= {"kind": "signd", "agreement_id": "us-blzz"}
        rows.append({**rows[3], "event_id": "gtm-signed", "kind": "signed"})
    columns = list(dict.fromkeys(c for row in rows for c in row))
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(_cell(row.get(c, "")) for c in columns))
    path = tmp_path / "reviewed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cell(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value


def _state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def test_add_appends_rows_and_touches_nothing_else(good_dir: Path, tmp_path: Path, capsys):
    review = _write_review(tmp_path)
    before = _state(good_dir)

    code = main(["add", str(review), "--data", str(good_dir)])

    out, err = capsys.readouterr()
    assert code == 0, err
    after = _state(good_dir)
    assert set(after) == set(before)  # no new or stray files
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"sources.csv", "entities.csv", "agreements.csv", "events.csv"}
    for name in changed:  # old bytes kept as they were: a git diff shows only the additions
        assert after[name].startswith(before[name])
        assert after[name][len(before[name]) :].count(b"\n") == 1
    assert b"blz-signed,2025-10-21,signed,us-blz,usa|blz," in after["events.csv"]
    assert "added 1 row to sources, 1 row to entities, 1 row to agreements, 1 row to events" in out
    assert "blz-signed" in out and "us-blz" in out and "news-blz" in out
    assert main(["validate", "--data", str(good_dir)]) == 0


def test_dry_run_writes_nothing(good_dir: Path, tmp_path: Path, capsys) -> None:
    review = _write_review(tmp_path)
    before = _state(good_dir)

    code = main(["add", str(review), "--data", str(good_dir), "--dry-run"])

    out = capsys.readouterr().out
    assert code == 0
    assert "would add" in out and "blz-signed" in out
    assert _state(good_dir) == before


def test_failing_validation_writes_nothing(good_dir: Path, tmp_path: Path, capsys) -> None:
    review = _write_review(tmp_path, mistakes=True)
    before = _state(good_dir)

    code = main(["add", str(review), "--data", str(good_dir)])

    err = capsys.readouterr().err
    assert code == 2
    assert _state(good_dir) == before
    lines = err.splitlines()
    assert any(
        line.startswith(f"{review}:5:kind: 'signd' is not an allowed value")
        and "did you mean 'signed'?" in line
        for line in lines
    )
    assert any("duplicate event_id 'gtm-signed'" in line for line in lines)
    assert "Traceback" not in err


def test_rows_of_unknown_tables_and_columns_are_refused(good_dir, tmp_path, capsys) -> None:
    review = tmp_path / "bad.json"
    review.write_text(json.dumps({"event": [{"event_id": "x"}],
                                  "events": [{"evnt_id": "y"}]}), encoding="utf-8")  # fmt: skip
    before = _state(good_dir)

    assert main(["add", str(review), "--data", str(good_dir)]) == 2

    err = capsys.readouterr().err
    assert "'event' is not a table of the fact base; did you mean 'events'?" in err
    assert "unknown column 'evnt_id'; did you mean 'event_id'?" in err
    assert "the columns allowed for events are: table, event_id, date, kind" in err
    assert _state(good_dir) == before


def test_a_write_fault_leaves_every_file_as_it_was(good_dir: Path, tmp_path: Path) -> None:
    additions = read_additions(_write_review(tmp_path), load_schema(good_dir))
    before = _state(good_dir)
    calls = []

    def failing_replace(source, target) -> None:
        calls.append(Path(target).name)
        if len(calls) == 3:  # two files already replaced, then the disk fails
            raise OSError(28, "No space left on device")
        Path(source).replace(target)

    with pytest.raises(OSError):
        append_rows(additions, good_dir, replace=failing_replace)

    assert len(calls) == 3
    assert _state(good_dir) == before  # the two replaced files were put back, no temp files


def test_a_write_fault_through_the_command(good_dir, tmp_path, monkeypatch, capsys) -> None:
    review = _write_review(tmp_path)
    before = _state(good_dir)
    real_replace = os.replace
    calls = []

    def failing_replace(source, target) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)

    code = main(["add", str(review), "--data", str(good_dir)])

    err = capsys.readouterr().err
    assert code == 1
    assert "nothing was changed" in err and "Traceback" not in err
    assert _state(good_dir) == before


def test_byte_order_marks_and_line_endings_are_kept(good_dir: Path, tmp_path: Path) -> None:
    events = good_dir / "events.csv"
    crlf = events.read_bytes().replace(b"\n", b"\r\n")
    events.write_bytes(codecs.BOM_UTF8 + crlf)
    review = _write_review(tmp_path)
    review.write_bytes(codecs.BOM_UTF8 + review.read_bytes())  # saved by a spreadsheet

    append_rows(read_additions(review, load_schema(good_dir)), good_dir)

    after = events.read_bytes()
    assert after.startswith(codecs.BOM_UTF8 + crlf)
    assert after.endswith(b"\r\n") and b"\n" not in after.replace(b"\r\n", b"")


def test_any_table_the_descriptor_declares(good_dir: Path, tmp_path: Path) -> None:
    """A table added to the data package later (figures, say) is written like the others."""
    descriptor = json.loads((good_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        {
            "name": "tallies",
            "path": "tallies.csv",
            "schema": {
                "fields": [
                    {"name": "tally_id", "type": "string", "constraints": {"required": True}},
                    {"name": "agreement_id", "type": "string"},
                    {"name": "value", "type": "string"},
                ],
                "primaryKey": ["tally_id"],
            },
        }
    )
    (good_dir / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (good_dir / "tallies.csv").write_text("tally_id,agreement_id,value\nt1,us-gtm,939\n")
    review = tmp_path / "tallies.json"
    review.write_text(json.dumps({"tallies": [{"tally_id": "t2", "agreement_id": "us-can",
                                               "value": "12"}]}))  # fmt: skip

    result = append_rows(read_additions(review, load_schema(good_dir)), good_dir)

    assert result.changed == {"tallies": 1}
    assert (good_dir / "tallies.csv").read_text() == (
        "tally_id,agreement_id,value\nt1,us-gtm,939\nt2,us-can,12\n"
    )


def test_an_invalid_fact_base_is_not_added_to(good_dir: Path, tmp_path: Path) -> None:
    events = good_dir / "events.csv"
    events.write_text(events.read_text().replace(",in_force,", ",in_forse,", 1))
    additions = read_additions(_write_review(tmp_path), load_schema(good_dir))
    before = _state(good_dir)

    with pytest.raises(FactBaseError):
        append_rows(additions, good_dir)

    assert _state(good_dir) == before


def test_figures_are_added_like_any_table(tmp_path: Path, capsys) -> None:
    import shutil

    from thirdcountry.paths import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    if not (data / "figures.csv").exists():
        pytest.skip("this fact base has no figures table")
    header = (data / "figures.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    figure = {
        "figure_id": "test-rwa-capacity", "agreement_id": "us-rwa-2025", "measure": "capacity",
        "value": "250", "unit": "people", "qualifier": "at_most", "basis": "single_event",
        "date": "2025-08-04", "certainty": "confirmed", "source_id": "cna-2025-08-05-rwanda",
        "quote": "Rwanda has agreed to accept up to 250 migrants deported from the United States",
    }  # fmt: skip
    review = tmp_path / "figure.json"
    review.write_text(json.dumps({"figures": [{k: v for k, v in figure.items() if k in header}]}))
    before = (data / "figures.csv").read_bytes()

    code = main(["add", str(review), "--data", str(data)])

    out, err = capsys.readouterr()
    assert code == 0, err
    after = (data / "figures.csv").read_bytes()
    assert after.startswith(before) and b"test-rwa-capacity," in after[len(before) :]
    assert "test-rwa-capacity" in out


def test_two_adds_on_one_folder_take_turns(good_dir: Path, tmp_path: Path) -> None:
    import threading

    from thirdcountry.facts.append import folder_lock

    additions = read_additions(_write_review(tmp_path), load_schema(good_dir))
    finished = threading.Event()

    def add() -> None:
        append_rows(additions, good_dir)
        finished.set()

    with folder_lock(good_dir):  # another add is busy with the folder
        worker = threading.Thread(target=add)
        worker.start()
        assert not finished.wait(3)  # waits its turn (unlocked, it takes well under a second)
        assert b"blz-signed" not in (good_dir / "events.csv").read_bytes()
    worker.join(timeout=30)
    assert finished.is_set()
    assert b"blz-signed" in (good_dir / "events.csv").read_bytes()


FIGURE_COLUMNS = (
    "table,figure_id,agreement_id,measure,value,unit,qualifier,basis,date,certainty,source_id,"
    "quote,note"
)
GOOD_FIGURE = (
    "figures,gtm-sent-14-flight,us-gtm,people_transferred,14,people,exact,single_event,"
    "2020-01-05,confirmed,news,Fourteen more people were flown to Guatemala.,"
)
GOOD_STOCK = (
    "figures,gtm-held-30,us-gtm,people_held,30,people,about,stock,2020-01,confirmed,news,"
    "Some 30 people were still held there.,"
).replace(",about,", ",approximate,")


@pytest.mark.parametrize(
    ("row", "column", "wanted"),
    [
        (GOOD_FIGURE.replace("Fourteen", "Fifteen"), "quote", "does not state 14"),
        (GOOD_FIGURE.replace(",people,exact", ",USD,exact"), "unit", "counts people"),
        (GOOD_FIGURE.replace(",people,exact", ",DOLLARS,exact"), "unit", ""),
        (GOOD_STOCK.replace(",stock,", ",cumulative,").replace("-30,", "-31,"), "basis", "'stock'"),
        (GOOD_FIGURE.replace(",single_event,", ",stock,"), "basis", "people_held only"),
        (
            "figures,gtm-sent-20-later,us-gtm,people_transferred,20,people,exact,cumulative,"
            "2020-02,confirmed,gov,Twenty people have been transferred so far.,",
            "value",
            "cannot fall",
        ),
    ],
    ids=[
        "number-not-in-quote",
        "money-unit",
        "unknown-unit",
        "held-not-stock",
        "stock-not-held",
        "cumulative-falls",
    ],
)
def test_figure_rows_are_added_only_when_every_rule_holds(
    good_dir: Path, tmp_path: Path, capsys, row: str, column: str, wanted: str
) -> None:
    """`add` takes figure rows in the reviewed-rows CSV and checks them like validate does."""
    review = tmp_path / "figures.csv"
    review.write_text(f"{FIGURE_COLUMNS}\n{GOOD_STOCK}\n{row}\n", encoding="utf-8")
    before = _state(good_dir)

    code = main(["add", str(review), "--data", str(good_dir)])

    _, err = capsys.readouterr()
    assert code == 2
    assert _state(good_dir) == before  # nothing written
    problems = [line for line in err.splitlines() if "figures" in line]
    assert problems, err
    assert any(f":{column}:" in line and wanted in line for line in problems), err
    assert "Traceback" not in err


def test_good_figure_rows_are_appended(good_dir: Path, tmp_path: Path, capsys) -> None:
    review = tmp_path / "figures.csv"
    review.write_text(f"{FIGURE_COLUMNS}\n{GOOD_FIGURE}\n{GOOD_STOCK}\n", encoding="utf-8")

    code = main(["add", str(review), "--data", str(good_dir)])

    assert code == 0, capsys.readouterr().err
    text = (good_dir / "figures.csv").read_text(encoding="utf-8")
    assert "gtm-sent-14-flight,us-gtm" in text and "gtm-held-30,us-gtm,people_held" in text
