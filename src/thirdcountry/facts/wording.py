"""Wording of messages to people: 'a' or 'an', and "did you mean" for a near miss."""

from __future__ import annotations

from collections.abc import Iterable

# A near miss scores at least this (rapidfuzz's normalised Indel similarity, 0-100):
# 'statsu' -> 'status' scores 83, 'implemnted' -> 'implemented' 95, 'overveiw' -> 'overview' 88;
# unrelated words of the same length ('status' -> 'events') stay below 60.
# tests/test_wording.py holds these cases.
NEAR_MISS_SCORE = 75.0

_VOWEL_SOUND_EXCEPTIONS = {"one", "once", "uni", "use", "usa", "euro", "eu"}


def article(word: str) -> str:
    """'a' or 'an' for a word, by its first letter ('an implemented', 'a signed', 'an ISO3')."""
    lowered = word.lower()
    if any(lowered.startswith(prefix) for prefix in _VOWEL_SOUND_EXCEPTIONS):
        return "a"
    return "an" if lowered[:1] in set("aeiou") else "a"


def with_article(word: str) -> str:
    return f"{article(word)} {word}"


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice a mistyped value most likely meant, or None when nothing is close.

    A choice equal but for letter case wins outright ('USA' -> 'usa').
    """
    options = [c for c in dict.fromkeys(choices) if c]
    if not value or not options:
        return None
    folded = [c for c in options if c.casefold() == value.casefold()]
    if folded:
        return folded[0]
    from rapidfuzz import fuzz, process

    best = process.extractOne(
        value.casefold(),
        {c: c.casefold() for c in options},
        scorer=fuzz.ratio,
        score_cutoff=NEAR_MISS_SCORE,
    )
    return None if best is None else best[2]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for a near miss, else the empty string: append it to a message."""
    match = closest(value, choices)
    return "" if match is None or match == value else f"; did you mean {match!r}?"
