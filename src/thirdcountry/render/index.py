"""reports/index.html: every report, its parameters, its data, when it ran, its outcome, links.

Built only from the run.json files in the reports folder, so it always describes what is there:
each report's latest good run, its last failed run if that is newer, and the good runs kept under
_history/ (`render --keep N`). Every value is escaped; the page is static and loads nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

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
    write_atomic(layout.index, index_html(collect(layout)), temp_dir)
    return layout.index


def index_html(entries: list[Entry]) -> str:
    rows = []
    for entry in entries:
        rows.append(_row(entry))
    empty = (
        '<tr><td colspan="6" class="empty">No reports yet: run <code>make report</code>.</td></tr>'
    )
    body = "".join(rows) or empty
    failed = sum(1 for e in entries if _latest_failed(e))
    summary = f"{len(entries)} report{'s' * (len(entries) != 1)}"
    if failed:
        summary += f", {failed} whose last run failed"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>thirdcountry reports</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>thirdcountry reports</h1>
<p>{escape(summary)}. Each report links to its HTML, PDF, executed notebook and
<code>run.json</code> (how it was made). "Data up to" is the latest event in the fact base the
report was made from, with that folder's name and content hash.</p>
<table>
<thead><tr><th scope="col">Report</th><th scope="col">Parameters</th>
<th scope="col">Data up to</th>
<th scope="col">Ran</th><th scope="col">Outcome</th><th scope="col">Files</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
"""


def _latest_failed(entry: Entry) -> bool:
    if entry.failed is None:
        return False
    if entry.good is None:
        return True
    return str(entry.failed.get("started", "")) >= str(entry.good.get("started", ""))


def _row(entry: Entry) -> str:
    shown = entry.good or entry.failed or {}
    prefix = f"{entry.notebook}/{entry.slug}/"
    title = shown.get("title") or entry.slug
    report = (
        f"<strong>{escape(str(title))}</strong><br>"
        f'<span class="path">{escape(entry.notebook)} / {escape(entry.slug)}</span>'
    )
    parameters = shown.get("parameters") or {}
    parameter_text = (
        "<br>".join(
            f"{escape(str(name))} = {escape(_value(value))}" for name, value in parameters.items()
        )
        or "(defaults)"
    )
    data = shown.get("data") or {}
    data_text = escape(str(data.get("latest_event") or "?"))
    data_text += f'<br><span class="path">{escape(str(data.get("folder", "")))}'
    data_text += f" {escape(str(data.get('content_hash', '')))}</span>"
    ran = escape(_when(shown))
    outcome, links = _outcome_and_links(entry, prefix)
    return (
        f"<tr><td>{report}</td><td>{parameter_text}</td><td>{data_text}</td><td>{ran}</td>"
        f"<td>{outcome}</td><td>{links}</td></tr>\n"
    )


def _outcome_and_links(entry: Entry, prefix: str) -> tuple[str, str]:
    links = []
    if entry.good is not None:
        files = entry.good.get("files", {})
        for key, label in LINKS:
            if key in files:
                links.append(f'<a href="{escape(prefix + FILES[key], quote=True)}">{label}</a>')
        links.append(f'<a href="{escape(prefix + RUN_FILE, quote=True)}">run.json</a>')
        if entry.good.get("snapshot") == SNAPSHOT_FILE:
            links.append(f'<a href="{escape(prefix + SNAPSHOT_FILE, quote=True)}">facts</a>')
    outcome = '<span class="ok">ok</span>'
    if _latest_failed(entry):
        failed = entry.failed or {}
        failed_prefix = f"{FAILED_DIR}/{prefix}"
        error = failed.get("error") or {}
        reason = f"{error.get('ename', '')}: {error.get('evalue', '')}".strip(": ")
        outcome = (
            f'<span class="failed">{escape(str(failed.get("outcome", "failed")))}</span> '
            f"at {escape(_when(failed))}"
        )
        if reason:
            outcome += f'<br><span class="reason">{escape(reason[:300])}</span>'
        outcome += (
            "<br>showing the previous good report" if entry.good else "<br>no good report yet"
        )
        failed_files = failed.get("files") or {}
        # The HTML copy is missing when the conversion itself failed: link what exists.
        failed_name = next((FILES[k] for k in ("html", "ipynb") if k in failed_files), RUN_FILE)
        links.append(f'<a href="{escape(failed_prefix + failed_name, quote=True)}">failed run</a>')
    text = " · ".join(links)
    if entry.history:
        text += _history_links(entry)
    return outcome, text


def _history_links(entry: Entry) -> str:
    """The kept good runs, newest first, each linking its HTML (else its first file)."""
    items = []
    for folder, record in entry.history:
        files = record.get("files") or {}
        name = next((FILES[key] for key, _ in LINKS if key in files), RUN_FILE)
        href = f"{HISTORY_DIR}/{entry.notebook}/{entry.slug}/{folder}/{name}"
        started = str(record.get("started", "")).replace("T", " ")[:16] or folder
        data = (record.get("data") or {}).get("content_hash", "")
        label = f"{started} UTC" + (f", data {data}" if data else "")
        items.append(f'<li><a href="{escape(href, quote=True)}">{escape(label)}</a></li>')
    count = len(entry.history)
    return (
        f'<details class="history"><summary>history: {count} run{"s" * (count != 1)}</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


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


_CSS = """
body{margin:0;font:14px/1.45 "DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,Arial,
sans-serif;color:#1b1b1b}
main{max-width:80rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #e2e2e2}
th{background:#f2f2f2}
.path,.reason{color:#666;font-size:.85em}
.ok{color:#1b5e20;font-weight:600}
.failed{color:#b71c1c;font-weight:600}
.empty{color:#666;font-style:italic}
a{color:#0b5394}
.history summary{cursor:pointer;color:#444}
.history ul{margin:.2rem 0 0;padding-left:1.1rem}
"""
