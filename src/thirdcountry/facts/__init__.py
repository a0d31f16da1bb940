"""The facts layer: the data contract, loading, validation and dates."""

from thirdcountry.facts.dates import EDTFError, FuzzyDate, parse_edtf, parse_iso_date
from thirdcountry.facts.load import FactBase, load_facts
from thirdcountry.facts.problems import FactBaseError, Problem
from thirdcountry.facts.schema import CERTAINTIES, LIFECYCLE, TIERS

__all__ = [
    "CERTAINTIES",
    "LIFECYCLE",
    "TIERS",
    "EDTFError",
    "FactBase",
    "FactBaseError",
    "FuzzyDate",
    "Problem",
    "load_facts",
    "parse_edtf",
    "parse_iso_date",
]
