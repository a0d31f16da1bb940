"""'Added or corrected since the previous report': the data changes a scheduled overview lists,
as a table whose every line links to its evidence (analysis/what_changed.py finds them)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from thirdcountry.analysis import what_changed
from thirdcountry.facts import parse_edtf
from thirdcountry.report import fact_tables
from thirdcountry.report.citations import Ref
from thirdcountry.report.long_tables import long_table
from thirdcountry.report.safe_html import REFS_COLUMN, Html, paragraph


def data_changes_table(
    changes: pd.DataFrame,
    when: str,
    refs_of: Callable[[object], tuple[Ref, ...]],
    note: Html | None = None,
) -> Html:
    """An intro that counts the changes by kind, `note`, then every change (long_table);
    `refs_of` gives a change row's evidence."""
    note = note or Html("")
    frame = changes.assign(
        change_text=[
            what_changed.change_text(c, t)
            for c, t in zip(changes["change"], changes["table"], strict=True)
        ],
        before_text=[
            _value_text(f, v) for f, v in zip(changes["field"], changes["before"], strict=True)
        ],
        after_text=[
            _value_text(f, v) for f, v in zip(changes["field"], changes["after"], strict=True)
        ],
    )
    listed = [f"{count} {text}" for text, count in what_changed.counted_changes(changes)]
    summary = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    intro = paragraph(
        f"Since the previous report, made on {when}, the data changed: {summary}. Events "
        "count here whenever they were added or corrected, however far back they are dated."
    )
    columns = {
        "change_text": "Change",
        "id": "Item",
        "summary": "What (our summary, or the title)",
        "field": "Field",
        "before_text": "Before",
        "after_text": "After",
    }
    # Each line links to its evidence: the row added or corrected, or the status step.
    row_refs = [refs_of(row) for row in frame.itertuples()]
    frame[REFS_COLUMN] = row_refs
    frame["id"] = [
        fact_tables.linked(str(item), refs, f"{change} {item}")
        for item, refs, change in zip(frame["id"], row_refs, frame["change_text"], strict=True)
    ]
    caption = "Added or corrected since the previous report"
    return (
        intro
        + note
        + long_table(frame, columns, "changes-since-previous-report", caption=caption,
                     what="changes", claim_column="id")
    )  # fmt: skip


def _value_text(field: str, value: object) -> str:
    """A changed value as the report shows it: dates in words, statuses readable."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    if field == "status":
        return fact_tables.readable_status(text)
    if field in ("date", "published"):
        try:
            return f"{parse_edtf(text).human()} ({text})"
        except Exception:
            return text
    return text
