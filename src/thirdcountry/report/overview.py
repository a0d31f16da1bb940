"""The overview report: everything its notebook shows, section by section."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd

from thirdcountry import analysis
from thirdcountry.analysis import overview_scope, what_changed
from thirdcountry.facts import FactBase, load_facts
from thirdcountry.facts.countries import party_name
from thirdcountry.paths import PREVIOUS_SNAPSHOT_ENV
from thirdcountry.report import charts, citations, fact_tables
from thirdcountry.report.about import about_facts
from thirdcountry.report.citations import Claim, Ref
from thirdcountry.report.data_changes import data_changes_table
from thirdcountry.report.evidence_appendix import claim_list, evidence_appendix
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.findings import (
    long_date,
    overview_claims,
    previous_report_sentence,
    window_sentence,
)
from thirdcountry.report.long_tables import full_tables
from thirdcountry.report.numbers_section import OVERVIEW_ROWS, Numbers
from thirdcountry.report.safe_html import Html, esc, paragraph

DEFAULT_TITLE = "Safe third country agreements"
DEFAULT_WINDOW_DAYS = 365
# Set by a scheduled render (`render --if-changed`) in the kernel's environment, never as
# parameters, so that no absolute path is written into the notebook: the snapshot of the facts
# the report's previous good run used, and when that run started (ISO, UTC). The render layer
# sets the same names (thirdcountry.render.history).


class Overview:
    """Loads the fact base once and serves each section of the overview notebook."""

    def __init__(
        self,
        as_of: dt.date | None = None,
        since: dt.date | None = None,
        countries: Sequence[str] = (),
        title: str = "",
        data_dir: str | Path = "",
        *,
        facts: FactBase | None = None,
        sending: Sequence[str] = (),
    ):
        """Typed values, as the notebook's parameters cell declares them and
        report.notebook_parameters checks them (dates are dates, codes upper case).
        as_of: None is the latest event's date; since: None is a year before as_of.
        facts: a fact base already loaded (the Explorer's), instead of reading data_dir.
        sending: only agreements whose sending state is one of these ISO3 codes (or EU)."""
        self.given_as_of = _date_or_none("as_of", as_of)
        self.given_since = _date_or_none("since", since)
        self.facts = facts if facts is not None else load_facts(data_dir or None)
        self.as_of: dt.date = (
            self.given_as_of or analysis.latest_event_date(self.facts) or dt.date.today()
        )
        # A scheduled run: what changed since this report's previous good run.
        self.previous_run: dt.datetime | None = what_changed.previous_run_time()
        # One rule for the date window, scheduled or not: it ends on the report date and starts
        # at `since` (default a year before); never after the report date. What was added since
        # the previous run is reported apart, whatever its dates (data_changes).
        since = self.given_since or self.as_of - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        self.since: dt.date = min(since, self.as_of)
        self.countries = tuple(countries)
        self.sending = tuple(sending)
        self.title = title or DEFAULT_TITLE
        # The evidence the sections shown so far link to; the Evidence appendix holds exactly it.
        self.cited: dict[Ref, None] = {}
        self.finding_claims: list[Claim] = []
        # The tables shown so far, whole as CSV: 'Attached tables' lists them with the rest.
        self.tables: dict[str, str] = {}

    def cite(self, html: Html) -> Html:
        """Note the evidence a section links to, for the appendix; return the section."""
        self.cited.update(dict.fromkeys(html.refs))
        self.tables.update(html.files)
        return html

    # ---- selections, computed once -------------------------------------------------------
    @cached_property
    def agreement_ids(self) -> list[str]:
        agreements = analysis.agreements_of_countries(self.facts, self.countries, self.sending)
        return list(agreements["agreement_id"])

    @property
    def selected(self) -> bool:
        """A selection narrower than the whole fact base (by party or by sending state)."""
        return bool(self.countries or self.sending)

    @cached_property
    def all_steps(self) -> pd.DataFrame:
        return analysis.lifecycle_steps(self.facts)

    @cached_property
    def steps(self) -> pd.DataFrame:
        steps = self.all_steps
        return steps[steps["agreement_id"].isin(self.agreement_ids)]

    @cached_property
    def status(self) -> pd.DataFrame:
        status = analysis.status_as_of(self.facts, self.as_of, self.steps)
        status = status[status["agreement_id"].isin(self.agreement_ids)].reset_index(drop=True)
        return status.assign(short_name=status["agreement_id"].map(self.short_names))

    @cached_property
    def short_names(self) -> dict[str, str]:
        """What charts and findings call each agreement (analysis/short_names.py)."""
        return analysis.short_names(self.facts.agreements)

    def by_short_name(self, table: pd.DataFrame) -> pd.DataFrame:
        """A table whose 'title' is each agreement's short name, for sentences and labels."""
        names = table["agreement_id"].map(self.short_names).fillna(table["title"])
        return table.assign(title=names)

    @cached_property
    def history(self) -> pd.DataFrame:
        return analysis.status_history(self.facts, self.steps)

    @cached_property
    def events(self) -> pd.DataFrame:
        events = analysis.select_events(self.facts, countries=self.countries)
        return overview_scope.sending_state_events(events, self.agreement_ids, self.sending)

    @cached_property
    def conflicts(self) -> pd.DataFrame:
        conflicts = analysis.all_conflicts(self.facts, self.all_steps)
        if not self.selected:
            return conflicts
        event_ids = set(self.events["event_id"])
        return overview_scope.selected_conflicts(conflicts, self.agreement_ids, event_ids)

    @cached_property
    def numbers(self) -> Numbers:
        """The Numbers section: people sent, payments and capacities of these agreements."""
        return Numbers(
            self.facts,
            self.agreement_ids,
            self.as_of,
            self.source_line,
            "" if self.scope == "all countries" else f"for {self.scope}",
            max_rows=None if self.countries else OVERVIEW_ROWS,
            cite=self.cite,
        )

    @property
    def empty(self) -> bool:
        return not self.agreement_ids

    @property
    def source_line(self) -> str:
        return charts.source_line(self.facts)

    # ---- sections ------------------------------------------------------------------------
    def heading(self) -> Html:
        scope = self.scope
        subtitle = f"Status as of {long_date(self.as_of)} · {scope}"
        current = self.facts_current_line()
        markup = f'<h1 class="tc-title">{esc(self.title)}</h1>'
        markup += f'<p class="tc-subtitle">{esc(subtitle)}</p>'
        markup += f'<p class="tc-subtitle tc-current">{esc(current)}</p>'
        return Html(markup, f"{self.title}\n{subtitle}\n{current}")

    def facts_current_line(self) -> str:
        """'Facts current to 5 March 2025': the latest event the fact base records."""
        latest = analysis.latest_event_date(self.facts)
        if latest is None:
            return "No dated events yet."
        line = f"Facts current to {long_date(latest)}, the latest dated event on record"
        if latest > self.as_of:
            return line + f"; shown as they stood on {long_date(self.as_of)}."
        return line + "."

    @cached_property
    def status_refs(self) -> dict[str, tuple[Ref, ...]]:
        """Each agreement's status → the step that set it (its conflict first when disputed)."""
        return citations.status_refs(self.status, self.steps, self.conflicts)

    def key_findings(self) -> Html:
        if self.empty:
            return self.no_match()
        claims = overview_claims(
            self.first_claim(), self.by_short_name(self.status), self.as_of, self.conflicts,
            self.events, self.status_refs,
        )  # fmt: skip
        numbers = self.numbers.finding_claim()
        if numbers.text:  # third, after what changed and where each agreement stands; five at most
            claims = [*claims[:2], numbers, *claims[2:]][:5]
        self.finding_claims = claims
        return self.cite(claim_list(claims, "tc-findings"))

    def first_claim(self) -> Claim:
        """first_finding() with its evidence: the status steps of the agreements it counts, or
        the rows added or corrected since the previous report."""
        text = self.first_finding()
        refs: tuple[Ref, ...] = ()
        if self.previous_run is not None and self.previous_facts is not None:
            listed = self.listed_changes
            assert listed is not None
            found = [ref for row in listed.itertuples() for ref in self._change_refs(row)]
            refs = citations.unique(found)
        else:
            ids = self.window_transitions["agreement_id"]
            refs = citations.agreements_refs(ids, self.status_refs)
        if not refs:  # nothing changed: the evidence is each status's step, set before
            ids = self.status_on_record["agreement_id"]
            refs = citations.agreements_refs(ids, self.status_refs)
        return Claim(text, refs)

    def _change_refs(self, row) -> tuple[Ref, ...]:
        """A data change's evidence (report/citations.change_refs)."""
        agreement = row.id if row.change == "status" else ""
        return citations.change_refs(
            row.table, row.id, agreement, self.status_refs, self._verification_events, row.change
        )

    @cached_property
    def _verification_events(self) -> dict[str, str]:
        return overview_scope.verification_events(self.facts)

    @property
    def scope(self) -> str:
        """Which agreements the report covers, in words: 'all countries', 'sent by the United
        States', 'GTM, SLV'."""
        parts = [", ".join(self.countries)] if self.countries else []
        if self.sending:
            names = [party_name(code) or code for code in self.sending]
            parts.append("sent by " + " or ".join(names))
        return "; ".join(parts) or "all countries"

    def first_finding(self) -> str:
        """What changed since the previous report, if there was one; else in the date window."""
        if self.previous_run is not None and self.previous_facts is not None:
            listed = self.listed_changes
            assert listed is not None
            counts = what_changed.counted_changes(listed[listed["change"] != "status"])
            status = listed[listed["change"] == "status"]
            moved = list(zip(status["summary"], status["before"], status["after"], strict=True))
            return previous_report_sentence(
                self.previous_run_text, counts, moved, self.later_change_count
            )
        return window_sentence(self.by_short_name(self.window_transitions), self.since, self.as_of)

    @property
    def previous_run_text(self) -> str:
        assert self.previous_run is not None
        return f"{long_date(self.previous_run.date())} at {self.previous_run:%H:%M} UTC"

    def no_match(self) -> Html:
        return paragraph(f"No agreements match this selection ({self.scope}).", "tc-empty")

    def no_chart(self, what: str) -> Html:
        """A chart's empty state, once the key findings have said why (each names its chart)."""
        return paragraph(f"No {what}: no agreement to show.", "tc-empty")

    @property
    def status_on_record(self) -> pd.DataFrame:
        """Agreements with at least one step by as_of (the others do not exist yet)."""
        return self.status[self.status["status"] != analysis.NO_STATUS]

    def status_board(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_chart("status board")
        if self.status_on_record.empty:
            return paragraph(
                f"No agreement in this selection has a recorded step by {long_date(self.as_of)}.",
                "tc-empty",
            )
        figures = charts.status_board_panels(
            self.status_on_record, as_of=self.as_of, source=self.source_line
        )
        if len(figures) == 1:
            return figure_output(figures[0])
        # Every agreement, in panels of a page each: one chart image after another.
        return Html("".join(f'<figure class="out chart">{figure_output(f).html()}</figure>'
                            for f in figures))  # fmt: skip

    def map_chart(self) -> FigureOutput | Html:
        """Sending and receiving states, an arrow per agreement, by status and people sent."""
        if self.empty or self.status_on_record.empty:
            return self.no_chart("map")
        people = charts.people_sent(getattr(self.facts, "figures", None), self.as_of)
        return figure_output(
            charts.agreement_map(
                self.status_on_record, people=people, as_of=self.as_of, source=self.source_line
            )
        )

    def status_table(self) -> Html:
        table_html = self.cite(
            fact_tables.status_table(
                self.status_on_record,
                self.facts,
                name="status",
                refs=self.status_refs,
                link_pages=True,
            )
        )
        reach = analysis.horizon(self.facts, self.agreement_ids)  # analysis/coverage.py
        table_html += paragraph(reach.text(long_date), "tc-note")
        later = self.status[self.status["status"] == analysis.NO_STATUS]
        if later.empty:
            return table_html
        names = "; ".join(later["title"])
        return table_html + paragraph(
            f"Not yet on record on {long_date(self.as_of)}: {names}.", "tc-note"
        )

    def status_history_chart(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_chart("status history")
        # The history as known on the report date: agreements on record by then, nothing later.
        history, agreements, unconfirmed = overview_scope.history_lanes(
            self.facts, self.history, self.status_on_record, self.as_of
        )
        figure = charts.status_swimlanes(
            history,
            agreements,
            self.as_of,
            source=self.source_line,
            unconfirmed=unconfirmed,
            title=self.status_history_title,
        )
        return figure_output(figure)

    # The status history chart's title (an agreement's page has one lane: its own).
    status_history_title = "Status history of each agreement"

    def status_counts_chart(self) -> FigureOutput | Html:
        if self.empty:
            return self.no_chart("status counts")
        return figure_output(
            charts.status_counts(self.history, self.as_of, source=self.source_line)
        )

    def event_timeline(self) -> FigureOutput | Html:
        if self.events.empty:
            return paragraph("No timeline: no events match this selection.", "tc-empty")
        figure = charts.event_timeline(
            self.events, by="country", entities=self.facts.entities, source=self.source_line,
            context=self.facts.context_events,
        )  # fmt: skip
        return figure_output(figure)

    def agreements_table(self) -> Html:
        return fact_tables.steps_table(self.facts, self.steps, name="steps", link_pages=True)

    @cached_property
    def previous_facts(self) -> FactBase | None:
        """The facts of this report's previous good run, if a scheduled run kept them."""
        if self.previous_run is None:
            return None
        return what_changed.load_previous_facts(os.environ.get(PREVIOUS_SNAPSHOT_ENV, ""))

    @cached_property
    def data_changes(self) -> pd.DataFrame | None:
        """What was added, removed or corrected in the data since the previous good run."""
        if self.previous_facts is None:
            return None
        return what_changed.data_changes(
            self.previous_facts, self.facts, self.as_of, countries=self.countries,
            event_ids=set(self.events["event_id"]) if self.selected else None,
            agreement_ids=self.agreement_ids if self.selected else None,
        )  # fmt: skip

    @cached_property
    def _dated_after_report(self) -> pd.Series:
        """Which data changes concern rows dated after the report date (by the row's EDTF date)."""
        assert self.data_changes is not None and self.previous_facts is not None
        return what_changed.dated_after(
            self.data_changes, self.previous_facts, self.facts, self.as_of
        )

    @property
    def listed_changes(self) -> pd.DataFrame | None:
        """The data changes the report lists: none about rows dated after its date."""
        if self.data_changes is None:
            return None
        return self.data_changes[~self._dated_after_report].reset_index(drop=True)

    @property
    def later_change_count(self) -> int:
        return 0 if self.data_changes is None else int(self._dated_after_report.sum())

    def changes(self) -> Html:
        window = self._changes_between_dates()
        if self.previous_run is None:
            return window
        return self._changes_since_previous_run() + window

    def _changes_since_previous_run(self) -> Html:
        assert self.previous_run is not None
        when = self.previous_run_text
        changes = self.listed_changes
        if changes is None:
            return paragraph(
                f"The previous report was made on {when}, but no copy of the data it used was "
                "kept, so what was corrected since cannot be shown; events dated in the window "
                "are listed below."
            )
        later = self.later_change_count
        later_note = (
            paragraph(
                f"{later} further change{'s' * (later != 1)} concern{'s' * (later == 1)} items "
                f"dated after this report's date, {long_date(self.as_of)}, and "
                f"{'is' if later == 1 else 'are'} not listed here."
            )
            if later
            else Html("")
        )
        if changes.empty:
            previous = self.previous_facts
            assert previous is not None
            if later:
                text = (
                    f"Since the previous report, made on {when}, nothing dated by "
                    f"{long_date(self.as_of)} was added, removed or corrected."
                )
                return paragraph(text) + later_note
            if previous.content_hash != self.facts.content_hash:  # changes elsewhere only
                return paragraph(
                    f"Since the previous report, made on {when}, the data changed, but no change "
                    "concerns the countries this report covers."
                )
            return paragraph(
                f"Nothing in the data was added, removed or corrected since the previous report, "
                f"made on {when}."
            )
        assert self.previous_facts is not None
        changes = what_changed.with_event_dates(changes, self.previous_facts, self.facts)
        return self.cite(data_changes_table(changes, when, self._change_refs, later_note))

    @cached_property
    def window_transitions(self) -> pd.DataFrame:
        """Status changes between `since` and the report date, newest first, each dated."""
        return what_changed.window_transitions(self.facts, self.steps, self.status, self.since)

    def _changes_between_dates(self) -> Html:
        transitions = self.window_transitions
        events = analysis.events_between(self.facts, self.since, self.as_of, self.countries)
        if self.sending:
            events = events[events["event_id"].isin(set(self.events["event_id"]))]
        events = what_changed.newest_first(events)
        intro = paragraph(
            f"From {long_date(self.since)} to {long_date(self.as_of)}: "
            f"{len(transitions)} status change{'s' * (len(transitions) != 1)} "
            f"and {len(events)} event{'s' * (len(events) != 1)}, the most recent first."
        )
        return self.cite(
            intro
            + fact_tables.transitions_table(
                transitions, name="status-changes-in-window", refs=self.status_refs
            )
            + fact_tables.events_table(
                events,
                empty="No events in this period.",
                verified=analysis.last_verified(self.facts),
                name="events-in-window",
                link_evidence=True,
            )
        )

    def conflicts_section(self) -> Html:
        sides = analysis.conflict_sides(self.facts, self.conflicts)
        return fact_tables.conflict_summaries(
            self.conflicts, name="conflicts"
        ) + fact_tables.conflicts_table(self.conflicts, sides, name="conflict-sides")

    def spelling_section(self) -> Html:
        return fact_tables.spelling_table(analysis.spelling_variants(self.facts), name="spellings")

    def unchecked_section(self) -> Html:
        unchecked = analysis.unchecked_quotes(self.facts)
        unchecked = unchecked[unchecked["event_id"].isin(set(self.events["event_id"]))]
        intro = paragraph(
            f"{len(unchecked)} of {len(self.events)} quotes come from sources whose text is not "
            "stored here, so they could not be checked word for word."
        )
        return intro + fact_tables.unchecked_table(unchecked, name="unchecked-quotes")

    def sources_section(self) -> Html:
        return fact_tables.sources_table(
            self.facts, self.events, name="sources"
        ) + fact_tables.quotes_table(self.events, name="quotes")

    def evidence_section(self) -> Html:
        """The Evidence appendix: an entry for every event, conflict, figure and source the
        sections above link to — run after them (the notebook's last cells)."""
        closure = self.evidence_ids()
        unchecked = set(analysis.unchecked_quotes(self.facts)["event_id"])
        return evidence_appendix(
            closure, self.facts, self.every_conflict, self.finding_claims, unchecked
        )

    def full_tables(self) -> Html:
        """'Attached tables': every table of the report whole, as CSV — those shown above, and
        every step, conflict, spelling, unchecked quote, source and quote — attached to the PDF
        and linked from the HTML."""
        sides = analysis.conflict_sides(self.facts, self.conflicts)
        unchecked = analysis.unchecked_quotes(self.facts)
        unchecked = unchecked[unchecked["event_id"].isin(set(self.events["event_id"]))]
        return full_tables(
            earlier=self.tables,
            tables={
                "steps": self.agreements_table(),
                "conflicts": fact_tables.conflict_summaries(self.conflicts, name="conflicts"),
                "sides of conflicts": fact_tables.conflicts_table(
                    self.conflicts, sides, name="conflict-sides"
                ),
                "spellings": self.spelling_section(),
                "unchecked quotes": fact_tables.unchecked_table(unchecked, name="unchecked-quotes"),
                "sources": fact_tables.sources_table(self.facts, self.events, name="sources"),
                "quotes": fact_tables.quotes_table(self.events, name="quotes"),
            },
        )

    def evidence_ids(self) -> dict[str, list[str]]:
        """{'event': [...], 'source': [...], 'conflict': [...], 'figure': [...]}: the items the
        report holds an evidence entry (and an anchor, report/citations.anchor) for."""
        return citations.evidence_closure(
            self.cited, self.facts.events, self.facts.figures, self.every_conflict
        )

    @cached_property
    def every_conflict(self) -> pd.DataFrame:
        """Every conflict, this selection's or not: a change since the previous report may
        concern one outside it."""
        if not self.selected:
            return self.conflicts
        return analysis.all_conflicts(self.facts, self.all_steps)

    def about(self) -> Html:
        parameters = {
            "as_of": self.given_as_of or f"{self.as_of} (latest event date)",
            "since": self.given_since
            or f"{self.since} ("
            + ("the previous report's run date" if self.previous_run else "one year before as_of")
            + ")",
            "countries": self.countries,
            "sending": self.sending,
            "title": self.title,
        }
        return about_facts(self.facts, parameters, title=self.title, as_of=self.as_of)


def _date_or_none(name: str, value: object) -> dt.date | None:
    """The Python API takes dates, not text: text is for the notebook's parameters cell."""
    if value is None or isinstance(value, dt.date):
        return value
    raise TypeError(f"{name}: expected a datetime.date or None, got {value!r}")


def figure_output(figure) -> FigureOutput:
    """A chart with the alt text the HTML report carries."""
    return FigureOutput(figure, charts.alt_text(figure))
