"""A one-line progress display on stderr: reports done and left, and what is running now.

Only on a terminal, where the line redraws itself; elsewhere (cron, CI, files) the render's log
(render.log) says the same in one line per report.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from thirdcountry.render.progress_events import ProgressEvent


class Progress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = 0
        self.done = 0
        self.failed = 0
        self.running: list[str] = []
        self.started = time.monotonic()
        self._width = 0

    def __call__(self, event: ProgressEvent, info: dict) -> None:
        if event is ProgressEvent.START:
            self.total = info["total"]
            self.started = time.monotonic()
        elif event is ProgressEvent.TICK:
            self.running = info["running"]
        elif event is ProgressEvent.DONE:
            result = info["result"]
            self.done += 1
            self.failed += result.outcome != "ok"
            self.running = [label for label in self.running if label != result.label]
        if self.live and event in (ProgressEvent.START, ProgressEvent.TICK, ProgressEvent.DONE):
            self._draw()

    def clear(self) -> None:
        """Blank the line, so that a log line can be written in its place."""
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0

    def redraw(self) -> None:
        if self.live and self.total:
            self._draw()

    def _draw(self) -> None:
        columns = shutil.get_terminal_size((100, 20)).columns
        bar_width = 20
        filled = round(bar_width * self.done / self.total) if self.total else bar_width
        bar = "#" * filled + "-" * (bar_width - filled)
        left = self.total - self.done
        line = f"[{bar}] {self.done}/{self.total} done, {left} left"
        if self.failed:
            line += f", {self.failed} failed"
        line += f" · {time.monotonic() - self.started:.0f} s"
        if self.running:
            line += " · now: " + ", ".join(self.running)
        line = line[: columns - 1]
        self.stream.write("\r" + line.ljust(self._width))
        self._width = len(line)
        self.stream.flush()

    def close(self) -> None:
        if self.live and self._width:
            self.stream.write("\n")
            self.stream.flush()
        self.live = False  # later log lines go below the last drawn line
