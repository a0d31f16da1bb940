"""Date phrases in a sentence, resolved against the article's publication date.

dateparser (with the publication date as its relative base) reads calendar dates ('July 16',
'January 13, 2025', 'Feb. 6') and simple relative days ('yesterday', 'three days ago'). Rules
here do what it cannot, keeping the real precision in EDTF:
- a weekday ('on Tuesday') is the latest such day on or before publication, the day itself
  included (dateparser skips the day itself), or the next one for a plan;
- 'last month', 'this year' are a whole month or year (dateparser returns a day);
- 'in June' is a month, 'early/mid/late February' the 1st-10th, 11th-20th, 21st-end;
- a date without a year takes the year that puts it nearest the publication, on the side the
  sentence's tense points to (dateparser always prefers one side).
Phrases anchored on a known event ('after Biden took office') are in analysis/anchors.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Public for analysis/datelines.py: a month name or abbreviation, a day of the month, a year.
MONTH_PATTERN, DAY_PATTERN, YEAR_PATTERN = _MONTH, _DAY, _YEAR
_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"

# Most specific first: a span taken by an earlier pattern is not read again by a later one.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE if name not in ("month_day", "day_month") else 0))
    for name, pattern in (
        ("iso_day", r"\b\d{4}-\d{2}-\d{2}\b"),
        ("month_day", rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*%)"),
        ("day_month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b"),
        ("part_of_month", rf"\b(?:early|mid|middle of|late|the end of|the beginning of|the start of"
                          rf"|the middle of)[\s-]+{_MONTH}(?:,?\s+{_YEAR})?\b"),
        ("month_year", rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
        ("month_relative_year", rf"\b(?:in\s+)?{_MONTH}\s+(?:of\s+)?(?:last|this|next)\s+year\b"),
        ("in_month", rf"\b(?:in|during|since|by|until|through|last|this|next)\s+{_MONTH}"
                     rf"\b(?!\s+\d)"),
        ("relative_unit", r"\b(?:last|this|next|past|earlier this|later this)\s+"
                          r"(?:week|month|year)\b"),
        ("ago", rf"\b{_NUMBER}\s+(?:days?|weeks?|months?|years?)\s+ago\b"),
        ("relative_day", r"\b(?:yesterday|today|tonight|tomorrow|this morning|this afternoon"
                         r"|this evening|last night)\b"),
        ("weekday", rf"\b(?:(?:on|last|this|next|earlier this|late on|early on)\s+)?{_WEEKDAY}\b"),
        # A bare number is a year only after a preposition or before punctuation: not '2000 people'.
        ("year", rf"\b(?:(?:in|since|by|until|during|of|from|early|late|mid-?)\s+{_YEAR}\b"
                 rf"|{_YEAR}(?=[.,;:)]|\s*$))"),
    )
)  # fmt: skip

# Words that put a clause in the past: a past phrase ('signed in June') never resolves after
# the article's date, whatever the rest of the sentence says ('..., and will take effect').
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|sent|met|took|came|went|began|left|made|held|gave|flew"
    r"|flown|won|lost|struck|spoke|wrote|paid|brought|ago|previously|earlier|already"
    r"|(?!(?:need|speed|feed|proceed|exceed|succeed|indeed|seed|breed)\b)[a-z]+ed)\b"
)
# Clause edges: a phrase's tense is read from its own clause first.
_CLAUSE_EDGE = re.compile(
    r"[,;:()\u2013\u2014\"\u201c\u201d]|\s(?:but|while|and|after|before|when)\s"
)

_FUTURE = re.compile(
    r"\b(?:will|shall|is scheduled|are scheduled|scheduled to|is expected|are expected|expects?"
    r"|plans? to|planned|is set to|are set to|is due|are due|upcoming|next|would|to visit"
    r"|to meet|to travel)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DatePhrase:
    """A date phrase found in a sentence and what it resolves to."""

    phrase: str  # the words, exactly as in the sentence
    start: int
    end: int
    edtf: str | None  # None: a phrase we could not resolve (the reason is in note)
    basis: str  # 'stated' (written) or 'inferred' (worked out)
    note: str


def points_to_future(sentence: str) -> bool:
    return bool(_FUTURE.search(sentence))


def phrase_points_to_future(sentence: str, start: int, end: int) -> bool:
    """Whether the date phrase at sentence[start:end] is about the future: its clause's tense
    first ('The deal, signed in June, will ...' is past for 'in June'), then the sentence's. A
    past clause never points to the future."""
    edges = [m.span() for m in _CLAUSE_EDGE.finditer(sentence)]
    left = max((e for s, e in edges if e <= start), default=0)
    right = min((s for s, e in edges if s >= end), default=len(sentence))
    clause = sentence[left:start] + " " + sentence[end:right]
    governing = " ".join(sentence[:start].split()[-3:])  # 'announced Monday', 'said on Friday'
    if _PAST.search(governing) and not _FUTURE.search(governing):
        return False
    if _FUTURE.search(clause):
        return True
    if _PAST.search(clause):
        return False
    rest = sentence[:start] + " " + sentence[end:]
    return bool(_FUTURE.search(rest)) and not _PAST.search(sentence[:start])


def find_date_phrases(sentence: str, published: dt.date) -> list[DatePhrase]:
    """Every date phrase in the sentence, in order, each resolved against the publication (or
    a wire story's dateline date: pass that as `published`). Past tense never resolves after
    it; the future may."""
    taken: list[tuple[int, int]] = []
    found: list[DatePhrase] = []
    for name, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            text = match.group()
            stripped = text.strip()
            start += len(text) - len(text.lstrip())
            end = start + len(stripped)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            future = phrase_points_to_future(sentence, start, end)
            resolved = _RESOLVERS[name](stripped, published, future)
            if resolved is None:
                continue
            edtf, basis, note = resolved
            taken.append((start, end))
            found.append(DatePhrase(stripped, start, end, edtf, basis, note))
    return sorted(found, key=lambda p: p.start)


# --- resolvers: (phrase, publication date, future?) -> (edtf, basis, note) or None ---


def _iso_day(phrase: str, published: dt.date, future: bool):
    try:
        return dt.date.fromisoformat(phrase).isoformat(), "stated", ""
    except ValueError:
        return None


def _calendar_day(phrase: str, published: dt.date, future: bool):
    parsed = _dateparser(phrase, published)
    if parsed is None:
        return None
    if re.search(_YEAR, phrase):
        return parsed.isoformat(), "stated", ""
    weekday = re.match(rf"{_WEEKDAY}", phrase, flags=re.IGNORECASE)

    def make(year: int) -> dt.date | None:
        day = _safe_date(year, parsed.month, parsed.day)
        if day is not None and weekday and day.weekday() != WEEKDAYS[weekday.group().lower()]:
            return None  # 'Monday, October 20' is in a year where October 20 is a Monday
        return day

    day = _nearest_year(published, future, make)
    if day is None:
        return None
    how = "the weekday given" if weekday else "the publication date"
    return day.isoformat(), "stated", f"year {day.year} from {how}"


def _part_of_month(phrase: str, published: dt.date, future: bool):
    month = _month_number(phrase)
    lowered = phrase.lower()
    year = _stated_year(phrase)
    if year is None:
        year = _nearest_date(published, future, lambda y: dt.date(y, month, 15)).year
    last = calendar.monthrange(year, month)[1]
    if lowered.startswith("early") or "beginning" in lowered or "start" in lowered:
        first_day, last_day, part = 1, 10, "early"
    elif lowered.startswith("mid") or "middle" in lowered:
        first_day, last_day, part = 11, 20, "mid"
    else:
        first_day, last_day, part = 21, last, "late"
    edtf = f"{year}-{month:02d}-{first_day:02d}/{year}-{month:02d}-{last_day:02d}"
    note = f"'{phrase}' is {part} {calendar.month_name[month]} {year}, days {first_day}-{last_day}"
    return edtf, "inferred", note


def _month_relative_year(phrase: str, published: dt.date, future: bool):
    lowered = phrase.lower()
    step = -1 if "last year" in lowered else 1 if "next year" in lowered else 0
    year = published.year + step
    return f"{year}-{_month_number(phrase):02d}", "stated", _relative_note(phrase, published)


def _month_year(phrase: str, published: dt.date, future: bool):
    year = _stated_year(phrase)
    return f"{year}-{_month_number(phrase):02d}", "stated", ""


def _in_month(phrase: str, published: dt.date, future: bool):
    month = _month_number(phrase)
    if month == 5 and not re.search(r"\b(?:in|during|since|by|until|through)\s+May\b", phrase):
        return None  # 'may' the verb
    lowered = phrase.lower()
    if lowered.startswith("last"):
        year = published.year if month < published.month else published.year - 1
    elif lowered.startswith("next"):
        year = published.year if month > published.month else published.year + 1
    elif lowered.startswith("this"):
        year = published.year
    else:
        year = _nearest_date(published, future, lambda y: dt.date(y, month, 15)).year
    return f"{year}-{month:02d}", "stated", f"year {year} from the publication date"


def _relative_unit(phrase: str, published: dt.date, future: bool):
    *which, unit = phrase.lower().split()
    step = {"last": -1, "past": -1, "next": 1}.get(which[0], 0)  # 'earlier this': this
    if unit == "year":
        return str(published.year + step), "inferred", _relative_note(phrase, published)
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + step
        year, month = divmod(month_index, 12)
        return f"{year}-{month + 1:02d}", "inferred", _relative_note(phrase, published)
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    sunday = monday + dt.timedelta(days=6)
    if step == 0:
        sunday = published
    return f"{monday}/{sunday}", "inferred", _relative_note(phrase, published)


def _ago(phrase: str, published: dt.date, future: bool):
    parsed = _dateparser(phrase, published)
    if parsed is None:
        return None
    unit = _must_match(r"(day|week|month|year)", phrase.lower()).group(1)
    note = _relative_note(phrase, published)
    if unit == "day":
        return parsed.isoformat(), "inferred", note
    if unit == "week":
        return f"{parsed.isoformat()}~", "inferred", note + " (approximately)"
    if unit == "month":
        return f"{parsed.year}-{parsed.month:02d}~", "inferred", note + " (approximately)"
    return f"{parsed.year}~", "inferred", note + " (approximately)"


def _relative_day(phrase: str, published: dt.date, future: bool):
    lowered = phrase.lower()
    if lowered in ("last night",):
        day = published - dt.timedelta(days=1)
    else:
        parsed = _dateparser(lowered.replace("this ", "today ").split()[0], published)
        if parsed is None:
            return None
        day = parsed
    return day.isoformat(), "inferred", _relative_note(phrase, published)


def _weekday(phrase: str, published: dt.date, future: bool):
    words = phrase.lower().split()
    target = WEEKDAYS[words[-1]]
    qualifier = " ".join(words[:-1])
    if qualifier == "next" or (future and qualifier not in ("last", "earlier this")):
        day = published + dt.timedelta(days=(target - published.weekday()) % 7)
        if qualifier == "next" and day == published:
            day += dt.timedelta(days=7)
        side = "on or after"
    else:
        day = published - dt.timedelta(days=(published.weekday() - target) % 7)
        if qualifier == "last" and day == published:
            day -= dt.timedelta(days=7)
        side = "on or before"
    note = (
        f"'{phrase}': the {calendar.day_name[target]} {side} publication on "
        f"{calendar.day_name[published.weekday()]} {published.isoformat()} is {day.isoformat()}"
    )
    return day.isoformat(), "inferred", note


def _year(phrase: str, published: dt.date, future: bool):
    year = int(_must_match(_YEAR, phrase).group())
    if year > published.year + 10:
        return None
    return str(year), "stated", ""


_RESOLVERS = {
    "iso_day": _iso_day,
    "month_day": _calendar_day,
    "day_month": _calendar_day,
    "part_of_month": _part_of_month,
    "month_year": _month_year,
    "month_relative_year": _month_relative_year,
    "in_month": _in_month,
    "relative_unit": _relative_unit,
    "ago": _ago,
    "relative_day": _relative_day,
    "weekday": _weekday,
    "year": _year,
}


# --- helpers ---


@cache
def _parser(published: dt.date):
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(phrase: str, published: dt.date) -> dt.date | None:
    text = re.sub(r"^(?:on|in)\s+", "", phrase, flags=re.IGNORECASE)
    text = re.sub(rf"^{_WEEKDAY},?\s+", "", text, flags=re.IGNORECASE)
    data = _parser(published).get_date_data(text)
    return data.date_obj.date() if data and data.date_obj else None


def _must_match(pattern: str | re.Pattern[str], text: str) -> re.Match[str]:
    """A search the caller knows succeeds (the phrase was found by a pattern that has it)."""
    found = re.search(pattern, text)
    if found is None:
        raise AssertionError(f"{pattern!r} not in {text!r}")
    return found


def _nearest_date(published: dt.date, future: bool, make) -> dt.date:
    """_nearest_year where `make` makes a date for every year (the 15th of a month)."""
    day = _nearest_year(published, future, make)
    if day is None:
        raise AssertionError("a date is made for every year")
    return day


def _nearest_year(published: dt.date, future: bool, make) -> dt.date | None:
    """The date (made by `make(year)`) nearest the publication: on or after it for a plan,
    on or before it otherwise. Years up to 6 back are tried (a weekday may rule some out)."""
    years = range(published.year - 6, published.year + 2)
    options = [d for d in (make(y) for y in years) if d]
    side = [d for d in options if (d >= published if future else d <= published)]
    return min(side, key=lambda d: abs(d - published)) if side else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_number(phrase: str) -> int:
    for word in re.findall(r"[A-Za-z]+", phrase):
        lowered = word.lower()
        if lowered in MONTHS:
            return MONTHS[lowered]
        if lowered in MONTH_ABBREVIATIONS:
            return MONTH_ABBREVIATIONS[lowered]
    raise ValueError(f"no month in {phrase!r}")


def _stated_year(phrase: str) -> int | None:
    found = re.search(_YEAR, phrase)
    return int(found.group()) if found else None


def _relative_note(phrase: str, published: dt.date) -> str:
    return f"'{phrase}' counted from publication on {published.isoformat()}"
