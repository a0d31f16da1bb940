"""papermill's engine 'thirdcountry', registered the way papermill documents: an entry point in
the group `papermill.engine` (pyproject.toml), which papermill loads when it is imported.

It is nbclient with the report's kernel environment and working folder, a whole-report deadline
(each cell gets what is left of it), a kernel started ahead of time (render.worker_kernels) when
there is one, and a callback once the kernel answers. render.execute runs it.
"""

from __future__ import annotations

import logging
import time

from jupyter_core.utils import ensure_async, run_sync
from nbclient.util import run_hook
from papermill.engines import NBClientEngine

from thirdcountry.render.compat import cleanup_kernel, papermill_notebook_client
from thirdcountry.render.execute import TIMEOUT_ENAME, RunState, cell_timeout


class ThirdCountryClient(papermill_notebook_client()):  # type: ignore[misc]
    def __init__(self, nb_man, state: RunState, **kwargs):
        super().__init__(nb_man, **kwargs)
        self.thirdcountry_state = state

    def execute(self, **kwargs):
        state = self.thirdcountry_state
        kwargs.setdefault("env", state.env)
        kwargs.setdefault("cwd", state.cwd)
        if "stderr" in state.extra:
            kwargs.setdefault("stderr", state.extra["stderr"])
            kwargs.setdefault("stdout", state.extra["stderr"])
        try:
            return super().execute(**kwargs)
        finally:
            if not self.owns_km and self.kc is not None:  # a spare kernel's client
                self.kc.stop_channels()

    def start_new_kernel_client(self):  # papermill sets the kernel up synchronously
        if self.owns_km:
            client = super().start_new_kernel_client()
        else:
            client = run_sync(self._spare_kernel_client)()
        ready = self.thirdcountry_state.extra.get("on_kernel_ready")
        if ready is not None:
            ready()
        return client

    async def _spare_kernel_client(self):
        """nbclient's start_new_kernel_client for a kernel started ahead, without the fixed
        0.2 s of IOPub silence jupyter_client waits for: the kernel is ready once it answers
        kernel_info, and IOPub works once that request's idle status arrives on it."""
        self.kc = self.km.client()
        await ensure_async(self.kc.start_channels())
        try:
            await _answered(self.kc, time.monotonic() + self.startup_timeout)
        except Exception:
            await cleanup_kernel(self)
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    async def _async_handle_timeout(self, timeout, cell=None):  # private: see render.compat
        self.thirdcountry_state.timed_out = True
        return await super()._async_handle_timeout(timeout, cell)


class ThirdCountryEngine(NBClientEngine):
    """papermill engine 'thirdcountry': nbclient with our kernel environment and deadline."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        state: RunState = kwargs.pop("thirdcountry_state")
        state.nb_man = nb_man
        kwargs.pop("input_path", None)
        kwargs.pop("execution_timeout", None)
        kwargs.pop("timeout", None)
        start_timeout = kwargs.pop("start_timeout", 60)

        def remaining(cell) -> float:
            return cell_timeout(state.deadline, time.monotonic())

        if "km" in state.extra:
            kwargs["km"] = state.extra["km"]
        client = ThirdCountryClient(
            nb_man,
            state,
            kernel_name=kernel_name,
            log=_quiet_log(),
            startup_timeout=start_timeout,
            timeout_func=remaining,
            interrupt_on_timeout=True,
            error_on_timeout={
                "ename": TIMEOUT_ENAME,
                "evalue": "the report ran out of time (--timeout)",
                "traceback": [],
            },
            shutdown_kernel="immediate",
            **{k: v for k, v in kwargs.items() if k in {"log_output", "km"}},
        )
        return client.execute()


async def _answered(kc, deadline: float) -> None:
    """Wait until the kernel replies to kernel_info and that request's idle status arrives on
    IOPub (so IOPub is subscribed and no output of the first cell can be missed)."""
    from queue import Empty

    from jupyter_core.utils import ensure_async

    from thirdcountry.render.compat import record_kernel_info

    while True:
        if time.monotonic() > deadline:
            raise RuntimeError("the kernel did not answer in time")
        msg_id = kc.kernel_info()
        try:
            while True:  # replies to earlier requests (our own, or the warm-up) are skipped
                reply = await ensure_async(kc.shell_channel.get_msg(timeout=5))
                if (
                    reply["parent_header"].get("msg_id") == msg_id
                    and reply["msg_type"] == "kernel_info_reply"
                ):
                    break
        except Empty:
            if not await ensure_async(kc.is_alive()):
                raise RuntimeError("the kernel died before answering") from None
            continue
        record_kernel_info(kc, reply)
        try:
            while True:
                status = await ensure_async(kc.iopub_channel.get_msg(timeout=1))
                if (
                    status["parent_header"].get("msg_id") == msg_id
                    and status["msg_type"] == "status"
                    and status["content"].get("execution_state") == "idle"
                ):
                    return
        except Empty:
            continue  # IOPub was not subscribed yet when the kernel answered: ask again


def _quiet_log() -> logging.Logger:
    """nbclient logs timeouts and interrupts as errors; we report them in run.json instead."""
    log = logging.getLogger("thirdcountry.render.nbclient")
    log.setLevel(logging.CRITICAL)
    log.propagate = False
    return log
