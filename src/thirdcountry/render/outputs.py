"""Where reports go, and how they get there: atomically, with a run.json each.

    reports/
      index.html                      every report, its parameters, data, run time, outcome
      feed.atom  feed.json            what changed in the facts, run by run (render/feed_files.py)
      <notebook>/<slug>/report.html   self-contained HTML
                        report.pdf    made from that HTML
                        report.ipynb  the executed notebook
                        run.json      how it was made (provenance)
                        facts.zip     the fact base it used (scheduled runs: --if-changed)
                        tables/*.csv  full tables the report shows the top rows of
      _failed/<notebook>/<slug>/      the last failed run of a report, readable, with run.json
      _history/<notebook>/<slug>/<started>/   the last --keep N good runs of a report
      _feed/                          the feeds' entries and the facts they last compared
      .tmp/  .lock                    work in progress of a running render; ignored, cleaned

Every file is written under .tmp/ and moved into place with os.replace, so a reader sees the
old file or the new one, never half of one. A run killed at any point leaves only .tmp/ behind,
which the next run removes (holding .lock, so never while another run is using it). One run at
a time holds .lock, an OS lock the kernel releases when its process dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from thirdcountry.errors import BadInput, Locked
from thirdcountry.paths import DATA_PACKAGE_FILE
from thirdcountry.render.notebooks import ReportNotebook

FILES = {"html": "report.html", "pdf": "report.pdf", "ipynb": "report.ipynb"}
RUN_FILE = "run.json"
SNAPSHOT_FILE = DATA_PACKAGE_FILE  # the fact base a report was made from, beside it
INDEX_FILE = "index.html"
FAILED_DIR = "_failed"
HISTORY_DIR = "_history"
TEMP_DIR = ".tmp"
LOCK_FILE = ".lock"
MAX_SLUG = 80
NOTEBOOK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Layout:
    root: Path

    def report_dir(self, notebook: str, slug: str) -> Path:
        return self.root / notebook / slug

    def failed_dir(self, notebook: str, slug: str) -> Path:
        return self.root / FAILED_DIR / notebook / slug

    def history_dir(self, notebook: str, slug: str) -> Path:
        return self.root / HISTORY_DIR / notebook / slug

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    @property
    def temp_root(self) -> Path:
        return self.root / TEMP_DIR

    @property
    def index(self) -> Path:
        return self.root / INDEX_FILE


def slug_for(
    notebook: ReportNotebook,
    parameters: Mapping[str, object],
    shown: Mapping[str, str] | None = None,
) -> str:
    """A readable, stable folder name from the parameters given: 'country-slv', 'default'.

    Parameters appear in the notebook's order; empty values and the data folder (set with
    --data, never a parameter) are left out. `shown`
    names a parameter by other text than its value: a dated series' period ('as-of-2019-01').
    A name that would be too long is cut and given a short hash of the parameters, so it stays
    unique.
    """
    parts = []
    for parameter in notebook.parameters:
        name, value = parameter.name, parameters.get(parameter.name)
        if parameter.type.set_with or value in (None, "", [], ()):
            continue
        if shown and name in shown:
            value = shown[name]
        parts.append(f"{_slug_text(name)}-{_slug_text(value)}")
    slug = "_".join(parts) or "default"
    if len(slug) > MAX_SLUG:
        canonical = json.dumps(parameters, sort_keys=True, default=str)
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
        slug = slug[: MAX_SLUG - 9].rstrip("-_") + "-" + digest
    return slug


def _slug_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return "-".join(_slug_text(v) for v in value)
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


def check_notebook_name(name: str) -> None:
    if not NOTEBOOK_NAME.fullmatch(name) or name in (FAILED_DIR, HISTORY_DIR):
        raise BadInput(
            f"{name!r}: a report notebook's name must start with a letter or digit and use only "
            "letters, digits, '-' and '_'"
        )


# ---- writing -------------------------------------------------------------------------------


def write_atomic(target: Path, content: bytes | str, temp_dir: Path) -> None:
    """Write content to a temporary file beside nothing a reader looks at, then move it in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, name = tempfile.mkstemp(dir=temp_dir, prefix=target.name + ".")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temp.chmod(0o644)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# Files a report hands over beside itself (report.safe_html.FILES_METADATA_KEY): full tables as
# CSV. Only these names are accepted from a notebook, so no output can write elsewhere.
SIDE_FILE = re.compile(r"tables/[a-z0-9][a-z0-9-]*\.csv")
SIDE_DIRS = ("tables",)


def side_files(nb) -> dict[str, str]:
    """{relative name: text} of the files the executed notebook's outputs ask to write beside it."""
    from thirdcountry.report.safe_html import FILES_METADATA_KEY

    found: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            files = output.get("metadata", {}).get(FILES_METADATA_KEY) or {}
            if not isinstance(files, dict):
                continue
            for name, text in files.items():
                if isinstance(name, str) and SIDE_FILE.fullmatch(name) and isinstance(text, str):
                    found[name] = text
    return found


def move_into_place(files: Mapping[str, Path], target_dir: Path) -> None:
    """Move finished temporary files into target_dir, run.json last; drop files not made now.

    All or nothing: the files being replaced are first linked aside, and put back if any move
    fails, so a folder never mixes a new report.ipynb with an old report.html.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    ordered = sorted(files.items(), key=lambda item: item[0] == RUN_FILE)
    backup_dir = next(iter(files.values())).parent / f".previous-{target_dir.name}"
    backups = _link_aside(target_dir, [name for name, _ in ordered], backup_dir)
    moved: list[str] = []
    try:
        for name, path in ordered:
            path.chmod(0o644)
            (target_dir / name).parent.mkdir(parents=True, exist_ok=True)
            path.replace(target_dir / name)
            moved.append(name)
    except OSError:
        for name in moved:
            if name in backups:
                backups[name].replace(target_dir / name)
            else:
                with contextlib.suppress(FileNotFoundError):
                    (target_dir / name).unlink()
        raise
    finally:
        shutil.rmtree(backup_dir, ignore_errors=True)
    for name in [*FILES.values(), SNAPSHOT_FILE, RUN_FILE]:
        if name not in files:
            with contextlib.suppress(FileNotFoundError):
                (target_dir / name).unlink()
    for folder in SIDE_DIRS:  # side files of an earlier run that this one did not make
        if (target_dir / folder).is_dir():
            for old in (target_dir / folder).iterdir():
                if f"{folder}/{old.name}" not in files and old.is_file():
                    old.unlink(missing_ok=True)


def _link_aside(target_dir: Path, names: list[str], backup_dir: Path) -> dict[str, Path]:
    """Hard links to the files about to be replaced (no copy: the same bytes, no new space)."""
    backups: dict[str, Path] = {}
    for name in names:
        current = target_dir / name
        if current.is_file():
            backups[name] = backup_dir / name
            backups[name].parent.mkdir(parents=True, exist_ok=True)
            os.link(current, backups[name])
    return backups


def json_text(record: object) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"


def remove_tree(path: Path) -> None:
    """Remove a folder, first moving it out of sight so no reader sees it half-deleted."""
    if not path.exists():
        return
    parent = path.parent
    hidden = parent / f".{path.name}.removing-{os.getpid()}"
    try:
        path.replace(hidden)
    except OSError:
        hidden = path
    shutil.rmtree(hidden, ignore_errors=True)
    with contextlib.suppress(OSError):
        parent.rmdir()  # only if now empty


# ---- a run's session: the lock and the temporary folder ---------------------------------------


class LockBusy(Locked):
    """Another run holds the reports folder's lock and did not let go within --wait seconds."""

    def __init__(self, lock: Path, waited: float):
        super().__init__(f"another run holds {lock} (waited {waited:g} s)")
        self.lock = lock
        self.waited = waited

    def __reduce__(self):
        return (self.__class__, (self.lock, self.waited))


@contextlib.contextmanager
def session(
    layout: Layout,
    quiet: bool = False,
    wait: float | None = None,
    on_wait: Callable[[float | None], None] | None = None,
) -> Iterator[Path]:
    """Hold the reports folder's lock, clear what killed runs left, and give a fresh temp dir.

    Another run holding the lock is waited for up to `wait` seconds (None: as long as it takes),
    then LockBusy is raised. on_wait(wait) is called once if there is any waiting to do.
    """
    from filelock import FileLock, Timeout

    layout.root.mkdir(parents=True, exist_ok=True)
    # An OS lock (flock): released by the kernel when the holder dies, whatever killed it.
    lock = FileLock(str(layout.lock))
    first = 0.2 if wait is None else max(0.0, min(wait, 0.2))
    try:
        lock.acquire(timeout=first)
    except Timeout:
        if wait is not None and wait <= first:
            raise LockBusy(layout.lock, wait) from None
        if on_wait is not None:
            on_wait(wait)
        elif not quiet:
            sys.stderr.write("waiting for another render using this reports folder...\n")
        try:
            lock.acquire(timeout=-1 if wait is None else wait - first)
        except Timeout:
            raise LockBusy(layout.lock, wait or 0.0) from None
    try:
        shutil.rmtree(layout.temp_root, ignore_errors=True)
        layout.temp_root.mkdir()
        yield Path(tempfile.mkdtemp(prefix="run-", dir=layout.temp_root))
    finally:
        shutil.rmtree(layout.temp_root, ignore_errors=True)
        lock.release()
