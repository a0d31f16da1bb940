"""Interactive exploration in JupyterLab: the fact base, status on any date, any chart, and live
views (report/views.py) that redraw the same report pieces as their controls change."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from thirdcountry import analysis
from thirdcountry.facts import FactBase, load_facts
from thirdcountry.report import charts, fact_tables
from thirdcountry.report.agreement import AgreementHistory
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.numbers_section import Numbers
from thirdcountry.report.overview import Overview, figure_output
from thirdcountry.report.safe_html import Html, paragraph

if TYPE_CHECKING:
    from thirdcountry.report.views import View


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

    # ---- report pieces for a selection (what the live views draw) ---------------------------
    def overview(self, day: str | dt.date, countries=(), sending=()) -> Overview:
        """The overview report's pieces on `day` for agreements with any of the countries as a
        party and one of the `sending` states (ISO3 codes; empty: all)."""
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        return Overview(as_of=day, countries=countries, sending=sending, facts=self.facts)

    def agreement(self, agreement_id: str, as_of: str | dt.date | None = None) -> AgreementHistory:
        return AgreementHistory(self.facts, agreement_id, as_of, self.steps)

    def events_table(self, events: pd.DataFrame) -> Html:
        """Events with their verbatim quotes and links to their sources."""
        return fact_tables.events_quotes_table(events, self.facts)

    def events_timeline(self, events: pd.DataFrame) -> FigureOutput | Html:
        """The selected events on a date axis that fits them, one lane per country involved."""
        if events.empty:
            return paragraph("No events match this selection.", "tc-empty")
        figure = charts.event_timeline(
            events, by="country", entities=self.entities, source=self.source_line
        )
        return figure_output(figure)

    def numbers(self, as_of=None, countries=(), agreement_ids=()) -> Numbers:
        """The reports' Numbers section (people sent, money paid, every figure) as known on
        `as_of`, for the agreements of the countries, narrowed to those picked; all when none."""
        ids = list(analysis.agreements_of_countries(self.facts, countries)["agreement_id"])
        if agreement_ids:
            ids = [agreement_id for agreement_id in ids if agreement_id in set(agreement_ids)]
        day = pd.Timestamp(as_of).date() if as_of else self.latest_day
        scope = f"involving {', '.join(countries)}" if countries else "in this selection"
        return Numbers(self.facts, ids, day, self.source_line, scope)

    # ---- choices for the views' controls -------------------------------------------------------
    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The data's span: the first event's earliest date to the last event known to have
        happened (the default 'as of' date)."""
        first = self.events["earliest"].min()
        return (self.latest_day if pd.isna(first) else min(first.date(), self.latest_day)), (
            self.latest_day
        )

    def _party_choice(self, entity_id: str) -> tuple[str, str]:
        """(label, code): the ISO3 code of a country, the upper-cased id of anything else."""
        entity = self.entities.set_index("entity_id").loc[entity_id]
        iso3 = entity["iso3"] if isinstance(entity["iso3"], str) and entity["iso3"] else ""
        code = iso3 or entity_id.upper()
        return f"{entity['name']} ({code})", code

    @property
    def country_choices(self) -> list[tuple[str, str]]:
        """(label, ISO3) of every country party to an agreement, by name."""
        parties = {party for parties in self.agreements["parties"] for party in parties}
        countries = self.entities[self.entities["entity_id"].isin(parties)]
        countries = countries[countries["iso3"].fillna("").astype(str) != ""]
        return sorted(self._party_choice(entity_id) for entity_id in countries["entity_id"])

    @property
    def sending_choices(self) -> list[tuple[str, str]]:
        """(label, code) of every sending party: countries, and an organisation like the EU."""
        return sorted(
            self._party_choice(entity_id) for entity_id in set(self.agreements["sending"])
        )

    @property
    def agreement_choices(self) -> list[tuple[str, str]]:
        """(title, id) of every agreement, in the order of agreements.csv."""
        return list(zip(self.agreements["title"], self.agreements["agreement_id"], strict=True))

    @property
    def figure_agreement_choices(self) -> list[tuple[str, str]]:
        """(title, id) of every agreement with figures."""
        with_figures = set(self.facts.figures["agreement_id"])
        return [(t, a) for t, a in self.agreement_choices if a in with_figures]

    @property
    def kind_choices(self) -> list[tuple[str, str]]:
        kinds = sorted({str(kind) for kind in self.events["kind"]})
        return [(kind.replace("_", " "), kind) for kind in kinds]

    # ---- live views: widgets in JupyterLab, their first state as HTML elsewhere ----------------
    def status_view(self, day: str | dt.date | None = None) -> View:
        """Status on a date: a date slider over the data's span, sending-state and country
        pickers; shows the overview's status board and status table."""
        from thirdcountry.report import views

        first, last = self.span
        start = pd.Timestamp(day).date() if day else last
        controls = {
            "day": views.date_slider(views.month_starts(first, last), start, "Date"),
            "sending": views.picker(self.sending_choices, "Sending state", rows=4),
            "countries": views.picker(self.country_choices, "Countries"),
        }

        def draw(day, sending, countries):
            overview = self.overview(day, countries=countries, sending=sending)
            return [overview.status_board(), overview.status_table()]

        return views.View("status", "Status on a date", controls, draw)

    def events_view(self) -> View:
        """Events: country, agreement and kind pickers, a search of summaries and quotes and a
        date range; shows the events with their quotes and the timeline of the selection."""
        from thirdcountry.report import views

        first, last = self.span
        latest_start = self.events["earliest"].max()  # planned events too
        last = last if pd.isna(latest_start) else max(last, latest_start.date())
        controls = {
            "countries": views.picker(self.country_choices, "Countries"),
            "agreement_ids": views.picker(self.agreement_choices, "Agreements"),
            "kinds": views.picker(self.kind_choices, "Kinds"),
            "text": views.search_box("Search", "words in summaries and quotes"),
            "window": views.date_range_slider(views.month_starts(first, last), "Dates"),
        }

        def draw(countries, agreement_ids, kinds, text, window):
            since, until = window
            events = self.select_events(
                countries=countries,
                agreement_ids=agreement_ids,
                kinds=kinds,
                text=text,
                since=since,
                until=until,
            )
            return [self.events_timeline(events), self.events_table(events)]

        return views.View("events", "Events", controls, draw)

    def agreement_view(self, agreement_id: str = "") -> View:
        """An agreement's history: its swimlane, each step with its evidence, its conflicts."""
        from thirdcountry.report import views

        choices = self.agreement_choices
        controls = {
            "agreement_id": views.dropdown(choices, agreement_id or choices[0][1], "Agreement")
        }

        def draw(agreement_id):
            history = self.agreement(agreement_id)
            return [history.swimlane(), history.evidence_table(), history.conflicts_section()]

        return views.View("agreement", "An agreement's history", controls, draw)

    def figures_view(self, day: str | dt.date | None = None) -> View:
        """Figures: a date slider (figures as known on that day), country and agreement
        pickers; shows the reports' Numbers pieces: people sent, paid against sent, cost per
        person, and every figure with its source's words."""
        from thirdcountry.report import views

        first, last = self.span
        start = pd.Timestamp(day).date() if day else last
        controls = {
            "as_of": views.date_slider(views.month_starts(first, last), start, "Known on"),
            "countries": views.picker(self.country_choices, "Countries"),
            "agreement_ids": views.picker(self.figure_agreement_choices, "Agreements"),
        }

        def draw(as_of, countries, agreement_ids):
            numbers = self.numbers(as_of, countries, agreement_ids)
            return [
                numbers.people_sent_chart(),
                numbers.paid_and_sent_chart(),
                numbers.cost_table(),
                numbers.figures_table(),
            ]

        return views.View("figures", "Figures: people sent and money paid", controls, draw)
