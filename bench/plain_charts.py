"""The lower bound for benchmark 1: the overview's charts drawn to PNG by a plain script.

Same data, same chart code and the same PNG encoding as the overview report, without a kernel,
papermill, nbconvert or HTML. Usage: python bench/plain_charts.py OUT_DIR
"""

import sys
from pathlib import Path

from thirdcountry.report import Overview

# Every chart the overview notebook shows, in its order (tests/test_bench.py keeps this true).
CHARTS = (
    "status_board",
    "map_chart",
    "status_history_chart",
    "status_counts_chart",
    "event_timeline",
    "numbers.people_sent_chart",
    "numbers.paid_and_sent_chart",
)


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    overview = Overview()
    for name in CHARTS:
        owner: object = overview
        for part in name.split("."):
            owner = getattr(owner, part)
        shown = owner()  # type: ignore[operator]
        if hasattr(shown, "save"):  # an empty chart is a sentence in HTML instead: nothing to draw
            shown.save(out / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1])
