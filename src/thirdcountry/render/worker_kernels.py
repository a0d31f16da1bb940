"""A worker process's spare kernels: the next report's kernel is ready while this one converts,
recycled from the report before (render.execute.SpareKernel.recycle) or booting.

The local pool's workers (render.pool) set this up when they start; a Dask worker
(render.dask_worker) does through use_worker_setup. State is per process, in module globals.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WorkerSetup:
    """Where a worker's spare kernels run: the fact base, the notebooks' folder, the logs."""

    data_dir: Path
    kernel_cwd: Path
    log_dir: Path


_setup: WorkerSetup | None = None
_spare = None  # this worker's SpareKernel, if one is started
_finalizer = None  # shuts the spare kernel down when the worker exits


def worker_start(setup: WorkerSetup) -> None:
    import signal

    from thirdcountry.render.execute import prepare_process

    global _setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the thirdcountry process handles Ctrl-C
    _die_with_parent()
    prepare_process()
    _setup = setup
    start_spare(setup.kernel_cwd, import_meanwhile=True)


def use_worker_setup(data_dir: Path, kernel_cwd: Path, log_dir: Path) -> None:
    """A process that is not one of the pool's (a Dask worker) keeps spare kernels too: for
    this fact base and notebook folder, with their logs in log_dir."""
    global _setup
    _setup = WorkerSetup(data_dir=data_dir, kernel_cwd=kernel_cwd, log_dir=log_dir)


def start_spare_kernel(cwd: Path) -> None:
    """Boot this process's first spare kernel now (a Dask worker, before its first report)."""
    start_spare(cwd, import_meanwhile=True)


def start_spare(cwd: Path, import_meanwhile: bool = False) -> None:
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
            import papermill  # noqa: F401  (it loads our engine by its entry point)


def keep_spare(kernel, cwd: Path) -> None:
    """The next report's kernel: `kernel` (a recycled one, render.execute.SpareKernel.recycle)
    when there is one and it fits, else a new one booting now."""
    global _spare
    if kernel is not None:
        if _spare is None and _setup is not None and kernel.fits(_setup.data_dir, cwd):
            _spare = kernel
            return
        kernel.shutdown()
    start_spare(cwd)


def take_spare(cwd: Path):
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
