"""A one-line progress display on stderr: reports done and left, and what is running now.

On a terminal the line redraws itself; otherwise (logs, CI) each finished report is one line.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


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

    def __call__(self, event: str, info: dict) -> None:
        if event == "start":
            self.total = info["total"]
            self.started = time.monotonic()
        elif event == "tick":
            self.running = info["running"]
        elif event == "done":
            result = info["result"]
            self.done += 1
            self.failed += result.outcome != "ok"
            self.running = [label for label in self.running if label != result.label]
            if not self.live:
                outcome = "ok" if result.outcome == "ok" else result.outcome.upper()
                self.stream.write(
                    f"[{self.done}/{self.total}] {outcome} {result.label} "
                    f"({result.duration:.1f} s)\n"
                )
                self.stream.flush()
        if self.live:
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
