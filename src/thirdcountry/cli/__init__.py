"""The command line: `thirdcountry --help`. Heavy modules are imported inside commands."""

from thirdcountry.cli.main import main

__all__ = ["main"]
