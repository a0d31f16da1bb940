"""The query commands: status, events, conflicts, sources, agreements, verifications.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from thirdcountry.cli.options import (
    UsageError,
    add_subcommand,
    check_countries,
    date_arg,
    facts_of,
    iso3_arg,
)
from thirdcountry.errors import EXIT_OK


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the query subcommands to the thirdcountry parser."""

    def command(name: str, help_text: str, handler: Callable) -> argparse.ArgumentParser:
        sub = add_subcommand(subparsers, common_parent, name, help_text)
        sub.set_defaults(handler=handler)
        return sub

    status = command("status", "each agreement's status on a date", cmd_status)
    status.add_argument(
        "--as-of",
        type=date_arg,
        metavar="DATE",
        help="date the statuses are computed for, YYYY-MM-DD or 'today' (default: the latest "
        "event on record, as in the reports)",
    )

    events = command("events", "list events, filtered by country, agreement and dates", cmd_events)
    events.add_argument("--country", type=iso3_arg, metavar="ISO3", action="append",
                        help="only events involving this country or party, e.g. EU "
                             "(repeatable)")  # fmt: skip
    events.add_argument("--agreement", metavar="ID", help="only events of this agreement")
    events.add_argument("--since", type=date_arg, metavar="DATE", help="events from this date")
    events.add_argument("--until", type=date_arg, metavar="DATE", help="events up to this date")

    command("conflicts", "every conflict between sources, with the sources on each side",
            cmd_conflicts)  # fmt: skip
    command("sources", "every source with its tier and how many facts cite it", cmd_sources)
    command("agreements", "every agreement with its parties", cmd_agreements)
    verifications = command(
        "verifications",
        "the verification log: when each event was checked, against what, with what result",
        cmd_verifications,
    )
    verifications.add_argument("--event", metavar="ID", help="only the checks of this event")


def cmd_status(args) -> int:
    from thirdcountry.analysis import NO_STATUS, latest_event_date, status_as_of
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    current_to = latest_event_date(facts)
    as_of = args.as_of or current_to or dt.date.today()
    table = status_as_of(facts, as_of)
    table["disputed"] = table["disputed"].map({True: "yes", False: ""})
    columns = ["agreement_id", "status", "since", "last_evidence", "not_confirmed_since"]
    if args.format == "table":
        current = f"facts current to {current_to.isoformat()}" if current_to else "no dated events"
        print(f"Status as of {as_of.isoformat()} ({current})")
        table["last_evidence"] = table["last_evidence"].map(
            lambda day: day.isoformat() if day else NO_STATUS
        )
        table["confirmation"] = table["not_confirmed_since"].map(
            lambda day: f"not confirmed since {day.isoformat()}" if day else ""
        )
        columns[-1] = "confirmation"
    write_frame(table, [*columns, "disputed", "title"], args.format)
    return EXIT_OK


def cmd_events(args) -> int:
    from thirdcountry.analysis import NEVER_VERIFIED, last_verified, select_events
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    if args.agreement and args.agreement not in set(facts.agreements["agreement_id"]):
        from thirdcountry.facts.wording import did_you_mean

        hint = did_you_mean(args.agreement, facts.agreements["agreement_id"])
        raise UsageError(
            f"--agreement: {args.agreement!r} is not an agreement in the fact base{hint}"
        )
    check_countries(facts, args.country or [])
    if args.since and args.until and args.until < args.since:
        raise UsageError("--until is before --since")
    events = select_events(
        facts,
        countries=args.country or [],
        agreement_id=args.agreement,
        since=args.since,
        until=args.until,
    )
    verified = last_verified(facts)
    events = events.assign(
        last_verified=[
            verified[e].isoformat() if e in verified else NEVER_VERIFIED for e in events["event_id"]
        ]
    )
    columns = ["event_id", "date", "kind", "agreement_id", "certainty", "source_id", "summary"]
    if args.format != "table":
        columns += ["actors", "quote", "date_basis", "note"]
    write_frame(events, [*columns, "last_verified"], args.format)
    return EXIT_OK


def cmd_verifications(args) -> int:
    from thirdcountry.analysis import verification_log
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    if args.event and args.event not in set(facts.events["event_id"]):
        from thirdcountry.facts.wording import did_you_mean

        hint = did_you_mean(args.event, facts.events["event_id"])
        raise UsageError(f"--event: {args.event!r} is not an event in the fact base{hint}")
    columns = ["checked_on", "event_id", "agreement_id", "checked", "result", "source_ids"]
    if args.format != "table":
        columns = ["verification_id", *columns, "note"]
    write_frame(verification_log(facts, args.event), columns, args.format)
    return EXIT_OK


def cmd_conflicts(args) -> int:
    from thirdcountry.analysis import all_conflicts, conflict_sides
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    conflicts = all_conflicts(facts)
    if args.format != "table":
        sides = conflict_sides(facts, conflicts)
        merged = sides.merge(
            conflicts[["conflict_id", "origin", "agreement_id", "aspect", "description", "state"]],
            on="conflict_id",
        )
        columns = ["conflict_id", "origin", "agreement_id", "aspect", "event_id", "figure_id",
                   "date", "source_id", "tier", "quote", "description", "state"]  # fmt: skip
        write_frame(merged, columns, args.format)
        return EXIT_OK
    sides = conflict_sides(facts, conflicts)
    for conflict in conflicts.itertuples():
        print(f"{conflict.conflict_id} [{conflict.origin}, {conflict.aspect}, {conflict.state}] "
              f"{conflict.agreement_id or '(no agreement)'}")  # fmt: skip
        print(f"  {conflict.description}")
        if conflict.explanation:
            print(f"  reading: {conflict.explanation}")
        if conflict.state == "settled":
            print(f"  settled by {', '.join(conflict.settled_by)}: {conflict.resolution}")
        for side in sides[sides["conflict_id"] == conflict.conflict_id].itertuples():
            print(f'  - {side.date}  {side.source_id} ({side.tier}): "{side.quote}"')
        print()
    print(f"{len(conflicts)} conflicts")
    return EXIT_OK


def cmd_sources(args) -> int:
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    sources = facts.sources.copy()
    counts = facts.events["source_id"].value_counts()
    sources["facts"] = sources["source_id"].map(counts).fillna(0).astype(int)
    sources["stored_text"] = sources["text_file"].notna().map({True: "yes", False: ""})
    columns = ["source_id", "tier", "published", "facts", "stored_text", "publisher", "title"]
    if args.format != "table":
        columns += ["author", "url", "retrieved", "text_file"]
    write_frame(sources, columns, args.format)
    return EXIT_OK


def cmd_agreements(args) -> int:
    from thirdcountry.cli.output import write_frame

    facts = facts_of(args)
    columns = ["agreement_id", "kind", "sending", "receiving", "parties", "title"]
    if args.format != "table":
        columns.append("notes")
    write_frame(facts.agreements, columns, args.format)
    return EXIT_OK
