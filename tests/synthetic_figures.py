"""Invented figures for the synthetic fact base: capacities, running counts, flights, payments.

Part of tests/synthetic_facts.py's writer: the same seed always gives the same figures. Counts
rise over time within each agreement, a few counts are given differently by two sources (with a
declared conflict), and every quote states its number.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

CAPACITIES = (50, 75, 100, 160, 250, 300, 500, 1_000, 3_000)
PAYMENTS = (1_500_000, 4_700_000, 5_100_000, 7_500_000, 12_000_000, 60_000_000, 240_000_000)
CURRENCY_OF_SENDER = {"usa": "USD", "gbr": "GBP", "aus": "AUD", "can": "CAD", "isr": "ILS"}


@dataclass
class SyntheticFigures:
    rows: list[dict[str, str]]
    conflicts: list[dict[str, str]]  # without conflict_id: the writer numbers them


def synthetic_figures(
    agreements: list[dict[str, str]],
    timelines: list[list[tuple[str, dt.date]]],
    source_for: Callable[[dt.date], str],
    rng: random.Random,
    end: dt.date,
) -> SyntheticFigures:
    """Figures for agreements whose first transfer falls on or before `end`.

    `source_for(day)` names a source published on or after day.
    """
    rows: list[dict[str, str]] = []
    conflicts: list[dict[str, str]] = []
    for agreement, timeline in zip(agreements, timelines, strict=True):
        days = dict(timeline)
        first = days.get("implemented")
        if first is None or first > end:
            continue
        stop = min([d for k, d in timeline if k in ("suspended", "terminated")] + [end])
        if stop < first:
            stop = first
        made = _figures_of(agreement, days.get("signed", first), first, stop, source_for, rng)
        for number, row in enumerate(made, start=1):
            row["figure_id"] = f"fig-{agreement['agreement_id']}-{number}"
        rows += made
        counts = [r for r in made if r["basis"] == "cumulative" and r["qualifier"] == "exact"]
        if counts and rng.random() < 0.1:
            rival = dict(counts[-1])
            rival["figure_id"] = f"fig-{agreement['agreement_id']}-{len(made) + 1}"
            rival["value"] = str(max(1, round(int(rival["value"]) * rng.uniform(0.8, 1.2))))
            rival["source_id"] = source_for(_latest_day(rival["date"]))
            rival["quote"] = f"Officials said {int(rival['value']):,} people had been sent."
            rival["certainty"] = "reported"
            if (
                rival["value"] != counts[-1]["value"]
                and rival["source_id"] != counts[-1]["source_id"]
            ):
                rows.append(rival)
                conflicts.append(
                    {
                        "agreement_id": agreement["agreement_id"],
                        "aspect": "value",
                        "event_ids": "",
                        "figure_ids": f"{counts[-1]['figure_id']}|{rival['figure_id']}",
                        "description": (
                            f"{counts[-1]['source_id']} counts {counts[-1]['value']} people sent "
                            f"by {counts[-1]['date']}; {rival['source_id']} says {rival['value']}."
                        ),
                    }
                )
    return SyntheticFigures(rows, conflicts)


def _figures_of(agreement, signed, first, stop, source_for, rng) -> list[dict[str, str]]:
    made = []

    def add(measure, value, unit, qualifier, basis, day: dt.date, month: bool, quote, certainty):
        date = day.strftime("%Y-%m") if month else day.isoformat()
        made.append(
            {
                "agreement_id": agreement["agreement_id"],
                "measure": measure,
                "value": str(value),
                "unit": unit,
                "qualifier": qualifier,
                "basis": basis,
                "date": date,
                "certainty": certainty,
                "source_id": source_for(_latest_day(date)),
                "quote": quote,
                "note": "",
            }
        )

    if rng.random() < 0.4:
        capacity = rng.choice(CAPACITIES)
        quote = f"The deal allows up to {capacity:,} people to be transferred."
        add(
            "capacity",
            capacity,
            "people",
            "exact",
            "single_event",
            signed,
            False,
            quote,
            "confirmed",
        )
    flight = max(1, int(rng.lognormvariate(2.3, 0.8)))
    quote = f"The first flight carried {flight:,} people."
    add("people_transferred", flight, "people", "exact", "single_event", first, False, quote,
        "confirmed")  # fmt: skip
    span = max((stop - first).days, 1)
    total = flight
    for day in sorted(
        first + dt.timedelta(days=rng.randrange(span)) for _ in range(rng.randint(0, 4))
    ):
        total += max(1, int(rng.lognormvariate(3.0, 1.2)))
        qualifier = rng.choices(("exact", "approximate", "at_least"), weights=(7, 2, 1))[0]
        word = {"exact": "", "approximate": "about ", "at_least": "at least "}[qualifier]
        quote = f"By then {word}{total:,} people had been transferred."
        add("people_transferred", total, "people", qualifier, "cumulative", day,
            rng.random() < 0.3, quote, "confirmed")  # fmt: skip
    if rng.random() < 0.35:
        currency = CURRENCY_OF_SENDER.get(agreement["sending"], "EUR")
        amount = rng.choice(PAYMENTS)
        quote = f"The sending state paid {currency} {amount / 1_000_000:g} million."
        add("payment", amount, currency, "exact", "cumulative", stop, True, quote, "confirmed")
    if rng.random() < 0.2:
        left = max(1, total // rng.randint(2, 6))
        quote = f"{left:,} of them have since left the country."
        add("people_left_onward", left, "people", "exact", "cumulative", stop, True, quote,
            "reported")  # fmt: skip
    return made


def _latest_day(date: str) -> dt.date:
    if len(date) == 7:
        year, month = map(int, date.split("-"))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date.fromisoformat(date)
