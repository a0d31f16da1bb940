"""Links from one report to an agreement's page, by the page's stable path.

The default plan (reports.yml) renders notebooks/agreement.ipynb once per agreement; its one
parameter, `agreement`, names the folder: reports/agreement/agreement-<id>/report.html. The path
holds the id, never the title, so a renamed agreement keeps its link.
"""

from __future__ import annotations

import re

import pandas as pd

from thirdcountry.report.safe_html import Html, esc

PAGE_NOTEBOOK = "agreement"  # notebooks/agreement.ipynb; its parameter `agreement` names the slug
PAGE_FILE = "report.html"
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def page_path(agreement_id: str) -> str:
    """The page's path under the reports folder: agreement/agreement-<id>/report.html."""
    if not _ID.fullmatch(agreement_id):
        raise ValueError(f"agreement id {agreement_id!r}: lowercase letters, digits and hyphens")
    return f"{PAGE_NOTEBOOK}/{PAGE_NOTEBOOK}-{agreement_id}/{PAGE_FILE}"


def page_link(agreement_id: str, text: object, depth: int = 2) -> Html:
    """A link to the agreement's page from a report `depth` folders below the reports folder
    (reports/<notebook>/<slug>/report.html: 2)."""
    href = "../" * depth + page_path(agreement_id)
    label = f"The page of {text}"
    return Html(f'<a href="{href}" title="{esc(label)}">{esc(text)}</a>', str(text))


def linked_titles(frame: pd.DataFrame, column: str = "title") -> pd.DataFrame:
    """The frame with its agreement titles linked to their pages (by its agreement_id)."""
    if frame.empty or "agreement_id" not in frame.columns:
        return frame
    # One link per agreement, repeated: a grouped table blanks a first cell equal to the one
    # above, which holds for the same object.
    made: dict[tuple[str, str], Html] = {}
    links = []
    for key, title in zip(frame["agreement_id"], frame[column], strict=True):
        if isinstance(key, str) and _ID.fullmatch(key):
            links.append(made.setdefault((key, str(title)), page_link(key, title)))
        else:
            links.append(title)
    return frame.assign(**{column: links})
