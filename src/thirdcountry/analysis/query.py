"""Selecting events and agreements by country, agreement and date window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from thirdcountry.facts import FactBase


def agreements_of_countries(facts: FactBase, iso3_codes) -> pd.DataFrame:
    """Agreements that name any of the countries (by ISO3 code) as a party; all when none given."""
    if not iso3_codes:
        return facts.agreements
    wanted = {code.lower() for code in iso3_codes}
    mask = facts.agreements["parties"].map(lambda parties: bool(wanted & set(parties)))
    return facts.agreements[mask]


def agreements_sent_by(agreements: pd.DataFrame, codes) -> pd.DataFrame:
    """The agreements whose sending party has one of the codes (ISO3, or EU); all when none."""
    if not codes:
        return agreements
    wanted = {code.lower() for code in codes}
    return agreements[agreements["sending"].isin(wanted)]


def select_events(
    facts: FactBase,
    *,
    countries: list[str] | tuple[str, ...] = (),
    agreement_id: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> pd.DataFrame:
    """Events that involve any of the countries (as actor or as a party to the event's agreement),
    belong to the agreement, and may fall inside [since, until] (uncertain dates that overlap the
    window are kept)."""
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
    if since is not None:
        mask &= events["latest"].isna() | (events["latest"] >= pd.Timestamp(since))
    if until is not None:
        mask &= events["earliest"].isna() | (events["earliest"] <= pd.Timestamp(until))
    selected = events[mask.fillna(False).astype(bool)]
    return selected.sort_values(["earliest", "event_id"], na_position="first", ignore_index=True)
