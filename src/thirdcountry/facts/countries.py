"""ISO 3166-1 country codes."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _alpha3_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.countries}


def is_iso3(code: str) -> bool:
    return code in _alpha3_names()


def country_name(code: str) -> str | None:
    return _alpha3_names().get(code)
