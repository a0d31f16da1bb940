"""The agreement page: everything the fact base says about one agreement, section by section.

The page is the overview narrowed to one agreement (its status, history, steps, numbers,
conflicts, sources and evidence), plus what only a page has: the agreement's other agreements,
the rulings and laws around it, and how far its record was checked. It reads nothing outside the
agreement's own rows and what they cite, so a scheduled render redraws it only when those change
(analysis/input_slice.py). Its status is shown as of the last day its own record speaks of, not
the fact base's latest event.

Reports link to a page by its stable path (report/page_links.py), named by the agreement's id,
so a renamed title keeps the link.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

import pandas as pd

from thirdcountry import analysis
from thirdcountry.analysis import agreement_record, agreement_relations
from thirdcountry.facts import FactBase, load_facts
from thirdcountry.facts.wording import did_you_mean
from thirdcountry.report import fact_tables
from thirdcountry.report.about import about_facts
from thirdcountry.report.figure_output import FigureOutput
from thirdcountry.report.findings import long_date
from thirdcountry.report.overview import Overview
from thirdcountry.report.page_links import linked_titles
from thirdcountry.report.parameters import ParameterProblems
from thirdcountry.report.safe_html import Html, esc, paragraph, table

# Beside the page, the agreement's row with its parties' names: a download, and what the reports
# index groups the pages by (render/index.py reads its sending state's name).
PAGE_TABLE = "tables/agreement.csv"
KIND_NAMES = {
    "safe_third_country": "Safe third country agreement",
    "asylum_cooperation": "Asylum cooperative agreement",
    "third_country_transfer": "Third-country transfer arrangement",
    "political_statement": "Political statement",
    "other": "Migration arrangement",
}


class AgreementPage(Overview):
    """One agreement's page; `agreement` is its id, as agreements.csv spells it."""

    def __init__(self, agreement: str, data_dir: str | Path = "", *, facts: FactBase | None = None):
        facts = facts if facts is not None else load_facts(data_dir or None)
        known = [str(key) for key in facts.agreements["agreement_id"]]
        if agreement not in known:
            hint = did_you_mean(agreement, known)
            raise ParameterProblems(
                [f"agreement: {agreement!r} is not an agreement of the fact base{hint}"]
            )
        self.agreement_id = agreement
        self.row = facts.agreements[facts.agreements["agreement_id"] == agreement].iloc[0]
        self.known_to = agreement_record.known_to(facts, agreement)
        super().__init__(as_of=self.known_to, title=str(self.row["title"]), facts=facts)

    status_history_title = "Status history"

    # ---- the selection: this agreement ------------------------------------------------------
    @cached_property
    def agreement_ids(self) -> list[str]:
        return [self.agreement_id]

    @property
    def selected(self) -> bool:
        return True

    @property
    def scope(self) -> str:
        return self.title

    @cached_property
    def events(self) -> pd.DataFrame:
        return analysis.select_events(self.facts, agreement_id=self.agreement_id)

    @cached_property
    def numbers(self):
        numbers = super().numbers
        numbers.max_rows = None  # one agreement: every figure, whatever its date
        numbers.every_figure = True
        return numbers

    @cached_property
    def party_names(self) -> dict[str, str]:
        entities = self.facts.entities
        return dict(zip(entities["entity_id"], entities["name"], strict=True))

    def _name(self, entity_id: object) -> str:
        return self.party_names.get(str(entity_id), str(entity_id).upper())

    # ---- sections ----------------------------------------------------------------------------
    def heading(self) -> Html:
        kind = KIND_NAMES.get(str(self.row["kind"]), str(self.row["kind"]))
        parties = " and ".join(self._name(p) for p in self.row["parties"])
        direction = f"{self._name(self.row['sending'])} sends, {self._name(self.row['receiving'])}"
        subtitle = f"{kind} between {parties} · {direction} receives"
        status = self.status_line()
        markup = f'<h1 class="tc-title">{esc(self.title)}</h1>'
        markup += f'<p class="tc-subtitle">{esc(subtitle)}</p>'
        markup += f'<p class="tc-subtitle tc-current">{esc(status)}</p>'
        notes = self.row.get("notes")
        if isinstance(notes, str) and notes.strip():
            markup += f'<p class="tc-note">{esc(notes)}</p>'
        return Html(
            markup, f"{self.title}\n{subtitle}\n{status}", files={PAGE_TABLE: self.row_csv()}
        )

    def row_csv(self) -> str:
        """The agreement's row, with its parties' names, as CSV."""
        row = self.row
        frame = pd.DataFrame(
            [
                {
                    "agreement_id": self.agreement_id,
                    "title": self.title,
                    "kind": str(row["kind"]),
                    "parties": "|".join(row["parties"]),
                    "sending": str(row["sending"]),
                    "sending_name": self._name(row["sending"]),
                    "receiving": str(row["receiving"]),
                    "receiving_name": self._name(row["receiving"]),
                }
            ]
        )
        return frame.to_csv(index=False, lineterminator="\n")

    def status_line(self) -> str:
        """'In force since March 2020, as its record stands on 30 November 2026.'"""
        if self.known_to is None or self.status_on_record.empty:
            return "No lifecycle step of this agreement is on record."
        row = self.status_on_record.iloc[0]
        status = fact_tables.readable_status(str(row["status"]))
        since = fact_tables._human(row["since"])
        return (
            f"{status[:1].upper()}{status[1:]} since {since}, as its record stands on "
            f"{long_date(self.known_to)}, the last day it speaks of."
        )

    def agreements_table(self) -> Html:
        return fact_tables.steps_table(self.facts, self.steps, name="steps")

    def status_table(self) -> Html:
        return self.cite(
            fact_tables.status_table(
                self.status_on_record, self.facts, name="status", refs=self.status_refs
            )
        )

    def steps_evidence(self) -> Html:
        """Every step with its date, each source's words and the source."""
        return fact_tables.step_evidence_table(self.facts, self.steps)

    @cached_property
    def other_events(self) -> pd.DataFrame:
        """The agreement's events behind no step (claims, statements, transfers...): the steps'
        own events are shown with their steps."""
        behind: set[str] = set()
        for step in self.steps.itertuples():
            behind.update(step.event_ids)
            behind.update(step.conflicting_event_ids)
        return self.events[~self.events["event_id"].isin(behind)]

    def events_section(self) -> Html:
        """Every other event of the agreement: date, what happened, the source's words, the
        source."""
        empty = "Every event of this agreement on record is behind one of its steps above."
        return fact_tables.events_quotes_table(
            self.other_events, self.facts, empty=empty, with_agreement=False
        )

    def sources_section(self) -> Html:
        """The sources the agreement's events cite (their words are quoted above)."""
        return fact_tables.sources_table(self.facts, self.events, name="sources")

    @property
    def no_numbers(self) -> bool:
        """No figure and no total across agreements names this agreement."""
        return self.numbers.figures.empty and self.numbers.totals.empty

    def people_sent_chart(self) -> FigureOutput | Html:
        """People sent over time, where there are two counts or more to draw; one count is
        told in a sentence (the table below has it with its source). With no figure at all,
        one sentence says so for the whole section."""
        if self.no_numbers:
            return paragraph(
                "No figure is on record for this agreement: no count of people sent, no "
                "capacity, no payment.",
                "tc-empty",
            )
        sent = self.numbers.sent_steps
        if len(sent) >= 2:
            return self.numbers.people_sent_chart()
        if sent.empty:
            return paragraph("No count of people sent under this agreement is on record.")
        return paragraph(
            "One count of people sent is on record (in the table below): too little to draw."
        )

    def payments_table(self) -> Html:
        """Money paid or pledged and people sent, and the cost per person where both are known
        (the overview draws it; for one agreement a table says it)."""
        if self.no_numbers:
            return Html("")
        if self.numbers.cost.empty:
            return paragraph("No payment under this agreement is on record.")
        return self.numbers.cost_table()

    def figures_table(self) -> Html:
        """Every figure with its source (nothing when the section already said there is none)."""
        return Html("") if self.no_numbers else self.numbers.figures_table()

    def totals_table(self) -> Html:
        """Totals a source gives for this agreement and others together, whole."""
        if self.numbers.totals.empty:
            return Html("")
        return self.numbers.totals_table()

    @cached_property
    def conflict_states(self) -> pd.DataFrame:
        return agreement_record.conflict_states(self.facts, self.conflicts)

    def conflicts_by_state(self) -> Html:
        """Open conflicts first, then settled ones with how they were settled; where the fact
        base does not mark conflicts open or settled, all of them, said so."""
        conflicts = self.conflict_states
        if conflicts.empty:
            return paragraph("No conflicts between sources about this agreement.", "tc-empty")
        sides = analysis.conflict_sides(self.facts, conflicts)
        parts = []
        labelled = {
            agreement_record.OPEN: "Open: the sources still disagree.",
            agreement_record.SETTLED: "Settled: the evidence decided it.",
            agreement_record.UNMARKED: "Not yet marked open or settled in the fact base.",
        }
        for state, label in labelled.items():
            group = conflicts[conflicts["state"] == state]
            if group.empty:
                continue
            parts.append(paragraph(f"{label} ({len(group)})", "tc-note"))
            parts.append(self.cite(fact_tables.conflict_summaries(group)))
            if state == agreement_record.SETTLED:
                settled = group.assign(
                    settled_text=group["settled_by"].map(lambda ids: ", ".join(ids))
                )
                parts.append(
                    table(
                        settled,
                        {
                            "conflict_id": "Conflict",
                            "resolution": "Why it is settled",
                            "settled_text": "Settled by",
                        },
                        empty="",
                    )
                )
        parts.append(fact_tables.conflicts_table(conflicts, sides))
        result = parts[0]
        for part in parts[1:]:
            result += part
        return result

    @cached_property
    def related(self) -> pd.DataFrame:
        pairs = agreement_relations.related_agreements(self.facts.records, self.agreement_id)
        agreements = self.facts.agreements
        titles = dict(zip(agreements["agreement_id"], agreements["title"], strict=True))
        return pd.DataFrame(
            [
                {"agreement_id": key, "title": titles.get(key, key), "relation": relation}
                for key, relation in pairs
            ],
            columns=["agreement_id", "title", "relation"],
        )

    def related_agreements(self) -> Html:
        """Agreements this one superseded or was superseded by, names, or shares its parties
        with; each links to its page."""
        frame = linked_titles(self.related)
        return table(
            frame,
            {"relation": "How it relates", "title": "Agreement"},
            empty="No other agreement is related to this one in the fact base.",
            group_first=True,
        )

    @cached_property
    def legal_context(self) -> pd.DataFrame:
        """Its rulings and laws as events: legal events on record, then the context events
        (context_events.csv) that name it, each under its label."""
        rows = agreement_relations.legal_context_rows(self.facts.records, self.agreement_id)
        wanted: dict[str, set[str]] = {"events": set(), agreement_relations.CONTEXT_TABLE: set()}
        for table_name, number in rows:
            row = self.facts.records[table_name][number]
            wanted[table_name].add(row.get("event_id") or row.get("context_id", ""))
        events = self.facts.events[self.facts.events["event_id"].isin(wanted["events"])]
        context = self.facts.context_events
        context = context[context["context_id"].isin(wanted[agreement_relations.CONTEXT_TABLE])]
        context = context.assign(
            event_id=context["context_id"],
            agreement_id="",
            summary=context["label"] + ": " + context["summary"],
        )
        shared = ["event_id", "date", "kind", "agreement_id", "summary", "certainty",
                  "source_id", "quote", "earliest"]  # fmt: skip
        both = pd.concat([events[shared], context[shared]], ignore_index=True)
        return both.sort_values(["earliest", "event_id"], na_position="first")

    def rulings_and_laws(self) -> Html:
        """Court rulings and halts, laws, designations and policies on this agreement, naming
        one of its parties without naming an agreement, or governing it (context events)."""
        empty = "No ruling, court halt, law or designation about this agreement is on record."
        return fact_tables.events_quotes_table(
            self.legal_context, self.facts, empty=empty, with_agreement=False
        )

    @cached_property
    def checks(self) -> dict[str, object]:
        return agreement_record.check_summary(self.facts, self.agreement_id)

    def checked_section(self) -> Html:
        """How far the record was checked: events checked of all, the last check, each check."""
        summary = self.checks
        if not summary["checked"]:
            intro = (
                f"None of its {summary['events']} events has been checked against a second "
                "source yet."
            )
        else:
            last = summary["last_check"]
            results = summary["results"]
            assert isinstance(results, dict)
            counted = ", ".join(
                f"{count} {result.replace('_', ' ')}" for result, count in results.items()
            )
            when = f", last on {long_date(last)}" if isinstance(last, dt.date) else ""
            intro = (
                f"{summary['checked']} of its {summary['events']} events were checked{when}. "
                f"Latest result per event: {counted}."
            )
        log = agreement_record.agreement_checks(self.facts, self.agreement_id)
        frame = log.assign(
            checked_on_text=log["checked_on"].map(
                lambda day: long_date(pd.Timestamp(day).date()) if pd.notna(day) else ""
            ),
            result_text=log["result"].astype(str).str.replace("_", " "),
        )
        columns = {
            "checked_on_text": "Checked on",
            "event_id": "Event",
            "checked": "What was checked",
            "result_text": "Result",
            "note": "Note",
        }
        return paragraph(intro) + table(frame, columns, empty="No check is on record.")

    def about(self) -> Html:
        """The page's parameters as they were given, and the day its status is shown for."""
        shown = self.known_to.isoformat() if self.known_to else "the fact base's latest event"
        parameters = {
            "agreement": self.agreement_id,
            "status as of": f"{shown} (the last day the agreement's record speaks of)",
        }
        return about_facts(self.facts, parameters, title=self.title, as_of=self.as_of)
