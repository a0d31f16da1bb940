"""`thirdcountry export sqlite PATH`: the validated fact base as a SQLite database for Datasette.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from thirdcountry.errors import EXIT_OK

DESCRIPTION = """\
Export the fact base, validated first, to one SQLite database: a table per data table (with the
descriptor's types, primary and foreign keys, and indexes), full-text search over quotes,
summaries and titles (<table>_fts), and the derived facts: each agreement's status on the latest
event's date (as `thirdcountry status`), its lifecycle steps and where its figures stand.
Datasette's metadata.yml (titles, descriptions, licence, canned queries) is written beside it.

Both files are written aside and then renamed into place: a reader of the old database keeps
reading it, and a failed export leaves it as it was. Browse it with
  datasette PATH -m metadata.yml        (pip install 'thirdcountry[datasette]'; or make datasette)
  sqlite3 PATH"""


EPILOG = """\
exit codes:
  0  all good: written, or unchanged (--if-changed)
  2  bad input: a data file is wrong or PATH cannot be written (one line per problem); nothing
     is written

The fact base is --data DIR, else $THIRDCOUNTRY_DATA, else the project's data/ folder.
"""


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add `export` (with its one format, `sqlite`) to the thirdcountry parser."""
    about = "the fact base as a file other tools read: a SQLite database for Datasette"
    # No common options at this level: --data and --format go after the format (argparse would
    # let the format's defaults overwrite them).
    export = subparsers.add_parser("export", help=about, description=about)
    formats = export.add_subparsers(dest="export_format", metavar="FORMAT", required=True,
                                    parser_class=type(export))  # fmt: skip
    sqlite = formats.add_parser(
        "sqlite",
        parents=[common_parent],
        help="a SQLite database with full-text search, derived facts and Datasette metadata",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sqlite.add_argument("path", type=Path, metavar="PATH",
                        help="the database file to write, e.g. thirdcountry.db")  # fmt: skip
    sqlite.add_argument(
        "--if-changed",
        action="store_true",
        help="keep the database in place if it was made from the same facts and code",
    )
    sqlite.set_defaults(handler=cmd_export_sqlite)


def request_from(args: argparse.Namespace):
    from thirdcountry.render.sqlite_export import SqliteExportRequest

    return SqliteExportRequest(
        path=args.path,
        data_dir=Path(args.data) if args.data else None,
        if_changed=args.if_changed,
    )


def cmd_export_sqlite(args: argparse.Namespace) -> int:
    from thirdcountry.render.sqlite_export import export_sqlite

    result = export_sqlite(request_from(args))
    if not result.written:
        print(f"unchanged: {result.path} (made from the same facts and code; key {result.key})")
        return EXIT_OK
    size = result.bytes / 1_000_000
    print(
        f"wrote {result.path} ({size:.1f} MB, {result.tables} tables, {result.rows} rows) and "
        f"{result.metadata.name} in {result.seconds:.1f} s; browse it with: "
        f"datasette {result.path} -m {result.metadata}"
    )
    return EXIT_OK
