"""Dated series in a plan: one report per month, quarter or year.

    for_each:
      as_of: {monthly: {from: 2019-01, to: latest}}      # also quarterly, yearly

`from` and `to` are a year (2019), a month (2019-01), a quarter (2019-Q1) or a day (2019-01-15);
`to` may also be `latest`, the last day an event of the data is known to have happened by (the
default when `to` is left out). The series runs from the period that holds `from` to the period
that holds `to`, both included.

Each report's date is the LAST day of its period (31 January, 30 June for the second quarter,
31 December), capped at `to`: a year, month or quarter given as `to` ends on its last day, and
`latest` on the latest event, so the period still running is reported as of the latest event
and never as of a day the data cannot know yet. A period's folder is named after the period,
not the day (`as-of-2019-01`, `as-of-2019-q1`, `as-of-2019`): the current month keeps its
folder while new events move its date, and the folders sort by date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from thirdcountry.errors import BadInput

# Each unit's pandas period frequency: pandas does the calendar (its Periods span years 1-9999).
UNITS = {"monthly": "M", "quarterly": "Q", "yearly": "Y"}
LATEST = "latest"
# More periods than this in one series is taken for a mistyped year (from: 1019-01).
MAX_PERIODS = 10_000
BOUND_KEYS = ("from", "to")
FORMS = "a year (2019), a month (2019-01), a quarter (2019-Q1) or a day (2019-01-15)"

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq](\d)")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class Period:
    """One calendar period of a series and the day its report is made for."""

    unit: str  # monthly, quarterly or yearly
    first: dt.date
    last: dt.date
    day: dt.date  # `last`, or `to` if that comes first

    @property
    def label(self) -> str:
        """Sortable text naming the period: 2019-01, 2019-Q1, 2019."""
        if self.unit == "monthly":
            return f"{self.first.year:04d}-{self.first.month:02d}"
        if self.unit == "quarterly":
            return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.year:04d}"


def is_series(value: object) -> bool:
    """A for_each value that asks for a dated series (a mapping), not a list of values."""
    return isinstance(value, Mapping)


def expand(
    spec: object, key: str, latest: Callable[[], dt.date | None] = lambda: None
) -> list[Period]:
    """The periods a series asks for, oldest first. `key` names the spec in messages
    ('for_each.as_of'); `latest()` is the fact base's latest event day (None: no dated event),
    asked only for `to: latest`.

    Raises BadInput with one line per problem."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise BadInput(f"{key}: expected one of {_units()} with from/to, e.g. "
                       "{monthly: {from: 2019-01, to: latest}}")  # fmt: skip
    ((unit, bounds),) = spec.items()
    if unit not in UNITS:
        from thirdcountry.facts.wording import did_you_mean

        hint = did_you_mean(str(unit), UNITS)
        raise BadInput(f"{key}: {unit!r} is not a period (use {_units()}){hint}")
    where = f"{key}.{unit}"
    if not isinstance(bounds, Mapping):
        raise BadInput(f"{where}: expected from (and to), e.g. {{from: 2019-01, to: latest}}")
    problems = [
        f"{where}.{name}: unknown key (a series has {' and '.join(BOUND_KEYS)})"
        for name in bounds
        if name not in BOUND_KEYS
    ]
    if "from" not in bounds:
        problems.append(f"{where}: 'from' is missing: the first period, {FORMS}")
    start = end = None
    try:
        if "from" in bounds:
            start = bound(bounds["from"])[0]
    except BadInput as exc:
        problems += [f"{where}.from: {problem}" for problem in exc.problems]
    to = bounds.get("to", LATEST)
    try:
        if to == LATEST:
            end = latest()
            if end is None:
                raise BadInput(f"{LATEST!r}: the data has no event with a known date")
        else:
            end = bound(to, allow_latest=True)[1]
    except BadInput as exc:
        problems += [f"{where}.to: {problem}" for problem in exc.problems]
    if start is not None and end is not None and start > end:
        shown = f"{end.isoformat()}, the latest event" if to == LATEST else _text(to)
        problems.append(f"{where}: from {_text(bounds['from'])} is after to ({shown})")
    if start is not None and end is not None and not problems:
        count = count_periods(unit, start, end)
        if count > MAX_PERIODS:
            problems.append(f"{where}: {count} periods from {_text(bounds['from'])}, more than "
                            f"{MAX_PERIODS} in one series: is 'from' mistyped?")  # fmt: skip
    if problems:
        raise BadInput(problems)
    assert start is not None and end is not None
    return periods(unit, start, end)


def count_periods(unit: str, start: dt.date, end: dt.date) -> int:
    """How many `unit` periods hold the days from `start` to `end` (0 if end comes first)."""
    return max(0, _period(unit, end).ordinal - _period(unit, start).ordinal + 1)


def periods(unit: str, start: dt.date, end: dt.date) -> list[Period]:
    """Every `unit` period from the one holding `start` to the one holding `end`; each report's
    day is its period's last day, or `end` in the last period."""
    result = []
    for period in pd.period_range(_period(unit, start), _period(unit, end), freq=UNITS[unit]):
        first, last = _first_day(period), _last_day(period)
        result.append(Period(unit, first, last, min(last, end)))
    return result


def bound(value: object, allow_latest: bool = False) -> tuple[dt.date, dt.date]:
    """The first and last day of what a from/to value names: a year, month, quarter or day."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    expected = FORMS + (f", or {LATEST!r}" if allow_latest else "")
    if _YEAR.fullmatch(text):
        year = _year(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if match := _QUARTER.fullmatch(text):
        year, quarter = _year(match[1]), int(match[2])
        if not 1 <= quarter <= 4:
            raise BadInput(f"{text!r} is not a quarter: there is no Q{quarter}")
        period = pd.Period(year=year, quarter=quarter, freq=UNITS["quarterly"])
        return _first_day(period), _last_day(period)
    if match := _MONTH.fullmatch(text):
        year, month = _year(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise BadInput(f"{text!r} is not a month: there is no month {month}")
        period = pd.Period(year=year, month=month, freq=UNITS["monthly"])
        return _first_day(period), _last_day(period)
    if _DAY.fullmatch(text):
        from thirdcountry.facts.dates import parse_iso_date

        day = parse_iso_date("-".join(f"{int(part):02d}" for part in text.split("-")))
        return day, day
    raise BadInput(f"{_text(value)} is not {expected}")


def _year(text: str) -> int:
    year = int(text)
    if year < 1:
        raise BadInput(f"{text!r}: there is no year 0")
    return year


def _period(unit: str, day: dt.date) -> pd.Period:
    """The `unit` period that holds `day`."""
    return pd.Period(year=day.year, month=day.month, day=day.day, freq=UNITS[unit])


def _first_day(period: pd.Period) -> dt.date:
    day = period.asfreq("D", how="start")
    return dt.date(day.year, day.month, day.day)


def _last_day(period: pd.Period) -> dt.date:
    day = period.asfreq("D", how="end")
    return dt.date(day.year, day.month, day.day)


def _units() -> str:
    names = list(UNITS)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _text(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)
