"""EDTF dates as intervals: the earliest and latest day a date can mean, and its precision."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import io
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

import edtf

from thirdcountry.errors import BadInput

# Labels for how precise a date is, coarsest last.
PRECISIONS = ("day", "month", "year", "range", "open")


@dataclass(frozen=True)
class FuzzyDate:
    """A date as the source gives it. `earliest`/`latest` are None where the interval is open."""

    text: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    approximate: bool = False

    @property
    def is_exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    @property
    def is_open(self) -> bool:
        return self.earliest is None or self.latest is None

    def contains(self, day: dt.date) -> bool:
        after_start = self.earliest is None or self.earliest <= day
        before_end = self.latest is None or day <= self.latest
        return after_start and before_end

    def overlaps(self, other: FuzzyDate) -> bool:
        starts_before_other_ends = (
            self.earliest is None or other.latest is None or self.earliest <= other.latest
        )
        ends_after_other_starts = (
            self.latest is None or other.earliest is None or self.latest >= other.earliest
        )
        return starts_before_other_ends and ends_after_other_starts

    def human(self) -> str:
        """Readable form: '23 January 2025', 'February 2025', 'from 6 February 2021, end open'."""
        if self.earliest is None and self.latest is None:
            return "date unknown"
        if self.earliest is None:
            assert self.latest is not None
            return f"by {_day(self.latest)}"
        if self.latest is None:
            return f"from {_day(self.earliest)}, end open"
        prefix = "about " if self.approximate else ""
        if self.precision == "day":
            return prefix + _day(self.earliest)
        if self.precision == "month":
            return prefix + self.earliest.strftime("%B %Y")
        if self.precision == "year":
            return prefix + str(self.earliest.year)
        return f"{prefix}{_day(self.earliest)} – {_day(self.latest)}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


class EDTFError(BadInput):
    """Not a date this project can use."""


@lru_cache(maxsize=65536)
def parse_edtf(text: str) -> FuzzyDate:
    """Parse an EDTF string into a FuzzyDate, or raise EDTFError saying what is wrong.

    The edtf package is the authority. Plain calendar dates and intervals of them
    ('2025', '2025-02', '2025-02-01/2025-02-10', '2021-01-20/..') take a fast path through the
    standard library first, because the package's parser costs about 2 ms a call;
    tests/test_dates.py checks that both paths agree.
    """
    cleaned = text.strip()
    if not cleaned:
        raise EDTFError("is empty; give an EDTF date such as 2025-01-23")
    fast = _parse_plain(cleaned)
    if fast is not None:
        return fast
    return parse_edtf_with_package(cleaned)


def parse_edtf_with_package(cleaned: str) -> FuzzyDate:
    """The edtf package's reading of an EDTF string (no fast path)."""
    try:
        # The edtf package prints parse attempts to stdout for some inputs.
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = edtf.parse_edtf(cleaned)
    except Exception as exc:  # the edtf package raises several kinds for bad input
        raise EDTFError(f"{cleaned!r} is not a valid EDTF date") from exc
    try:
        earliest = _to_date(parsed.lower_strict())
        latest = _to_date(parsed.upper_strict())
    except (ValueError, OverflowError, TypeError) as exc:
        raise EDTFError(f"{cleaned!r} is not a valid EDTF date") from exc
    return _fuzzy(cleaned, earliest, latest)


def _fuzzy(cleaned: str, earliest: dt.date | None, latest: dt.date | None) -> FuzzyDate:
    if earliest is not None and latest is not None and latest < earliest:
        raise EDTFError(f"{cleaned!r} ends before it starts")
    if "/" in cleaned:
        precision = "open" if earliest is None or latest is None else "range"
    else:
        precision = _precision_of_single(cleaned)
    approximate = any(mark in cleaned for mark in "~?%")
    return FuzzyDate(cleaned, earliest, latest, precision, approximate)


# Months 01-12 only: 21-24 are EDTF seasons, left to the package.
_PLAIN = re.compile(r"[1-9]\d{3}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?")


def _parse_plain(cleaned: str) -> FuzzyDate | None:
    """Plain calendar dates and intervals of them, or None to let the edtf package decide."""
    sides = cleaned.split("/")
    if len(sides) > 2 or not all(side == ".." or _PLAIN.fullmatch(side) for side in sides):
        return None
    if sides == ["..", ".."] or (len(sides) == 1 and sides[0] == ".."):
        return None
    try:
        bounds = [_plain_bounds(side) for side in sides]
    except ValueError:
        raise EDTFError(f"{cleaned!r} is not a valid EDTF date") from None
    earliest = bounds[0][0]
    latest = bounds[-1][1]
    return _fuzzy(cleaned, earliest, latest)


def _plain_bounds(side: str) -> tuple[dt.date | None, dt.date | None]:
    if side == "..":
        return None, None
    parts = [int(part) for part in side.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return dt.date(year, month, 1), dt.date(year, month, last)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _precision_of_single(text: str) -> str:
    """day, month or year for a single date; 'range' for seasons and unspecified digits."""
    parts = [part.strip("~?%") for part in text.lstrip("-~?%").split("-")]
    year, rest = parts[0], parts[1:]
    if "X" in year or not year.isdigit():
        return "range"
    if not rest:
        return "year"
    month = rest[0]
    if "X" in month:
        return "year" if month == "XX" and all(p == "XX" for p in rest) else "range"
    if not month.isdigit() or int(month) > 12:
        return "range"  # EDTF seasons (21-24) and quarters span several months
    if len(rest) == 1:
        return "month"
    day = rest[1]
    if "X" in day:
        return "month" if day == "XX" else "range"
    return "day"


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    raise TypeError(f"unexpected bound {value!r}")


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> dt.date:
    """A plain calendar date, exactly YYYY-MM-DD, as for parameters and `retrieved`.

    Stricter than date.fromisoformat, which also takes '20250127' and week dates.
    """
    if not isinstance(text, str) or not ISO_DATE.fullmatch(text.strip()):
        raise EDTFError(f"{text!r} is not a date in the form YYYY-MM-DD")
    year, month, day = (int(part) for part in text.strip().split("-"))
    if year < 1:
        raise EDTFError(f"{text!r} is not a real date: there is no year 0")
    if not 1 <= month <= 12:
        raise EDTFError(f"{text!r} is not a real date: there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        named = f"{calendar.month_name[month]} {year}"
        raise EDTFError(f"{text!r} is not a real date: {named} has {days} days")
    return dt.date(year, month, day)
