"""Executing a report notebook with papermill's Python API, in this process.

papermill parameterises the notebook (its injected-parameters cell) and runs it through nbclient
in a fresh kernel. We add, through a papermill engine of our own (render.papermill_engine):
- the kernel's environment: the fact base as $THIRDCOUNTRY_DATA (so no absolute path is ever
  written into the notebook), the Agg matplotlib backend (charts are shown only as the report
  layer's PNG outputs, with their alt text), no debugger warnings;
- a whole-report deadline: each cell may wait only for what is left of it, then the kernel is
  interrupted and the notebook fails with a clear error;
- the executed notebook even when execution fails (papermill's error banner included).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thirdcountry.paths import (
    CHECKED_DATA_ENV,
    DATA_ENV_VAR,
    PREVIOUS_RUN_ENV,
    PREVIOUS_SNAPSHOT_ENV,
)

KERNEL_NAME = "python3"
TIMEOUT_ENAME = "ReportTimeout"


def prepare_process() -> None:
    """Make this process cheap and quiet for rendering; call before importing jupyter packages.

    rfc3987-syntax builds a grammar (about 0.7 s) whenever jsonschema is imported, and nbformat
    imports jsonschema whatever validator it uses. jsonschema only uses the package for the
    'iri' string format, which no notebook schema uses, and imports it optionally. Marking it
    absent (render.compat) skips the cost in this process only.
    """
    from thirdcountry.render.compat import mark_module_absent

    mark_module_absent("rfc3987_syntax")
    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
    for name in ("papermill", "traitlets", "nbclient", "nbconvert"):
        logging.getLogger(name).setLevel(logging.ERROR)


# Imported into a spare kernel before its report runs: the slow imports every report makes.
# No name is bound in the notebook's namespace, and a failure here is left to the notebook.
WARM_UP_MODULES = (
    "pandas",
    "matplotlib.pyplot",
    "thirdcountry.report.overview",
    "thirdcountry.report.country",
)
WARM_UP_CODE = f"""
for __thirdcountry_module in {WARM_UP_MODULES!r}:
    try:
        __import__(__thirdcountry_module)
    except Exception:
        pass
del __thirdcountry_module
"""
# A kernel runs at most this many reports, one after another (see SpareKernel.recycle): enough to
# spare most kernel starts (about 2 s of CPU each), few enough that nothing a report leaves behind
# can pile up. Measured: a kernel stayed at 150 MB over the 63 agreement pages in a row.
REPORTS_PER_KERNEL = 50
# Between two reports in one kernel: the first report's names, history, figures and per-report
# environment go; imported modules stay, as after the warm-up. Caches in our modules are pure
# (the same arguments, the same result), so what stays cannot change the next report.
RESET_CODE = """
import os as __thirdcountry_os
for __thirdcountry_name in {names!r}:
    __thirdcountry_os.environ.pop(__thirdcountry_name, None)
try:
    import matplotlib.pyplot as __thirdcountry_pyplot
    __thirdcountry_pyplot.close("all")
except Exception:
    pass
get_ipython().reset(new_session=True)
"""


class SpareKernel:
    """A kernel started before the report that will use it, with the slow imports loaded.

    A worker starts one while the thirdcountry process is still checking the fact base, and the
    next one while it converts a report, so no report waits for a kernel to boot. After a report
    that ended well the kernel is recycled for the worker's next report (up to
    REPORTS_PER_KERNEL): its namespace is cleared, its modules stay. Either way the notebook runs
    from its first cell in a fresh namespace: only modules are loaded ahead.
    """

    def __init__(self, data_dir: Path, cwd: Path, log_path: Path | None = None):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.cwd = cwd
        self.data_dir = data_dir
        self._run = run_sync
        self._log = log_path.open("ab") if log_path else None
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        options: dict = {"env": kernel_environment(data_dir), "cwd": str(cwd)}
        if self._log is not None:
            options.update(stdout=self._log, stderr=self._log)
        run_sync(self.km.start_kernel)(**options)
        self.client: Any = None
        self.reports = 0  # reports run in this kernel so far

    def warm_up(self, code: str = WARM_UP_CODE) -> None:
        """Queue the slow imports as the kernel's first request; nothing waits for them here.

        ZeroMQ keeps the request until the booting kernel's shell socket accepts it; the
        report's own first request then queues behind it.
        """
        self.client = self._own_client()
        self.client.execute(code, silent=True, store_history=False, allow_stdin=False)

    def _own_client(self):
        """A client on a session of its own (replies are routed by session: the report's client
        never receives these), with only the shell channel: no heartbeat or IOPub threads."""
        from jupyter_client.session import Session

        session = Session(
            key=self.km.session.key, signature_scheme=self.km.session.signature_scheme
        )
        client = self.km.client(session=session)
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        return client

    def recycle(self) -> bool:
        """After a report that ended well: reset its namespace (RESET_CODE) and wait until the
        kernel says it is done, so the kernel can be the next report's spare kernel. False when
        it cannot be (it has run REPORTS_PER_KERNEL reports, it stopped answering, the reset
        failed); the caller then shuts it down."""
        self.reports += 1
        if self.reports >= REPORTS_PER_KERNEL or not self.alive():
            return False
        try:
            self.client = self._own_client()
            self._run_silently(RESET_CODE.format(names=PER_REPORT_VARIABLES), 30.0, "reset")
        except Exception:
            return False
        return True

    def set_environment(self, values: dict[str, str], timeout: float = 60.0) -> None:
        """Set environment variables in the kernel before the report's first cell.

        Sent as a silent request on the warm-up's own session, after the warm-up; nothing of it
        reaches the notebook (no cell, no history, no output). Waits for the kernel's reply, so
        the variables are set when the report's first request arrives. Raises if they are not.
        """
        if not values:
            return
        code = (
            "import os as __thirdcountry_os\n"
            f"__thirdcountry_os.environ.update({dict(values)!r})\n"
            "del __thirdcountry_os\n"
        )
        self._run_silently(code, timeout, "set its environment")

    def _run_silently(self, code: str, timeout: float, what: str) -> None:
        """Run code in the kernel on this object's session and wait for its reply: whatever was
        queued before it has run too. Raises if it fails or no reply comes in time."""
        from queue import Empty

        if self.client is None:
            raise RuntimeError("this kernel has been handed over")
        msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"the kernel did not {what} in time")
            try:
                reply = self._run(self.client.get_shell_msg)(timeout=min(left, 5.0))
            except Empty:
                if not self.alive():
                    raise RuntimeError(f"the kernel died before it could {what}") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                if reply["content"].get("status") != "ok":
                    raise RuntimeError(f"the kernel could not {what}")
                return

    def fits(self, data_dir: Path | None, cwd: Path) -> bool:
        return self.data_dir == data_dir and self.cwd == cwd and self.alive()

    def alive(self) -> bool:
        try:
            return bool(self._run(self.km.is_alive)())
        except Exception:
            return False

    def hand_over(self):
        """The kernel manager, for one notebook run; this object no longer talks to it."""
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        return self.km

    def shutdown(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        try:
            self._run(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None


@dataclass
class Execution:
    notebook: object  # the executed nbformat NotebookNode
    outcome: str  # "ok", "failed" or "timeout"
    error: dict | None = None  # ename, evalue, traceback (lines), cell
    kernel: SpareKernel | None = None  # the kernel, recycled for another report (keep_kernel)


@dataclass
class RunState:
    env: dict[str, str]
    cwd: str
    deadline: float
    nb_man: object | None = None
    timed_out: bool = False
    extra: dict = field(default_factory=dict)


# Set only for the report they concern (render.history, render.job_planning); never inherited
# from this process, and unset between two reports in one kernel.
PER_REPORT_VARIABLES = (PREVIOUS_SNAPSHOT_ENV, PREVIOUS_RUN_ENV, CHECKED_DATA_ENV)


def kernel_environment(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in PER_REPORT_VARIABLES:
        env.pop(name, None)
    env.update(extra or {})
    env[DATA_ENV_VAR] = str(data_dir)
    env["MPLBACKEND"] = "agg"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("NBFORMAT_VALIDATOR", None)
    return env


def execute_notebook(
    notebook_path: Path,
    parameters: dict[str, object],
    data_dir: Path,
    timeout: float,
    kernel_log: Path | None = None,
    on_kernel_ready: Callable[[], None] | None = None,
    kernel: SpareKernel | None = None,
    extra_env: dict[str, str] | None = None,
    keep_kernel: bool = False,
) -> Execution:
    """Run the notebook with the parameters; never raises for a failing notebook.

    on_kernel_ready is called once the kernel answers, before the first cell runs: by then every
    module execution needs is imported, so other work may safely import in a thread. extra_env:
    environment variables for this report's kernel only (a spare kernel gets them set in it).
    keep_kernel: a spare kernel that ran the report well is recycled and returned in the
    Execution, for the next report; otherwise it is shut down.
    """
    execution = _execute(
        notebook_path, parameters, data_dir, timeout, kernel_log, on_kernel_ready, kernel,
        extra_env,
    )  # fmt: skip
    kernel = execution.kernel
    if kernel is not None:
        execution.kernel = None
        if keep_kernel and execution.outcome == "ok" and kernel.recycle():
            execution.kernel = kernel
        else:
            kernel.shutdown()
    return execution


def _execute(
    notebook_path: Path,
    parameters: dict[str, object],
    data_dir: Path,
    timeout: float,
    kernel_log: Path | None,
    on_kernel_ready: Callable[[], None] | None,
    kernel: SpareKernel | None,
    extra_env: dict[str, str] | None,
) -> Execution:
    """execute_notebook without deciding about the kernel: a spare kernel it was given comes back
    in the Execution, still running (papermill leaves a kernel it did not start running)."""
    prepare_process()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if kernel is not None and extra_env:
        try:
            kernel.set_environment(extra_env, timeout=max(1.0, min(60.0, timeout)))
        except Exception:  # then a fresh kernel, started with the variables
            kernel.shutdown()
            kernel = None
    state = RunState(
        env=kernel_environment(data_dir, extra_env),
        cwd=str(notebook_path.parent),
        deadline=time.monotonic() + timeout,
    )
    log_stream = kernel_log.open("ab") if kernel_log else None
    if log_stream is not None:
        state.extra["stderr"] = log_stream
    if on_kernel_ready is not None:
        state.extra["on_kernel_ready"] = on_kernel_ready
    if kernel is not None:
        state.extra["km"] = kernel.hand_over()
    try:
        nb = papermill.execute_notebook(
            str(notebook_path),
            None,
            parameters=parameters or None,
            engine_name="thirdcountry",
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            request_save_on_cell_execute=False,
            start_timeout=max(1, min(60, int(timeout))),
            thirdcountry_state=state,
        )
        return Execution(nb, "ok", kernel=kernel)
    except PapermillExecutionError as exc:
        nb = state.nb_man.nb  # type: ignore[attr-defined]
        if state.timed_out:
            return Execution(nb, "timeout", _timeout_error(timeout, exc.exec_count), kernel)
        error = {
            "ename": exc.ename,
            "evalue": exc.evalue,
            "traceback": list(exc.traceback),
            "cell": exc.exec_count,
        }
        return Execution(nb, "failed", error, kernel)
    except Exception as exc:  # the kernel died, did not start, or stopped answering
        nb = state.nb_man.nb if state.nb_man is not None else _unexecuted(notebook_path)  # type: ignore[attr-defined]
        if state.timed_out or time.monotonic() >= state.deadline:
            error = _timeout_error(timeout, None)
            outcome = "timeout"
        else:
            error = {"ename": type(exc).__name__, "evalue": str(exc), "traceback": [], "cell": None}
            outcome = "failed"
        _add_banner(nb, f"{error['ename']}: {error['evalue']}")
        return Execution(nb, outcome, error, kernel)
    finally:
        if log_stream is not None:
            log_stream.close()


def _timeout_error(timeout: float, cell) -> dict:
    return {
        "ename": TIMEOUT_ENAME,
        "evalue": f"the report did not finish within {timeout:g} seconds (--timeout)",
        "traceback": [],
        "cell": cell,
    }


def _unexecuted(notebook_path: Path):
    import nbformat

    return nbformat.read(str(notebook_path), as_version=4)


def _add_banner(nb, message: str) -> None:
    """A first cell saying why the run stopped, where papermill had no chance to add its own."""
    import nbformat
    from markupsafe import escape

    from thirdcountry.render.compat import error_marker_tag

    cell = nbformat.v4.new_markdown_cell("**Rendering stopped:** " + str(escape(message)))
    cell.metadata["tags"] = [error_marker_tag()]
    nb.cells.insert(0, cell)


# nbclient reads a cell timeout of 0 as "no limit": a cell started at or after the deadline gets
# this long, then the kernel is interrupted.
LEAST_CELL_TIMEOUT = 0.01


def cell_timeout(deadline: float, now: float) -> float:
    """What is left of the report's deadline for the next cell, in seconds (never rounded up)."""
    return max(LEAST_CELL_TIMEOUT, deadline - now)
