"""`thirdcountry changes`: what changed since a date, or since the facts the last good run used.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from thirdcountry.errors import EXIT_OK

LAST_RUN = "last-run"
COLUMNS = ["change", "table", "id", "field", "before", "after", "summary"]


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the `changes` subcommand to the thirdcountry parser."""
    from thirdcountry.cli.options import add_subcommand

    changes = add_subcommand(
        subparsers,
        common_parent,
        "changes",
        "what changed since a date, or since the last good report run",
        (
            "What changed since a date (--since DATE): new events, status transitions of each\n"
            "agreement, new sources and new conflicts. Or since the last good report run\n"
            "(--since last-run): what was added, removed or corrected in the data compared\n"
            "with the facts that run used (its facts.zip, kept by `render --if-changed`),\n"
            "with old and new values, and the status changes that follow."
        ),
    )
    changes.add_argument(
        "--since",
        required=True,
        metavar="DATE|last-run",
        help="a date, YYYY-MM-DD, or 'last-run': the facts of the most recent good report run",
    )
    changes.add_argument(
        "--as-of",
        metavar="DATE",
        help="date statuses are compared on, YYYY-MM-DD (default: today)",
    )
    changes.add_argument(
        "--out",
        metavar="DIR",
        help="with last-run: the reports folder whose runs count (default: the project's reports/)",
    )
    changes.add_argument(
        "--report",
        metavar="NOTEBOOK/SLUG",
        help="with last-run: the run of this report (e.g. overview/default), not the most recent",
    )
    changes.set_defaults(handler=cmd_changes)


def _date(option: str, text: str) -> dt.date:
    from thirdcountry.cli.options import UsageError
    from thirdcountry.facts.dates import EDTFError, parse_iso_date

    try:
        return parse_iso_date(text)
    except EDTFError as exc:
        raise UsageError(f"{option}: {exc}") from None


def cmd_changes(args) -> int:
    from thirdcountry.cli.options import UsageError
    from thirdcountry.cli.output import write_rows

    since_last_run = args.since.strip().lower() == LAST_RUN
    since = None if since_last_run else _date("--since", args.since)
    as_of = _date("--as-of", args.as_of) if args.as_of else dt.date.today()
    if not since_last_run and (args.report or args.out):
        raise UsageError("--report and --out apply only to --since last-run")
    if since is not None and since > as_of:
        raise UsageError(f"--since {since} is after --as-of {as_of}")

    from thirdcountry.facts import load_facts

    facts = load_facts(args.data)
    if since_last_run:
        run, previous = _last_run(args)
        from thirdcountry.analysis import compare_fact_bases

        changes = compare_fact_bases(previous, facts, as_of)
        heading = (
            f"Changes since the last good run of {run.label}, started {run.started} "
            f"(data {run.data_hash or '?'}; now {facts.content_hash}), statuses as of {as_of}"
        )
    else:
        from thirdcountry.analysis import changes_since_date

        assert since is not None  # a date unless --since last-run
        changes = changes_since_date(facts, since, as_of)
        heading = f"Changes since {since} (to {as_of})"
    if args.format == "table":
        print(heading)
    rows = changes[COLUMNS].itertuples(index=False, name=None)
    write_rows(COLUMNS, rows, args.format)
    if args.format == "table":
        count = len(changes)
        print(f"{count} change{'s' * (count != 1)}")
    return EXIT_OK


def _last_run(args):
    """The chosen good run and the facts it used. A usage error (exit 2) if there are none."""
    from thirdcountry.cli.options import UsageError
    from thirdcountry.facts.snapshot import load_snapshot
    from thirdcountry.paths import REPORTS_DIR
    from thirdcountry.render.history import good_run, latest_good_run
    from thirdcountry.render.outputs import Layout

    out = Path(args.out).expanduser().resolve() if args.out else REPORTS_DIR
    shown = args.out or "reports/"
    layout = Layout(out)
    if args.report:
        notebook, sep, slug = args.report.strip().strip("/").partition("/")
        if not sep or not notebook or not slug or "/" in slug:
            raise UsageError(f"--report: {args.report!r}: expected NOTEBOOK/SLUG, e.g. "
                             "overview/default")  # fmt: skip
        run = good_run(layout, notebook, slug)
        if run is None:
            raise UsageError(f"--report: no good run of {notebook}/{slug} in {shown}")
    else:
        run = latest_good_run(layout)
        if run is None:
            raise UsageError(f"no good report run in {shown}: render one first (`thirdcountry "
                             "render --plan --if-changed`), or give --since DATE")  # fmt: skip
    snapshot = run.snapshot
    if snapshot is None:
        raise UsageError(
            f"the last good run of {run.label} ({run.started}) kept no copy of its facts: runs "
            "keep one with `render --if-changed` (or --force); give --since DATE meanwhile"
        )
    previous = load_snapshot(snapshot)
    if run.data_hash and previous.content_hash != run.data_hash:
        print(f"thirdcountry changes: note: {run.label}'s snapshot does not match its run.json "
              "(a run finished meanwhile?)", file=sys.stderr)  # fmt: skip
    return run, previous
