"""The overview report: everything its notebook shows, section by section."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from thirdcountry import analysis
from thirdcountry.facts import load_facts
from thirdcountry.paths import DEFAULT_DATA_DIR
from thirdcountry.report import charts, tables
from thirdcountry.report.about import about_table
from thirdcountry.report.figures import FigureOutput
from thirdcountry.report.findings import key_findings, long_date
from thirdcountry.report.html import Html, bullet_list, esc, paragraph
from thirdcountry.report.parameters import overview_parameters

DEFAULT_TITLE = "Safe third country agreements"


class Overview:
    """Loads the fact base once and serves each section of the overview notebook."""

    def __init__(self, as_of="", since="", countries=(), title="", data_dir=""):
        self.parameters = overview_parameters(as_of, since, countries, title, data_dir)
        self.facts = load_facts(self.parameters.data_dir or None)
        self.as_of: dt.date = self.parameters.as_of or analysis.latest_event_date(self.facts)
        self.since: dt.date = self.parameters.since or self.as_of - dt.timedelta(days=365)
        self.countries = self.parameters.countries
        self.title = self.parameters.title or DEFAULT_TITLE

    # ---- selections, computed once -------------------------------------------------------
    @cached_property
    def agreement_ids(self) -> list[str]:
        agreements = self.facts.agreements
        if self.countries:
            wanted = {c.lower() for c in self.countries}
            agreements = agreements[agreements["parties"].map(lambda p: bool(wanted & set(p)))]
        return list(agreements["agreement_id"])

    @cached_property
    def steps(self) -> pd.DataFrame:
        steps = analysis.lifecycle_steps(self.facts)
        return steps[steps["agreement_id"].isin(self.agreement_ids)]

    @cached_property
    def status(self) -> pd.DataFrame:
        status = analysis.status_as_of(self.facts, self.as_of, self.steps)
        return status[status["agreement_id"].isin(self.agreement_ids)].reset_index(drop=True)

    @cached_property
    def history(self) -> pd.DataFrame:
        return analysis.status_history(self.facts, self.steps)

    @cached_property
    def events(self) -> pd.DataFrame:
        return analysis.select_events(self.facts, countries=self.countries)

    @cached_property
    def conflicts(self) -> pd.DataFrame:
        conflicts = analysis.all_conflicts(self.facts, analysis.lifecycle_steps(self.facts))
        if not self.countries:
            return conflicts
        event_ids = set(self.events["event_id"])
        keep = conflicts["agreement_id"].isin(self.agreement_ids) | conflicts["event_ids"].map(
            lambda ids: bool(event_ids & set(ids))
        )
        return conflicts[keep].reset_index(drop=True)

    @property
    def empty(self) -> bool:
        return not self.agreement_ids

    @property
    def source_line(self) -> str:
        name, digest = self.facts.data_dir.name, self.facts.content_hash
        return f"Source: thirdcountry fact base ({name}, {digest})"

    # ---- sections ------------------------------------------------------------------------
    def heading(self) -> Html:
        scope = ", ".join(self.countries) if self.countries else "all countries"
        subtitle = f"Status as of {long_date(self.as_of)} · {scope}"
        markup = f'<h1 class="tc-title">{esc(self.title)}</h1>'
        markup += f'<p class="tc-subtitle">{esc(subtitle)}</p>'
        return Html(markup, f"{self.title}\n{subtitle}")

    def key_findings(self) -> Html:
        if self.empty:
            return self.no_match()
        sentences = key_findings(self.status, self.as_of, self.conflicts, self.events, self.steps)
        return bullet_list(sentences, "tc-findings")

    def no_match(self) -> Html:
        scope = ", ".join(self.countries)
        return paragraph(f"No agreements match this selection ({scope}).", "tc-empty")

    @property
    def status_on_record(self) -> pd.DataFrame:
        """Agreements with at least one step by as_of (the others do not exist yet)."""
        return self.status[self.status["status"] != analysis.NO_STATUS]

    def status_board(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_match()
        if self.status_on_record.empty:
            return paragraph(
                f"No agreement in this selection has a recorded step by {long_date(self.as_of)}.",
                "tc-empty",
            )
        return figure_output(
            charts.status_board(self.status_on_record, as_of=self.as_of, source=self.source_line)
        )

    def status_table(self) -> Html:
        table_html = tables.status_table(self.status_on_record, self.facts)
        later = self.status[self.status["status"] == analysis.NO_STATUS]
        if later.empty:
            return table_html
        names = "; ".join(later["title"])
        return table_html + paragraph(
            f"Not yet on record on {long_date(self.as_of)}: {names}.", "tc-note"
        )

    def status_history_chart(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_match()
        agreements = self.facts.agreements[
            self.facts.agreements["agreement_id"].isin(self.agreement_ids)
        ]
        figure = charts.status_swimlanes(
            self.history, agreements, self.as_of, source=self.source_line
        )
        return figure_output(figure)

    def status_counts_chart(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_match()
        return figure_output(
            charts.status_counts(self.history, self.as_of, source=self.source_line)
        )

    def event_timeline(self) -> FigureOutput | Html:
        if self.events.empty:
            return paragraph("No events match this selection.", "tc-empty")
        figure = charts.event_timeline(
            self.events, by="country", entities=self.facts.entities, source=self.source_line
        )
        return figure_output(figure)

    def agreements_table(self) -> Html:
        return tables.steps_table(self.facts, self.steps)

    def changes(self) -> Html:
        transitions = analysis.status_transitions(self.facts, self.since, self.as_of, self.steps)
        transitions = transitions[transitions["agreement_id"].isin(self.agreement_ids)]
        events = analysis.events_between(self.facts, self.since, self.as_of, self.countries)
        intro = paragraph(
            f"From {long_date(self.since)} to {long_date(self.as_of)}: "
            f"{len(transitions)} status change{'s' * (len(transitions) != 1)} "
            f"and {len(events)} event{'s' * (len(events) != 1)}."
        )
        return (
            intro
            + tables.transitions_table(transitions)
            + tables.events_table(events, empty="No events in this period.")
        )

    def conflicts_section(self) -> Html:
        sides = analysis.conflict_sides(self.facts, self.conflicts)
        return tables.conflict_summaries(self.conflicts) + tables.conflicts_table(
            self.conflicts, sides
        )

    def spelling_section(self) -> Html:
        return tables.spelling_table(analysis.spelling_variants(self.facts))

    def unchecked_section(self) -> Html:
        unchecked = analysis.unchecked_quotes(self.facts)
        unchecked = unchecked[unchecked["event_id"].isin(set(self.events["event_id"]))]
        intro = paragraph(
            f"{len(unchecked)} of {len(self.events)} quotes come from sources whose text is not "
            "stored here, so they could not be checked word for word."
        )
        return intro + tables.unchecked_table(unchecked)

    def sources_section(self) -> Html:
        return tables.sources_table(self.facts, self.events)

    def about(self) -> Html:
        parameters = {
            "as_of": self.parameters.as_of or f"{self.as_of} (latest event date)",
            "since": self.parameters.since or f"{self.since} (one year before as_of)",
            "countries": self.countries,
            "title": self.title,
            # The kernel gets the fact base through $THIRDCOUNTRY_DATA; show which one it was.
            "data_dir": "" if self.facts.data_dir == DEFAULT_DATA_DIR else self.facts.data_dir,
        }
        return about_table(parameters, self.facts.content_hash, self.facts.data_dir.name)


def figure_output(figure) -> FigureOutput:
    """A chart with the alt text the HTML report carries."""
    return FigureOutput(figure, charts.alt_text(figure))
