"""Earlier runs of a report: what it was made from, the last good one, and the dated history.

A scheduled run (`render --if-changed`) compares each report's inputs — the notebook, the fact
base, the parameters, the thirdcountry code, the formats, the PDF engine and the installed
packages — with those of its last good run, recorded in
that run's run.json, and skips the report when they are equal. The report's `facts.zip` (a
snapshot of the fact base it used) lets the next run say what was added or corrected since.

    reports/<notebook>/<slug>/run.json                  the last good run (and its facts.zip)
    reports/_history/<notebook>/<slug>/<started>/       the last --keep N good runs, newest last
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from thirdcountry.paths import PACKAGE_DIR, PREVIOUS_RUN_ENV, PREVIOUS_SNAPSHOT_ENV
from thirdcountry.render.outputs import (
    FILES,
    HISTORY_DIR,
    RUN_FILE,
    SNAPSHOT_FILE,
    Layout,
    remove_tree,
)

# Read by the overview notebook's kernel (thirdcountry.report.overview uses the same names):
# the snapshot of the facts the report's previous good run used, and when that run started.
# Environment variables, never notebook parameters: no absolute path lands in the notebook.


# ---- what a report is made from --------------------------------------------------------------


@cache
def code_fingerprint() -> dict[str, str]:
    """thirdcountry's version number and a hash of its code (modules and templates).

    The notebooks are left out (each report's key has its own notebook's hash), so a checkout
    (where notebooks/ is a symlink, which rglob does not follow) and the wheel built from it
    give the same hash.
    """
    from thirdcountry.provenance import code_version

    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if path.relative_to(PACKAGE_DIR).parts[0] == "notebooks":
            continue
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return {"version": code_version(), "code": digest.hexdigest()[:12]}


@cache
def environment_fingerprint() -> dict[str, str]:
    """The Python version and a hash of every installed distribution's name and version: an
    upgrade of matplotlib, WeasyPrint or anything they use can change a report's bytes."""
    import platform

    from thirdcountry.provenance import installed_distributions

    packages = "\n".join(installed_distributions()).encode()
    return {
        "python": platform.python_version(),
        "packages": hashlib.sha256(packages).hexdigest()[:12],
    }


@cache
def pdf_engine_version(engine: str) -> str:
    """The PDF engine, its version ('chromium 131.0...') and what it writes: WeasyPrint's
    version is in the packages, its PDF variant ('weasyprint pdf/ua-1') is named here."""
    if engine != "chromium":
        from thirdcountry.render.pdf import PDF_VARIANT

        return f"{engine} {PDF_VARIANT}"
    import subprocess

    from thirdcountry.render.pdf import chromium_executable

    executable = chromium_executable()
    if executable is None:
        return "chromium (not found)"
    try:
        result = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "chromium (version unknown)"
    return result.stdout.strip() or "chromium (version unknown)"


def report_inputs(
    notebook_path: Path,
    parameters: Mapping[str, object],
    data_hash: str,
    formats: Iterable[str],
    pdf_engine: str = "weasyprint",
) -> dict[str, object]:
    """Everything a report is made from, and one hash of it all (`hash`).

    Equal hashes mean an equal report (apart from the time it ran): the same notebook file, the
    same fact base (its content hash), the same parameters, the same thirdcountry version and
    code, the same output formats, the same PDF engine (and its version), and the same Python
    and installed packages.
    """
    code = code_fingerprint()
    formats = sorted(formats)
    environment = environment_fingerprint()
    inputs: dict[str, object] = {
        "notebook": hashlib.sha256(notebook_path.read_bytes()).hexdigest()[:12],
        "parameters": dict(parameters),
        "data": data_hash,
        "thirdcountry": code["version"],
        "code": code["code"],
        "formats": formats,
        "pdf_engine": pdf_engine_version(pdf_engine) if "pdf" in formats else None,
        "python": environment["python"],
        "packages": environment["packages"],
    }
    canonical = json.dumps(inputs, sort_keys=True, default=str, ensure_ascii=True)
    inputs["hash"] = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return inputs


# ---- good runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodRun:
    """A good run of a report: its folder (the report's own, or a history entry) and run.json."""

    notebook: str
    slug: str
    folder: Path
    record: dict

    @property
    def label(self) -> str:
        return f"{self.notebook}/{self.slug}"

    @property
    def started(self) -> str:
        return str(self.record.get("started") or "")

    @property
    def inputs_hash(self) -> str | None:
        inputs = self.record.get("inputs")
        return inputs.get("hash") if isinstance(inputs, dict) else None

    @property
    def data_hash(self) -> str:
        return str((self.record.get("data") or {}).get("content_hash") or "")

    @property
    def snapshot(self) -> Path | None:
        """The facts this run used, if it kept them (scheduled runs do)."""
        name = self.record.get("snapshot")
        if name != SNAPSHOT_FILE:
            return None
        path = self.folder / SNAPSHOT_FILE
        return path if path.is_file() else None

    def environment(self) -> dict[str, str]:
        """What the next run's kernel is told about this run (absolute paths stay out of output)."""
        env = {PREVIOUS_RUN_ENV: self.started}
        if self.snapshot is not None:
            env[PREVIOUS_SNAPSHOT_ENV] = str(self.snapshot.resolve())
        return env


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("outcome") == "ok" else None


def good_run(layout: Layout, notebook: str, slug: str) -> GoodRun | None:
    """The report's last good run: the one in reports/<notebook>/<slug>/."""
    folder = layout.report_dir(notebook, slug)
    record = _read_record(folder / RUN_FILE)
    return GoodRun(notebook, slug, folder, record) if record is not None else None


def good_runs(layout: Layout) -> list[GoodRun]:
    """The last good run of every report in the folder."""
    runs = []
    for run_file in sorted(layout.root.glob(f"*/*/{RUN_FILE}")):
        notebook, slug = run_file.parent.parent.name, run_file.parent.name
        if notebook.startswith((".", "_")) or slug.startswith("."):
            continue
        record = _read_record(run_file)
        if record is not None:
            runs.append(GoodRun(notebook, slug, run_file.parent, record))
    return runs


def latest_good_run(layout: Layout) -> GoodRun | None:
    """The most recent good run of any report in the folder (by its start time)."""
    runs = good_runs(layout)
    return max(runs, key=lambda run: (run.started, run.label)) if runs else None


def history(layout: Layout, notebook: str, slug: str) -> list[GoodRun]:
    """The report's kept good runs, oldest first."""
    base = layout.history_dir(notebook, slug)
    runs = []
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        if folder.name.startswith("."):
            continue
        record = _read_record(folder / RUN_FILE)
        if record is not None:
            runs.append(GoodRun(notebook, slug, folder, record))
    return runs


def history_name(started: str) -> str:
    """A history folder's name from a run's start: '2026-03-12T101503Z' (sorts by time)."""
    return started.replace(":", "").replace("+0000", "Z") or "unknown"


def keep_in_history(
    layout: Layout, notebook: str, slug: str, keep: int, temp_dir: Path
) -> Path | None:
    """Add the report's good run (just moved into place) to its history; keep the last `keep`.

    The history entry holds hard links to the report's files (copies where links cannot be made),
    so it costs no space until the next run replaces the report. It appears whole: it is built
    under the run's temp dir, then renamed into place.
    """
    source = layout.report_dir(notebook, slug)
    record = _read_record(source / RUN_FILE)
    if record is None:
        return None
    staging = temp_dir / f"history--{notebook}--{slug}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    names = [*FILES.values(), SNAPSHOT_FILE, RUN_FILE]
    names += [f"tables/{p.name}" for p in sorted((source / "tables").glob("*.csv"))]
    for name in names:
        if (source / name).is_file():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / name, staging / name)
            except OSError:
                shutil.copy2(source / name, staging / name)
    base = layout.history_dir(notebook, slug)
    base.mkdir(parents=True, exist_ok=True)
    name = history_name(str(record.get("started") or ""))
    target, number = base / name, 1
    while target.exists():
        number += 1
        target = base / f"{name}-{number}"
    staging.rename(target)
    prune_history(layout, notebook, slug, keep)
    return target


def prune_history(layout: Layout, notebook: str, slug: str, keep: int) -> None:
    """Remove all but the newest `keep` entries of a report's history."""
    base = layout.history_dir(notebook, slug)
    if not base.is_dir():
        return
    entries = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in entries[: max(0, len(entries) - keep)]:
        remove_tree(old)
    with contextlib.suppress(OSError):
        base.rmdir()  # only if now empty


def history_link(run: GoodRun) -> str:
    """A history entry's folder relative to the reports folder, for the index."""
    return f"{HISTORY_DIR}/{run.notebook}/{run.slug}/{run.folder.name}/"
