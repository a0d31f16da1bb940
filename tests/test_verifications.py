"""The verification log: read back per event, checked against the events and sources it names."""

import datetime as dt
import json

import pytest

from thirdcountry.analysis import NEVER_VERIFIED, last_verified, verification_log
from thirdcountry.cli.main import main
from thirdcountry.facts import load_facts
from thirdcountry.facts.problems import FactBaseError

HEADER = "verification_id,event_id,checked,source_ids,checked_on,result,note,agreement_id\n"


def test_an_event_shows_its_latest_check(good_facts):
    verified = last_verified(good_facts)
    assert verified["gtm-in-force"] == dt.date(2026, 11, 2)  # of two checks, the later
    assert verified["gtm-in-force-news"] == dt.date(2026, 11, 1)
    assert "gtm-signed" not in verified
    log = verification_log(good_facts, "gtm-in-force")
    assert list(log["verification_id"]) == ["v-gtm-in-force", "v-gtm-in-force-first"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "v-x,gtm-in-force,date,gov,2026-11-01,confirmed,,",
            "data/verifications.csv:2:source_ids: result 'confirmed' needs a source besides the "
            "event's own ('gov'); use 'single_source' where there is none",
        ),
        (
            "v-x,no-such-event,date,gov|news,2026-11-01,confirmed,,",
            "data/verifications.csv:2:event_id: 'no-such-event' is not an event_id in events.csv",
        ),
        (
            "v-x,gtm-in-force,date,gov|nope,2026-11-01,confirmed,,",
            "data/verifications.csv:2:source_ids: 'nope' is not a source_id in sources.csv",
        ),
    ],
)
def test_bad_log_rows_are_refused(good_dir, row, message):
    (good_dir / "verifications.csv").write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_facts(good_dir)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(line.startswith(message) for line in lines), lines


def test_a_descriptor_without_the_log_still_loads(good_dir):
    descriptor = json.loads((good_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "verifications"]
    (good_dir / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (good_dir / "verifications.csv").unlink()
    facts = load_facts(good_dir)
    assert facts.verifications.empty
    assert last_verified(facts) == {}


def test_events_command_shows_when_each_event_was_last_verified(good_dir, capsys):
    assert main(["events", "--data", str(good_dir), "--format", "json"]) == 0
    rows = {row["event_id"]: row["last_verified"] for row in json.loads(capsys.readouterr().out)}
    assert rows["gtm-in-force"] == "2026-11-02"
    assert rows["gtm-signed"] == NEVER_VERIFIED == "no record"


def test_verifications_command_filters_by_event(good_dir, capsys):
    assert main(["verifications", "--data", str(good_dir), "--event", "gtm-in-force",
                 "--format", "csv"]) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("verification_id,checked_on,event_id")
    assert len(out) == 3


def test_every_shipped_lifecycle_event_has_been_verified():
    facts = load_facts()
    lifecycle = facts.events.loc[facts.events["is_lifecycle"], "event_id"]
    missing = sorted(set(lifecycle) - set(last_verified(facts)))
    assert not missing, missing
