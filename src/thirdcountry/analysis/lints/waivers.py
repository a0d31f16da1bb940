"""Reviewed waivers (data/waivers.csv): a rule's finding on one row, accepted with a reason.

A waived finding is still reported, as 'waived' with its reason: never silently skipped. A waiver
that names an unknown rule or row, or that no longer matches a finding, is itself reported, so
waivers cannot outlive what they excuse.
"""

from __future__ import annotations

from dataclasses import replace

from thirdcountry.analysis.lints.finding import Finding
from thirdcountry.analysis.lints.rule import Rule
from thirdcountry.facts import FactBase

WAIVER_RULE = "waiver"


def apply_waivers(
    facts: FactBase, rules: tuple[Rule, ...], findings: list[Finding]
) -> list[Finding]:
    """The findings, each waived where a waiver names its rule and row; then the waivers' own."""
    by_name = {rule.name: rule for rule in rules}
    shown = facts.shown("waivers") if "waivers" in facts.schema else "waivers.csv"
    waivers = facts.waivers
    reasons: dict[tuple[str, str], str] = {}
    problems: list[Finding] = []
    lines: dict[tuple[str, str], tuple[int, str]] = {}
    for row in waivers.itertuples():
        rule = by_name.get(row.rule)
        if rule is None:
            known = ", ".join(sorted(by_name))
            problems.append(
                _waiver_problem(
                    shown,
                    row.csv_line,
                    row.waiver_id,
                    f"names no known rule {row.rule!r} (rules: {known})",
                )
            )
            continue
        table = facts.table(rule.table)
        key = table.columns[0]
        if row.row_id not in set(table[key]):
            problems.append(
                _waiver_problem(
                    shown,
                    row.csv_line,
                    row.waiver_id,
                    f"{row.row_id!r} is not a row of {rule.table} (rule {row.rule!r})",
                )
            )
            continue
        reasons[(row.rule, row.row_id)] = str(row.reason)
        lines[(row.rule, row.row_id)] = (row.csv_line, row.waiver_id)
    result = []
    used: set[tuple[str, str]] = set()
    for finding in findings:
        reason = reasons.get((finding.rule, finding.row_id))
        if reason is None:
            result.append(finding)
        else:
            used.add((finding.rule, finding.row_id))
            result.append(replace(finding, waiver=reason))
    for key, (line, waiver_id) in lines.items():
        if key not in used:
            problems.append(
                _waiver_problem(
                    shown,
                    line,
                    waiver_id,
                    f"rule {key[0]!r} no longer flags {key[1]!r}: remove the waiver",
                )
            )
    return result + problems


def _waiver_problem(shown: str, line: int, waiver_id: str, message: str) -> Finding:
    return Finding(shown, line, WAIVER_RULE, "waivers", waiver_id, message)
