"""Rendering reports, one or hundreds: execute, convert, write atomically, record, index.

The thirdcountry process checks the parameters, then starts a pool of worker processes (forked
from it, `--jobs` of them) and checks the fact base while they boot their first kernels. Each
worker runs papermill and nbconvert through their Python APIs and keeps its imports and its HTML
exporter from one report to the next; while one report converts to HTML and PDF, the worker's
next kernel starts and imports the slow modules. A worker dies with the thirdcountry process
(even on SIGKILL); kernels die with their worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from thirdcountry.paths import DEFAULT_BASE_URL, PROJECT_ROOT
from thirdcountry.render.outputs import (
    FILES,
    RUN_FILE,
    SNAPSHOT_FILE,
    Layout,
    json_text,
    move_into_place,
    remove_tree,
    session,
    side_files,
)
from thirdcountry.render.scrub import ANSI, Scrubber, scrubber_for

if TYPE_CHECKING:  # loaded by the CLI or check_data; importing facts here would slow startup
    from thirdcountry.facts import FactBase


@dataclass(frozen=True)
class ReportJob:
    notebook: str
    notebook_path: Path
    parameters: dict
    slug: str
    # A report of a dated series (render/periods.py): {"parameter", "every", "period", "group"}.
    series: dict | None = None
    # The notebook's DataFolder parameter, which --data sets: run.json shows the folder's name.
    data_parameter: str | None = None

    @property
    def label(self) -> str:
        return f"{self.notebook}/{self.slug}"


@dataclass(frozen=True)
class DataInfo:
    """The fact base a run uses, as shared output may show it: its folder's name, not path."""

    path: Path
    content_hash: str
    latest_event: str | None

    @property
    def record(self) -> dict:
        return {
            "folder": self.path.name,
            "content_hash": self.content_hash,
            "latest_event": self.latest_event,
        }


@dataclass(frozen=True)
class Settings:
    layout: Layout
    data: DataInfo
    formats: tuple[str, ...] = ("html", "pdf")
    pdf_engine: str = "weasyprint"
    timeout: float = 600.0
    jobs: int = 1
    if_changed: bool = False  # skip a report whose inputs equal its last good run's
    force: bool = False  # scheduled, but render every report even if unchanged
    keep: int | None = None  # good runs kept per report under _history/ (None: leave as is)
    wait: float | None = None  # seconds to wait for another run's lock (None: as long as it takes)
    executor: str = "pool"  # pool: local worker processes; dask: a Dask cluster (render.cluster)
    scheduler: str | None = None  # dask: a running scheduler's address (None: a LocalCluster)
    retries: int = 1  # dask: times a report is sent again after its worker died
    worker_wait: float = 120.0  # dask: seconds without any worker before the rest fail
    base_url: str = DEFAULT_BASE_URL  # where the reports folder is published (the feeds' links)

    @property
    def scheduled(self) -> bool:
        """A scheduled run keeps its facts and compares each report with its last good run."""
        return self.if_changed or self.force


@dataclass(frozen=True)
class JobPlan:
    """What the thirdcountry process works out for one report before it is rendered."""

    inputs: dict  # render.history.report_inputs, recorded in run.json
    env: dict  # for this report's kernel: its previous good run (scheduled runs)
    compared_with: dict | None = None  # that previous run, as run.json records it


@dataclass(frozen=True)
class _Context:
    """What every worker needs, computed once by the thirdcountry process."""

    settings: Settings
    temp_dir: Path
    provenance: dict
    scrubber: Scrubber
    snapshot: Path | None = None  # facts.zip of this run's fact base, kept beside every report


@dataclass
class Result:
    label: str
    notebook: str
    slug: str
    outcome: str  # ok, failed, timeout, skipped
    duration: float
    error: str | None = None
    where: Path | None = None  # the report folder, or the _failed folder
    previous: str | None = None  # skipped: when the good run it equals started


@dataclass
class Summary:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    index: Path | None = None
    interrupted: bool = False
    feed: object | None = None  # render.feed.FeedUpdate of a scheduled run

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.outcome not in ("ok", "skipped")]

    @property
    def skipped(self) -> list[Result]:
        return [r for r in self.results if r.outcome == "skipped"]

    @property
    def rendered(self) -> list[Result]:
        return [r for r in self.results if r.outcome != "skipped"]


def data_info(facts) -> DataInfo:
    from thirdcountry.analysis import latest_event_date

    latest = latest_event_date(facts)
    return DataInfo(facts.data_dir, facts.content_hash, latest.isoformat() if latest else None)


def run_provenance() -> dict:
    import platform

    from thirdcountry.provenance import code_version, dependency_versions, git_state

    return {
        "thirdcountry_version": code_version(),
        "git": git_state(),
        "python": platform.python_version(),
        "dependencies": dependency_versions(),
    }


# ---- the batch -------------------------------------------------------------------------------


def render_reports(
    jobs: Sequence[ReportJob],
    settings: Settings,
    progress: Callable[[str, dict], None] | None = None,
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
            notify("waiting", {"lock": settings.layout.lock, "wait": wait})

    with session(settings.layout, quiet=progress is None, wait=settings.wait,
                 on_wait=on_wait) as temp_dir:  # fmt: skip
        executor: Executor | None = None
        workers = max(1, min(settings.jobs, len(jobs)))
        try:
            if jobs and check_data is not None and settings.executor == "pool":
                executor = _start_pool(workers, settings.data.path, jobs[0], temp_dir)
            if check_data is not None:
                facts = check_data()
                settings = dataclasses.replace(settings, data=data_info(facts))
            plans, skipped = _plan_jobs(jobs, settings)
            to_run = [job for job in jobs if job.label in plans]
            snapshot = None
            if facts is not None and to_run:
                from thirdcountry.facts.snapshot import write_snapshot

                snapshot = write_snapshot(facts, temp_dir / SNAPSHOT_FILE)
            context = _Context(
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
                    executor = _start_pool(workers, settings.data.path, to_run[0], temp_dir)
            if executor is not None:
                workers = executor.workers
        except BaseException:
            if executor is not None:
                executor.stop()
            raise
        notify("start", {"total": len(to_run), "workers": workers, "skipped": len(skipped)})
        for result in skipped:
            summary.results.append(result)
            notify("skipped", {"result": result})
        try:
            _run_batch(executor, to_run, plans, context, summary, notify)
            if settings.scheduled and facts is not None:
                summary.feed = _update_feeds(settings, facts, jobs, temp_dir, found_at, notify)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            from thirdcountry.render.index import write_index

            summary.index = write_index(settings.layout, temp_dir)
    summary.seconds = time.monotonic() - started
    return summary


def _update_feeds(settings: Settings, facts, jobs, temp_dir: Path, found_at, notify):
    """The change feeds (render.feed), linking into the plan's main overview."""
    from thirdcountry.render.feed import feed_report_path, update_feeds

    path = feed_report_path([(job.notebook, job.slug) for job in jobs], settings.formats)
    update = update_feeds(settings.layout, facts, temp_dir, found_at, settings.base_url, path)
    notify("feed", {"update": update})
    return update


# ---- executors: where reports are rendered ----------------------------------------------------


class Executor(Protocol):
    """Where the reports of a batch run: the local process pool, or a Dask cluster
    (render.cluster). Both hand out futures in the manner of concurrent.futures."""

    workers: int  # reports rendered at the same time

    def submit(self, job: ReportJob, context: _Context, more_to_come: bool,
               plan: JobPlan) -> Any: ...  # fmt: skip

    def wait(self, futures: Collection[Any], timeout: float) -> set[Any]:
        """The futures among these that are done, waiting up to timeout for the first."""
        ...

    def running(self, futures: Mapping[Any, ReportJob]) -> list[str]:
        """The labels of the reports being rendered now."""
        ...

    def outcome(self, future: Any, job: ReportJob, context: _Context, plan: JobPlan) -> Any:
        """A done future's Result, in place; or a new future when the report is tried again."""
        ...

    def shutdown(self) -> None:
        """Every report is done: release the workers."""
        ...

    def stop(self) -> None:
        """Interrupted: cancel what is left and stop the workers now."""
        ...


class _Pool:
    """The local process pool: worker processes forked from this one, each placing its own
    reports (the reports folder is on this machine)."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int):
        self.pool = pool
        self.workers = workers

    def submit(self, job, context, more_to_come, plan) -> Future:
        return self.pool.submit(render_one, job, context, more_to_come, plan)

    def wait(self, futures, timeout):
        done, _ = wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def running(self, futures):
        return [job.label for future, job in futures.items() if future.running()][: self.workers]

    def outcome(self, future, job, context, plan):
        try:
            return future.result()
        except Exception as exc:  # the worker itself died
            return Result(job.label, job.notebook, job.slug, "failed", 0.0,
                          f"worker stopped: {type(exc).__name__}: {exc}")  # fmt: skip

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)

    def stop(self) -> None:
        from thirdcountry.render.compat import pool_processes

        for process in pool_processes(self.pool):
            with contextlib.suppress(Exception):
                process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)


def _start_pool(workers: int, data_dir: Path, first: ReportJob, temp_dir: Path) -> _Pool:
    """The worker processes, started now: their kernels boot while this process goes on."""
    import multiprocessing

    setup = _WorkerSetup(data_dir=data_dir, kernel_cwd=first.notebook_path.parent,
                         log_dir=temp_dir)  # fmt: skip
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(setup,),
    )
    pool.submit(int)
    return _Pool(pool, workers)


def _run_batch(
    executor: Executor | None, jobs: list[ReportJob], plans, context, summary, notify
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
            notify("tick", {"running": executor.running(pending)})
            for future in executor.wait(pending, 1.0):
                job = pending.pop(future)
                outcome = executor.outcome(future, job, context, plans[job.label])
                if isinstance(outcome, Result):
                    summary.results.append(outcome)
                    notify("done", {"result": outcome})
                else:  # tried again
                    pending[outcome] = job
        executor.shutdown()
    except BaseException:
        # Interrupted: stop the workers now (their kernels follow them); temp files are removed
        # by the session, and no report folder ever holds a partial file.
        executor.stop()
        raise


def _plan_jobs(jobs: list[ReportJob], settings: Settings):
    """Each report's inputs and previous good run; the reports that need no rendering."""
    from thirdcountry.render.history import good_run, prune_history, report_inputs

    plans: dict[str, JobPlan] = {}
    skipped: list[Result] = []
    layout = settings.layout
    for job in jobs:
        inputs = report_inputs(
            job.notebook_path,
            job.parameters,
            settings.data.content_hash,
            settings.formats,
            settings.pdf_engine,
        )
        previous = good_run(layout, job.notebook, job.slug) if settings.scheduled else None
        if (
            settings.if_changed
            and not settings.force
            and previous is not None
            and previous.inputs_hash == inputs["hash"]
        ):
            skipped.append(Result(job.label, job.notebook, job.slug, "skipped", 0.0,
                                  where=previous.folder, previous=previous.started))  # fmt: skip
            if settings.keep is not None:
                prune_history(layout, job.notebook, job.slug, settings.keep)
            continue
        compared = None
        if previous is not None:
            compared = {
                "started": previous.started,
                "data": previous.record.get("data"),
                "snapshot": previous.snapshot is not None,
            }
        env = previous.environment() if previous is not None else {}
        plans[job.label] = JobPlan(inputs, env, compared)
    return plans, skipped


# ---- worker processes ------------------------------------------------------------------------


@dataclass(frozen=True)
class _WorkerSetup:
    data_dir: Path
    kernel_cwd: Path
    log_dir: Path


_setup: _WorkerSetup | None = None
_spare = None  # this worker's SpareKernel, if one is started
_finalizer = None  # shuts the spare kernel down when the worker exits


def _worker_start(setup: _WorkerSetup) -> None:
    import signal

    from thirdcountry.render.execute import prepare_process

    global _setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the thirdcountry process handles Ctrl-C
    _die_with_parent()
    prepare_process()
    _setup = setup
    _start_spare(setup.kernel_cwd, import_meanwhile=True)


def use_worker_setup(data_dir: Path, kernel_cwd: Path, log_dir: Path) -> None:
    """A process that is not one of the pool's (a Dask worker) keeps spare kernels too: for
    this fact base and notebook folder, with their logs in log_dir."""
    global _setup
    _setup = _WorkerSetup(data_dir=data_dir, kernel_cwd=kernel_cwd, log_dir=log_dir)


def start_spare_kernel(cwd: Path) -> None:
    """Boot this process's first spare kernel now (a Dask worker, before its first report)."""
    _start_spare(cwd, import_meanwhile=True)


def _start_spare(cwd: Path, import_meanwhile: bool = False) -> None:
    """Boot this worker's next kernel; never fails (the report then starts its own)."""
    global _spare
    if _setup is None or _spare is not None:
        return
    from multiprocessing import util

    from thirdcountry.render.execute import SpareKernel

    spare = None
    try:
        log = _setup.log_dir / f"kernel-{os.getpid()}-{time.monotonic_ns()}.log"
        spare = SpareKernel(_setup.data_dir, cwd, log)
        spare.warm_up()
    except Exception:
        if spare is not None:
            spare.shutdown()
        return
    _spare = spare
    global _finalizer
    if _finalizer is None:
        _finalizer = util.Finalize(None, _shutdown_spare, exitpriority=10)
    if import_meanwhile:  # while the kernel boots
        with contextlib.suppress(Exception):
            import papermill  # noqa: F401

            from thirdcountry.render.execute import _register_engine

            _register_engine()


def _take_spare(cwd: Path):
    global _spare
    spare, _spare = _spare, None
    if spare is not None and not spare.fits(_setup.data_dir if _setup else None, cwd):
        spare.shutdown()
        return None
    return spare


def _shutdown_spare() -> None:
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        spare.shutdown()


def _die_with_parent() -> None:
    """Linux: this worker gets SIGKILL when the thirdcountry process dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


# ---- one report, in a worker -----------------------------------------------------------------


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


def render_one(
    job: ReportJob, context: _Context, more_to_come: bool = False, plan: JobPlan | None = None
) -> Result:
    """One report, in a worker of the local pool: made, then moved into place."""
    work = context.temp_dir / f"{job.notebook}--{job.slug}"
    produced = produce(job, context, work, more_to_come, plan)
    return place(produced, job, context)


def produce(
    job: ReportJob,
    context: _Context,
    work: Path,
    more_to_come: bool = False,
    plan: JobPlan | None = None,
    notebook_file: str | None = None,
) -> Produced:
    """Execute and convert one report in `work`. more_to_come: start the next kernel while this
    one converts. notebook_file: the notebook as run.json names it (default: from its path)."""
    settings = context.settings
    notebook_file = notebook_file or _shown_notebook_path(job.notebook_path)
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
            kernel=_take_spare(job.notebook_path.parent),
            extra_env=plan.env if plan is not None else None,
        )
        nb, outcome, error = execution.notebook, execution.outcome, execution.error
        if more_to_come:
            _start_spare(job.notebook_path.parent)
    except Exception as exc:  # a bug on our side, not the notebook's
        message = _one_line(context.scrubber, exc)
        return Produced("failed", time.monotonic() - clock, {}, {}, message)
    warm.join()
    _relative_metadata(nb, job, notebook_file)
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
    record = _run_record(
        job, context, started, duration, outcome, error, title, files, plan, notebook_file
    )
    if outcome == "ok":
        moved = {p.relative_to(work).as_posix(): p for p in files.values()}
        return Produced(outcome, duration, record, moved)
    failed = _failed_files(nb, job, record, work, context)
    message = f"{record['error']['ename']}: {record['error']['evalue']}" if record["error"] else ""
    return Produced(outcome, duration, record, failed, message)


def place(produced: Produced, job: ReportJob, context: _Context) -> Result:
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


def _failed_files(nb, job, record, work: Path, context: _Context) -> dict[str, Path]:
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
        record.setdefault("notes", []).append(f"no HTML copy: {_one_line(context.scrubber, exc)}")
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


def _relative_metadata(nb, job: ReportJob, notebook_file: str) -> None:
    """papermill records where the notebook came from and went; keep those names relative."""
    papermill = nb.metadata.setdefault("papermill", {})
    papermill["input_path"] = notebook_file
    papermill["output_path"] = f"{job.notebook}/{job.slug}/{FILES['ipynb']}"
    papermill["environment_variables"] = {}


def _shown_notebook_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def _run_record(
    job, context: _Context, started, duration, outcome, error, title, files, plan, notebook_file
) -> dict:
    settings = context.settings
    finished = started + dt.timedelta(seconds=duration)
    record = {
        "report": job.label,
        "notebook": job.notebook,
        "notebook_file": notebook_file,
        "slug": job.slug,
        "title": title,
        "parameters": {
            **job.parameters,
            **({job.data_parameter: settings.data.path.name} if job.data_parameter else {}),
        },
        "series": job.series,
        "outcome": outcome,
        "error": _error_record(error, context.scrubber) if error else None,
        "started": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "finished": finished.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "duration_s": round(duration, 3),
        "timeout_s": settings.timeout,
        "formats": [f for f in settings.formats if outcome == "ok"],
        "pdf_engine": settings.pdf_engine if "pdf" in settings.formats else None,
        "files": {kind: FILES[kind] for kind in files if kind in FILES},
        "tables": sorted(name for name in files if name not in FILES),
        "data": settings.data.record,
        "inputs": plan.inputs if plan is not None else None,
        "compared_with": plan.compared_with if plan is not None else None,
        **context.provenance,
    }
    return record


def _error_record(error: dict, scrubber: Scrubber) -> dict:
    lines: list[str] = []
    for chunk in error.get("traceback") or []:
        lines += ANSI.sub("", str(chunk)).rstrip("\n").split("\n")
    return {
        "ename": scrubber.diagnostic(str(error.get("ename", ""))),
        "evalue": scrubber.diagnostic(ANSI.sub("", str(error.get("evalue", "")))),
        "cell": error.get("cell"),
        "stage": error.get("stage", "execute"),
        "traceback": [scrubber.diagnostic(line) for line in lines],
    }


def _one_line(scrubber: Scrubber, exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}").strip()
    return scrubber.diagnostic(text)[:500]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
