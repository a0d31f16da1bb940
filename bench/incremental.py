"""Incremental rendering benchmark: a full plan against a one-event edit, in the same run.

A scheduled render (`render --if-changed`) keys each report on the slice of the fact base it
reads (src/thirdcountry/analysis/input_slice.py). This times, on a copy of the fact base and a
fresh reports folder:

  full   the plan rendered from nothing (every report);
  edit   the same plan again after one event's note was edited (only the reports whose slice
         holds that event: its agreement's page, its countries' reports, the whole-base
         overviews; the index and the feeds are rebuilt too);

and gives edit / full as a ratio; target at most 0.25. Each repetition starts from an empty
reports folder. `--growth` also times the plan without its agreement pages, for what the pages
add to a full run with today's code (target at most +40%). `--before REF` also times the plan
without pages as a git commit REF rendered it (its code, its plan, its data, from a temporary
worktree): the full `make report` before the pages work against the full run now.

    .venv/bin/python bench/incremental.py [--plan reports.yml] [--event ID] [--repeat 1]
        [--jobs 2] [--to html] [--growth] [--before REF]

A small plan for a quick look: plans/incremental-small.yml (the default is the project's
reports.yml). Results go to bench/results/incremental.json (not committed).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from run import Result, Timing, measure, ratio  # noqa: E402

TARGET = 0.25
# As `make report` renders (the Makefile's RENDER_FLAGS): every run here is a scheduled one.
MAKE_REPORT_FLAGS = ("--if-changed", "--keep", "24")
GROWTH_TARGET = 0.40
SUMMARY = re.compile(r"rendered (\d+) of (\d+) reports? in [\d.]+ s: .*?(?:(\d+) skipped|$)", re.M)
PAGE_ENTRY = re.compile(r"^\s*-\s*notebook:\s*agreement\b")


def edit_event(data: Path, event_id: str | None) -> str:
    """Append to one event's note (a correction that changes no date or status): by id, or the
    first event of an agreement. Returns the event's id."""
    path = data / "events.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    if event_id is None:
        row = next(row for row in rows if row["agreement_id"])
    else:
        matches = [row for row in rows if row["event_id"] == event_id]
        if not matches:
            sys.exit(f"bench: no event {event_id!r} in {path}")
        row = matches[0]
    row["note"] = (row["note"] + " " if row["note"] else "") + "Checked again for the benchmark."
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["event_id"]


def without_pages(plan: Path, target: Path) -> Path:
    """The plan without its agreement pages' entry (an entry is its line and the indented
    lines under it)."""
    kept, skipping = [], False
    for line in plan.read_text(encoding="utf-8").splitlines():
        if PAGE_ENTRY.match(line):
            skipping = True
            continue
        if skipping and line.startswith(("      ", "    ")) and not line.lstrip().startswith("-"):
            continue
        skipping = False
        kept.append(line)
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def rendered_count(output: str) -> tuple[int, int]:
    found = SUMMARY.search(output)
    if found is None:
        return -1, -1
    return int(found[1]), int(found[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, default=ROOT / "reports.yml")
    parser.add_argument("--event", help="the event to edit (default: the first of an agreement)")
    parser.add_argument("--repeat", type=int, default=1, help="full + edit pairs (default 1)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--to", default="html", help="formats (default html)")
    parser.add_argument("--growth", action="store_true", help="also time the plan without pages")
    parser.add_argument(
        "--before", metavar="REF", help="also time REF's plan without pages, with REF's code"
    )
    args = parser.parse_args()
    thirdcountry = str(BIN / "thirdcountry")
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    timings = {"full": Timing(), "edit": Timing(), "without_pages": Timing(), "before": Timing()}
    counts: dict[str, list[tuple[int, int]]] = {"full": [], "edit": []}
    edited = ""
    before = None
    try:
        before = _before_tree(args.before, work) if args.before else None
        for repetition in range(args.repeat):
            data = work / f"data-{repetition}"
            shutil.copytree(ROOT / "data", data)
            out = work / f"reports-{repetition}"
            command = [thirdcountry, "render", "--plan", str(args.plan), "--data", str(data),
                       "--out", str(out), "--to", args.to, "--jobs", str(args.jobs),
                       *MAKE_REPORT_FLAGS]  # fmt: skip
            for step in ("full", "edit"):
                if step == "edit":
                    edited = edit_event(data, args.event)
                print(f"{step} (run {repetition + 1}):", file=sys.stderr)
                log = work / f"{step}-{repetition}.txt"
                shell = " ".join(map(_quote, command)) + f" > {_quote(str(log))} 2>&1"
                measure(timings[step], lambda _, shell=shell: shell, repetition, shell=True)
                counts[step].append(rendered_count(log.read_text(encoding="utf-8")))
            if args.growth:
                plain = without_pages(args.plan, work / "without-pages.yml")
                print(f"without pages (run {repetition + 1}):", file=sys.stderr)
                plain_out = work / f"plain-{repetition}"
                shell = " ".join(map(_quote, [thirdcountry, "render", "--plan", str(plain),
                                              "--data", str(ROOT / "data"), "--out",
                                              str(plain_out), "--to", args.to, "--jobs",
                                              str(args.jobs), *MAKE_REPORT_FLAGS]))  # fmt: skip
                measure(timings["without_pages"], lambda _, s=shell: s, repetition, shell=True)
            if before is not None:
                print(f"before: {args.before}, without pages (run {repetition + 1}):",
                      file=sys.stderr)  # fmt: skip
                shell = _before_command(before, thirdcountry, work / f"before-{repetition}", args)
                measure(timings["before"], lambda _, s=shell: s, repetition, shell=True)
    finally:
        if before is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                           capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)
    results: list[Result] = [
        ratio("one-event edit / full plan", timings["edit"], timings["full"], ("<=", TARGET))
    ]
    if args.growth:
        results.append(growth("full run growth from the pages", timings["full"],
                              timings["without_pages"]))  # fmt: skip
    if before is not None:
        results.append(growth(f"full run growth since {args.before}", timings["full"],
                              timings["before"]))  # fmt: skip
    record = {
        "before": args.before,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "plan": str(args.plan.relative_to(ROOT) if args.plan.is_relative_to(ROOT) else args.plan),
        "event": edited,
        "jobs": args.jobs,
        "formats": args.to,
        "cpus": os.cpu_count(),
        "timings": {key: value.record() for key, value in timings.items() if value.runs},
        "rendered_of": counts,
        "results": [
            {
                "name": r.name,
                "value": r.value,
                "low": r.low,
                "high": r.high,
                "unit": r.unit,
                "verdict": r.verdict,
            }
            for r in results
        ],
    }
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "incremental.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"plan {record['plan']}, edited event {edited}, --jobs {args.jobs}, --to {args.to}")
    for step in ("full", "edit", "without_pages", "before"):
        timing = timings[step]
        if timing.runs:
            shown = counts.get(step, [])
            note = f"; rendered {shown[0][0]} of {shown[0][1]}" if shown else ""
            print(f"  {step:14s} median {timing.median:7.1f} s (min {timing.low:.1f}, max "
                  f"{timing.high:.1f}), CPU {timing.cpu[0]:.1f} s{note}")  # fmt: skip
    for result in results:
        print(f"  {result.name}: {_shown(result)} ({_shown_range(result)}) {result.verdict}")


def growth(name: str, more: Timing, less: Timing) -> Result:
    """How much longer `more` took than `less`, as a share (0.4: +40%), against the goal."""
    grown = ratio(name, more, less)
    return Result(name, grown.value - 1, grown.low - 1, grown.high - 1, "%",
                  ("<=", GROWTH_TARGET))  # fmt: skip


def _before_tree(ref: str, work: Path) -> Path:
    """A temporary worktree of ref (removed at the end)."""
    tree = work / "before-tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                   check=True, capture_output=True)  # fmt: skip
    return tree


def _before_command(tree: Path, thirdcountry: str, out: Path, args) -> str:
    """The tree's plan without pages, rendered by the tree's code (first on PYTHONPATH, so the
    same installed packages run it) from a copy of its data."""
    data = out.with_name(out.name + "-data")
    shutil.copytree(tree / "data", data)
    plan = without_pages(tree / "reports.yml", out.with_name(out.name + ".yml"))
    command = [thirdcountry, "render", "--plan", str(plan), "--data", str(data), "--out",
               str(out), "--to", args.to, "--jobs", str(args.jobs), *MAKE_REPORT_FLAGS]  # fmt: skip
    return f"PYTHONPATH={_quote(str(tree / 'src'))} " + " ".join(map(_quote, command))


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _shown(result: Result) -> str:
    if result.unit == "%":
        return f"{result.value * 100:+.1f}%"
    return f"{result.value:.3f}"


def _shown_range(result: Result) -> str:
    if result.unit == "%":
        return f"{result.low * 100:+.1f}% to {result.high * 100:+.1f}%"
    return f"{result.low:.3f} to {result.high:.3f}"


if __name__ == "__main__":
    main()
