"""One report, made and placed: papermill executes it in a work folder, nbconvert turns it into
HTML (and PDF), then its files move into the report's folder atomically, run.json last; a failed
run's notebook and HTML copy go to _failed/ instead.

Used in the local pool's workers (render.pool) and on Dask's (render.dask_worker, which places
on the client's side).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.render.jobs import JobPlan, ReportJob, Result, RunContext, Settings
from thirdcountry.render.outputs import (
    FILES,
    RUN_FILE,
    SNAPSHOT_FILE,
    json_text,
    move_into_place,
    remove_tree,
    side_files,
)
from thirdcountry.render.run_record import (
    one_line,
    relative_metadata,
    run_record,
    shown_notebook_path,
)
from thirdcountry.render.scrub import Scrubber
from thirdcountry.render.worker_kernels import keep_spare, take_spare


@dataclass
class Produced:
    """A report made in a work folder, not yet in place: its files and its run record.

    `files` maps each file's name in the target folder to where it is now (run.json is written
    by `place`). An ok report's files go to the report's folder; a failed one's to _failed/.
    """

    outcome: str  # ok, failed, timeout
    duration: float
    record: dict
    files: dict[str, Path]
    error: str | None = None  # one line for the summary


def produce(
    job: ReportJob,
    context: RunContext,
    work: Path,
    more_to_come: bool = False,
    plan: JobPlan | None = None,
    notebook_file: str | None = None,
) -> Produced:
    """Execute and convert one report in `work`. more_to_come: keep this report's kernel for the
    next one (or start one) while this one converts. notebook_file: the notebook as run.json
    names it (default: from its path)."""
    settings = context.settings
    notebook_file = notebook_file or shown_notebook_path(job.notebook_path)
    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    warm = _WarmUp(settings.formats, settings.pdf_engine)
    try:
        from thirdcountry.render.execute import execute_notebook

        execution = execute_notebook(
            job.notebook_path,
            job.parameters,
            settings.data.path,
            settings.timeout,
            kernel_log=work / "kernel.log",
            on_kernel_ready=warm.start,
            kernel=take_spare(job.notebook_path.parent),
            extra_env=plan.env if plan is not None else None,
            keep_kernel=more_to_come,
        )
        nb, outcome, error = execution.notebook, execution.outcome, execution.error
        if more_to_come:  # the next report's kernel: this one, recycled, or a new one
            keep_spare(execution.kernel, job.notebook_path.parent)
    except Exception as exc:  # a bug on our side, not the notebook's
        message = one_line(context.scrubber, exc)
        return Produced("failed", time.monotonic() - clock, {}, {}, message)
    warm.join()
    relative_metadata(nb, job, notebook_file)
    context.scrubber.notebook(nb)
    title = job.label
    files: dict[str, Path] = {}
    if outcome == "ok":
        try:
            files, title = _convert(nb, job, settings, work, context.scrubber)
        except Exception as exc:
            outcome = "failed"
            error = {"ename": type(exc).__name__, "evalue": str(exc), "traceback":
                     traceback.format_exception(exc), "cell": None, "stage": "convert"}  # fmt: skip
    duration = time.monotonic() - clock
    record = run_record(
        job, context, started, duration, outcome, error, title, files, plan, notebook_file
    )
    if outcome == "ok":
        moved = {p.relative_to(work).as_posix(): p for p in files.values()}
        return Produced(outcome, duration, record, moved)
    failed = _failed_files(nb, job, record, work, context)
    message = f"{record['error']['ename']}: {record['error']['evalue']}" if record["error"] else ""
    return Produced(outcome, duration, record, failed, message)


def place(produced: Produced, job: ReportJob, context: RunContext) -> Result:
    """Move a produced report into its folder (or its failure into _failed/), run.json last."""
    settings = context.settings
    if not produced.record:  # nothing was made: a bug on our side, told in one line
        return Result(job.label, job.notebook, job.slug, produced.outcome, produced.duration,
                      produced.error)  # fmt: skip
    files = dict(produced.files)
    work = context.temp_dir / f"{job.notebook}--{job.slug}--placed"
    work.mkdir(parents=True, exist_ok=True)
    record = produced.record
    if produced.outcome == "ok":
        target = settings.layout.report_dir(job.notebook, job.slug)
        record["snapshot"] = SNAPSHOT_FILE if context.snapshot is not None else None
        if context.snapshot is not None:
            files[SNAPSHOT_FILE] = work / SNAPSHOT_FILE
            shutil.copyfile(context.snapshot, files[SNAPSHOT_FILE])
        (work / RUN_FILE).write_text(json_text(record), encoding="utf-8")
        move_into_place({**files, RUN_FILE: work / RUN_FILE}, target)
        remove_tree(settings.layout.failed_dir(job.notebook, job.slug))
        if settings.keep is not None:
            from thirdcountry.render.history import keep_in_history

            with contextlib.suppress(OSError):  # the report is in place; history is a bonus
                keep_in_history(settings.layout, job.notebook, job.slug, settings.keep, work)
        return Result(job.label, job.notebook, job.slug, "ok", produced.duration, where=target)
    target = settings.layout.failed_dir(job.notebook, job.slug)
    (work / RUN_FILE).write_text(json_text(record), encoding="utf-8")
    move_into_place({**files, RUN_FILE: work / RUN_FILE}, target)
    return Result(job.label, job.notebook, job.slug, produced.outcome, produced.duration,
                  produced.error, where=target)  # fmt: skip


def _convert(nb, job: ReportJob, settings: Settings, work: Path, scrubber: Scrubber):
    import nbformat

    from thirdcountry.render.html_export import to_html

    html, title = to_html(nb, fallback_title=job.label)
    files = {"ipynb": work / FILES["ipynb"], "html": work / FILES["html"]}
    files["ipynb"].write_text(nbformat.writes(nb), encoding="utf-8")
    files["html"].write_text(html, encoding="utf-8")
    tables = {name: scrubber.text(text) for name, text in side_files(nb).items()}
    for name, text in tables.items():  # full tables as CSV, linked from the HTML
        files[name] = work / name
        files[name].parent.mkdir(parents=True, exist_ok=True)
        files[name].write_text(text, encoding="utf-8")
    if "pdf" in settings.formats:
        from thirdcountry.render.pdf import html_to_pdf

        files["pdf"] = work / FILES["pdf"]
        html_to_pdf(html, files["pdf"], settings.pdf_engine, work, attachments=tables)
    if "html" not in settings.formats:  # PDF only: the HTML was only the way there
        files["html"].unlink()
        del files["html"]
    return files, title


def _failed_files(nb, job, record, work: Path, context: RunContext) -> dict[str, Path]:
    """The failed run, readable: its notebook with papermill's banner and an HTML copy (run.json,
    which says which of them there are, is written by `place`)."""
    import nbformat

    from thirdcountry.render.html_export import to_html

    failed_work = work / "failed"
    failed_work.mkdir(exist_ok=True)
    files = {FILES["ipynb"]: failed_work / FILES["ipynb"]}
    files[FILES["ipynb"]].write_text(nbformat.writes(nb), encoding="utf-8")
    try:
        html, _ = to_html(nb, fallback_title=f"{job.label} (failed)", failed=True)
        files[FILES["html"]] = failed_work / FILES["html"]
        files[FILES["html"]].write_text(html, encoding="utf-8")
    except Exception as exc:  # keep the notebook and run.json even then
        record.setdefault("notes", []).append(f"no HTML copy: {one_line(context.scrubber, exc)}")
    record["files"] = {key: name for key, name in FILES.items() if name in files}
    return files


class _WarmUp:
    """Load the HTML exporter (and WeasyPrint) while the kernel runs the cells, on the other
    core. Started only once the kernel is ready, when execution needs no more imports: two
    threads importing the same package at once can see it half-initialised."""

    def __init__(self, formats: tuple[str, ...], pdf_engine: str):
        self.formats = formats
        self.pdf_engine = pdf_engine
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._load, name="warm-up", daemon=True)
            self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def _load(self) -> None:
        with contextlib.suppress(Exception):
            from thirdcountry.render.html_export import _exporter

            _exporter()
            if "pdf" in self.formats and self.pdf_engine == "weasyprint":
                from thirdcountry.render.pdf import warm_weasyprint

                warm_weasyprint()
