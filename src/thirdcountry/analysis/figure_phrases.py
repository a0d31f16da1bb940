"""Numbers in a sentence that a figure row can carry: people (in digits or words), money (with
its currency) and capacities, each with its qualifier.

- people: a number followed, within three words, by a word for people ('five men', '14 West
  African deportees', 'Twenty-nine people'); a population ('a country of 1.6 million people'),
  a list ('a list of 10 individuals') and a part ('two of the deportees') are not figures;
- money: '$7.5 million', 'A$400 million', '£240m', '€210 million', '210 million euros',
  'USD 6 million'; a conversion in brackets after an amount ('(S$2.1 billion)') is skipped;
- the measure: money is a payment (a cost when the sentence speaks of costs or spending);
  people are a capacity when the clause speaks of what a deal allows ('agreed to accept up to
  250'), otherwise people transferred;
- the qualifier: 'at least', 'more than' -> at_least; 'up to', 'fewer than' -> at_most;
  'about', 'nearly' -> approximate; a capacity's 'up to N' is its size N, exact (the schema's
  rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
}  # fmt: skip
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))}|a dozen|hundred)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?:{_DIGITS}|{_WORD_NUMBER})"
_SCALE = r"(?:\s*(?:thousand|million|billion|bn|mn|mln|m|k|b)\b)"
_PEOPLE = (
    r"(?:people|persons|migrants|deportees|men|women|children|minors|individuals|refugees"
    r"|asylum[- ]seekers|nationals|detainees|prisoners|foreigners|immigrants|passengers"
    r"|families|adults|people deported|third[- ]country nationals|non-citizens|foreign nationals"
    r"|Venezuelans|Africans|Salvadorans|Hondurans|Guatemalans|convicts|criminals|aliens)"
)
_PEOPLE_FIGURE = re.compile(
    rf"(?<![\w$£€.,])(?P<number>{_NUMBER})(?P<scale>{_SCALE})?"
    rf"(?P<between>(?:\s+[\w“”\"'’-]+){{0,3}}?)\s+(?P<noun>{_PEOPLE})\b",
    re.IGNORECASE,
)
_CURRENCY_SIGNS = {
    "us$": "USD", "a$": "AUD", "au$": "AUD", "aus$": "AUD", "c$": "CAD", "nz$": "NZD",
    "s$": "SGD", "$": "USD", "£": "GBP", "€": "EUR",
}  # fmt: skip
_CURRENCY_WORDS = {
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "aud": "AUD", "dollars": "USD", "euros": "EUR",
    "euro": "EUR", "pounds": "GBP", "sterling": "GBP",
}  # fmt: skip
_SIGN = r"(?:(?i:US|A|AU|AUS|C|NZ|S)\$|(?<![A-Za-z])\$|£|€)"
_MONEY_FIGURE = re.compile(
    rf"(?P<sign>{_SIGN})\s?(?P<number>{_DIGITS})(?P<scale>{_SCALE})?"
    rf"|\b(?P<code>USD|EUR|GBP|AUD)\s?(?P<number2>{_DIGITS})(?P<scale2>{_SCALE})?"
    rf"|(?<![\w$£€.,])(?P<number3>{_DIGITS}|{_WORD_NUMBER})(?P<scale3>{_SCALE})?\s+"
    r"(?P<word>(?:US |Australian |Canadian )?"
    r"(?:dollars|euros?|pounds(?: sterling)?|USD|EUR|GBP|AUD))\b",
)
_AT_LEAST = re.compile(
    r"\b(?:at least|more than|over|upwards of|no fewer than|a minimum of)\s*$", re.I
)
_AT_MOST = re.compile(
    r"\b(?:up to|as many as|no more than|at most|fewer than|less than|a maximum of|maximum of"
    r"|capped at|not exceeding|under)\s*$",
    re.I,
)
_ABOUT = re.compile(
    r"\b(?:about|around|nearly|almost|roughly|some|approximately|an estimated|estimated|close to"
    r"|approx\.?)\s*$",
    re.I,
)
_NOT_A_COUNT = re.compile(
    r"\b(?:country|nation|population|island|state|city|town|home) of\s*$"
    r"|\b(?:list|one|each|all|group) of\s*$",
    re.I,
)
_CAPACITY = re.compile(
    r"\bagree(?:d|s|ment)?\b|\bdeal\b|\barrangement\b|\bmemorandum\b|\ballow(?:s|ed|ing)?\b"
    r"|\bwould (?:accept|receive|take|host)\b|\bwill (?:accept|receive|take|host)\b"
    r"|\bto (?:accept|receive|take in|host|shelter|resettle)\b|\bcapp?ed\b|\bper (?:year|month)\b"
    r"|\bannually\b|\bquota\b|\bcapacity\b|\bup to\b",
    re.I,
)
_MOVED = re.compile(
    r"\b(?:has|have|had|were|was|been)\s+(?:already\s+|now\s+)?(?:been\s+)?"
    r"(?:sent|deported|transferred|received|flown|removed)\b|\barrived\b|\blanded\b|\bon board\b"
    r"|\bon the flight\b|\bin total\b|\bso far\b",
    re.I,
)
_PART = re.compile(r"^(?:men|women|children|minors|adults|boys|girls)$", re.I)
_COST = re.compile(r"\bcosts?\b|\bspen[dt]\b|\bspending\b|\bbudget\w*\b|\bexpenses?\b", re.I)
_CLAUSE_EDGE = re.compile(r"[;:()\u2013\u2014]|,\s(?!\d{3}\b)|\s(?:but|while|and|after|as)\s")


@dataclass(frozen=True)
class FigurePhrase:
    phrase: str  # the words, exactly as in the sentence: 'up to 250 migrants'
    start: int
    end: int
    measure: str  # people_transferred | capacity | payment | cost
    value: float
    unit: str  # 'people', or an ISO 4217 code
    qualifier: str  # exact | approximate | at_least | at_most
    note: str


def find_figures(sentence: str) -> list[FigurePhrase]:
    """Every figure in the sentence, in order."""
    found: list[FigurePhrase] = []
    taken: list[tuple[int, int]] = []
    for match in _MONEY_FIGURE.finditer(sentence):
        start, end = match.span()
        if _in_brackets_after_money(sentence, start, found):
            continue
        number = match["number"] or match["number2"] or match["number3"]
        scale = match["scale"] or match["scale2"] or match["scale3"] or ""
        value = _value(number, scale)
        if value is None:
            continue
        if match["sign"]:
            unit = _CURRENCY_SIGNS[match["sign"].lower()]
        elif match["code"]:
            unit = match["code"].upper()
        else:
            word = match["word"].lower()
            unit = "AUD" if word.startswith("australian") else "CAD" if "canadian" in word else ""
            unit = (
                unit
                or _CURRENCY_WORDS[word.split()[-1] if word.split()[-1] != "sterling" else "pounds"]
            )
        qualifier = _qualifier(sentence[:start])
        measure = "cost" if _COST.search(_clause(sentence, start, end)) else "payment"
        found.append(FigurePhrase(match.group(), start, end, measure, value, unit, qualifier, ""))
        taken.append((start, end))
    for match in _PEOPLE_FIGURE.finditer(sentence):
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        between = match["between"].lower()
        if re.search(
            r"\b(?:of|per|percent|years?|months?|days?|weeks?|hours?|times|km|miles)\b", between
        ):
            continue  # 'two of the deportees', '30 years'
        before = sentence[:start]
        if _NOT_A_COUNT.search(before) and not re.search(r"\bgroup of\s*$", before, re.I):
            continue
        if re.search(r"\bor\s*$", before, re.I) or re.match(
            r"\s+or\s", sentence[match.end("number") :]
        ):
            continue  # 'one or two migrants': a range, not a count
        if _PART.search(match["noun"]) and (
            re.match(rf"\s+and\s+{_NUMBER}\s", sentence[end:], re.I)
            or re.search(rf"{_NUMBER}\s+{_PEOPLE}\s+and\s*$", before, re.I)
        ):
            continue  # 'five men and three women': the parts of a group counted elsewhere
        value = _value(match["number"], match["scale"] or "")
        if value is None or value < 2:
            continue
        qualifier = _qualifier(before)
        clause = _clause(sentence, start, end)
        is_capacity = bool(_CAPACITY.search(clause)) and not _MOVED.search(clause)
        measure = "capacity" if is_capacity else "people_transferred"
        note = ""
        if is_capacity and qualifier == "at_most":
            qualifier = "exact"
            note = f"'{match.group()}': a capacity's 'up to N' is its size N"
        found.append(
            FigurePhrase(match.group(), start, end, measure, value, "people", qualifier, note)
        )
        taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def _value(number: str, scale: str) -> float | None:
    text = number.lower().replace(",", "").strip()
    value: float | None
    try:
        value = float(text)
    except ValueError:
        value = _word_value(text)
    if value is None:
        return None
    factor = _SCALES.get(scale.strip().lower(), 1.0)
    return round(value * factor, 6)


def _word_value(text: str) -> float | None:
    if text in ("a dozen", "dozen"):
        return 12.0
    if text == "hundred":
        return 100.0
    parts = re.split(r"[- ]", text)
    total = 0
    for part in parts:
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        else:
            return None
    return float(total)


def _qualifier(before: str) -> str:
    if _AT_LEAST.search(before):
        return "at_least"
    if _AT_MOST.search(before):
        return "at_most"
    if _ABOUT.search(before):
        return "approximate"
    return "exact"


def _clause(sentence: str, start: int, end: int) -> str:
    edges = [m.span() for m in _CLAUSE_EDGE.finditer(sentence)]
    left = max((e for s, e in edges if e <= start), default=0)
    right = min((s for s, e in edges if s >= end), default=len(sentence))
    return sentence[left:right]


def _in_brackets_after_money(sentence: str, start: int, found: list[FigurePhrase]) -> bool:
    """'A$2.5 billion (S$2.1 billion)': the bracketed amount converts the one before it."""
    before = sentence[:start].rstrip()
    if not before.endswith("("):
        return False
    return (
        bool(found)
        and found[-1].unit != "people"
        and before[:-1].rstrip().endswith(sentence[found[-1].start : found[-1].end])
    )
