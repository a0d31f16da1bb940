"""Render benchmarks: `make bench`. Every ratio compares timings measured in this same run.

1. one overview report to HTML, `thirdcountry render`, against a plain script drawing the same
   charts to PNG (the lower bound); target at most 2.0x. The stock route (`papermill`, then
   `jupyter nbconvert`) is timed too.
2. eight country reports to HTML with `render --plan --jobs 2`, against the stock tools run two
   at a time (`xargs -P2` over papermill + nbconvert: the fair, parallel baseline) and one at a
   time (a shell loop); target at least 4x faster than the loop.
3. the cost of PDF: for one report alone (the overview, HTML and PDF against HTML only) and per
   report in a batch (the eight, HTML and PDF against HTML only, divided by eight); target for
   the batch at most 1 s a report.
4. `thirdcountry --help`; target under 0.3 s.
5. the overview's charts for the synthetic fact base of 400 agreements and 5,000 events
   (tests/synthetic_facts.py) against the project's data: how drawing grows with the facts.
6. the monthly archive (plans/monthly-archive.yml, one overview per month since 2019, HTML
   only): the local process pool (--jobs 2) against `--executor dask` with a two-process
   LocalCluster, run in pairs (pool then Dask, then Dask then pool, ...); Dask's overhead per
   report is the median of the pairs' overheads, with the smallest and largest; target under 10%.

Wall-clock times of whole commands, as a user runs them. Each measurement is run --repeat times
(the shell loop --loop-repeat times, the archive --archive-repeat times) and shown as its median
with the minimum and maximum; a ratio's spread is the worst pairing of the two ranges
(min/max, max/min). The machine's load average is sampled around every run: on a shared machine
every figure is inflated, the ratios less so. Results go to bench/results/latest.json and
latest.md (not committed).

    .venv/bin/python bench/run.py [--repeat 3] [--only 1,2,6] [--dask auto|on|off]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BATCH_COUNTRIES = ("BLZ", "CAN", "ECU", "GTM", "HND", "PRY", "RWA", "SLV")
ARCHIVE_PLAN = ROOT / "plans" / "monthly-archive.yml"
SECTIONS = ("1", "2", "3", "4", "5", "6")
# Dask's overhead on the archive, as a share of the local pool's time per report.
DASK_OVERHEAD_TARGET = 0.10

# The stock route for one country report: papermill, then nbconvert, as a user would script it.
STOCK_ONE = """#!/bin/sh
set -e
"{bin}/papermill" --no-progress-bar -k python3 notebooks/country.ipynb "{out}/$1.ipynb" \\
    -p country "$1" >/dev/null 2>&1
"{bin}/jupyter" nbconvert --to html --no-input "{out}/$1.ipynb" >/dev/null 2>&1
"""


@dataclass
class Timing:
    """The runs of one measurement, in seconds, and the load average around them."""

    runs: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system s of the command's processes

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def low(self) -> float:
        return min(self.runs)

    @property
    def high(self) -> float:
        return max(self.runs)

    def record(self) -> dict:
        return {
            "median_s": self.median,
            "min_s": self.low,
            "max_s": self.high,
            "runs_s": self.runs,
            "cpu_s": self.cpu,
            "load_average": self.load,
        }


@dataclass(frozen=True)
class Result:
    """A derived figure with its spread: value (from the medians), low and high (worst pairings)."""

    name: str
    value: float
    low: float
    high: float
    unit: str  # "x", "s" or "%"
    target: tuple[str, float] | None = None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        op, limit = self.target
        met = {"<=": self.value <= limit, ">=": self.value >= limit, "<": self.value < limit}[op]
        return f"{op} {_number(limit, self.unit)}: {'met' if met else 'MISSED'}"


def ratio(name: str, slow: Timing, fast: Timing, target=None) -> Result:
    return Result(
        name, slow.median / fast.median, slow.low / fast.high, slow.high / fast.low, "x", target
    )


def difference(name: str, more: Timing, less: Timing, per: int = 1, target=None) -> Result:
    return Result(
        name,
        (more.median - less.median) / per,
        (more.low - less.high) / per,
        (more.high - less.low) / per,
        "s",
        target,
    )


def paired_overhead(name: str, dask: list[float], pool: list[float], target=None) -> Result:
    """Dask's overhead from runs made in pairs, one right after the other: the median of the
    pairs' overheads, with the smallest and largest. A change in the machine's load between
    pairs (common on a shared machine) then cancels out, as it cannot across pairs."""
    if len(dask) != len(pool) or not dask:
        raise ValueError("paired_overhead needs as many Dask runs as pool runs, at least one")
    each = [d / p - 1 for d, p in zip(dask, pool, strict=True)]
    return Result(name, statistics.median(each), min(each), max(each), "%", target)


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:+.1f}%" if value else "0%"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.2f} s"


def run_command(
    command: Sequence[str] | str, *, shell: bool = False, env: dict | None = None
) -> tuple[float, float]:
    """Wall-clock seconds of a command, and the CPU seconds (user + system) of it and every
    process it waited for: its workers and their kernels. CPU time hardly depends on what else
    runs on the machine; wall-clock time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        command,
        shell=shell,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env} if env else None,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        shown = command if isinstance(command, str) else " ".join(map(str, command))
        sys.exit(f"bench: failed ({result.returncode}): {shown}\n{result.stderr[-3000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu


def measure(
    timing: Timing, make_command: Callable[[int], Sequence[str] | str], run: int, **options
) -> None:
    """One more run of a measurement, with the load average before it."""
    timing.load.append(round(os.getloadavg()[0], 2))
    seconds, cpu = run_command(make_command(run), **options)
    timing.runs.append(seconds)
    timing.cpu.append(cpu)
    print(f"  {seconds:7.2f} s, CPU {cpu:7.2f} s  (load {timing.load[-1]:.1f})", file=sys.stderr)


def write_plan(path: Path, countries: tuple[str, ...]) -> Path:
    values = ", ".join(countries)
    path.write_text(f"reports:\n  - notebook: country\n    for_each:\n      country: [{values}]\n")
    return path


def has_dask_executor(thirdcountry: str) -> bool:
    """Whether this thirdcountry renders on Dask (`render --executor dask`) and Dask imports."""
    help_text = subprocess.run(
        [thirdcountry, "render", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--executor" not in help_text:
        return False
    probe = subprocess.run(
        [sys.executable, "-c", "import dask.distributed"], capture_output=True, check=False
    )
    return probe.returncode == 0


def archive_size(thirdcountry: str, plan: Path) -> int:
    shown = subprocess.run(
        [thirdcountry, "render", "--plan", str(plan), "--dry-run", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return len(json.loads(shown.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument(
        "--loop-repeat",
        type=int,
        default=1,
        help="runs of the one-at-a-time shell loop (default 1: it is slow)",
    )
    parser.add_argument(
        "--archive-plan",
        type=Path,
        default=ARCHIVE_PLAN,
        metavar="FILE",
        help="the plan of section 6 (default: plans/monthly-archive.yml)",
    )
    parser.add_argument(
        "--archive-repeat",
        type=int,
        default=3,
        help="runs of the monthly archive on each executor (default 3)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help="comma-separated sections to run (default: all, 1-6)",
    )
    parser.add_argument(
        "--dask",
        choices=("auto", "on", "off"),
        default="auto",
        help="section 6's Dask run: auto = when `render --executor dask` exists",
    )
    args = parser.parse_args()
    args.archive_plan = args.archive_plan.resolve()
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    if only - set(SECTIONS):
        parser.error(f"--only: sections are {', '.join(SECTIONS)}")
    thirdcountry = str(BIN / "thirdcountry")
    python = sys.executable
    repeat = max(1, args.repeat)

    def render(*arguments) -> list[str]:
        return [thirdcountry, "render", "--quiet", *map(str, arguments)]

    dask = False
    if "6" in only and args.dask != "off":
        dask = has_dask_executor(thirdcountry)
        if args.dask == "on" and not dask:
            sys.exit("bench: --dask on, but this thirdcountry has no `render --executor dask`")

    work = Path(tempfile.mkdtemp(prefix="thirdcountry-bench-"))
    timings: dict[str, Timing] = {}
    notes: list[str] = []
    started = dt.datetime.now(dt.UTC)

    def timed(key: str, runs: int, make_command, **options) -> None:
        print(f"{key}:", file=sys.stderr)
        timing = timings.setdefault(key, Timing())
        for _ in range(runs):
            measure(timing, make_command, len(timing.runs), **options)

    try:
        # Warm the file system caches once, outside any measurement.
        run_command([python, "bench/plain_charts.py", str(work / "warm")])
        run_command(render("overview", "--to", "html", "--out", work / "warm-out"))

        if "1" in only or "3" in only:
            timed(
                "plain_script",
                repeat,
                lambda i: [python, "bench/plain_charts.py", str(work / f"plain-{i}")],
            )
            timed(
                "render_one_html",
                repeat,
                lambda i: render("overview", "--to", "html", "--out", work / f"one-{i}"),
            )
        if "1" in only:
            stock = work / "stock"
            stock.mkdir()
            timed(
                "stock_one_html",
                repeat,
                lambda i: (
                    f"{BIN}/papermill --no-progress-bar -k python3 notebooks/overview.ipynb "
                    f"{stock}/overview-{i}.ipynb >/dev/null 2>&1 && "
                    f"{BIN}/jupyter nbconvert --to html --no-input {stock}/overview-{i}.ipynb "
                    f">/dev/null 2>&1"
                ),
                shell=True,
            )

        plan = write_plan(work / "batch.yml", BATCH_COUNTRIES)
        if "2" in only or "3" in only:
            timed(
                "batch8_render_jobs2_html",
                repeat,
                lambda i: render(
                    "--plan", plan, "--to", "html", "--jobs", "2", "--out", work / f"b{i}"
                ),
            )
        if "2" in only:
            script = work / "stock_one.sh"

            def stock_batch(parallel: int) -> Callable[[int], str]:
                def command(i: int) -> str:
                    out = work / f"stock{parallel}-{i}"
                    out.mkdir()
                    script.write_text(STOCK_ONE.format(bin=BIN, out="$STOCK_OUT"))
                    names = " ".join(BATCH_COUNTRIES)
                    if parallel == 1:
                        return (
                            f"export STOCK_OUT={out}; for c in {names}; do sh {script} $c "
                            "|| exit 1; done"
                        )
                    return (
                        f"export STOCK_OUT={out}; printf '%s\\n' {names} | "
                        f"xargs -P{parallel} -n1 sh {script}"
                    )

                return command

            timed("batch8_stock_xargs_P2_html", repeat, stock_batch(2), shell=True)
            timed(
                "batch8_stock_shell_loop_html", max(1, args.loop_repeat), stock_batch(1), shell=True
            )

        if "3" in only:
            timed(
                "batch8_render_jobs2_html_pdf",
                repeat,
                lambda i: render(
                    "--plan", plan, "--to", "html,pdf", "--jobs", "2", "--out", work / f"bp{i}"
                ),
            )
            timed(
                "render_one_html_pdf",
                repeat,
                lambda i: render("overview", "--to", "html,pdf", "--out", work / f"onepdf-{i}"),
            )

        if "4" in only:
            timed("help", max(5, repeat), lambda i: [thirdcountry, "--help"])

        if "5" in only:
            sys.path.insert(0, str(ROOT / "tests"))
            from synthetic_facts import write_synthetic_fact_base

            large = write_synthetic_fact_base(work / "synthetic", agreements=400, events=5000)
            if "plain_script" not in timings:
                timed(
                    "plain_script",
                    repeat,
                    lambda i: [python, "bench/plain_charts.py", str(work / f"plain-{i}")],
                )
            timed(
                "charts_synthetic_400_5000",
                repeat,
                lambda i: [python, "bench/plain_charts.py", str(work / f"large-{i}")],
                env={"THIRDCOUNTRY_DATA": str(large)},
            )

        reports = 0
        if "6" in only:
            reports = archive_size(thirdcountry, args.archive_plan)

            def archive_run(name: str, folder: Path, *executor: str) -> None:
                timed(
                    name,
                    1,
                    lambda _: render(
                        "--plan",
                        args.archive_plan,
                        "--to",
                        "html",
                        "--jobs",
                        "2",
                        *executor,
                        "--out",
                        folder,
                    ),
                )
                shutil.rmtree(folder, ignore_errors=True)

            for i in range(max(1, args.archive_repeat)):
                pair = [("archive_pool_jobs2_html", "pool", ())]
                if dask:
                    pair.append(("archive_dask_local2_html", "dask", ("--executor", "dask")))
                # In pairs, ABBA: a change in the machine's load falls on both executors, and
                # neither always runs second.
                for key, name, executor in pair if i % 2 == 0 else pair[::-1]:
                    archive_run(key, work / f"archive-{name}-{i}", *executor)
            if not dask:
                notes.append(
                    "section 6: Dask part skipped (no `render --executor dask` here, or --dask off)"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = derive(timings, reports)
    load = [value for timing in timings.values() for value in timing.load]
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if load:
        notes.append(
            f"load average (1 min) around the runs: {min(load):.1f} to {max(load):.1f}, "
            f"median {statistics.median(load):.1f}, on {os.cpu_count()} cores"
        )
    text = markdown(timings, results, machine, started, notes, reports)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "started": started.isoformat(timespec="seconds"),
                "timings": {key: timing.record() for key, timing in timings.items()},
                "results": {
                    r.name: {
                        "value": r.value,
                        "low": r.low,
                        "high": r.high,
                        "unit": r.unit,
                        "verdict": r.verdict,
                    }
                    for r in results
                },
                "archive_reports": reports,
                "notes": notes,
            },
            indent=2,
        )
        + "\n"
    )


def derive(timings: dict[str, Timing], reports: int) -> list[Result]:
    """The results the timings allow: ratios, differences and the Dask overhead."""
    t = timings
    results = []
    if {"render_one_html", "plain_script"} <= set(t):
        results.append(
            ratio(
                "1. one overview to HTML: render / plain script",
                t["render_one_html"],
                t["plain_script"],
                ("<=", 2.0),
            )
        )
    if {"stock_one_html", "plain_script"} <= set(t):
        results.append(
            ratio(
                "1. one overview to HTML: papermill + nbconvert / plain script",
                t["stock_one_html"],
                t["plain_script"],
            )
        )
    if {"batch8_stock_xargs_P2_html", "batch8_render_jobs2_html"} <= set(t):
        results.append(
            ratio(
                "2. eight to HTML: xargs -P2 papermill + nbconvert / render --jobs 2",
                t["batch8_stock_xargs_P2_html"],
                t["batch8_render_jobs2_html"],
            )
        )
    if {"batch8_stock_shell_loop_html", "batch8_render_jobs2_html"} <= set(t):
        results.append(
            ratio(
                "2. eight to HTML: shell loop papermill + nbconvert / render --jobs 2",
                t["batch8_stock_shell_loop_html"],
                t["batch8_render_jobs2_html"],
                (">=", 4.0),
            )
        )
    if {"render_one_html_pdf", "render_one_html"} <= set(t):
        results.append(
            difference(
                "3. PDF cost of one report alone (overview)",
                t["render_one_html_pdf"],
                t["render_one_html"],
            )
        )
    if {"batch8_render_jobs2_html_pdf", "batch8_render_jobs2_html"} <= set(t):
        results.append(
            difference(
                "3. PDF cost per report in a batch of eight (--jobs 2)",
                t["batch8_render_jobs2_html_pdf"],
                t["batch8_render_jobs2_html"],
                per=len(BATCH_COUNTRIES),
                target=("<=", 1.0),
            )
        )
    if "help" in t:
        h = t["help"]
        results.append(Result("4. thirdcountry --help", h.median, h.low, h.high, "s", ("<", 0.3)))
    if {"charts_synthetic_400_5000", "plain_script"} <= set(t):
        results.append(
            ratio(
                "5. charts: 400 agreements, 5,000 events / the project's data",
                t["charts_synthetic_400_5000"],
                t["plain_script"],
            )
        )
    if "archive_pool_jobs2_html" in t and reports:
        pool = t["archive_pool_jobs2_html"]
        per = Timing([run / reports for run in pool.runs])
        results.append(
            Result(
                f"6. archive ({reports} overviews, HTML): local pool, per report",
                per.median,
                per.low,
                per.high,
                "s",
            )
        )
        if "archive_dask_local2_html" in t:
            dask = t["archive_dask_local2_html"]
            results.append(
                difference(
                    "6. Dask's extra time per report (LocalCluster, 2 processes)",
                    dask,
                    pool,
                    per=reports,
                )
            )
            results.append(
                paired_overhead(
                    "6. Dask's overhead per report, share of the pool's (median of the pairs)",
                    dask.runs,
                    pool.runs,
                    ("<", DASK_OVERHEAD_TARGET),
                )
            )
            results.append(
                paired_overhead(
                    "6. the same in CPU time (every process; depends less on the load)",
                    dask.cpu,
                    pool.cpu,
                )
            )
    return results


def markdown(timings, results, machine, started, notes, reports) -> str:
    lines = [
        f"Benchmark of {started:%Y-%m-%d %H:%M} UTC on {machine}.",
        "",
        "| measurement | median | min | max | runs | CPU, median |",
        "|---|---|---|---|---|---|",
    ]
    for key, timing in timings.items():
        lines.append(
            f"| {key} | {timing.median:.2f} s | {timing.low:.2f} s | {timing.high:.2f} s "
            f"| {len(timing.runs)} | {statistics.median(timing.cpu):.2f} s |"
        )
    lines += [
        "",
        "| result | value (from medians) | spread (worst pairings) | target |",
        "|---|---|---|---|",
    ]
    for r in results:
        spread = f"{_number(r.low, r.unit)} to {_number(r.high, r.unit)}"
        lines.append(f"| {r.name} | **{_number(r.value, r.unit)}** | {spread} | {r.verdict} |")
    lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
