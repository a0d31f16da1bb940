"""Visibly current: last evidence and 'not confirmed since' in the CLI, report tables and charts;
one default date (the latest event) for status and reports."""

import json

import matplotlib

matplotlib.use("Agg")

from thirdcountry.analysis import latest_event_date, status_as_of
from thirdcountry.cli.main import main
from thirdcountry.report import charts
from thirdcountry.report.charts.alt import alt_text
from thirdcountry.report.fact_tables import status_table
from thirdcountry.report.overview import Overview


def test_status_defaults_to_the_latest_event_like_the_reports(good_dir, good_facts, capsys):
    assert main(["status", "--data", str(good_dir)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    latest = latest_event_date(good_facts).isoformat()
    assert first == f"Status as of {latest} (facts current to {latest})"
    assert Overview(data_dir=str(good_dir)).as_of.isoformat() == latest


def test_status_today_is_explicit(good_dir, capsys):
    import datetime as dt

    assert main(["status", "--data", str(good_dir), "--as-of", "today"]) == 0
    assert f"Status as of {dt.date.today().isoformat()} " in capsys.readouterr().out


def test_status_formats_carry_last_evidence_and_the_marker(good_dir, capsys):
    assert main(["status", "--data", str(good_dir), "--as-of", "2025-06-01",
                 "--format", "json"]) == 0  # fmt: skip
    rows = {row["agreement_id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["us-can"]["last_evidence"] == "2004-12-29"
    assert rows["us-can"]["not_confirmed_since"] == "2004-12-29"
    assert main(["status", "--data", str(good_dir), "--as-of", "2025-06-01"]) == 0
    table = capsys.readouterr().out
    assert "not confirmed since 2004-12-29" in table
    assert "none" not in table.split()


def test_report_table_heading_and_board_show_how_current_the_facts_are(good_dir, good_facts):
    status = status_as_of(good_facts, "2025-06-01")
    html = str(status_table(status, good_facts))
    assert "Last evidence" in html
    assert "(not confirmed since 29 December 2004)" in html
    heading = Overview(data_dir=str(good_dir)).heading()
    assert f"Facts current to {latest_event_date(good_facts).day}" in str(heading)
    board = charts.status_board(status, as_of="2025-06-01")
    assert "not confirmed by any evidence in the 90 days" in alt_text(board)
    texts = [t.get_text() for ax in board.axes for t in ax.texts]
    assert any(t.startswith("not confirmed since") for t in texts), texts


def test_swimlanes_pale_lanes_not_confirmed_since_their_last_evidence(good_facts):
    from thirdcountry.analysis import history_as_of, status_history

    status = status_as_of(good_facts, "2025-06-01")
    unconfirmed = {
        row.agreement_id: row.not_confirmed_since
        for row in status.itertuples()
        if row.not_confirmed_since
    }
    assert unconfirmed["us-can"].isoformat() == "2004-12-29"
    history = history_as_of(status_history(good_facts), "2025-06-01")
    figure = charts.status_swimlanes(
        history, good_facts.agreements, "2025-06-01", unconfirmed=unconfirmed
    )
    pale = [c for ax in figure.axes for c in ax.collections if c.get_gid() == "not-confirmed"]
    assert pale and len(pale[0].get_paths()) == len(unconfirmed)
    assert "not confirmed by any evidence in the 90 days" in alt_text(figure)
    plain = charts.status_swimlanes(history, good_facts.agreements, "2025-06-01")
    assert not [c for ax in plain.axes for c in ax.collections if c.get_gid() == "not-confirmed"]
