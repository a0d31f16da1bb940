"""'About this report': how to cite it, the data behind it, parameters, data and code versions,
when it ran."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from thirdcountry.paths import DATA_PACKAGE_FILE
from thirdcountry.provenance import code_version, dependency_versions, git_state
from thirdcountry.report.findings import long_date
from thirdcountry.report.safe_html import Html, esc, table

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase

AUTHORS = "The thirdcountry contributors"  # as in CITATION.cff
CITE_AS = "Cite this report as:"


def shareable_value(value: object) -> str:
    """A parameter as it may appear in shared output: a folder by name only, never a full path."""
    if isinstance(value, Path):
        return value.name
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(all)"
    return "" if value is None else str(value)


def citation(
    title: str,
    *,
    as_of: dt.date | None,
    made: dt.date,
    data_title: str,
    data_version: str,
    data_hash: str,
) -> Html:
    """A suggested citation of the report: authors, year, title, its date, the data and its
    content hash. No address: reports are shared as files, and a placeholder for one would be
    printed as it is."""
    facts_date = f", facts as of {long_date(as_of)}" if as_of is not None else ""
    version = f", version {data_version}" if data_version else ""
    before = f"{AUTHORS} ({made.year}). "
    after = (
        f"{facts_date} [report, made {long_date(made)}]. Data: {data_title}{version}, "
        f"content hash {data_hash}. "
    )
    markup = (
        f'<p class="tc-citation"><strong>{CITE_AS}</strong> {esc(before)}<cite>{esc(title)}</cite>'
        f"{esc(after.rstrip())}</p>"
    )
    return Html(markup, f"{CITE_AS} {before}{title}{after.rstrip()}")


def data_package_note() -> Html:
    """Where the data behind the report is: the data package beside it, and its tables."""
    link = f'<a href="{DATA_PACKAGE_FILE}" download>{DATA_PACKAGE_FILE}</a>'
    text = (
        "The data this report was made from, beside it: {link}, the data package (its "
        "Frictionless descriptor datapackage.json, the CSV tables it declares and the stored "
        "source texts); the tables the report shows are in tables/ as CSV."
    )
    # A PDF travels alone: it names the package by its content hash and carries the tables.
    printed = (
        f"The data this report was made from is the data package {DATA_PACKAGE_FILE} "
        "published with it (the content hash above identifies it); the tables the report "
        "shows are attached to this PDF (see 'Attached tables')."
    )
    return Html(
        f'<p class="tc-data-package"><span class="tc-screen">{text.format(link=link)}</span>'
        f'<span class="tc-print">{printed}</span></p>',
        text.format(link=DATA_PACKAGE_FILE),
    )


def about_section(
    parameters: Mapping[str, object],
    *,
    title: str,
    as_of: dt.date | None,
    data_hash: str,
    data_name: str,
    data_identity: Mapping[str, str],
) -> Html:
    """The About section: the suggested citation, the data package, then the details table."""
    made = dt.datetime.now(dt.UTC).date()
    cited = citation(
        title,
        as_of=as_of,
        made=made,
        data_title=data_identity.get("title") or data_name,
        data_version=data_identity.get("version", ""),
        data_hash=data_hash,
    )
    return cited + data_package_note() + about_table(parameters, data_hash, data_name)


def about_table(parameters: Mapping[str, object], data_hash: str, data_name: str) -> Html:
    git = git_state()
    commit = str(git["commit"] or "unknown")
    if git["dirty"]:
        commit += " (with uncommitted changes)"
    rows = [(f"parameter: {name}", shareable_value(value)) for name, value in parameters.items()]
    versions = ", ".join(f"{name} {version}" for name, version in dependency_versions().items())
    rows += [
        ("data", f"{data_name}, content hash {data_hash}"),
        ("thirdcountry version", code_version()),
        ("git commit", commit),
        ("ran at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("versions of the key libraries", versions),
    ]
    frame = pd.DataFrame(rows, columns=["item", "value"])
    return table(frame, {"item": "Item", "value": "Value"}, css_class="tc-table tc-about")


def about_facts(
    facts: FactBase, parameters: Mapping[str, object], *, title: str, as_of: dt.date | None
) -> Html:
    """about_section() for a report made from `facts`: its parameters, then the fact base it
    read (the kernel gets it through $THIRDCOUNTRY_DATA; the section shows which one it was)."""
    from thirdcountry.facts.schema import package_identity
    from thirdcountry.paths import is_project_data

    shown = dict(parameters)
    shown["data_dir"] = (
        "data (the project's fact base)"
        if is_project_data(facts.data_dir)
        else Path(facts.data_dir)
    )
    return about_section(
        shown,
        title=title,
        as_of=as_of,
        data_hash=facts.content_hash,
        data_name=facts.data_dir.name,
        data_identity=package_identity(facts.data_dir),
    )
