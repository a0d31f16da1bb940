"""The numbers a piece of text states, in digits or in words: how a figure's quote is checked.

"939", "1,000", "$4.76 million", "£240m", "7.5bn", "twenty-nine", "two hundred and fifty" and
"a dozen" are all read. A number followed by a scale word counts both ways ("4.7 million" states
4.7 and 4,700,000), so a quote is never rejected for how a source rounds its words.
"""

from __future__ import annotations

import math
import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1, "dozen": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Scale words and abbreviations allowed right after digits: "7.5 million", "£240m", "$1.2bn".
_DIGIT_SCALES = {
    "thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000, "mn": 1_000_000,
    "mln": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
}  # fmt: skip

_DIGITS = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:[\s-]?(thousand|million|billion|mln|mn|bn|k|m|b)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)


def stated_numbers(text: str) -> set[float]:
    """Every number the text states, as floats."""
    return _digit_numbers(text) | _word_numbers(text)


def states_number(text: str, value: float) -> bool:
    """Whether the text states `value` (to a relative precision of one in a million)."""
    return any(math.isclose(value, found, rel_tol=1e-6) for found in stated_numbers(text))


def _digit_numbers(text: str) -> set[float]:
    found: set[float] = set()
    for match in _DIGITS.finditer(text):
        whole, fraction, scale = match.groups()
        number = float(whole.replace(",", "") + (fraction or ""))
        found.add(number)
        if scale:
            found.add(number * _DIGIT_SCALES[scale.lower()])
    return found


def _word_numbers(text: str) -> set[float]:
    """Numbers written in words: runs of number words, 'and' and hyphens allowed inside."""
    found: set[float] = set()
    words = [w.lower() for w in _WORD.findall(text.replace("-", " "))]
    run: list[str] = []
    for word in [*words, ""]:
        is_number_word = word in _UNITS or word in _TENS or word in _SCALES or word == "hundred"
        if is_number_word or (word == "and" and run):
            run.append(word)
            continue
        if run:
            value = _run_value(run)
            if value is not None:
                found.add(float(value))
        run = []
    return found


def _run_value(run: list[str]) -> int | None:
    while run and run[-1] == "and":
        run = run[:-1]
    if not run or all(w in ("a", "an") for w in run):
        return None  # a lone article is not a number
    if not any(w in _UNITS or w in _TENS for w in run):
        return None  # 'million' after digits was read with them; alone it states nothing
    total = 0
    current = 0
    for word in run:
        if word == "and":
            continue
        if word in _UNITS:
            current = (
                current * _UNITS[word] if word == "dozen" and current else (current + _UNITS[word])
            )
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current
