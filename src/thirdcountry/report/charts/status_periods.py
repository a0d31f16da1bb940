"""Status periods for drawing: each period's end bounded by every later step."""

from __future__ import annotations

import pandas as pd

from thirdcountry.report.palette import status_rank


def bounded_ends(history: pd.DataFrame) -> pd.DataFrame:
    """The history with each period's end bounded by every later step, not only the next one.

    A status is the furthest step certainly taken (as in analysis.status_as_of). So a period is
    certainly over once any later step has certainly happened (its latest start), and may be
    over as soon as any later step may have happened (its earliest start; an open start means
    at any time).
    """
    if not len(history):
        return history
    frame = history.copy()
    rank = frame["status"].astype(str).map(lambda s: status_rank(s))
    frame = frame.assign(_rank=rank).sort_values(["agreement_id", "_rank"], kind="stable")
    groups = frame["agreement_id"].iloc[::-1]

    def later_minimum(column: str, open_value: pd.Timestamp) -> pd.Series:
        values = pd.to_datetime(frame[column]).astype("datetime64[ns]").fillna(open_value)
        # Vectorised: the running minimum from each agreement's last period back, shifted by
        # one so a period sees only later ones (a per-group lambda is slow for thousands).
        reversed_values = values.iloc[::-1]
        running = reversed_values.groupby(groups, sort=False).cummin()
        return running.groupby(groups, sort=False).shift(1).iloc[::-1]

    never = pd.Timestamp.max.floor("D")  # an open latest start: never certainly begun
    always = pd.Timestamp.min.ceil("D")  # an open earliest start: may have begun at any time
    later_latest = later_minimum("start_latest", never)
    later_earliest = later_minimum("start_earliest", always)
    end_earliest = pd.to_datetime(frame["end_earliest"]).astype("datetime64[ns]")
    end_latest = pd.to_datetime(frame["end_latest"]).astype("datetime64[ns]")
    has_later = later_latest.notna()

    bound = later_latest.where(later_latest < never)
    capped = end_latest.where(end_latest.notna() & (end_latest <= bound), bound)
    frame["end_latest"] = end_latest.where(~has_later | bound.isna(), capped)

    sooner = end_earliest.where(
        end_earliest.notna() & (end_earliest <= later_earliest), later_earliest
    )
    sooner = sooner.where(sooner > always)  # NaT: may end as soon as it begins
    frame["end_earliest"] = end_earliest.where(~has_later, sooner)
    return frame.drop(columns="_rank")
