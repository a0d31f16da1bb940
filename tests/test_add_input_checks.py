"""`add`'s input checks (issue 28): unknown columns are refused with the allowed list, a
semicolon- or tab-separated file says so, and every message names the file's full path and the
data folder actually used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thirdcountry.cli import main

HEADER = ["event_id", "date", "kind", "agreement_id", "countries", "summary", "certainty",
          "source_id", "quote", "date_basis"]  # fmt: skip
ROW = ["blz-talks", "2025-10-20", "negotiating", "", "USA|BLZ", "Talks with Belize.",
       "reported", "test-source", "Officials met on Monday", "stated"]  # fmt: skip


def _state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def _write(path: Path, header: list[str], row: list[str], separator: str = ",") -> Path:
    path.write_text(separator.join(header) + "\n" + separator.join(row) + "\n", encoding="utf-8")
    return path


def test_a_blank_scratch_column_is_refused_with_the_columns_allowed(good_dir, tmp_path, capsys):
    review = _write(tmp_path / "r.csv", [*HEADER, "scratch"], [*ROW, ""])
    before = _state(good_dir)

    assert main(["add", str(review), "--data", str(good_dir)]) == 2

    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "scratch" in line)
    assert line.startswith(f"{review.absolute()}:1:scratch: unknown column 'scratch'")
    assert "the columns allowed for events are: table, event_id, date, kind" in line
    assert _state(good_dir) == before


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolon"), ("\t", "tab")])
def test_a_semicolon_or_tab_separated_file_is_named_as_such(
    good_dir, tmp_path, capsys, separator: str, name: str
):
    review = _write(tmp_path / "r.csv", HEADER, ROW, separator)

    assert main(["add", str(review), "--data", str(good_dir)]) == 2

    err = capsys.readouterr().err
    assert f"{review.absolute()}:1: is {name}-separated" in err
    assert "save it as comma-separated CSV" in err


def test_messages_name_the_folder_actually_used(good_dir, tmp_path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere" / "my-facts"
    shutil.copytree(good_dir, elsewhere)
    review = _write(tmp_path / "r.csv", HEADER, ["gtm-signed", *ROW[1:]])  # a duplicate id

    assert main(["add", str(review), "--data", str(elsewhere)]) == 2

    err = capsys.readouterr().err
    assert f"(as {elsewhere}/events.csv:" in err  # the file it would have gone into
    assert "data/" not in err.replace(str(tmp_path), "")


def test_a_missing_data_folder_is_named_in_full(tmp_path, capsys) -> None:
    review = _write(tmp_path / "r.csv", HEADER, ROW)
    missing = tmp_path / "nowhere"

    assert main(["add", str(review), "--data", str(missing)]) == 2

    assert f"{missing}: no such data folder" in capsys.readouterr().err


def test_success_says_which_folder_was_written(good_dir, tmp_path, capsys) -> None:
    review = tmp_path / "r.json"
    review.write_text(
        '{"sources": [{"source_id": "test-source", "title": "T", "publisher": "P",'
        ' "published": "2025-10-21", "url": "https://example.org/t", "tier": "news"}],'
        ' "events": [{"event_id": "blz-talks", "date": "2025-10-20", "kind": "meeting",'
        ' "countries": "USA", "summary": "A meeting.", "certainty": "confirmed",'
        ' "source_id": "test-source", "quote": "Officials met", "date_basis": "stated"}]}',
        encoding="utf-8",
    )

    assert main(["add", str(review), "--data", str(good_dir), "--dry-run"]) == 0, (
        capsys.readouterr().err
    )
    assert f"in {good_dir}" in capsys.readouterr().out


def test_validate_names_a_semicolon_separated_data_file(good_dir: Path, capsys) -> None:
    path = good_dir / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0].replace(",", ";") + "\n", encoding="utf-8")  # header only

    assert main(["validate", "--data", str(good_dir)]) == 2

    err = capsys.readouterr().err
    assert f"{path}:1: is semicolon-separated" in err
