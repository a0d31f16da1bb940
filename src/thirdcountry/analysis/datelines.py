"""Wire datelines: 'MALABO, Nov 20 (Reuters) -', 'WASHINGTON (AP) —', 'Jan. 5, 2026 (AFP) -'.

A dateline opens a wire story: the place it was filed from, often its date, and the agency. It
is not part of any statement: the draft blanks it before reading sentences, so the city in
capitals and the agency never become entities and its date never becomes an event's date. Its
date is the reference for relative days ('on Tuesday' is the Tuesday on or before it), and the
agency is the source's publisher.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from thirdcountry.analysis.date_phrases import (
    DAY_PATTERN,
    MONTH_PATTERN,
    YEAR_PATTERN,
    find_date_phrases,
)

# Agencies as written in datelines, and the name the sources table uses for each.
AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "upi": "UPI", "xinhua": "Xinhua", "efe": "EFE", "dpa": "dpa",
    "ansa": "ANSA", "anadolu": "Anadolu", "aa": "Anadolu", "bloomberg": "Bloomberg",
    "ips": "IPS", "uni": "UNI", "pti": "PTI", "ians": "IANS", "ani": "ANI", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "tass": "TASS", "bernama": "Bernama", "cna": "CNA", "ghana news agency":
    "Ghana News Agency", "apa": "APA", "pana": "PANA", "sapa": "SAPA", "aap": "AAP",
}  # fmt: skip
LOOKED_AT_LINES = 4  # a dateline opens one of the first few non-blank lines (after a headline)

_DATE = rf"{MONTH_PATTERN}\s+{DAY_PATTERN}(?:,?\s+{YEAR_PATTERN})?"
_DATELINE = re.compile(
    rf"(?:(?P<date_only>{_DATE})"
    rf"|(?P<place>[A-Z][^\n()]{{0,60}}?)(?:,\s*(?P<date>{_DATE}))?)"
    rf"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{{0,30}})\))?"
    r"\s*(?:[-\u2013\u2014]+|:)\s"
)


@dataclass(frozen=True)
class Dateline:
    text: str  # as written, dash included: 'MALABO, Nov 20 (Reuters) -'
    start: int  # offsets in the article's text
    end: int
    place: str  # 'MALABO', 'CAPE TOWN, South Africa'; '' for a date alone
    agency: str  # the agency's usual name ('Reuters', 'AP'); '' when the dateline names none
    date: dt.date | None  # the dateline's date; None when it gives none
    date_phrase: str  # the date as written: 'Nov 20'


def find_dateline(text: str, published: dt.date) -> Dateline | None:
    """The story's dateline, if one of its first lines opens with one. A dateline's date
    without a year takes the year that puts it on or before `published`, nearest to it."""
    offset = 0
    looked = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.strip():
            looked += 1
            start = offset + len(line) - len(stripped)
            found = _match(stripped, start, published)
            if found is not None:
                return found
            if looked >= LOOKED_AT_LINES:
                return None
        offset += len(line)
    return None


def _match(line: str, start: int, published: dt.date) -> Dateline | None:
    found = _DATELINE.match(line)
    if found is None:
        return None
    place = (found["place"] or "").strip().rstrip(",")
    agency = _agency(found["agency"] or "")
    if found["agency"] and not agency:
        return None  # '(Photo)', '(file)': brackets that are not an agency
    phrase = found["date_only"] or found["date"] or ""
    head = place.split(",")[0]
    capitals = bool(re.fullmatch(r"[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{2,}", head))
    if not (agency or phrase or capitals):
        return None  # 'Uganda: ...' or a sentence with a dash in it
    if place and not (capitals or agency or phrase):
        return None
    if len(place.split()) > 6:
        return None
    date = _resolve(phrase, published) if phrase else None
    text = found.group().rstrip()
    return Dateline(text, start, start + len(text), place, agency, date, phrase)


def _agency(written: str) -> str:
    key = written.strip().casefold()
    if key in AGENCIES:
        return AGENCIES[key]
    return written.strip() if re.fullmatch(r"[A-Z]{2,6}", written.strip()) else ""


def _resolve(phrase: str, published: dt.date) -> dt.date | None:
    found = [p for p in find_date_phrases(phrase, published) if p.edtf]
    if not found:
        return None
    try:
        day = dt.date.fromisoformat(found[0].edtf or "")
    except ValueError:
        return None
    if day > published and not re.search(YEAR_PATTERN, phrase):
        day = day.replace(year=day.year - 1)  # a dateline is never after the article's date
    return day


def blank(text: str, dateline: Dateline | None) -> str:
    """The text with the dateline replaced by spaces: offsets and lines stay where they were."""
    if dateline is None:
        return text
    return text[: dateline.start] + " " * (dateline.end - dateline.start) + text[dateline.end :]
