"""Label text: widths from font metrics, shortening and wrapping to a width, cells as text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

# -- text measurement ------------------------------------------------------------------------------


# Laying out a string with FreeType costs about half a millisecond, too slow for thousands of
# labels; so widths are summed from per-character advances, measured once, and padded to stay on
# the safe side of hinting (which widens small text by up to 4%).
_WIDTH_SAFETY = 1.05
LINE = 1.22  # text height as a multiple of the font size, descenders included
TWO_LINE_FONT = 6.5  # smallest font for a row label set on two lines
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


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, weight: str = "normal", style_: str = "normal") -> float:
    """Width of one line of text, in points, a little over what it renders at."""
    if not text:
        return 0.0
    return size * _WIDTH_SAFETY * sum(_advance(c, weight, style_) for c in text) + 0.5


# Where a line may break or a label may be shortened: after a space, or after a hyphen, dash
# or slash inside a compound ("US–Canada", "2019/2020").
_BREAK = re.compile(r"(?<=[\s\-–—/])")
_TRAILING = " \t,;:·–—-/("


def word_prefixes(text: str) -> list[str]:
    """Every shortening of `text` that ends at a word boundary, longest first (pure)."""
    cuts = [m.start() for m in _BREAK.finditer(text) if 0 < m.start() < len(text)]
    prefixes = [text[:cut].rstrip(_TRAILING) for cut in reversed(cuts)]
    return [p for p in dict.fromkeys(prefixes) if p]


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """The text, or its longest word-boundary prefix plus '…' that `fits` (pure).

    Only a first word that is alone too wide is cut inside, since nothing shorter can be shown.
    """
    text = " ".join(str(text).split())
    if fits(text):
        return text
    for prefix in word_prefixes(text):
        if fits(prefix + "…"):
            return prefix + "…"
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + "…"):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


def wrap_words(text: str, fits: Callable[[str], bool], max_lines: int) -> list[str]:
    """The text in at most `max_lines` lines that each `fits`, broken at word boundaries (pure).

    What does not fit in the last line is dropped there with '…' (at a word boundary too).
    """
    text = " ".join(str(text).split())
    words = [w for w in _BREAK.split(text) if w]
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = current + word
        if not current or fits(candidate.rstrip()):
            current = candidate
            continue
        lines.append(current.rstrip())
        if len(lines) == max_lines - 1:
            rest = "".join(words[index:])
            lines.append(shorten(rest, fits))
            return [line for line in lines if line]
        current = word
    if current:
        lines.append(current.rstrip())
    if lines and not fits(lines[-1]):
        lines[-1] = shorten(lines[-1], fits)
    return [line for line in lines if line][:max_lines] if max_lines > 0 else []


@lru_cache(maxsize=16384)
def fit_text(text: str, size: float, limit: float, weight: str = "normal", style_="normal") -> str:
    """The text, shortened at a word boundary with an ellipsis to be at most `limit` points wide."""
    return shorten(text, lambda s: text_width(s, size, weight, style_) <= limit)


def wrap_text(text: str, size: float, limit: float, max_lines: int = 2, weight="normal") -> str:
    """The text in at most `max_lines` lines of at most `limit` points, joined with newlines."""
    return "\n".join(wrap_words(text, lambda s: text_width(s, size, weight) <= limit, max_lines))


def wrap_phrases(parts: Sequence[str], size: float, limit: float, joiner: str = " · ") -> list[str]:
    """Pack phrases into lines at most `limit` points wide, never splitting a phrase.

    A phrase wider than a line is wrapped at word boundaries.
    """
    lines: list[str] = []
    for part in parts:
        if lines and text_width(lines[-1] + joiner + part, size) <= limit:
            lines[-1] += joiner + part
        else:
            lines += wrap_words(part, lambda s: text_width(s, size) <= limit, max_lines=3)
    return lines


def row_labels(
    titles: Sequence[str], size: float, pitch_pt: float, max_room: float
) -> tuple[list[str], float, float]:
    """Labels for rows `pitch_pt` apart: (labels, font size, width taken), all at most max_room.

    A title that is too wide goes on two lines where the rows are tall enough (at a font size
    no smaller than TWO_LINE_FONT), else it is shortened, always at a word boundary.
    """
    widths = [text_width(t, size) for t in titles]
    if not titles or max(widths) <= max_room:
        return list(titles), size, min(max_room, max(widths, default=0.0) + 2)
    two_size = min(size, pitch_pt / (2 * LINE + 0.1))
    if two_size >= TWO_LINE_FONT:
        labels = [wrap_text(t, two_size, max_room, max_lines=2) for t in titles]
        room = max(text_width(line, two_size) for label in labels for line in label.split("\n"))
        return labels, two_size, min(max_room, room + 2)
    return [fit_text(t, size, max_room) for t in titles], size, max_room


def cell_text(value) -> str:
    """A cell as text: '' for missing values (None, NaN, NA)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def cell_flag(value) -> bool:
    return (
        False if value is None or (not isinstance(value, bool) and pd.isna(value)) else bool(value)
    )


def column_values(frame: pd.DataFrame, name: str, default) -> list:
    return list(frame[name]) if name in frame else list(default)
