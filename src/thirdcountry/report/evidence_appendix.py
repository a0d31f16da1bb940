"""The Evidence appendix: one compact entry for each event, conflict, figure and source the
report's claims cite, at its stable anchor (report/citations.py), and for each key finding with
more than one piece of evidence the list of what backs it.

An entry holds what a doubting reader needs: the date at its real precision, the source with its
tier, and the source's words, verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from thirdcountry.facts import FactBase, parse_edtf
from thirdcountry.report.citations import Claim, Ref, anchor, finding_anchor
from thirdcountry.report.safe_html import Html, esc, internal_link, link

PRECISION_WORDS = {"range": "interval", "open": "open interval"}
# After a quote no stored text of its source could confirm word for word (explained once).
UNCHECKED_MARK = " †"


def ref_link(ref: Ref) -> Html:
    """The item's id, linked to its entry."""
    kind, item_id = ref
    return internal_link(anchor(kind, item_id), item_id, f"the {kind} {item_id}")


def evidence_link(claim: Claim, number: int, what: str) -> Html:
    """A claim's link to its evidence: straight to the one item, or to the list of several
    (finding_anchor). Empty for a claim without evidence."""
    if not claim.refs:
        return Html("")
    if len(claim.refs) == 1 and not claim.omitted:
        target = anchor(*claim.refs[0])
        label = f"Evidence for {what}: the {claim.refs[0][0]} {claim.refs[0][1]}"
    else:
        target = finding_anchor(number)
        label = f"Evidence for {what}: {len(claim.refs) + claim.omitted} items"
    return internal_link(target, "evidence", label)


def claim_list(claims: Sequence[Claim], css_class: str = "", what: str = "key finding") -> Html:
    """The findings as a list, each sentence followed by its evidence link."""
    attribute = f' class="{esc(css_class)}"' if css_class else ""
    items = []
    refs: list[Ref] = []
    for number, claim in enumerate(claims, start=1):
        evidence = evidence_link(claim, number, f"{what} {number}")
        after = f' <span class="tc-evidence-link">({evidence.markup})</span>' if claim.refs else ""
        items.append(f'<li class="tc-claim">{esc(claim.text)}{after}</li>')
        refs.extend(claim.refs)
    text = "\n".join(f"- {claim.text}" for claim in claims)
    return Html(f"<ul{attribute}>{''.join(items)}</ul>", text, refs=refs)


def _date_text(edtf_text: object) -> str:
    """'29 December 2004 (day)', 'March 2020 (month)'."""
    if not isinstance(edtf_text, str) or not edtf_text:
        return "date unknown"
    parsed = parse_edtf(edtf_text)
    return f"{parsed.human()} ({PRECISION_WORDS.get(parsed.precision, parsed.precision)})"


def _entry(anchor_id: str, head: str, body: str) -> str:
    return f'<p class="tc-entry" id="{anchor_id}"><b>{head}</b> {body}</p>'


def _source_part(source_id: str, tiers: dict[str, str]) -> str:
    return f"{ref_link(('source', source_id)).markup} ({esc(tiers.get(source_id, ''))})"


def _quote(text: object) -> str:
    return f"“{esc(text)}”"


def event_entries(
    event_ids: Sequence[str], facts: FactBase, unchecked: set[str], titles: dict[str, str]
) -> str:
    """Events by agreement, then date: id, date (precision), kind, agreement, source (tier) and
    the quote verbatim, marked where no stored text could confirm it word for word."""
    events = facts.events.set_index("event_id").loc[list(event_ids)].reset_index()
    events = events.assign(
        agreement_title=events["agreement_id"].map(
            lambda a: titles.get(a, "") if isinstance(a, str) else ""
        )
    ).sort_values(["agreement_title", "earliest", "event_id"], kind="stable", na_position="first")
    tiers = _tiers(facts)
    parts = []
    for row in events.itertuples(index=False):
        flag = UNCHECKED_MARK if row.event_id in unchecked else ""
        body = (
            f"{esc(_date_text(row.date))} · {esc(str(row.kind).replace('_', ' '))} · "
            f"{_source_part(row.source_id, tiers)}: {_quote(row.quote)}{esc(flag)}"
        )
        parts.append(_entry(anchor("event", row.event_id), esc(row.event_id), body))
    return "".join(parts)


def conflict_entries(conflict_ids: Sequence[str], conflicts: pd.DataFrame) -> str:
    """What disagrees, and a link to each side's event or figure entry."""
    by_id = conflicts.set_index("conflict_id")
    parts = []
    for conflict_id in conflict_ids:
        row = by_id.loc[conflict_id]
        sides = [ref_link(("event", e)).markup for e in row["event_ids"]]
        sides += [ref_link(("figure", f)).markup for f in row["figure_ids"]]
        aspect = str(row["aspect"]).replace("_", " ")
        body = f"({esc(aspect)}) {esc(row['description'])} Sides: {', '.join(sides)}. "
        body += _resolution_text(row)
        parts.append(_entry(anchor("conflict", conflict_id), esc(conflict_id), body))
    return "".join(parts)


def _resolution_text(row: pd.Series) -> str:
    """'Settled: why (settled by …).' or 'Open: the sources still disagree.'"""
    if row.get("state", "open") != "settled":
        if row.get("aspect") == "unverified":
            return "<b>Open:</b> no source settles it yet."
        return "<b>Open:</b> the sources still disagree."
    # Sides are in the appendix, so they link; a source named alone is shown by its id.
    refs = [
        ref_link((kind, item)).markup if kind != "source" else esc(item)
        for item in row.get("settled_by", ())
        for kind in [_kind_of(item, row)]
    ]
    by = f" Settled by {', '.join(refs)}." if refs else ""
    return f"<b>Settled:</b> {esc(row.get('resolution', ''))}{by}"


def _kind_of(item: str, row: pd.Series) -> str:
    """Whether a settled_by id is an event, a figure or a source of this conflict."""
    if item in tuple(row.get("figure_ids", ())):
        return "figure"
    if item in tuple(row.get("event_ids", ())):
        return "event"
    return "source"


def figure_entries(figure_ids: Sequence[str], facts: FactBase) -> str:
    """The number as the source states it, its date (precision), source (tier) and quote."""
    from thirdcountry.report.numbers_section import MEASURE_LABELS, number_text

    figures = facts.figures.set_index("figure_id")
    tiers = _tiers(facts)
    parts = []
    for figure_id in figure_ids:
        row = figures.loc[figure_id]
        number = number_text(float(row["value"]), str(row["unit"]), str(row["qualifier"]))
        measure = MEASURE_LABELS.get(str(row["measure"]), str(row["measure"]))
        body = (
            f"{esc(number)} ({esc(measure)}) · {esc(_date_text(row['date']))} · "
            f"{_source_part(row['source_id'], tiers)}: {_quote(row['quote'])}"
        )
        parts.append(_entry(anchor("figure", figure_id), esc(figure_id), body))
    return "".join(parts)


def source_entries(source_ids: Sequence[str], facts: FactBase) -> str:
    """The tier and the publisher, linked to the source's address (its title says what the
    link leads to; title and date are in the sources table beside the report)."""
    sources = facts.sources.set_index("source_id").loc[list(source_ids)].reset_index()
    parts = []
    for row in sources.sort_values("source_id").itertuples(index=False):
        publisher = (
            _titled_link(row.url, row.publisher, row.title)
            if isinstance(row.url, str)
            else f"{esc(row.publisher)} (stored text only)"
        )
        body = f"{esc(row.tier)} · {publisher}"
        parts.append(_entry(anchor("source", row.source_id), esc(row.source_id), body))
    return "".join(parts)


def _titled_link(url: str, text: object, title: object) -> str:
    """An external link whose tooltip (and PDF link description) is the document's title."""
    markup = link(url, text).markup
    if not markup.startswith("<a "):
        return markup
    return markup.replace("<a ", f'<a title="{esc(title)}" ', 1)


def findings_index(claims: Sequence[Claim], what: str = "Key finding") -> str:
    """For each finding with several pieces of evidence: its anchor and links to them all."""
    parts = []
    for number, claim in enumerate(claims, start=1):
        if len(claim.refs) < 2 and not claim.omitted:
            continue
        links = ", ".join(ref_link(ref).markup for ref in claim.refs)
        rest = ""
        if claim.omitted:
            table = f'<a href="{esc(claim.table)}" download>{esc(claim.table)}</a>'
            rest = f"; and {claim.omitted:,} more, every one in {table}"
        parts.append(
            f'<p class="tc-entry" id="{finding_anchor(number)}"><b>{esc(what)} {number}</b> '
            f"({len(claim.refs) + claim.omitted:,}): {links}{rest}</p>"
        )
    return "".join(parts)


def evidence_appendix(
    closure: dict[str, list[str]],
    facts: FactBase,
    conflicts: pd.DataFrame,
    findings: Sequence[Claim] = (),
    unchecked: set[str] | None = None,
) -> Html:
    """The appendix: what backs each key finding, then the conflicts, events, figures and
    sources the report cites — each entry at its anchor, nothing the report does not cite."""
    titles = dict(zip(facts.agreements["agreement_id"], facts.agreements["title"], strict=True))
    sections = [
        ("Behind the key findings", findings_index(findings)),
        ("Conflicts", conflict_entries(closure["conflict"], conflicts)),
        ("Events", event_entries(closure["event"], facts, unchecked or set(), titles)),
        ("Figures", figure_entries(closure["figure"], facts)),
        ("Sources", source_entries(closure["source"], facts)),
    ]
    counts = {kind: len(ids) for kind, ids in closure.items()}
    intro = (
        f"{counts['event']} events, {counts['conflict']} conflicts, {counts['figure']} figures "
        f"and {counts['source']} sources back the claims above. † after a quote: no stored text "
        "of its source was there to check it against word for word."
    )
    markup = f'<p class="tc-note">{esc(intro)}</p>' + "".join(
        f'<div class="tc-evidence tc-{title.split()[0].lower()}"><h3>{esc(title)}</h3>{body}</div>'
        for title, body in sections
        if body
    )
    return Html(markup, intro)


def _tiers(facts: FactBase) -> dict[str, str]:
    return dict(zip(facts.sources["source_id"], facts.sources["tier"].astype(str), strict=True))
