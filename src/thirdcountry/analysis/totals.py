"""Totals a source gives for several agreements at once (totals.csv): selected whole, never split.

A total that names any of the selected agreements is shown with all the agreements it covers, so
a reader sees the one number and what it is the sum of; no share is ever assigned to one of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thirdcountry.facts import FactBase

TOTAL_COLUMNS = [
    "total_id", "agreement_ids", "measure", "value", "unit", "qualifier", "basis", "date",
    "earliest", "latest", "certainty", "source_id", "publisher", "url", "quote", "note",
]  # fmt: skip


def select_totals(
    facts: FactBase, agreement_ids: Iterable[str] | None = None, as_of: object = None
) -> pd.DataFrame:
    """Totals naming any of the agreements (all when None), known by as_of, with their source."""
    totals = facts.totals
    if agreement_ids is not None:
        wanted = set(agreement_ids)
        totals = totals[[bool(wanted & set(ids)) for ids in totals["agreement_ids"]]]
    if as_of is not None:
        holds_by = totals["latest"].fillna(totals["earliest"])
        totals = totals[holds_by <= pd.Timestamp(as_of)]
    sources = facts.sources.set_index("source_id")
    frame = totals.assign(
        publisher=totals["source_id"].map(sources["publisher"]),
        url=totals["source_id"].map(sources["url"]),
    )
    for column in ("measure", "qualifier", "basis", "certainty"):
        frame[column] = frame[column].astype(str)
    return frame.reindex(columns=TOTAL_COLUMNS).sort_values("latest").reset_index(drop=True)
