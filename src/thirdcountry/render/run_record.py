"""A report's run record (run.json): what was rendered, from what, how it ended, and its error
told without local paths."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from thirdcountry.paths import PROJECT_ROOT
from thirdcountry.render.jobs import ReportJob, RunContext
from thirdcountry.render.outputs import FILES
from thirdcountry.render.scrub import ANSI, Scrubber


def relative_metadata(nb, job: ReportJob, notebook_file: str) -> None:
    """papermill records where the notebook came from and went; keep those names relative."""
    papermill = nb.metadata.setdefault("papermill", {})
    papermill["input_path"] = notebook_file
    papermill["output_path"] = f"{job.notebook}/{job.slug}/{FILES['ipynb']}"
    papermill["environment_variables"] = {}


def shown_notebook_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def run_record(
    job, context: RunContext, started, duration, outcome, error, title, files, plan, notebook_file
) -> dict:
    settings = context.settings
    finished = started + dt.timedelta(seconds=duration)
    record = {
        "report": job.label,
        "notebook": job.notebook,
        "notebook_file": notebook_file,
        "slug": job.slug,
        "title": title,
        "parameters": {
            **job.parameters,
            **({job.data_parameter: settings.data.path.name} if job.data_parameter else {}),
        },
        "series": job.series,
        "outcome": outcome,
        "error": _error_record(error, context.scrubber) if error else None,
        "started": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "finished": finished.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "duration_s": round(duration, 3),
        "timeout_s": settings.timeout,
        "formats": [f for f in settings.formats if outcome == "ok"],
        "pdf_engine": settings.pdf_engine if "pdf" in settings.formats else None,
        "files": {kind: FILES[kind] for kind in files if kind in FILES},
        "tables": sorted(name for name in files if name not in FILES),
        "data": settings.data.record,
        "inputs": plan.inputs if plan is not None else None,
        "compared_with": plan.compared_with if plan is not None else None,
        **context.provenance,
    }
    return record


def _error_record(error: dict, scrubber: Scrubber) -> dict:
    lines: list[str] = []
    for chunk in error.get("traceback") or []:
        lines += ANSI.sub("", str(chunk)).rstrip("\n").split("\n")
    return {
        "ename": scrubber.diagnostic(str(error.get("ename", ""))),
        "evalue": scrubber.diagnostic(ANSI.sub("", str(error.get("evalue", "")))),
        "cell": error.get("cell"),
        "stage": error.get("stage", "execute"),
        "traceback": [scrubber.diagnostic(line) for line in lines],
    }


def one_line(scrubber: Scrubber, exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}").strip()
    return scrubber.diagnostic(text)[:500]
