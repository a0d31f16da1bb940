"""`thirdcountry validate`: check the fact base against its schema and domain rules.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse

from thirdcountry.cli.options import add_subcommand, facts_of
from thirdcountry.errors import EXIT_OK


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the `validate` subcommand to the thirdcountry parser."""
    validate = add_subcommand(
        subparsers,
        common_parent,
        "validate",
        "check the fact base against its schema and domain rules",
    )
    validate.set_defaults(handler=cmd_validate)


def cmd_validate(args) -> int:
    from thirdcountry.analysis import all_conflicts, unchecked_quotes

    facts = facts_of(args)
    checked = len(facts.events) - len(unchecked_quotes(facts))
    print(
        f"ok: {len(facts.sources)} sources, {len(facts.entities)} entities, "
        f"{len(facts.agreements)} agreements, {len(facts.events)} events "
        f"({checked} quotes checked against stored texts), "
        f"{len(all_conflicts(facts))} conflicts; data hash {facts.content_hash}"
    )
    return EXIT_OK
