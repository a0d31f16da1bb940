"""A render's log on stderr, through the standard library's logging: one plain, greppable line
per event with a UTC timestamp, or with --log-json one JSON object per line (python-json-logger).
It is also the render's progress callback, and on a terminal it keeps the live progress line
(render.progress) below the log lines.

    2026-03-12T10:00:01Z INFO render started: 1 report, out=reports, data=facts 3f2a9c81d0e4
    2026-03-12T10:00:01Z INFO skipped overview/default: unchanged since its good run of ...
    2026-03-12T10:00:05Z ERROR failed country/country-gtm after 3.1 s: KeyError: 'x'
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from thirdcountry.render.progress_events import ProgressEvent

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}  # fmt: skip
LOGGER_NAME = "thirdcountry.render"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class _PlainFormatter(logging.Formatter):
    """`2026-03-12T10:00:01Z INFO message`: UTC, to the second."""

    converter = time.gmtime  # type: ignore[assignment]  # typeshed: gmtime() without its argument

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s", datefmt=TIME_FORMAT)


class _JsonLinesFormatter(JsonFormatter):
    """One object a line: time, level (lower case), event, message, then the event's fields."""

    converter = time.gmtime  # type: ignore[assignment]  # typeshed: gmtime() without its argument

    def __init__(self) -> None:
        super().__init__(
            "{asctime}{levelname}{event}{message}",
            style="{",
            datefmt=TIME_FORMAT,
            rename_fields={"asctime": "time", "levelname": "level"},
            json_ensure_ascii=False,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        log_data["level"] = str(log_data.get("level", "")).lower()
        return log_data


class _StreamHandler(logging.StreamHandler):
    """Writes each line above a live progress line, which is cleared and drawn again."""

    def __init__(self, stream: TextIO, progress) -> None:
        super().__init__(stream)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        live = self.progress is not None and self.progress.live
        if live:
            self.progress.clear()
        super().emit(record)
        if live:
            self.progress.redraw()


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
        self.progress = progress  # a live render.progress.Progress, or None
        self.root = root  # the reports folder: places are logged relative to it
        # A logger of this run's own (not in logging's registry): two runs in one process, or a
        # refusal and a run, never share handlers.
        self.logger = logging.Logger(LOGGER_NAME, LEVELS[level])
        handler = _StreamHandler(self.stream, progress)
        handler.setFormatter(_JsonLinesFormatter() if json_lines else _PlainFormatter())
        self.logger.addHandler(handler)

    # ---- writing ---------------------------------------------------------------------------
    def log(self, level: str, event: str, message: str, **fields) -> None:
        extra = {"event": event, **{k: _plain(v) for k, v in fields.items() if v is not None}}
        self.logger.log(LEVELS[level], message, extra=extra)

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
    def __call__(self, event: ProgressEvent, info: dict) -> None:
        if self.progress is not None:
            self.progress(event, info)
        if event is ProgressEvent.WAITING:
            wait = info.get("wait")
            limit = "as long as it takes" if wait is None else f"up to {wait:g} s (--wait)"
            self.warning("waiting", f"waiting {limit}: another run holds {info['lock']}",
                         lock=str(info["lock"]), wait=wait)  # fmt: skip
        elif event is ProgressEvent.CLUSTER:
            workers = info["workers"]
            cluster = "a LocalCluster" if info["local"] else f"the scheduler {info['scheduler']}"
            self.info("cluster", f"rendering on {cluster}: {workers} worker thread"
                      f"{'s' * (workers != 1)}, each with this thirdcountry version",
                      scheduler=None if info["local"] else info["scheduler"],
                      workers=workers)  # fmt: skip
        elif event is ProgressEvent.RETRY:
            self.warning(
                "retry",
                f"retrying {info['label']} ({info['attempt']} of {info['retries']}): its worker "
                f"was lost ({info['reason']})",
                report=info["label"],
                attempt=info["attempt"],
                reason=info["reason"],
            )
        elif event is ProgressEvent.WAITING_WORKERS:
            self.info("waiting-workers", f"waiting up to {info['wait']:g} s (--worker-wait) for "
                      f"a worker on {info['scheduler']}", scheduler=info["scheduler"],
                      wait=info["wait"])  # fmt: skip
        elif event is ProgressEvent.REFUSED:
            self.warning("refused", f"{info['reason']}; its reports go to the other workers",
                         worker=info["worker"])  # fmt: skip
        elif event is ProgressEvent.NO_WORKERS:
            left = info["left"]
            reports = f"the {left} reports left are" if left != 1 else "the 1 report left is"
            self.error("no-workers", f"{info['reason']}: {reports} recorded as failed",
                       reason=info["reason"], left=left)  # fmt: skip
        elif event is ProgressEvent.SKIPPED:
            result = info["result"]
            self.info(
                "skipped",
                f"skipped {result.label}: unchanged since its good run of {result.previous}",
                report=result.label,
                outcome="skipped",
                previous=result.previous,
                where=self.place(result.where),
            )
        # A run that changed nothing in the feeds stays quiet.
        elif event is ProgressEvent.FEED and info["update"].written:
            update = info["update"]
            files = ", ".join(update.written)
            self.info(
                "feed",
                f"feeds: {update.added} new of {update.found} changes found, {update.entries} "
                f"kept; wrote {files}",
                found=update.found,
                added=update.added,
                entries=update.entries,
                written=list(update.written),
            )
        elif event is ProgressEvent.DONE:
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
