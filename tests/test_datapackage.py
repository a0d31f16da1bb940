"""The shipped data is a valid Frictionless package, readable with standard tools."""

import json

import pytest

from thirdcountry.facts.schema import CONTRACT, FIGURES_CONTRACT, RESOLUTION_CONTRACT, load_schema
from thirdcountry.paths import DEFAULT_DATA_DIR


def test_descriptor_declares_the_contract():
    tables = load_schema(DEFAULT_DATA_DIR)
    for name, columns in CONTRACT.items():
        assert tables[name].columns[: len(columns)] == columns
    for name, columns in FIGURES_CONTRACT.items():
        assert set(columns) <= set(tables[name].columns)
    assert tables["conflicts"].columns == (
        CONTRACT["conflicts"] + FIGURES_CONTRACT["conflicts"] + RESOLUTION_CONTRACT["conflicts"]
    )
    assert tables["figures"].columns == FIGURES_CONTRACT["figures"]


def test_every_field_is_described():
    descriptor = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']}"


@pytest.mark.slow
def test_frictionless_validates_the_shipped_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DEFAULT_DATA_DIR / "datapackage.json"))
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
    errors += [f"{e.type}: {e.message}" for e in report.errors]
    assert report.valid, "\n".join(errors[:20])
