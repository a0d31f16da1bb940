"""Report pieces for the notebooks: charts, tables and generated text. Notebooks import only this.

    from thirdcountry import report
    overview = report.Overview(as_of=datetime.date(2025, 1, 26))
    overview.key_findings()

A notebook declares its parameters with the types below (`as_of: AsOfDate = ""`, imported with
`from thirdcountry.report import AsOfDate`) and hands them, checked, to its report:
`report.Overview(**report.notebook_parameters(globals()))`.
The classes load lazily, so that checking parameters (report.parameters) stays cheap.
"""

from typing import TYPE_CHECKING

from thirdcountry.lazy import lazy_exports

_EXPORTS = {
    "AgreementPage": "thirdcountry.report.agreement_page",
    "CountryReport": "thirdcountry.report.country",
    "Explorer": "thirdcountry.report.explore",
    "Overview": "thirdcountry.report.overview",
    "ParameterError": "thirdcountry.report.parameters",
    "ParameterProblems": "thirdcountry.report.parameters",
    "notebook_parameters": "thirdcountry.report.parameters",
    # the parameter types a parameters cell declares (report.parameters.TYPES)
    "Agreement": "thirdcountry.report.parameters",
    "AsOfDate": "thirdcountry.report.parameters",
    "DataFolder": "thirdcountry.report.parameters",
    "Date": "thirdcountry.report.parameters",
    "OptionalDate": "thirdcountry.report.parameters",
    "Parties": "thirdcountry.report.parameters",
    "Party": "thirdcountry.report.parameters",
    "SendingParties": "thirdcountry.report.parameters",
    "SendingParty": "thirdcountry.report.parameters",
    "SinceDate": "thirdcountry.report.parameters",
    "Text": "thirdcountry.report.parameters",
}


if TYPE_CHECKING:  # what type checkers see; at run time the names load lazily
    from thirdcountry.report.agreement_page import AgreementPage as AgreementPage
    from thirdcountry.report.country import CountryReport as CountryReport
    from thirdcountry.report.explore import Explorer as Explorer
    from thirdcountry.report.overview import Overview as Overview
    from thirdcountry.report.parameters import Agreement as Agreement
    from thirdcountry.report.parameters import AsOfDate as AsOfDate
    from thirdcountry.report.parameters import DataFolder as DataFolder
    from thirdcountry.report.parameters import Date as Date
    from thirdcountry.report.parameters import OptionalDate as OptionalDate
    from thirdcountry.report.parameters import ParameterError as ParameterError
    from thirdcountry.report.parameters import ParameterProblems as ParameterProblems
    from thirdcountry.report.parameters import Parties as Parties
    from thirdcountry.report.parameters import Party as Party
    from thirdcountry.report.parameters import SendingParties as SendingParties
    from thirdcountry.report.parameters import SendingParty as SendingParty
    from thirdcountry.report.parameters import SinceDate as SinceDate
    from thirdcountry.report.parameters import Text as Text
    from thirdcountry.report.parameters import notebook_parameters as notebook_parameters

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
