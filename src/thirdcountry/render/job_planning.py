"""Planning a batch: each report's inputs and its previous good run, and which reports a
scheduled run skips because nothing they depend on changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from thirdcountry.paths import CHECKED_DATA_ENV
from thirdcountry.render.jobs import JobPlan, ReportJob, Result, Settings

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase


def plan_jobs(jobs: list[ReportJob], settings: Settings, facts: FactBase | None = None):
    """Each report's inputs and previous good run; the reports that need no rendering."""
    from thirdcountry.render.history import good_run, prune_history, report_inputs
    from thirdcountry.render.input_keys import data_keys

    plans: dict[str, JobPlan] = {}
    skipped: list[Result] = []
    layout = settings.layout
    keys = data_keys(jobs, facts) if facts is not None else {}  # the slice each report reads
    # The fact base was checked in full before planning: its kernels need not check it again.
    checked = {CHECKED_DATA_ENV: settings.data.content_hash} if settings.data.content_hash else {}
    for job in jobs:
        inputs = report_inputs(
            job.notebook_path,
            job.parameters,
            keys.get(job.label, settings.data.content_hash),
            settings.formats,
            settings.pdf_engine,
        )
        previous = good_run(layout, job.notebook, job.slug) if settings.scheduled else None
        if (
            settings.if_changed
            and not settings.force
            and previous is not None
            and previous.inputs_hash == inputs["hash"]
        ):
            skipped.append(Result(job.label, job.notebook, job.slug, "skipped", 0.0,
                                  where=previous.folder, previous=previous.started))  # fmt: skip
            if settings.keep is not None:
                prune_history(layout, job.notebook, job.slug, settings.keep)
            continue
        compared = None
        if previous is not None:
            compared = {
                "started": previous.started,
                "data": previous.record.get("data"),
                "snapshot": previous.snapshot is not None,
            }
        env = checked | (previous.environment() if previous is not None else {})
        plans[job.label] = JobPlan(inputs, env, compared)
    return plans, skipped


# ---- worker processes ------------------------------------------------------------------------
