"""Interactive exploration in JupyterLab: the fact base, status on any date, any chart."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry import analysis
from thirdcountry.facts import FactBase, load_facts
from thirdcountry.report import charts
from thirdcountry.report.figures import FigureOutput
from thirdcountry.report.overview import figure_output


class Explorer:
    """Everything loaded once; each method returns a DataFrame or a chart to look at."""

    def __init__(self, data_dir: str = ""):
        self.facts: FactBase = load_facts(data_dir or None)
        self.steps = analysis.lifecycle_steps(self.facts)

    @property
    def sources(self) -> pd.DataFrame:
        return self.facts.sources

    @property
    def entities(self) -> pd.DataFrame:
        return self.facts.entities

    @property
    def agreements(self) -> pd.DataFrame:
        return self.facts.agreements

    @property
    def events(self) -> pd.DataFrame:
        return self.facts.events

    def status_on(self, day: str | dt.date) -> pd.DataFrame:
        return analysis.status_as_of(self.facts, day, self.steps)

    def history(self) -> pd.DataFrame:
        return analysis.status_history(self.facts, self.steps)

    def select_events(self, **filters) -> pd.DataFrame:
        """Filters: countries=[ISO3...], agreement_id=..., since=..., until=..."""
        return analysis.select_events(self.facts, **filters)

    def conflicts(self) -> pd.DataFrame:
        return analysis.all_conflicts(self.facts, self.steps)

    def changes(self, since: str | dt.date, until: str | dt.date) -> pd.DataFrame:
        return analysis.status_transitions(self.facts, since, until, self.steps)

    # ---- charts --------------------------------------------------------------------------

    @property
    def latest_day(self) -> dt.date:
        """The latest event's day, or today for a fact base without dated events."""
        return analysis.latest_event_date(self.facts) or dt.date.today()

    @property
    def source_line(self) -> str:
        return charts.source_line(self.facts)

    def status_board(self, day: str | dt.date) -> FigureOutput:
        return figure_output(
            charts.status_board(self.status_on(day), as_of=day, source=self.source_line)
        )

    def swimlanes(self, as_of: str | dt.date | None = None) -> FigureOutput:
        day = pd.Timestamp(as_of or self.latest_day).date()
        figure = charts.status_swimlanes(
            self.history(), self.agreements, day, source=self.source_line
        )
        return figure_output(figure)

    def timeline(self, events: pd.DataFrame | None = None, by: str = "country") -> FigureOutput:
        events = self.events if events is None else events
        return figure_output(
            charts.event_timeline(events, by=by, entities=self.entities, source=self.source_line)
        )

    def counts(self, as_of: str | dt.date | None = None) -> FigureOutput:
        day = pd.Timestamp(as_of or self.latest_day).date()
        return figure_output(charts.status_counts(self.history(), day, source=self.source_line))
