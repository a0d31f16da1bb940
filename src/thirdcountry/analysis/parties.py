"""The parties the fact base has agreements for, by code: what a plan's `from-data` expands to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase

# A sending party needs at least this many agreements for a report of its own: fewer make a
# report that the world overview already shows in full.
SENDING_MINIMUM = 3


def party_countries(facts: FactBase) -> list[str]:
    """ISO3 codes of every country that is a party to an agreement, in alphabetical order."""
    entities = facts.entities
    countries = entities[entities["kind"] == "country"].set_index("entity_id")["iso3"]
    parties = {party for parties in facts.agreements["parties"] for party in parties}
    return sorted({str(countries[p]) for p in parties if p in countries.index})


def sending_parties(facts: FactBase, minimum: int = SENDING_MINIMUM) -> list[str]:
    """Codes of the sending parties (countries or organisations such as the EU) with at least
    `minimum` agreements, in alphabetical order."""
    counts = facts.agreements["sending"].value_counts()
    return sorted(party_code(facts, party) for party, n in counts.items() if n >= minimum)


def party_code(facts: FactBase, entity_id: str) -> str:
    """A party's code: a country's ISO3, else its entity id in capitals (EU)."""
    iso3 = facts.entities.set_index("entity_id")["iso3"].get(entity_id)
    return str(iso3) if isinstance(iso3, str) and iso3 else entity_id.upper()
