"""The lower bound for benchmark 1: the overview's charts drawn to PNG by a plain script.

Same data, same chart code and the same PNG encoding as the overview report, without a kernel,
papermill, nbconvert or HTML. Usage: python bench/plain_charts.py OUT_DIR
"""

import sys
from pathlib import Path

from thirdcountry.report import Overview

CHARTS = ("status_board", "status_history_chart", "status_counts_chart", "event_timeline")


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    overview = Overview()
    for name in CHARTS:
        getattr(overview, name)().save(out / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1])
