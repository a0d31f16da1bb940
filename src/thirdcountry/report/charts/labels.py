"""Label text: widths from font metrics, shortening and wrapping to a width, cells as text."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

# -- text measurement ------------------------------------------------------------------------------


# Laying out a string with FreeType costs about half a millisecond, too slow for thousands of
# labels; so widths are summed from per-character advances, measured once, and padded to stay on
# the safe side of hinting (which widens small text by up to 4%).
_WIDTH_SAFETY = 1.05
_MEASURE_SIZE = 100.0


@lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    return RendererAgg(8, 8, 72)  # at 72 dpi one pixel is one point


@lru_cache(maxsize=4096)
def _advance(char: str, weight: str, style_: str) -> float:
    """Width of one character at 1 pt, from a run of ten of them at a large size."""
    font = FontProperties(size=_MEASURE_SIZE, weight=weight, style=style_)  # type: ignore[arg-type]
    width, _, _ = _renderer().get_text_width_height_descent(char * 10, font, ismath=False)
    return float(width) / 10 / _MEASURE_SIZE


def text_width(text: str, size: float, weight: str = "normal", style_: str = "normal") -> float:
    """Width of one line of text, in points, a little over what it renders at."""
    if not text:
        return 0.0
    return size * _WIDTH_SAFETY * sum(_advance(c, weight, style_) for c in text) + 0.5


def fit_text(text: str, size: float, limit: float, weight: str = "normal", style_="normal") -> str:
    """The text, shortened with an ellipsis if needed to be at most `limit` points wide."""
    if text_width(text, size, weight, style_) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + "…", size, weight, style_) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


def wrap_phrases(parts: Sequence[str], size: float, limit: float, joiner: str = " · ") -> list[str]:
    """Pack phrases into lines at most `limit` points wide, never splitting a phrase."""
    lines: list[str] = []
    for part in parts:
        if lines and text_width(lines[-1] + joiner + part, size) <= limit:
            lines[-1] += joiner + part
        else:
            lines.append(fit_text(part, size, limit))
    return lines


def cell_text(value) -> str:
    """A cell as text: '' for missing values (None, NaN, NA)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def cell_flag(value) -> bool:
    return (
        False if value is None or (not isinstance(value, bool) and pd.isna(value)) else bool(value)
    )


def column_values(frame: pd.DataFrame, name: str, default) -> list:
    return list(frame[name]) if name in frame else list(default)
