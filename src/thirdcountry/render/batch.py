"""Rendering reports, one or hundreds: execute, convert, write atomically, record, index.

The thirdcountry process checks the parameters, then starts a pool of worker processes (forked
from it, `--jobs` of them) and checks the fact base while they boot their first kernels. Each
worker runs papermill and nbconvert through their Python APIs and keeps its imports and its HTML
exporter from one report to the next; while one report converts to HTML and PDF, the worker's
next kernel starts and imports the slow modules. A worker dies with the thirdcountry process
(even on SIGKILL); kernels die with their worker.

This module runs the batch; the parts are elsewhere, and none of them imports this one:

    render.jobs            the jobs, settings, run context and results
    render.job_planning    each report's inputs and last good run; what a scheduled run skips
    render.pool            the local pool of worker processes
    render.worker_kernels  a worker's spare kernels
    render.produce         one report: executed, converted, then moved into place
    render.run_record      its run.json
    render.progress_events what the progress callback is told
    render.cluster         the Dask executor (`--executor dask`), on the client's side
    render.dask_worker     what runs on a Dask worker
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from thirdcountry.render.job_planning import plan_jobs
from thirdcountry.render.jobs import (
    JobPlan,
    ReportJob,
    Result,
    RunContext,
    Settings,
    Summary,
    data_info,
    run_provenance,
)
from thirdcountry.render.outputs import SNAPSHOT_FILE, session
from thirdcountry.render.pool import start_pool
from thirdcountry.render.progress_events import Notify, ProgressEvent
from thirdcountry.render.scrub import scrubber_for

if TYPE_CHECKING:  # loaded by the CLI or check_data; importing facts here would slow startup
    from thirdcountry.facts import FactBase


# ---- the batch -------------------------------------------------------------------------------


def render_reports(
    jobs: Sequence[ReportJob],
    settings: Settings,
    progress: Notify | None = None,
    check_data: Callable[[], FactBase] | None = None,
    facts: FactBase | None = None,
) -> Summary:
    """Render every job; failures are recorded and reported, never raised.

    With check_data, the worker processes start (and boot their kernels) first, and the fact
    base is loaded and checked meanwhile; if check_data raises, nothing is rendered or written
    and the error propagates. settings.data and facts then come from what check_data returns.

    Every report keeps a snapshot of the fact base it was made from beside it (facts.zip: the
    data package, descriptor, CSVs and stored texts), which the report links. A scheduled run
    (settings.if_changed or force) needs `facts`, the loaded fact base, up front: it tells each
    report's kernel about the report's last good run. With if_changed, a report whose inputs
    equal its last good run's is skipped, and no worker starts if every report is.

    Raises LockBusy if another run holds the reports folder for longer than settings.wait.
    """
    import dataclasses

    started = time.monotonic()
    found_at = dt.datetime.now(dt.UTC).replace(microsecond=0)  # the feeds' time for this run
    summary = Summary()
    notify = progress or (lambda event, info: None)
    jobs = list(jobs)
    on_wait = None
    if progress is not None:

        def on_wait(wait):
            notify(ProgressEvent.WAITING, {"lock": settings.layout.lock, "wait": wait})

    with session(settings.layout, quiet=progress is None, wait=settings.wait,
                 on_wait=on_wait) as temp_dir:  # fmt: skip
        executor: Executor | None = None
        workers = max(1, min(settings.jobs, len(jobs)))
        try:
            if jobs and check_data is not None and settings.executor == "pool":
                executor = start_pool(workers, settings.data.path, jobs[0], temp_dir)
            if check_data is not None:
                facts = check_data()
                settings = dataclasses.replace(settings, data=data_info(facts))
            plans, skipped = plan_jobs(jobs, settings, facts)
            to_run = [job for job in jobs if job.label in plans]
            snapshot = None
            if facts is not None and to_run:
                from thirdcountry.facts.snapshot import write_snapshot

                snapshot = write_snapshot(facts, temp_dir / SNAPSHOT_FILE)
            context = RunContext(
                settings=settings,
                temp_dir=temp_dir,
                provenance=run_provenance(),
                scrubber=scrubber_for(
                    (settings.data.path, settings.data.path.name),
                    (settings.layout.root, settings.layout.root.name),
                    (temp_dir, "[tmp]"),
                ),
                snapshot=snapshot,
            )
            workers = max(1, min(settings.jobs, len(to_run)))
            if executor is None and to_run:
                if settings.executor == "dask":
                    from thirdcountry.render.cluster import start_dask

                    executor = start_dask(settings, workers, context, facts, notify)
                else:
                    executor = start_pool(workers, settings.data.path, to_run[0], temp_dir)
            if executor is not None:
                workers = executor.workers
        except BaseException:
            if executor is not None:
                executor.stop()
            raise
        start = {"total": len(to_run), "workers": workers, "skipped": len(skipped)}
        notify(ProgressEvent.START, start)
        for result in skipped:
            summary.results.append(result)
            notify(ProgressEvent.SKIPPED, {"result": result})
        try:
            _run_batch(executor, to_run, plans, context, summary, notify)
            if settings.scheduled and facts is not None:
                summary.feed = _update_feeds(settings, facts, jobs, temp_dir, found_at, notify)
                from thirdcountry.render.sqlite_export import export_beside_reports

                summary.database = export_beside_reports(settings.layout.root, facts)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            from thirdcountry.render.index import write_index

            summary.index = write_index(settings.layout, temp_dir)
    summary.seconds = time.monotonic() - started
    return summary


def _update_feeds(settings: Settings, facts, jobs, temp_dir: Path, found_at, notify: Notify):
    """The change feeds (render.feed_files), linking into the plan's main overview."""
    from thirdcountry.render.feed_files import feed_report_path, update_feeds

    path = feed_report_path([(job.notebook, job.slug) for job in jobs], settings.formats)
    update = update_feeds(settings.layout, facts, temp_dir, found_at, settings.base_url, path)
    notify(ProgressEvent.FEED, {"update": update})
    return update


# ---- executors: where reports are rendered ----------------------------------------------------


class Executor(Protocol):
    """Where the reports of a batch run: the local process pool, or a Dask cluster
    (render.cluster). Both hand out futures in the manner of concurrent.futures."""

    workers: int  # reports rendered at the same time

    def submit(self, job: ReportJob, context: RunContext, more_to_come: bool,
               plan: JobPlan) -> Any: ...  # fmt: skip

    def wait(self, futures: Collection[Any], timeout: float) -> set[Any]:
        """The futures among these that are done, waiting up to timeout for the first."""
        ...

    def running(self, futures: Mapping[Any, ReportJob]) -> list[str]:
        """The labels of the reports being rendered now."""
        ...

    def outcome(self, future: Any, job: ReportJob, context: RunContext, plan: JobPlan) -> Any:
        """A done future's Result, in place; or a new future when the report is tried again."""
        ...

    def shutdown(self) -> None:
        """Every report is done: release the workers."""
        ...

    def stop(self) -> None:
        """Interrupted: cancel what is left and stop the workers now."""
        ...


def _run_batch(
    executor: Executor | None, jobs: list[ReportJob], plans, context, summary, notify: Notify
) -> None:
    """Submit every report, then collect each as it completes (or submit it again)."""
    if not jobs:
        if executor is not None:
            executor.shutdown()
        return
    assert executor is not None
    workers = executor.workers
    try:
        pending: dict[Any, ReportJob] = {
            executor.submit(job, context, len(jobs) - number > workers, plans[job.label]): job
            for number, job in enumerate(jobs, start=1)
        }
        while pending:
            notify(ProgressEvent.TICK, {"running": executor.running(pending)})
            for future in executor.wait(pending, 1.0):
                job = pending.pop(future)
                outcome = executor.outcome(future, job, context, plans[job.label])
                if isinstance(outcome, Result):
                    summary.results.append(outcome)
                    notify(ProgressEvent.DONE, {"result": outcome})
                else:  # tried again
                    pending[outcome] = job
        executor.shutdown()
    except BaseException:
        # Interrupted: stop the workers now (their kernels follow them); temp files are removed
        # by the session, and no report folder ever holds a partial file.
        executor.stop()
        raise
