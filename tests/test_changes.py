"""Changes between dates and between versions of a fact base (snapshots of earlier runs)."""

import shutil

from thirdcountry.analysis import changes_since_date, compare_fact_bases, events_between
from thirdcountry.facts import load_facts
from thirdcountry.facts.snapshot import load_snapshot, write_snapshot


def test_open_intervals_that_began_long_ago_are_not_news(good_facts):
    ids = set(events_between(good_facts, "2022-01-01", "2025-12-31")["event_id"])
    assert ids == {"call", "gtm-2025-negotiating"}


def test_changes_since_a_date(good_facts):
    changes = changes_since_date(good_facts, "2021-01-01", "2021-12-31")
    by_change = changes.groupby("change")["id"].apply(set).to_dict()
    assert by_change["new event"] == {"gtm-suspended", "gtm-terminated", "gtm-suspended-article"}
    assert by_change["status"] == {"us-gtm"}
    assert by_change["new source"] == {"news"}


def test_snapshot_round_trip_is_identical(good_facts, tmp_path):
    snapshot = write_snapshot(good_facts, tmp_path / "facts.zip")
    again = write_snapshot(good_facts, tmp_path / "again.zip")
    assert snapshot.read_bytes() == again.read_bytes()  # bytes depend on the data alone
    restored = load_snapshot(snapshot)
    assert restored.content_hash == good_facts.content_hash
    assert compare_fact_bases(restored, good_facts, "2025-01-26").empty


def test_corrections_and_additions_are_reported(good_dir, tmp_path):
    old = load_facts(good_dir)
    snapshot = write_snapshot(old, tmp_path / "facts.zip")
    edited = tmp_path / "edited"
    shutil.copytree(good_dir, edited)
    events = edited / "events.csv"
    text = events.read_text(encoding="utf-8").replace(
        "gtm-signed,2019-07-26,", "gtm-signed,2019-07-25,"
    )
    text += (
        "can-suspended,2025-01-10,suspended,us-can,can,Canada suspends the STCA,confirmed,article,"
        "it was suspended after Bioden took office,stated,\n"
    )
    events.write_text(text, encoding="utf-8")
    changes = compare_fact_bases(load_snapshot(snapshot), load_facts(edited), "2025-01-26")
    corrected = changes[changes["change"] == "corrected"]
    assert corrected[["id", "field", "before", "after"]].values.tolist() == [
        ["gtm-signed", "date", "2019-07-26", "2019-07-25"]
    ]
    added = changes[changes["change"] == "added"]
    assert added["id"].tolist() == ["can-suspended"]
    status = changes[changes["change"] == "status"]
    assert status[["id", "before", "after"]].values.tolist() == [
        ["us-can", "in_force", "suspended"]
    ]
