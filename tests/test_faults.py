"""Faults while rendering: the reports folder cannot take the new files.

Tests run as root, where a read-only chmod stops nothing, so the faults are made otherwise:
os.replace (how every finished file moves into place) raising ENOSPC in the thirdcountry
process and its workers, or a file standing where a folder must go. Each time the command must
fail with a clear one-line message and a non-zero exit, and the previous reports stay
byte-identical. Also: parameter values the checks accept must not crash the kernel.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from rendered import good_fact_base, run_thirdcountry

from thirdcountry.cli import main
from thirdcountry.render import batch

pytestmark = pytest.mark.slow

# Run as `python -c WRAPPER OUT ALLOWED ARGV...`: thirdcountry with os.replace raising ENOSPC
# for every target in the reports folder OUT (its work folder .tmp/ aside) once ALLOWED such
# moves have succeeded; the forked workers inherit the patch (and their own count).
ENOSPC_WRAPPER = textwrap.dedent(
    """
    import errno, os, sys
    from pathlib import Path

    out = Path(sys.argv[1]).resolve()
    allowed = [int(sys.argv[2])]
    real_replace = os.replace

    def replace(source, target, *args, **kwargs):
        path = Path(os.fsdecode(target)).resolve()
        if out in path.parents and ".tmp" not in path.relative_to(out).parts:
            if allowed[0] == 0:
                allowed[0] = -1  # fail once: putting the old files back is a rename, no space
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(target))
            allowed[0] -= 1
        return real_replace(source, target, *args, **kwargs)

    os.replace = replace
    from thirdcountry.cli import main

    sys.exit(main(sys.argv[3:]))
    """
)


@dataclass
class FaultRun:
    before: dict[str, bytes]
    after: dict[str, bytes]
    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of every report folder (<notebook>/<slug>/<file>) and its bytes."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.glob("*/*/*"))
        if path.is_file() and not path.relative_to(out).parts[0].startswith(("_", "."))
    }


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A reports folder holding one good report (country GTM, HTML) to protect."""
    base = tmp_path_factory.mktemp("faults")
    data = good_fact_base(base / "facts")
    out = base / "reports"
    process = run_thirdcountry("render", "country", "-p", "country=GTM", "--to", "html",
                               "--data", data, "--out", out, "--quiet")  # fmt: skip
    assert process.returncode == 0, process.stdout + process.stderr
    assert (out / "country" / "country-gtm" / "run.json").is_file()
    return {"base": base, "data": data, "out": out}


def _argv(out: Path, data: Path, country: str) -> list[object]:
    return ["render", "country", "-p", f"country={country}", "--to", "html", "--data", data,
            "--out", out, "--quiet"]  # fmt: skip


def _disk_full(out: Path, data: Path) -> tuple[list[object], list[object]]:
    return ["-c", ENOSPC_WRAPPER, out, 0], _argv(out, data, "GTM")


def _disk_full_midway(out: Path, data: Path) -> tuple[list[object], list[object]]:
    """The first file of the new report moves into place, the next one finds the disk full."""
    return ["-c", ENOSPC_WRAPPER, out, 1], _argv(out, data, "GTM")


def _file_for_report_folder(out: Path, data: Path) -> tuple[list[object], list[object]]:
    (out / "country" / "country-can").write_text("a file where a report folder goes\n")
    return [], _argv(out, data, "CAN")


def _file_for_work_folder(out: Path, data: Path) -> tuple[list[object], list[object]]:
    (out / ".tmp").write_text("a file where the work folder goes\n")
    return [], _argv(out, data, "GTM")


# name: (make the fault and give the command, what the message must name)
SCENARIOS = {
    "disk-full": (_disk_full, "No space left on device"),
    "disk-full-midway": (_disk_full_midway, "No space left on device"),
    "file-for-report-folder": (_file_for_report_folder, "country-can"),
    "file-for-work-folder": (_file_for_work_folder, ".tmp"),
}


@pytest.fixture(scope="module")
def fault_runs(previous):
    """Each scenario run once, on its own copy of the reports folder."""
    runs: dict[str, FaultRun] = {}

    def run(name: str) -> FaultRun:
        if name not in runs:
            out = previous["base"] / f"reports-{name}"
            shutil.copytree(previous["out"], out)
            python, argv = SCENARIOS[name][0](out, previous["data"])
            before = snapshot(out)
            process = run_thirdcountry(*argv, python=python)
            runs[name] = FaultRun(before, snapshot(out), process.returncode, process.stdout,
                                  process.stderr, out)  # fmt: skip
        return runs[name]

    return run


@pytest.mark.parametrize(
    "scenario",
    [name for name in SCENARIOS],
)
def test_a_fault_fails_the_command_and_keeps_the_previous_reports(fault_runs, scenario):
    result = fault_runs(scenario)
    assert result.code != 0, result.output
    changed = sorted(
        name for name in {*result.before, *result.after}
        if result.before.get(name) != result.after.get(name)
    )  # fmt: skip
    assert len(result.before) >= 2 and not changed, f"the previous reports changed: {changed}"
    assert not (result.out / ".tmp").is_dir()


@pytest.mark.parametrize(
    "scenario",
    [
        "disk-full",
        "disk-full-midway",
        "file-for-report-folder",
        "file-for-work-folder",
    ],
)
def test_a_fault_is_reported_in_one_clear_line(fault_runs, scenario):
    """No traceback; one line names the cause; a few lines in all."""
    result = fault_runs(scenario)
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert [line for line in lines if SCENARIOS[scenario][1] in line], result.output
    assert len(lines) <= 8, result.output


# ---- values the parameter checks accept must not crash the kernel -----------------------------


@pytest.fixture
def no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would start: the checks accepted this value")

    monkeypatch.setattr(batch, "render_reports", refuse)


@pytest.mark.parametrize(
    ("notebook", "assignments"),
    [
        ("overview", ["as_of=0001-01-01"]),
        ("overview", ["as_of=9999-12-31"]),
        ("country", ["country=GTM", "as_of=0001-01-02"]),
    ],
)
def test_a_date_the_report_cannot_use_is_refused_before_any_kernel(
    tmp_path, capsys, no_kernels, notebook, assignments
):
    argv = ["render", notebook, "--out", str(tmp_path / "reports"), "--quiet"]
    for assignment in assignments:
        argv += ["-p", assignment]
    code = main(argv)
    err = capsys.readouterr().err
    problem, stopped = err.strip().splitlines()
    assert code == 2, err
    assert "as_of" in problem
    assert " ERROR render stopped: 1 problem in the input" in stopped
