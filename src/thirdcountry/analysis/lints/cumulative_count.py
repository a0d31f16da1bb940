"""A running total from one source that may fall needs a note saying why.

Validation refuses a cumulative count that certainly falls (a smaller number on a certainly later
date); this rule also flags one that falls between dates that overlap ('2025-07' then
'2025-07-15'), or that is only bounded from above, which a reader would take for a decline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from thirdcountry.analysis.lints.rule import Flag, Rule
from thirdcountry.facts import FactBase


def _check(facts: FactBase) -> Iterator[Flag]:
    cumulative = facts.figures[facts.figures["basis"] == "cumulative"]
    groups: dict[tuple, list] = {}
    for row in cumulative.itertuples():
        if pd.isna(row.earliest):
            continue
        key = (row.agreement_id, str(row.measure), row.unit, row.source_id)
        groups.setdefault(key, []).append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: (r.earliest, r.latest if pd.notna(r.latest) else r.earliest))
        for position, later in enumerate(rows):
            if pd.notna(later.note):
                continue
            higher = [
                earlier
                for earlier in rows[:position]
                if earlier.value > later.value
                and earlier.earliest <= later.earliest
                and (
                    pd.isna(earlier.latest)
                    or pd.isna(later.latest)
                    or earlier.latest <= later.latest
                )
                and (earlier.earliest, earlier.latest) != (later.earliest, later.latest)
            ]
            if higher:
                earlier = max(higher, key=lambda r: r.value)
                yield (
                    later.csv_line,
                    later.figure_id,
                    f"{later.value:,.0f} on {later.date} is less than {earlier.value:,.0f} on "
                    f"{earlier.date} ({earlier.figure_id}) from the same source; a cumulative "
                    "count cannot fall: fix it or say why in the note",
                )


RULE = Rule(
    name="cumulative-falls",
    table="figures",
    why="a cumulative count falls within one source without a note saying why",
    check=_check,
)


def _not_later(a: pd.Timestamp, b: pd.Timestamp) -> bool:
    return bool(pd.isna(a) or pd.isna(b) or a <= b)
