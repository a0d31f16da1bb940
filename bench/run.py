"""Render benchmarks: `make bench`. Every ratio compares two timings measured in this same run.

1. one overview report to HTML, `thirdcountry render`, against a plain script drawing the same
   charts to PNG (the lower bound); target at most 2.0x. The stock route (`papermill`, then
   `jupyter nbconvert`) is timed too, for comparison.
2. eight country reports to HTML with `--jobs 2`, against the same eight as a shell loop of
   `papermill` plus `jupyter nbconvert --no-input`; target at least 4x faster.
3. the extra cost of PDF per report: the batch of eight to HTML and PDF against HTML only,
   divided by eight; target at most 1 s. The single-overview difference is shown too.
4. `thirdcountry --help`; target under 0.3 s.
5. the overview's four charts drawn for the synthetic fact base of 400 agreements and 5,000
   events (tests/synthetic_facts.py) against the same for the project's data: how drawing time
   grows with the fact base (no target; it was a wall-clock limit in the unit tests).

Wall-clock times of whole commands, as a user runs them; each is the median of --repeat runs.
Results are also written to bench/results/latest.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "notebooks"
BATCH_COUNTRIES = ("BLZ", "CAN", "ECU", "GTM", "HND", "PRY", "RWA", "SLV")


def timed(
    command: list[str] | str, *, shell: bool = False, cwd: Path = ROOT, env: dict | None = None
) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        command,
        shell=shell,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env} if env else None,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        shown = command if isinstance(command, str) else " ".join(command)
        sys.exit(f"bench: failed ({result.returncode}): {shown}\n{result.stderr[-2000:]}")
    return seconds


def median(runs: int, make_command, **options) -> float:
    return statistics.median(timed(make_command(i), **options) for i in range(runs))


def write_plan(path: Path, countries: tuple[str, ...]) -> Path:
    values = ", ".join(countries)
    path.write_text(f"reports:\n  - notebook: country\n    for_each:\n      country: [{values}]\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per short measurement")
    args = parser.parse_args()
    thirdcountry = str(BIN / "thirdcountry")
    python = sys.executable

    def render(*arguments) -> list[str]:
        return [thirdcountry, "render", "--quiet", *map(str, arguments)]

    work = Path(tempfile.mkdtemp(prefix="thirdcountry-bench-"))
    results: dict[str, float] = {}
    try:
        # Warm the file system caches once, outside any measurement.
        timed([python, "bench/plain_charts.py", str(work / "warm")])
        timed(render("overview", "--to", "html", "--out", work / "warm-out"))

        # 1. one report vs the plain script and the stock route
        results["plain_script_s"] = median(
            args.repeat, lambda i: [python, "bench/plain_charts.py", str(work / f"plain-{i}")]
        )
        results["render_one_html_s"] = median(
            args.repeat, lambda i: render("overview", "--to", "html", "--out", work / f"one-{i}")
        )
        stock = work / "stock"
        stock.mkdir()
        results["stock_one_html_s"] = median(
            1,
            lambda i: (
                f"{BIN}/papermill --no-progress-bar -k python3 notebooks/overview.ipynb "
                f"{stock}/overview.ipynb >/dev/null 2>&1 && "
                f"{BIN}/jupyter nbconvert --to html --no-input {stock}/overview.ipynb "
                f">/dev/null 2>&1"
            ),
            shell=True,
        )

        # 2. a batch of eight, --jobs 2, vs a shell loop of the stock tools
        plan = write_plan(work / "batch.yml", BATCH_COUNTRIES)
        results["batch8_jobs2_s"] = median(
            args.repeat,
            lambda i: render(
                "--plan", plan, "--to", "html", "--jobs", "2", "--out", work / f"b{i}"
            ),
        )
        loop = work / "loop"
        loop.mkdir()
        script = "set -e\n" + "".join(
            f"{BIN}/papermill --no-progress-bar -k python3 notebooks/country.ipynb "
            f"{loop}/{c}.ipynb -p country {c} >/dev/null 2>&1\n"
            f"{BIN}/jupyter nbconvert --to html --no-input {loop}/{c}.ipynb >/dev/null 2>&1\n"
            for c in BATCH_COUNTRIES
        )
        results["batch8_shell_loop_s"] = timed(script, shell=True)

        # 3. the extra cost of PDF: the same batch of eight, to HTML and PDF
        results["batch8_jobs2_html_pdf_s"] = median(
            max(1, args.repeat - 1),
            lambda i: render(
                "--plan", plan, "--to", "html,pdf", "--jobs", "2", "--out", work / f"bp{i}"
            ),
        )
        results["render_one_html_pdf_s"] = median(
            args.repeat,
            lambda i: render("overview", "--to", "html,pdf", "--out", work / f"onepdf-{i}"),
        )

        # 4. --help
        results["help_s"] = median(max(5, args.repeat), lambda i: [thirdcountry, "--help"])

        # 5. the overview's charts for a large synthetic fact base vs the project's data
        sys.path.insert(0, str(ROOT / "tests"))
        from synthetic_facts import write_synthetic_fact_base

        large = write_synthetic_fact_base(work / "synthetic", agreements=400, events=5000)
        results["charts_project_s"] = results["plain_script_s"]
        results["charts_synthetic_400_5000_s"] = median(
            args.repeat,
            lambda i: [python, "bench/plain_charts.py", str(work / f"large-{i}")],
            env={"THIRDCOUNTRY_DATA": str(large)},
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratios = {
        "1_render_vs_plain_script": results["render_one_html_s"] / results["plain_script_s"],
        "1_stock_vs_plain_script": results["stock_one_html_s"] / results["plain_script_s"],
        "2_shell_loop_vs_render_batch": results["batch8_shell_loop_s"] / results["batch8_jobs2_s"],
        "3_pdf_extra_per_report_s": (results["batch8_jobs2_html_pdf_s"] - results["batch8_jobs2_s"])
        / len(BATCH_COUNTRIES),
        "3_pdf_extra_single_report_s": results["render_one_html_pdf_s"]
        - results["render_one_html_s"],
        "4_help_s": results["help_s"],
        "5_charts_synthetic_vs_project": results["charts_synthetic_400_5000_s"]
        / results["charts_project_s"],
    }
    targets = {
        "1_render_vs_plain_script": ("<=", 2.0),
        "2_shell_loop_vs_render_batch": (">=", 4.0),
        "3_pdf_extra_per_report_s": ("<=", 1.0),
        "4_help_s": ("<", 0.3),
    }
    cores = os.cpu_count()
    print(f"machine: {platform.platform()}, {cores} cores, Python {platform.python_version()}")
    print("\ntimings (s, median of runs):")
    for key, value in results.items():
        print(f"  {key:28s} {value:7.2f}")
    print("\nresults:")
    for key, value in ratios.items():
        target = targets.get(key)
        verdict = ""
        if target:
            op, limit = target
            met = {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]
            verdict = f"target {op} {limit:g}: {'met' if met else 'MISSED'}"
        print(f"  {key:32s} {value:7.2f}   {verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"timings_s": results, "results": ratios}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
