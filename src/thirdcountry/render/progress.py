"""A one-line progress bar on stderr (tqdm): reports done and left, failures, and what is
running now.

Only on a terminal, where the line redraws itself; elsewhere (cron, CI, files) the render's log
(render.log) says the same in one line per report.
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from thirdcountry.render.progress_events import ProgressEvent

BAR_FORMAT = "[{bar:20}] {n_fmt}/{total_fmt} done{postfix} · {elapsed_s:.0f} s{desc}"


class Progress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.failed = 0
        self.running: list[str] = []
        self.bar: tqdm | None = None

    def __call__(self, event: ProgressEvent, info: dict) -> None:
        if not self.live:
            return
        if event is ProgressEvent.START:
            self._close_bar()
            self.bar = tqdm(total=info["total"], file=self.stream, bar_format=BAR_FORMAT,
                            ascii="-#", dynamic_ncols=True, postfix=f"{info['total']} left",
                            mininterval=0)  # fmt: skip
        elif event is ProgressEvent.TICK:
            self.running = info["running"]
        elif event is ProgressEvent.DONE and self.bar is not None:
            result = info["result"]
            self.failed += result.outcome != "ok"
            self.running = [label for label in self.running if label != result.label]
            self.bar.n += 1  # drawn by _describe, with the counts below
        if self.bar is not None and event in (ProgressEvent.START, ProgressEvent.TICK,
                                              ProgressEvent.DONE):  # fmt: skip
            self._describe()

    def _describe(self) -> None:
        assert self.bar is not None
        left = (self.bar.total or 0) - self.bar.n
        self.bar.set_postfix_str(
            f"{left} left" + (f", {self.failed} failed" if self.failed else ""), refresh=False
        )
        self.bar.set_description_str(
            " · now: " + ", ".join(self.running) if self.running else "", refresh=False
        )
        self.bar.refresh()

    def clear(self) -> None:
        """Blank the line, so that a log line can be written in its place."""
        if self.bar is not None:
            self.bar.clear()

    def redraw(self) -> None:
        if self.bar is not None:
            self.bar.refresh()

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()  # leaves the last line drawn, and moves below it
            self.bar = None

    def close(self) -> None:
        self._close_bar()
        self.live = False  # later log lines go below the last drawn line
