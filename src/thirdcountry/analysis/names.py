"""Matching the names in a sentence to entities through their aliases, misspellings included.

A name is a run of capitalised words ("Naib Bukele", "Tran de Aragua", "Mr. Trump"). It is
matched to an entity exactly (name or alias), then by rapidfuzz similarity to every known
spelling. A name that matches nothing is kept as a proposed new entity, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

# Similarity (rapidfuzz's normalised Indel ratio on case-folded text, 0-100) at which an unknown
# spelling is taken for a known one. The seed's misspellings score 90.9 to 95.7 ('Bioden'/'Biden'
# 90.9, 'Buckele'/'Bukele' 92.3, 'Tran de Aragua'/'Tren de Aragua' 92.9, 'Naib Bukele'/'Nayib
# Bukele' 95.7); the closest distinct name scores 85.7 ('Canadian'/'Canada': an adjective, read
# as the country by the draft's demonym rule instead). tests/test_names.py keeps both lists on
# their side of this line.
MATCH_SCORE = 88.0
MIN_FUZZY_LENGTH = 4  # shorter names ('US', 'UK') only ever match exactly

TITLES = ("Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Dr.", "President", "Secretary", "Minister")
REGION_WORDS = {"Latin", "Central", "South", "North", "East", "West", "Southern", "Northern", "New"}
_CONNECTORS = {"de", "del", "la", "of", "the", "and", "y", "da", "van", "von", "al"}
# Capitalised words that start sentences or name months and days, not entities.
_NOT_NAMES = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "his", "her",
    "they", "their", "we", "our", "if", "under", "after", "before", "since", "when", "while",
    "but", "and", "or", "in", "on", "at", "for", "from", "to", "with", "one", "two", "three",
    "currently", "only", "other", "some", "many", "most", "long-standing", "representatives",
    "secretary", "president", "former", "first", "spread", "love", "military", "immigrants",
    "hours", "days", "weeks", "months", "federal", "trump's", "officials", "migrants",
    "lawyers", "authorities", "critics", "sources", "deportees", "transfers", "flights",
    "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
}  # fmt: skip
# Words that are never a name on their own, whatever their capital: month abbreviations,
# numbers, and words that open sentences or headlines ('None', 'Rights', 'Five').
_NEVER_NAMES = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "none", "rights", "zero", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "dozens", "yesterday", "today", "tomorrow", "x",
    "reuters", "afp", "ap", "associated press", "agence france-presse", "ansa", "efe", "upi",
    "xinhua", "anadolu", "dpa", "bloomberg", "read", "watch", "photo", "file", "advertisement",
    "government", "state", "ministry", "according", "beyond", "known", "citing", "speaking",
    "despite", "meanwhile", "however", "although", "earlier", "later", "asked", "last", "next",
}  # fmt: skip
_WORD = r"[A-Z][\w.'’-]*"
_NAME = re.compile(rf"{_WORD}(?:\s+(?:(?:{'|'.join(_CONNECTORS)})\s+)*{_WORD})*")


def is_not_a_name(text: str) -> bool:
    """Whether a capitalised run is never an entity: a month ('Nov', 'Sept.'), a weekday, a
    number ('Five', 'Twenty-nine'), a news agency, or a word like 'None'."""
    words = [_bare(w) for w in re.split(r"[\s-]+", text) if _bare(w)]
    if not words:
        return True
    if all(w in _NEVER_NAMES or w in _NOT_NAMES or w.isdigit() for w in words):
        return True
    return _bare(text) in _NEVER_NAMES or len(_bare(text)) < 2


@dataclass(frozen=True)
class NameMatch:
    text: str  # as written in the sentence
    start: int
    end: int
    entity_id: str | None  # None: a name the fact base does not know
    kind: str | None
    score: float  # 100 for an exact spelling


class NameIndex:
    """Every spelling of every entity: canonical name, aliases, and a country's ISO3 code."""

    def __init__(self, entities: pd.DataFrame):
        self.spellings: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.iso3: dict[str, str] = {}
        for row in entities.itertuples():
            self.kinds[row.entity_id] = str(row.kind)
            names = [row.name, *row.aliases]
            if isinstance(row.iso3, str):
                self.iso3[row.entity_id] = row.iso3
            for name in names:
                self.spellings.setdefault(name, row.entity_id)
        # Longest first, so 'President Naib Bukele' wins over 'Bukele' inside it.
        ordered = sorted(self.spellings, key=len, reverse=True)
        self._exact = re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(s) for s in ordered) + r")(?![\w])"
            if ordered
            else r"(?!x)x"
        )
        self._folded = {s.casefold(): e for s, e in self.spellings.items()}

    def find(self, sentence: str, common_words: frozenset[str] = frozenset()) -> list[NameMatch]:
        """Every name in the sentence, known or not, in order of appearance.

        `common_words` (lowercase) are words the article also writes in lower case: capitalised
        only because they start the sentence ('Officials met...'), they are not names.
        """
        matches: list[NameMatch] = []
        taken: list[tuple[int, int]] = []
        for found in self._exact.finditer(sentence):
            before = sentence[: found.start()].split()
            if before and before[-1] in REGION_WORDS:
                continue  # 'Latin America' is not America, 'South Sudan' not Sudan
            entity: str | None = self.spellings[found.group()]
            matches.append(self._match(found.group(), found.start(), found.end(), entity, 100.0))
            taken.append(found.span())
        # 'Naib Bukele' is one misspelt name, not an unknown 'Naib' beside a known 'Bukele'.
        for found in _NAME.finditer(sentence):
            whole = _trim(sentence, found.start(), found.end())
            if whole is None:
                continue
            inner = [m for m in matches if whole[0] <= m.start and m.end <= whole[1]]
            if not inner or any((m.start, m.end) == whole for m in inner):
                continue
            entity, score = self.lookup(sentence[whole[0] : whole[1]])
            if entity is not None and entity in {m.entity_id for m in inner}:
                matches = [m for m in matches if m not in inner]
                taken = [t for t in taken if not (whole[0] <= t[0] and t[1] <= whole[1])]
                text = sentence[whole[0] : whole[1]]
                matches.append(self._match(text, whole[0], whole[1], entity, score))
                taken.append(whole)
        for found in _NAME.finditer(sentence):
            for start, end in _candidate_spans(sentence, found.start(), found.end(), taken):
                text = sentence[start:end]
                if not sentence[:start].strip() and text.casefold() in common_words:
                    continue
                entity, score = self.lookup(text)
                matches.append(self._match(text, start, end, entity, score))
                taken.append((start, end))
        return sorted(matches, key=lambda m: m.start)

    def lookup(self, name: str) -> tuple[str | None, float]:
        """The entity a written name most likely means, with the score; (None, best) if none."""
        folded = name.casefold()
        if folded in self._folded:
            return self._folded[folded], 100.0
        if len(name) < MIN_FUZZY_LENGTH:
            return None, 0.0
        from rapidfuzz import fuzz, process

        best = process.extractOne(folded, list(self._folded), scorer=fuzz.ratio)
        if best is None:
            return None, 0.0
        key, score, _ = best
        if set(folded.split()) < set(key.split()):
            # 'Supreme Court' is not 'UK Supreme Court' misspelt: a less specific name
            return None, score
        return (self._folded[key], score) if score >= MATCH_SCORE else (None, score)

    def _match(self, text: str, start: int, end: int, entity: str | None, score: float):
        kind = self.kinds.get(entity) if entity else None
        return NameMatch(text, start, end, entity, kind, score)


def _candidate_spans(sentence: str, start: int, end: int, taken: list[tuple[int, int]]):
    """Parts of a capitalised run not already matched exactly, trimmed of titles, possessives,
    leading sentence words and trailing connectors."""
    pieces = [(start, end)]
    for t_start, t_end in sorted(taken):
        next_pieces = []
        for p_start, p_end in pieces:
            if t_end <= p_start or t_start >= p_end:
                next_pieces.append((p_start, p_end))
                continue
            if t_start > p_start:
                next_pieces.append((p_start, t_start))
            if t_end < p_end:
                next_pieces.append((t_end, p_end))
        pieces = next_pieces
    for p_start, p_end in pieces:
        trimmed = _trim(sentence, p_start, p_end)
        if trimmed is not None:
            yield trimmed


def _trim(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    words = list(re.finditer(r"\S+", sentence[start:end]))
    while words and (
        _bare(words[0].group()) in _NOT_NAMES
        or words[0].group() in TITLES
        or not words[0].group()[:1].isupper()
    ):
        words.pop(0)
    while words and (
        _bare(words[-1].group()) in _CONNECTORS or not words[-1].group()[:1].isupper()
    ):
        words.pop()
    if not words:
        return None
    first, last = words[0], words[-1]
    text_end = start + last.end()
    # "Buckele’s government": the possessive is not part of the name.
    for suffix in ("’s", "'s", "’", "."):
        if sentence[start + first.start() : text_end].endswith(suffix):
            text_end -= len(suffix)
            break
    if text_end - (start + first.start()) < 2:
        return None
    return start + first.start(), text_end


def _bare(word: str) -> str:
    return word.strip(".,;:’'\"").casefold()
