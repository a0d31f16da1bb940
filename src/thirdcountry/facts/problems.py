"""Problems found in a fact base, reported one line each: file:row:column: message."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from thirdcountry.errors import BadInput


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input. `row` is the line in the file (the header is line 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class FactBaseError(BadInput):
    """The fact base cannot be used as it is. Carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(sorted(set(problems), key=_sort_key))
        self.problems: list[Problem]
        self.args = ("\n".join(str(p) for p in self.problems),)

    def lines(self, command: str = "thirdcountry") -> list[str]:
        """Each problem as file:row:column: message, then how many there are."""
        count = len(self.problems)
        return [
            *map(str, self.problems),
            f"thirdcountry: {count} problem{'s' * (count != 1)} found",
        ]


def _sort_key(problem: object) -> tuple:
    assert isinstance(problem, Problem)
    return (problem.file, problem.row or 0, problem.column or "", problem.message)


def with_full_paths(error: FactBaseError, data_dir: Path) -> FactBaseError:
    """The same problems, each naming its file by the full path in the data folder actually
    used ('/home/me/other-data/events.csv', not 'data/events.csv'): for commands that say which
    folder they read."""
    folder = Path(os.path.abspath(data_dir))  # noqa: PTH100 - not resolve(): keep symlinks
    prefix = folder.name + "/"
    problems = [
        replace(p, file=str(folder / p.file[len(prefix) :])) if p.file.startswith(prefix) else p
        for p in error.problems
    ]
    return FactBaseError(problems)
