"""Which agreement a drafted event belongs to, from the countries in the sentence and the story.

- The receiving countries are those the sentence names, less countries named only as context
  ('joining Uganda, Rwanda and South Sudan', 'following in the footsteps of Panama') or as
  someone's nationality ('El Salvador citizen'). A sentence that names none ('the eight arrived
  on Saturday') takes the story's main receiving country: the one it names most.
- The sending side is the sending country the sentence names (Denmark, Australia, Italy...),
  else the story's, else the United States.
- One fitting agreement is linked. Of several, the most recent one in force on the event's date
  (none terminated or suspended by then) is linked, and the others are named in the note.
- None fits, or every fitting one was signed long before a signing the sentence reports: a new
  agreement is proposed, and later sentences about the same parties link to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from thirdcountry.facts.load import FactBase
from thirdcountry.facts.schema import LIFECYCLE

AGREEMENT_WORDS = re.compile(
    r"\b(?:deal|deals|agreement|agreements|arrangement|treaty|treaties|accord|pact|protocol|plan"
    r"|mou|memorandum)\b",
    re.IGNORECASE,
)
_PAST_AGREEMENT = re.compile(
    r"\bfirst Trump administration\b|\bformer\b|\bprevious\b|\bit had\b|\bwas never\b"
    r"|\bultimately\b|\bwere suspended\b|\bentered into force\b|\bcreated\b",
    re.IGNORECASE,
)
_CONTEXT_CUE = re.compile(
    r"\b(?:joining|join|following in the footsteps of|like|such as|including|other countries"
    r"|as did|similar (?:deals|agreements) with|border with|borders with)\b",
    re.IGNORECASE,
)
_NATIONALITY_AFTER = re.compile(r"^\s*(?:citizens?|nationals?|natives?|-born)\b", re.IGNORECASE)
_NATIONALITY_BEFORE = re.compile(
    r"\b(?:citizens? of|nationals? of|natives? of"
    r"|(?:individuals|people|migrants|nationals|citizens|deportees|men|women|families|children"
    r"|refugees|asylum[- ]seekers) from(?:\s+(?:countries|nations|places)\s+(?:including|such as"
    r"|like))?(?:\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*,?)*(?:\s+and)?)"
    r"\s*$"
)
# 'the agreement', 'this deal', 'the new pact': the story's own agreement, even unnamed; 'one
# Safe Third Country Agreement' or 'such deals' are not.
_DEFINITE_AGREEMENT = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:[\w“”\"'-]+\s+){0,4}?"
    r"(?:deal|agreement|arrangement|accord|pact|memorandum|mou|treaty)\b",
    re.IGNORECASE,
)
LINKED_KINDS = (*LIFECYCLE, "transfer", "ruling", "halted_by_court")
SAME_EVENT_DAYS = 7  # the base may date the same event a few days after the story's date
NEW_SIGNING_DAYS = 180  # a signing this long after every known one is a new agreement
ENDING_KINDS = ("terminated", "suspended")


@dataclass(frozen=True)
class ProposedAgreement:
    agreement_id: str
    title: str
    kind: str
    parties: tuple[str, ...]
    sending: str
    receiving: str
    first_sentence: int


@dataclass(frozen=True)
class CountryMention:
    entity_id: str  # the country's entity id ('usa', 'gha')
    start: int
    end: int
    named: bool  # written as a name, not read from a demonym ('Rwandan')


class AgreementLinker:
    """Links sentences of one story to agreements; remembers the agreements it proposed."""

    def __init__(
        self, facts: FactBase, published: dt.date, story: list[tuple[str, list[CountryMention]]]
    ):
        self.facts = facts
        self.published = published
        self.proposed: dict[str, ProposedAgreement] = {}
        agreements = facts.agreements
        self.senders = {str(s) for s in agreements["sending"]} | {"usa"}
        self.receiving = {str(r) for r in agreements["receiving"]}
        counts: Counter[str] = Counter()
        senders: Counter[str] = Counter()
        for sentence, mentions in story:
            for m in _acting(sentence, mentions):
                (senders if self._is_sender(m.entity_id) else counts)[m.entity_id] += 1
        # The story's main receiving country: the one it names most, the first named on a tie
        # (Counter keeps the order of first mention).
        self.story_receivers = [c for c, _ in counts.most_common(1)]
        self.story_sender = senders.most_common(1)[0][0] if senders else "usa"
        self.known_ids = {str(a) for a in agreements["agreement_id"]}
        self._starts = _dates_by_agreement(facts.events, None)
        self._signed = _dates_by_agreement(facts.events, ("signed",), "latest")
        self._ended = _dates_by_agreement(facts.events, ENDING_KINDS)

    def link(
        self,
        sentence: str,
        kind: str,
        mentions: list[CountryMention],
        on: dt.date,
        where: int,
        dated: bool = True,
        until: dt.date | None = None,
    ) -> tuple[list[str], list[str]]:
        """The agreement ids for the sentence, and notes for the reviewer. `on` is the event's
        date (`until` its last day, for 'in April'), or the article's when the sentence gives
        none (`dated` False)."""
        last = max(until or on, on)
        about_agreement = bool(AGREEMENT_WORDS.search(sentence))
        if kind not in LINKED_KINDS and not about_agreement:
            return [], []
        kept = _acting(sentence, mentions)
        senders = [m.entity_id for m in kept if self._is_sender(m.entity_id)]
        receivers = [m.entity_id for m in kept if not self._is_sender(m.entity_id)]
        if not receivers and len(set(senders)) > 1:  # 'the US and Canada': the other one receives
            receivers = [s for s in senders if s != "usa"]
            senders = ["usa"]
        if not receivers and (kind in LINKED_KINDS or _DEFINITE_AGREEMENT.search(sentence)):
            receivers = list(self.story_receivers)
        sending = senders[0] if senders else self.story_sender
        ids: list[str] = []
        notes: list[str] = []
        for receiver in dict.fromkeys(receivers):
            chosen, note = self._choose(
                sentence, kind, receiver, sending, senders, (on, last), dated
            )
            if chosen is None and (kind in LIFECYCLE or about_agreement):
                named = any(m.entity_id == receiver and m.named for m in mentions)
                if named or receiver in self.story_receivers:
                    chosen = self._propose(receiver, sending, sentence, where)
            if chosen:
                ids.append(chosen)
            if note:
                notes.append(note)
        return list(dict.fromkeys(ids)), notes

    def _is_sender(self, country: str) -> bool:
        """The United States, and countries that only ever send (Denmark, Italy, Australia)."""
        return country == "usa" or (country in self.senders and country not in self.receiving)

    def _choose(
        self,
        sentence: str,
        kind: str,
        receiver: str,
        sending: str,
        senders: list[str],
        when: tuple[dt.date, dt.date],
        dated: bool,
    ) -> tuple[str | None, str]:
        on, last = when
        parties_allowed = {receiver, sending, *senders}
        for proposal in self.proposed.values():
            if set(proposal.parties) == {receiver, sending}:
                return proposal.agreement_id, ""
        options = [
            str(row.agreement_id)
            for row in self.facts.agreements.itertuples()
            if receiver in row.parties and set(row.parties) <= parties_allowed
        ]
        if not options:
            return None, ""
        horizon = last + dt.timedelta(days=SAME_EVENT_DAYS)
        known = [a for a in options if self._starts.get(a) is None or self._starts[a] <= horizon]
        pool = known or options
        former = bool(_PAST_AGREEMENT.search(sentence))  # 'the first Trump administration created'
        active = [a for a in pool if not (self._ended.get(a) and self._ended[a] <= on)]
        if not former:
            pool = active or pool
        if kind == "signed" and dated:  # an undated 'agreed' may retell the known signing
            signed = [self._signed.get(a) or self._starts.get(a) for a in options]
            cutoff = on - dt.timedelta(days=NEW_SIGNING_DAYS)
            if all(d is not None and d < cutoff for d in signed):
                return None, (
                    f"a signing on {on.isoformat()}, long after the known agreements "
                    f"({', '.join(options)}): a new agreement is proposed"
                )
        ordered = sorted(pool, key=lambda a: (self._starts.get(a) or dt.date.min, a))
        pick = ordered[0] if former else ordered[-1]
        others = [a for a in options if a != pick]
        note = f"agreement {pick}; also fits: {', '.join(others)}" if others else ""
        return pick, note

    def _propose(self, receiver: str, sending: str, sentence: str, where: int) -> str:
        parties = tuple(dict.fromkeys([sending, receiver]))
        prefix = "-".join("us" if p == "usa" else p for p in parties)
        agreement_id = f"{prefix}-{self.published.year}"
        number = 2
        while agreement_id in self.known_ids:  # an id the base already uses for another one
            agreement_id = f"{prefix}-{self.published.year}-{number}"
            number += 1
        lowered = sentence.lower()
        if "safe third country" in lowered:
            kind = "safe_third_country"
        elif "asylum cooperative" in lowered:
            kind = "asylum_cooperation"
        else:
            kind = "third_country_transfer"
        title = f"{' – '.join(p.upper() for p in parties)} agreement ({self.published.year})"
        self.proposed.setdefault(
            agreement_id,
            ProposedAgreement(agreement_id, title, kind, parties, sending, receiver, where),
        )
        return agreement_id


def first_transfers(events: pd.DataFrame) -> dict[str, dt.date]:
    """Each agreement's first known transfer (implemented or transfer events), by the latest
    bound of its date: 'between June and 11 December' may be the transfer a story reports."""
    return _dates_by_agreement(events, ("implemented", "transfer"), "latest")


def _dates_by_agreement(
    events: pd.DataFrame, kinds: tuple[str, ...] | None, bound: str = "earliest"
) -> dict[str, dt.date]:
    """Each agreement's first event (of the kinds), by the earliest or latest bound of its date:
    a signing dated '2025-01-20/2025-09-10' may have been as late as 2025-09-10."""
    dated = events.dropna(subset=["agreement_id", bound])
    if kinds is not None:
        dated = dated[dated["kind"].isin(kinds)]
    firsts = dated.groupby("agreement_id", observed=True)[bound].min()
    return {str(k): v.date() for k, v in firsts.items()}


def _acting(sentence: str, mentions: list[CountryMention]) -> list[CountryMention]:
    """Countries the sentence is about: not named as context after another country, nor as a
    nationality."""
    kept: list[CountryMention] = []
    cue = _CONTEXT_CUE.search(sentence)
    for mention in mentions:
        if _NATIONALITY_AFTER.match(sentence[mention.end :]) or _NATIONALITY_BEFORE.search(
            sentence[: mention.start]
        ):
            continue
        if cue and mention.start > cue.start() and any(m.start < cue.start() for m in kept):
            continue
        kept.append(mention)
    return kept
