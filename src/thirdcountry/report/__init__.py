"""Report pieces for the notebooks: charts, tables and generated text. Notebooks import only this.

    from thirdcountry import report
    overview = report.Overview(as_of="2025-01-26")
    overview.key_findings()

The classes load lazily, so that checking parameters (report.parameters) stays cheap.
"""

from typing import TYPE_CHECKING

from thirdcountry.lazy import lazy_exports

_EXPORTS = {
    "CountryReport": "thirdcountry.report.country",
    "Explorer": "thirdcountry.report.explore",
    "Overview": "thirdcountry.report.overview",
    "ParameterError": "thirdcountry.report.parameters",
}


if TYPE_CHECKING:  # what type checkers see; at run time the names load lazily
    from thirdcountry.report.country import CountryReport as CountryReport
    from thirdcountry.report.explore import Explorer as Explorer
    from thirdcountry.report.overview import Overview as Overview
    from thirdcountry.report.parameters import ParameterError as ParameterError

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
