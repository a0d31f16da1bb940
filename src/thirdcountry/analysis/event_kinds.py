"""An event's kind from what the sentence says happened: 'arrived' is a transfer, 'signed' and
'agreed' a signing, 'ruled' a ruling, 'refused' a refusal.

Lifecycle kinds come first, and the first rule that matches wins: they are what the tracker is
for. Among the context kinds, a ruling, a refusal and a transfer outrank the rest ('the men
had arrived, McLaughlin said' is a transfer, not a statement); otherwise the kind whose words
come first in the sentence wins ('announced an agreement ... following a meeting').

Whether a transfer is the agreement's first (`implemented`) depends on the fact base: the draft
decides that (analysis/draft.py), not this module.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from thirdcountry.facts.schema import LIFECYCLE

_COURT = r"\b(?:court|judges?|justices|tribunal)\b"
PLANNED_TRANSFER = re.compile(
    r"\b(?:will|would|shall|to|expected to|set to|due to) (?:arrive|land"
    r"|be (?:sent|deported|flown|transferred))\b",
    re.IGNORECASE,
)
_FUTURE_VERB = re.compile(r"\b(?:shall|will|would|to|could|may|might)\s+(?:\w+\s+)?be\s*$", re.I)
_AUX = r"(?:has|have|had|was|were)\s+(?:already\s+|now\s+|also\s+|just\s+)?(?:been\s+)?"
_MOVED = r"(?:sent|deported|transferred|received|flown|removed|relocated|expelled)"

KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("call", r"\bby (?:tele)?phone\b|\bphone call\b|\bcalled\b"),
        ("halted_by_court", rf"{_COURT}[^.]{{0,80}}\b(?:halt(?:ed|s)?|block(?:ed|s)?|stopp(?:ed)?"
                            r"|suspend(?:ed|s)?|bar(?:red|s))\b"
                            r"|\b(?:sent|brought|taken|returned) back\b"
                            rf"[^.]{{0,80}}(?:ruling|{_COURT})"),
        ("suspended", r"\bsuspend(?:ed|s|ing)?\b"),
        ("termination_noticed", r"\bnotice of termination\b|\bbegins? (?:the )?termination\b"),
        ("terminated", r"\bterminat(?:ed|es|ing)\b|\bended the (?:deal|agreement)\b"
                       r"|\bscrapped\b|\bcancell?ed\b"),
        ("paused", r"\bpaus(?:ed|es|ing)\b|\bhalted\b"),
        ("in_force", r"\b(?:entered|enters|enter|came|comes) into force\b|\btook effect\b"),
        ("implemented", r"\bimplemented\b|\bfirst (?:transfer|flight|deportation)s?\b"),
        ("denied", r"(?<!been )(?<!were )(?<!was )(?<!are )\bdenie[sd]\b|\bdeny\b"),
        ("signed", r"\bsign(?:ed|s|ing)\b|\bfinali[sz]ed\b|\bcreated (?:\w+ )?agreements?\b"
                   r"|\bconclu(?:ded|des)\b"
                   r"|\bagree(?:d|s)\b"
                   r"|\breached (?:an? )?(?:\w+ ){0,2}(?:deal|agreement|accord)s?\b"
                   r"|\bstruck (?:an? )?(?:\w+ ){0,2}(?:deal|agreement)s?\b"),
        ("negotiating", r"\bnegotiat\w*|\bworking on (?:an? )?(?:\w+ )?(?:deal|agreement)\b"
                        r"|\b(?:ongoing|in|holding|held) (?:\w+ )?(?:talks|discussions)\b"),
        ("proposed", r"\bplans? (?:being )?considered\b|\bpropos(?:ed|es|al)\b"),
        ("ruling", rf"\b(?:ruled|rules|ruling|upheld|overturned|struck down|judge?ment)\b"
                   rf"|{_COURT}[^.]{{0,60}}\b(?:rejected|refused|ordered|found|dismissed)\b"),
        ("refused", r"\brefus(?:ed|es|ing)\b|\breject(?:ed|s|ing)\b"),
        ("transfer", rf"\b(?<!who )(?<!that )(?<!which ){_AUX}{_MOVED}\b(?! (?:an? )?(?:\w+ )?"
                     r"(?:list|letter|request|message|note))"
                     r"|\b(?:arriv(?:ed|ing)|landed|touched down)\b"
                     r"|\b(?:sent|deported|flown|removed) to\b"
                     r"|\b(?:started|began|begun|is|are|has been) "
                     r"(?:accepting|receiving|taking in)\b"
                     r"|\bwelcomed (?:its|the) first\b"
                     r"|\b(?:have|has|had) come to\b"
                     r"|\b(?:will|would|shall|to|expected to|set to|due to) (?:arrive|land"
                     r"|be (?:sent|deported|flown|transferred))\b"),
        ("visit", r"\bvisit(?:s|ed|ing)?\b"),
        ("meeting", r"\bmet with\b|\bmeeting\b|\bmet\b"),
        ("policy", r"\border(?:ed|s)?\b|\breinstat\w*|\bclos(?:ed|ing)\b|\blaunch\w*|\bpolicy\b"
                   r"|\bdeploy\w*|\benlist\w*|\bcampaign\b|\bshuts? down\b|\bexecutive order\b"),
        ("designation", r"\bdesignat\w*"),
        ("announcement", r"\bannounc\w*"),
        ("publication", r"\bpublish(?:ed|es)\b|\bFederal Register\b"),
        ("statement", r"\bsaid\b|\bsays\b|\btold\b|\bstated\b|\brespond\w*|\bwrote\b"
                      r"|\bconfirmed\b|\breported\b"),
    )
)  # fmt: skip
# Context kinds that outrank the earliest-word rule, strongest first.
PRIORITY = ("ruling", "refused", "transfer")
# What a kind becomes when the data package lacks it, and why (said in the candidate's note).
FALLBACK = {"refused": "claim", "halted_by_court": "ruling", "transfer": "claim"}
_CLAUSE_EDGE = re.compile(
    r"[,;:()\u2013\u2014]|\s(?:who|which|that|though|although|but|while)\s", re.IGNORECASE
)
_NEGATED = re.compile(
    r"\bnever\b|\bnot (?:yet )?been\b|\bhas not\b|\bhave not\b|\bdid not\b|\bhad not\b"
    r"|\bhasn't\b|\bhaven't\b|\bdidn't\b|\bno (?:deal|agreement)\b",
    re.IGNORECASE,
)


def event_kind(sentence: str, is_caption: bool = False) -> str:
    """The kind the sentence's words point to ('claim' when none does)."""
    if is_caption:
        return "photo"
    context: list[tuple[int, int, str]] = []
    for kind, pattern in KIND_RULES:
        found = next(
            (
                m
                for m in pattern.finditer(sentence)
                if not _FUTURE_VERB.search(sentence[: m.start()])
            ),
            None,
        )
        if not found:
            continue
        if kind in LIFECYCLE or kind == "halted_by_court":
            # 'was never implemented' is a claim about the agreement, not a step of it
            return "claim" if _negated(sentence, found.start(), found.end()) else kind
        context.append((found.start(), found.end(), kind))
    for kind in PRIORITY:
        for start, end, k in context:
            if k == kind:
                return "claim" if kind == "transfer" and _negated(sentence, start, end) else kind
    # Of the other context kinds, the earliest word is most likely the main verb.
    return min(context)[2] if context else "claim"


def _negated(sentence: str, start: int, end: int) -> bool:
    """A negation in the verb's own clause: 'has not signed', not '..., who have never been
    charged' or '..., though he did not give a date'."""
    edges = [m.span() for m in _CLAUSE_EDGE.finditer(sentence)]
    left = max((e for s, e in edges if e <= start), default=0)
    right = min((s for s, e in edges if s >= end), default=len(sentence))
    return bool(_NEGATED.search(sentence[left:right]))


def in_schema(kind: str, kinds: Collection[str] | None) -> tuple[str, str]:
    """The kind the data package accepts, and a note when it had to change: a package without
    `refused` records a refusal as a claim, the note saying what it was read as."""
    if kinds is None or kind in kinds:
        return kind, ""
    fallback = FALLBACK.get(kind, "claim")
    if fallback not in kinds:
        fallback = "claim" if "claim" in kinds else ""
    return fallback, f"read as '{kind}', which this data package has no kind for"
