"""A render's log on stderr: one plain, greppable line per event with a UTC timestamp, or with
--log-json one JSON object per line. It is also the render's progress callback, and on a terminal
it keeps the live progress line (render.progress) below the log lines.

    2026-03-12T10:00:01Z INFO render started: 1 report, out=reports, data=facts 3f2a9c81d0e4
    2026-03-12T10:00:01Z INFO skipped overview/default: unchanged since its good run of ...
    2026-03-12T10:00:05Z ERROR failed country/country-gtm after 3.1 s: KeyError: 'x'
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class RunLog:
    def __init__(
        self,
        stream: TextIO | None = None,
        json_lines: bool = False,
        level: str = "info",
        progress=None,
        root: Path | None = None,
    ):
        self.stream = stream or sys.stderr
        self.json_lines = json_lines
        self.threshold = LEVELS[level]
        self.progress = progress  # a live render.progress.Progress, or None
        self.root = root  # the reports folder: places are logged relative to it

    # ---- writing ---------------------------------------------------------------------------
    def log(self, level: str, event: str, message: str, **fields) -> None:
        if LEVELS[level] < self.threshold:
            return
        if self.json_lines:
            record: dict[str, object] = {
                "time": _now(),
                "level": level,
                "event": event,
                "message": message,
            }
            record.update({k: _plain(v) for k, v in fields.items() if v is not None})
            line = json.dumps(record, ensure_ascii=False, sort_keys=False)
        else:
            line = f"{_now()} {level.upper()} {message}"
        live = self.progress is not None and self.progress.live
        if live:
            self.progress.clear()
        self.stream.write(line + "\n")
        self.stream.flush()
        if live:
            self.progress.redraw()

    def info(self, event: str, message: str, **fields) -> None:
        self.log("info", event, message, **fields)

    def warning(self, event: str, message: str, **fields) -> None:
        self.log("warning", event, message, **fields)

    def error(self, event: str, message: str, **fields) -> None:
        self.log("error", event, message, **fields)

    def place(self, path: Path | None) -> str | None:
        if path is None:
            return None
        if self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return str(path)

    # ---- the render's progress callback ------------------------------------------------------
    def __call__(self, event: str, info: dict) -> None:
        if self.progress is not None:
            self.progress(event, info)
        if event == "waiting":
            wait = info.get("wait")
            limit = "as long as it takes" if wait is None else f"up to {wait:g} s (--wait)"
            self.warning("waiting", f"waiting {limit}: another run holds {info['lock']}",
                         lock=str(info["lock"]), wait=wait)  # fmt: skip
        elif event == "skipped":
            result = info["result"]
            self.info(
                "skipped",
                f"skipped {result.label}: unchanged since its good run of {result.previous}",
                report=result.label,
                outcome="skipped",
                previous=result.previous,
                where=self.place(result.where),
            )
        elif event == "done":
            result = info["result"]
            fields = {
                "report": result.label,
                "outcome": result.outcome,
                "seconds": round(result.duration, 2),
                "where": self.place(result.where),
            }
            if result.outcome == "ok":
                self.info("done", f"ok {result.label} in {result.duration:.1f} s", **fields)
            else:
                where = self.place(result.where)
                self.error(
                    "done",
                    f"{result.outcome} {result.label} after {result.duration:.1f} s: "
                    f"{result.error or ''}" + (f" (the failed run: {where})" if where else ""),
                    error=result.error,
                    **fields,
                )


def _plain(value: object) -> object:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
