"""Report tables: analysis results with readable headers, human dates and escaped text."""

from __future__ import annotations

import pandas as pd

from thirdcountry.analysis.coverage import checked_to
from thirdcountry.facts import FactBase, parse_edtf
from thirdcountry.report.citations import Ref, anchor
from thirdcountry.report.long_tables import long_table
from thirdcountry.report.page_links import linked_titles
from thirdcountry.report.palette import NO_STATUS, status_label
from thirdcountry.report.safe_html import REFS_COLUMN, Html, internal_link, link, table


def _table(frame, columns, name: str | None, what: str, **options) -> Html:
    """A whole table, or with a name its top rows, a count and the full table as CSV."""
    if name is None:
        options.pop("csv_columns", None)
        options.pop("shown", None)
        return table(frame, columns, **options)
    return long_table(frame, columns, name, what=what, **options)


STATUS_ROWS = 8  # the status table shows the latest-moving agreements; the board shows all


def readable_status(status: str) -> str:
    """The chart's wording: 'in force', 'no record or negotiating'."""
    return status_label(status)


def _sort_date(edtf_text: object) -> str:
    """An EDTF date's earliest day as ISO text ('' when unknown), for sorting."""
    if not isinstance(edtf_text, str) or not edtf_text:
        return ""
    parsed = parse_edtf(edtf_text)
    day = parsed.earliest or parsed.latest
    return day.isoformat() if day else ""


def _human(edtf_text: object) -> str:
    if not isinstance(edtf_text, str) or not edtf_text:
        return ""
    return parse_edtf(edtf_text).human()


def _day(day) -> str:
    """A day as the tables write dates: '26 January 2025'."""
    return _human(day.isoformat())


def linked(text: str, refs: tuple[Ref, ...] | None, what: str) -> Html | str:
    """A claim's text linked to its first piece of evidence (the rest is gathered as refs)."""
    if not refs:
        return text
    kind, item_id = refs[0]
    return internal_link(anchor(kind, item_id), text, f"Evidence for {what}: the {kind} {item_id}")


def status_table(
    status: pd.DataFrame,
    facts: FactBase,
    name: str | None = None,
    refs: dict[str, tuple[Ref, ...]] | None = None,
    link_pages: bool = False,
) -> Html:
    """Each agreement's status, latest-moving first; with `refs` (report/citations.status_refs)
    each status cell links to the step that set it, or to the conflict where sources disagree;
    with link_pages each title links to the agreement's page (report/page_links.py)."""
    names = dict(zip(facts.entities["entity_id"], facts.entities["name"], strict=True))
    # The agreements whose status moved last come first: what a reader looks for.
    status = status.assign(_since=status["since"].map(_sort_date))
    status = status.sort_values("_since", ascending=False, kind="stable")
    reached = checked_to(facts)  # how far each agreement was checked (analysis/coverage.py)
    frame = status.assign(
        status_text=[
            f"{readable_status(text)} (not confirmed since {_day(stale)})"
            if stale
            else readable_status(text)
            for text, stale in zip(status["status"], status["not_confirmed_since"], strict=True)
        ],
        since_text=status["since"].map(_human),
        evidence_text=status["last_evidence"].map(lambda day: _day(day) if day else NO_STATUS),
        checked_text=[_day(reached[a]) if a in reached else NO_STATUS for a in status.agreement_id],
        disputed_text=status["disputed"].map({True: "disputed", False: ""}),
        parties=status["sending"].map(names) + " → " + status["receiving"].map(names),
    )
    if refs is not None:
        row_refs = [refs.get(a, ()) for a in frame["agreement_id"]]
        frame[REFS_COLUMN] = row_refs
        frame["status_text"] = [
            linked(text, r, f"the status of {title}")
            for text, r, title in zip(frame["status_text"], row_refs, frame["title"], strict=True)
        ]
    if link_pages:
        frame = linked_titles(frame)
    columns = {
        "title": "Agreement",
        "parties": "Sends → receives",
        "status_text": "Status",
        "since_text": "Since",
        "evidence_text": "Last evidence",
        "checked_text": "Checked to",
        "disputed_text": "Sources disagree",
    }
    empty = "No agreements match this selection."
    return _table(
        frame,
        columns,
        name,
        "agreements",
        shown=STATUS_ROWS,
        empty=empty,
        claim_column="status_text",
    )


def steps_table(
    facts: FactBase, steps: pd.DataFrame, name: str | None = None, link_pages: bool = False
) -> Html:
    """Each lifecycle step of each agreement with its date, precision and sources; with
    link_pages each agreement's title links to its page (report/page_links.py)."""
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
    if link_pages:
        frame = linked_titles(frame, "agreement")
    columns = {
        "agreement": "Agreement",
        "step_text": "Step",
        "date_human": "Date",
        "precision": "Precision",
        "sources": "Sources",
        "disputed_text": "Conflicting evidence",
    }
    empty = "No agreement steps match this selection."
    return _table(frame, columns, name, "steps", empty=empty, group_first=True)


def events_table(
    events: pd.DataFrame,
    empty: str = "No events match this selection.",
    verified: dict | None = None,
    name: str | None = None,
    link_evidence: bool = False,
) -> Html:
    """Events with their date, kind, summary, certainty and source; with `verified` (event id →
    day, from analysis.last_verified) also the day each was last verified; with link_evidence
    each summary links to the event's evidence entry (#event-<id>)."""
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
    if link_evidence and not frame.empty:
        frame[REFS_COLUMN] = [(("event", e),) for e in frame["event_id"]]
        frame["summary"] = [
            linked(str(text), (("event", e),), "this event")
            for text, e in zip(frame["summary"], frame["event_id"], strict=True)
        ]
    claim = "summary" if link_evidence else None
    return _table(frame, columns, name, "events", empty=empty, claim_column=claim)


def transitions_table(
    transitions: pd.DataFrame,
    name: str | None = None,
    refs: dict[str, tuple[Ref, ...]] | None = None,
) -> Html:
    """Status changes; with `refs` (report/citations.status_refs) each new status links to the
    step that set it."""
    dates = transitions["since"] if "since" in transitions else pd.Series("", transitions.index)
    frame = transitions.assign(
        before_text=transitions["before"].map(readable_status),
        after_text=transitions["after"].map(readable_status),
        date_human=dates.map(lambda d: _human(d) if d else "date unknown"),
    )
    claim = None
    if refs is not None and not frame.empty:
        row_refs = [refs.get(a, ()) for a in frame["agreement_id"]]
        frame[REFS_COLUMN] = row_refs
        frame["after_text"] = [
            linked(text, r, f"the new status of {title}")
            for text, r, title in zip(frame["after_text"], row_refs, frame["title"], strict=True)
        ]
        claim = "after_text"
    columns = {"title": "Agreement", "before_text": "Before", "after_text": "After"}
    if "since" in transitions:  # the date of the step that made the change, first
        columns = {"date_human": "Date", **columns}
    empty = "No agreement changed status in this period."
    return _table(frame, columns, name, "status changes", empty=empty, claim_column=claim)


def conflicts_table(conflicts: pd.DataFrame, sides: pd.DataFrame, name: str | None = None) -> Html:
    """One row per side of each conflict: what each source says, verbatim (grouped by conflict)."""
    merged = sides.merge(conflicts[["conflict_id", "aspect"]], on="conflict_id")
    merged = merged.assign(date_human=merged["date"].map(_human))
    columns = {
        "conflict_id": "Conflict",
        "date_human": "Date given",
        "source_id": "Source",
        "tier": "Tier",
        "quote": "Source says (verbatim)",
    }
    empty = "No conflicts between sources in this selection."
    return _table(merged, columns, name, "sides", empty=empty, group_first=True)


def conflict_summaries(conflicts: pd.DataFrame, name: str | None = None) -> Html:
    """One row per conflict: what disagrees and, once, how to read it."""
    if conflicts.empty:  # conflicts_table, shown next, says there are none
        return Html("")
    columns = {
        "conflict_id": "Conflict",
        "origin": "Found by",
        "description": "What disagrees",
        "explanation": "How to read it",
    }
    frame = conflicts.assign(
        origin=conflicts["origin"].map({"declared": "editors", "detected": "date check"})
    )
    empty = "No conflicts between sources in this selection."
    return _table(frame, columns, name, "conflicts", empty=empty)


def spelling_table(variants: pd.DataFrame, name: str | None = None) -> Html:
    columns = {"spelling": "Spelling in source", "resolves_to": "Resolves to", "sources": "In"}
    # A spelling found in many sources names the first few; the CSV names them all.
    variants = variants.assign(
        sources=variants["source_ids"].map(
            lambda ids: (
                ", ".join(ids) if len(ids) <= 4 else f"{', '.join(ids[:3])} and {len(ids) - 3} more"
            )
        )
    )
    empty = "No variant spellings found in stored texts."
    csv_columns = {**columns, "source_ids": "In"}
    del csv_columns["sources"]
    return _table(variants, columns, name, "spellings", empty=empty, csv_columns=csv_columns)


def unchecked_table(unchecked: pd.DataFrame, name: str | None = None) -> Html:
    columns = {"event_id": "Event", "source_id": "Source", "quote": "Quote (not checked)"}
    empty = "Every quote was checked against a stored text."
    return _table(unchecked, columns, name, "quotes", empty=empty)


def sources_table(facts: FactBase, events: pd.DataFrame, name: str | None = None) -> Html:
    """Every source cited by the events, with its tier and how many quotes are used from it."""
    used = events.groupby("source_id")["quote"].agg(lambda quotes: len(dict.fromkeys(quotes)))
    sources = facts.sources[facts.sources["source_id"].isin(used.index)]
    frame = sources.assign(
        quote_count=sources["source_id"].map(used),
        published_human=sources["published"].map(_human),
        # The title links to the source's address: one column fewer, the same information.
        linked_title=[
            link(u, t) if isinstance(u, str) else f"{t} (stored text only)"
            for u, t in zip(sources["url"], sources["title"], strict=True)
        ],
    )
    columns = {
        "source_id": "Source",
        "tier": "Tier",
        "publisher": "Publisher",
        "linked_title": "Title (linked to the source)",
        "published_human": "Published",
        "quote_count": "Quotes",
    }
    empty = "No sources are cited in this selection."
    csv_columns = {**columns, "title": "Title", "url": "Address"}
    del csv_columns["linked_title"]
    return _table(frame, columns, name, "sources", empty=empty, csv_columns=csv_columns)


def quotes_table(events: pd.DataFrame, name: str | None = None) -> Html:
    """Every verbatim quote used, grouped by source: full width, so a quote reads as prose."""
    quotes = events.drop_duplicates(["source_id", "quote"]).sort_values(
        ["source_id", "earliest", "event_id"], kind="stable"
    )
    frame = quotes.assign(date_human=quotes["date"].map(_human))
    columns = {"source_id": "Source", "date_human": "Event date", "quote": "Quote (verbatim)"}
    empty = "No quotes are used in this selection."
    return _table(frame, columns, name, "quotes", empty=empty, group_first=True)


def events_quotes_table(
    events: pd.DataFrame,
    facts: FactBase,
    empty: str = "No events match this selection.",
    with_agreement: bool = True,
) -> Html:
    """Each event with what its source says, verbatim, and a link to the source (and without
    the agreement's column on a page about one agreement)."""
    titles = dict(zip(facts.agreements["agreement_id"], facts.agreements["title"], strict=True))
    urls = dict(zip(facts.sources["source_id"], facts.sources["url"], strict=True))
    frame = events.assign(
        date_human=events["date"].map(_human),
        kind_text=events["kind"].astype(str),
        agreement=events["agreement_id"].map(titles),
        quote_text=events["quote"].map(lambda quote: f"“{quote}”"),
        source=[link(urls.get(source_id), source_id) for source_id in events["source_id"]],
    )
    columns = {
        "date_human": "Date",
        "kind_text": "Kind",
        "agreement": "Agreement",
        "summary": "What happened (our summary)",
        "quote_text": "Source says (verbatim)",
        "certainty": "Certainty",
        "source": "Source",
    }
    if not with_agreement:
        del columns["agreement"]
    return table(frame, columns, empty=empty)


def step_evidence_table(facts: FactBase, steps: pd.DataFrame) -> Html:
    """Every event behind each lifecycle step: the one that sets its date, those that narrow it,
    and those that disagree, each with its source's words."""
    events = facts.events.set_index("event_id")
    tiers = dict(zip(facts.sources["source_id"], facts.sources["tier"].astype(str), strict=True))
    urls = dict(zip(facts.sources["source_id"], facts.sources["url"], strict=True))
    rows = []
    for step in steps.sort_values("rank").itertuples():
        roles = [(e, "agrees") for e in step.event_ids if e != step.best_event_id]
        roles = [(step.best_event_id, "sets the date"), *roles]
        roles += [(e, "disagrees") for e in step.conflicting_event_ids]
        for event_id, role in roles:
            event = events.loc[event_id]
            rows.append(
                {
                    "step_text": readable_status(step.step),
                    "step_date": _human(step.date_text),
                    "role": role,
                    "event_date": _human(event["date"]),
                    "quote_text": f"“{event['quote']}”",
                    "source": link(urls.get(event["source_id"]), event["source_id"]),
                    "tier": tiers[event["source_id"]],
                }
            )
    columns = {
        "step_text": "Step",
        "step_date": "Date",
        "role": "Evidence",
        "event_date": "Source's date",
        "quote_text": "Source says (verbatim)",
        "source": "Source",
        "tier": "Tier",
    }
    frame = pd.DataFrame(rows, columns=list(columns))
    return table(frame, columns, empty="No lifecycle step is on record.", group_first=True)
