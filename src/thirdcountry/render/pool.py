"""The local pool: worker processes forked from the thirdcountry process (`--jobs` of them),
each rendering and placing its own reports (the reports folder is on this machine). A worker
keeps its imports and a spare kernel from one report to the next (render.worker_kernels) and
dies with the thirdcountry process, even on SIGKILL; kernels die with their worker.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from thirdcountry.render.jobs import JobPlan, ReportJob, Result, RunContext
from thirdcountry.render.produce import place, produce
from thirdcountry.render.worker_kernels import WorkerSetup, worker_start


class LocalPool:
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


def start_pool(workers: int, data_dir: Path, first: ReportJob, temp_dir: Path) -> LocalPool:
    """The worker processes, started now: their kernels boot while this process goes on."""
    import multiprocessing

    setup = WorkerSetup(data_dir=data_dir, kernel_cwd=first.notebook_path.parent,
                         log_dir=temp_dir)  # fmt: skip
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=worker_start,
        initargs=(setup,),
    )
    pool.submit(int)
    return LocalPool(pool, workers)


def render_one(
    job: ReportJob, context: RunContext, more_to_come: bool = False, plan: JobPlan | None = None
) -> Result:
    """One report, in a worker of the local pool: made, then moved into place."""
    work = context.temp_dir / f"{job.notebook}--{job.slug}"
    produced = produce(job, context, work, more_to_come, plan)
    return place(produced, job, context)
