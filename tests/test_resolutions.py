"""Conflicts with a resolution: a settled conflict no longer marks its facts disputed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from thirdcountry.analysis import all_conflicts, figure_table, lifecycle_steps, status_as_of
from thirdcountry.facts import load_facts
from thirdcountry.facts.problems import FactBaseError
from thirdcountry.report.evidence_appendix import conflict_entries

REASON = "The treaty series is the primary document."


def _set(data: Path, conflict_id: str, **cells: str) -> None:
    path = data / "conflicts.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row["conflict_id"] == conflict_id:
            row.update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _in_force(facts):
    steps = lifecycle_steps(facts)
    return steps[(steps["agreement_id"] == "us-gtm") & (steps["step"] == "in_force")].iloc[0]


def test_open_conflicts_keep_their_facts_disputed(good_facts) -> None:
    assert _in_force(good_facts)["disputed"]
    figures = figure_table(good_facts).set_index("figure_id")
    assert figures.loc["gtm-sent-939", "disputed"]
    conflicts = all_conflicts(good_facts).set_index("conflict_id")
    assert conflicts.loc["gtm-in-force-date", "state"] == "open"


@pytest.mark.parametrize(
    ("settled_by", "date"), [("gtm-in-force", "2019-11-15"), ("gtm-in-force-news", "2020-12-15")]
)
def test_a_settled_conflict_is_no_longer_disputed_and_its_settling_event_holds(
    good_dir: Path, settled_by: str, date: str
) -> None:
    _set(good_dir, "gtm-in-force-date", state="settled", settled_by=settled_by, resolution=REASON)
    facts = load_facts(good_dir)
    step = _in_force(facts)
    assert not step["disputed"]
    assert step["best_event_id"] == settled_by and step["date_text"] == date
    status = status_as_of(facts, "2020-12-31").set_index("agreement_id")
    assert not status.loc["us-gtm", "disputed"]
    assert not any(all_conflicts(facts)["origin"] == "detected")


def test_a_settled_value_conflict_clears_its_figures(good_dir: Path) -> None:
    _set(good_dir, "gtm-sent-count", state="settled", settled_by="gtm-sent-939", resolution="x")
    figures = figure_table(load_facts(good_dir)).set_index("figure_id")
    assert not figures.loc["gtm-sent-939", "disputed"]
    assert not figures.loc["gtm-sent-nearly-1000", "disputed"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"state": "settled", "settled_by": "gtm-in-force"},
         "conflicts.csv:2:resolution: a settled conflict says why in its resolution"),
        ({"state": "settled", "resolution": REASON},
         "conflicts.csv:2:settled_by: a settled conflict names the event, figure or source ids"),
        ({"state": "open", "settled_by": "gtm-in-force"},
         "conflicts.csv:2:settled_by: only a settled conflict names what settles it"),
        ({"state": "settled", "settled_by": "gtm-in-forse", "resolution": REASON},
         "conflicts.csv:2:settled_by: 'gtm-in-forse' is not an event_id, figure_id or source_id"),
        ({"state": "closed"}, "conflicts.csv:2:state: "),
    ],
)  # fmt: skip
def test_a_resolution_must_say_what_settles_it_and_why(good_dir: Path, cells, message) -> None:
    _set(good_dir, "gtm-in-force-date", **cells)
    with pytest.raises(FactBaseError) as caught:
        load_facts(good_dir)
    assert any(message in str(problem) for problem in caught.value.problems), caught.value.args


def test_the_appendix_shows_settled_with_reason_and_open_as_open(good_dir: Path) -> None:
    _set(
        good_dir, "gtm-in-force-date", state="settled", settled_by="gtm-in-force", resolution=REASON
    )
    conflicts = all_conflicts(load_facts(good_dir))
    markup = conflict_entries(["gtm-in-force-date", "gtm-sent-count"], conflicts)
    settled, still_open = markup.split('id="conflict-gtm-sent-count"')
    assert f"<b>Settled:</b> {REASON} Settled by " in settled and "#event-gtm-in-force" in settled
    assert "<b>Open:</b> the sources still disagree." in still_open
