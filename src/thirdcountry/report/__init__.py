"""Report pieces for the notebooks: charts, tables and generated text. Notebooks import only this.

    from thirdcountry import report
    overview = report.Overview(as_of="2025-01-26")
    overview.key_findings()

The classes load lazily, so that checking parameters (report.parameters) stays cheap.
"""

from importlib import import_module

_EXPORTS = {
    "CountryReport": "thirdcountry.report.country",
    "Explorer": "thirdcountry.report.explore",
    "Overview": "thirdcountry.report.overview",
    "ParameterError": "thirdcountry.report.parameters",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'thirdcountry.report' has no attribute {name!r}")
