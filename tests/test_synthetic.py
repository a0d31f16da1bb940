"""The synthetic fact base: valid, varied, the requested size, and the same for the same seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from synthetic_facts import write_synthetic_fact_base

from thirdcountry.analysis import lifecycle_steps
from thirdcountry.facts import LIFECYCLE, load_facts

TABLES = ("sources.csv", "entities.csv", "agreements.csv", "events.csv", "conflicts.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    directory = write_synthetic_fact_base(
        tmp_path_factory.mktemp("medium"), agreements=60, events=700, seed=3
    )
    return load_facts(directory)


@pytest.mark.parametrize(("agreements", "events"), [(0, 0), (1, 1), (4, 30), (50, 20), (12, 200)])
def test_small_bases_load_and_validate(tmp_path, agreements, events):
    directory = write_synthetic_fact_base(tmp_path / "data", agreements, events, seed=1)
    facts = load_facts(directory)  # raises FactBaseError on any problem
    assert len(facts.agreements) == agreements
    assert len(facts.events) == events


def test_medium_base_loads_with_requested_sizes(medium):
    assert len(medium.agreements) == 60
    assert len(medium.events) == 700


def test_requested_sizes_at_full_scale(tmp_path):
    directory = write_synthetic_fact_base(tmp_path / "data", agreements=400, events=5000)
    assert len(_rows(directory / "agreements.csv")) == 400
    assert len(_rows(directory / "events.csv")) == 5000
    for name in (*TABLES, "datapackage.json"):
        assert (directory / name).is_file()


def test_columns_are_exactly_the_descriptors(tmp_path, medium):
    directory = medium.data_dir
    for table in medium.schema.values():
        with (directory / table.path).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert tuple(header) == table.columns


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    first = write_synthetic_fact_base(tmp_path / "a", 20, 150, seed=7)
    second = write_synthetic_fact_base(tmp_path / "b", 20, 150, seed=7)
    other = write_synthetic_fact_base(tmp_path / "c", 20, 150, seed=8)
    for name in TABLES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "events.csv").read_bytes() != (other / "events.csv").read_bytes()


def test_variety(medium):
    events = medium.events
    kinds = set(events["kind"].astype(str))
    assert set(LIFECYCLE) - {"denied"} <= kinds
    assert kinds - set(LIFECYCLE), "context events"
    assert {"day", "month", "range", "open"} <= set(events["precision"].astype(str))
    assert set(events["certainty"].astype(str)) >= {"confirmed", "reported", "planned"}
    assert set(medium.sources["tier"].astype(str)) == {"official", "news", "tracker", "reprint"}
    countries = medium.entities[medium.entities["kind"] == "country"]
    assert len(countries) >= 20
    assert (countries["entity_id"] == countries["iso3"].str.lower()).all()
    assert medium.sources["text_file"].isna().all()
    assert medium.sources["url"].str.startswith("https://example.org/").all()


def test_some_steps_are_disputed_by_sources_with_separate_dates(medium):
    steps = lifecycle_steps(medium)
    disputed = steps[steps["disputed"]]
    assert len(disputed) >= 2
    assert len(medium.conflicts) >= 1
    assert (medium.conflicts["aspect"].astype(str) == "date").any()


def test_negative_sizes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="negative"):
        write_synthetic_fact_base(tmp_path, agreements=-1)
