"""The country report: the overview narrowed to one country, plus the actors involved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from thirdcountry import analysis
from thirdcountry.facts.countries import party_name
from thirdcountry.report import charts, fact_tables
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.overview import Overview, figure_output
from thirdcountry.report.safe_html import Html, paragraph, table


class CountryReport(Overview):
    def __init__(self, country: str, as_of: dt.date | None = None, data_dir: str | Path = ""):
        """Typed values, as report.notebook_parameters gives them: an upper-case party code."""
        name = party_name(country) or country
        super().__init__(
            as_of=as_of,
            countries=[country],
            title=f"{name}: agreements and events",
            data_dir=data_dir,
        )
        self.country = country
        self.country_name = name

    def no_match(self) -> Html:
        return paragraph(
            f"No agreements match: the fact base records no agreement with {self.country_name} "
            f"({self.country}) as a party.",
            "tc-empty",
        )

    def event_timeline(self) -> FigureOutput | Html:
        if self.events.empty:
            return paragraph(f"No timeline: no events involve {self.country_name}.", "tc-empty")
        figure = charts.event_timeline(
            self.events, by="kind", entities=self.facts.entities, source=self.source_line,
            context=self.facts.context_events,
        )  # fmt: skip
        return figure_output(figure)

    def events_table(self) -> Html:
        return fact_tables.events_table(
            self.events,
            empty=f"No events involve {self.country_name}.",
            verified=analysis.last_verified(self.facts),
        )

    def actors_section(self) -> Html:
        """Everyone named in the events that involve the country, most often first."""
        counts: dict[str, int] = {}
        for actors in self.events["actors"]:
            for actor in actors:
                counts[actor] = counts.get(actor, 0) + 1
        entities = self.facts.entities.set_index("entity_id")
        rows = [
            {
                "name": entities.loc[entity_id, "name"],
                "kind": str(entities.loc[entity_id, "kind"]),
                "events": count,
                "spellings": entities.loc[entity_id, "aliases"],
            }
            for entity_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        frame = pd.DataFrame(rows, columns=["name", "kind", "events", "spellings"])
        columns = {"name": "Actor", "kind": "Kind", "events": "Events", "spellings": "Also spelt"}
        return table(frame, columns, empty=f"No actors recorded for {self.country_name}.")
