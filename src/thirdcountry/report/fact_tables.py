"""Report tables: analysis results with readable headers, human dates and escaped text."""

from __future__ import annotations

import pandas as pd

from thirdcountry.facts import FactBase, parse_edtf
from thirdcountry.report.palette import NO_STATUS, status_label
from thirdcountry.report.safe_html import Html, link, table


def readable_status(status: str) -> str:
    """The chart's wording: 'in force', 'no record or negotiating'."""
    return status_label(status)


def _human(edtf_text: object) -> str:
    if not isinstance(edtf_text, str) or not edtf_text:
        return ""
    return parse_edtf(edtf_text).human()


def _day(day) -> str:
    """A day as the tables write dates: '26 January 2025'."""
    return _human(day.isoformat())


def status_table(status: pd.DataFrame, facts: FactBase) -> Html:
    names = dict(zip(facts.entities["entity_id"], facts.entities["name"], strict=True))
    frame = status.assign(
        status_text=[
            f"{readable_status(text)} (not confirmed since {_day(stale)})"
            if stale
            else readable_status(text)
            for text, stale in zip(status["status"], status["not_confirmed_since"], strict=True)
        ],
        since_text=status["since"].map(_human),
        evidence_text=status["last_evidence"].map(lambda day: _day(day) if day else NO_STATUS),
        disputed_text=status["disputed"].map({True: "disputed", False: ""}),
        parties=status["sending"].map(names) + " → " + status["receiving"].map(names),
    )
    columns = {
        "title": "Agreement",
        "parties": "Sends → receives",
        "status_text": "Status",
        "since_text": "Since",
        "evidence_text": "Last evidence",
        "disputed_text": "Sources disagree",
    }
    return table(frame, columns, empty="No agreements match this selection.")


def steps_table(facts: FactBase, steps: pd.DataFrame) -> Html:
    """Each lifecycle step of each agreement with its date, precision and sources."""
    titles = dict(zip(facts.agreements["agreement_id"], facts.agreements["title"], strict=True))
    tiers = dict(zip(facts.sources["source_id"], facts.sources["tier"].astype(str), strict=True))
    # Agreements in the order their first step happened, steps in lifecycle order.
    first = steps.groupby("agreement_id")["earliest"].transform("min")
    steps = steps.assign(_first=first).sort_values(["_first", "agreement_id", "rank"])
    frame = steps.assign(
        agreement=steps["agreement_id"].map(titles),
        step_text=steps["step"].map(readable_status),
        date_human=steps["date_text"].map(_human),
        precision=steps["date_text"].map(lambda t: parse_edtf(t).precision),
        sources=steps["source_ids"].map(lambda ids: ", ".join(f"{s} ({tiers[s]})" for s in ids)),
        disputed_text=[
            "disputed by " + ", ".join(c) if d else ""
            for d, c in zip(steps["disputed"], steps["conflicting_event_ids"], strict=True)
        ],
    )
    columns = {
        "agreement": "Agreement",
        "step_text": "Step",
        "date_human": "Date",
        "precision": "Precision",
        "sources": "Sources",
        "disputed_text": "Conflicting evidence",
    }
    return table(frame, columns, empty="No agreement steps match this selection.", group_first=True)


def events_table(
    events: pd.DataFrame,
    empty: str = "No events match this selection.",
    verified: dict | None = None,
) -> Html:
    """Events with their date, kind, summary, certainty and source; with `verified` (event id →
    day, from analysis.last_verified) also the day each was last verified."""
    frame = events.assign(
        date_human=events["date"].map(_human), kind_text=events["kind"].astype(str)
    )
    columns = {
        "date_human": "Date",
        "kind_text": "Kind",
        "summary": "What happened (our summary)",
        "certainty": "Certainty",
        "source_id": "Source",
    }
    if verified is not None:
        frame["verified_text"] = [
            _day(verified[e]) if e in verified else NO_STATUS for e in frame["event_id"]
        ]
        columns["verified_text"] = "Last verified"
    return table(frame, columns, empty=empty)


def transitions_table(transitions: pd.DataFrame) -> Html:
    frame = transitions.assign(
        before_text=transitions["before"].map(readable_status),
        after_text=transitions["after"].map(readable_status),
    )
    columns = {"title": "Agreement", "before_text": "Before", "after_text": "After"}
    return table(frame, columns, empty="No agreement changed status in this period.")


def conflicts_table(conflicts: pd.DataFrame, sides: pd.DataFrame) -> Html:
    """One row per side of each conflict: what each source says, verbatim."""
    merged = sides.merge(
        conflicts[["conflict_id", "description", "explanation", "aspect"]], on="conflict_id"
    )
    merged = merged.assign(date_human=merged["date"].map(_human))
    columns = {
        "conflict_id": "Conflict",
        "aspect": "About",
        "date_human": "Date given",
        "source_id": "Source",
        "tier": "Tier",
        "quote": "Source says (verbatim)",
        "explanation": "How to read it",
    }
    return table(merged, columns, empty="No conflicts between sources in this selection.")


def conflict_summaries(conflicts: pd.DataFrame) -> Html:
    if conflicts.empty:  # conflicts_table, shown next, says there are none
        return Html("")
    columns = {"conflict_id": "Conflict", "origin": "Found by", "description": "What disagrees"}
    frame = conflicts.assign(
        origin=conflicts["origin"].map({"declared": "editors", "detected": "date check"})
    )
    return table(frame, columns, empty="No conflicts between sources in this selection.")


def spelling_table(variants: pd.DataFrame) -> Html:
    columns = {"spelling": "Spelling in source", "resolves_to": "Resolves to", "source_ids": "In"}
    return table(variants, columns, empty="No variant spellings found in stored texts.")


def unchecked_table(unchecked: pd.DataFrame) -> Html:
    columns = {"event_id": "Event", "source_id": "Source", "quote": "Quote (not checked)"}
    return table(unchecked, columns, empty="Every quote was checked against a stored text.")


def sources_table(facts: FactBase, events: pd.DataFrame) -> Html:
    """Every source cited by the events, with its tier and the quotes used from it."""
    used = events.groupby("source_id")["quote"].agg(lambda quotes: list(dict.fromkeys(quotes)))
    sources = facts.sources[facts.sources["source_id"].isin(used.index)]
    frame = sources.assign(
        quotes=sources["source_id"].map(lambda s: " · ".join(f"“{q}”" for q in used[s])),
        published_human=sources["published"].map(_human),
        where=[link(u) if isinstance(u, str) else "stored text only" for u in sources["url"]],
    )
    columns = {
        "source_id": "Source",
        "tier": "Tier",
        "publisher": "Publisher",
        "title": "Title",
        "published_human": "Published",
        "where": "Address",
        "quotes": "Quotes used",
    }
    return table(frame, columns, empty="No sources are cited in this selection.")
