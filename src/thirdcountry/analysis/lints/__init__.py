"""Lint rules: rows that pass the data contract but are probably wrong.

Each rule lives in a module of its own and reads several tables; `thirdcountry validate` reports
what they find as warnings (or as waived, with the reviewed reason from data/waivers.csv), and
`validate --strict` fails on any warning. See docs/data-rules.md.
"""

from __future__ import annotations

from thirdcountry.analysis.lints import (
    after_source,
    cumulative_count,
    relative_phrase,
    sent_without_transfer,
    weekday_in_quote,
)
from thirdcountry.analysis.lints.finding import Finding
from thirdcountry.analysis.lints.rule import Rule
from thirdcountry.analysis.lints.waivers import WAIVER_RULE, apply_waivers
from thirdcountry.facts import FactBase

RULES: tuple[Rule, ...] = (
    weekday_in_quote.RULE,
    weekday_in_quote.FIGURES_RULE,
    after_source.EVENTS_RULE,
    after_source.FIGURES_RULE,
    sent_without_transfer.RULE,
    cumulative_count.RULE,
    relative_phrase.EVENTS_RULE,
    relative_phrase.FIGURES_RULE,
)


def run_lints(facts: FactBase, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    """Every rule's findings in file order, waived ones marked, then problems with waivers."""
    found = [finding for rule in rules for finding in rule.findings(facts)]
    return sorted(apply_waivers(facts, rules, found), key=_order)


def _order(finding: Finding) -> tuple:
    return (finding.file, finding.line or 0, finding.rule, finding.row_id)


__all__ = ["RULES", "WAIVER_RULE", "Finding", "Rule", "run_lints"]
