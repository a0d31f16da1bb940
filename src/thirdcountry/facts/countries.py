"""Country codes: ISO 3166-1 alpha-3, plus an explicit list of documented exceptions."""

from __future__ import annotations

from functools import lru_cache

# Codes that are not in ISO 3166-1 but that the sources' countries need. Each is listed with its
# name and who uses the code; nothing else is accepted. The ISO check itself (is_iso3) stays strict.
CODE_EXCEPTIONS: dict[str, tuple[str, str]] = {
    # Kosovo has no ISO 3166-1 code (its status is disputed); XKX is the user-assigned code the
    # European Union and the IMF use for it.
    "XKX": ("Kosovo", "user-assigned code used by the European Union and the IMF"),
}


# Parties to agreements that are not countries: organisations that conclude them in their own
# right. The code is the party's entity id in capitals; ISO 3166-1 reserves EU for the European
# Union ("exceptionally reserved"). Used wherever a report or command takes a party's code.
ORGANISATION_CODES: dict[str, str] = {"EU": "European Union"}


@lru_cache(maxsize=1)
def _alpha3_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.countries}


def is_iso3(code: str) -> bool:
    """True only for an ISO 3166-1 alpha-3 code."""
    return code in _alpha3_names()


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or one of the documented CODE_EXCEPTIONS."""
    return is_iso3(code) or code in CODE_EXCEPTIONS


def is_party_code(code: str) -> bool:
    """A country code (is_country_code) or the code of an organisation that is a party (EU)."""
    return is_country_code(code) or code in ORGANISATION_CODES


def party_name(code: str) -> str | None:
    """The name of the country or organisation a party code stands for."""
    return ORGANISATION_CODES.get(code) or country_name(code)


def country_name(code: str) -> str | None:
    if code in CODE_EXCEPTIONS:
        return CODE_EXCEPTIONS[code][0]
    return _alpha3_names().get(code)
