"""reports/index.html: every report, its parameters, its data, when it ran, its outcome, links.

Built only from the run.json files in the reports folder, so it always describes what is there:
each report's latest good run, its last failed run if that is newer, and the good runs kept under
_history/ (`render --keep N`). collect() reads the folder, row() turns each report into plain
text and links, and the Jinja2 template templates/reports_index/index.html.j2 (autoescape on)
lays them out: every value is escaped; the page is static and loads nothing.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from thirdcountry.render.outputs import (
    FAILED_DIR,
    FILES,
    HISTORY_DIR,
    RUN_FILE,
    SNAPSHOT_FILE,
    Layout,
    write_atomic,
)

LINKS = (("html", "HTML"), ("pdf", "PDF"), ("ipynb", "notebook"))
TITLE = "thirdcountry reports"
TEMPLATE_DIR = "reports_index"  # under src/thirdcountry/templates/
TEMPLATE_NAME = "index.html.j2"


@dataclass
class Entry:
    notebook: str
    slug: str
    good: dict | None  # run.json of the report in place
    failed: dict | None  # run.json of a later failed run, if any
    history: list[tuple[str, dict]] = field(
        default_factory=list
    )  # (folder, run.json), newest first
    # An agreement's page: its row beside it (report/agreement_page.PAGE_TABLE), listed apart.
    page: dict | None = None


def collect(layout: Layout) -> list[Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    for kind, base in (("good", layout.root), ("failed", layout.root / FAILED_DIR)):
        for run_file in sorted(base.glob(f"*/*/{RUN_FILE}")):
            notebook, slug = run_file.parent.parent.name, run_file.parent.name
            if notebook.startswith((".", "_")) or slug.startswith("."):
                continue
            try:
                record = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            entry = entries.setdefault((notebook, slug), Entry(notebook, slug, None, None))
            setattr(entry, kind, record)
    for run_file in sorted(layout.root.glob(f"{HISTORY_DIR}/*/*/*/{RUN_FILE}"), reverse=True):
        folder = run_file.parent
        notebook, slug = folder.parent.parent.name, folder.parent.name
        if folder.name.startswith(".") or (notebook, slug) not in entries:
            continue
        try:
            record = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries[(notebook, slug)].history.append((folder.name, record))
    for (notebook, slug), entry in entries.items():
        entry.page = _page_row(layout.report_dir(notebook, slug) / PAGE_TABLE)
    return [entries[key] for key in sorted(entries)]


# ---- agreement pages: listed under their sending state ----------------------------------------

PAGE_TABLE = "tables/agreement.csv"  # report/agreement_page.PAGE_TABLE


def _page_row(path: Path) -> dict | None:
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, ValueError, csv.Error):
        return None
    return rows[0] if len(rows) == 1 and rows[0].get("agreement_id") else None


@dataclass(frozen=True)
class PageGroup:
    """The agreement pages of one sending state, by title."""

    sending: str
    rows: list[Row]


def page_groups(entries: list[Entry]) -> list[PageGroup]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.page is not None:
            name = entry.page.get("sending_name") or entry.page.get("sending") or "?"
            groups.setdefault(name, []).append(entry)
    return [
        PageGroup(name, [row(e) for e in sorted(members, key=lambda e: row(e).title)])
        for name, members in sorted(groups.items())
    ]


def write_index(layout: Layout, temp_dir: Path) -> Path:
    from thirdcountry.render.sqlite_export import database_in

    html = index_html(collect(layout), feeds_in(layout), database_in(layout.root))
    write_atomic(layout.index, html, temp_dir)
    return layout.index


def index_html(entries: list[Entry], feeds: Sequence[Feed] = (), database=None) -> str:
    """The page, through the Jinja2 template templates/reports_index/index.html.j2 (autoescape).

    Reports of a dated series (run.json "series", render/periods.py) are not rows of the main
    table: each archive is one row of its own table, with one link per period."""
    failed = sum(1 for e in entries if _latest_failed(e))
    summary = f"{len(entries)} report{'s' * (len(entries) != 1)}"
    archives = archive_rows(entries)
    if archives:
        dated = sum(archive.count for archive in archives)
        summary += f" ({dated} of them in {len(archives)} archive{'s' * (len(archives) != 1)})"
    if failed:
        summary += f", {failed} whose last run failed"
    rows = [row(e) for e in entries if _series(e) is None and e.page is None]
    pages = page_groups(entries)
    return _template().render(
        title=TITLE,
        summary=summary,
        groups=reading_order(rows),
        archives=archives,
        feeds=list(feeds),
        database=database,
        pages=pages,
    )


# ---- reading order: the main overview first, then by sending state, then the rest ----------

# (rank, heading, what the group holds): a notebook's reports not listed here come after these,
# under the notebook's name.
GROUPS = {
    "overview": (0, "Overview", "Every agreement on record: where each stands, what changed, "
                 "the map, the history, the numbers and the evidence."),
    "sending": (1, "Overviews by sending state", "The same overview, for the agreements of one "
                "sending state (or the EU) each."),
    "country": (2, "Country reports", "Everything on record about one country: its agreements, "
                "their steps and the events that name it."),
}  # fmt: skip
SCOPE_PARAMETERS = ("sending", "countries", "country")


@dataclass(frozen=True)
class Group:
    """One heading of the index and its reports, in reading order."""

    key: str
    heading: str
    about: str
    rows: list[Row]


def group_key(row: Row) -> str:
    """'overview' (the main overview, and dated variants of it), 'sending' (an overview of one
    sending state's agreements), else the notebook's name ('country', 'agreement')."""
    names = {parameter.split(" = ", 1)[0] for parameter in row.parameters}
    if row.notebook == "overview":
        return "sending" if "sending" in names else "overview"
    return row.notebook


DATA_PARAMETERS = ("data_dir",)  # the notebooks' DataFolder parameter


def reading_order(rows: list[Row]) -> list[Group]:
    """The index's groups: the main overview first (with defaults before dated ones), then the
    overviews by sending state, then country reports, then any other kind, each by title."""
    grouped: dict[str, list[Row]] = {}
    for item in rows:
        grouped.setdefault(group_key(item), []).append(item)
    groups = []
    for key in sorted(grouped, key=lambda k: (GROUPS.get(k, (9,))[0], k)):
        _, heading, about = GROUPS.get(key, (9, key.replace("_", " ").capitalize(), ""))
        members = sorted(grouped[key], key=lambda r: (_chosen(r), r.title.casefold(), r.slug))
        groups.append(Group(key, heading, about, members))
    return groups


def _chosen(row: Row) -> bool:
    """Whether a report has parameters beyond the data folder (which `--data` names): a dated
    or narrowed report comes after the defaults."""
    return any(p.split(" = ", 1)[0] not in DATA_PARAMETERS for p in row.parameters)


def description(notebook: str, title: str, parameters: dict) -> str:
    """A report's one line under its title: what it covers, in words."""
    scope = {k: v for k, v in parameters.items() if k in SCOPE_PARAMETERS and v}
    as_of = parameters.get("as_of")
    when = f" as they stood on {as_of}" if as_of else ", as of the latest event on record"
    if notebook == "overview" and "sending" in scope:
        senders = " or ".join(_the(str(name)) for name in scope["sending"])
        return f"The agreements under which {senders} sends people to another state{when}."
    if notebook == "overview":
        about = f" involving {_value(scope['countries'])}" if "countries" in scope else ""
        return f"Every agreement{about}: status, changes, map, history and numbers{when}."
    if notebook == "country":
        country = _value(scope.get("country") or scope.get("countries") or title)
        return f"Every agreement {_the(country)} is party to, its steps and events{when}."
    return f"{title}{when}."


@dataclass(frozen=True)
class Feed:
    """A change feed beside the index: linked on the page and announced in its head."""

    href: str  # relative to the index
    type: str  # its media type
    label: str


def feeds_in(layout: Layout) -> list[Feed]:
    """The change feeds (render.feed_files) that a scheduled run has written into the folder."""
    from thirdcountry.render.feed_files import ATOM_FILE, ATOM_TYPE, JSON_FEED_FILE, JSON_FEED_TYPE

    feeds = [
        Feed(ATOM_FILE, ATOM_TYPE, "Atom feed"),
        Feed(JSON_FEED_FILE, JSON_FEED_TYPE, "JSON Feed"),
    ]
    return [feed for feed in feeds if (layout.root / feed.href).is_file()]


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("thirdcountry", f"templates/{TEMPLATE_DIR}"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template(TEMPLATE_NAME)


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True)
class Failure:
    """A failed run newer than the report in place (or with none in place)."""

    outcome: str
    ran: str
    reason: str
    has_good: bool


@dataclass(frozen=True)
class Row:
    """What the index shows of one report: plain text, escaped by the template."""

    notebook: str
    slug: str
    title: str
    parameters: list[str]  # "name = value", empty for the defaults
    latest_event: str
    data_folder: str
    content_hash: str
    ran: str
    failure: Failure | None
    links: list[Link]
    history: list[Link]  # kept good runs, newest first
    description: str = ""  # one line: what the report covers


def _latest_failed(entry: Entry) -> bool:
    if entry.failed is None:
        return False
    if entry.good is None:
        return True
    return str(entry.failed.get("started", "")) >= str(entry.good.get("started", ""))


def row(entry: Entry) -> Row:
    shown = entry.good or entry.failed or {}
    data = shown.get("data") or {}
    parameters = shown.get("parameters") or {}
    return Row(
        notebook=entry.notebook,
        slug=entry.slug,
        title=str(shown.get("title") or entry.slug),
        parameters=[f"{name} = {_value(value)}" for name, value in parameters.items()],
        latest_event=str(data.get("latest_event") or "?"),
        data_folder=str(data.get("folder", "")),
        content_hash=str(data.get("content_hash", "")),
        ran=_when(shown),
        failure=_failure(entry),
        links=_links(entry),
        history=_history_links(entry),
        description=description(
            entry.notebook, str(shown.get("title") or entry.slug), _scoped(parameters)
        ),
    )


def _the(name: str) -> str:
    """'the United States', 'the EU', 'Denmark': a state's name as a sentence needs it."""
    plural = ("Netherlands", "Philippines", "Bahamas", "Gambia", "Comoros", "Maldives")
    return f"the {name}" if name.startswith(("United ", "European ")) or name in plural else name


def _scoped(parameters: dict) -> dict:
    """The parameters, with ISO3 codes of sending states and countries named."""
    from thirdcountry.facts.countries import party_name

    named = dict(parameters)
    for key in SCOPE_PARAMETERS:
        value = named.get(key)
        codes = [value] if isinstance(value, str) else list(value or [])
        if codes:
            named[key] = [party_name(str(c)) or str(c) for c in codes]
    return named


def _failure(entry: Entry) -> Failure | None:
    if not _latest_failed(entry):
        return None
    failed = entry.failed or {}
    error = failed.get("error") or {}
    reason = f"{error.get('ename', '')}: {error.get('evalue', '')}".strip(": ")
    return Failure(
        outcome=str(failed.get("outcome", "failed")),
        ran=_when(failed),
        reason=reason[:300],
        has_good=entry.good is not None,
    )


def _links(entry: Entry) -> list[Link]:
    prefix = f"{entry.notebook}/{entry.slug}/"
    links = []
    if entry.good is not None:
        files = entry.good.get("files", {})
        links += [Link(prefix + FILES[key], label) for key, label in LINKS if key in files]
        links.append(Link(prefix + RUN_FILE, "run.json"))
        if entry.good.get("snapshot") == SNAPSHOT_FILE:
            links.append(Link(prefix + SNAPSHOT_FILE, "facts"))
    if _latest_failed(entry):
        failed_files = (entry.failed or {}).get("files") or {}
        # The HTML copy is missing when the conversion itself failed: link what exists.
        failed_name = next((FILES[k] for k in ("html", "ipynb") if k in failed_files), RUN_FILE)
        links.append(Link(f"{FAILED_DIR}/{prefix}{failed_name}", "failed run"))
    return links


def _history_links(entry: Entry) -> list[Link]:
    """The kept good runs, newest first, each linking its HTML (else its first file)."""
    links = []
    for folder, record in entry.history:
        files = record.get("files") or {}
        name = next((FILES[key] for key, _ in LINKS if key in files), RUN_FILE)
        href = f"{HISTORY_DIR}/{entry.notebook}/{entry.slug}/{folder}/{name}"
        started = str(record.get("started", "")).replace("T", " ")[:16] or folder
        data = (record.get("data") or {}).get("content_hash", "")
        links.append(Link(href, f"{started} UTC" + (f", data {data}" if data else "")))
    return links


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "[]"
    return "" if value is None else str(value)


def _when(record: dict) -> str:
    started = str(record.get("started", ""))
    duration = record.get("duration_s")
    text = started.replace("T", " ")[:16] + (" UTC" if started else "")
    if isinstance(duration, int | float):
        text += f" ({duration:.1f} s)"
    return text


# ---- archives: the reports of a dated series, grouped ---------------------------------------

EVERY = {"monthly": "monthly", "quarterly": "quarterly", "yearly": "yearly"}


@dataclass(frozen=True)
class PeriodLink:
    label: str  # Jan, Q1, 2019
    href: str
    period: str  # 2019-01, 2019-Q1, 2019
    failed: bool  # its last run failed (the link goes to the previous good one, if any)


@dataclass(frozen=True)
class ArchiveYear:
    year: str  # empty in a yearly archive
    periods: list[PeriodLink]


@dataclass(frozen=True)
class Archive:
    """What the index shows of one archive: every report of one dated series."""

    title: str
    group: str  # notebook/slug of the series without its date: overview/sending-usa
    every: str  # monthly, quarterly, yearly
    parameter: str  # the parameter the series fills: as_of
    parameters: list[str]  # the others, shared by every report of the archive
    span: str  # 2019-01 to 2026-03
    count: int
    failed: int
    latest_event: str
    ran: str  # the most recent run of any of its reports
    years: list[ArchiveYear]


def _series(entry: Entry) -> dict | None:
    shown = entry.good or entry.failed or {}
    series = shown.get("series")
    needed = ("group", "every", "period", "parameter")
    if isinstance(series, dict) and all(isinstance(series.get(k), str) for k in needed):
        return series
    return None


def archive_rows(entries: list[Entry]) -> list[Archive]:
    """The archives among the reports: one per (group, period unit, parameter), by group name."""
    groups: dict[tuple[str, str, str], list[tuple[dict, Entry]]] = {}
    for entry in entries:
        series = _series(entry)
        if series is not None:
            key = (series["group"], series["every"], series["parameter"])
            groups.setdefault(key, []).append((series, entry))
    return [_archive(key, members) for key, members in sorted(groups.items())]


def _archive(key: tuple[str, str, str], members: list[tuple[dict, Entry]]) -> Archive:
    group, every, parameter = key
    members.sort(key=lambda member: member[0]["period"])
    years: dict[str, list[PeriodLink]] = {}
    for series, entry in members:
        period = series["period"]
        # A line per year; a yearly archive is one line of years.
        line = "" if every == "yearly" else period[:4]
        years.setdefault(line, []).append(_period_link(entry, every, period))
    newest = members[-1][1]
    shown = newest.good or newest.failed or {}
    data = shown.get("data") or {}
    parameters = {k: v for k, v in (shown.get("parameters") or {}).items() if k != parameter}
    runs = [entry.good or entry.failed or {} for _, entry in members]
    latest_run = max(runs, key=lambda record: str(record.get("started", "")))
    first, last = members[0][0]["period"], members[-1][0]["period"]
    return Archive(
        title=f"{shown.get('title') or newest.notebook}: {EVERY.get(every, every)} archive",
        group=group,
        every=every,
        parameter=parameter,
        parameters=[f"{name} = {_value(value)}" for name, value in parameters.items()],
        span=first if first == last else f"{first} to {last}",
        count=len(members),
        failed=sum(1 for _, entry in members if _latest_failed(entry)),
        latest_event=str(data.get("latest_event") or "?"),
        ran=str(latest_run.get("started", "")).replace("T", " ")[:16] + " UTC",
        years=[ArchiveYear(year, links) for year, links in years.items()],
    )


def _period_link(entry: Entry, every: str, period: str) -> PeriodLink:
    if every == "monthly" and period[5:7].isdigit():
        label = calendar.month_abbr[int(period[5:7])]
    elif every == "quarterly":
        label = period[5:]
    else:
        label = period
    prefix = f"{entry.notebook}/{entry.slug}/"
    if entry.good is not None:
        files = entry.good.get("files") or {}
        href = prefix + next((FILES[key] for key, _ in LINKS if key in files), RUN_FILE)
    else:
        failed_files = (entry.failed or {}).get("files") or {}
        name = next((FILES[k] for k in ("html", "ipynb") if k in failed_files), RUN_FILE)
        href = f"{FAILED_DIR}/{prefix}{name}"
    return PeriodLink(label, href, period, _latest_failed(entry))
