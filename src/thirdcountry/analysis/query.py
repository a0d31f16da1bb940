"""Selecting events and agreements by country, agreement and date window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.facts import FactBase


def agreements_of_countries(facts: FactBase, iso3_codes, sending=()) -> pd.DataFrame:
    """Agreements that name any of the countries (by ISO3 code) as a party, and whose sending
    state is one of `sending` (ISO3 codes); either selection is left out when empty."""
    agreements = facts.agreements
    if iso3_codes:
        wanted = {code.lower() for code in iso3_codes}
        agreements = agreements[
            agreements["parties"].map(lambda parties: bool(wanted & set(parties)))
        ]
    if sending:
        agreements = agreements[agreements["sending"].isin({code.lower() for code in sending})]
    return agreements


def select_events(
    facts: FactBase,
    *,
    countries: list[str] | tuple[str, ...] = (),
    agreement_id: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    agreement_ids: list[str] | tuple[str, ...] = (),
    kinds: list[str] | tuple[str, ...] = (),
    text: str = "",
) -> pd.DataFrame:
    """Events that involve any of the countries (as actor or as a party to the event's agreement),
    belong to the agreement (or to any of `agreement_ids`), are of one of the `kinds`, contain
    `text` in their summary or quote (ignoring case), and may fall inside [since, until]
    (uncertain dates that overlap the window are kept). An empty selection leaves that test out."""
    events = facts.events
    mask = pd.Series(True, index=events.index)
    if countries:
        wanted = {code.lower() for code in countries}
        parties = dict(
            zip(facts.agreements["agreement_id"], facts.agreements["parties"], strict=True)
        )
        involved = [
            bool(wanted & (set(actors) | set(parties.get(agreement, ()))))
            for actors, agreement in zip(events["actors"], events["agreement_id"], strict=True)
        ]
        mask &= pd.Series(involved, index=events.index)
    if agreement_id:
        mask &= events["agreement_id"] == agreement_id
    if agreement_ids:
        mask &= events["agreement_id"].isin(set(agreement_ids))
    if kinds:
        mask &= events["kind"].astype(str).isin(set(kinds))
    if text.strip():
        needle = text.strip().casefold()
        found = [
            needle in f"{summary}\n{quote}".casefold()
            for summary, quote in zip(events["summary"], events["quote"], strict=True)
        ]
        mask &= pd.Series(found, index=events.index)
    if since is not None:
        mask &= events["latest"].isna() | (events["latest"] >= pd.Timestamp(since))
    if until is not None:
        mask &= events["earliest"].isna() | (events["earliest"] <= pd.Timestamp(until))
    selected = events[mask.fillna(False).astype(bool)]
    return selected.sort_values(["earliest", "event_id"], na_position="first", ignore_index=True)
