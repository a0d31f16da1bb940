"""Domain rules that hold across rows and tables, checked after the schema rules pass."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, pairwise

import pandas as pd

from thirdcountry.facts.countries import is_country_code
from thirdcountry.facts.dates import parse_edtf
from thirdcountry.facts.fact_base import FactBase
from thirdcountry.facts.numbers import states_number
from thirdcountry.facts.problems import Problem
from thirdcountry.facts.quotes import quote_in_text
from thirdcountry.facts.schema import (
    COVERAGE_RESULTS,
    INDEPENDENT_RESULTS,
    MONEY_MEASURES,
    PEOPLE_UNIT,
    STEP_OF_KIND,
    STOCK_MEASURES,
)
from thirdcountry.facts.units import is_currency
from thirdcountry.facts.wording import did_you_mean, with_article

# (earlier, later): a `later` step can never be over before the `earlier` step has begun.
# Entity kinds that can send or receive under an agreement.
PARTY_KINDS = ("country", "organization")

LIFECYCLE_ORDER: tuple[tuple[str, str], ...] = (
    ("proposed", "signed"),
    ("negotiating", "signed"),
    ("signed", "in_force"),
    ("signed", "implemented"),
    ("in_force", "implemented"),
    ("signed", "paused"),
    ("signed", "suspended"),
    ("signed", "termination_noticed"),
    ("signed", "terminated"),
    ("in_force", "terminated"),
    ("termination_noticed", "terminated"),
)


def domain_problems(facts: FactBase) -> list[Problem]:
    checks = (
        _references,
        _aliases,
        _countries,
        _source_locations,
        _quotes,
        _lifecycle_needs_agreement,
        _agreement_parties,
        _lifecycle_order,
        _events_not_after_their_source,
        _conflict_sides,
        _conflict_resolutions,
        _figure_quotes,
        _figure_units,
        _figures_not_after_their_source,
        _stocks_are_people_held,
        _cumulative_counts_do_not_fall,
        _verifications_name_another_source,
        _verifications_check_one_thing,
        _context_events_not_after_their_source,
        _totals_cover_several_agreements,
        _total_quotes_and_units,
    )
    return [problem for check in checks for problem in check(facts)]


def _references(facts: FactBase) -> Iterator[Problem]:
    for name, table in facts.schema.items():
        if name not in (
            "sources", "entities", "agreements", "events", "conflicts", "figures", "verifications",
            "context_events", "totals",
        ):  # fmt: skip
            continue
        frame = facts.table(name)
        for column, target, target_column in table.references:
            present = set(facts.table(target)[target_column].dropna())
            known = present | facts.rejected_keys.get(target, set())
            target_file = facts.schema[target].path
            for line, value in zip(frame["csv_line"], frame[column], strict=True):
                values = value if isinstance(value, tuple) else ([] if pd.isna(value) else [value])
                for item in values:
                    if item not in known:
                        message = (
                            f"{item!r} is not {with_article(target_column)} in {target_file}"
                            + did_you_mean(item, sorted(present))
                        )
                        yield Problem(facts.shown(name), int(line), column, message)


def _aliases(facts: FactBase) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    for row in facts.entities.itertuples():
        owner.setdefault(row.name.casefold(), row.entity_id)
    for row in facts.entities.itertuples():
        for alias in row.aliases:
            key = alias.casefold()
            first = owner.setdefault(key, row.entity_id)
            if first != row.entity_id:
                message = f"alias {alias!r} also belongs to {first!r}"
                yield Problem(facts.shown("entities"), row.csv_line, "aliases", message)


def _countries(facts: FactBase) -> Iterator[Problem]:
    shown = facts.shown("entities")
    for row in facts.entities.itertuples():
        has_code = not pd.isna(row.iso3)
        if row.kind == "country":
            if not has_code:
                yield Problem(shown, row.csv_line, "iso3", "is required for a country")
            elif not is_country_code(row.iso3):
                message = f"{row.iso3!r} is not an ISO 3166-1 alpha-3 code"
                yield Problem(shown, row.csv_line, "iso3", message)
            elif row.entity_id != row.iso3.lower():
                message = (
                    f"a country's entity_id must be its iso3 in lowercase ({row.iso3.lower()!r})"
                )
                yield Problem(shown, row.csv_line, "entity_id", message)
        elif has_code:
            message = f"only countries have an iso3 code; this is {with_article(str(row.kind))}"
            yield Problem(shown, row.csv_line, "iso3", message)


def _source_locations(facts: FactBase) -> Iterator[Problem]:
    for row in facts.sources.itertuples():
        if pd.isna(row.url) and pd.isna(row.text_file):
            message = "a source needs a url or a stored text_file"
            yield Problem(facts.shown("sources"), row.csv_line, "url", message)


def _quotes(facts: FactBase) -> Iterator[Problem]:
    for row in facts.events.itertuples():
        text = facts.source_texts.get(row.source_id)
        if text is not None and not quote_in_text(row.quote, text):
            excerpt = row.quote if len(row.quote) <= 60 else row.quote[:57] + "..."
            message = f"quote {excerpt!r} is not in the stored text of {row.source_id!r}"
            yield Problem(facts.shown("events"), row.csv_line, "quote", message)


def _lifecycle_needs_agreement(facts: FactBase) -> Iterator[Problem]:
    for row in facts.events.itertuples():
        if row.kind in STEP_OF_KIND and pd.isna(row.agreement_id):
            message = f"{with_article(str(row.kind))} event must name its agreement"
            yield Problem(facts.shown("events"), row.csv_line, "agreement_id", message)


def _agreement_parties(facts: FactBase) -> Iterator[Problem]:
    """Sending and receiving sides are parties, and states or organisations (the EU), not people."""
    kinds = dict(zip(facts.entities["entity_id"], facts.entities["kind"].astype(str), strict=True))
    for row in facts.agreements.itertuples():
        for column in ("sending", "receiving"):
            value = getattr(row, column)
            if value not in row.parties:
                message = f"{value!r} is not one of the agreement's parties"
                yield Problem(facts.shown("agreements"), row.csv_line, column, message)
            elif value in kinds and kinds[value] not in PARTY_KINDS:
                kind = with_article(kinds[value])
                message = f"{value!r} is not a country or an organisation (it is {kind})"
                yield Problem(facts.shown("agreements"), row.csv_line, column, message)


def _lifecycle_order(facts: FactBase) -> Iterator[Problem]:
    """A step may not be certainly over before an earlier step has certainly begun.

    Uncertain intervals may overlap; only events from confirmed or reported evidence count.
    """
    order = set(LIFECYCLE_ORDER)
    events = facts.events[facts.events["is_lifecycle"] & (facts.events["certainty"] != "planned")]
    by_agreement: dict[str, list] = {}  # grouped in plain Python: a pandas group each was slow
    for row in events.itertuples():
        if not pd.isna(row.agreement_id):
            by_agreement.setdefault(row.agreement_id, []).append(row)
    for rows in by_agreement.values():
        for a, b in combinations(rows, 2):
            for earlier, later in ((a, b), (b, a)):
                if (str(earlier.step), str(later.step)) not in order:
                    continue
                if pd.isna(later.latest) or pd.isna(earlier.earliest):
                    continue
                if later.latest < earlier.earliest:
                    message = (
                        f"{later.kind} ({later.date}) is before {earlier.kind} "
                        f"({earlier.date}, line {earlier.csv_line}) of {later.agreement_id!r}"
                    )
                    yield Problem(facts.shown("events"), later.csv_line, "date", message)


def _events_not_after_their_source(facts: FactBase) -> Iterator[Problem]:
    yield from _not_after_source(facts, "events", "event")


def _figures_not_after_their_source(facts: FactBase) -> Iterator[Problem]:
    yield from _not_after_source(facts, "figures", "figure")


def _context_events_not_after_their_source(facts: FactBase) -> Iterator[Problem]:
    yield from _not_after_source(facts, "context_events", "context event")


def _not_after_source(facts: FactBase, table: str, what: str) -> Iterator[Problem]:
    published = {
        row.source_id: parse_edtf(row.published).latest for row in facts.sources.itertuples()
    }
    for row in facts.table(table).itertuples():
        limit = published.get(row.source_id)
        if limit is None or pd.isna(row.earliest) or row.certainty == "planned":
            continue
        if row.earliest.date() > limit:
            message = (
                f"{row.date} is after its source {row.source_id!r} was published; "
                f"mark a future {what} as planned"
            )
            yield Problem(facts.shown(table), row.csv_line, "date", message)


def _conflict_sides(facts: FactBase) -> Iterator[Problem]:
    """A disagreement needs two distinct events or figures; an unverified fact may have one.

    A disagreement about a value is between figures; any other is between events.
    """
    for row in facts.conflicts.itertuples():
        shown, line = facts.shown("conflicts"), row.csv_line
        sides = {"event_ids": row.event_ids, "figure_ids": row.figure_ids}
        repeated_any = False
        for column, ids in sides.items():
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                repeated_any = True
                message = f"lists {', '.join(map(repr, repeated))} more than once"
                yield Problem(shown, line, column, message)
        if repeated_any:
            continue
        column, noun = (
            ("figure_ids", "figures") if row.aspect == "value" else ("event_ids", "events")
        )
        if not row.event_ids and not row.figure_ids:
            yield Problem(shown, line, "event_ids", "names no event and no figure")
        elif row.aspect != "unverified" and len(sides[column]) < 2:
            message = f"a conflict about {row.aspect} needs the {noun} on both sides"
            yield Problem(shown, line, column, message)


def _conflict_resolutions(facts: FactBase) -> Iterator[Problem]:
    """A settled conflict says what settles it (known event, figure or source ids) and why; an
    open one is settled by nothing."""
    if "state" not in facts.conflicts.columns:
        return
    tables = {"events": "event_id", "figures": "figure_id", "sources": "source_id"}
    known: set[str] = set()
    for table, key in tables.items():
        known |= set(facts.table(table)[key]) | facts.rejected_keys.get(table, set())
    shown = facts.shown("conflicts")
    for row in facts.conflicts.itertuples():
        settled_by = tuple(getattr(row, "settled_by", ()) or ())
        reason = getattr(row, "resolution", pd.NA)
        if row.state == "settled":
            if not settled_by:
                message = "a settled conflict names the event, figure or source ids that settle it"
                yield Problem(shown, row.csv_line, "settled_by", message)
            if pd.isna(reason):
                message = "a settled conflict says why in its resolution"
                yield Problem(shown, row.csv_line, "resolution", message)
        elif settled_by:
            message = "only a settled conflict names what settles it; set state to 'settled'"
            yield Problem(shown, row.csv_line, "settled_by", message)
        for item in settled_by:
            if item not in known:
                message = f"{item!r} is not an event_id, figure_id or source_id" + did_you_mean(
                    item, sorted(known)
                )
                yield Problem(shown, row.csv_line, "settled_by", message)


def _figure_quotes(facts: FactBase) -> Iterator[Problem]:
    """A figure's quote states its number, and is in the source's stored text where kept."""
    for row in facts.figures.itertuples():
        if not states_number(row.quote, row.value):
            message = f"the quote does not state {_plain(row.value)} (in digits or in words)"
            yield Problem(facts.shown("figures"), row.csv_line, "quote", message)
        text = facts.source_texts.get(row.source_id)
        if text is not None and not quote_in_text(row.quote, text):
            excerpt = row.quote if len(row.quote) <= 60 else row.quote[:57] + "..."
            message = f"quote {excerpt!r} is not in the stored text of {row.source_id!r}"
            yield Problem(facts.shown("figures"), row.csv_line, "quote", message)


def _figure_units(facts: FactBase) -> Iterator[Problem]:
    """Money is in an ISO 4217 currency; every other measure counts people."""
    for row in facts.figures.itertuples():
        is_money = row.measure in MONEY_MEASURES
        if row.unit == PEOPLE_UNIT:
            if is_money:
                message = f"a {row.measure} is money: its unit is a currency code such as USD"
                yield Problem(facts.shown("figures"), row.csv_line, "unit", message)
        elif not is_currency(row.unit):
            message = f"{row.unit!r} is neither 'people' nor an ISO 4217 currency code"
            yield Problem(facts.shown("figures"), row.csv_line, "unit", message)
        elif not is_money:
            message = f"a {row.measure} counts people: its unit is 'people', not {row.unit!r}"
            yield Problem(facts.shown("figures"), row.csv_line, "unit", message)


def _stocks_are_people_held(facts: FactBase) -> Iterator[Problem]:
    """A stock (the number held on a date) is what people_held counts, and nothing else is."""
    for row in facts.figures.itertuples():
        is_stock_measure = row.measure in STOCK_MEASURES
        if is_stock_measure and row.basis != "stock":
            message = f"a {row.measure} figure is a number held on its date: its basis is 'stock'"
            yield Problem(facts.shown("figures"), row.csv_line, "basis", message)
        elif row.basis == "stock" and not is_stock_measure:
            message = (
                f"basis 'stock' is for {', '.join(STOCK_MEASURES)} only; a {row.measure} is "
                "cumulative, in_period or single_event"
            )
            yield Problem(facts.shown("figures"), row.csv_line, "basis", message)


def _cumulative_counts_do_not_fall(facts: FactBase) -> Iterator[Problem]:
    """Within one source, a running total never falls over time unless the note says why."""
    cumulative = facts.figures[
        (facts.figures["basis"] == "cumulative")
        & facts.figures["qualifier"].isin(["exact", "approximate", "at_least"])
    ]
    # Grouped in plain Python: a pandas group each cost seconds on a large fact base.
    groups: dict[tuple, list] = {}
    for row in cumulative.itertuples():
        key = tuple(
            None if pd.isna(value) else str(value)
            for value in (row.agreement_id, row.measure, row.unit, row.source_id)
        )
        groups.setdefault(key, []).append(row)
    for group in groups.values():
        rows = sorted(group, key=lambda r: (r.earliest, r.csv_line))
        for earlier, later in pairwise(rows):
            if pd.isna(earlier.latest) or pd.isna(later.earliest):
                continue
            falls = later.value < earlier.value and later.earliest > earlier.latest
            if falls and pd.isna(later.note):
                message = (
                    f"{_plain(later.value)} on {later.date} is less than {_plain(earlier.value)} "
                    f"on {earlier.date} (line {earlier.csv_line}) from the same source; a "
                    "cumulative count cannot fall: fix it or say why in the note"
                )
                yield Problem(facts.shown("figures"), later.csv_line, "value", message)


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _verifications_name_another_source(facts: FactBase) -> Iterator[Problem]:
    """A check that claims more than the event's own source must name another source."""
    own = dict(zip(facts.events["event_id"], facts.events["source_id"], strict=True))
    for row in facts.verifications.itertuples():
        claims_another = row.result in INDEPENDENT_RESULTS and row.event_id in own
        if claims_another and not set(row.source_ids) - {own[row.event_id]}:
            message = (
                f"result {row.result!r} needs a source besides the event's own "
                f"({own[row.event_id]!r}); use 'single_source' where there is none"
            )
            yield Problem(facts.shown("verifications"), row.csv_line, "source_ids", message)


def _verifications_check_one_thing(facts: FactBase) -> Iterator[Problem]:
    """A row checks one event, or (with a coverage result) one whole agreement: never both."""
    if "verifications" not in facts.schema:
        return
    shown = facts.shown("verifications")
    for row in facts.verifications.itertuples():
        has_event = not pd.isna(row.event_id)
        has_agreement = not pd.isna(row.agreement_id)
        coverage = row.result in COVERAGE_RESULTS
        if has_event == has_agreement:
            message = "give either event_id (an event's check) or agreement_id (a coverage check)"
            yield Problem(shown, row.csv_line, "event_id" if has_event else "agreement_id", message)
        elif coverage and has_event:
            message = (
                f"result {row.result!r} is for a coverage check of an agreement: give agreement_id"
            )
            yield Problem(shown, row.csv_line, "result", message)
        elif has_agreement and not coverage:
            message = (
                f"an agreement's coverage check ends in {' or '.join(COVERAGE_RESULTS)}, "
                f"not {row.result!r}"
            )
            yield Problem(shown, row.csv_line, "result", message)


def _totals_cover_several_agreements(facts: FactBase) -> Iterator[Problem]:
    """A total names at least two agreements; one agreement's number belongs in figures.csv."""
    for row in facts.totals.itertuples():
        if len(set(row.agreement_ids)) < 2:
            message = "a total covers at least two agreements; one agreement's number is a figure"
            yield Problem(facts.shown("totals"), row.csv_line, "agreement_ids", message)


def _total_quotes_and_units(facts: FactBase) -> Iterator[Problem]:
    """As for figures: the quote states the number, and money is in a currency."""
    published = {
        row.source_id: parse_edtf(row.published).latest for row in facts.sources.itertuples()
    }
    for row in facts.totals.itertuples():
        shown = facts.shown("totals")
        if not states_number(row.quote, row.value):
            message = f"the quote does not state {_plain(row.value)} (in digits or in words)"
            yield Problem(shown, row.csv_line, "quote", message)
        text = facts.source_texts.get(row.source_id)
        if text is not None and not quote_in_text(row.quote, text):
            yield Problem(
                shown,
                row.csv_line,
                "quote",
                f"quote is not in the stored text of {row.source_id!r}",
            )
        is_money = row.measure in MONEY_MEASURES
        if (row.unit == PEOPLE_UNIT) == is_money or (is_money and not is_currency(row.unit)):
            message = f"a {row.measure} is counted in {'a currency' if is_money else 'people'}"
            yield Problem(shown, row.csv_line, "unit", message)
        limit = published.get(row.source_id)
        known = limit is not None and pd.notna(row.earliest) and row.certainty != "planned"
        if known and row.earliest.date() > limit:
            message = f"{row.date} is after its source {row.source_id!r} was published"
            yield Problem(shown, row.csv_line, "date", message)
