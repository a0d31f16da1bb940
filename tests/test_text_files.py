"""Stored texts: a source's text_file never leads out of the data folder, whatever the descriptor
says, and the content hash and facts.zip cover exactly the texts the sources reference."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from thirdcountry.facts import FactBaseError, load_facts
from thirdcountry.facts.snapshot import write_snapshot
from thirdcountry.paths import DESCRIPTOR_NAME


def _loosen_text_file_pattern(data: Path) -> None:
    """A descriptor that allows any text_file (what a careless edit could do)."""
    descriptor = json.loads((data / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if field["name"] == "text_file":
                field["constraints"] = {}
    (data / DESCRIPTOR_NAME).write_text(json.dumps(descriptor), encoding="utf-8")


def _point_text_file_at(data: Path, target: str) -> None:
    sources = data / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    assert text.count("sources/article.txt") == 1
    sources.write_text(text.replace("sources/article.txt", target), encoding="utf-8")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("Asylum deal article text that is not part of the fact base.\n")
    return path


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_text_file_outside_the_data_folder_is_refused(good_dir, secret, how):
    _loosen_text_file_pattern(good_dir)
    if how == "dotdot":
        target = "../secret.txt"
    elif how == "absolute":
        target = str(secret)
    else:
        (good_dir / "sources" / "link.txt").symlink_to(secret)
        target = "sources/link.txt"
    _point_text_file_at(good_dir, target)
    with pytest.raises(FactBaseError) as refused:
        load_facts(good_dir)
    lines = [str(p) for p in refused.value.problems]
    assert any(
        line.startswith("data/sources.csv:2:text_file: ") and "outside the data folder" in line
        for line in lines
    ), lines


def test_hash_and_snapshot_cover_exactly_the_referenced_texts(good_dir, tmp_path):
    before = load_facts(good_dir)
    assert [p.as_posix() for p in before.text_files] == ["sources/article.txt"]
    # A file nobody references changes neither the hash nor the snapshot.
    (good_dir / "sources" / "notes.txt").write_text("private working notes\n")
    unreferenced = load_facts(good_dir)
    assert unreferenced.content_hash == before.content_hash
    snapshot = write_snapshot(unreferenced, tmp_path / "facts.zip")
    names = set(zipfile.ZipFile(snapshot).namelist())
    assert "sources/notes.txt" not in names and "sources/article.txt" in names
    # A referenced text outside sources/ (the descriptor allows it) is hashed and kept.
    _loosen_text_file_pattern(good_dir)
    (good_dir / "texts").mkdir()
    (good_dir / "texts" / "article.txt").write_bytes(
        (good_dir / "sources" / "article.txt").read_bytes()
    )
    _point_text_file_at(good_dir, "texts/article.txt")
    moved = load_facts(good_dir)
    assert [p.as_posix() for p in moved.text_files] == ["texts/article.txt"]
    names = set(zipfile.ZipFile(write_snapshot(moved, tmp_path / "moved.zip")).namelist())
    assert "texts/article.txt" in names and "sources/article.txt" not in names
    (good_dir / "texts" / "article.txt").write_text("edited\n" + "x" * 10)
    with pytest.raises(FactBaseError):  # the quotes no longer match: the text was read
        load_facts(good_dir)
