"""Figures per agreement: selections, running totals with ranges, and cost per person sent.

A running total is built from every kind of figure a source gives, never by averaging:

- a cumulative count is the total as of its date (a range where sources disagree on the same
  date; 'at least N' leaves the top open);
- a period total that covers the agreement from its first figure on counts as a cumulative total
  at the period's end; a period total that begins after the last known total adds to it (exactly
  when it begins the next day, as year-by-year totals do; as a floor after a gap); a period that
  overlaps what is known only raises the floor;
- single transfers add up: the flights after the last cumulative count add to it, as a floor
  (other flights may have gone unreported); sources giving a transfer on the same date are
  taken to describe the same transfer (their lowest and highest numbers make a range);
- a total never falls: each step keeps at least the floor of the step before. A source that gives
  less than an earlier floor widens the step into a disputed range instead.

Pledges (certainty 'planned') are left out of totals; `cost_per_person` falls back to them only
where nothing was reported paid, and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from thirdcountry.analysis.resolutions import open_figure_ids
from thirdcountry.facts import FactBase

FIGURE_COLUMNS = [
    "figure_id", "agreement_id", "title", "sending", "receiving", "measure", "value", "unit",
    "qualifier", "basis", "date", "earliest", "latest", "precision", "certainty", "source_id",
    "publisher", "tier", "url", "quote", "note", "disputed",
]  # fmt: skip
STEP_COLUMNS = [
    "agreement_id", "measure", "unit", "date", "earliest", "latest", "low", "high", "open_above",
    "approximate", "disputed", "figure_ids", "source_ids",
]  # fmt: skip
COST_COLUMNS = [
    "agreement_id", "title", "currency", "paid_low", "paid_high", "pledged_only", "paid_as_of",
    "people_low", "people_high", "people_open_above", "people_as_of", "cost_low", "cost_high",
    "figure_ids", "source_ids",
]  # fmt: skip
COUNT_MEASURES = ("people_transferred", "people_left_onward")


def figure_table(facts: FactBase) -> pd.DataFrame:
    """Every figure with its agreement's title and parties, its source's publisher and tier, and
    whether a declared conflict that is still open names it."""
    figures = facts.figures
    agreements = facts.agreements.set_index("agreement_id")
    sources = facts.sources.set_index("source_id")
    disputed = open_figure_ids(facts)
    table = figures.assign(
        title=figures["agreement_id"].map(agreements["title"]),
        sending=figures["agreement_id"].map(agreements["sending"]),
        receiving=figures["agreement_id"].map(agreements["receiving"]),
        publisher=figures["source_id"].map(sources["publisher"]),
        tier=figures["source_id"].map(sources["tier"].astype(str)),
        url=figures["source_id"].map(sources["url"]),
        disputed=figures["figure_id"].isin(disputed),
    )
    for column in ("measure", "qualifier", "basis", "certainty", "precision"):
        table[column] = table[column].astype(str)
    order = table.sort_values(["agreement_id", "measure", "latest", "figure_id"], kind="stable")
    return order[FIGURE_COLUMNS].reset_index(drop=True)


def select_figures(
    facts: FactBase,
    *,
    agreement_ids: Iterable[str] | None = None,
    countries: Sequence[str] = (),
    measures: Sequence[str] = (),
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Figures of some agreements, of agreements a country (ISO3) is party to, of some measures."""
    table = figure_table(facts) if table is None else table
    keep = pd.Series(True, index=table.index)
    if agreement_ids is not None:
        keep &= table["agreement_id"].isin(set(agreement_ids))
    if countries:
        parties = _agreements_of(facts, countries)
        keep &= table["agreement_id"].isin(parties)
    if measures:
        keep &= table["measure"].isin(set(measures))
    return table[keep].reset_index(drop=True)


def _agreements_of(facts: FactBase, countries: Sequence[str]) -> set[str]:
    codes = {c.lower() for c in countries}
    return {row.agreement_id for row in facts.agreements.itertuples() if codes & set(row.parties)}


def running_totals(figures: pd.DataFrame, measure: str = "people_transferred") -> pd.DataFrame:
    """Steps of the running total of one measure, per agreement and unit (see module docstring).

    `figures` needs figure_id, agreement_id, measure, value, unit, qualifier, basis, certainty,
    source_id, earliest and latest (Timestamps; NaT where open), and optionally `disputed`.
    One row per step, in time order: the date it holds by (`latest`), the interval the date
    allows (`earliest`..`latest`), `low`..`high` (high NaN and `open_above` where only a floor is
    known), and whether it is approximate or disputed.
    """
    chosen = figures[(figures["measure"] == measure) & (figures["certainty"] != "planned")]
    columns = ["figure_id", "agreement_id", "unit", "value", "qualifier", "basis", "date",
               "earliest", "latest", "source_id"]  # fmt: skip
    records = (
        chosen[columns]
        .assign(
            disputed=chosen["disputed"].astype(bool) if "disputed" in chosen else False,
            date=chosen["date"].astype(str) if "date" in chosen else "",
        )
        .to_dict("records")
    )
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        when = record["latest"] if not pd.isna(record["latest"]) else record["earliest"]
        if pd.isna(when):
            continue
        record["when"] = when
        record["basis"], record["qualifier"] = str(record["basis"]), str(record["qualifier"])
        groups.setdefault((str(record["agreement_id"]), str(record["unit"])), []).append(record)
    rows: list[dict] = []
    for (agreement_id, unit), group in sorted(groups.items()):
        rows += _steps_of(agreement_id, measure, unit, group)
    return pd.DataFrame(rows, columns=STEP_COLUMNS)


def _steps_of(agreement_id: str, measure: str, unit: str, group: list[dict]) -> list[dict]:
    first_day = min(r["earliest"] if not pd.isna(r["earliest"]) else r["when"] for r in group)
    # Sources giving a transfer on the same date describe the same transfer: (when, low, high).
    singles: dict[str, list[dict]] = {}
    for record in group:
        if record["basis"] == "single_event":
            singles.setdefault(record["date"], []).append(record)
    flights = sorted(
        (max(r["when"] for r in same), min(r["value"] for r in same),
         max(r["value"] for r in same))
        for same in singles.values()
    )  # fmt: skip
    by_when: dict[pd.Timestamp, list[dict]] = {}
    for record in group:
        by_when.setdefault(record["when"], []).append(record)
    steps: list[dict] = []
    floor = 0.0
    base, base_when = 0.0, pd.Timestamp.min  # the last cumulative floor; later transfers add
    for when in sorted(by_when):
        at = by_when[when]
        exact, floors, ceilings = [], [], []
        approximate = False
        for row in at:
            if row["basis"] == "single_event":
                continue
            covers = row["basis"] == "cumulative" or (
                not pd.isna(row["earliest"]) and row["earliest"] <= first_day
            )
            value = row["value"]
            if not covers and _follows(row["earliest"], base_when):
                # a period total that begins after the last known total adds to it: exactly
                # where it begins the next day, as a floor where a gap may hide transfers
                value = base + value
                covers = row["earliest"] <= base_when + pd.Timedelta(days=1)
            if row["qualifier"] == "at_least" or not covers:
                floors.append(value)
            elif row["qualifier"] == "at_most":
                ceilings.append(value)
            else:
                exact.append(value)
                approximate |= row["qualifier"] == "approximate"
        since = [f for f in flights if base_when < f[0] <= when]
        flown = base + sum(f[1] for f in since)
        flown_high = base + sum(f[2] for f in since)
        known = max([floor, flown, *floors])
        low = known
        same_day = {r["value"] for r in at if r["basis"] == "single_event"}
        disputed = any(r["disputed"] for r in at) or len(set(exact)) > 1 or len(same_day) > 1
        if exact:
            low, high = min(exact), max(exact)
            if low < known:  # a source gives less than was already known: a disputed range
                disputed = True
                high = max(high, known)
            open_above = False
        elif ceilings:
            high, open_above = max(min(ceilings), low), False
        elif flown_high > known:  # transfers sources count differently: a range, still a floor
            high, open_above = flown_high, True
        else:
            high, open_above = math.nan, True
        if exact or floors:
            base, base_when = max(low, known, base), when
        floor = max(floor, known, low)
        earliest = [r["earliest"] for r in at if not pd.isna(r["earliest"])]
        steps.append(
            {
                "agreement_id": agreement_id,
                "measure": measure,
                "unit": unit,
                "date": "|".join(dict.fromkeys(r["date"] for r in at)),
                "earliest": min(earliest) if earliest else pd.NaT,
                "latest": when,
                "low": float(low),
                "high": float(high),
                "open_above": open_above,
                "approximate": approximate,
                "disputed": disputed,
                "figure_ids": tuple(r["figure_id"] for r in at),
                "source_ids": tuple(dict.fromkeys(r["source_id"] for r in at)),
            }
        )
    return steps


def _follows(earliest, base_when: pd.Timestamp) -> bool:
    return base_when > pd.Timestamp.min and not pd.isna(earliest) and earliest > base_when


def latest_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """The last step of each agreement and unit: where its running total stands."""
    if steps.empty:
        return steps
    return steps.sort_values("latest").groupby(["agreement_id", "unit"]).tail(1)


def cost_per_person(figures: pd.DataFrame, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Money paid against people sent, per agreement and currency, as ranges.

    Paid is the running total of payments reported made; where none is, the pledges (marked
    `pledged_only`). People sent is the running total of transfers at its latest step. Cost per
    person runs from the lowest payment over the highest count to the highest payment over the
    lowest count; it is NaN where nobody is known to have been sent.
    """
    titles = titles or {}
    people = latest_steps(running_totals(figures, "people_transferred")).set_index("agreement_id")
    paid = latest_steps(running_totals(figures, "payment"))
    pledged = figures[(figures["measure"] == "payment") & (figures["certainty"] == "planned")]
    pledged_steps = latest_steps(running_totals(pledged.assign(certainty="confirmed"), "payment"))
    known = set(zip(paid["agreement_id"], paid["unit"], strict=True))
    pledged_steps = pledged_steps[
        [
            (a, u) not in known
            for a, u in zip(pledged_steps["agreement_id"], pledged_steps["unit"], strict=True)
        ]
    ]
    rows = []
    for money, pledged_only in ((paid, False), (pledged_steps, True)):
        for step in money.itertuples():
            sent = people.loc[step.agreement_id] if step.agreement_id in people.index else None
            people_low = float(sent["low"]) if sent is not None else math.nan
            people_high = float(sent["high"]) if sent is not None else math.nan
            paid_high = step.low if step.open_above else step.high
            cost_low = step.low / people_high if people_high and people_high > 0 else math.nan
            cost_high = paid_high / people_low if people_low and people_low > 0 else math.nan
            figure_ids = step.figure_ids + (tuple(sent["figure_ids"]) if sent is not None else ())
            source_ids = step.source_ids + (tuple(sent["source_ids"]) if sent is not None else ())
            rows.append(
                {
                    "agreement_id": step.agreement_id,
                    "title": titles.get(step.agreement_id, ""),
                    "currency": step.unit,
                    "paid_low": step.low,
                    "paid_high": paid_high,
                    "pledged_only": pledged_only,
                    "paid_as_of": step.latest,
                    "people_low": people_low,
                    "people_high": people_high,
                    "people_open_above": bool(sent["open_above"]) if sent is not None else False,
                    "people_as_of": sent["latest"] if sent is not None else pd.NaT,
                    "cost_low": cost_low,
                    "cost_high": cost_high,
                    "figure_ids": tuple(dict.fromkeys(figure_ids)),
                    "source_ids": tuple(dict.fromkeys(source_ids)),
                }
            )
    frame = pd.DataFrame(rows, columns=COST_COLUMNS)
    return frame.sort_values(["currency", "paid_low"], ascending=[True, False]).reset_index(
        drop=True
    )
