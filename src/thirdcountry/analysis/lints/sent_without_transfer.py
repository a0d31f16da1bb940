"""People counted as sent under an agreement need a transfer on record by the figure's date.

A count of people sent is evidence of transfers; the agreement's 'implemented' step (its first
transfer) or a 'transfer' event must be on record on or before the count. Dates are compared by
their EDTF bounds: a step that may have come by the figure's last day is enough, so '2025-07'
does not contradict '2025-07-15'.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from thirdcountry.analysis.lints.rule import Flag, Rule
from thirdcountry.facts import FactBase

TRANSFER_KINDS = ("implemented", "transfer")


def _check(facts: FactBase) -> Iterator[Flag]:
    events = facts.events[
        facts.events["kind"].isin(TRANSFER_KINDS) & (facts.events["certainty"] != "planned")
    ]
    first: dict[str, pd.Timestamp] = {}
    for row in events.itertuples():
        if pd.isna(row.agreement_id) or pd.isna(row.earliest):
            continue
        if row.agreement_id not in first or row.earliest < first[row.agreement_id]:
            first[row.agreement_id] = row.earliest
    sent = facts.figures[
        (facts.figures["measure"] == "people_transferred")
        & (facts.figures["certainty"] != "planned")
        & (facts.figures["value"] > 0)
    ]
    for row in sent.itertuples():
        earliest_step = first.get(row.agreement_id)
        if earliest_step is not None and (pd.isna(row.latest) or earliest_step <= row.latest):
            continue
        known = (
            f"its first is {earliest_step.date().isoformat()}"
            if earliest_step is not None
            else "none is on record"
        )
        yield (
            row.csv_line,
            row.figure_id,
            f"{row.value:,.0f} people counted as sent under {row.agreement_id!r} by {row.date}, "
            f"but no implemented or transfer step on or before that date ({known}); add the "
            "first transfer with its source",
        )


RULE = Rule(
    name="sent-without-transfer",
    table="figures",
    why="people are counted as sent under an agreement that has no implemented or transfer step "
    "on or before the figure's date",
    check=_check,
)
