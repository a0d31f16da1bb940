"""thirdcountry: sourced facts and reports on asylum "safe third country" agreements.

Layers, each importing only from the ones before it:
facts (load, validate, dates) -> analysis (status, changes, conflicts)
-> report (charts, tables, text) -> render (papermill, nbconvert, PDF) -> cli.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thirdcountry")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
