"""What every lint rule is: a name to waive it by, the table it reads rows of, and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from thirdcountry.analysis.lints.finding import Finding
from thirdcountry.facts import FactBase

# A check yields (line, row id, message) for each row it flags in the rule's table.
Flag = tuple[int, str, str]


@dataclass(frozen=True)
class Rule:
    name: str
    table: str
    why: str  # one sentence for the docs and `validate --help`: the error the rule catches
    check: Callable[[FactBase], Iterator[Flag]]

    def findings(self, facts: FactBase) -> list[Finding]:
        shown = facts.shown(self.table)
        return [
            Finding(shown, line, self.name, self.table, row_id, message)
            for line, row_id, message in self.check(facts)
        ]
