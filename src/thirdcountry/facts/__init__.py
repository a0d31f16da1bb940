"""The facts layer: the data contract, loading, validation and dates.

Names load lazily, so that light users (the CLI's argument parsing, error types) do not pay for
pandas.
"""

from typing import TYPE_CHECKING

from thirdcountry.lazy import lazy_exports

_EXPORTS = {
    "CERTAINTIES": "thirdcountry.facts.schema",
    "LIFECYCLE": "thirdcountry.facts.schema",
    "TIERS": "thirdcountry.facts.schema",
    "EDTFError": "thirdcountry.facts.dates",
    "FuzzyDate": "thirdcountry.facts.dates",
    "parse_edtf": "thirdcountry.facts.dates",
    "parse_iso_date": "thirdcountry.facts.dates",
    "FactBase": "thirdcountry.facts.fact_base",
    "load_facts": "thirdcountry.facts.load",
    "FactBaseError": "thirdcountry.facts.problems",
    "Problem": "thirdcountry.facts.problems",
}


if TYPE_CHECKING:  # what type checkers see; at run time the names load lazily
    from thirdcountry.facts.dates import EDTFError as EDTFError
    from thirdcountry.facts.dates import FuzzyDate as FuzzyDate
    from thirdcountry.facts.dates import parse_edtf as parse_edtf
    from thirdcountry.facts.dates import parse_iso_date as parse_iso_date
    from thirdcountry.facts.fact_base import FactBase as FactBase
    from thirdcountry.facts.load import load_facts as load_facts
    from thirdcountry.facts.problems import FactBaseError as FactBaseError
    from thirdcountry.facts.problems import Problem as Problem
    from thirdcountry.facts.schema import CERTAINTIES as CERTAINTIES
    from thirdcountry.facts.schema import LIFECYCLE as LIFECYCLE
    from thirdcountry.facts.schema import TIERS as TIERS

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
