"""Status derivation on the small fixture: exact, uncertain, disputed and open intervals."""

import pytest

from thirdcountry.analysis import (
    NO_STATUS,
    agreements_of_countries,
    all_conflicts,
    lifecycle_steps,
    select_events,
    status_as_of,
    status_history,
)


def _status(facts, as_of):
    table = status_as_of(facts, as_of).set_index("agreement_id")
    return table


@pytest.mark.parametrize(
    ("as_of", "agreement", "expected"),
    [
        ("2019-07-25", "us-gtm", NO_STATUS),
        ("2019-07-26", "us-gtm", "signed"),
        ("2019-11-15", "us-gtm", "in_force"),
        ("2021-02-06", "us-gtm", "suspended or terminated"),
        ("2030-01-01", "us-gtm", "suspended or terminated"),
        ("2003-01-01", "us-can", "signed"),
        ("2025-01-26", "us-can", "in_force"),
        ("2025-01-19", "us-gtm-2025", NO_STATUS),
        ("2025-01-22", "us-gtm-2025", "no record or negotiating"),
        ("2025-01-26", "us-gtm-2025", "negotiating"),
    ],
)
def test_status_as_of(good_facts, as_of, agreement, expected):
    assert _status(good_facts, as_of).loc[agreement, "status"] == expected


def test_uncertain_status_is_not_certain(good_facts):
    table = _status(good_facts, "2025-01-22")
    assert not table.loc["us-gtm-2025", "certain"]
    assert table.loc["us-can", "certain"]


def test_better_source_sets_the_date_and_vaguer_sources_narrow_it(good_facts):
    steps = lifecycle_steps(good_facts).set_index(["agreement_id", "step"])
    in_force = steps.loc[("us-gtm", "in_force")]
    # The official treaty entry wins; the article's range agrees; the news date conflicts.
    assert in_force["date_text"] == "2019-11-15"
    assert in_force["disputed"]
    assert in_force["conflicting_event_ids"] == ("gtm-in-force-news",)
    assert set(in_force["event_ids"]) == {"gtm-in-force", "gtm-in-force-article"}
    suspended = steps.loc[("us-gtm", "suspended")]
    assert suspended["date_text"] == "2021-02-06"
    assert not suspended["disputed"]


def test_disputed_step_marks_the_status(good_facts):
    assert _status(good_facts, "2020-06-01").loc["us-gtm", "disputed"]
    assert not _status(good_facts, "2020-06-01").loc["us-can", "disputed"]


def test_history_has_one_period_per_step_with_open_end(good_facts):
    history = status_history(good_facts)
    gtm = history[history["agreement_id"] == "us-gtm"]
    assert list(gtm["status"]) == ["signed", "in_force", "suspended", "terminated"]
    last = gtm.iloc[-1]
    assert str(last["end_latest"]) == "NaT"  # still running
    assert str(last["start_latest"]) == "NaT"  # termination date unknown: open interval
    signed = gtm.iloc[0]
    assert signed["end_earliest"] == signed["end_latest"]  # in force on an exact day


def test_planned_events_are_not_evidence(good_dir):
    events = good_dir / "events.csv"
    text = events.read_text(encoding="utf-8")
    text += (
        "can-terminated,2026-06-01,terminated,us-can,can,Canada plans to end it,planned,news,"
        "suspension is immediate,stated,\n"
    )
    events.write_text(text, encoding="utf-8")
    from thirdcountry.facts import load_facts

    facts = load_facts(good_dir)
    assert _status(facts, "2027-01-01").loc["us-can", "status"] == "in_force"


def test_declared_conflicts_are_not_detected_twice(good_facts):
    conflicts = all_conflicts(good_facts)
    assert list(conflicts["origin"]) == ["declared", "declared", "declared"]


def test_undeclared_date_conflicts_are_detected(good_dir):
    conflicts = good_dir / "conflicts.csv"
    conflicts.write_text(conflicts.read_text().splitlines()[0] + "\n", encoding="utf-8")
    from thirdcountry.facts import load_facts

    detected = all_conflicts(load_facts(good_dir))
    assert list(detected["conflict_id"]) == ["detected-us-gtm-in_force"]
    assert set(detected.iloc[0]["source_ids"]) == {"gov", "news"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"countries": ["CAN"]}, {"can-signed", "can-in-force"}),
        ({"agreement_id": "us-can"}, {"can-signed", "can-in-force"}),
        ({"since": "2025-01-01"}, {"call", "gtm-2025-negotiating", "gtm-terminated",
                                   "gtm-suspended-article"}),
        ({"until": "2003-01-01"}, {"can-signed"}),
        ({"agreement_ids": ["us-can", "us-gtm-2025"]}, {"can-signed", "can-in-force",
                                                         "gtm-2025-negotiating"}),
        ({"kinds": ["suspended", "terminated"]}, {"gtm-suspended", "gtm-suspended-article",
                                                  "gtm-terminated"}),
        ({"kinds": ["in_force"], "countries": ["CAN"]}, {"can-in-force"}),
        ({"text": "  "}, None),
    ],
)  # fmt: skip
def test_select_events(good_facts, kwargs, expected):
    expected = set(good_facts.events["event_id"]) if expected is None else expected
    assert set(select_events(good_facts, **kwargs)["event_id"]) == expected


def test_select_events_searches_summaries_and_quotes_ignoring_case(good_facts):
    events = good_facts.events
    word = events.loc[events["event_id"] == "call", "quote"].iloc[0].split()[-1].strip(".,")
    found = select_events(good_facts, text=word.upper())
    assert "call" in set(found["event_id"])
    for summary, quote in zip(found["summary"], found["quote"], strict=True):
        assert word.casefold() in (summary + quote).casefold()
    assert select_events(good_facts, text="no such words anywhere").empty


def test_agreements_by_sending_state(good_facts):
    assert list(agreements_of_countries(good_facts, (), sending=("CAN",))["agreement_id"]) == [
        "us-can"
    ]
    assert (
        list(agreements_of_countries(good_facts, ("GTM",), sending=("CAN",))["agreement_id"]) == []
    )
    assert len(agreements_of_countries(good_facts, ())) == len(good_facts.agreements)


def test_history_as_of_forgets_what_came_later(good_facts):
    from thirdcountry.analysis import history_as_of

    history = history_as_of(status_history(good_facts), "2020-01-01")
    gtm = history[history["agreement_id"] == "us-gtm"]
    assert list(gtm["status"]) == ["signed", "in_force"]
    assert str(gtm.iloc[-1]["end_earliest"]) == "NaT"  # still in force as far as 2020 knew
    assert "us-gtm-2025" not in set(history["agreement_id"])


def _with_rows(good_dir, name, rows):
    path = good_dir / name
    path.write_text(path.read_text(encoding="utf-8") + rows, encoding="utf-8")
    from thirdcountry.facts import load_facts

    return load_facts(good_dir)


def test_a_court_halt_pauses_the_agreement(good_dir):
    facts = _with_rows(
        good_dir,
        "events.csv",
        "can-court-halt,2020-06-01,halted_by_court,us-can,can,A court stops returns,confirmed,"
        "news,suspension is immediate,stated,\n",
    )
    assert _status(facts, "2020-05-31").loc["us-can", "status"] == "in_force"
    assert _status(facts, "2020-06-01").loc["us-can", "status"] == "paused"
    paused = lifecycle_steps(facts).set_index(["agreement_id", "step"]).loc[("us-can", "paused")]
    assert paused["event_ids"] == ("can-court-halt",)


def test_a_ruling_that_halts_nothing_is_context(good_dir):
    facts = _with_rows(
        good_dir,
        "events.csv",
        "can-ruling,2020-06-01,ruling,us-can,can,A court upholds the agreement,confirmed,"
        "news,suspension is immediate,stated,\n",
    )
    assert _status(facts, "2027-01-01").loc["us-can", "status"] == "in_force"


def test_an_organisation_can_be_the_sending_party(good_dir):
    _with_rows(good_dir, "entities.csv", "eu,organization,European Union,,EU\n")
    facts = _with_rows(
        good_dir,
        "agreements.csv",
        "eu-can,EU–Canada statement,political_statement,eu|can,eu,can,\n",
    )
    assert _status(facts, "2027-01-01").loc["eu-can", "sending"] == "eu"


@pytest.mark.parametrize(
    ("as_of", "agreement", "last", "unconfirmed"),
    [
        # Evidence counts only once it is on record: nothing for us-gtm-2025 before 2025-01-26.
        ("2025-01-19", "us-gtm-2025", None, None),
        # Within 90 days of the last evidence: confirmed.
        ("2020-02-13", "us-gtm", "2019-11-15", None),
        ("2020-02-14", "us-gtm", "2019-11-15", "2019-11-15"),
        # An open interval is evidence from its start: us-gtm's 2021-02-06/.. events.
        ("2021-05-07", "us-gtm", "2021-02-06", None),
        ("2021-05-08", "us-gtm", "2021-02-06", "2021-02-06"),
        # A range is evidence up to its last day: negotiating 2025-01-20/2025-01-26.
        ("2025-04-26", "us-gtm-2025", "2025-01-26", None),
        ("2025-04-27", "us-gtm-2025", "2025-01-26", "2025-01-26"),
        ("2025-01-26", "us-can", "2004-12-29", "2004-12-29"),
    ],
)
def test_last_evidence_and_not_confirmed_since(good_facts, as_of, agreement, last, unconfirmed):
    import datetime as dt

    row = _status(good_facts, as_of).loc[agreement]
    day = dt.date.fromisoformat
    assert row["last_evidence"] == (day(last) if last else None)
    assert row["not_confirmed_since"] == (day(unconfirmed) if unconfirmed else None)


def test_a_terminated_agreement_is_never_unconfirmed():
    import datetime as dt

    from thirdcountry.analysis import not_confirmed_since

    old = dt.date(2021, 2, 6)
    assert not_confirmed_since("terminated", old, "2030-01-01") is None
    assert not_confirmed_since("suspended or terminated", old, "2030-01-01") == old
    assert not_confirmed_since("in_force", None, "2030-01-01") is None
