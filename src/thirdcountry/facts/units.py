"""Units a figure may be in: people, or an ISO 4217 currency."""

from __future__ import annotations

from functools import lru_cache

from thirdcountry.facts.schema import PEOPLE_UNIT


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.currencies}


def is_currency(code: str) -> bool:
    """Whether code is an ISO 4217 alphabetic currency code (USD, GBP, AUD, EUR)."""
    return code in _currency_names()


def is_known_unit(unit: str) -> bool:
    return unit == PEOPLE_UNIT or is_currency(unit)


def currency_name(code: str) -> str | None:
    return _currency_names().get(code)
