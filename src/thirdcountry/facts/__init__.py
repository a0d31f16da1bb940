"""The facts layer: the data contract, loading, validation and dates.

Names load lazily, so that light users (the CLI's argument parsing, error types) do not pay for
pandas.
"""

from thirdcountry.lazy import lazy_exports

_EXPORTS = {
    "CERTAINTIES": "thirdcountry.facts.schema",
    "LIFECYCLE": "thirdcountry.facts.schema",
    "TIERS": "thirdcountry.facts.schema",
    "EDTFError": "thirdcountry.facts.dates",
    "FuzzyDate": "thirdcountry.facts.dates",
    "parse_edtf": "thirdcountry.facts.dates",
    "parse_iso_date": "thirdcountry.facts.dates",
    "FactBase": "thirdcountry.facts.load",
    "load_facts": "thirdcountry.facts.load",
    "FactBaseError": "thirdcountry.facts.problems",
    "Problem": "thirdcountry.facts.problems",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
