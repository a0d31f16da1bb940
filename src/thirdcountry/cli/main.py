"""`thirdcountry`: query, check and render the safe third country fact base.

This module only builds the parser from the command modules and runs the chosen command; what
the commands share is in cli.options.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from thirdcountry.cli import (
    changes_cmd,
    draft_cmd,
    export_cmd,
    figures_cmd,
    query_cmd,
    render_cmd,
    validate_cmd,
)
from thirdcountry.cli.options import ALL_EPILOG, Parser, common_options
from thirdcountry.errors import EXIT_BAD_INPUT, EXIT_OK, ThirdCountryError

log = logging.getLogger("thirdcountry")

# In the order `thirdcountry --help` lists them.
COMMAND_MODULES = (
    validate_cmd,
    query_cmd,
    render_cmd,
    changes_cmd,
    draft_cmd,
    figures_cmd,
    export_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = Parser(
        prog="thirdcountry",
        description="Sourced facts and reports on asylum 'safe third country' agreements.",
        epilog=ALL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(commands, common)
    return parser


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
