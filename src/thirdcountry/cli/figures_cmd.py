"""`thirdcountry figures`: the numbers per agreement, with their sources; or running totals.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse

from thirdcountry.errors import EXIT_OK

# Kept in step with facts.schema.MEASURES (a test checks); importing it would load pandas.
MEASURES = (
    "people_transferred", "capacity", "payment", "people_left_onward", "people_held", "cost",
)  # fmt: skip
LIST_COLUMNS = ["figure_id", "agreement_id", "measure", "value", "unit", "qualifier", "basis",
                "date", "certainty", "source_id"]  # fmt: skip
FULL_COLUMNS = [*LIST_COLUMNS, "publisher", "tier", "url", "quote", "note", "disputed"]
TOTAL_COLUMNS = ["agreement_id", "measure", "unit", "date", "low", "high", "open_above",
                 "approximate", "disputed", "source_ids"]  # fmt: skip
COST_COLUMNS = ["agreement_id", "currency", "paid_low", "paid_high", "pledged_only",
                "people_low", "people_high", "cost_low", "cost_high", "source_ids"]  # fmt: skip

DESCRIPTION = """\
The numbers recorded per agreement: people transferred (cumulative to a date, over a period or
in one transfer), capacity (the most a deal allows), payments, people who left the receiving
country again, people held there on a date (a stock: it rises and falls) and what the whole
arrangement cost the sending state. Each with its unit (people or an ISO 4217 currency), EDTF
date, source and, in csv/json, the verbatim quote.

--totals shows instead each agreement's running total over time, as steps with a low and a high
(high empty where only a floor is known, 'at least N'); --cost shows money paid against people
sent, with the cost per person as a range. Sources are never averaged: where they disagree the
range shows it and `thirdcountry conflicts` names them."""


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the `figures` subcommand to the thirdcountry parser."""
    from thirdcountry.cli.options import add_subcommand

    figures = add_subcommand(
        subparsers,
        common_parent,
        "figures",
        "people sent, capacities and payments per agreement, with sources",
        DESCRIPTION,
    )
    figures.add_argument("--agreement", metavar="ID", action="append",
                         help="only figures of this agreement (repeatable)")  # fmt: skip
    figures.add_argument("--country", metavar="ISO3", action="append",
                         help="only agreements this country is party to (repeatable)")  # fmt: skip
    figures.add_argument(
        "--measure",
        metavar="M",
        action="append",
        help=f"only this measure (repeatable): {', '.join(MEASURES)}",
    )
    view = figures.add_mutually_exclusive_group()
    view.add_argument(
        "--totals",
        action="store_true",
        help="running totals per agreement over time instead of the figures",
    )
    view.add_argument(
        "--cost",
        action="store_true",
        help="money paid against people sent, per agreement and currency",
    )
    figures.set_defaults(handler=cmd_figures)


NUMBER_COLUMNS = ("value", "low", "high", "paid_low", "paid_high", "people_low", "people_high",
                  "cost_low", "cost_high")  # fmt: skip


def _plain_numbers(frame, fmt: str):
    """Numbers as people write them (939, not 939.0; cents at most); JSON keeps numbers."""
    import math

    def plain(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None if fmt == "json" else ""
        number = float(value)
        if fmt == "json":
            return int(number) if number.is_integer() else round(number, 2)
        return f"{number:.0f}" if number.is_integer() else f"{number:.2f}"

    import pandas as pd

    columns = [c for c in NUMBER_COLUMNS if c in frame.columns]
    texts = {c: pd.Series([plain(v) for v in frame[c]], index=frame.index, dtype=object)
             for c in columns}  # fmt: skip
    return frame.assign(**texts)


def cmd_figures(args) -> int:
    from thirdcountry.analysis.figures import cost_per_person, running_totals, select_figures
    from thirdcountry.cli.options import UsageError, check_countries, facts_of
    from thirdcountry.cli.output import write_frame
    from thirdcountry.facts.wording import did_you_mean

    measures = args.measure or []
    for measure in measures:
        if measure not in MEASURES:
            hint = did_you_mean(measure, MEASURES)
            raise UsageError(f"--measure: {measure!r} is not one of {', '.join(MEASURES)}{hint}")
    countries = [code.strip().upper() for code in args.country or []]
    facts = facts_of(args)
    known = set(facts.agreements["agreement_id"])
    for agreement_id in args.agreement or []:
        if agreement_id not in known:
            hint = did_you_mean(agreement_id, sorted(known))
            raise UsageError(f"--agreement: {agreement_id!r} is not an agreement{hint}")
    check_countries(facts, countries)
    selected = select_figures(
        facts, agreement_ids=args.agreement, countries=countries, measures=measures
    )
    if args.totals:
        chosen = measures or ["people_transferred", "payment", "people_left_onward"]
        for measure in chosen:
            if measure == "capacity":
                raise UsageError(
                    "--totals: a capacity is not a running total; leave out --measure capacity"
                )
        import pandas as pd

        frames = [running_totals(selected, m) for m in chosen]
        totals = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        write_frame(_plain_numbers(totals, args.format), TOTAL_COLUMNS, args.format)
        return EXIT_OK
    if args.cost:
        if measures:
            raise UsageError("--cost uses payments and people transferred; leave out --measure")
        agreements = facts.agreements
        titles = dict(zip(agreements["agreement_id"], agreements["title"], strict=True))
        cost = cost_per_person(selected, titles)
        write_frame(_plain_numbers(cost, args.format), COST_COLUMNS, args.format)
        return EXIT_OK
    columns = LIST_COLUMNS if args.format == "table" else FULL_COLUMNS
    write_frame(_plain_numbers(selected, args.format), columns, args.format)
    return EXIT_OK
