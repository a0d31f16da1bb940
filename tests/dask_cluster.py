"""A real Dask cluster on loopback for the tests: `dask scheduler` and `dask worker` processes.

Each process runs in a session of its own (so a test can kill a worker with everything it
started) and is always stopped at the end; ports are picked by the scheduler (port 0) and read
back from its scheduler file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 120.0  # seconds for a scheduler or worker to come up on a busy machine


class LocalDask:
    def __init__(self, folder: Path, scheduler_env: dict[str, str] | None = None):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen] = {}
        self.address = ""
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file",
                                  str(self.scheduler_file)], scheduler_env)  # fmt: skip
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.address:
            self._check_alive("scheduler")
            with contextlib.suppress(OSError, ValueError, KeyError):
                self.address = json.loads(self.scheduler_file.read_text())["address"]
            if time.monotonic() > deadline:
                self.close()
                pytest.fail(f"the dask scheduler did not start:\n{self.log('scheduler')}")
            time.sleep(0.2)

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    def start_worker(self, name: str, preload: Path | None = None) -> None:
        argv = ["worker", self.address, "--nthreads", "1", "--host", "127.0.0.1",
                "--no-dashboard", "--name", name]  # fmt: skip
        if preload is not None:
            argv += ["--preload", str(preload)]
        self._start(name, argv)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=STARTUP_TIMEOUT, set_as_default=False) as client:
            try:
                client.wait_for_workers(count, timeout=STARTUP_TIMEOUT)
            except TimeoutError:
                logs = "\n".join(self.log(name) for name in self.processes)
                pytest.fail(f"{count} dask workers did not start:\n{logs}")

    def kill(self, name: str) -> None:
        """SIGKILL a worker (its nanny, its worker process and whatever they started)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return f"--- {name} ---\n" + (path.read_text(errors="replace") if path.exists() else "")

    def close(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)

    def _start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        with (self.folder / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "dask", *argv],
                cwd=self.folder,  # no checkout: a worker sees only what its tasks bring
                env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _check_alive(self, name: str) -> None:
        if self.processes[name].poll() is not None:
            self.close()
            pytest.fail(f"dask {name} exited:\n{self.log(name)}")


@contextlib.contextmanager
def local_dask(
    folder: Path, workers: int = 2, scheduler_env: dict[str, str] | None = None
) -> Iterator[LocalDask]:
    cluster = LocalDask(folder, scheduler_env)
    try:
        for number in range(1, workers + 1):
            cluster.start_worker(f"w{number}")
        if workers:
            cluster.wait_for_workers(workers)
        yield cluster
    finally:
        cluster.close()
