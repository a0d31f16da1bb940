"""Lint rules (analysis/lints): each flags a row that breaks it and passes one that keeps it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from thirdcountry.analysis.lints import RULES, run_lints
from thirdcountry.cli.main import main
from thirdcountry.facts import load_facts

# The fixture's source 'news' was published on Saturday 2021-02-06; 'gov' on 2020-01-10.
EVENT = {
    "kind": "statement", "agreement_id": "us-can", "actors": "usa", "summary": "A statement.",
    "certainty": "confirmed", "source_id": "news", "date_basis": "inferred", "note": "",
}  # fmt: skip
FIGURE = {
    "agreement_id": "us-can", "measure": "people_transferred", "unit": "people",
    "qualifier": "exact", "certainty": "confirmed", "source_id": "news", "note": "",
}  # fmt: skip


def _append(data: Path, table: str, rows: list[dict[str, str]]) -> None:
    path = data / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n").writerows(rows)


def _add(data: Path, table_row: tuple[str, dict[str, str]]) -> None:
    _append(data, table_row[0], [table_row[1]])


def _event(event_id: str, date: str, quote: str, **extra: str) -> tuple[str, dict[str, str]]:
    return "events", {**EVENT, "event_id": event_id, "date": date, "quote": quote, **extra}


def _figure(figure_id: str, date: str, value: str, quote: str, **extra: str):
    return "figures", {
        **FIGURE, "figure_id": figure_id, "date": date, "value": value, "quote": quote,
        "basis": "cumulative", **extra,
    }  # fmt: skip


# (rule, rows added, row id that must be flagged or None for a passing case)
CASES = [
    pytest.param(
        "weekday-mismatch",
        [_event("x", "2021-02-03", "Officials said on Tuesday that the flights stopped.")],
        "x",
        id="weekday-fails",  # 2021-02-03 is a Wednesday
    ),
    pytest.param(
        "weekday-mismatch",
        [_event("x", "2021-02-02", "Officials said on Tuesday that the flights stopped.")],
        None,
        id="weekday-passes",
    ),
    pytest.param(
        "figure-weekday-mismatch",
        [_figure("f", "2021-02-03", "12", "12 people were sent on Tuesday.", basis="single_event")],
        "f",
        id="figure-weekday-fails",
    ),
    pytest.param(
        "figure-weekday-mismatch",
        [_figure("f", "2021-02-02", "12", "12 people were sent on Tuesday.", basis="single_event")],
        None,
        id="figure-weekday-passes",
    ),
    pytest.param(
        "event-after-source",
        [_event("x", "2021-02", "The flights stopped.")],
        "x",
        id="event-after-source-fails",  # February runs past 6 February
    ),
    pytest.param(
        "event-after-source",
        [_event("x", "2021-02", "The flights will stop.", certainty="planned")],
        None,
        id="event-after-source-passes-planned",
    ),
    pytest.param(
        "event-after-source",
        [_event("x", "2021-02-01/2021-02-06", "The flights stopped.")],
        None,
        id="event-after-source-passes-bounded",
    ),
    pytest.param(
        "figure-after-source",
        [_figure("f", "2021-02", "12", "12 people were sent.", basis="in_period")],
        "f",
        id="figure-after-source-fails",
    ),
    pytest.param(
        "figure-after-source",
        [_figure("f", "2021-02-01/2021-02-06", "12", "12 people were sent.", basis="in_period")],
        None,
        id="figure-after-source-passes",
    ),
    pytest.param(
        "sent-without-transfer",
        [_figure("f", "2005-01", "12", "12 people were sent.")],
        "f",
        id="sent-without-transfer-fails",
    ),
    pytest.param(
        "sent-without-transfer",
        [
            _event("t", "2005-01-31", "The first 12 people were sent.", kind="transfer"),
            _figure("f", "2005-01", "12", "12 people were sent."),
        ],
        None,
        id="sent-without-transfer-passes-by-edtf-bounds",  # the month contains the transfer day
    ),
    pytest.param(
        "cumulative-falls",
        [
            _figure("a", "2020-01-10", "50", "50 people have been sent."),
            _figure("b", "2020-01-10/2020-02-10", "40", "40 people have been sent."),
        ],
        "b",
        id="cumulative-falls-fails",
    ),
    pytest.param(
        "cumulative-falls",
        [
            _figure("a", "2020-01-10", "50", "50 people have been sent."),
            _figure("b", "2020-01-10/2020-02-10", "40", "40 people have been sent.", note="Why."),
        ],
        None,
        id="cumulative-falls-passes-with-note",
    ),
    pytest.param(
        "relative-phrase-mismatch",
        [_event("x", "2021-02-03", "Officials said last week that the flights stopped.")],
        "x",
        id="relative-phrase-fails",  # 'last week' is 2021-01-25/2021-01-31
    ),
    pytest.param(
        "relative-phrase-mismatch",
        [_event("x", "2021-01-28", "Officials said last week that the flights stopped.")],
        None,
        id="relative-phrase-passes",
    ),
    pytest.param(
        "relative-phrase-mismatch",
        [_event("x", "2021-02-02", "Officials said Tuesday the country would accept flights.")],
        None,
        id="relative-phrase-passes-past-weekday-in-a-sentence-about-the-future",
    ),
    pytest.param(
        "figure-relative-phrase-mismatch",
        [_figure("f", "2021-02-03", "12", "12 people were sent last week.", basis="in_period")],
        "f",
        id="figure-relative-phrase-fails",
    ),
    pytest.param(
        "figure-relative-phrase-mismatch",
        [_figure("f", "2021-01-25/2021-01-31", "12", "12 were sent last week.", basis="in_period")],
        None,
        id="figure-relative-phrase-passes",
    ),
    pytest.param(
        "figure-relative-phrase-mismatch",
        [_figure("f", "2021-02-06", "8", "The 8 men were sent last month.")],
        None,
        id="figure-relative-phrase-passes-cumulative-count-holds-after-its-phrase",
    ),
]


@pytest.mark.parametrize(("rule", "rows", "flagged"), CASES)
def test_rule_flags_the_row_that_breaks_it(good_dir: Path, rule, rows, flagged) -> None:
    for row in rows:
        _add(good_dir, row)
    findings = [f for f in run_lints(load_facts(good_dir)) if f.rule == rule and not f.waived]
    assert [f.row_id for f in findings] == ([flagged] if flagged else [])
    for finding in findings:
        assert not finding.waived
        assert str(finding).startswith(f"data/{finding.table}.csv:")
        assert f"warning [{rule}] {flagged}: " in str(finding)


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    failing = {case.values[0] for case in CASES if case.values[2]}
    passing = {case.values[0] for case in CASES if not case.values[2]}
    names = {rule.name for rule in RULES}
    assert failing == names
    assert passing == names


def test_the_fixture_is_clean_but_for_its_waivers(good_facts) -> None:
    findings = run_lints(good_facts)
    assert findings and all(f.waived for f in findings)


def _waive(data: Path, rule: str, row_id: str, waiver_id: str = "w1") -> None:
    _append(
        data, "waivers",
        [{"waiver_id": waiver_id, "rule": rule, "row_id": row_id,
          "reason": "Checked against the source.", "reviewed_on": "2026-12-06"}],
    )  # fmt: skip


def test_a_waived_finding_is_shown_as_waived_with_its_reason(good_dir: Path, capsys) -> None:
    _add(good_dir, _event("x", "2021-02", "The flights stopped."))
    assert main(["validate", "--strict", "--data", str(good_dir)]) == 2
    err = capsys.readouterr().err
    assert "data/events.csv:13: warning [event-after-source] x: the date 2021-02 runs to" in err
    assert "--strict: 1 warning, 3 waived: failed" in err

    _waive(good_dir, "event-after-source", "x")
    assert main(["validate", "--strict", "--data", str(good_dir)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "lint: 0 warnings, 4 waived" in out
    assert (
        "data/events.csv:13: waived [event-after-source] x: the date 2021-02 runs to" in out
        and "(waiver: Checked against the source.)" in out
    )


@pytest.mark.parametrize(
    ("rule", "row_id", "message"),
    [
        ("no-such-rule", "x", "names no known rule 'no-such-rule'"),
        ("event-after-source", "no-such-event", "'no-such-event' is not a row of events"),
        ("weekday-mismatch", "gtm-signed", "rule 'weekday-mismatch' no longer flags 'gtm-signed'"),
    ],
)
def test_a_waiver_that_excuses_nothing_is_reported(good_dir: Path, rule, row_id, message) -> None:
    _waive(good_dir, rule, row_id)
    findings = [f for f in run_lints(load_facts(good_dir)) if f.rule == "waiver"]
    assert len(findings) == 1
    assert findings[0].file == "data/waivers.csv" and findings[0].line == 5
    assert message in findings[0].message


def test_validate_without_strict_warns_and_succeeds(good_dir: Path, capsys) -> None:
    _add(good_dir, _event("x", "2021-02", "The flights stopped."))
    assert main(["validate", "--data", str(good_dir)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ok: ") and "lint: 1 warning, 3 waived" in out
    assert err.count("warning [") == 1
