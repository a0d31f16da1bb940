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

from thirdcountry.analysis.agreement_links import (
    AgreementLinker,
    CountryMention,
    ProposedAgreement,
    first_transfers,
)
from thirdcountry.analysis.anchors import find_anchored_phrases
from thirdcountry.analysis.date_phrases import DatePhrase, find_date_phrases, points_to_future
from thirdcountry.analysis.datelines import AGENCIES, Dateline, blank, find_dateline
from thirdcountry.analysis.event_kinds import PLANNED_TRANSFER, event_kind, in_schema
from thirdcountry.analysis.figure_phrases import find_figures
from thirdcountry.analysis.names import NameIndex, NameMatch, is_not_a_name
from thirdcountry.analysis.sentences import Sentence, split_sentences
from thirdcountry.facts.dates import EDTFError, parse_edtf
from thirdcountry.facts.load import FactBase
from thirdcountry.facts.quotes import normalise

__all__ = ["Candidate", "Draft", "FigureCandidate", "ProposedAgreement", "ProposedEntity"]

WIRE_AGENCY_NAMES = frozenset(AGENCIES) | frozenset(a.casefold() for a in AGENCIES.values())
MIN_WORDS = 4  # shorter lines ('Spread the love', a photo slug) are not statements of fact
FIRST_TRANSFER_DAYS = 7  # the base may hold the story's own first transfer, dated a few days off

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
_CREDIT_LINE = re.compile(r"^[A-Z][\w.' -]*/[\w.' -]+(?: via [\w.' -]+)?$")
_ORGANIZATION_WORDS = re.compile(
    r"\b(?:Department|Ministry|Office|Institute|Agency|Service|Court|Council|Commission|"
    r"Committee|Party|Government|News|Times|Post|Bank|Union|Organi[sz]ation|Association|"
    r"Administration|Senate|Congress|Parliament|Police|Army|Navy|Images|Press|Reuters|Force|Forces|Guard|Democrats|Republicans|Coalition|Network|Foundation|Watch|Amnesty|Corporation)\b"
)
_GROUP_WORDS = re.compile(r"\b(?:Cartel|Cártel|Gang|Mara|Aragua|Salvatrucha)\b")
_PROGRAM_WORDS = re.compile(r"\b(?:Program|Programme|Order|Act|Policy|App|Protocols?)\b")
_TITLED = re.compile(r"(?:Mr\.?|Mrs\.?|Ms\.?|Dr\.?|President|Secretary|Minister)\s+$")
_TITLE_WORDS = {
    "president", "minister", "secretary", "director", "ambassador", "spokesperson",
    "spokeswoman", "spokesman", "chancellor", "governor", "senator", "judge", "king", "queen",
    "prince", "premier", "commissioner", "mayor", "chief", "envoy", "attorney", "lawyer", "mr.",
    "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "lord", "sir", "general", "deputy",
    "vice", "assistant", "prime", "foreign", "interior", "home", "caretaker",
}  # fmt: skip
_REGION_WORDS = {
    "africa", "america", "americas", "asia", "europe", "oceania", "pacific", "caribbean",
    "central", "south", "north", "east", "west", "southeast", "southern", "northern",
    "eastern", "western", "middle", "latin", "sub-saharan", "balkan", "balkans", "gulf",
}  # fmt: skip
_DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "an", "ans", "ese", "ish", "ic")
_PERSON_AFTER = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:spokes\w+|minister|official"
    r"|lawyer|attorney|director|adviser|advisor|secretary|envoy)\b",
    re.I,
)
_PERSON_BEFORE = re.compile(
    r"\b(?:spokes(?:person|woman|man)|minister|lawyer|attorney|director"
    r"|secretary|official|envoy|ambassador)\s*,?\s*$",
    re.I,
)
_ACTS_AFTER = re.compile(
    r"^(?:\s*,[^,]{0,80},)?\s*(?:has |had |have |was |were |is |also |later |then )?"
    r"(?:said|says|told|wrote|announced|confirmed|reported|stated|signed|agreed|denied|ruled"
    r"|asked|warned|added|argued|claimed|criticised|criticized|urged|called|rejected|refused"
    r"|approved|ordered|issued|sued|estimated)\b",
    re.I,
)
_SAID_BEFORE = re.compile(r"\b(?:said|according to|wrote)\s*$", re.I)
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
class FigureCandidate:
    """One drafted figure row: the columns of figures.csv, ready for review and `add`."""

    figure_id: str
    sentence: int
    agreement_id: str
    measure: str
    value: float
    unit: str
    qualifier: str
    basis: str
    date: str
    certainty: str
    source_id: str
    quote: str
    note: str


@dataclass
class Draft:
    source_id: str
    published: dt.date
    candidates: list[Candidate] = field(default_factory=list)
    entities: list[ProposedEntity] = field(default_factory=list)
    agreements: list[ProposedAgreement] = field(default_factory=list)
    figures: list[FigureCandidate] = field(default_factory=list)
    dateline: Dateline | None = None
    publisher: str = ""  # the agency a wire dateline names: the source's publisher
    reference: dt.date | None = None  # relative days count from here: the dateline's date


def draft_events(text: str, published: dt.date, facts: FactBase, source_id: str) -> Draft:
    """Candidate events and figures from an article's text, resolved against the fact base.

    A wire dateline ('MALABO, Nov 20 (Reuters) -') is read first and blanked: its date is the
    reference for relative days, its agency the publisher, and neither is an event or entity."""
    names = NameIndex(facts.entities)
    dateline = find_dateline(text, published)
    reference = dateline.date if dateline and dateline.date else published
    draft = Draft(source_id=source_id, published=published, dateline=dateline)
    draft.publisher = dateline.agency if dateline else ""
    draft.reference = reference
    body = blank(text, dateline)
    proposed_entities: dict[str, ProposedEntity] = {}
    sentences = split_sentences(body)
    lines = body.splitlines()
    kinds = facts.schema["events"].field("kind").enum
    from_source = facts.events[facts.events["source_id"] == source_id]
    known_quotes = [
        (normalise(str(q)), str(e))
        for q, e in zip(from_source["quote"], from_source["event_id"], strict=True)
    ]
    people: list[str] = []
    common_words = frozenset(re.findall(r"\b[a-z][a-z'’-]+\b", body))
    found_by_sentence = {}
    for sentence in sentences:
        found = [m for m in names.find(sentence.text, common_words) if not _is_junk(m, draft)]
        _add_demonyms(found, names)
        found_by_sentence[sentence.index] = found
    linker = AgreementLinker(
        facts,
        reference,
        [(s.text, _country_mentions(found_by_sentence[s.index])) for s in sentences],
    )
    first_transfer = first_transfers(facts.events)
    implemented_here: set[str] = set()
    for sentence in sentences:
        found = found_by_sentence[sentence.index]
        credit = _credit_names(sentence, sentences, lines, names)
        if _is_credit_line(sentence.text) or len(sentence.text.split()) < MIN_WORDS:
            people.extend(m.entity_id for m in found if m.kind == "person" and m.entity_id)
            continue
        phrases = find_anchored_phrases(
            sentence.text, reference, names, facts.events, found, people
        )
        phrases += find_date_phrases(sentence.text, reference)
        phrases = _without_overlaps(phrases)
        countries, entities, notes = _entities(
            found + credit, names, proposed_entities, sentence, text
        )
        kind = event_kind(sentence.text, is_caption=bool(credit))
        certainty = _certainty(sentence.text)
        date, phrase, basis, date_note = _date(phrases)
        if basis == "inferred" and reference != published:
            date_note = f"{date_note} (the dateline's date, not the publication on {published})"
        on = _earliest(date) or reference
        agreements, link_notes = linker.link(
            sentence.text,
            kind,
            _country_mentions(found),
            on,
            sentence.index,
            dated=bool(date),
            until=_latest(date),
        )
        notes += link_notes
        if kind == "transfer":
            planned = bool(PLANNED_TRANSFER.search(sentence.text))
            kind = _first_transfer(
                kind, agreements, on, bool(date), planned, first_transfer, implemented_here
            )
        kind, kind_note = in_schema(kind, kinds)
        if kind_note:
            notes.append(kind_note)
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
        draft.figures += _figures(
            sentence, agreements, date or reference.isoformat(), certainty, source_id, bool(date)
        )
        people.extend(m.entity_id for m in found if m.kind == "person" and m.entity_id)
    draft.entities = list(proposed_entities.values())
    draft.agreements = list(linker.proposed.values())
    return draft


def _is_junk(match: NameMatch, draft: Draft) -> bool:
    """Names that are never entities: months, weekdays, numbers, news agencies (a source's
    publisher, not an actor: 'sources told AFP'), the dateline."""
    if match.entity_id is not None:
        return match.text.casefold() in WIRE_AGENCY_NAMES
    if is_not_a_name(match.text):
        return True
    publisher = draft.publisher.casefold()
    return bool(publisher) and match.text.casefold() in (publisher, "associated press", "reuters")


def _country_mentions(found: list[NameMatch]) -> list[CountryMention]:
    return [
        CountryMention(m.entity_id, m.start, m.end, m.score > 0)
        for m in found
        if m.kind == "country" and m.entity_id
    ]


def _latest(date: str) -> dt.date | None:
    if not date:
        return None
    try:
        return parse_edtf(date).latest
    except EDTFError:
        return None


def _earliest(date: str) -> dt.date | None:
    if not date:
        return None
    try:
        return parse_edtf(date).earliest
    except EDTFError:
        return None


def _first_transfer(
    kind: str,
    agreements: list[str],
    on: dt.date,
    dated: bool,
    planned: bool,
    first_transfer: dict[str, dt.date],
    implemented_here: set[str],
) -> str:
    """A transfer is `implemented` when it is the agreement's first known one: the base knows
    none more than a few days before it (the base may hold this very transfer). An undated
    retelling of a transfer this story already called the first stays the first."""
    if not agreements or planned:  # 'will arrive on Wednesday': not yet the first
        return kind
    agreement = agreements[0]
    first = first_transfer.get(agreement)
    if agreement in implemented_here and not dated:
        return "implemented"
    if first is None or first >= on - dt.timedelta(days=FIRST_TRANSFER_DAYS):
        implemented_here.add(agreement)
        return "implemented"
    return kind


def _figures(
    sentence: Sentence,
    agreements: list[str],
    date: str,
    certainty: str,
    source_id: str,
    dated: bool,
) -> list[FigureCandidate]:
    """Figure rows for the numbers of people and money in the sentence."""
    rows = []
    for number, figure in enumerate(find_figures(sentence.text), start=1):
        lowered = sentence.text.lower()
        if re.search(r"\bin total\b|\bso far\b|\bto date\b|\btotal of\b", lowered):
            basis = "cumulative"
        elif re.search(r"\bannually\b|\bper (?:year|month)\b|\ba year\b|\beach year\b", lowered):
            basis = "in_period"
        else:
            basis = "single_event"
        notes = [figure.note] if figure.note else []
        if not dated:
            notes.append("the sentence gives no date: dated by the article's; check it")
        if len(agreements) > 1:
            notes.append("also about: " + ", ".join(agreements[1:]))
        if not agreements:
            notes.append("no agreement found: fill agreement_id before `add`")
        rows.append(
            FigureCandidate(
                figure_id=f"{source_id}-{sentence.index}-figure-{number}",
                sentence=sentence.index,
                agreement_id=agreements[0] if agreements else "",
                measure=figure.measure,
                value=figure.value,
                unit=figure.unit,
                qualifier=figure.qualifier,
                basis=basis,
                date=date,
                certainty=certainty,
                source_id=source_id,
                quote=sentence.text,
                note="; ".join(notes),
            )
        )
    return rows


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
    for index, match in enumerate(found):
        if match.entity_id is None:
            if _AGREEMENT_WORDS.search(match.text):
                continue  # 'Safe Third Country Agreement' names an agreement, not an entity
            national = _national_body(found, index, sentence.text, names)
            if national is not None:  # 'U.S. Air Force', 'United Kingdom Supreme Court'
                match = national
            entity_id = match.entity_id or slug(match.text)
            if not entity_id:
                continue
            if entity_id in names.kinds:  # 'Dhs' is the entity 'dhs', not a new one
                match = NameMatch(
                    match.text, match.start, match.end, entity_id, names.kinds[entity_id], 100.0
                )
            else:
                actor, why_not = _actor_name(match, sentence.text, names)
                if why_not:
                    notes.append(why_not)
                if actor is None:
                    continue
                match = actor
                kind = _guess_kind(match, sentence.text)
                entity_id = slug(match.text)
                if not kind:
                    notes.append(
                        f"new name {match.text!r} not proposed as an entity: nothing says it "
                        "acts (a place, or a name to add by hand)"
                    )
                    continue
                proposed.setdefault(
                    entity_id, ProposedEntity(entity_id, kind, match.text, sentence.index)
                )
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


def _national_body(
    found: list[NameMatch], index: int, sentence: str, names: NameIndex
) -> NameMatch | None:
    """An organisation named after its country ('U.S. Air Force', 'United Kingdom Supreme
    Court'): the known entity any spelling of the country with the rest names ('UK Supreme
    Court'), or the whole name as a new one."""
    match = found[index]
    if index == 0 or not _ORGANIZATION_WORDS.search(match.text):
        return None
    country = found[index - 1]
    if country.kind != "country" or sentence[country.end : match.start] != " ":
        return None
    spellings = [s for s, e in names.spellings.items() if e == country.entity_id]
    for spelling in spellings:
        entity, score = names.lookup(f"{spelling} {match.text}")
        if entity is not None and score == 100:
            return NameMatch(match.text, match.start, match.end, entity, names.kinds[entity], 100)
    text = sentence[country.start : match.end]
    return NameMatch(text, country.start, match.end, None, None, 0)


def _guess_kind(match: NameMatch, sentence: str) -> str:
    """The kind of an unknown name, from its words and what the sentence has it do; '' when
    nothing says it acts."""
    if _ORGANIZATION_WORDS.search(match.text):
        return "organization"
    if _GROUP_WORDS.search(match.text):
        return "group"
    if _PROGRAM_WORDS.search(match.text):
        return "program"
    before, after = sentence[: match.start], sentence[match.end :]
    if _TITLED.search(before) or _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
        return "person"
    if _ACTS_AFTER.match(after) or _SAID_BEFORE.search(before):
        return "person" if len(match.text.split()) in (1, 2, 3, 4) else "organization"
    return ""


def _actor_name(match: NameMatch, sentence: str, names: NameIndex) -> tuple[NameMatch | None, str]:
    """The name within a run of capitalised words, without the titles before it ('Prime
    Minister Rishi Sunak' -> 'Rishi Sunak'), or why the run is no one's name: a title alone
    ('Vice President'), a demonym or region ('West African'), a country the base lacks."""
    words = list(re.finditer(r"\S+", match.text))
    last_title = max(
        (i for i, w in enumerate(words) if w.group().strip(",.").casefold() in _TITLE_WORDS),
        default=-1,
    )
    rest = " ".join(w.group() for w in words[last_title + 1 :])
    if _ORGANIZATION_WORDS.match(rest):  # 'Interior Ministry', 'Home Office': one name
        last_title = -1
    if last_title >= 0:
        if last_title == len(words) - 1:
            return None, ""  # 'Prime Minister' before a known name: nothing to note
        first = words[last_title + 1]
        start = match.start + first.start()
        match = NameMatch(match.text[first.start() :], start, match.end, None, None, 0)
    bare = [w.strip(",.’'").casefold() for w in match.text.split()]
    if all(
        w in _REGION_WORDS or w.endswith(_DEMONYM_ENDINGS) or w in ("and", "of") for w in bare
    ) and not _ORGANIZATION_WORDS.search(match.text):
        return None, f"{match.text!r}: a people or region, not an entity"
    if _is_country_name(match.text):
        return None, f"{match.text!r}: a country the fact base has no entity for"
    return match, ""


def _is_country_name(text: str) -> bool:
    import pycountry

    try:
        pycountry.countries.lookup(text)
    except LookupError:
        return " and " in text and all(_is_country_name(p) for p in text.split(" and "))
    return True


def slug(name: str) -> str:
    """An id from a name: 'Tapachula' -> 'tapachula', 'Agencia Nacional' -> 'agencia-nacional'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
