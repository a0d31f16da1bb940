"""One lint finding: a row that is probably wrong, reported on one line, waivable by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """What a rule found in one row. `waiver` is the reviewed reason when a waiver covers it."""

    file: str
    line: int | None
    rule: str
    table: str
    row_id: str
    message: str
    waiver: str = ""

    @property
    def waived(self) -> bool:
        return bool(self.waiver)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        head = "waived" if self.waived else "warning"
        text = f"{where}: {head} [{self.rule}] {self.row_id}: {self.message}"
        return f"{text} (waiver: {self.waiver})" if self.waived else text
