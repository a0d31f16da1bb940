"""`thirdcountry`: query, check and render the safe third country fact base."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence

from thirdcountry.cli.output import FORMATS
from thirdcountry.errors import EXIT_BAD_INPUT, EXIT_OK, BadInput, ThirdCountryError

log = logging.getLogger("thirdcountry")

DATA_NOTE = """
The fact base is --data DIR, else $THIRDCOUNTRY_DATA, else the project's data/ folder.
Only `add` writes under it, and only after validating the whole merged fact base.
"""
# Every command but render: it either answers or refuses the input.
EPILOG = (
    """\
exit codes:
  0  all good
  2  bad input: a data file or an argument is wrong (one line per problem)
"""
    + DATA_NOTE
)
RENDER_EPILOG = (
    """\
exit codes:
  0  all good: every report rendered, or skipped as unchanged (--if-changed)
  1  some reports failed (the others were rendered)
  2  bad input: a data file, a parameter, the plan or an argument is wrong (one line per problem)
  3  another run holds the reports folder's lock (--wait SECONDS)
  130  interrupted (Ctrl-C or SIGTERM) while rendering
"""
    + DATA_NOTE
)
ADD_EPILOG = (
    """\
exit codes:
  0  all good
  1  the files could not be replaced (nothing was changed)
  2  bad input: the file, a data file or an argument is wrong (one line per problem)
"""
    + DATA_NOTE
)
# The top-level help: every command's codes.
ALL_EPILOG = (
    """\
exit codes:
  0  all good
  1  render: some reports failed (the others were rendered); add: files not replaced
  2  bad input: a data file, a parameter, the plan or an argument is wrong (one line per problem)
  3  render: another run holds the reports folder's lock (--wait SECONDS)
  130  render: interrupted (Ctrl-C or SIGTERM)
"""
    + DATA_NOTE
)


class UsageError(BadInput):
    """A user mistake in an argument: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr (no usage dump), exit code 2."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {_suggest(message)} (see {self.prog} --help)\n")


def _suggest(message: str) -> str:
    """argparse's "invalid choice: 'statsu' (choose from ...)" plus "did you mean 'status'?"."""
    import re

    found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if not found:
        return message
    from thirdcountry.facts.wording import did_you_mean

    return message + did_you_mean(found.group(1), re.findall(r"'([^']*)'", found.group(2)))


def _date_arg(text: str) -> dt.date:
    from thirdcountry.facts.dates import EDTFError, parse_iso_date

    if text.strip().lower() == "today":
        return dt.date.today()
    try:
        return parse_iso_date(text)
    except EDTFError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _iso3_arg(text: str) -> str:
    code = text.strip().upper()
    if not 2 <= len(code) <= 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 3166-1 alpha-3 code")
    return code


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data",
        metavar="DIR",
        help="fact base folder (default: $THIRDCOUNTRY_DATA or the project's data/)",
    )
    common.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table)",
    )
    parser = _Parser(
        prog="thirdcountry",
        description="Sourced facts and reports on asylum 'safe third country' agreements.",
        epilog=ALL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, handler: Callable) -> argparse.ArgumentParser:
        sub = add_subcommand(commands, common, name, help_text)
        sub.set_defaults(handler=handler)
        return sub

    validate = command(
        "validate", "check the fact base against its schema, domain rules and lint rules",
        cmd_validate,
    )  # fmt: skip
    validate.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 2) on any lint warning that no reviewed waiver covers, as CI does",
    )

    status = command("status", "each agreement's status on a date", cmd_status)
    status.add_argument(
        "--as-of",
        type=_date_arg,
        metavar="DATE",
        help="date the statuses are computed for, YYYY-MM-DD or 'today' (default: the latest "
        "event on record, as in the reports)",
    )

    events = command("events", "list events, filtered by country, agreement and dates", cmd_events)
    events.add_argument("--country", type=_iso3_arg, metavar="ISO3", action="append",
                        help="only events involving this country or party, e.g. EU "
                             "(repeatable)")  # fmt: skip
    events.add_argument("--agreement", metavar="ID", help="only events of this agreement")
    events.add_argument("--since", type=_date_arg, metavar="DATE", help="events from this date")
    events.add_argument("--until", type=_date_arg, metavar="DATE", help="events up to this date")

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
    from thirdcountry.cli import changes_cmd, draft_cmd, figures_cmd, render_cmd

    for module in (render_cmd, changes_cmd, draft_cmd, figures_cmd):
        module.register(commands, common)
    return parser


def add_subcommand(
    subparsers, common_parent: argparse.ArgumentParser, name: str, help_text: str,
    description: str = "", epilog: str = EPILOG,
) -> argparse.ArgumentParser:  # fmt: skip
    """One subcommand: the common options, its help, and the exit codes it can end with."""
    return subparsers.add_parser(
        name,
        parents=[common_parent],
        help=help_text,
        description=description or help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from thirdcountry import __version__

        print(f"thirdcountry {__version__}")
        return EXIT_OK
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except ThirdCountryError as exc:  # anything else is a bug, and ends with its traceback
        for line in exc.lines(f"thirdcountry {args.command}"):
            print(line, file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK


def _facts(args):
    from thirdcountry.facts import load_facts

    return load_facts(args.data)


def cmd_validate(args) -> int:
    from thirdcountry.analysis import all_conflicts, unchecked_quotes
    from thirdcountry.analysis.lints import run_lints

    facts = _facts(args)
    findings = run_lints(facts)
    # Warnings go to stderr; reviewed waivers are information, printed after the summary.
    for finding in findings:
        if not finding.waived:
            print(finding, file=sys.stderr)
    waived_findings = [f for f in findings if f.waived]
    warnings = len(findings) - len(waived_findings)
    waived = len(waived_findings)
    checked = len(facts.events) - len(unchecked_quotes(facts))
    lint = f"{warnings} warning{'s' * (warnings != 1)}, {waived} waived"
    if args.strict and warnings:
        print(f"thirdcountry validate --strict: {lint}: failed", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"ok: {len(facts.sources)} sources, {len(facts.entities)} entities, "
        f"{len(facts.agreements)} agreements, {len(facts.events)} events "
        f"({checked} quotes checked against stored texts), "
        f"{len(all_conflicts(facts))} conflicts; lint: {lint}; data hash {facts.content_hash}"
    )
    for finding in waived_findings:
        print(finding)
    return EXIT_OK


def cmd_status(args) -> int:
    from thirdcountry.analysis import NO_STATUS, latest_event_date, status_as_of
    from thirdcountry.cli.output import write_frame

    facts = _facts(args)
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

    facts = _facts(args)
    if args.agreement and args.agreement not in set(facts.agreements["agreement_id"]):
        from thirdcountry.facts.wording import did_you_mean

        hint = did_you_mean(args.agreement, facts.agreements["agreement_id"])
        raise UsageError(
            f"--agreement: {args.agreement!r} is not an agreement in the fact base{hint}"
        )
    _check_countries(facts, args.country or [])
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

    facts = _facts(args)
    if args.event and args.event not in set(facts.events["event_id"]):
        from thirdcountry.facts.wording import did_you_mean

        hint = did_you_mean(args.event, facts.events["event_id"])
        raise UsageError(f"--event: {args.event!r} is not an event in the fact base{hint}")
    columns = ["checked_on", "event_id", "checked", "result", "source_ids"]
    if args.format != "table":
        columns = ["verification_id", *columns, "note"]
    write_frame(verification_log(facts, args.event), columns, args.format)
    return EXIT_OK


def _check_countries(facts, codes: Sequence[str]) -> None:
    from thirdcountry.facts.countries import ORGANISATION_CODES, is_party_code

    for code in codes:
        if not is_party_code(code):
            others = ", ".join(ORGANISATION_CODES)
            raise UsageError(
                f"--country: {code!r} is not an ISO 3166-1 alpha-3 code "
                f"or a party's code ({others})"
            )


def cmd_conflicts(args) -> int:
    from thirdcountry.analysis import all_conflicts, conflict_sides
    from thirdcountry.cli.output import write_frame

    facts = _facts(args)
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

    facts = _facts(args)
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

    facts = _facts(args)
    columns = ["agreement_id", "kind", "sending", "receiving", "parties", "title"]
    if args.format != "table":
        columns.append("notes")
    write_frame(facts.agreements, columns, args.format)
    return EXIT_OK
