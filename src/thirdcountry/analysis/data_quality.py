"""What the fact base itself says about its sources: spelling variants and unchecked quotes."""

from __future__ import annotations

import re

import pandas as pd

from thirdcountry.facts import FactBase
from thirdcountry.facts.quotes import normalise


def spelling_variants(facts: FactBase) -> pd.DataFrame:
    """Every alias that appears in a stored source text, with the entity it resolves to."""
    # Sources that store the same text are searched once.
    texts: dict[str, list[str]] = {}
    for source_id, text in facts.source_texts.items():
        texts.setdefault(normalise(text), []).append(source_id)
    rows = []
    for entity in facts.entities.itertuples():
        for alias in entity.aliases:
            pattern = re.compile(rf"(?<!\w){re.escape(normalise(alias))}(?!\w)")
            found_in = tuple(
                sorted(sid for text, sids in texts.items() if pattern.search(text) for sid in sids)
            )
            if found_in and alias != entity.name:
                rows.append(
                    {
                        "spelling": alias,
                        "resolves_to": entity.name,
                        "entity_id": entity.entity_id,
                        "source_ids": found_in,
                    }
                )
    columns = ["spelling", "resolves_to", "entity_id", "source_ids"]
    return pd.DataFrame(rows, columns=columns)


def unchecked_quotes(facts: FactBase) -> pd.DataFrame:
    """Events whose quote could not be checked, because their source has no stored text."""
    stored = set(facts.source_texts)
    mask = ~facts.events["source_id"].isin(stored)
    return facts.events.loc[mask, ["event_id", "source_id", "quote"]].reset_index(drop=True)
