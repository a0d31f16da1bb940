"""`thirdcountry validate`: check the fact base against its schema and domain rules.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
import sys

from thirdcountry.cli.options import add_subcommand, facts_of
from thirdcountry.errors import EXIT_BAD_INPUT, EXIT_OK


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the `validate` subcommand to the thirdcountry parser."""
    validate = add_subcommand(
        subparsers,
        common_parent,
        "validate",
        "check the fact base against its schema, domain rules and lint rules",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 2) on any lint warning that no reviewed waiver covers, as CI does",
    )
    validate.set_defaults(handler=cmd_validate)


def cmd_validate(args) -> int:
    from thirdcountry.analysis import all_conflicts, unchecked_quotes
    from thirdcountry.analysis.lints import run_lints

    facts = facts_of(args)
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
