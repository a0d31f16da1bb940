"""Each report's data key: the hash of the slice of the fact base it reads
(analysis.input_slice), which render.history.report_inputs folds into the report's inputs.

A one-event edit then changes the keys of the reports whose slice holds that event (its
agreement's page, its countries' reports, the whole-base overviews) and of no other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase


class ReportJob(Protocol):
    """What a key needs of a render.batch.ReportJob (not imported: batch imports this)."""

    @property
    def label(self) -> str: ...
    @property
    def notebook_path(self) -> Path: ...
    @property
    def parameters(self) -> Mapping[str, object]: ...


def data_keys(jobs: Iterable[ReportJob], facts: FactBase) -> dict[str, str]:
    """{job label: data key}; the fact base is indexed once for all of them."""
    from thirdcountry.analysis import latest_event_date
    from thirdcountry.analysis.input_slice import row_index, slice_hash
    from thirdcountry.render.notebooks import read_notebook

    index = row_index(facts)
    latest = latest_event_date(facts)
    models = {}
    keys = {}
    for job in jobs:
        if job.notebook_path not in models:
            models[job.notebook_path] = read_notebook(job.notebook_path).model
        scope = models[job.notebook_path].data_scope(job.parameters)
        keys[job.label] = slice_hash(index, scope, facts.content_hash, latest)
    return keys
