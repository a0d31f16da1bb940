"""Scale benchmark: the overview (HTML and PDF) on the shipped data copied 40 times, against the
shipped data, in the same run. Target: at most 2.5x. Also prints both PDFs' page counts
(targets: at most 16 and 40 A4 pages).

    .venv/bin/python bench/scale.py [--times 40] [--repeat 1] [--profile]

--profile also runs the overview's sections in-process on the large base under cProfile and
prints where the time goes (the kernel's share of a render; conversion to HTML and PDF is apart).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from scaled_base import write_scaled_base  # noqa: E402

from thirdcountry.paths import DEFAULT_DATA_DIR  # noqa: E402

TARGET = 2.5


def render_seconds(data: Path, out: Path) -> float:
    command = [str(BIN / "thirdcountry"), "render", "overview", "--to", "html,pdf", "--quiet",
               "--jobs", "1", "--data", str(data), "--out", str(out)]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench: render failed ({result.returncode}) on {data.name}:\n{result.stderr}")
    return seconds


def pages(out: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(out / "overview" / "default" / "report.pdf").pages)


def profile_sections(data: Path) -> None:
    import cProfile
    import pstats

    import nbformat

    os.environ["THIRDCOUNTRY_DATA"] = str(data)
    from thirdcountry import report

    nb = nbformat.read(ROOT / "notebooks" / "overview.ipynb", 4)
    calls = [
        c.source.strip() for c in nb.cells if c.cell_type == "code" and not c.metadata.get("tags")
    ]
    profiler = cProfile.Profile()
    profiler.enable()
    overview = report.Overview()
    for call in calls:
        shown = eval(call, {"overview": overview})  # the notebook's own one-line calls
        if hasattr(shown, "_repr_mimebundle_"):
            shown._repr_mimebundle_()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=40, help="copies of the shipped data")
    parser.add_argument("--repeat", type=int, default=1, help="renders per base (median)")
    parser.add_argument("--profile", action="store_true", help="profile the large base too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thirdcountry-scale-") as tmp:
        large = write_scaled_base(DEFAULT_DATA_DIR, Path(tmp) / f"data-x{args.times}", args.times)
        timings = {}
        for label, data in (("shipped", DEFAULT_DATA_DIR), (f"x{args.times}", large)):
            runs = [
                render_seconds(data, Path(tmp) / f"out-{label}-{i}") for i in range(args.repeat)
            ]
            timings[label] = (statistics.median(runs), pages(Path(tmp) / f"out-{label}-0"))
        (small, small_pages), (big, big_pages) = timings.values()
        ratio = big / small
        print(f"overview HTML+PDF, shipped data: {small:.1f} s, {small_pages} pages (target <= 16)")
        print(f"overview HTML+PDF, x{args.times}: {big:.1f} s, {big_pages} pages (target <= 40)")
        verdict = "ok" if ratio <= TARGET else "over target"
        print(f"ratio x{args.times} / shipped: {ratio:.2f}x (target <= {TARGET}x): {verdict}")
        if args.profile:
            profile_sections(large)


if __name__ == "__main__":
    main()
