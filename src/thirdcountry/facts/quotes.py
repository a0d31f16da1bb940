"""Checking that a quote really occurs in a source's stored text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Typographic marks that copies of the same text disagree on.
_EQUIVALENT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)


@lru_cache(maxsize=1024)  # a stored text is checked against every quote taken from it
def normalise(text: str) -> str:
    """Unicode NFC, straight quote marks, and runs of whitespace folded to one space."""
    text = unicodedata.normalize("NFC", text).translate(_EQUIVALENT)
    return re.sub(r"\s+", " ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)
