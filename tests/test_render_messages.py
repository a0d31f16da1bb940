"""What `thirdcountry render` says when it refuses the input, as a user or a cron job sees it."""

from __future__ import annotations

import io
import json
import re

import pytest

from thirdcountry.cli import main

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ERROR render stopped: .*; exit 2$")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bad_plan(tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_text("reports:\n  - {notebook: overview, parameters: {as_of: 2025-02-30}}\n")
    return plan


def test_bad_input_ends_the_plain_log_with_an_error_line(capsys, bad_plan, good_dir):
    code, out, err = run(capsys, "render", "--plan", bad_plan, "--data", good_dir, "--to", "html")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == (
        "thirdcountry render: plan.yml: reports[1]: as_of: '2025-02-30' is not a real date: "
        "February 2025 has 28 days"
    )
    assert LOG_LINE.match(lines[-1]), err  # there was no ERROR line: `grep ' ERROR '` missed it


def test_bad_input_with_log_json_is_json_and_ends_with_exit_2(capsys, bad_plan, good_dir):
    code, out, err = run(capsys, "render", "--plan", bad_plan, "--data", good_dir, "--to", "html",
                         "--log-json")  # fmt: skip
    assert code == 2 and out == ""
    records = [json.loads(line) for line in err.splitlines()]  # no plain text among them
    assert [r["event"] for r in records] == ["bad-input", "end"]
    assert records[0]["level"] == "error" and "February 2025 has 28 days" in records[0]["message"]
    assert records[-1]["exit"] == 2 and records[-1]["problems"] == 1


def test_bad_data_for_one_report_is_logged_too(capsys, tmp_path):
    data = tmp_path / "facts.csv"
    data.write_text("not a folder\n")
    code, _, err = run(capsys, "render", "overview", "--data", data, "--to", "html",
                       "--out", tmp_path / "reports", "--log-json")  # fmt: skip
    assert code == 2
    records = [json.loads(line) for line in err.splitlines()]
    assert records[-1]["event"] == "end" and records[-1]["exit"] == 2
    assert any("is a file, not a folder" in r["message"] for r in records)
    assert not (tmp_path / "reports" / "overview").exists()


def test_an_empty_plan_is_refused(capsys, tmp_path, good_dir):
    # It rendered nothing and exited 0 without a word.
    plan = tmp_path / "plan.yml"
    plan.write_text("reports: []\n")
    code, out, err = run(capsys, "render", "--plan", plan, "--data", good_dir)
    assert code == 2 and out == ""
    assert err.splitlines()[0] == (
        "thirdcountry render: plan.yml: lists no reports (add entries under 'reports:')"
    )


def test_the_log_is_standard_logging_with_python_json_logger():
    import io
    import logging

    from pythonjsonlogger.json import JsonFormatter

    from thirdcountry.render.log import RunLog

    stream = io.StringIO()
    log = RunLog(stream=stream, json_lines=True, level="warning")
    assert isinstance(log.logger, logging.Logger)
    assert isinstance(log.logger.handlers[0].formatter, JsonFormatter)
    log.info("start", "not shown below warning")
    log.error("done", "failed x", report="overview/default", where=None, seconds=1.5)
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert list(record)[:4] == ["time", "level", "event", "message"]
    assert record["level"] == "error" and record["report"] == "overview/default"
    assert "where" not in record and record["seconds"] == 1.5
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["time"])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_counts_reports_and_makes_room_for_log_lines():
    from types import SimpleNamespace

    from thirdcountry.render.log import RunLog
    from thirdcountry.render.progress import Progress
    from thirdcountry.render.progress_events import ProgressEvent

    terminal = _Terminal()
    progress = Progress(terminal)
    log = RunLog(stream=terminal, progress=progress)
    log(ProgressEvent.START, {"total": 3, "workers": 2, "skipped": 0})
    log(ProgressEvent.TICK, {"running": ["overview/default", "country/country-slv"]})
    failed = SimpleNamespace(label="country/country-slv", outcome="failed", duration=2.0,
                             error="ValueError: x", where=None)  # fmt: skip
    log(ProgressEvent.DONE, {"result": failed})
    progress.close()
    drawn = [line.rstrip() for line in re.split(r"[\r\n]", terminal.getvalue()) if line.strip()]
    assert drawn[0] == "[--------------------] 0/3 done, 3 left · 0 s"
    now = "0/3 done, 3 left · 0 s · now: overview/default, country/country-slv"
    assert any(line.endswith(now) for line in drawn)
    assert any(line.endswith("ERROR failed country/country-slv after 2.0 s: ValueError: x")
               for line in drawn)  # fmt: skip
    last = "[######--------------] 1/3 done, 2 left, 1 failed · 0 s · now: overview/default"
    assert drawn[-1] == last


def test_no_progress_line_off_a_terminal():
    from thirdcountry.render.progress import Progress
    from thirdcountry.render.progress_events import ProgressEvent

    stream = io.StringIO()
    progress = Progress(stream)
    progress(ProgressEvent.START, {"total": 2, "workers": 1, "skipped": 0})
    progress.close()
    assert stream.getvalue() == ""
