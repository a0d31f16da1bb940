"""Candidate events drafted from an article, for a person to review before `thirdcountry add`.

One candidate per sentence (one per agreement where a sentence names several), its quote cut
verbatim from the article. Dates come from the sentence's own date phrases only: a sentence
without one gets no date, never the publication date. Names are matched to entities (see
analysis/names.py); unknown names become proposed new entities; parties without an agreement
get a proposed agreement id.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from thirdcountry.analysis.anchors import find_anchored_phrases
from thirdcountry.analysis.date_phrases import DatePhrase, find_date_phrases, points_to_future
from thirdcountry.analysis.names import NameIndex, NameMatch
from thirdcountry.analysis.sentences import Sentence, split_sentences
from thirdcountry.facts.load import FactBase
from thirdcountry.facts.quotes import normalise
from thirdcountry.facts.schema import LIFECYCLE

MIN_WORDS = 4  # shorter lines ('Spread the love', a photo slug) are not statements of fact

# Lifecycle kinds come first, and the first that matches wins: they are what the tracker is
# for. Among the context kinds, the one whose words come first in the sentence wins.
KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("call", r"\bby (?:tele)?phone\b|\bphone call\b|\bcalled\b"),
        ("suspended", r"\bsuspend(?:ed|s|ing)?\b"),
        ("termination_noticed", r"\bnotice of termination\b|\bbegins? (?:the )?termination\b"),
        ("terminated", r"\bterminat(?:ed|es|ing)\b|\bended the (?:deal|agreement)\b"),
        ("paused", r"\bpaus(?:ed|es|ing)\b|\bhalted\b"),
        ("in_force", r"\b(?:entered|enters|enter|came|comes) into force\b|\btook effect\b"),
        ("implemented", r"\bimplemented\b|\bfirst (?:transfer|flight|deportation)s?\b"),
        ("signed", r"\bsign(?:ed|s)\b|\bcreated (?:\w+ )?agreements?\b|\bconclu(?:ded|des)\b"),
        ("negotiating", r"\bnegotiat\w*|\bworking on (?:an? )?(?:\w+ )?(?:deal|agreement)\b"),
        ("proposed", r"\bplans? (?:being )?considered\b|\bpropos(?:ed|es|al)\b"),
        ("denied", r"\bdenie[sd]\b|\bdeny\b"),
        ("visit", r"\bvisit(?:s|ed|ing)?\b"),
        ("meeting", r"\bmet with\b|\bmeeting\b|\bmet\b"),
        ("policy", r"\border(?:ed|s)?\b|\breinstat\w*|\bclos(?:ed|ing)\b|\blaunch\w*|\bpolicy\b"
                   r"|\bdeploy\w*|\benlist\w*|\bcampaign\b|\bshuts? down\b|\bexecutive order\b"),
        ("designation", r"\bdesignat\w*"),
        ("announcement", r"\bannounc\w*"),
        ("publication", r"\bpublish(?:ed|es)\b|\bFederal Register\b"),
        ("transfer", r"\b(?:were|was|have been|had been)\s+(?:deported|transferred|sent|flown)\b"),
        ("statement", r"\bsaid\b|\bsays\b|\btold\b|\bstated\b|\brespond\w*"),
    )
)  # fmt: skip
_NEGATED = re.compile(r"\bnever\b|\bnot (?:yet )?been\b|\bhas not\b|\bhave not\b|\bdid not\b")
_DISPUTED = re.compile(r"\bdenie[sd]\b|\bdeny\b|\bdisput\w+|\bcontradict\w*", re.IGNORECASE)
_REPORTED = re.compile(
    r"\bsources? familiar\b|\baccording to\b|\breportedly\b|\bis said to\b|\bunclear\b"
    r"|\bnot clear\b|\bcould\b|\bmay\b|\bmight\b|\bwould\b|^if\b|\bif\b|\btold\b|\bsay\b"
    r"|\bconsidered\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\bscheduled\b|\bexpected\b|\bwill\b|\bplans? to\b|\bis set to\b|\bare set to\b|\bupcoming\b",
    re.IGNORECASE,
)
_AGREEMENT_WORDS = re.compile(
    r"\b(?:deal|agreement|agreements|arrangement|treaty|treaties|accord|pact|protocol|plan|mou)\b",
    re.IGNORECASE,
)
_PAST_AGREEMENT = re.compile(
    r"\bfirst Trump administration\b|\bformer\b|\bprevious\b|\bit had\b|\bwas never\b"
    r"|\bultimately\b|\bwere suspended\b|\bentered into force\b|\bcreated\b",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(r"^[A-Z][\w.' -]*/[\w.' -]+(?: via [\w.' -]+)?$")
_ORGANIZATION_WORDS = re.compile(
    r"\b(?:Department|Ministry|Office|Institute|Agency|Service|Court|Council|Commission|"
    r"Committee|Party|Government|News|Times|Post|Bank|Union|Organi[sz]ation|Association|"
    r"Administration|Senate|Congress|Parliament|Police|Army|Navy|Images|Press|Reuters)\b"
)
_GROUP_WORDS = re.compile(r"\b(?:Cartel|Cártel|Gang|Mara|Aragua|Salvatrucha)\b")
_PROGRAM_WORDS = re.compile(r"\b(?:Program|Programme|Order|Act|Policy|App|Protocols?)\b")
_TITLED = re.compile(r"(?:Mr\.?|Mrs\.?|Ms\.?|Dr\.?|President|Secretary|Minister)\s+$")
_DEMONYM_SUFFIXES = ("ian", "ean", "an", "ese", "n", "i")


@dataclass(frozen=True)
class Candidate:
    """One drafted event: the columns of events.csv plus what a reviewer needs to judge it."""

    event_id: str
    sentence: int
    line: int
    date: str  # EDTF, or '' when the sentence has no date phrase
    date_phrase: str
    date_basis: str  # 'stated', 'inferred', or '' with no date
    kind: str
    agreement_id: str
    countries: tuple[str, ...]  # ISO3
    entities: tuple[str, ...]  # entity ids, proposed new ones included
    certainty: str
    source_id: str
    quote: str
    note: str
    summary: str = ""  # the reviewer writes it


@dataclass(frozen=True)
class ProposedEntity:
    entity_id: str
    kind: str  # a guess from titles and words like 'Department'; '' when there is no clue
    name: str
    first_sentence: int


@dataclass(frozen=True)
class ProposedAgreement:
    agreement_id: str
    title: str
    kind: str
    parties: tuple[str, ...]
    sending: str
    receiving: str
    first_sentence: int


@dataclass
class Draft:
    source_id: str
    published: dt.date
    candidates: list[Candidate] = field(default_factory=list)
    entities: list[ProposedEntity] = field(default_factory=list)
    agreements: list[ProposedAgreement] = field(default_factory=list)


def draft_events(text: str, published: dt.date, facts: FactBase, source_id: str) -> Draft:
    """Candidate events from an article's text, resolved against the fact base."""
    names = NameIndex(facts.entities)
    draft = Draft(source_id=source_id, published=published)
    proposed_entities: dict[str, ProposedEntity] = {}
    proposed_agreements: dict[str, ProposedAgreement] = {}
    sentences = split_sentences(text)
    lines = text.splitlines()
    kinds = facts.schema["events"].field("kind").enum
    from_source = facts.events[facts.events["source_id"] == source_id]
    known_quotes = [
        (normalise(str(q)), str(e))
        for q, e in zip(from_source["quote"], from_source["event_id"], strict=True)
    ]
    people: list[str] = []
    common_words = frozenset(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    for sentence in sentences:
        found = names.find(sentence.text, common_words)
        _add_demonyms(found, names)
        credit = _credit_names(sentence, sentences, lines, names)
        if _is_credit_line(sentence.text) or len(sentence.text.split()) < MIN_WORDS:
            people.extend(m.entity_id for m in found if m.kind == "person" and m.entity_id)
            continue
        phrases = find_anchored_phrases(
            sentence.text, published, names, facts.events, found, people
        )
        phrases += find_date_phrases(sentence.text, published)
        phrases = _without_overlaps(phrases)
        countries, entities, notes = _entities(
            found + credit, names, proposed_entities, sentence, text
        )
        kind = _kind(sentence.text, is_caption=bool(credit))
        if kinds is not None and kind not in kinds:  # an older contract without this kind
            kind = "claim" if "claim" in kinds else ""
        certainty = _certainty(sentence.text)
        named = {m.entity_id for m in found if m.kind == "country" and m.score > 0 and m.entity_id}
        agreements = _agreements(
            sentence.text,
            kind,
            countries,
            named,
            names,
            facts,
            published,
            proposed_agreements,
            sentence,
        )
        date, phrase, basis, date_note = _date(phrases)
        recorded = _already_recorded(sentence.text, known_quotes)
        if recorded:
            notes.append("already in the fact base from this source: " + ", ".join(recorded))
        note = "; ".join(n for n in [date_note, *notes] if n)
        for number, agreement_id in enumerate(agreements or [""], start=1):
            suffix = f"-{number}" if len(agreements) > 1 else ""
            draft.candidates.append(
                Candidate(
                    event_id=f"{source_id}-{sentence.index}{suffix}",
                    sentence=sentence.index,
                    line=sentence.line,
                    date=date,
                    date_phrase=phrase,
                    date_basis=basis,
                    kind=kind,
                    agreement_id=agreement_id,
                    countries=countries,
                    entities=entities,
                    certainty=certainty,
                    source_id=source_id,
                    quote=sentence.text,
                    note=note,
                )
            )
        people.extend(m.entity_id for m in found if m.kind == "person" and m.entity_id)
    draft.entities = list(proposed_entities.values())
    draft.agreements = list(proposed_agreements.values())
    return draft


def _already_recorded(sentence: str, known_quotes: list[tuple[str, str]]) -> list[str]:
    """Events of the same source whose quote lies in this sentence, or holds it: a reviewer
    drops the candidate or keeps only what is new."""
    text = normalise(sentence)
    return [event for quote, event in known_quotes if quote and (quote in text or text in quote)]


def _date(phrases: list[DatePhrase]) -> tuple[str, str, str, str]:
    """The sentence's date: its first resolved phrase. Others are named in the note."""
    if not phrases:
        return "", "", "", ""
    resolved = [p for p in phrases if p.edtf]
    if not resolved:
        return "", phrases[0].phrase, "", phrases[0].note
    chosen = resolved[0]
    others = [p.phrase for p in phrases if p is not chosen]
    note = chosen.note
    if others:
        note = "; ".join(n for n in [note, "also: " + ", ".join(others)] if n)
    return chosen.edtf or "", chosen.phrase, chosen.basis, note


def _without_overlaps(phrases: list[DatePhrase]) -> list[DatePhrase]:
    kept: list[DatePhrase] = []
    for phrase in phrases:  # anchored ones come first and win
        if not any(phrase.start < k.end and k.start < phrase.end for k in kept):
            kept.append(phrase)
    return sorted(kept, key=lambda p: p.start)


def _kind(sentence: str, is_caption: bool) -> str:
    if is_caption:
        return "photo"
    context: list[tuple[int, str]] = []
    for kind, pattern in KIND_RULES:
        found = pattern.search(sentence)
        if not found:
            continue
        if kind in LIFECYCLE:
            # 'was never implemented' is a claim about the agreement, not a step of it
            return "claim" if _NEGATED.search(sentence) else kind
        context.append((found.start(), kind))
    # Of the context kinds, the earliest word is most likely the main verb: 'announced an
    # agreement ... following a meeting' is an announcement.
    return min(context)[1] if context else "claim"


def _certainty(sentence: str) -> str:
    if _DISPUTED.search(sentence):
        return "disputed"
    if _REPORTED.search(sentence):
        return "reported"
    if _PLANNED.search(sentence) or points_to_future(sentence):
        return "planned"
    return "confirmed"


def _add_demonyms(found: list[NameMatch], names: NameIndex) -> None:
    """'Salvadoran', 'Canadian', 'Venezuelan' name their country: El Salvador, Canada..."""
    countries = {e: n for n, e in names.spellings.items() if names.kinds.get(e) == "country"}
    for index, match in enumerate(found):
        if match.entity_id is not None or " " in match.text:
            continue
        word = match.text.casefold()
        for suffix in _DEMONYM_SUFFIXES:
            stem = word[: -len(suffix)] if word.endswith(suffix) else ""
            if len(stem) < 4:
                continue
            hits = {
                entity
                for entity, name in countries.items()
                for part in [name.casefold()]
                if re.search(rf"\b{re.escape(stem)}", part)
            }
            if len(hits) == 1:
                entity = hits.pop()
                found[index] = NameMatch(match.text, match.start, match.end, entity, "country", 0)
                break


def _credit_names(
    sentence: Sentence, sentences: list[Sentence], lines: list[str], names: NameIndex
) -> list[NameMatch]:
    """For a photo caption (the next non-blank line is a credit line), the credited names."""
    following = [line for line in lines[sentence.line :] if line.strip()]
    is_last_on_line = all(s.line != sentence.line or s.index <= sentence.index for s in sentences)
    if not following or not is_last_on_line or not _is_credit_line(following[0].strip()):
        return []
    return [m for m in names.find(following[0].strip())]


def _is_credit_line(text: str) -> bool:
    return bool(_CREDIT_LINE.match(text.strip())) and len(text.split()) <= 8


def _entities(
    found: list[NameMatch],
    names: NameIndex,
    proposed: dict[str, ProposedEntity],
    sentence: Sentence,
    text: str,
) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    countries: list[str] = []
    entities: list[str] = []
    notes: list[str] = []
    for match in found:
        if match.entity_id is None:
            if _AGREEMENT_WORDS.search(match.text):
                continue  # 'Safe Third Country Agreement' names an agreement, not an entity
            kind = _guess_kind(match, sentence.text)
            entity_id = slug(match.text)
            if not entity_id:
                continue
            if entity_id in names.kinds:  # 'Dhs' is the entity 'dhs', not a new one
                match = NameMatch(
                    match.text, match.start, match.end, entity_id, names.kinds[entity_id], 100.0
                )
            else:
                proposed.setdefault(
                    entity_id, ProposedEntity(entity_id, kind, match.text, sentence.index)
                )
                if kind:
                    entities.append(entity_id)
                notes.append(f"new name {match.text!r} (proposed entity {entity_id!r})")
                continue
        known = match.entity_id
        assert known is not None  # an unknown name was proposed above, or replaced by a known one
        if match.kind == "country":
            countries.append(names.iso3.get(known, known.upper()))
        else:
            entities.append(known)
        if 0 < match.score < 100:
            notes.append(
                f"{match.text!r} read as {match.entity_id!r} (similarity {match.score:.0f}; "
                "not yet one of its aliases)"
            )
    return tuple(dict.fromkeys(countries)), tuple(dict.fromkeys(entities)), notes


def _guess_kind(match: NameMatch, sentence: str) -> str:
    if _ORGANIZATION_WORDS.search(match.text):
        return "organization"
    if _GROUP_WORDS.search(match.text):
        return "group"
    if _PROGRAM_WORDS.search(match.text):
        return "program"
    if _TITLED.search(sentence[: match.start]):
        return "person"
    return ""


def _agreements(
    sentence: str,
    kind: str,
    countries: tuple[str, ...],
    named: set[str],
    names: NameIndex,
    facts: FactBase,
    published: dt.date,
    proposed: dict[str, ProposedAgreement],
    where: Sentence,
) -> list[str]:
    """The agreements a sentence is about: existing ones whose other parties it names, or a
    proposed id for parties that have none. Only sentences about an agreement get one."""
    if kind not in LIFECYCLE and not _AGREEMENT_WORDS.search(sentence):
        return []
    iso_to_entity = {code: entity for entity, code in names.iso3.items()}
    mentioned = [iso_to_entity[c] for c in countries if c in iso_to_entity]
    receivers = [c for c in mentioned if c != "usa"]
    if not receivers:
        return []
    chosen: list[str] = []
    existing: list[str] = []
    missing: list[str] = []
    prefer_old = bool(_PAST_AGREEMENT.search(sentence))
    starts = _first_evidence(facts.events)
    for country in receivers:
        options = [
            row
            for row in facts.agreements.itertuples()
            if country in row.parties and set(row.parties) <= set(mentioned) | {"usa"}
        ]
        if not options:
            missing.append(country)
            continue
        dated = [(starts.get(row.agreement_id), row.agreement_id) for row in options]
        known = [(d, a) for d, a in dated if d is not None and d <= published]
        pool = known or [(d or dt.date.min, a) for d, a in dated]
        pick = min(pool) if prefer_old else max(pool)
        existing.append(pick[1])
    # A new agreement only for a lifecycle step with parties that have none, named outright
    # ('with Belize'), never for a country the sentence mentions in passing.
    if not existing and kind in LIFECYCLE:
        for country in missing:
            if country in named:
                chosen.append(_propose(country, mentioned, sentence, published, proposed, where))
    return list(dict.fromkeys(existing + chosen))


def _first_evidence(events: pd.DataFrame) -> dict[str, dt.date]:
    dated = events.dropna(subset=["agreement_id", "earliest"])
    firsts = dated.groupby("agreement_id", observed=True)["earliest"].min()
    return {str(k): v.date() for k, v in firsts.items()}


def _propose(
    country: str,
    mentioned: list[str],
    sentence: str,
    published: dt.date,
    proposed: dict[str, ProposedAgreement],
    where: Sentence,
) -> str:
    sending = "usa" if country != "usa" else next((c for c in mentioned if c != "usa"), "usa")
    parties = tuple(dict.fromkeys([sending, country]))
    prefix = "-".join("us" if p == "usa" else p for p in parties)
    agreement_id = f"{prefix}-{published.year}"
    lowered = sentence.lower()
    if "safe third country" in lowered:
        kind = "safe_third_country"
    elif "asylum cooperative" in lowered:
        kind = "asylum_cooperation"
    else:
        kind = "third_country_transfer"
    title = f"{' – '.join(p.upper() for p in parties)} agreement ({published.year})"
    proposed.setdefault(
        agreement_id,
        ProposedAgreement(agreement_id, title, kind, parties, sending, country, where.index),
    )
    return agreement_id


def slug(name: str) -> str:
    """An id from a name: 'Tapachula' -> 'tapachula', 'Agencia Nacional' -> 'agencia-nacional'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
