"""The fact base model: every table of one fact base folder as typed pandas frames.

Its own module so that loading (facts/load.py) and validation (facts/validate.py) both use it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thirdcountry.facts.schema import TOTALS_CONTRACT, WAIVERS_CONTRACT, Table
from thirdcountry.paths import display_path


@dataclass
class FactBase:
    """Everything in one fact base folder. Frames keep `csv_line`, the line each row came from."""

    data_dir: Path
    schema: dict[str, Table]
    sources: pd.DataFrame
    entities: pd.DataFrame
    agreements: pd.DataFrame
    events: pd.DataFrame
    conflicts: pd.DataFrame
    figures: pd.DataFrame
    verifications: pd.DataFrame
    context_events: pd.DataFrame  # the legal frame (schema.CONTEXT_CONTRACT); never a status
    # Reviewed waivers of lint findings (analysis/lints); none where the descriptor has no table.
    waivers: pd.DataFrame = field(default_factory=lambda: no_waivers())
    # Totals across several agreements, kept whole; none where the descriptor has no table.
    totals: pd.DataFrame = field(default_factory=lambda: no_totals())
    source_texts: dict[str, str] = field(default_factory=dict)
    # The stored texts the sources reference, relative to data_dir: hashed and snapshotted.
    text_files: tuple[Path, ...] = ()
    content_hash: str = ""
    # Per table, keys of rows left out for a problem: they exist, so nothing refers to them wrongly.
    rejected_keys: dict[str, set[str]] = field(default_factory=dict)
    # Every declared table as read, cells as plain strings (the contract's and any other the
    # descriptor adds), and a digest of each file: what a comparison of two versions walks.
    records: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    file_digests: dict[str, str] = field(default_factory=dict)

    def shown(self, table: str) -> str:
        """How a table's file is named in messages, e.g. 'data/events.csv'."""
        return display_path(self.data_dir / self.schema[table].path, self.data_dir)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def empty_table(
    columns: tuple[str, ...],
    *,
    lists: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A table of a fact base whose descriptor predates it: no rows, each column typed as loading
    types it (strings, lists, dates, numbers), and `csv_line`."""
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    for column in lists:
        frame[column] = pd.Series(dtype=object)
    for column in dates:
        frame[column] = pd.Series(dtype="datetime64[ns]")
    for column in numbers:
        frame[column] = pd.Series(dtype="float64")
    frame["csv_line"] = pd.Series(dtype="int64")
    return frame


def no_waivers() -> pd.DataFrame:
    """The waivers frame of a fact base whose descriptor predates waivers: no rows."""
    return empty_table(WAIVERS_CONTRACT["waivers"], dates=("reviewed_on",))


def no_totals() -> pd.DataFrame:
    """The totals frame of a fact base whose descriptor predates totals: no rows."""
    return empty_table(
        TOTALS_CONTRACT["totals"],
        lists=("agreement_ids",),
        numbers=("value",),
        dates=("earliest", "latest"),
    )
