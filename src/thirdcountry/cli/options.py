"""What every command shares: the common options, argument types, one-line usage errors, the
exit-code epilogs, and the fact base named by --data. The commands import this; main registers them.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence

from thirdcountry.cli.output import FORMATS
from thirdcountry.errors import EXIT_BAD_INPUT, BadInput

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


class Parser(argparse.ArgumentParser):
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


def date_arg(text: str) -> dt.date:
    from thirdcountry.facts.dates import EDTFError, parse_iso_date

    if text.strip().lower() == "today":
        return dt.date.today()
    try:
        return parse_iso_date(text)
    except EDTFError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def iso3_arg(text: str) -> str:
    code = text.strip().upper()
    if not 2 <= len(code) <= 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 3166-1 alpha-3 code")
    return code


def common_options() -> argparse.ArgumentParser:
    """The options every subcommand takes: --data and --format."""
    common = Parser(add_help=False)
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
    return common


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


def facts_of(args):
    from thirdcountry.facts import load_facts
    from thirdcountry.facts.problems import FactBaseError, with_full_paths
    from thirdcountry.paths import resolve_data_dir

    try:
        return load_facts(args.data)
    except FactBaseError as exc:  # name each file by its full path in the folder used
        raise with_full_paths(exc, resolve_data_dir(args.data)) from None


def check_countries(facts, codes: Sequence[str]) -> None:
    from thirdcountry.facts.countries import ORGANISATION_CODES, is_party_code

    for code in codes:
        if not is_party_code(code):
            others = ", ".join(ORGANISATION_CODES)
            raise UsageError(
                f"--country: {code!r} is not an ISO 3166-1 alpha-3 code "
                f"or a party's code ({others})"
            )
