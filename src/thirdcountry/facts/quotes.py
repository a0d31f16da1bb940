"""Checking that a quote really occurs in a source's stored text."""

from __future__ import annotations

import re
import unicodedata

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


def normalise(text: str) -> str:
    """Unicode NFC, straight quote marks, and runs of whitespace folded to one space."""
    text = unicodedata.normalize("NFC", text).translate(_EQUIVALENT)
    return re.sub(r"\s+", " ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)
