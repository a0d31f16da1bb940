"""reports/index.html: every report, its parameters, its data, when it ran, its outcome, links.

Built only from the run.json files in the reports folder, so it always describes what is there:
each report's latest good run, its last failed run if that is newer, and the good runs kept under
_history/ (`render --keep N`). collect() reads the folder, row() turns each report into plain
text and links, and the Jinja2 template templates/reports_index/index.html.j2 (autoescape on)
lays them out: every value is escaped; the page is static and loads nothing.
"""

from __future__ import annotations

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
    return [entries[key] for key in sorted(entries)]


def write_index(layout: Layout, temp_dir: Path) -> Path:
    write_atomic(layout.index, index_html(collect(layout), feeds_in(layout)), temp_dir)
    return layout.index


def index_html(entries: list[Entry], feeds: Sequence[Feed] = ()) -> str:
    """The page, through the Jinja2 template templates/reports_index/index.html.j2 (autoescape)."""
    failed = sum(1 for e in entries if _latest_failed(e))
    summary = f"{len(entries)} report{'s' * (len(entries) != 1)}"
    if failed:
        summary += f", {failed} whose last run failed"
    return _template().render(
        title=TITLE, summary=summary, rows=[row(e) for e in entries], feeds=list(feeds)
    )


@dataclass(frozen=True)
class Feed:
    """A change feed beside the index: linked on the page and announced in its head."""

    href: str  # relative to the index
    type: str  # its media type
    label: str


def feeds_in(layout: Layout) -> list[Feed]:
    """The change feeds (render.feed) that a scheduled run has written into the folder."""
    from thirdcountry.render.feed import ATOM_FILE, ATOM_TYPE, JSON_FEED_FILE, JSON_FEED_TYPE

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
    )


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
