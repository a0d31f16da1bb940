"""The command line on the small fixture: formats, filters, errors and exit codes."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from thirdcountry.cli import main

COMMANDS = ["validate", "status", "events", "conflicts", "sources", "agreements"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "--data DIR" in out and "exit codes" in out


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_command_in_every_format(capsys, good_dir, command, fmt):
    code, out, err = run(capsys, command, "--data", str(good_dir), "--format", fmt)
    assert code == 0, err
    if fmt == "json" and command != "validate":
        assert isinstance(json.loads(out), list)
    if fmt == "csv" and command != "validate":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows


def test_status_as_of(capsys, good_dir):
    code, out, _ = run(
        capsys, "status", "--data", str(good_dir), "--as-of", "2021-03-01", "--format", "json"
    )
    assert code == 0
    statuses = {row["agreement_id"]: row["status"] for row in json.loads(out)}
    assert statuses == {
        "us-gtm": "suspended or terminated",
        "us-can": "in_force",
        "us-gtm-2025": "no record",
    }


def test_events_filters_combine(capsys, good_dir):
    code, out, _ = run(
        capsys, "events", "--data", str(good_dir), "--country", "gtm", "--until", "2019-12-31",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    ids = [row["event_id"] for row in csv.DictReader(io.StringIO(out))]
    assert ids == ["gtm-in-force-article", "gtm-signed", "gtm-in-force"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "--as-of", "2025-13-01"],
         "thirdcountry status: argument --as-of: '2025-13-01' is not a real date: there is no "
         "month 13 (see thirdcountry status --help)"),
        (["events", "--country", "XYZ"],
         "thirdcountry events: --country: 'XYZ' is not an ISO 3166-1 alpha-3 code"
         " or a party's code (EU)"),
        (["events", "--country", "Guatemala"],
         "thirdcountry events: argument --country: 'Guatemala' is not an ISO 3166-1 alpha-3 code"
         " (see thirdcountry events --help)"),
        (["events", "--agreement", "nope"],
         "thirdcountry events: --agreement: 'nope' is not an agreement in the fact base"),
        (["events", "--since", "2025-02-01", "--until", "2025-01-01"],
         "thirdcountry events: --until is before --since"),
        (["status", "--bogus"],
         "thirdcountry: unrecognized arguments: --bogus (see thirdcountry --help)"),
    ],
)  # fmt: skip
def test_user_mistakes_give_one_line_and_exit_2(capsys, good_dir, argv, message):
    try:
        code, out, err = run(capsys, *argv, "--data", str(good_dir))
    except SystemExit as exited:
        code = exited.code
        out, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == message
    assert out == ""


def test_missing_data_folder(capsys, tmp_path):
    code, _, err = run(capsys, "validate", "--data", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.splitlines()[0].endswith("nowhere: no such folder")


def test_data_that_is_a_file(capsys, tmp_path):
    # It said "no such folder" for a file that is there.
    (tmp_path / "events.csv").write_text("event_id\n")
    code, _, err = run(capsys, "validate", "--data", str(tmp_path / "events.csv"))
    assert code == 2
    assert err.splitlines()[0].endswith("events.csv: is a file, not a folder")


@pytest.mark.parametrize("command", [*COMMANDS, "list", "changes"])
def test_only_render_help_lists_render_exit_codes(command, capsys):
    # Every subcommand's --help listed render's exit codes 1, 3 and 130.
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    codes = set(re.findall(r"^  (\d+)  ", out, re.M))
    assert codes == {"0", "2"}, out


def test_add_help_lists_its_write_failure_and_that_it_writes_data(capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    out = capsys.readouterr().out
    assert set(re.findall(r"^  (\d+)  ", out, re.M)) == {"0", "1", "2"}
    assert "Only `add` writes under it" in out


def test_render_help_lists_its_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    assert set(re.findall(r"^  (\d+)  ", capsys.readouterr().out, re.M)) == {
        "0",
        "1",
        "2",
        "3",
        "130",
    }


def test_data_folder_from_environment(capsys, good_dir, monkeypatch):
    monkeypatch.setenv("THIRDCOUNTRY_DATA", str(good_dir))
    code, out, _ = run(capsys, "agreements", "--format", "csv")
    assert code == 0 and "us-gtm-2025" in out


def test_no_command_reads_or_writes_outside_what_it_should(capsys, good_dir):
    before = {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()}
    for command in COMMANDS:
        run(capsys, command, "--data", str(good_dir))
    after = {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()}
    assert before == after


def test_console_script_runs_without_traceback(good_dir):
    result = subprocess.run(
        [sys.executable, "-m", "thirdcountry", "status", "--data", str(good_dir), "--as-of", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
