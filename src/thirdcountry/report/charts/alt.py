"""Alt text: the description attached to each chart, and the count phrases it and subtitles use."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure

from thirdcountry.report.palette import (
    status_label,
    status_rank,
)

ALT_ATTRIBUTE = "thirdcountry_alt"


def alt_text(fig: Figure) -> str:
    """The description attached to a chart, for the alt attribute of its image."""
    return str(getattr(fig, ALT_ATTRIBUTE, "") or "")


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def status_counts_text(statuses: Iterable[str]) -> list[str]:
    counts = pd.Series(list(statuses), dtype=object).value_counts()
    ordered = sorted(counts.items(), key=lambda item: (status_rank(item[0]), item[0]))
    return [f"{n:,} {status_label(s)}" for s, n in ordered]


def set_alt(fig: Figure, text: str) -> None:
    """Attach the description `alt_text(fig)` returns."""
    setattr(fig, ALT_ATTRIBUTE, text)
