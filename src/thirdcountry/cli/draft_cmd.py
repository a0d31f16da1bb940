"""`thirdcountry draft` and `thirdcountry add`: an article in, reviewed rows into the fact base.

Only argparse at import time: `thirdcountry --help` must stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from pathlib import Path

EXIT_OK = 0
CANDIDATE_COLUMNS = [
    "event_id", "date", "date_phrase", "date_basis", "kind", "agreement_id", "countries",
    "entities", "certainty", "summary", "source_id", "quote", "note",
]  # fmt: skip

DRAFT_DESCRIPTION = """\
Propose candidate events and figures from an article saved as text or HTML, for a person to
review. Each candidate is one sentence quoted verbatim, with its date resolved against the
story's date (a wire dateline's, 'MALABO, Nov 20 (Reuters) -', else the publication date;
a past-tense phrase never after it; empty when the sentence has no date phrase), its kind
from what happened, countries, entities, agreement and certainty. Numbers of people and
money become figure rows. People and organisations that act are proposed as new entities,
parties without an agreement get a proposed agreement, a new --source-id a proposed source
(the dateline's agency as its publisher). Save --format csv or json, review it (write each
summary, delete what is not a fact), then `thirdcountry add FILE`. Writes nothing under the
data folder. A worked example: docs/wire-story.md."""

ADD_DESCRIPTION = """\
Add reviewed rows to the fact base: the draft's CSV or JSON after review, with new events,
sources, entities, agreements, figures or any table the data package declares. The merged
fact base is built in a temporary folder and validated in full; then the changed CSV files
are replaced all at once, or, on any problem, nothing is written. New rows are appended:
rows already there are never reordered or rewritten. Prints what was added, like `changes`."""


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    from thirdcountry.cli.options import ADD_EPILOG, add_subcommand

    draft = add_subcommand(
        subparsers,
        common_parent,
        "draft",
        "propose candidate events from an article (text or HTML) for review",
        DRAFT_DESCRIPTION,
    )
    draft.add_argument("file", metavar="FILE", help="the article, as .txt or .html")
    draft.add_argument(
        "--published",
        metavar="DATE",
        help="publication date, YYYY-MM-DD: the base for 'Thursday', 'last month'... "
        "(default: the source's date with --source-id, or the HTML's own date)",
    )
    draft.add_argument("--url", metavar="URL", help="where the article was published")
    draft.add_argument(
        "--source-id",
        metavar="ID",
        help="the source the events cite: an existing source_id, or a new one to propose "
        "(default: made from the file name)",
    )
    draft.set_defaults(handler=cmd_draft)

    add = add_subcommand(
        subparsers,
        common_parent,
        "add",
        "add reviewed rows (the draft's CSV or JSON) to the fact base, all or nothing",
        ADD_DESCRIPTION,
        ADD_EPILOG,
    )
    add.add_argument("file", metavar="FILE", help="reviewed rows, .csv or .json")
    add.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and show what would be added; write nothing",
    )
    add.set_defaults(handler=cmd_add)


def cmd_draft(args) -> int:
    from thirdcountry.analysis.draft import draft_events, slug
    from thirdcountry.cli.options import UsageError
    from thirdcountry.facts import load_facts
    from thirdcountry.facts.article import read_article
    from thirdcountry.facts.dates import EDTFError, parse_edtf, parse_iso_date

    facts = load_facts(args.data)
    path = Path(args.file).expanduser()
    article = read_article(path)
    sources = facts.sources.set_index("source_id")
    source_id = args.source_id or slug(path.stem)
    if not source_id:
        raise UsageError("--source-id: give an id (lowercase letters, digits and hyphens)")
    if source_id != slug(source_id):
        raise UsageError(f"--source-id: {source_id!r} must be lowercase letters, digits, hyphens")
    known_source = source_id in sources.index
    published: dt.date | None
    if args.published:
        try:
            published = parse_iso_date(args.published)
        except EDTFError as exc:
            raise UsageError(f"--published: {exc}") from None
    elif known_source:
        try:
            published = parse_edtf(str(sources.loc[source_id, "published"])).earliest
        except EDTFError:
            published = None
    else:
        published = article.published
    if published is None:
        raise UsageError("--published DATE is needed: the article's date could not be found")

    draft = draft_events(article.text, published, facts, source_id)
    tables = _tables(draft, facts, article, source_id, known_source, args.url, published)
    if args.format == "table":
        _print_review(draft, tables, published, article.is_html)
        return EXIT_OK
    from thirdcountry.facts.additions import write_additions

    columns = {name: list(facts.schema[name].columns) for name in tables if name != "events"}
    columns["events"] = CANDIDATE_COLUMNS
    write_additions(tables, args.format, sys.stdout, columns)
    return EXIT_OK


def _tables(draft, facts, article, source_id, known_source, url, published) -> dict:
    """The draft as rows per table: a proposed source, entities, agreements, then events."""
    tables: dict[str, list[dict]] = {}
    if not known_source:
        tables["sources"] = [
            {
                "source_id": source_id,
                "title": _title(article.title or "", draft.dateline),
                "publisher": draft.publisher,  # the agency a wire dateline names
                "published": published.isoformat(),
                "url": url or "",
                "retrieved": dt.date.today().isoformat(),
            }
        ]
    if draft.entities:
        tables["entities"] = [
            {"entity_id": e.entity_id, "kind": e.kind, "name": e.name} for e in draft.entities
        ]
    if draft.agreements:
        tables["agreements"] = [
            {
                "agreement_id": a.agreement_id,
                "title": a.title,
                "kind": a.kind,
                "parties": "|".join(a.parties),
                "sending": a.sending,
                "receiving": a.receiving,
            }
            for a in draft.agreements
        ]
    tables["events"] = [
        {column: getattr(c, column) for column in CANDIDATE_COLUMNS} for c in draft.candidates
    ]
    if draft.figures:
        columns = list(facts.schema["figures"].columns)
        tables["figures"] = [
            {column: _cell(getattr(f, column, "")) for column in columns} for f in draft.figures
        ]
    return tables


def _title(title: str, dateline) -> str:
    """A plain-text article's first line is its title, unless the story opens with its
    dateline: then there is no title to propose."""
    if dateline is not None and title.strip().startswith(dateline.text):
        return ""
    return title


def _cell(value: object) -> object:
    """A figure's value as written in figures.csv: 250, not 250.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _print_review(draft, tables, published: dt.date, is_html: bool) -> None:
    dated = sum(1 for c in draft.candidates if c.date)
    print(
        f"{len(draft.candidates)} candidate event{'s' * (len(draft.candidates) != 1)} from "
        f"{draft.source_id} (published "
        f"{published.isoformat()}{', HTML' if is_html else ''}); {dated} with a date phrase"
    )
    if draft.dateline is not None:
        line = draft.dateline
        reference = line.date.isoformat() if line.date else "none: the publication date is used"
        publisher = f"; publisher {line.agency}" if line.agency else ""
        print(f"dateline {line.text!r}: date {reference}{publisher}")
    for c in draft.candidates:
        date = c.date or "(no date)"
        print()
        print(f"{c.event_id}  {date}  {c.kind}  {c.agreement_id or '-'}  {c.certainty}")
        if c.date_phrase:
            print(f"  date: '{c.date_phrase}' ({c.date_basis or 'unresolved'})")
        if c.countries or c.entities:
            print(f"  who: {' '.join([*c.countries, *c.entities])}")
        for line in textwrap.wrap(f'"{c.quote}"', 96):
            print(f"  {line}")
        if c.note:
            for line in textwrap.wrap(f"note: {c.note}", 96, break_on_hyphens=False):
                print(f"  {line}")
    for f in draft.figures:
        print()
        value = _cell(f.value)
        print(f"{f.figure_id}  {f.measure} {value} {f.unit} ({f.qualifier}, {f.basis})  {f.date}")
        print(f"  agreement: {f.agreement_id or '-'}  {f.certainty}")
        if f.note:
            for line in textwrap.wrap(f"note: {f.note}", 96, break_on_hyphens=False):
                print(f"  {line}")
    for name in ("sources", "entities", "agreements"):
        rows = tables.get(name)
        if not rows:
            continue
        print()
        print(f"proposed new {name}:")
        for row in rows:
            first = next(iter(row.values()))
            rest = ", ".join(f"{k}={v}" for k, v in list(row.items())[1:] if v)
            print(f"  {first}: {rest}")
    print()
    print("Save with --format csv (or json), review, then: thirdcountry add FILE")


def cmd_add(args) -> int:
    from thirdcountry.analysis import compare_fact_bases
    from thirdcountry.cli.changes_cmd import COLUMNS
    from thirdcountry.cli.output import write_rows
    from thirdcountry.facts.additions import read_additions
    from thirdcountry.facts.append import append_rows
    from thirdcountry.facts.problems import FactBaseError, Problem, with_full_paths
    from thirdcountry.facts.schema import load_schema
    from thirdcountry.paths import resolve_data_dir

    directory = resolve_data_dir(args.data)
    if not directory.is_dir():
        shown = str(directory.expanduser().absolute())
        raise FactBaseError([Problem(shown, None, None, "no such data folder")])
    try:
        schema = load_schema(directory)
    except FactBaseError as exc:
        raise with_full_paths(exc, directory) from None
    additions = read_additions(Path(args.file).expanduser(), schema)
    if not additions.rows:
        print("nothing to add: the file has no rows")
        return EXIT_OK
    try:
        result = append_rows(additions, directory, dry_run=args.dry_run)
    except OSError as exc:  # the disk, not the input: exit 1, and every file as it was
        from thirdcountry.errors import ThirdCountryError

        reason = exc.strerror or str(exc)
        message = f"could not write the fact base ({reason}); nothing was changed"
        raise ThirdCountryError(message) from None

    changes = compare_fact_bases(result.before, result.after, dt.date.today())
    rows = _added_rows(result, changes)
    order = {name: index for index, name in enumerate(result.after.schema)}
    rows.sort(key=lambda r: (r[0] != "added", order.get(r[1], len(order))))
    verb = "would add" if args.dry_run else "added"
    counts = ", ".join(f"{n} {_rows(n)} to {table}" for table, n in result.changed.items())
    if args.format == "table":
        dry = " (dry run: nothing written)" if args.dry_run else ""
        print(f"{verb} {counts} in {directory.absolute()}{dry}")
    write_rows(COLUMNS, rows, args.format)
    return EXIT_OK


def _rows(count: int) -> str:
    return "row" if count == 1 else "rows"


def _added_rows(result, changes) -> list[tuple]:
    """compare_fact_bases' rows, plus an 'added' row for each new row of a table it skips."""
    columns = ["change", "table", "id", "field", "before", "after", "summary"]
    rows = list(changes[columns].itertuples(index=False, name=None))
    reported = {(r[1], r[2]) for r in rows if r[0] == "added"}
    for table in result.changed:
        key = result.after.schema[table].primary_key
        old = set(result.before.table(table)[key]) if hasattr(result.before, table) else set()
        new = result.after.table(table) if hasattr(result.after, table) else None
        if new is None:
            continue
        label = next((c for c in ("summary", "title", "name", "description") if c in new), None)
        for record in new.itertuples():
            item = getattr(record, key)
            if item in old or (table, item) in reported:
                continue
            summary = getattr(record, label) if label else ""
            rows.append(("added", table, item, "", "", "", "" if summary is None else str(summary)))
    return rows
