"""One agreement's history: its status over time, each step with its evidence, its conflicts."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from thirdcountry import analysis
from thirdcountry.facts import FactBase
from thirdcountry.report import charts, fact_tables
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.overview import figure_output
from thirdcountry.report.safe_html import Html, paragraph


class AgreementHistory:
    """What the fact base says about one agreement, up to `as_of` (default: the latest event)."""

    def __init__(
        self,
        facts: FactBase,
        agreement_id: str,
        as_of: dt.date | str | None = None,
        steps: pd.DataFrame | None = None,
    ):
        known = set(facts.agreements["agreement_id"])
        if agreement_id not in known:
            raise KeyError(f"no agreement {agreement_id!r}; known: {', '.join(sorted(known))}")
        self.facts = facts
        self.agreement_id = agreement_id
        latest = analysis.latest_event_date(facts) or dt.date.today()
        self.as_of = pd.Timestamp(as_of or latest).date()
        all_steps = analysis.lifecycle_steps(facts) if steps is None else steps
        self.all_steps = all_steps
        self.steps = all_steps[all_steps["agreement_id"] == agreement_id]

    @property
    def agreement(self) -> pd.DataFrame:
        agreements = self.facts.agreements
        return agreements[agreements["agreement_id"] == self.agreement_id]

    @property
    def title(self) -> str:
        return str(self.agreement["title"].iloc[0])

    @cached_property
    def events(self) -> pd.DataFrame:
        return analysis.select_events(self.facts, agreement_id=self.agreement_id)

    @cached_property
    def conflicts(self) -> pd.DataFrame:
        """Conflicts about the agreement, or about any of its events."""
        conflicts = analysis.all_conflicts(self.facts, self.all_steps)
        event_ids = set(self.events["event_id"])
        keep = (conflicts["agreement_id"] == self.agreement_id) | conflicts["event_ids"].map(
            lambda ids: bool(event_ids & set(ids))
        )
        return conflicts[keep].reset_index(drop=True)

    def swimlane(self) -> FigureOutput | Html:
        history = analysis.history_as_of(
            analysis.status_history(self.facts, self.steps), self.as_of
        )
        if history.empty:
            return paragraph(f"{self.title}: no lifecycle step is on record.", "tc-empty")
        figure = charts.status_swimlanes(
            history,
            self.agreement,
            self.as_of,
            source=charts.source_line(self.facts),
            title=f"Status history: {self.title}",
        )
        return figure_output(figure)

    def steps_table(self) -> Html:
        return fact_tables.steps_table(self.facts, self.steps)

    def evidence_table(self) -> Html:
        return fact_tables.step_evidence_table(self.facts, self.steps)

    def conflicts_section(self) -> Html:
        sides = analysis.conflict_sides(self.facts, self.conflicts)
        return fact_tables.conflict_summaries(self.conflicts) + fact_tables.conflicts_table(
            self.conflicts, sides
        )
