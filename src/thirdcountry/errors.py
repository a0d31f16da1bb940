"""The one exception hierarchy: every error the project raises on purpose, with its exit code.

    ThirdCountryError          exit 1: something failed that is neither bad input nor a bug
    ├── BadInput               exit 2: a data file, a parameter, a plan or an argument is wrong
    └── Locked                 exit 3: another run holds the reports folder's lock

Each layer subclasses these (`FactBaseError`, `ParameterError`, `PlanError`, ...). The command
line prints an error of this family one line per problem and exits with its code; any other
exception is a bug and ends with a traceback, never disguised as bad input.
"""

from __future__ import annotations

from collections.abc import Iterable

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 130


class ThirdCountryError(Exception):
    """Base of the project's errors. `problems` are one line each; `exit_code` ends the command."""

    exit_code = EXIT_FAILED

    def __init__(self, problems: str | Iterable[object] = ()):
        self.problems: list = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def __reduce__(self):  # pickled whole across worker processes, problems and all
        return (self.__class__, (self.problems,))

    def lines(self, command: str = "thirdcountry") -> list[str]:
        """What the command line prints, one line per problem, each naming the command."""
        return [f"{command}: {problem}" for problem in self.problems]


class BadInput(ThirdCountryError):
    """A user mistake: a data file, a parameter, a plan or an argument is wrong. Exit 2."""

    exit_code = EXIT_BAD_INPUT


def missing_extra(extra: str, needed_for: str, make_target: str) -> BadInput:
    """An optional part of thirdcountry is used without its extra installed: one line that says
    what to install (`pip install 'thirdcountry[dask]'`, or the make target in a checkout)."""
    return BadInput(
        f"{needed_for}: thirdcountry[{extra}] is not installed; "
        f"pip install 'thirdcountry[{extra}]' (in a checkout: make {make_target})"
    )


class Locked(ThirdCountryError):
    """Another run holds a lock this one needs and did not let go in time. Exit 3."""

    exit_code = EXIT_LOCKED
