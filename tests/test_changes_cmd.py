"""`thirdcountry changes`: since a date, and since the facts the last good report run used.

No kernel runs here: the reports folders are made by hand, each good run a run.json with the
snapshot of its facts beside it, as `render --if-changed` leaves them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import assemble_fact_base

from thirdcountry.analysis import changes_since_date
from thirdcountry.cli import main
from thirdcountry.facts import load_facts
from thirdcountry.facts.snapshot import write_snapshot


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def good_run(reports: Path, label: str, data: Path, started: str, snapshot: bool = True) -> Path:
    """A good run of a report as a scheduled render leaves it: run.json and facts.zip."""
    folder = reports / label
    folder.mkdir(parents=True)
    facts = load_facts(data)
    if snapshot:
        write_snapshot(facts, folder / "facts.zip")
    record = {
        "report": label,
        "outcome": "ok",
        "started": started,
        "data": {"folder": data.name, "content_hash": facts.content_hash},
        "snapshot": "facts.zip" if snapshot else None,
    }
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def edit_events(data: Path, old: str, new: str = "", append: str = "") -> None:
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new)
    events.write_text(text + append, encoding="utf-8")


NEW_EVENT = (
    "gtm-transfer-2019,2019-12-10,announcement,us-gtm,usa|gtm,The first transfers under the "
    "agreement,confirmed,gov,first transfers,stated,\n"
)


# ---- since a date ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_since_a_date_in_every_format(capsys, good_dir, fmt):
    code, out, err = run(capsys, "changes", "--since", "2021-01-01", "--as-of", "2021-12-31",
                         "--data", good_dir, "--format", fmt)  # fmt: skip
    assert code == 0, err
    expected = changes_since_date(load_facts(good_dir), "2021-01-01", "2021-12-31")
    ids = set(expected["id"])
    assert ids == {"gtm-suspended", "gtm-terminated", "gtm-suspended-article", "us-gtm", "news",
                   "gtm-termination-date"}  # fmt: skip
    if fmt == "json":
        rows = json.loads(out)
        assert {row["id"] for row in rows} == ids
        status = next(row for row in rows if row["change"] == "status")
        assert (status["id"], status["before"]) == ("us-gtm", "in_force")
        assert status["after"] == "suspended or terminated"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert list(rows[0]) == ["change", "table", "id", "field", "before", "after", "summary"]
        assert {row["id"] for row in rows} == ids
        assert {row["change"] for row in rows} == {"new event", "status", "new source",
                                                   "new conflict"}  # fmt: skip
    else:
        lines = out.splitlines()
        assert lines[0] == "Changes since 2021-01-01 (to 2021-12-31)"
        assert lines[1].split() == ["change", "table", "id", "field", "before", "after", "summary"]
        assert lines[-1] == f"{len(expected)} changes"
        assert any(line.startswith("new conflict") and "gtm-termination-date" in line
                   for line in lines)  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--since", "2021-02-30"],
            "--since: '2021-02-30' is not a real date: February 2021 has 28 days",
        ),
        (["--since", "2025-01-01", "--as-of", "2024-01-01"], "--since 2025-01-01 is after"),
        (["--since", "2025-01-01", "--report", "overview/default"], "--report and --out apply"),
        (["--since", "last-run", "--report", "overview"], "--report: 'overview': expected"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(capsys, good_dir, tmp_path, argv, message):
    code, _, err = run(capsys, "changes", *argv, "--data", good_dir)
    assert code == 2
    assert err.splitlines() == [err.strip()] and message in err, err


def test_since_is_required(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["changes"])
    assert raised.value.code == 2 and "--since" in capsys.readouterr().err


# ---- since the last good run -----------------------------------------------------------------


def test_last_run_reports_corrections_with_old_and_new_values(capsys, tmp_path):
    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    good_run(reports, "overview/default", data, "2026-03-01T10:00:00Z")
    # Nothing changed since: no rows.
    code, out, err = run(capsys, "changes", "--since", "last-run", "--out", reports,
                         "--data", data, "--format", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == []
    # A corrected date and source, and a new event dated years back.
    signed = "signed,us-gtm,usa|gtm,The US and Guatemala signed the agreement,confirmed"
    before, after = f"gtm-signed,2019-07-26,{signed},gov,", f"gtm-signed,2019-07-25,{signed},news,"
    edit_events(data, before, after, NEW_EVENT)
    code, out, err = run(capsys, "changes", "--since", "last-run", "--out", reports,
                         "--data", data, "--as-of", "2025-01-26", "--format", "json")  # fmt: skip
    assert code == 0, err
    rows = [(r["change"], r["id"], r["field"], r["before"], r["after"]) for r in json.loads(out)]
    assert ("corrected", "gtm-signed", "date", "2019-07-26", "2019-07-25") in rows
    assert ("corrected", "gtm-signed", "source_id", "gov", "news") in rows
    assert ("added", "gtm-transfer-2019", None, None, None) in rows
    assert len(rows) == 3
    code, out, _ = run(capsys, "changes", "--since", "last-run", "--out", reports, "--data", data)
    assert out.startswith(
        "Changes since the last good run of overview/default, started 2026-03-01T10:00:00Z"
    )
    assert out.rstrip().endswith("3 changes")


def test_last_run_is_the_most_recent_unless_a_report_is_named(capsys, tmp_path):
    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    good_run(reports, "country/country-gtm", data, "2026-03-01T10:00:00Z")
    edit_events(data, "", append=NEW_EVENT)
    good_run(reports, "overview/default", data, "2026-03-01T11:00:00Z")  # already has the event
    # A failed run, or a _failed/ record, never counts as the last run.
    failed = reports / "_failed" / "overview" / "default"
    failed.mkdir(parents=True)
    (failed / "run.json").write_text(json.dumps({"outcome": "failed", "started": "2026-03-02"}))

    code, out, _ = run(capsys, "changes", "--since", "last-run", "--out", reports,
                       "--data", data, "--format", "csv")  # fmt: skip
    assert code == 0 and len(out.splitlines()) == 1  # the header only: nothing new since 11:00
    code, out, _ = run(capsys, "changes", "--since", "last-run", "--out", reports, "--data", data,
                       "--report", "country/country-gtm", "--format", "csv")  # fmt: skip
    assert code == 0
    assert [row["id"] for row in csv.DictReader(io.StringIO(out))] == ["gtm-transfer-2019"]


def test_last_run_without_runs_or_snapshots_is_exit_2(capsys, tmp_path):
    data = assemble_fact_base(tmp_path / "facts")
    reports = tmp_path / "reports"
    code, _, err = run(capsys, "changes", "--since", "last-run", "--out", reports, "--data", data)
    assert code == 2 and "no good report run in" in err and "--since DATE" in err
    good_run(reports, "overview/default", data, "2026-03-01T10:00:00Z", snapshot=False)
    code, _, err = run(capsys, "changes", "--since", "last-run", "--out", reports, "--data", data)
    assert code == 2 and "kept no copy of its facts" in err and "--if-changed" in err
    code, _, err = run(capsys, "changes", "--since", "last-run", "--out", reports, "--data", data,
                       "--report", "country/country-xyz")  # fmt: skip
    assert code == 2 and "no good run of country/country-xyz" in err


def test_help_documents_the_command_and_every_exit_code(capsys):
    with pytest.raises(SystemExit):
        main(["changes", "--help"])
    out = capsys.readouterr().out
    assert "--since DATE|last-run" in out and "--report NOTEBOOK/SLUG" in out
    for line in ("0  all good", "2  bad input"):
        assert line in out
    assert "1  some reports failed" not in out and "3  another run holds" not in out
