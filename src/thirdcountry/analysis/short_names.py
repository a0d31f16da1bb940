"""A short name per agreement, derived once from its title: what charts, tables and findings
call it ('US–Canada Safe Third Country Agreement', 'US–Panama transit arrangement').

The title stays the agreement's full name; the short name keeps its two parties and what kind
of deal it is, drops the rest, and adds the year only where two agreements would read alike.
"""

from __future__ import annotations

import re

import pandas as pd

LONGEST = 42  # characters: a short name above this is cut at a joining word
# Where a long title's qualifications begin: 'transit arrangement | for deportees of ...'.
CUT_AT = re.compile(r":| for | on | to | by | with | of ")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Names a short name may use where the full one makes it long, as the press does.
ABBREVIATED = {"Papua New Guinea": "PNG", "Migration and Economic Development": "Migration"}


def short_name(title: str) -> str:
    """The title without its closing parenthesis and, if still long, cut at a joining word
    after the parties and the kind of deal (pure). 'Additional Protocol of 2022 to the US–Canada
    Safe Third Country Agreement' -> 'US–Canada additional protocol'."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", title.strip()) or title.strip()
    if "–" in text and not _starts_with_pair(text):
        # 'Additional Protocol of 2022 to the US–Canada ...': the parties first, then the kind.
        words = text.split()
        at = next(i for i, word in enumerate(words) if "–" in word)
        kind = " ".join(w for w in words[:at] if not YEAR.fullmatch(w))
        kind = CUT_AT.split(kind)[0].strip().lower()
        return f"{words[at]} {kind}".strip()
    if len(text) <= LONGEST:
        return text
    for long, short in ABBREVIATED.items():
        text = text.replace(long, short)
    if len(text) <= LONGEST + 8 and not CUT_AT.search(text):
        return text
    pair_end = text.index("–") + 1 if "–" in text else 0
    first_space = text.find(" ", pair_end)
    head, tail = text[: first_space + 1], text[first_space + 1 :]
    cut = CUT_AT.search(tail)
    while cut is not None and len(tail[: cut.start()].split()) < 1:
        cut = CUT_AT.search(tail, cut.end())
    return (head + tail[: cut.start()]).strip() if cut else text


def _starts_with_pair(text: str) -> bool:
    return "–" in text.split(" ", 1)[0]


def short_names(agreements: pd.DataFrame) -> dict[str, str]:
    """{agreement_id: short name}; where two would read alike, each gets its year (from the
    title, else its id), or failing that its id."""
    names = {
        str(a): short_name(str(t))
        for a, t in zip(agreements["agreement_id"], agreements["title"], strict=True)
    }
    titles = dict(zip(agreements["agreement_id"].astype(str), agreements["title"], strict=True))
    counts = pd.Series(list(names.values()), dtype=object).value_counts()
    for agreement, name in list(names.items()):
        if counts.get(name, 0) > 1:
            years = YEAR.findall(str(titles[agreement])) or YEAR.findall(agreement)
            names[agreement] = f"{name} ({years[-1] if years else agreement})"
    return names
