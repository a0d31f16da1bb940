"""CITATION.cff: valid (cffconvert --validate), and saying what pyproject.toml and the data say.

cffconvert runs from its own environment, .venv-cffconvert, which `make test` builds from
tools/cffconvert/requirements.lock (its jsonschema<4 cannot live in .venv beside nbformat's).
"""

from __future__ import annotations

import json
import subprocess
import tomllib

import pytest
import yaml
from rendered import need

from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME, PROJECT_ROOT

CITATION = PROJECT_ROOT / "CITATION.cff"
CFFCONVERT = PROJECT_ROOT / ".venv-cffconvert" / "bin" / "cffconvert"


def cffconvert(*argv: object) -> subprocess.CompletedProcess:
    need(CFFCONVERT.is_file(), f"{CFFCONVERT.relative_to(PROJECT_ROOT)} is missing")
    return subprocess.run(
        [str(CFFCONVERT), *map(str, argv)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def citation() -> dict:
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def test_citation_cff_is_valid():
    process = cffconvert("--validate", "-i", CITATION)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "valid according to schema version 1.2.0" in process.stdout


def test_an_invalid_citation_is_refused(tmp_path):
    """The validation can fail: an unknown key, and an unknown type of reference."""
    text = CITATION.read_text(encoding="utf-8")
    unknown_key = text.replace("\nauthors:", "\nauthorz:", 1)
    unknown_type = text.replace("type: data", "type: dataset")
    for broken in (unknown_key, unknown_type):
        assert broken != text
        path = tmp_path / "CITATION.cff"
        path.write_text(broken, encoding="utf-8")
        process = cffconvert("--validate", "-i", path)
        assert process.returncode != 0, broken


def test_the_software_is_cited_as_pyproject_describes_it(citation):
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert citation["type"] == "software"
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
    assert citation["title"].startswith(project["name"] + ":")


def test_the_dataset_is_cited_as_its_data_package_describes_it(citation):
    package = json.loads((DEFAULT_DATA_DIR / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    dataset = citation["preferred-citation"]
    assert dataset["type"] == "data"
    assert dataset["title"] == package["title"]
    assert dataset["version"] == package["version"]
    assert [dataset["license"]] == [licence["name"] for licence in package["licenses"]]
    assert dataset["authors"]


def test_cffconvert_turns_it_into_a_citation(citation):
    process = cffconvert("-i", CITATION, "-f", "apalike")
    assert process.returncode == 0, process.stderr
    assert citation["title"] in process.stdout and "0.1.0" in process.stdout
