"""'About this report': parameters, data version, code version, when it ran."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from thirdcountry.provenance import code_version, dependency_versions, git_state
from thirdcountry.report.safe_html import Html, table


def shareable_value(value: object) -> str:
    """A parameter as it may appear in shared output: a folder by name only, never a full path."""
    if isinstance(value, Path):
        return value.name
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(all)"
    return "" if value is None else str(value)


def about_table(parameters: Mapping[str, object], data_hash: str, data_name: str) -> Html:
    git = git_state()
    commit = str(git["commit"] or "unknown")
    if git["dirty"]:
        commit += " (with uncommitted changes)"
    rows = [(f"parameter: {name}", shareable_value(value)) for name, value in parameters.items()]
    rows += [
        ("data", f"{data_name}, content hash {data_hash}"),
        ("thirdcountry version", code_version()),
        ("git commit", commit),
        ("ran at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]
    rows += [(f"version of {name}", version) for name, version in dependency_versions().items()]
    frame = pd.DataFrame(rows, columns=["item", "value"])
    return table(frame, {"item": "Item", "value": "Value"}, css_class="tc-table tc-about")
