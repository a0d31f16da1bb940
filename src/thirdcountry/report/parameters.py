"""Checking notebook parameters before any work: one clear message per mistake."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thirdcountry.errors import BadInput
from thirdcountry.facts.countries import ORGANISATION_CODES, is_party_code
from thirdcountry.facts.dates import EDTFError, parse_iso_date

# Dates a report can compute and draw: 'since' defaults to a year before as_of, and
# matplotlib's date axis ends in year 9999.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


class ParameterError(BadInput):
    """A report parameter is wrong. The message names the parameter and what is wrong."""


@dataclass(frozen=True)
class OverviewParameters:
    as_of: dt.date | None
    since: dt.date | None
    countries: tuple[str, ...]
    title: str
    data_dir: str
    sending: tuple[str, ...] = ()  # codes of the sending states (or the EU); empty: all


@dataclass(frozen=True)
class CountryParameters:
    country: str
    as_of: dt.date | None
    data_dir: str


def parse_date_parameter(name: str, value: object, *, allow_empty: bool = True) -> dt.date | None:
    if value in (None, "") and allow_empty:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and value.strip().lower() == "today":
        day = dt.date.today()
    elif isinstance(value, str):
        try:
            day = parse_iso_date(value)
        except EDTFError as exc:
            raise ParameterError(f"{name}: {exc}") from None
    else:
        raise ParameterError(f"{name}: expected a date as 'YYYY-MM-DD', got {value!r}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ParameterError(
            f"{name}: {str(value)!r} is outside the years {EARLIEST_DATE.year}-{LATEST_DATE.year} "
            "a report can show"
        )
    return day


def parse_country_parameter(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{name}: expected an ISO 3166-1 alpha-3 code, got {value!r}")
    code = value.strip().upper()
    if not is_party_code(code):
        others = ", ".join(ORGANISATION_CODES)
        raise ParameterError(
            f"{name}: {value!r} is not an ISO 3166-1 alpha-3 code or a party's code ({others})"
        )
    return code


def parse_party_list(name: str, value: object) -> tuple[str, ...]:
    """A list of party codes, given as a list or as text ('USA GBR' or 'USA,GBR')."""
    if isinstance(value, str):
        value = [c for c in value.replace(",", " ").split() if c]
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"{name}: expected a list of ISO3 codes, got {value!r}")
    return tuple(parse_country_parameter(name, c) for c in value)


def parse_text_parameter(name: str, value: object, *, max_length: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ParameterError(f"{name}: expected text, got {value!r}")
    if len(value) > max_length:
        raise ParameterError(f"{name}: is {len(value)} characters long, over {max_length}")
    if any(ord(char) < 32 for char in value):
        raise ParameterError(f"{name}: must be one line without control characters")
    return value.strip()


def overview_parameters(
    as_of: object = "",
    since: object = "",
    countries: object = (),
    title: object = "",
    data_dir: object = "",
    sending: object = (),
) -> OverviewParameters:
    codes = parse_party_list("countries", countries)
    parsed_as_of = parse_date_parameter("as_of", as_of)
    parsed_since = parse_date_parameter("since", since)
    if parsed_as_of and parsed_since and parsed_since > parsed_as_of:
        raise ParameterError(f"since: {parsed_since} is after as_of {parsed_as_of}")
    return OverviewParameters(
        as_of=parsed_as_of,
        since=parsed_since,
        countries=codes,
        title=parse_text_parameter("title", title),
        data_dir=parse_text_parameter("data_dir", data_dir, max_length=4096),
        sending=parse_party_list("sending", sending),
    )


def country_parameters(country: object = "", as_of: object = "", data_dir: object = ""):
    return CountryParameters(
        country=parse_country_parameter("country", country),
        as_of=parse_date_parameter("as_of", as_of),
        data_dir=parse_text_parameter("data_dir", data_dir, max_length=4096),
    )
