"""What runs on a Dask worker (render.cluster sends it there): one report made in a temporary
folder of the worker's own and sent back as bytes, the worker's copy of the fact base, and the
check that the worker runs the client's thirdcountry.

Imports no Dask at module level, and nothing of render.cluster.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.paths import PREVIOUS_SNAPSHOT_ENV
from thirdcountry.render.jobs import JobPlan, ReportJob, RunContext
from thirdcountry.render.produce import produce
from thirdcountry.render.worker_kernels import start_spare_kernel, use_worker_setup


@dataclass(frozen=True)
class RemoteTask:
    """One report as a worker receives it: everything but the fact base, which comes apart."""

    job: ReportJob  # its notebook_path is this machine's: the worker uses only its name
    notebook: bytes
    notebook_file: str  # the notebook as run.json names it
    context: RunContext  # the worker replaces its folders and scrubber with its own
    plan: JobPlan  # env without the previous snapshot's path (its bytes come apart)
    more_to_come: bool
    version: dict[str, str]  # the client's thirdcountry: the worker must have the same


@dataclass(frozen=True)
class Shipped:
    """A report made on a worker, back to the client: produce()'s result with file contents."""

    outcome: str
    duration: float
    record: dict
    contents: dict[str, bytes]
    error: str | None = None


class WrongVersion(RuntimeError):
    """A task reached a worker whose thirdcountry differs from the client's."""

    def __init__(self, message: str, worker: str = ""):
        super().__init__(message)
        self.worker = worker  # its address, so the client sends the report elsewhere

    def __reduce__(self):  # back to the client whole, address and all
        return (self.__class__, (str(self), self.worker))


def bytes_of(content: bytes) -> bytes:
    """Run on a worker: bytes the client sent (the fact base), for the tasks that need them."""
    return content


def render_remote(task: RemoteTask, facts_zip: bytes, previous_zip: bytes | None) -> Shipped:
    """Run on a worker: make one report in a temporary folder, return its files as bytes."""
    from thirdcountry.render.scrub import scrubber_for

    _refuse_other_code(task.version)
    settings = task.context.settings
    folder, data_dir = _worker_inputs(facts_zip, settings.data.path.name, task.version)
    notebook_path = folder.notebook(task.notebook, task.job.notebook_path.name)
    env = dict(task.plan.env)
    if previous_zip is not None:
        env[PREVIOUS_SNAPSHOT_ENV] = str(folder.blob(previous_zip, "facts.zip"))
    work = Path(tempfile.mkdtemp(prefix="report-", dir=folder.root))
    settings = dataclasses.replace(settings, data=dataclasses.replace(settings.data, path=data_dir))
    context = dataclasses.replace(
        task.context,
        settings=settings,
        temp_dir=work,
        scrubber=scrubber_for((data_dir, data_dir.name), (folder.root, "[tmp]")),
        snapshot=None,
    )
    job = dataclasses.replace(task.job, notebook_path=notebook_path)
    plan = dataclasses.replace(task.plan, env=env)
    try:
        produced = produce(
            job, context, work / "report", task.more_to_come, plan, task.notebook_file
        )
        contents = {name: path.read_bytes() for name, path in produced.files.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Shipped(produced.outcome, produced.duration, produced.record, contents, produced.error)


def warm_worker(facts_zip: bytes, data_name: str, version: dict[str, str]) -> None:
    """Run on a worker, first: its fact base unpacked, the rendering code imported and a spare
    kernel booting, before its first report arrives."""
    folder, _ = _worker_inputs(facts_zip, data_name, version)
    start_spare_kernel(folder.notebooks)


def _worker_inputs(facts_zip: bytes, data_name: str, version: dict[str, str]):
    """This worker's folder and its copy of the fact base; refused if its thirdcountry is not
    the client's. A worker running one report at a time keeps spare kernels for the next."""
    from thirdcountry.render.execute import prepare_process

    _refuse_other_code(version)
    prepare_process()
    folder = _WorkerFolder.get()
    data_dir = folder.data(facts_zip, data_name)
    if _one_thread():  # spare kernels are this process's, one report at a time
        use_worker_setup(data_dir, folder.notebooks, folder.root / "logs")
    return folder, data_dir


def _refuse_other_code(version: dict[str, str]) -> None:
    from thirdcountry.render.history import code_fingerprint

    ours = code_fingerprint()
    if ours != version:
        worker = _worker_address()
        raise WrongVersion(
            f"worker {worker or '?'} is refused: {version_mismatch(ours, version)}", worker
        )


def _this_worker():
    """The Dask worker running this task; None off a worker (a test calling a task directly)."""
    try:
        from distributed import get_worker

        return get_worker()
    except Exception:
        return None


def _worker_address() -> str:
    worker = _this_worker()
    return "" if worker is None else str(worker.address)


def _one_thread() -> bool:
    worker = _this_worker()
    return worker is not None and int(worker.state.nthreads) == 1  # Worker.state: documented


class _WorkerFolder:
    """A worker process's own temporary folder: fact bases and notebooks it was sent, by content,
    and one work folder per report. Removed when the process exits."""

    _instance: _WorkerFolder | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        from multiprocessing import util

        self.root = Path(tempfile.mkdtemp(prefix="thirdcountry-worker-"))
        (self.root / "logs").mkdir()
        self.notebooks = self.root / "notebooks"
        self.notebooks.mkdir()
        util.Finalize(None, shutil.rmtree, args=(self.root,), kwargs={"ignore_errors": True},
                      exitpriority=5)  # fmt: skip
        self._guard = threading.Lock()

    @classmethod
    def get(cls) -> _WorkerFolder:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def data(self, snapshot: bytes, name: str) -> Path:
        """The fact base as a data folder named like the client's (reports show its name)."""
        from thirdcountry.facts.snapshot import extract_snapshot

        digest = hashlib.sha256(snapshot).hexdigest()[:16]
        target = self.root / f"data-{digest}" / name
        with self._guard:
            if not target.is_dir():
                staging = self.root / f".data-{digest}-{uuid.uuid4().hex[:6]}"
                extract_snapshot(snapshot, staging / name)
                staging.rename(target.parent)
        return target

    def notebook(self, content: bytes, name: str) -> Path:
        digest = hashlib.sha256(content).hexdigest()[:12]
        path = self.notebooks / f"{digest}-{name}"
        if not path.is_file():
            _write_new(path, content)
        return path

    def blob(self, content: bytes, name: str) -> Path:
        digest = hashlib.sha256(content).hexdigest()[:16]
        path = self.root / f"blob-{digest}" / name
        if not path.is_file():
            path.parent.mkdir(exist_ok=True)
            _write_new(path, content)
        return path


def _write_new(path: Path, content: bytes) -> None:
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
    temp.write_bytes(content)
    temp.replace(path)


def version_mismatch(theirs: dict, ours: dict) -> str:
    if theirs.get("version") != ours["version"]:
        return (
            f"it has thirdcountry {theirs.get('version')}, this run needs {ours['version']} "
            "(install the same version on every worker)"
        )
    return (
        f"its thirdcountry {ours['version']} has other code (hash {theirs.get('code')}, here "
        f"{ours['code']}); install the same build on every worker"
    )
