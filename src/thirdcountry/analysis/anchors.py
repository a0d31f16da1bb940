"""Date phrases anchored on an event the fact base knows: 'after Biden took office', 'hours after
his inauguration'. The anchor is the person's taking office, found among the base's events
(kind `took_office`, or 'took office', 'inaugurated' or 'sworn in' in the summary, with the
person among the actors). The phrase takes that event's date or opens an interval from it,
and the note names the event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from thirdcountry.analysis.date_phrases import DatePhrase
from thirdcountry.analysis.names import NameIndex, NameMatch

# An event of taking office, not one that merely happened on the day ('inauguration day').
TAKING_OFFICE = re.compile(
    r"\b(?:took|takes|take|taking) office\b|\binaugurat(?:ed|es|ion)\b(?! day)|\bsworn in\b"
    r"|\bswearing[- ]in\b",
    re.IGNORECASE,
)
_RELATION = (
    r"(?P<relation>(?i:(?:(?:just|only|shortly|hours|days|weeks|months|a day|the day|a week)\s+)?"
    r"(?:after|since|following|before)))"
)
_EVENT = (
    r"(?P<event>(?i:took office|taking office|was inaugurated|inauguration|was sworn in"
    r"|swearing[- ]in|being sworn in))"
)
_WHO = r"(?P<who>his|her|their|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}?)(?:['’]s)?"
ANCHORED = re.compile(rf"\b{_RELATION}\s+(?:{_WHO}\s+)?{_EVENT}\b")
_PRONOUNS = {"his", "her", "their"}


_RELATIVE_BEFORE = re.compile(r"\b(?:after|before|since|following|until)\b[^.;]*$", re.I)


def is_taking_office(summary: str) -> bool:
    """Does an event's summary say someone took office ('Joe Biden takes office'), rather than
    date something else by it ('suspended after Joe Biden took office')?"""
    found = TAKING_OFFICE.search(summary)
    return found is not None and not _RELATIVE_BEFORE.search(summary[: found.start()])


@dataclass(frozen=True)
class Anchor:
    event_id: str
    summary: str
    day: dt.date


def find_anchored_phrases(
    sentence: str,
    published: dt.date,
    names: NameIndex,
    events: pd.DataFrame,
    sentence_names: Sequence[NameMatch],
    earlier_people: Sequence[str],
) -> list[DatePhrase]:
    """Anchored date phrases in a sentence, resolved from the base's events.

    `sentence_names` are the names found in this sentence; `earlier_people` the person entity
    ids of earlier sentences, latest last: a pronoun ('his inauguration') means the first person
    named in the sentence itself, else the last one named before it.
    """
    phrases = []
    for match in ANCHORED.finditer(sentence):
        phrase = match.group()
        person = _person(match, names, sentence_names, earlier_people)
        if person is None:
            note = f"'{phrase}': whose taking office is meant is not clear"
            phrases.append(DatePhrase(phrase, match.start(), match.end(), None, "inferred", note))
            continue
        anchor = latest_taking_office(events, person, published)
        if anchor is None:
            note = (
                f"'{phrase}': anchored on {person} taking office, "
                "which the fact base does not record"
            )
            phrases.append(DatePhrase(phrase, match.start(), match.end(), None, "inferred", note))
            continue
        edtf = interval_from(anchor.day, match.group("relation").lower())
        note = (
            f"'{phrase}': anchored on event {anchor.event_id} ({anchor.summary.rstrip('.')}, "
            f"{anchor.day.isoformat()})"
        )
        phrases.append(DatePhrase(phrase, match.start(), match.end(), edtf, "inferred", note))
    return phrases


def interval_from(day: dt.date, relation: str) -> str:
    """EDTF for a relation to an anchor day: 'hours after' is that day or the next, 'the day
    after' the next day, 'before' up to the day, any other 'after' opens an interval from it."""
    if relation.startswith("hours"):
        return f"{day.isoformat()}/{(day + dt.timedelta(days=1)).isoformat()}"
    if relation in ("the day after", "a day after"):
        return (day + dt.timedelta(days=1)).isoformat()
    if relation.endswith("before"):
        return f"../{day.isoformat()}"
    return f"{day.isoformat()}/.."


def latest_taking_office(events: pd.DataFrame, person: str, published: dt.date) -> Anchor | None:
    """The person's latest taking office on or before the publication date, if on record."""
    best: Anchor | None = None
    for row in events.itertuples():
        if person not in row.actors:
            continue
        if row.kind != "took_office" and not is_taking_office(str(row.summary)):
            continue
        if pd.isna(row.earliest) or pd.isna(row.latest) or row.earliest != row.latest:
            continue  # only a known day can anchor a phrase
        day = row.earliest.date()
        if day <= published and (best is None or day > best.day):
            best = Anchor(str(row.event_id), str(row.summary), day)
    return best


def _person(
    match: re.Match[str],
    names: NameIndex,
    sentence_names: Sequence[NameMatch],
    earlier_people: Sequence[str],
) -> str | None:
    who = match.group("who")
    if who and who.lower() not in _PRONOUNS:
        entity, _ = names.lookup(re.sub(r"['’]s$", "", who))
        return entity if entity and names.kinds.get(entity) == "person" else None
    inside = range(match.start(), match.end())
    for name in sentence_names:
        if name.kind == "person" and name.start not in inside:
            return name.entity_id
    return earlier_people[-1] if earlier_people else None
