"""Rendering on a Dask cluster: `render --executor dask` (a LocalCluster for the run) or
`render --scheduler ADDRESS` (a running `dask scheduler` and its workers).

One report is one task, and its inputs travel with it: the notebook's bytes, its parameters,
the fact base as snapshot bytes (facts/snapshot.py; sent once per run, keyed by their content,
as a task of their own that every report depends on: a worker that needs them fetches them
from one that has them, and if every copy is lost with its worker the scheduler makes them
again), and for a scheduled run the previous good run's snapshot. A worker
needs no shared filesystem and no checkout, only the same thirdcountry installed: every worker
is asked for its version before anything is sent, and a task checks it again. The worker
renders in a temporary folder of its own (render.dask_worker, with render.produce) and returns
the report's files as bytes; this process writes them into the reports folder exactly as the
local pool does (render.produce.place: atomically, run.json last), under the same lock.

A worker that dies while rendering a report fails that report's task; the report is sent again
(`--retries`, to whichever worker the scheduler picks), then recorded as failed. On Ctrl-C the
futures are cancelled and nothing more is written. Only this module imports Dask.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import re
import time
import uuid
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

from thirdcountry.errors import BadInput, missing_extra
from thirdcountry.paths import (
    DEFAULT_DATA_DIR,
    GIT_COMMIT_ENV,
    GIT_DIRTY_ENV,
    PREVIOUS_SNAPSHOT_ENV,
    PROJECT_DATA_COPY_ENV,
)
from thirdcountry.render.dask_worker import (
    RemoteTask,
    WrongVersion,
    bytes_of,
    render_remote,
    version_mismatch,
    warm_worker,
)
from thirdcountry.render.jobs import JobPlan, ReportJob, Result, RunContext, Settings
from thirdcountry.render.produce import Produced, place
from thirdcountry.render.progress_events import Notify, ProgressEvent
from thirdcountry.render.run_record import shown_notebook_path

DEFAULT_PORT = 8786
# Dask's settings for the LocalCluster of `--executor dask` (a running scheduler's workers keep
# their own; docs/scale-out.md). Each report's work is in its kernel, a process of
# its own, so a worker's bookkeeping for a dashboard nobody opens takes CPU from the kernels.
# On the monthly archive (bench/run.py, section 6) these settings and the warm-up took Dask's
# extra CPU time from about 25% of the pool's to under 10%.
LOCAL_CLUSTER_CONFIG = {
    # A task lost with its worker counts as failed at once; --retries decides the rest.
    "distributed.scheduler.allowed-failures": 0,
    # The statistical profiler samples the running task's stack every 10 ms for the dashboard,
    # which a render run never opens.
    "distributed.worker.profile.enabled": False,
    # Host figures (CPU, network, disk) for the dashboard: sampled every 500 ms by default.
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
    # Workers, and the kernels they start, get the environment the pool's do (Dask would set
    # MALLOC_TRIM_THRESHOLD_ and one-thread BLAS variables): the same reports, made the same way.
    "distributed.nanny.pre-spawn-environ": {},
}
SCHEMES = ("tcp", "tls")
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler, and for a LocalCluster to have a worker
_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)"
    r"(?::(?P<port>[0-9]+))?/?"
)


def scheduler_address(text: str) -> str:
    """'host', 'host:port' or 'tcp://host:port' as Dask's 'tcp://host:port'; else BadInput."""
    match = _ADDRESS.fullmatch(text.strip())
    if match is None:
        raise BadInput(
            f"--scheduler: {text!r} is not a scheduler address; expected tcp://HOST:PORT, "
            f"e.g. tcp://127.0.0.1:{DEFAULT_PORT}"
        )
    scheme = (match["scheme"] or "tcp").lower()
    if scheme not in SCHEMES:
        raise BadInput(
            f"--scheduler: {text!r}: the scheme {scheme}:// is not one Dask's scheduler speaks "
            f"here; use tcp:// (or tls://)"
        )
    port = int(match["port"]) if match["port"] else DEFAULT_PORT
    if not 0 < port < 65536:
        raise BadInput(f"--scheduler: {text!r}: port {port} is not between 1 and 65535")
    return f"{scheme}://{match['host']}:{port}"


# ---- this process: the client ------------------------------------------------------------------


def start_dask(
    settings: Settings,
    workers: int,
    context: RunContext,
    facts,
    notify: Notify,
) -> DaskExecutor:
    """Connect to settings.scheduler (or start a LocalCluster of `workers` processes), check
    that every worker has this thirdcountry, and send the fact base to each of them."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise missing_extra(
            "dask", "rendering on Dask (--executor dask, --scheduler)", "dask"
        ) from None

    if facts is None:
        raise ValueError("a Dask run needs the loaded fact base, to send it to the workers")
    # The distributed package logs to stderr itself (a lost worker, a slow connection); this
    # run's log says what matters, in its own format.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = None
    if settings.scheduler:
        address = scheduler_address(settings.scheduler)
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise BadInput(
                f"--scheduler: cannot reach a Dask scheduler at {address} within "
                f"{CONNECT_TIMEOUT:g} s ({_reason(exc)}); is `dask scheduler` running there?"
            ) from None
    else:
        address = "a LocalCluster"
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a worker losing its scheduler on Ctrl-C
                death_timeout=60,
                memory_limit=0,  # like the pool's workers: a report's memory is its kernel's
            )
        client = Client(cluster, set_as_default=False)
    try:
        # A scheduler of a batch system may get its workers only when their jobs start.
        wait = settings.worker_wait if cluster is None else CONNECT_TIMEOUT
        if cluster is None and not client.scheduler_info(n_workers=-1)["workers"]:
            notify(ProgressEvent.WAITING_WORKERS, {"scheduler": address, "wait": wait})
        try:
            client.wait_for_workers(1, timeout=wait)
        except TimeoutError:
            raise BadInput(
                f"--scheduler: the Dask scheduler at {address} has no workers (waited "
                f"{wait:g} s, --worker-wait); start some with `dask worker {address}`"
            ) from None
        version = check_versions(client, address)
        executor = DaskExecutor(client, cluster, settings.retries, version, notify,
                                settings.worker_wait, address)  # fmt: skip
        executor.send_facts(facts, context)
    except BaseException:
        client.close()
        if cluster is not None:
            cluster.close()
        raise
    ready = {"scheduler": address, "workers": executor.workers, "local": cluster is not None}
    notify(ProgressEvent.CLUSTER, ready)
    return executor


def check_versions(client, address: str) -> dict[str, str]:
    """This thirdcountry's version and code hash; BadInput naming each worker that differs."""
    from thirdcountry.render.history import code_fingerprint

    ours = code_fingerprint()
    found = client.run(worker_version, on_error="return")
    problems = []
    for worker, theirs in sorted(found.items()):
        if isinstance(theirs, BaseException):
            problems.append(
                f"worker {worker} of {address} cannot run thirdcountry ({_reason(theirs)}): "
                f"install thirdcountry {ours['version']} there"
            )
        elif theirs != ours:
            problems.append(
                f"worker {worker} of {address} is refused: {version_mismatch(theirs, ours)}"
            )
    if problems:
        raise BadInput(problems)
    return ours


def worker_version() -> dict[str, str]:
    """Run on a worker: its thirdcountry's version number and code hash."""
    from thirdcountry.render.history import code_fingerprint

    return dict(code_fingerprint())


def _reason(exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


class DaskExecutor:
    """render.batch's Executor on a Dask client: futures from client.submit, collected with
    distributed.wait, placed by this process."""

    def __init__(self, client, cluster, retries: int, version: dict[str, str], notify: Notify,
                 worker_wait: float = 120.0, address: str = "the scheduler"):  # fmt: skip
        self.client = client
        self.cluster = cluster
        self.retries = retries
        self.version = version
        self.notify = notify
        self.worker_wait = worker_wait
        self.address = address
        self.workers_seen = time.monotonic()  # when the scheduler last had a worker
        self.given_up: str | None = None  # why the reports left are failed, once it has no worker
        self.run_id = uuid.uuid4().hex[:8]
        self.contents: dict[str, bytes] = {}  # sha256 -> bytes the workers need
        self.blobs: dict[str, Any] = {}  # sha256 -> the future of a task that returns them
        self.facts_key = ""
        self.attempts: dict[str, int] = {}
        self.labels: dict[str, str] = {}  # task key -> report label
        self.notebooks: dict[Path, bytes] = {}
        self.futures: dict[str, Any] = {}  # task key -> future, while not collected
        self.sent = 0  # tasks submitted
        self.refused: set[str] = set()  # workers found with other code, after the first check
        self.warming: list[Any] = []  # each worker's warm-up task
        info = client.scheduler_info(n_workers=-1)
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))

    # ---- inputs ---------------------------------------------------------------------------
    def send_facts(self, facts, context: RunContext) -> None:
        from thirdcountry.facts.snapshot import write_snapshot

        path = context.snapshot
        if path is None:
            path = write_snapshot(facts, context.temp_dir / "facts-for-workers.zip")
        self.facts_key = self._blob(path.read_bytes())
        self._warm_workers(context.settings.data.path.name)

    def _warm_workers(self, data_name: str) -> None:
        """Have each worker unpack the fact base and boot its first kernel now, as the pool's
        workers do when they start, so no worker's first report waits for a kernel."""
        facts = self._bytes(self.facts_key)
        for address in self.client.scheduler_info(n_workers=-1)["workers"]:
            key = f"thirdcountry-warm-up-{self.run_id}-{address}"
            future = self.client.submit(warm_worker, facts, data_name, self.version, key=key,
                                        workers=[address], allow_other_workers=False,
                                        pure=False)  # fmt: skip
            self.warming.append(future)

    def _blob(self, content: bytes) -> str:
        """Bytes for the workers, sent once per run (the same bytes only once).

        Not scattered: scattered data lost with every worker that held it cancels each task
        that needs it, while a task's result is made again (`bytes_of` returns them)."""
        digest = hashlib.sha256(content).hexdigest()
        self.contents.setdefault(digest, content)
        return digest

    def _bytes(self, digest: str):
        """The future of the bytes' task; sent again if it was cancelled (a scheduler restart)."""
        future = self.blobs.get(digest)
        if future is None or future.status in ("cancelled", "error"):
            key = f"thirdcountry-bytes-{digest[:16]}-{self.run_id}-{uuid.uuid4().hex[:4]}"
            future = self.client.submit(bytes_of, self.contents[digest], key=key, pure=False)
            self.blobs[digest] = future
        return future

    # ---- the Executor protocol ------------------------------------------------------------
    def submit(self, job: ReportJob, context: RunContext, more_to_come: bool, plan: JobPlan):
        env = {**plan.env, **self._origin(context)}
        previous = None
        snapshot = env.pop(PREVIOUS_SNAPSHOT_ENV, None)
        if snapshot is not None:
            previous = self._bytes(self._blob(Path(snapshot).read_bytes()))
        if job.notebook_path not in self.notebooks:
            self.notebooks[job.notebook_path] = job.notebook_path.read_bytes()
        task = RemoteTask(
            job=job,
            notebook=self.notebooks[job.notebook_path],
            notebook_file=shown_notebook_path(job.notebook_path),
            context=context,
            plan=dataclasses.replace(plan, env=env),
            more_to_come=more_to_come,
            version=self.version,
        )
        self.sent += 1  # a key per submission: a report sent again never meets its old task
        key = f"thirdcountry-report-{job.label}-{self.run_id}-{self.sent}"
        self.labels[key] = job.label
        where = {}
        if self.refused:  # only to workers with this thirdcountry
            where = {"workers": self._allowed_workers(), "allow_other_workers": False}
        future = self.client.submit(
            render_remote,
            task,
            self._bytes(self.facts_key),
            previous,
            key=key,
            pure=False,
            **where,
        )
        self.futures[key] = future
        return future

    @staticmethod
    def _origin(context: RunContext) -> dict[str, str]:
        """What a kernel on a worker cannot see there: that its fact base is a copy of the
        project's data/, and the checkout's git state (the About table shows both)."""
        env = {}
        if context.settings.data.path == DEFAULT_DATA_DIR:
            env[PROJECT_DATA_COPY_ENV] = "1"
        git = context.provenance.get("git") or {}
        if git.get("commit"):
            env[GIT_COMMIT_ENV] = str(git["commit"])
            env[GIT_DIRTY_ENV] = "1" if git.get("dirty") else "0"
        return env

    def wait(self, futures, timeout: float):
        from distributed import wait

        try:
            with self.client.as_current():  # wait() uses the current client; ours is not default
                done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        except CancelledError:  # e.g. the scheduler restarted: outcome() sends them again
            done = {future for future in futures if future.cancelled()}
        if done or self.given_up:
            return done
        alone = time.monotonic() - self.workers_seen
        if alone < self.worker_wait:
            return done
        # No worker (or no scheduler) for worker_wait seconds: the reports left fail, each with
        # this reason (outcome), and the run ends as it does when reports fail.
        self.given_up = f"no Dask worker on {self.address} for {alone:.0f} s (--worker-wait)"
        self.notify(ProgressEvent.NO_WORKERS, {"reason": self.given_up, "left": len(futures)})
        with contextlib.suppress(Exception):
            self.client.cancel(list(futures), force=True)
        return set(futures)

    def running(self, futures) -> list[str]:
        """The reports being made now; also notes whether the scheduler still has workers."""
        try:
            processing = self.client.processing()  # worker address -> its task keys
        except Exception:  # the scheduler is unreachable: progress only, wait() decides
            return []
        if processing:
            self.workers_seen = time.monotonic()
        keys = [key for keys in processing.values() for key in keys]
        return [self.labels[key] for key in keys if key in self.labels]

    def outcome(self, future, job: ReportJob, context: RunContext, plan: JobPlan):
        try:
            if self.given_up and future.status != "finished":
                return Result(job.label, job.notebook, job.slug, "failed", 0.0, self.given_up)
            shipped = future.result()
        except (Exception, CancelledError) as exc:  # lost: its worker died, or could not run it
            if isinstance(exc, WrongVersion) and exc.worker:
                return self._refused(exc, job, context, plan)
            tried = self.attempts.get(job.label, 0) + 1
            if tried <= self.retries:
                self.attempts[job.label] = tried
                retry = {"label": job.label, "reason": _reason(exc), "attempt": tried,
                         "retries": self.retries}  # fmt: skip
                self.notify(ProgressEvent.RETRY, retry)
                return self.submit(job, context, False, plan)
            times = "once" if tried == 1 else f"{tried} times"
            return Result(job.label, job.notebook, job.slug, "failed", 0.0,
                          f"worker lost, tried {times}: {_reason(exc)}")  # fmt: skip
        finally:
            self.labels.pop(future.key, None)
            self.futures.pop(future.key, None)
        work = context.temp_dir / f"{job.notebook}--{job.slug}"
        files: dict[str, Path] = {}
        for name, content in shipped.contents.items():
            files[name] = work / "shipped" / name
            files[name].parent.mkdir(parents=True, exist_ok=True)
            files[name].write_bytes(content)
        produced = Produced(shipped.outcome, shipped.duration, shipped.record, files,
                            shipped.error)  # fmt: skip
        return place(produced, job, context)

    def _refused(self, exc: WrongVersion, job: ReportJob, context: RunContext, plan: JobPlan):
        """A worker that joined after the check has other code: it gets no more reports, and
        this one goes to another worker (not counted as a retry: nothing was rendered)."""
        if exc.worker not in self.refused:
            self.refused.add(exc.worker)
            self.notify(ProgressEvent.REFUSED, {"worker": exc.worker, "reason": str(exc)})
        if not self._allowed_workers():
            return Result(job.label, job.notebook, job.slug, "failed", 0.0,
                          f"no worker with this thirdcountry left: {exc}")  # fmt: skip
        return self.submit(job, context, False, plan)

    def _allowed_workers(self) -> list[str]:
        try:
            workers = self.client.scheduler_info(n_workers=-1)["workers"]
        except Exception:
            return []
        return [address for address in workers if address not in self.refused]

    def shutdown(self) -> None:
        self._close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            futures = [*self.futures.values(), *self.warming, *self.blobs.values()]
            self.client.cancel(futures, force=True)
        self._close()

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
