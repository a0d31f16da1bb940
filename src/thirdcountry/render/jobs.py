"""What a batch of reports is made of: the reports to render, the run's settings and fact base,
what each worker is given, and what each report came to (Result, Summary).

Every other module of a render imports these; they import none of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from thirdcountry.paths import DEFAULT_BASE_URL
from thirdcountry.render.outputs import Layout
from thirdcountry.render.scrub import Scrubber


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
class RunContext:
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
    feed: object | None = None  # render.feed_files.FeedUpdate of a scheduled run
    database: object | None = None  # render.sqlite_export.ExportResult of a scheduled run

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


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
